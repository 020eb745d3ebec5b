import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import type { Principal } from '../access/principal';
import { Privilege } from '../access/privileges';
import { byKey, grouped } from '../common/loader-rows';
import { RecordShare } from '../access/record-share.entity';
import { ContactSyncConflict } from './contact-sync-conflict.entity';
import { EmailAddress } from './email-address.entity';
import type { OwnedRecord } from './owned-record';
import type { RecordKind } from './record-kind';
import type { RecordStores } from './record-writer';

/** A request's batched look-ups of records: one statement per kind of look-up, whatever the page size. */
export interface RecordLoaders {
  /** Records the caller may read; undefined for missing and unreadable alike. */
  readonly readable: { readonly [K in RecordKind]: DataLoader<string, OwnedRecord | undefined> };
  /** Whether the caller may change the record (roles' depth or a share with write): one share look-up per kind per request. */
  readonly writable: { readonly [K in RecordKind]: DataLoader<OwnedRecord, boolean> };
  /** `${kind}:${id}` → the record's addresses, primary first. */
  readonly emails: DataLoader<string, string[]>;
  /** `${kind}:${id}` → the record's shares, oldest first. The caller's right to see them is checked by the field. */
  readonly shares: DataLoader<string, RecordShare[]>;
  /** contact id → the versions that lost a sync conflict with Outlook, newest first. The caller's right to see them is checked by the field. */
  readonly contactSyncConflicts: DataLoader<string, ContactSyncConflict[]>;
}

/** Groups `${kind}:${id}` keys by kind, so each kind is read in one statement. */
function idsByKind(keys: readonly string[]): Map<RecordKind, string[]> {
  const byKind = new Map<RecordKind, string[]>();
  for (const key of keys) {
    const [kind, id] = key.split(':') as [RecordKind, string];
    byKind.set(kind, [...(byKind.get(kind) ?? []), id]);
  }
  return byKind;
}

export function createRecordLoaders(db: DataSource, stores: RecordStores, principal: Principal | undefined): RecordLoaders {
  const readableLoader = (kind: RecordKind) =>
    new DataLoader<string, OwnedRecord | undefined>(async (ids) => {
      if (!principal) return ids.map(() => undefined);
      const store = stores[kind];
      return byKey(await store.permitted(principal, await store.byIds(ids), Privilege.READ), ids, (r) => r.id);
    });
  const writableLoader = (kind: RecordKind) =>
    new DataLoader<OwnedRecord, boolean, string>(
      async (rows) => {
        if (!principal) return rows.map(() => false);
        const writable = new Set((await stores[kind].permitted(principal, rows, Privilege.WRITE)).map((r) => r.id));
        return rows.map((r) => writable.has(r.id));
      },
      { cacheKeyFn: (row) => row.id },
    );
  return {
    readable: {
      account: readableLoader('account'),
      contact: readableLoader('contact'),
      lead: readableLoader('lead'),
      opportunity: readableLoader('opportunity'),
      case: readableLoader('case'),
    },
    writable: {
      account: writableLoader('account'),
      contact: writableLoader('contact'),
      lead: writableLoader('lead'),
      opportunity: writableLoader('opportunity'),
      case: writableLoader('case'),
    },
    emails: new DataLoader(async (keys) => {
      const found = new Map<string, string[]>();
      for (const [kind, ids] of idsByKind(keys)) {
        const rows = await db.getRepository(EmailAddress).find({
          where: { recordKind: kind, recordId: In(ids) },
          order: { position: 'ASC' },
        });
        for (const row of rows) found.set(`${kind}:${row.recordId}`, [...(found.get(`${kind}:${row.recordId}`) ?? []), row.address]);
      }
      return keys.map((key) => found.get(key) ?? []);
    }),
    contactSyncConflicts: new DataLoader(async (ids) =>
      grouped(await db.getRepository(ContactSyncConflict).find({ where: { contactId: In([...ids]) }, order: { occurredAt: 'DESC' } }), ids, (r) => r.contactId),
    ),
    shares: new DataLoader(async (keys) => {
      const found = new Map<string, RecordShare[]>();
      for (const [kind, ids] of idsByKind(keys)) {
        const rows = await db.getRepository(RecordShare).find({ where: { recordKind: kind, recordId: In(ids) }, order: { createdAt: 'ASC', id: 'ASC' } });
        for (const row of rows) found.set(`${kind}:${row.recordId}`, [...(found.get(`${kind}:${row.recordId}`) ?? []), row]);
      }
      return keys.map((key) => found.get(key) ?? []);
    }),
  };
}
