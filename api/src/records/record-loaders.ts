import DataLoader from 'dataloader';
import { In, type DataSource } from 'typeorm';
import type { Principal } from '../access/principal';
import { Privilege } from '../access/privileges';
import { byKey } from '../common/loader-rows';
import { EmailAddress } from './email-address.entity';
import type { OwnedRecord } from './owned-record';
import type { RecordKind } from './record-kind';
import type { RecordStores } from './record-writer';

/** A request's batched look-ups of records: one statement per kind of look-up, whatever the page size. */
export interface RecordLoaders {
  /** Records the caller may read; undefined for missing and unreadable alike. */
  readonly readable: { readonly [K in RecordKind]: DataLoader<string, OwnedRecord | undefined> };
  /** `${kind}:${id}` → the record's addresses, primary first. */
  readonly emails: DataLoader<string, string[]>;
}

export function createRecordLoaders(db: DataSource, stores: RecordStores, principal: Principal | undefined): RecordLoaders {
  const readableLoader = (kind: RecordKind) =>
    new DataLoader<string, OwnedRecord | undefined>(async (ids) => {
      if (!principal) return ids.map(() => undefined);
      const store = stores[kind];
      return byKey(await store.permitted(principal, await store.byIds(ids), Privilege.READ), ids, (r) => r.id);
    });
  return {
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
  };
}
