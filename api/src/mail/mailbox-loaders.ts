import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import { byKey } from '../common/loader-rows';
import { EmailServerProfile } from './email-server-profile.entity';
import type { FolderTrackingRule } from './folder-tracking-rule.entity';
import type { MailboxAlert } from './mailbox-alert.entity';
import { trackableFolders } from './mailbox-folder-report';
import { MailboxServerFolder } from './mailbox-server-folder.entity';
import { latestAlerts, latestQuarantined } from './mailbox-log';
import type { MailboxService } from './mailbox.service';
import type { QuarantinedMessage } from './quarantined-message.entity';

/** A request's batched look-ups of what a mailbox page shows. */
export interface MailboxLoaders {
  /** mailbox id → its tracking decisions by outcome and reason / its folder rules. */
  readonly mailboxTrackingCounts: DataLoader<string, { outcome: string; reason: string | null; count: number }[]>;
  readonly folderRules: DataLoader<string, FolderTrackingRule[]>;
  /** mailbox id → the folder paths its server listed, in the server's order. */
  readonly serverFolders: DataLoader<string, string[]>;
  /** profile id → the email server profile (with its secret column: field resolvers show it through profileView only). */
  readonly emailServerProfiles: DataLoader<string, EmailServerProfile | undefined>;
  /** `first` → (mailbox id → its newest alerts / quarantined messages); one loader per page size asked for. */
  mailboxAlerts(first: number): DataLoader<string, MailboxAlert[]>;
  quarantinedMessages(first: number): DataLoader<string, QuarantinedMessage[]>;
}

/** One DataLoader per distinct argument value, created on first use. */
function perArgument<V>(create: (first: number) => DataLoader<string, V>): (first: number) => DataLoader<string, V> {
  const loaders = new Map<number, DataLoader<string, V>>();
  return (first) => {
    let loader = loaders.get(first);
    if (!loader) loaders.set(first, (loader = create(first)));
    return loader;
  };
}

export function createMailboxLoaders(db: DataSource, mailboxes: MailboxService): MailboxLoaders {
  return {
    mailboxTrackingCounts: new DataLoader(async (ids) => {
      const counts = await mailboxes.trackingCounts(ids);
      return ids.map((id) => counts.get(id) ?? []);
    }),
    folderRules: new DataLoader(async (ids) => {
      const rules = await mailboxes.folderRules(ids);
      return ids.map((id) => rules.get(id) ?? []);
    }),
    serverFolders: new DataLoader(async (ids) => {
      const rows = await db.getRepository(MailboxServerFolder).find({ where: { mailboxId: In([...ids]) }, order: { mailboxId: 'ASC', position: 'ASC' } });
      const byMailbox = new Map<string, MailboxServerFolder[]>();
      for (const row of rows) byMailbox.set(row.mailboxId, [...(byMailbox.get(row.mailboxId) ?? []), row]);
      return ids.map((id) => trackableFolders(byMailbox.get(id) ?? []).map((row) => row.path));
    }),
    emailServerProfiles: new DataLoader(async (ids) => byKey(await db.getRepository(EmailServerProfile).findBy({ id: In([...ids]) }), ids, (r) => r.id)),
    mailboxAlerts: perArgument((first) => new DataLoader(async (ids) => {
      const alerts = await latestAlerts(db, ids, first);
      return ids.map((id) => alerts.get(id) ?? []);
    })),
    quarantinedMessages: perArgument((first) => new DataLoader(async (ids) => {
      const messages = await latestQuarantined(db, ids, first);
      return ids.map((id) => messages.get(id) ?? []);
    })),
  };
}
