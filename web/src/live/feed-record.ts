import { recordHrefOf } from '../shell/hash-route.svelte.ts';
import { recordName, type Activity } from '../timeline/activity';

/** The page an activity in the feed leads to: what it is regarding, else its first resolved party that is a record. */
export function feedRecord(activity: Activity): { id: string; href: string; name: string } | null {
  const candidates = [activity.regarding, ...activity.parties.map((party) => party.record)];
  for (const record of candidates) {
    const href = record && recordHrefOf(record.__typename, record.id);
    if (record && href) return { id: record.id, href, name: recordName(record) };
  }
  return null;
}
