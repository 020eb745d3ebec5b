import type { EntityManager } from 'typeorm';
import { badInput } from '../common/errors';
import { insertChunked } from '../db/insert-chunked';
import type { LiveEventLog } from '../live/live-event-log';
import type { Clock } from '../platform/clock';
import { followFolders, type RuleChange } from './folder-rule-following';
import { FolderTrackingRule, SERVER_FOLDER_ID_LENGTH } from './folder-tracking-rule.entity';
import { AlertSeverity } from './mail-enums';
import { recordAlert } from './mailbox-alerts';
import { MailboxServerFolder } from './mailbox-server-folder.entity';
import { MAX_FOLDER_PATH, MAX_SERVER_FOLDERS } from './mailbox-sync.inputs';

/** One folder of a report, as reportMailboxFolders received it (paths only for IMAP). */
export interface FolderReportEntry {
  readonly path: string;
  readonly folderId: string | null;
  readonly underInbox: boolean;
}

/** Both report shapes as one list, checked: the field named in an error is the one the caller sent. */
export function folderReportEntries(folders: readonly string[] | null | undefined, serverFolders: readonly { path: string; folderId?: string | null; underInbox?: boolean }[] | null | undefined): FolderReportEntry[] {
  if ((folders == null) === (serverFolders == null)) throw badInput(folders == null ? 'folders' : 'serverFolders', 'give either folders or serverFolders', { reason: 'REQUIRED' });
  const field = folders != null ? 'folders' : 'serverFolders';
  const entries: FolderReportEntry[] = folders != null ? folders.map((path) => ({ path, folderId: null, underInbox: false })) : serverFolders!.map((f) => ({ path: f.path, folderId: f.folderId ?? null, underInbox: f.underInbox ?? false }));
  if (entries.length > MAX_SERVER_FOLDERS) throw badInput(field, `must have at most ${MAX_SERVER_FOLDERS} items`, { reason: 'TOO_MANY', max: MAX_SERVER_FOLDERS });
  entries.forEach((entry, i) => {
    const at = folders != null ? `folders[${i}]` : `serverFolders[${i}].path`;
    if (entry.path.trim() === '') throw badInput(at, 'must not be empty', { reason: 'REQUIRED' });
    if (entry.path.length > MAX_FOLDER_PATH) throw badInput(at, `must be at most ${MAX_FOLDER_PATH} characters`, { reason: 'TOO_LONG', max: MAX_FOLDER_PATH });
    if (entry.folderId !== null) {
      const idAt = `serverFolders[${i}].folderId`;
      if (entry.folderId.trim() === '') throw badInput(idAt, 'must not be empty', { reason: 'REQUIRED' });
      if (entry.folderId.length > SERVER_FOLDER_ID_LENGTH) throw badInput(idAt, `must be at most ${SERVER_FOLDER_ID_LENGTH} characters`, { reason: 'TOO_LONG', max: SERVER_FOLDER_ID_LENGTH });
    }
  });
  return entries;
}

/**
 * The listed folders a folder tracking rule may name. Exchange (whose reports carry folder ids) tracks only below the
 * Inbox, as Dynamics does; a tracked folder deleted in Outlook then sits in Deleted Items with its id, and must not
 * take its rule along. IMAP may track any folder.
 */
export function trackableFolders<T extends Pick<FolderReportEntry, 'folderId' | 'underInbox'>>(listed: readonly T[]): T[] {
  return listed.some((entry) => entry.folderId !== null) ? listed.filter((entry) => entry.underInbox) : [...listed];
}

/**
 * Replaces the mailbox's folder list, inside the caller's transaction (which holds the mailbox's row lock), and
 * lets its folder tracking rules follow: a rule goes with its renamed or moved folder, and a rule whose folder is
 * gone is marked missing with a warning in the alert log (once, until the folder is back). Returns whether any
 * rule changed.
 */
export async function storeFolderReport(em: EntityManager, live: LiveEventLog, clock: Clock, mailboxId: string, entries: readonly FolderReportEntry[]): Promise<boolean> {
  // An exact repeat is listed once; IMAP names are case-sensitive (RFC 3501 5.1), so "Åre" and "åre" both stay.
  const seen = new Set<string>();
  const unique = entries.filter((entry) => !seen.has(entry.path) && seen.add(entry.path));
  await em.delete(MailboxServerFolder, { mailboxId });
  await insertChunked(em, MailboxServerFolder, unique.map((entry, position) => ({ mailboxId, position, path: entry.path, folderId: entry.folderId, underInbox: entry.underInbox })));
  const rules = await em.find(FolderTrackingRule, { where: { mailboxId }, order: { folder: 'ASC' } });
  const changes = followFolders(rules, trackableFolders(unique), unique.length < MAX_SERVER_FOLDERS);
  for (const change of changes) await applyRuleChange(em, live, clock, mailboxId, change);
  return changes.some((change) => change.kind !== 'ID_LEARNED');
}

async function applyRuleChange(em: EntityManager, live: LiveEventLog, clock: Clock, mailboxId: string, change: RuleChange): Promise<void> {
  switch (change.kind) {
    case 'ID_LEARNED':
      await em.update(FolderTrackingRule, { id: change.ruleId }, { folderId: change.folderId });
      return;
    case 'RENAMED':
      await em.update(FolderTrackingRule, { id: change.ruleId }, { folder: change.to, missingSince: null });
      await recordAlert(em, live, mailboxId, AlertSeverity.INFORMATION, 'FOLDER_RULE_FOLLOWED', `The folder "${change.from}" is now "${change.to}" on the server; its folder tracking rule follows it.`, clock);
      return;
    case 'MISSING':
      await em.update(FolderTrackingRule, { id: change.ruleId }, { missingSince: clock() });
      await recordAlert(em, live, mailboxId, AlertSeverity.WARNING, 'FOLDER_RULE_MISSING', `The folder "${change.folder}" of a folder tracking rule is no longer on the server (on Exchange: no longer below the Inbox), so mail filed there is not tracked. Choose another folder for the rule or remove it.`, clock);
      return;
    case 'BACK':
      await em.update(FolderTrackingRule, { id: change.ruleId }, { missingSince: null });
      await recordAlert(em, live, mailboxId, AlertSeverity.INFORMATION, 'FOLDER_RULE_FOUND', `The folder "${change.folder}" of a folder tracking rule is on the server again; mail filed there is tracked.`, clock);
      return;
  }
}
