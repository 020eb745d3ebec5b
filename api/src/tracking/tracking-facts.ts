import { In, type EntityManager } from 'typeorm';
import { ActivityParty } from '../activities/activity-party.entity';
import { Activity } from '../activities/activity.entity';
import { EmailMessage } from '../activities/email-message.entity';
import { messageIdHash } from '../activities/message-id';
import { User } from '../identity/user.entity';
import { MailboxItem } from '../mail/mailbox-item.entity';
import { Queue } from '../queues/queue.entity';
import { EmailAddress } from '../records/email-address.entity';
import type { PreparedItem } from './prepare-item';
import type { CorrelationEvidence, KnownEmail, RecordRef } from './rules/correlation';
import { resolveParty, type PartyMatch, type PartyResolution } from './rules/party-resolution';
import { normalizeSubject, subjectHash } from './rules/subject';
import { findToken, tokenPattern, type TokenFormat } from './rules/tracking-token';
import { rawDatetime } from '../db/raw-datetime';

/** What an item needs from the database, keyed for in-memory look-ups. */
interface KnownEmailRow extends KnownEmail {
  readonly messageIdHash: string;
  readonly trackingToken: string | null;
  readonly conversationRoot: string | null;
  readonly subjectHash: string | null;
}

const newestFirst = (a: KnownEmail, b: KnownEmail) => b.occurredAt.getTime() - a.occurredAt.getTime() || (a.activityId < b.activityId ? 1 : -1);

/**
 * Everything tracking reads for one batch, loaded in a fixed number of statements (not one per
 * item), then kept current as the batch's own items are tracked, so a reply later in the same
 * batch finds the message it answers.
 */
export class TrackingFacts {
  private readonly byHash = new Map<string, KnownEmailRow>();
  private readonly byToken = new Map<string, KnownEmailRow>();
  private readonly byRoot = new Map<string, KnownEmailRow>();
  private readonly bySubject = new Map<string, KnownEmailRow[]>();
  private readonly matches = new Map<string, PartyMatch[]>();

  private constructor(
    /** What this mailbox decided before, by Message-ID hash: the activity when it was tracked. */
    readonly decided: ReadonlyMap<string, Pick<MailboxItem, 'activityId'>>,
    private readonly tokenFormat: TokenFormat,
  ) {}

  /** Facts from plain data, as `load` would have read them: for rules tested without a database. */
  static of(tokenFormat: TokenFormat, known: { decided?: readonly Pick<MailboxItem, 'messageIdHash' | 'activityId'>[]; emails?: readonly KnownEmailRow[]; matches?: Readonly<Record<string, PartyMatch[]>> }): TrackingFacts {
    const facts = new TrackingFacts(new Map((known.decided ?? []).map((d) => [d.messageIdHash, d])), tokenFormat);
    for (const row of known.emails ?? []) facts.index(row);
    for (const [address, matches] of Object.entries(known.matches ?? {})) for (const m of matches) facts.addMatch(address, m);
    return facts;
  }

  static async load(
    em: EntityManager,
    options: { mailboxId: string; items: readonly PreparedItem[]; tokenFormat: TokenFormat; smartMatching: boolean; extraAddresses?: readonly string[] },
  ): Promise<TrackingFacts> {
    const { items, tokenFormat } = options;
    const hashes = [...new Set(items.map((i) => i.messageIdHash))];
    const decided = hashes.length
      ? await em.findBy(MailboxItem, { mailboxId: options.mailboxId, messageIdHash: In(hashes) })
      : [];
    const facts = new TrackingFacts(new Map(decided.map((d) => [d.messageIdHash, d])), tokenFormat);

    const pattern = tokenPattern(tokenFormat);
    const referenced = items.flatMap((i) => [i.messageIdHash, ...[i.inReplyTo, ...i.references].filter((r): r is string => !!r).map(messageIdHash)]);
    const tokens = items.map((i) => findToken(tokenFormat, i.subject)).filter((t): t is string => !!t);
    const roots = items.map((i) => i.conversationRoot).filter((r): r is string => !!r);
    const subjects = options.smartMatching ? items.map((i) => subjectHash(normalizeSubject(i.subject, pattern))).filter((s): s is string => !!s) : [];
    await facts.loadKnown(em, [...new Set(referenced)], [...new Set(tokens)], [...new Set(roots)], [...new Set(subjects)]);

    // Meeting invitations' organizers and attendees resolve like the mail's own parties.
    const addresses = [...new Set([...items.flatMap((i) => [...(i.from ? [i.from] : []), ...i.recipients].map((p) => p.address)), ...(options.extraAddresses ?? [])])];
    await facts.loadAddresses(em, addresses);
    return facts;
  }

  /** The tracked email with this Message-ID hash, if any (the same message from another mailbox). */
  existing(hash: string): KnownEmail | undefined {
    return this.byHash.get(hash);
  }

  resolve(address: string): PartyResolution {
    return resolveParty(address, this.matches.get(address) ?? []);
  }

  /** Records created during the batch (for unknown senders) resolve from then on. */
  addMatch(address: string, match: PartyMatch): void {
    this.matches.set(address, [...(this.matches.get(address) ?? []), match]);
  }

  evidenceFor(item: PreparedItem): CorrelationEvidence {
    const chain = [item.inReplyTo, ...[...item.references].reverse()].filter((r): r is string => !!r);
    const found = chain.find((id) => this.byHash.has(messageIdHash(id)));
    const token = findToken(this.tokenFormat, item.subject);
    const hash = subjectHash(normalizeSubject(item.subject, tokenPattern(this.tokenFormat)));
    return {
      inReplyTo: found ? this.byHash.get(messageIdHash(found))! : null,
      referenceMessageId: found ?? chain[0] ?? null,
      token: token ? { token, email: this.byToken.get(token) ?? null } : null,
      threadIndex: item.conversationRoot ? { root: item.conversationRoot, email: this.byRoot.get(item.conversationRoot) ?? null } : null,
      smartCandidates: hash ? (this.bySubject.get(hash) ?? []) : [],
    };
  }

  /** Makes a just-tracked email findable by the rest of the batch. */
  remember(row: KnownEmailRow): void {
    this.index(row);
  }

  private index(row: KnownEmailRow): void {
    this.byHash.set(row.messageIdHash, row);
    const newer = (current: KnownEmailRow | undefined) => !current || newestFirst(row, current) < 0;
    if (row.trackingToken && newer(this.byToken.get(row.trackingToken))) this.byToken.set(row.trackingToken, row);
    if (row.conversationRoot && newer(this.byRoot.get(row.conversationRoot))) this.byRoot.set(row.conversationRoot, row);
    if (row.subjectHash) this.bySubject.set(row.subjectHash, [...(this.bySubject.get(row.subjectHash) ?? []), row].sort(newestFirst));
  }

  private async loadKnown(em: EntityManager, hashes: string[], tokens: string[], roots: string[], subjects: string[]): Promise<void> {
    const conditions: string[] = [];
    const params: Record<string, string[]> = {};
    if (hashes.length) (conditions.push('e.messageIdHash IN (:...hashes)'), (params.hashes = hashes));
    if (tokens.length) (conditions.push('e.trackingToken IN (:...tokens)'), (params.tokens = tokens));
    if (roots.length) (conditions.push('e.conversationRoot IN (:...roots)'), (params.roots = roots));
    if (subjects.length) (conditions.push('e.subjectHash IN (:...subjects)'), (params.subjects = subjects));
    if (!conditions.length) return;
    const rows = await em
      .getRepository(EmailMessage)
      .createQueryBuilder('e')
      .innerJoin(Activity, 'a', 'a.id = e.activityId')
      .select([
        'e.activityId AS activityId',
        'e.messageIdHash AS messageIdHash',
        'e.trackingToken AS trackingToken',
        'e.conversationRoot AS conversationRoot',
        'e.subjectHash AS subjectHash',
        'a.regardingKind AS regardingKind',
        'a.regardingId AS regardingId',
        'a.occurredAt AS occurredAt',
      ])
      .where(conditions.map((c) => `(${c})`).join(' OR '), params)
      // Bounded: a generic subject ("Invoice") must not pull the whole mail history into memory.
      .orderBy('a.occurredAt', 'DESC')
      .limit(2000)
      .getRawMany<{ activityId: string; messageIdHash: string; trackingToken: string | null; conversationRoot: string | null; subjectHash: string | null; regardingKind: string | null; regardingId: string | null; occurredAt: Date | string }>();
    const smartIds = rows.filter((r) => r.subjectHash && subjects.includes(r.subjectHash)).map((r) => r.activityId);
    const participants = new Map<string, string[]>();
    if (smartIds.length) {
      const parties = await em.find(ActivityParty, { where: { activityId: In(smartIds) }, select: { activityId: true, address: true } });
      for (const p of parties) if (p.address) participants.set(p.activityId, [...(participants.get(p.activityId) ?? []), p.address]);
    }
    for (const r of rows) {
      this.index({
        activityId: r.activityId,
        messageIdHash: r.messageIdHash,
        trackingToken: r.trackingToken,
        conversationRoot: r.conversationRoot,
        subjectHash: r.subjectHash,
        regarding: r.regardingKind && r.regardingId ? ({ kind: r.regardingKind, id: r.regardingId } as RecordRef) : null,
        occurredAt: rawDatetime(r.occurredAt),
        participantAddresses: participants.get(r.activityId) ?? [],
      });
    }
  }

  private async loadAddresses(em: EntityManager, addresses: string[]): Promise<void> {
    if (!addresses.length) return;
    for (const row of await em.find(EmailAddress, { where: { address: In(addresses) } })) this.addMatch(row.address, { kind: row.recordKind as PartyMatch['kind'], id: row.recordId });
    for (const user of await em.find(User, { where: { email: In(addresses), disabled: false, isService: false } })) this.addMatch(user.email, { kind: 'user', id: user.id });
    for (const queue of await em.find(Queue, { where: { emailAddress: In(addresses) } })) this.addMatch(queue.emailAddress, { kind: 'queue', id: queue.id });
  }
}

export type { KnownEmailRow };
