import type { DataSource, EntityManager } from 'typeorm';
import { withinDepth, depthOf, type Principal, type OwnedRow } from '../access/principal';
import { Privilege } from '../access/privileges';
import { checkSecuredFieldWrites } from '../access/secured-field';
import { RecordShare } from '../access/record-share.entity';
import { ApiError, forbidden, notFound } from '../common/errors';
import { toGlobalId } from '../common/global-id';
import { newId } from '../common/ids';
import { User } from '../identity/user.entity';
import type { Clock } from '../platform/clock';
import { CrmCase } from '../records/case.entity';
import { Contact } from './contact.entity';
import { EmailAddress } from './email-address.entity';
import { normalizeEmailList } from './email-addresses';
import { Opportunity } from './opportunity.entity';
import type { OwnedRecord } from './owned-record';
import { RECORD_ACCESS_ENTITY, RECORD_GLOBAL_TYPE, type RecordKind } from './record-kind';
import type { RecordStore } from './record-store';

/** A lookup column being set to another record: needs APPEND on this record and APPEND_TO on the target. */
export interface Reference {
  /** The input field, for error messages. */
  readonly field: string;
  readonly kind: RecordKind;
  readonly id: string;
}

export interface WriteOptions {
  /** Replaces the record's email addresses when given. */
  readonly emails?: readonly string[];
  readonly references?: readonly Reference[];
}

/** A record checked and ready to insert (RecordWriter.plan): its id is known before it exists. */
export interface PlannedRecord<T extends OwnedRecord> {
  readonly id: string;
  readonly kind: RecordKind;
  readonly row: OwnedRow;
  insert(em: EntityManager): Promise<T>;
}

export type RecordStores = { readonly [K in RecordKind]: RecordStore<OwnedRecord> };

/** Hears, inside the transaction, of every record made, changed, deleted or reassigned (once per owner concerned). */
export type RecordChanges = (em: EntityManager, change: { kind: RecordKind; id: string; ownerId: string; change: 'CREATED' | 'UPDATED' | 'REMOVED' }) => Promise<void>;

/** What deleting a record does to the records that point at it. */
const DEPENDENTS: Partial<Record<RecordKind, { entity: Function; column: string; action: 'restrict' | 'clear' }[]>> = {
  account: [
    { entity: Opportunity, column: 'customerAccountId', action: 'restrict' },
    { entity: CrmCase, column: 'customerAccountId', action: 'restrict' },
    { entity: Contact, column: 'accountId', action: 'clear' },
  ],
  contact: [
    { entity: Opportunity, column: 'customerContactId', action: 'restrict' },
    { entity: CrmCase, column: 'customerContactId', action: 'restrict' },
  ],
  lead: [{ entity: Contact, column: 'originatingLeadId', action: 'clear' }],
};

/**
 * Creates, changes, deletes, assigns and shares records under the caller's privileges.
 * Every write runs in one transaction, so a refused or failed mutation leaves nothing behind.
 */
export class RecordWriter {
  constructor(
    private readonly db: DataSource,
    private readonly stores: RecordStores,
    private readonly clock: Clock,
    /** Who else must hear of a change as it commits (the sync engine writes owners' contacts to Exchange). */
    private readonly recordChanged: RecordChanges = async () => undefined,
  ) {}

  /** The record if the caller may read it; NOT_FOUND otherwise, so unreadable and missing look the same. */
  async readable(principal: Principal, kind: RecordKind, id: string, field = 'id'): Promise<OwnedRecord> {
    const store = this.stores[kind];
    const [row] = await store.permitted(principal, await store.byIds([id]), Privilege.READ);
    if (!row) throw notFound(field, toGlobalId(RECORD_GLOBAL_TYPE[kind], id));
    return row;
  }

  /** Those of `rows` the caller holds `privilege` on (depth, and shares). */
  permitted<T extends OwnedRecord>(principal: Principal, kind: RecordKind, rows: readonly T[], privilege: Privilege): Promise<T[]> {
    return this.stores[kind].permitted(principal, rows, privilege) as Promise<T[]>;
  }

  async create<T extends OwnedRecord>(
    principal: Principal,
    kind: RecordKind,
    values: Partial<T>,
    ownerId: string | undefined,
    options: WriteOptions = {},
  ): Promise<T> {
    const planned = await this.plan<T>(principal, kind, values, ownerId, options);
    return this.db.transaction((em) => planned.insert(em));
  }

  /**
   * Checks that the caller may create the record (privileges, secured fields, the records it links
   * to, among them records `linksToPlanned` that are planned in the same transaction) and returns
   * its insert, for a caller that writes several records at once (lead qualification).
   */
  async plan<T extends OwnedRecord>(
    principal: Principal,
    kind: RecordKind,
    values: Partial<T>,
    ownerId: string | undefined,
    options: WriteOptions & { readonly linksToPlanned?: readonly PlannedRecord<OwnedRecord>[] } = {},
  ): Promise<PlannedRecord<T>> {
    checkSecuredFieldWrites(principal, RECORD_ACCESS_ENTITY[kind], values);
    const owner = await this.owner(ownerId ?? principal.userId, 'input.ownerId');
    const row: OwnedRow = { ownerId: owner.id, businessUnitId: owner.businessUnitId };
    const entity = RECORD_ACCESS_ENTITY[kind];
    if (!withinDepth(principal, depthOf(principal, entity, Privilege.CREATE), row)) {
      throw forbidden(`you may not create ${kind} records${ownerId ? ' for that owner' : ''}`);
    }
    if (owner.id !== principal.userId && !withinDepth(principal, depthOf(principal, entity, Privilege.ASSIGN), row)) {
      throw forbidden(`you may not create ${kind} records owned by someone else`);
    }
    const emails = options.emails ? normalizeEmailList('input.emails', options.emails) : [];
    await this.checkReferences(principal, kind, row, options.references ?? []);
    for (const target of options.linksToPlanned ?? []) {
      if (!withinDepth(principal, depthOf(principal, entity, Privilege.APPEND), row)) throw forbidden(`you may not link this ${kind} to other records`);
      if (!withinDepth(principal, depthOf(principal, RECORD_ACCESS_ENTITY[target.kind], Privilege.APPEND_TO), target.row)) {
        throw forbidden(`you may not link records to the new ${target.kind}`);
      }
    }
    const id = newId();
    const insert = async (em: EntityManager): Promise<T> => {
      const now = this.clock();
      const record = em.create(this.stores[kind].spec.entity, {
        ...values,
        id,
        // Stamped here, in milliseconds, rather than by the database (µs on MySQL, seconds on SQLite),
        // so a keyset cursor holds the exact stored value.
        createdAt: now,
        updatedAt: now,
        ownerId: owner.id,
        businessUnitId: owner.businessUnitId,
        createdById: principal.userId,
        modifiedById: principal.userId,
      } as T);
      await em.insert(this.stores[kind].spec.entity, record);
      // A new record has no addresses to replace: a DELETE here would take a gap lock on the
      // email_address index that parallel creations then deadlock on (InnoDB, UUIDv7 ids share the gap).
      await this.insertEmails(em, kind, id, emails);
      await this.recordChanged(em, { kind, id, ownerId: owner.id, change: 'CREATED' });
      return (await em.findOneByOrFail(this.stores[kind].spec.entity, { id } as never)) as T;
    };
    return { id, kind, row, insert };
  }

  /** The record if the caller may change it: NOT_FOUND when they may not read it, FORBIDDEN when only that. */
  async writable(principal: Principal, kind: RecordKind, id: string, field = 'id'): Promise<OwnedRecord> {
    const current = await this.readable(principal, kind, id, field);
    const [writable] = await this.stores[kind].permitted(principal, [current], Privilege.WRITE);
    if (!writable) throw forbidden(`you may read this ${kind} but not change it`);
    return current;
  }

  async update<T extends OwnedRecord>(principal: Principal, kind: RecordKind, id: string, patch: Partial<T>, options: WriteOptions = {}): Promise<T> {
    const current = await this.writable(principal, kind, id);
    checkSecuredFieldWrites(principal, RECORD_ACCESS_ENTITY[kind], patch);
    const emails = options.emails ? normalizeEmailList('input.emails', options.emails) : undefined;
    if (options.references?.length) {
      if (!withinDepth(principal, depthOf(principal, RECORD_ACCESS_ENTITY[kind], Privilege.APPEND), current)) {
        throw forbidden(`you may not link this ${kind} to other records`);
      }
      await this.checkReferences(principal, kind, current, options.references);
    }
    return this.db.transaction((em) => this.applyUpdate<T>(em, principal, kind, id, patch, emails));
  }

  /**
   * The change itself, in the caller's transaction, once `writable` and the field checks passed (the sync of a
   * mailbox's contacts changes them with its cursor). `emails` replaces the record's addresses, already normalized.
   */
  async applyUpdate<T extends OwnedRecord>(em: EntityManager, principal: Principal, kind: RecordKind, id: string, patch: Partial<T>, emails?: readonly string[]): Promise<T> {
    const entity = this.stores[kind].spec.entity;
    // An explicit time: TypeORM would otherwise write CURRENT_TIMESTAMP, which MySQL truncates to whole seconds.
    const changes = { ...patch, modifiedById: principal.userId, updatedAt: this.clock() } as Record<string, unknown>;
    await em.update(entity, { id }, changes as never);
    if (emails) await this.replaceEmails(em, kind, id, emails);
    const record = (await em.findOneByOrFail(entity, { id } as never)) as T;
    await this.recordChanged(em, { kind, id, ownerId: record.ownerId, change: 'UPDATED' });
    return record;
  }

  async remove(principal: Principal, kind: RecordKind, id: string): Promise<void> {
    const current = await this.readable(principal, kind, id);
    if (!withinDepth(principal, depthOf(principal, RECORD_ACCESS_ENTITY[kind], Privilege.DELETE), current)) {
      throw forbidden(`you may not delete this ${kind}`);
    }
    await this.db.transaction(async (em) => {
      for (const dependent of DEPENDENTS[kind] ?? []) {
        const where = { [dependent.column]: id };
        if (dependent.action === 'clear') {
          await em.update(dependent.entity, where, { [dependent.column]: null });
        } else if (await em.exists(dependent.entity, { where })) {
          throw new ApiError('CONFLICT', `opportunities or cases still have this ${kind} as their customer; change or delete them first`);
        }
      }
      await em.delete(EmailAddress, { recordKind: kind, recordId: id });
      await em.delete(RecordShare, { recordKind: kind, recordId: id });
      await em.delete(this.stores[kind].spec.entity, { id });
      await this.recordChanged(em, { kind, id, ownerId: current.ownerId, change: 'REMOVED' });
    });
  }

  /** Dynamics' assign: a new owner, and the record moves to the owner's business unit. */
  async assign(principal: Principal, kind: RecordKind, id: string, ownerId: string): Promise<OwnedRecord> {
    const current = await this.readable(principal, kind, id);
    if (!withinDepth(principal, depthOf(principal, RECORD_ACCESS_ENTITY[kind], Privilege.ASSIGN), current)) {
      throw forbidden(`you may not assign this ${kind}`);
    }
    const owner = await this.owner(ownerId);
    const entity = this.stores[kind].spec.entity;
    await this.db.transaction(async (em) => {
      await em.update(entity, { id } as never, { ownerId: owner.id, businessUnitId: owner.businessUnitId, modifiedById: principal.userId, updatedAt: this.clock() } as never);
      // Both owners hear of it: a contact leaves the former owner's Outlook and reaches the new owner's.
      for (const who of new Set([current.ownerId, owner.id])) await this.recordChanged(em, { kind, id, ownerId: who, change: 'UPDATED' });
    });
    return this.db.getRepository(entity).findOneByOrFail({ id } as never);
  }

  /** Grants one user read (and optionally write) access beyond their roles' depth. */
  async share(principal: Principal, kind: RecordKind, id: string, userId: string, canWrite: boolean): Promise<OwnedRecord> {
    const current = await this.readable(principal, kind, id);
    if (!withinDepth(principal, depthOf(principal, RECORD_ACCESS_ENTITY[kind], Privilege.SHARE), current)) {
      throw forbidden(`you may not share this ${kind}`);
    }
    if (canWrite && (await this.stores[kind].permitted(principal, [current], Privilege.WRITE)).length === 0) {
      throw forbidden('you may not grant write access you do not have');
    }
    const user = await this.owner(userId, 'userId');
    await this.db.transaction(async (em) => {
      await em.delete(RecordShare, { recordKind: kind, recordId: id, userId: user.id });
      await em.insert(RecordShare, { id: newId(), recordKind: kind, recordId: id, userId: user.id, canWrite, sharedById: principal.userId });
    });
    return current;
  }

  async unshare(principal: Principal, kind: RecordKind, id: string, userId: string): Promise<OwnedRecord> {
    const current = await this.readable(principal, kind, id);
    if (!withinDepth(principal, depthOf(principal, RECORD_ACCESS_ENTITY[kind], Privilege.SHARE), current)) {
      throw forbidden(`you may not change who this ${kind} is shared with`);
    }
    await this.db.getRepository(RecordShare).delete({ recordKind: kind, recordId: id, userId });
    return current;
  }

  private async owner(userId: string, field = 'ownerId'): Promise<User> {
    const user = await this.db.getRepository(User).findOneBy({ id: userId });
    if (!user || user.disabled) throw notFound(field, toGlobalId('User', userId));
    return user;
  }

  private async checkReferences(principal: Principal, kind: RecordKind, row: OwnedRow, references: readonly Reference[]): Promise<void> {
    if (references.length === 0) return;
    if (!withinDepth(principal, depthOf(principal, RECORD_ACCESS_ENTITY[kind], Privilege.APPEND), row)) {
      throw forbidden(`you may not link this ${kind} to other records`);
    }
    for (const ref of references) {
      const target = await this.readable(principal, ref.kind, ref.id, ref.field);
      if (!withinDepth(principal, depthOf(principal, RECORD_ACCESS_ENTITY[ref.kind], Privilege.APPEND_TO), target)) {
        throw new ApiError('FORBIDDEN', `${ref.field}: you may not link records to that ${ref.kind}`, ref.field);
      }
    }
  }

  private async replaceEmails(em: EntityManager, kind: RecordKind, recordId: string, emails: readonly string[]): Promise<void> {
    await em.delete(EmailAddress, { recordKind: kind, recordId });
    await this.insertEmails(em, kind, recordId, emails);
  }

  private async insertEmails(em: EntityManager, kind: RecordKind, recordId: string, emails: readonly string[]): Promise<void> {
    if (emails.length === 0) return;
    await em.insert(
      EmailAddress,
      emails.map((address, position) => ({ id: newId(), address, recordKind: kind, recordId, position })),
    );
  }
}
