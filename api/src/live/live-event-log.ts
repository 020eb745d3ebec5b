import type { DataSource, EntityManager, QueryRunner } from 'typeorm';
import { In } from 'typeorm';
import { Activity } from '../activities/activity.entity';
import { TimelineEntry } from '../activities/timeline-entry.entity';
import { insertChunked } from '../db/insert-chunked';
import { Mailbox } from '../mail/mailbox.entity';
import { CrmCase } from '../records/case.entity';
import { Contact } from '../records/contact.entity';
import { Opportunity } from '../records/opportunity.entity';
import { LiveEvent, LiveEventSequence } from './live-event.entity';

export type ActivityChange = 'TRACKED' | 'CREATED' | 'UPDATED' | 'REMOVED';
export type MailboxChange = 'STATE' | 'CONFIGURATION' | 'TEST' | 'ALERT' | 'PROGRESS';
export type ContactChange = 'CREATED' | 'UPDATED' | 'REMOVED';

/** A change staged inside a transaction; it is written just before that transaction commits. */
export type StagedChange =
  | { readonly topic: 'ACTIVITY'; readonly activityId: string; readonly change: ActivityChange }
  | { readonly topic: 'MAILBOX'; readonly mailboxId: string; readonly change: MailboxChange }
  /** A contact changed for one owner (the sync engine writes owners' contacts to Exchange): on assignment, the former owner and the new one. */
  | { readonly topic: 'CONTACT'; readonly contactId: string; readonly ownerId: string; readonly change: ContactChange };

interface Staged {
  readonly change: StagedChange;
  /** ACTIVITY: the records whose timelines showed it when the change was staged. */
  readonly before: readonly string[];
  /** ACTIVITY: its kind, owner and unit when staged, for an activity the transaction then deletes. */
  readonly snapshot?: Pick<Activity, 'kind' | 'ownerId' | 'businessUnitId'>;
}

/** Where the staged changes of a transaction wait, on its query runner (TypeORM keeps `data` per runner). */
const STAGED = 'liveEventsStaged';
const stagedOn = (runner: QueryRunner): Staged[] => ((runner.data as Record<string, Staged[] | undefined>)[STAGED] ??= []);

export const recordKey = (kind: string, id: string) => `${kind}:${id}`;

/** The SQL comment on the tail's reads of the log. */
export const BACKGROUND_READ = 'live-tail';

/**
 * The live event outbox. Writers `stage` changes inside their transaction; the rows are written by
 * the commit hook (live-commit-hooks.ts) as the transaction's last statements, after locking the one
 * sequence row, so on MariaDB the ids (the cursors) become visible strictly in increasing order: a
 * reader that sees event N has seen every event before it. SQLite has one writer, so the same holds.
 */
export class LiveEventLog {
  constructor(private readonly db: DataSource) {}

  /**
   * Records that this transaction changes an activity or a mailbox. Outside a transaction (a single
   * statement already committed) the event is written at once in a transaction of its own.
   */
  async stage(em: EntityManager, change: StagedChange): Promise<void> {
    await this.stageMany(em, [change]);
  }

  /** Several changes of one transaction, read in two statements whatever their number. */
  async stageMany(em: EntityManager, changes: readonly StagedChange[]): Promise<void> {
    if (changes.length === 0) return;
    const runner = em.queryRunner;
    if (!runner || !runner.isTransactionActive) {
      await this.db.transaction((inner) => this.stageMany(inner, changes));
      return;
    }
    // An activity this transaction creates was on no timeline before it: only changes to existing ones are read.
    const activityIds = changes.flatMap((c) => (c.topic === 'ACTIVITY' && (c.change === 'UPDATED' || c.change === 'REMOVED') ? [c.activityId] : []));
    const before = await timelineRecords(em, activityIds);
    const snapshots = new Map(
      activityIds.length
        ? (await em.getRepository(Activity).find({ where: { id: In([...new Set(activityIds)]) }, select: { id: true, kind: true, ownerId: true, businessUnitId: true } })).map((a) => [a.id, a])
        : [],
    );
    const staged = stagedOn(runner);
    for (const change of changes) {
      if (change.topic === 'MAILBOX') stageMailbox(staged, change);
      else if (change.topic === 'CONTACT') stageContact(staged, change);
      else staged.push({ change, before: before.get(change.activityId) ?? [], snapshot: snapshots.get(change.activityId) });
    }
  }

  /** Whether a runner's transaction staged events (read by the commit hook). */
  static hasStaged(runner: QueryRunner): boolean {
    return ((runner.data as Record<string, Staged[] | undefined>)[STAGED]?.length ?? 0) > 0;
  }

  static discard(runner: QueryRunner): void {
    delete (runner.data as Record<string, unknown>)[STAGED];
  }

  /** Writes a transaction's staged events: called by the commit hook right before COMMIT. */
  static async flush(runner: QueryRunner, now: Date): Promise<void> {
    const staged = stagedOn(runner);
    LiveEventLog.discard(runner);
    if (staged.length === 0) return;
    const em = runner.manager;
    const rows = await eventRows(em, staged, now);
    // The UPDATE locks the sequence row until COMMIT: the next writer takes its ids only once this
    // transaction is visible, so ids become visible in increasing order.
    await em.createQueryBuilder().update(LiveEventSequence).set({ lastId: () => `lastId + ${rows.length}` }).where('id = 1').execute();
    const sequence = await em.getRepository(LiveEventSequence).findOneByOrFail({ id: 1 });
    const first = Number(sequence.lastId) - rows.length + 1;
    // Chunked: a profile change stages one event per mailbox of the profile, more rows than one INSERT may bind.
    await insertChunked(em, LiveEvent, rows.map((row, i) => ({ ...row, id: String(first + i) })));
  }

  /** Events after `afterId`, oldest first. `background` marks the tail's own reads, which no request makes (db/query-counter.ts leaves them out). */
  async read(afterId: number, limit: number, background = false): Promise<LiveEvent[]> {
    const qb = this.db.getRepository(LiveEvent).createQueryBuilder('e').where('e.id > :afterId', { afterId }).orderBy('e.id', 'ASC').limit(limit);
    if (background) qb.comment(BACKGROUND_READ);
    return qb.getMany();
  }

  /**
   * The newest committed event's id (0 when there never was one), pruned or not: the sequence row's
   * last id, as committed (its writer holds the row until COMMIT).
   */
  async newestId(): Promise<number> {
    const row = await this.db.getRepository(LiveEventSequence).findOneBy({ id: 1 });
    return Number(row?.lastId ?? 0);
  }

  /** The ids a cursor may name: those after `prunedThrough` (older were pruned) up to `newest` (later were never given out). */
  async replayable(): Promise<{ prunedThrough: number; newest: number }> {
    const row = await this.db.getRepository(LiveEventSequence).findOneBy({ id: 1 });
    return { prunedThrough: Number(row?.prunedThrough ?? 0), newest: Number(row?.lastId ?? 0) };
  }

  /** Removes events older than `before`, oldest first, and remembers how far it went. */
  async prune(before: Date, batch = 5_000): Promise<number> {
    const repo = this.db.getRepository(LiveEvent);
    let removed = 0;
    for (;;) {
      const old = await repo
        .createQueryBuilder('e')
        .select('e.id', 'id')
        .where('e.createdAt < :before', { before })
        .orderBy('e.id', 'ASC')
        .limit(batch)
        .getRawMany<{ id: string | number }>();
      if (old.length === 0) return removed;
      const last = Number(old[old.length - 1].id);
      await this.db.transaction(async (em) => {
        await em.createQueryBuilder().update(LiveEventSequence).set({ prunedThrough: String(last) }).where('id = 1 AND prunedThrough < :last', { last }).execute();
        await em.createQueryBuilder().delete().from(LiveEvent).where('id <= :last', { last }).execute();
      });
      removed += old.length;
      if (old.length < batch) return removed;
    }
  }
}

/**
 * One MAILBOX event per mailbox per transaction: subscribers re-read the mailbox once, whatever else
 * the transaction did to it. The first change named wins, except that an ALERT (the alert line most
 * actions write beside their change) yields to the change it came with.
 */
function stageMailbox(staged: Staged[], change: Extract<StagedChange, { topic: 'MAILBOX' }>): void {
  const earlier = staged.findIndex((s) => s.change.topic === 'MAILBOX' && s.change.mailboxId === change.mailboxId);
  if (earlier < 0) staged.push({ change, before: [] });
  else if (staged[earlier].change.change === 'ALERT' && change.change !== 'ALERT') staged[earlier] = { change, before: [] };
}

/** One CONTACT event per contact and owner per transaction; the first change named wins. */
function stageContact(staged: Staged[], change: Extract<StagedChange, { topic: 'CONTACT' }>): void {
  const seen = staged.some((s) => s.change.topic === 'CONTACT' && s.change.contactId === change.contactId && s.change.ownerId === change.ownerId);
  if (!seen) staged.push({ change, before: [] });
}

/** activityId → the records ("kind:id") whose timelines show it. */
async function timelineRecords(em: EntityManager, activityIds: readonly string[]): Promise<Map<string, string[]>> {
  const byActivity = new Map<string, string[]>();
  if (activityIds.length === 0) return byActivity;
  const entries = await em.getRepository(TimelineEntry).find({ where: { activityId: In([...new Set(activityIds)]) }, select: { activityId: true, recordKind: true, recordId: true } });
  for (const e of entries) byActivity.set(e.activityId, [...(byActivity.get(e.activityId) ?? []), recordKey(e.recordKind, e.recordId)]);
  return byActivity;
}

/**
 * The records whose timelines roll these up with includeRelated (timeline.service.ts RELATED): a
 * contact's account, an opportunity's or a case's customer account and contact.
 */
async function rollupsOf(em: EntityManager, records: readonly string[]): Promise<[parent: string, child: string][]> {
  const ids = (kind: string) => records.filter((r) => r.startsWith(`${kind}:`)).map((r) => r.slice(kind.length + 1));
  const pairs: [string, string][] = [];
  const parents = { add: (parent: string, child: string) => pairs.push([parent, child]) };
  const contactIds = ids('contact');
  if (contactIds.length) {
    for (const c of await em.getRepository(Contact).find({ where: { id: In(contactIds) }, select: { id: true, accountId: true } })) {
      if (c.accountId) parents.add(recordKey('account', c.accountId), recordKey('contact', c.id));
    }
  }
  for (const [kind, entity] of [['opportunity', Opportunity], ['case', CrmCase]] as const) {
    const list = ids(kind);
    if (!list.length) continue;
    const rows = (await em.getRepository(entity).find({ where: { id: In(list) }, select: { id: true, customerAccountId: true, customerContactId: true } })) as {
      id: string;
      customerAccountId: string | null;
      customerContactId: string | null;
    }[];
    for (const r of rows) {
      if (r.customerAccountId) parents.add(recordKey('account', r.customerAccountId), recordKey(kind, r.id));
      if (r.customerContactId) parents.add(recordKey('contact', r.customerContactId), recordKey(kind, r.id));
    }
  }
  return pairs;
}

async function eventRows(em: EntityManager, staged: readonly Staged[], now: Date): Promise<Partial<LiveEvent>[]> {
  const activityIds = staged.flatMap((s) => (s.change.topic === 'ACTIVITY' ? [s.change.activityId] : []));
  const mailboxIds = staged.flatMap((s) => (s.change.topic === 'MAILBOX' ? [s.change.mailboxId] : []));
  const after = await timelineRecords(em, activityIds);
  const activities = new Map(
    activityIds.length
      ? (await em.getRepository(Activity).find({ where: { id: In([...new Set(activityIds)]) }, select: { id: true, kind: true, ownerId: true, businessUnitId: true } })).map((a) => [a.id, a])
      : [],
  );
  const mailboxes = new Map(
    mailboxIds.length ? (await em.getRepository(Mailbox).find({ where: { id: In([...new Set(mailboxIds)]) }, select: { id: true, ownerUserId: true } })).map((m) => [m.id, m]) : [],
  );
  // The parents of every record any of these events touches, read once for the whole transaction.
  const touched = new Set<string>([...after.values()].flat().concat(staged.flatMap((s) => s.before)));
  const parentsOf = new Map<string, string[]>();
  for (const [parent, child] of await rollupsOf(em, [...touched])) parentsOf.set(child, [...(parentsOf.get(child) ?? []), parent]);
  const rows: Partial<LiveEvent>[] = [];
  for (const s of staged) {
    const c = s.change;
    if (c.topic === 'CONTACT') {
      rows.push({
        topic: 'CONTACT',
        change: c.change,
        activityId: null,
        activityKind: null,
        mailboxId: null,
        ownerId: c.ownerId,
        businessUnitId: null,
        records: JSON.stringify([recordKey('contact', c.contactId)]),
        formerRecords: '[]',
        rollups: '[]',
        createdAt: now,
      });
      continue;
    }
    if (c.topic === 'MAILBOX') {
      rows.push({
        topic: 'MAILBOX',
        change: c.change,
        activityId: null,
        activityKind: null,
        mailboxId: c.mailboxId,
        ownerId: mailboxes.get(c.mailboxId)?.ownerUserId ?? null,
        businessUnitId: null,
        records: '[]',
        formerRecords: '[]',
        rollups: '[]',
        createdAt: now,
      });
      continue;
    }
    const current = activities.get(c.activityId);
    const activity = current ?? s.snapshot;
    const now_ = after.get(c.activityId) ?? [];
    const former = s.before.filter((r) => !now_.includes(r));
    rows.push({
      topic: 'ACTIVITY',
      // An activity that no longer exists was removed, whatever the writer called the change.
      change: current ? c.change : 'REMOVED',
      activityId: c.activityId,
      activityKind: activity?.kind ?? null,
      mailboxId: null,
      ownerId: activity?.ownerId ?? null,
      businessUnitId: activity?.businessUnitId ?? null,
      records: JSON.stringify(now_),
      formerRecords: JSON.stringify(former),
      rollups: JSON.stringify([...now_, ...former].flatMap((child) => (parentsOf.get(child) ?? []).map((parent) => [parent, child]))),
      createdAt: now,
    });
  }
  return rows;
}
