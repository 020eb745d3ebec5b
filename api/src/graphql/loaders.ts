import type { DataSource } from 'typeorm';
import type { Principal } from '../access/principal';
import { createRoleLoaders, type RoleLoaders } from '../access/role-loaders';
import { createActivityLoaders, type ActivityLoaders, type BodyReader } from '../activities/activity-loaders';
import { createIdentityLoaders, type IdentityLoaders } from '../identity/identity-loaders';
import type { IdentityService } from '../identity/identity.service';
import { createMailboxLoaders, type MailboxLoaders } from '../mail/mailbox-loaders';
import type { MailboxService } from '../mail/mailbox.service';
import { createRecordLoaders, type RecordLoaders } from '../records/record-loaders';
import type { RecordStores } from '../records/record-writer';

/** Batched look-ups for field resolvers, one set per request; each domain owns its own. */
export interface Loaders extends IdentityLoaders, RoleLoaders, RecordLoaders, MailboxLoaders {
  readonly activity: ActivityLoaders;
}

export function createLoaders(
  db: DataSource,
  stores: RecordStores,
  identity: IdentityService,
  blobs: BodyReader,
  mailboxes: MailboxService,
  principal: Principal | undefined,
): Loaders {
  return {
    ...createIdentityLoaders(db, identity),
    ...createRoleLoaders(db),
    ...createRecordLoaders(db, stores, principal),
    ...createMailboxLoaders(db, mailboxes),
    activity: createActivityLoaders(db, blobs),
  };
}
