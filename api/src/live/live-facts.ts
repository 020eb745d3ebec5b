import type { DataSource } from 'typeorm';
import type { Principal } from '../access/principal';
import { Activity } from '../activities/activity.entity';
import { EmailMessage } from '../activities/email-message.entity';
import { Mailbox } from '../mail/mailbox.entity';
import type { RecordKind } from '../records/record-kind';
import type { RecordStores } from '../records/record-writer';
import { Privilege } from '../access/privileges';
import type { LiveEvent } from './live-event.entity';

/**
 * What deliveries of one event need from the database, read once per event object (the tail hands
 * the same object to every subscription of the process) and, for access, once per distinct
 * visibility rather than once per subscriber.
 */
export class LiveFacts {
  private readonly perEvent = new WeakMap<LiveEvent, EventFacts>();

  constructor(
    private readonly db: DataSource,
    private readonly stores: RecordStores,
  ) {}

  of(event: LiveEvent): EventFacts {
    let facts = this.perEvent.get(event);
    if (!facts) this.perEvent.set(event, (facts = new EventFacts(this.db, this.stores, event)));
    return facts;
  }
}

export class EventFacts {
  private activityRow?: Promise<Activity | null>;
  private emailRow?: Promise<EmailMessage | null>;
  private mailboxRow?: Promise<Mailbox | null>;
  private readonly readable = new Map<string, Promise<boolean>>();

  constructor(
    private readonly db: DataSource,
    private readonly stores: RecordStores,
    private readonly event: LiveEvent,
  ) {}

  /** The activity as it is now (null once deleted). */
  activity(): Promise<Activity | null> {
    return (this.activityRow ??= this.event.activityId ? this.db.getRepository(Activity).findOneBy({ id: this.event.activityId }) : Promise.resolve(null));
  }

  email(): Promise<EmailMessage | null> {
    return (this.emailRow ??= this.event.activityId
      ? this.db.getRepository(EmailMessage).findOne({ where: { activityId: this.event.activityId }, select: { activityId: true, status: true } })
      : Promise.resolve(null));
  }

  mailbox(): Promise<Mailbox | null> {
    return (this.mailboxRow ??= this.event.mailboxId ? this.db.getRepository(Mailbox).findOneBy({ id: this.event.mailboxId }) : Promise.resolve(null));
  }

  /** Whether any of these records ("kind:id") is readable under a visibility (visibilityKey of the principal). */
  anyReadable(principal: Principal, visibility: string, records: readonly string[]): Promise<boolean> {
    const key = `${visibility}|${records.join(',')}`;
    let answer = this.readable.get(key);
    if (!answer) this.readable.set(key, (answer = anyRecordReadable(this.db, this.stores, principal, records)));
    return answer;
  }
}

/** One statement per kind among the records, scoped by the principal's read access. */
export async function anyRecordReadable(db: DataSource, stores: RecordStores, principal: Principal, records: readonly string[]): Promise<boolean> {
  const byKind = new Map<RecordKind, string[]>();
  for (const r of records) {
    const [kind, id] = r.split(':') as [RecordKind, string];
    if (stores[kind]) byKind.set(kind, [...(byKind.get(kind) ?? []), id]);
  }
  for (const [kind, ids] of byKind) {
    const store = stores[kind];
    const qb = db.getRepository(store.spec.entity).createQueryBuilder('r').select('r.id').where('r.id IN (:...liveIds)', { liveIds: ids });
    store.applyScope(qb, principal, Privilege.READ);
    if (await qb.getOne()) return true;
  }
  return false;
}
