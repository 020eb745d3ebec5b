import { accountHref, contactHref } from '../shell/hash-route.svelte.ts';
import { recordName, type Activity } from '../timeline/activity';

/** The page an activity in the feed leads to: what it is regarding, else its first resolved account or contact party. */
export function feedRecord(activity: Activity): { id: string; href: string; name: string } | null {
  const candidates = [activity.regarding, ...activity.parties.map((party) => party.record)];
  for (const record of candidates) {
    if (record?.__typename === 'Account') return { id: record.id, href: accountHref(record.id), name: recordName(record) };
    if (record?.__typename === 'Contact') return { id: record.id, href: contactHref(record.id), name: recordName(record) };
  }
  return null;
}
