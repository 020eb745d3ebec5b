import { Not, type EntityManager } from 'typeorm';
import { badInput } from '../common/errors';
import { EmailServerProfile } from './email-server-profile.entity';
import { FolderTrackingRule } from './folder-tracking-rule.entity';
import { EmailServerKind } from './mail-enums';
import { MailboxServerFolder } from './mailbox-server-folder.entity';
import type { Mailbox } from './mailbox.entity';

/** Dynamics' folder-level tracking on Exchange: at most 25 folders per mailbox. */
export const MAX_EXCHANGE_FOLDER_RULES = 25;

/**
 * Exchange's folder tracking as Dynamics allows it: at most 25 rules, each on a folder below the Inbox. A folder the
 * last report did not list is let through (it may be new since), and the engine marks it missing if it is not there.
 * Returns the folder's server id when the last report knew it, so the rule follows the folder from the start.
 */
export async function checkFolderRule(em: EntityManager, mailbox: Pick<Mailbox, 'id' | 'profileId'>, folder: string): Promise<string | null> {
  const listed = await em.findOneBy(MailboxServerFolder, { mailboxId: mailbox.id, path: folder });
  const profile = mailbox.profileId ? await em.findOneBy(EmailServerProfile, { id: mailbox.profileId }) : null;
  if (profile?.kind !== EmailServerKind.EXCHANGE_EWS) return listed?.folderId ?? null;
  if (listed && !listed.underInbox) throw badInput('input.folder', 'Exchange folder tracking takes folders below the Inbox only', { reason: 'NOT_UNDER_INBOX' });
  const others = await em.countBy(FolderTrackingRule, { mailboxId: mailbox.id, folder: Not(folder) });
  if (others >= MAX_EXCHANGE_FOLDER_RULES) throw badInput('input.folder', `an Exchange mailbox tracks at most ${MAX_EXCHANGE_FOLDER_RULES} folders; remove a rule first`, { reason: 'TOO_MANY', max: MAX_EXCHANGE_FOLDER_RULES });
  return listed?.folderId ?? null;
}
