import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import type { Principal } from '../access/principal';
import { createActivityLoaders, type ActivityLoaders, type BodyReader } from '../activities/activity-loaders';
import { Privilege } from '../access/privileges';
import { RoleFieldPermission, RolePrivilege, type SecurityRole } from '../access/security-role.entity';
import { BusinessUnit } from '../identity/business-unit.entity';
import { EmailServerProfile } from '../mail/email-server-profile.entity';
import type { FolderTrackingRule } from '../mail/folder-tracking-rule.entity';
import type { MailboxAlert } from '../mail/mailbox-alert.entity';
import { latestAlerts, latestQuarantined } from '../mail/mailbox-log';
import type { QuarantinedMessage } from '../mail/quarantined-message.entity';
import type { MailboxService } from '../mail/mailbox.service';
import type { IdentityService } from '../identity/identity.service';
import { User } from '../identity/user.entity';
import { EmailAddress } from '../records/email-address.entity';
import type { OwnedRecord } from '../records/owned-record';
import type { RecordKind } from '../records/record-kind';
import type { RecordStores } from '../records/record-writer';

/** Batched look-ups for field resolvers: one statement per kind of look-up per request, whatever the page size. */
export interface Loaders {
  readonly users: DataLoader<string, User | undefined>;
  readonly units: DataLoader<string, BusinessUnit | undefined>;
  /** Records the caller may read; undefined for missing and unreadable alike. */
  readonly readable: { readonly [K in RecordKind]: DataLoader<string, OwnedRecord | undefined> };
  /** `${kind}:${id}` → the record's addresses, primary first. */
  readonly emails: DataLoader<string, string[]>;
  /** user id → the user's security roles. */
  readonly roles: DataLoader<string, SecurityRole[]>;
  /** role id → its privileges / its field permissions. */
  readonly rolePrivileges: DataLoader<string, RolePrivilege[]>;
  readonly roleFieldPermissions: DataLoader<string, RoleFieldPermission[]>;
  readonly activity: ActivityLoaders;
  /** mailbox id → its tracking decisions by outcome and reason / its folder rules. */
  readonly mailboxTrackingCounts: DataLoader<string, { outcome: string; reason: string | null; count: number }[]>;
  readonly folderRules: DataLoader<string, FolderTrackingRule[]>;
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

function groupByRole<T extends { roleId: string }>(rows: readonly T[], roleIds: readonly string[]): T[][] {
  return roleIds.map((id) => rows.filter((r) => r.roleId === id));
}

function byId<T extends { id: string }>(rows: readonly T[], ids: readonly string[]): (T | undefined)[] {
  const map = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => map.get(id));
}

export function createLoaders(
  db: DataSource,
  stores: RecordStores,
  identity: IdentityService,
  blobs: BodyReader,
  mailboxes: MailboxService,
  principal: Principal | undefined,
): Loaders {
  const readableLoader = (kind: RecordKind) =>
    new DataLoader<string, OwnedRecord | undefined>(async (ids) => {
      if (!principal) return ids.map(() => undefined);
      const store = stores[kind];
      return byId(await store.permitted(principal, await store.byIds(ids), Privilege.READ), ids);
    });
  return {
    activity: createActivityLoaders(db, blobs),
    mailboxTrackingCounts: new DataLoader(async (ids) => {
      const counts = await mailboxes.trackingCounts(ids);
      return ids.map((id) => counts.get(id) ?? []);
    }),
    folderRules: new DataLoader(async (ids) => {
      const rules = await mailboxes.folderRules(ids);
      return ids.map((id) => rules.get(id) ?? []);
    }),
    emailServerProfiles: new DataLoader(async (ids) => byId(await db.getRepository(EmailServerProfile).findBy({ id: In([...ids]) }), ids)),
    mailboxAlerts: perArgument((first) => new DataLoader(async (ids) => {
      const alerts = await latestAlerts(db, ids, first);
      return ids.map((id) => alerts.get(id) ?? []);
    })),
    quarantinedMessages: perArgument((first) => new DataLoader(async (ids) => {
      const messages = await latestQuarantined(db, ids, first);
      return ids.map((id) => messages.get(id) ?? []);
    })),
    users: new DataLoader(async (ids) => byId(await db.getRepository(User).findBy({ id: In([...ids]) }), ids)),
    units: new DataLoader(async (ids) => byId(await db.getRepository(BusinessUnit).findBy({ id: In([...ids]) }), ids)),
    readable: {
      account: readableLoader('account'),
      contact: readableLoader('contact'),
      lead: readableLoader('lead'),
      opportunity: readableLoader('opportunity'),
      case: readableLoader('case'),
    },
    emails: new DataLoader(async (keys) => {
      const byKind = new Map<string, string[]>();
      for (const key of keys) {
        const [kind, id] = key.split(':');
        byKind.set(kind, [...(byKind.get(kind) ?? []), id]);
      }
      const found = new Map<string, string[]>();
      for (const [kind, ids] of byKind) {
        const rows = await db.getRepository(EmailAddress).find({
          where: { recordKind: kind as RecordKind, recordId: In(ids) },
          order: { position: 'ASC' },
        });
        for (const row of rows) found.set(`${kind}:${row.recordId}`, [...(found.get(`${kind}:${row.recordId}`) ?? []), row.address]);
      }
      return keys.map((key) => found.get(key) ?? []);
    }),
    roles: new DataLoader(async (userIds) => {
      const roles = await identity.rolesOf(userIds);
      return userIds.map((id) => roles.get(id) ?? []);
    }),
    rolePrivileges: new DataLoader(async (roleIds) =>
      groupByRole(await db.getRepository(RolePrivilege).find({ where: { roleId: In([...roleIds]) }, order: { entity: 'ASC', privilege: 'ASC' } }), roleIds),
    ),
    roleFieldPermissions: new DataLoader(async (roleIds) =>
      groupByRole(await db.getRepository(RoleFieldPermission).find({ where: { roleId: In([...roleIds]) }, order: { entity: 'ASC', field: 'ASC' } }), roleIds),
    ),
  };
}
