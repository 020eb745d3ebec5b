import { In, type EntityManager } from 'typeorm';
import { badInput } from '../common/errors';
import type { LiveEventLog } from '../live/live-event-log';
import type { Clock } from '../platform/clock';
import { AlertSeverity } from './mail-enums';
import { MailboxAlert } from './mailbox-alert.entity';
import { recordAlert } from './mailbox-alerts';
import { ActFolder, type ActFolderResultInput } from './mailbox-sync.inputs';

// A folder that stays unreadable is said again after this long, not on every run (push mode runs every few seconds).
const REMIND_AFTER_MS = 6 * 3600_000;
const MAX_REASON = 500;

const LABEL: Readonly<Record<ActFolder, string>> = { [ActFolder.CALENDAR]: 'Calendar', [ActFolder.TASKS]: 'Tasks folder', [ActFolder.CONTACTS]: 'Contacts folder' };

/** The report's entries, checked: one per folder. */
export function checkActFolderResults(results: readonly ActFolderResultInput[] | null | undefined): readonly ActFolderResultInput[] {
  const seen = new Set<ActFolder>();
  for (const [i, result] of (results ?? []).entries()) {
    if (seen.has(result.folder)) throw badInput(`report.actFolders[${i}].folder`, 'each folder may be reported once');
    seen.add(result.folder);
  }
  return results ?? [];
}

/**
 * Alerts for the Exchange Calendar, Tasks and Contacts folders of a run: a WARNING when one could not be
 * synchronized (mail went on), again after six hours if it still cannot, and an INFORMATION line when it
 * synchronizes again. The alert log itself says what was last said of each folder.
 */
export async function recordActFolderResults(em: EntityManager, live: LiveEventLog, mailboxId: string, results: readonly ActFolderResultInput[], clock: Clock): Promise<void> {
  for (const result of results) {
    const failed = `${result.folder}_SYNC_FAILED`;
    const recovered = `${result.folder}_SYNC_RECOVERED`;
    const [last] = await em.find(MailboxAlert, { where: { mailboxId, code: In([failed, recovered]) }, order: { createdAt: 'DESC', id: 'DESC' }, take: 1, select: { code: true, createdAt: true } });
    const label = LABEL[result.folder];
    const reason = result.failure?.trim();
    if (reason) {
      const saidLately = last?.code === failed && clock().getTime() - last.createdAt.getTime() < REMIND_AFTER_MS;
      if (saidLately) continue;
      const why = reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 1)}…` : reason;
      await recordAlert(em, live, mailboxId, AlertSeverity.WARNING, failed, `The Exchange ${label} could not be synchronized: ${why} Mail keeps syncing, and the ${label} is tried again on the next run.`, clock);
    } else if (last?.code === failed) {
      await recordAlert(em, live, mailboxId, AlertSeverity.INFORMATION, recovered, `The Exchange ${label} synchronizes again.`, clock);
    }
  }
}
