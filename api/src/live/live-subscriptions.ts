import { can, type Principal } from '../access/principal';
import { isSyncEngine, requireSyncEngine } from '../access/sync-engine-guard';
import { AccessEntity, Privilege } from '../access/privileges';
import { mayOnActivity } from '../activities/activity-access';
import { ActivityKind, EmailStatus } from '../activities/activity-enums';
import { ACTIVITY_TYPE_NAME, type Activity } from '../activities/activity.entity';
import { expectGlobalId, toGlobalId } from '../common/global-id';
import type { Authenticated } from '../identity/auth.service';
import { isMailAdmin, mayUseMailbox, type MailboxService } from '../mail/mailbox.service';
import { kindOfGlobalType } from '../records/record-kind';
import type { RecordWriter } from '../records/record-writer';
import { LIVE_CLOSE, visibilityKey, type LiveConnection } from './live-connection';
import { decodeLiveCursor, encodeLiveCursor } from './live-cursor';
import type { LiveEvent } from './live-event.entity';
import { recordKey, type LiveEventLog } from './live-event-log';
import type { ExchangeActMailboxes } from './exchange-act-mailboxes';
import type { EventFacts, LiveFacts } from './live-facts';
import { matchFeed, matchMailbox, matchTimeline } from './live-match';
import { mapAsyncIterator } from './async-iterators';
import { openLiveStream } from './live-stream';
import type { LiveTail } from './live-tail';
import { ActivityChangeKind, MailboxChangeKind, type ActivityChangedArgs, type ActivityEventView, type ExchangeWritesDueView, type FeedArgs, type MailboxChangedArgs, type MailboxEventView, type ResumeArgs } from './live.types';

/** One event as one subscriber receives it; the executor resolves its fields once per (event, change, visibility). */
export interface LiveDelivery<V> {
  readonly view: V;
  readonly auth: Authenticated;
  readonly visibility: string;
  /** The event and how this subscriber sees it (a REMOVED for one record may be an UPDATED for another). */
  readonly key: string;
}

export interface LiveLimits {
  /** Events queued for one subscription before its connection is closed as too slow. */
  readonly maxQueued: number;
}

/** The statuses of an email someone sends from the hub. */
const OUTGOING_STATUSES = new Set<string>([EmailStatus.PENDING_SEND, EmailStatus.SENDING, EmailStatus.SENT, EmailStatus.FAILED, EmailStatus.UNCERTAIN, EmailStatus.CANCELLED]);
/** What the engine writes to an owner's Exchange mailbox. */
const EXCHANGE_WRITTEN_KINDS: ReadonlySet<string> = new Set([ActivityKind.APPOINTMENT, ActivityKind.TASK]);
const RECORD_TYPES = ['Account', 'Contact', 'Lead', 'Opportunity', 'Case'] as const;

/** Who subscribes, and the connection the subscription runs on (asked for after the arguments are checked). */
export interface LiveCaller {
  readonly principal: Principal;
  connection(): LiveConnection;
}

/**
 * The subscriptions: each is the log's events after the cursor, then live ones, filtered by
 * a cheap match on the event row and then, at delivery, by the subscriber's access at that moment.
 */
export class LiveSubscriptions {
  constructor(
    private readonly writer: RecordWriter,
    private readonly mailboxes: MailboxService,
    private readonly feed: { tail: LiveTail; log: LiveEventLog; facts: LiveFacts; exchangeMailboxes: ExchangeActMailboxes },
    private readonly limits: LiveLimits,
  ) {}

  async activityChanged(caller: LiveCaller, args: ActivityChangedArgs): Promise<AsyncIterable<LiveDelivery<ActivityEventView>>> {
    const { principal } = caller;
    const { type, id } = expectGlobalId('recordId', args.recordId, ...RECORD_TYPES);
    const kind = kindOfGlobalType(type)!;
    await this.writer.readable(principal, kind, id, 'recordId');
    const record = recordKey(kind, id);
    const includeRelated = args.includeRelated ?? false;
    const kinds = kindsOf(args);
    return this.open(caller, args, (e) => matchTimeline(e, record, includeRelated, kinds) !== null, async (event, who, visibility) => {
      const match = matchTimeline(event, record, includeRelated, kinds)!;
      const facts = this.feed.facts.of(event);
      // As timeline() would: the watched record, and the related record it reaches it through, must be readable now.
      if (!(await facts.anyReadable(who, visibility, [record]))) return null;
      if (match.via.length && !(await facts.anyReadable(who, visibility, match.via))) return null;
      return activityView(event, match.change as ActivityChangeKind, who, facts);
    });
  }

  async myFeed(caller: LiveCaller, args: FeedArgs): Promise<AsyncIterable<LiveDelivery<ActivityEventView>>> {
    const kinds = kindsOf(args);
    return this.open(caller, args, (e) => matchFeed(e, kinds), (event, who) => activityView(event, event.change as ActivityChangeKind, who, this.feed.facts.of(event)));
  }

  async outgoingEmailChanged(caller: LiveCaller, args: ResumeArgs): Promise<AsyncIterable<LiveDelivery<ActivityEventView>>> {
    const emails = new Set<string>([ActivityKind.EMAIL]);
    return this.open(caller, args, (e) => matchFeed(e, emails), async (event, who) => {
      const facts = this.feed.facts.of(event);
      const [activity, email] = await Promise.all([facts.activity(), facts.email()]);
      // Only emails this user wrote in the hub: a copy tracked from a Sent folder is not "theirs to send".
      if (!activity || activity.createdById !== who.userId || !email || !OUTGOING_STATUSES.has(email.status)) return null;
      return activityView(event, event.change as ActivityChangeKind, who, facts);
    });
  }

  /**
   * The sync engine's wake-up for writes to Exchange: an appointment, task or contact of someone with Exchange
   * mailboxes that synchronize them changed (a contact also wakes the mailboxes it is paired in). Carries ids only:
   * the engine claims what to write under its lease as before.
   */
  async exchangeWritesDue(caller: LiveCaller, args: ResumeArgs): Promise<AsyncIterable<LiveDelivery<ExchangeWritesDueView>>> {
    requireSyncEngine(caller.principal, 'hear of appointments and tasks to write to Exchange');
    const matches = (e: LiveEvent) => (matchFeed(e, EXCHANGE_WRITTEN_KINDS) || e.topic === 'CONTACT') && e.ownerId !== null;
    return this.open(caller, args, matches, async (event, who) => {
      if (!isSyncEngine(who)) return null; // the key lost the Sync Service role since
      const contactId = event.topic === 'CONTACT' ? (JSON.parse(event.records) as string[])[0]?.split(':')[1] : undefined;
      const owners = await this.feed.exchangeMailboxes.of(event.ownerId!);
      const mailboxIds = contactId ? [...new Set([...owners, ...(await this.feed.exchangeMailboxes.pairedWith(contactId))])] : owners;
      if (!mailboxIds.length) return null;
      return {
        cursor: encodeLiveCursor(event.id),
        change: event.change as ActivityChangeKind,
        kind: contactId ? null : (event.activityKind as ActivityKind),
        mailboxIds: mailboxIds.map((id) => toGlobalId('Mailbox', id)),
        at: event.createdAt,
      };
    });
  }

  async mailboxChanged(caller: LiveCaller, args: MailboxChangedArgs): Promise<AsyncIterable<LiveDelivery<MailboxEventView>>> {
    const { principal } = caller;
    const mailboxId = args.mailboxId ? (await this.mailboxes.get(principal, args.mailboxId, 'mailboxId')).id : null;
    return this.open(caller, args, (e) => matchMailbox(e, mailboxId), async (event, who) => {
      const mailbox = await this.feed.facts.of(event).mailbox();
      const mayRead = mailbox ? mayUseMailbox(who, mailbox, Privilege.READ) : event.ownerId === who.userId || isMailAdmin(who);
      if (!mayRead) return null;
      return {
        cursor: encodeLiveCursor(event.id),
        change: event.change as MailboxChangeKind,
        mailboxId: toGlobalId('Mailbox', event.mailboxId!),
        mailbox,
        at: event.createdAt,
      };
    });
  }

  private async open<V>(
    caller: LiveCaller,
    args: ResumeArgs,
    matches: (event: LiveEvent) => boolean,
    decide: (event: LiveEvent, principal: Principal, visibility: string) => Promise<(V & { change: string }) | null>,
  ): Promise<AsyncIterable<LiveDelivery<V>>> {
    const connection = caller.connection();
    const stream = await openLiveStream(this.feed.tail, this.feed.log, {
      after: args.after ? decodeLiveCursor('after', args.after) : null,
      afterField: 'after',
      matches,
      maxQueued: this.limits.maxQueued,
      onOverflow: () => connection.close(LIVE_CLOSE.tooSlow.code, LIVE_CLOSE.tooSlow.reason),
    });
    return deliveries(stream, connection, decide);
  }
}

/**
 * The stream's events for the subscriber as they are at delivery: credentials checked again (a
 * revoked session closes the connection), the decision taken with the access of that moment.
 */
function deliveries<V>(
  stream: AsyncIterableIterator<LiveEvent>,
  connection: LiveConnection,
  decide: (event: LiveEvent, principal: Principal, visibility: string) => Promise<(V & { change: string }) | null>,
): AsyncIterableIterator<LiveDelivery<V>> {
  return mapAsyncIterator(stream, async (event) => {
    const auth = await connection.current();
    if (!auth || auth.mustChangePassword) {
      connection.close(LIVE_CLOSE.sessionEnded.code, LIVE_CLOSE.sessionEnded.reason);
      await stream.return?.();
      return null;
    }
    const visibility = visibilityKey(auth.principal);
    const view = await decide(event, auth.principal, visibility);
    return view ? { view, auth, visibility, key: `${event.id}:${view.change}` } : null;
  });
}

function kindsOf(args: FeedArgs): ReadonlySet<string> | null {
  return args.kinds ? new Set<string>(args.kinds) : null;
}

/**
 * An activity event as a subscriber may see it now: nothing when they may not read the activity;
 * REMOVED (with no details) when it was deleted or left the timeline and they could read it.
 */
async function activityView(event: LiveEvent, change: ActivityChangeKind, principal: Principal, facts: EventFacts): Promise<ActivityEventView | null> {
  const kind = event.activityKind as ActivityKind | null;
  if (!kind || !event.activityId) return null;
  const activity: Activity | null = await facts.activity();
  const readable = activity !== null && mayOnActivity(principal, Privilege.READ, activity);
  const base = { cursor: encodeLiveCursor(event.id), activityId: toGlobalId(ACTIVITY_TYPE_NAME[kind], event.activityId), kind, at: event.createdAt };
  if (activity && change !== ActivityChangeKind.REMOVED) return readable ? { ...base, change, activity } : null;
  const couldRead = event.ownerId !== null && event.businessUnitId !== null && can(principal, AccessEntity.ACTIVITY, Privilege.READ, { ownerId: event.ownerId, businessUnitId: event.businessUnitId });
  return readable || couldRead ? { ...base, change: ActivityChangeKind.REMOVED, activity: null } : null;
}
