import { createHash } from 'node:crypto';
import { In, type EntityManager } from 'typeorm';
import { AppointmentDetail } from '../activities/activity-details.entity';
import { ActivityKind, ActivityState, PartyResolution, PartyRole, type PrivacyLevel } from '../activities/activity-enums';
import { ActivityParty } from '../activities/activity-party.entity';
import type { ActivityWriter, NewParty } from '../activities/activity-writer';
import { Activity } from '../activities/activity.entity';
import { newId } from '../common/ids';
import { insertChunked } from '../db/insert-chunked';
import { lockedForUpdate } from '../db/row-locks';
import { validEmail } from '../records/email-addresses';
import { partyResolutionOf } from './decide-item';
import { decodeEncodedWords } from './rules/encoded-words';
import type { RecordRef } from './rules/correlation';
import type { PartyResolution as Resolved } from './rules/party-resolution';
import type { CalendarInput } from './track-emails.inputs';
import { rawDatetime } from '../db/raw-datetime';
import { changeActivities } from '../activities/timeline-copies';

// Meeting invitations in mail become Appointments keyed by the iCalendar UID (RFC 5545 3.8.4.7):
// the REQUEST creates it, a later REQUEST (higher or equal SEQUENCE, RFC 5545 3.8.7.4) moves it,
// a CANCEL cancels it (RFC 5546 3.2.5), a REPLY changes nothing (it is tracked as an email).

const MAX_UID = 255;
const MAX_TEXT = 400;
const MAX_PARTIES = 1000;
const DAY_MS = 86_400_000;

export interface InviteAddress {
  readonly address: string;
  readonly name: string | null;
}

/** A meeting invitation, validated: what the appointment rules read, with what had to be repaired. */
export interface PreparedInvite {
  /** Upper-case METHOD: REQUEST, PUBLISH, CANCEL, REPLY, … */
  readonly method: string;
  readonly uid: string;
  readonly sequence: number;
  /** METHOD:CANCEL, or an event whose STATUS is CANCELLED. */
  readonly cancelled: boolean;
  readonly summary: string | null;
  readonly location: string | null;
  readonly description: string | null;
  readonly start: Date | null;
  readonly end: Date | null;
  readonly allDay: boolean;
  readonly parties: readonly (InviteAddress & { role: PartyRole })[];
  readonly problems: readonly string[];
}

function parseTime(raw: string | null | undefined): Date | null | 'invalid' {
  if (!raw?.trim()) return null;
  const date = new Date(raw.trim());
  if (Number.isNaN(date.getTime()) || date.getUTCFullYear() < 1970 || date.getUTCFullYear() > 9999) return 'invalid';
  return date;
}

/** A UID as the icalUid column keeps it: longer ones than it holds keep their identity as a digest. */
export function storedUid(raw: string): string {
  const uid = raw.trim();
  return uid.length > MAX_UID ? `sha256:${createHash('sha256').update(uid, 'utf8').digest('hex')}` : uid;
}

/** Validates one calendar part; never throws: bad fields are dropped and named in `problems`. */
export function prepareInvite(input: CalendarInput): PreparedInvite {
  const problems: string[] = [];
  const method = input.method.trim().toUpperCase();
  const uid = storedUid(input.uid);
  const sequence = Number.isInteger(input.sequence) && input.sequence! > 0 ? input.sequence! : 0;
  const text = (value: string | null | undefined, max: number) => {
    const decoded = value ? decodeEncodedWords(value).replace(/\s+/g, ' ').trim() : '';
    return decoded ? [...decoded].slice(0, max).join('') : null;
  };

  const start = parseTime(input.start);
  let end = parseTime(input.end);
  if (start === 'invalid') problems.push(`start ${JSON.stringify(String(input.start).slice(0, 60))} is not a time`);
  if (end === 'invalid') problems.push(`end ${JSON.stringify(String(input.end).slice(0, 60))} is not a time`);
  const startAt = start instanceof Date ? start : null;
  let endAt = end instanceof Date ? end : null;
  if (startAt && endAt && endAt < startAt) {
    problems.push('end before start: ignored');
    endAt = null;
  }
  // RFC 5545 3.6.1: without DTEND a DATE event lasts one day, a DATE-TIME event ends when it starts.
  if (startAt && !endAt) endAt = new Date(startAt.getTime() + (input.allDay ? DAY_MS : 0));
  end = endAt;

  const parties: (InviteAddress & { role: PartyRole })[] = [];
  const seen = new Set<string>();
  const bad: string[] = [];
  const add = (raw: { address: string; name?: string | null }, role: PartyRole) => {
    let address: string;
    try {
      address = validEmail('address', raw.address.replace(/^mailto:/i, ''));
    } catch {
      bad.push(raw.address.slice(0, 100));
      return;
    }
    if (seen.has(address) || parties.length >= MAX_PARTIES) return;
    seen.add(address);
    parties.push({ address, name: raw.name ? text(raw.name, 200) : null, role });
  };
  if (input.organizer) add(input.organizer, PartyRole.ORGANIZER);
  for (const attendee of input.attendees ?? []) {
    const role = attendee.role?.trim().toUpperCase();
    if (role === 'NON-PARTICIPANT') continue;
    add(attendee, role === 'OPT-PARTICIPANT' ? PartyRole.OPTIONAL : PartyRole.REQUIRED);
  }
  if (bad.length) problems.push(`dropped addresses: ${bad.map((a) => JSON.stringify(a)).join(', ')}`);

  return {
    method,
    uid,
    sequence,
    cancelled: method === 'CANCEL' || input.status?.trim().toUpperCase() === 'CANCELLED',
    summary: text(input.summary, MAX_TEXT),
    location: text(input.location, MAX_TEXT),
    description: input.description?.trim() || null,
    start: startAt,
    end,
    allDay: input.allDay ?? false,
    parties,
    problems,
  };
}

/** The appointment a UID already has, as far as the rules care. */
export interface KnownAppointment {
  readonly sequence: number | null;
  readonly state: ActivityState;
}

export type InviteAction =
  | { readonly kind: 'CREATE'; readonly state: ActivityState }
  | { readonly kind: 'UPDATE'; readonly state: ActivityState }
  | { readonly kind: 'NONE'; readonly reason: string | null };

/** What one invitation does to the appointment with its UID (pure). */
export function inviteAction(invite: PreparedInvite, known: KnownAppointment | null): InviteAction {
  const applies = invite.method === 'REQUEST' || invite.method === 'PUBLISH' || invite.method === 'CANCEL';
  if (!applies) return { kind: 'NONE', reason: null }; // REPLY, COUNTER, REFRESH…: answers, not changes
  if (!invite.uid) return { kind: 'NONE', reason: 'the invitation has no UID' };
  if (!known) {
    if (!invite.start) return { kind: 'NONE', reason: 'the invitation has no start time' };
    return { kind: 'CREATE', state: invite.cancelled ? ActivityState.CANCELLED : ActivityState.OPEN };
  }
  const applied = known.sequence ?? 0;
  if (invite.sequence < applied) return { kind: 'NONE', reason: `SEQUENCE ${invite.sequence} is older than the ${applied} already applied` };
  if (invite.cancelled) return { kind: 'UPDATE', state: ActivityState.CANCELLED };
  // A newer invitation after a cancellation re-invites; the same SEQUENCE does not undo the cancellation.
  const reopened = known.state === ActivityState.CANCELLED && invite.sequence > applied;
  return { kind: 'UPDATE', state: reopened ? ActivityState.OPEN : known.state };
}

/** One invitation found in a tracked (or linked, or already seen) email of the batch. */
export interface InviteRequest {
  readonly index: number;
  readonly invite: PreparedInvite;
  /** The email's regarding record: a new appointment regards the same. */
  readonly regarding: RecordRef | null;
  /** The email's subject, when the event has no SUMMARY. */
  readonly subject: string;
}

export interface InviteContext {
  readonly ownerId: string;
  readonly businessUnitId: string;
  readonly actorId: string;
  readonly visibility: PrivacyLevel;
  readonly now: Date;
  readonly resolve: (address: string) => Resolved;
}

export interface InviteOutcome {
  readonly index: number;
  /** Raw id of the appointment the invitation concerns; null when there is none. */
  readonly appointmentId: string | null;
  readonly change: 'ACTIVITY_CREATED' | 'ACTIVITY_UPDATED' | null;
  readonly note: string | null;
}

interface Current {
  activityId: string;
  sequence: number | null;
  state: ActivityState;
}

/** One occurrence or exception of a series from the Exchange Calendar, keyed by its series and original start. */
export interface OccurrenceRequest {
  readonly invite: PreparedInvite;
  readonly originalStart: Date;
  readonly instanceType: 'OCCURRENCE' | 'EXCEPTION';
}

/** Where a series' occurrences sit: the series appointment, the window the list covers, and whether the series is cancelled. */
export interface SeriesScope {
  readonly seriesId: string;
  readonly windowFrom: Date;
  readonly windowTo: Date;
  readonly seriesCancelled: boolean;
}

/** What the appointment shows, to tell a real change from a replay. */
const fingerprintOf = (v: { subject: string; description: string | null; startAt: Date; endAt: Date; allDay: boolean; location: string | null; state: ActivityState }) =>
  JSON.stringify([v.subject, v.description, v.startAt.getTime(), v.endAt.getTime(), v.allDay, v.location, v.state]);

const partyList = (parties: readonly { role: string; address: string | null; partyKind: string | null; partyId: string | null }[]) =>
  JSON.stringify(parties.map((p) => [p.role, p.address, p.partyKind, p.partyId]));

/**
 * Applies a batch's invitations inside its transaction, in batch order (a later message of the
 * batch sees what an earlier one did). Timeline entries are written through ActivityWriter. Two
 * batches creating the same UID at once collide on the unique icalUid index; the caller's retry
 * then finds the appointment and updates it.
 */
export class MeetingInvites {
  constructor(private readonly writer: ActivityWriter) {}

  async apply(em: EntityManager, ctx: InviteContext, requests: readonly InviteRequest[]): Promise<InviteOutcome[]> {
    if (!requests.length) return [];
    const current = await this.load(em, [...new Set(requests.map((r) => r.invite.uid).filter((u) => u))]);
    const outcomes: InviteOutcome[] = [];
    for (const request of requests) {
      const { invite } = request;
      const known = current.get(invite.uid) ?? null;
      const action = inviteAction(invite, known);
      const note = [...invite.problems, ...(action.kind === 'NONE' && action.reason ? [action.reason] : [])].join('; ') || null;
      if (action.kind === 'NONE') {
        outcomes.push({ index: request.index, appointmentId: known?.activityId ?? null, change: null, note });
        continue;
      }
      const parties = this.parties(invite, ctx);
      if (action.kind === 'CREATE') {
        const id = await this.create(em, ctx, request, action.state, parties);
        current.set(invite.uid, { activityId: id, sequence: invite.sequence, state: action.state });
        outcomes.push({ index: request.index, appointmentId: id, change: 'ACTIVITY_CREATED', note });
        continue;
      }
      const changed = await this.update(em, ctx, known!, request, action.state, parties);
      current.set(invite.uid, { ...known!, sequence: Math.max(invite.sequence, known!.sequence ?? 0), state: action.state });
      outcomes.push({ index: request.index, appointmentId: known!.activityId, change: changed ? 'ACTIVITY_UPDATED' : null, note });
    }
    return outcomes;
  }

  /**
   * A series' occurrences in a window, as Exchange lists them all: each becomes or updates the appointment keyed by
   * (series, original start); one the CRM holds in the window that the list lacks was deleted in Exchange, or the
   * series shortened, and is cancelled; a cancelled series cancels them all. Two engines creating one occurrence at
   * once collide on the unique (seriesId, originalStartAt) index, and the caller's retry updates it instead.
   */
  async applyOccurrences(
    em: EntityManager,
    ctx: InviteContext,
    scope: SeriesScope,
    requests: readonly OccurrenceRequest[],
    /** Original starts (ms) of listed occurrences already settled with the CRM's version: still in the series, left as they are. */
    settled: ReadonlySet<number> = new Set(),
  ): Promise<{ appointmentId: string; change: 'ACTIVITY_CREATED' | 'ACTIVITY_UPDATED' }[]> {
    const rows = await lockedForUpdate(em.createQueryBuilder(AppointmentDetail, 'd'))
      .innerJoin(Activity, 'a', 'a.id = d.activityId')
      .select(['d.activityId AS activityId', 'd.originalStartAt AS originalStartAt', 'd.icalSequence AS icalSequence', 'd.instanceType AS instanceType', 'a.state AS state'])
      .where('d.seriesId = :seriesId', { seriesId: scope.seriesId })
      .getRawMany<{ activityId: string; originalStartAt: Date | string; icalSequence: number | null; instanceType: string | null; state: ActivityState }>();
    const held = new Map(rows.map((r) => [rawDatetime(r.originalStartAt).getTime(), { activityId: r.activityId, sequence: r.icalSequence === null ? null : Number(r.icalSequence), state: r.state, instanceType: r.instanceType }]));
    const changes: { appointmentId: string; change: 'ACTIVITY_CREATED' | 'ACTIVITY_UPDATED' }[] = [];
    const listed = new Set<number>();
    for (const request of requests) {
      const key = request.originalStart.getTime();
      if (listed.has(key) || !request.invite.start) continue;
      listed.add(key);
      const settledKnown = settled.has(key) ? held.get(key) : undefined;
      if (settledKnown) {
        // Its fields stand as settled; only Exchange knows it has become an exception (one the CRM moved, say).
        if (settledKnown.instanceType !== request.instanceType) {
          await em.update(AppointmentDetail, { activityId: settledKnown.activityId }, { instanceType: request.instanceType });
          changes.push({ appointmentId: settledKnown.activityId, change: 'ACTIVITY_UPDATED' });
        }
        continue;
      }
      const known = held.get(key);
      const cancelled = scope.seriesCancelled || request.invite.cancelled;
      const state = cancelled ? ActivityState.CANCELLED : known && known.state !== ActivityState.CANCELLED ? known.state : ActivityState.OPEN;
      const inviteRequest: InviteRequest = { index: 0, invite: request.invite, regarding: null, subject: request.invite.summary ?? '' };
      const parties = this.parties(request.invite, ctx);
      if (!known) {
        const id = await this.create(em, ctx, inviteRequest, state, parties, { icalUid: null, seriesId: scope.seriesId, originalStartAt: request.originalStart, instanceType: request.instanceType });
        changes.push({ appointmentId: id, change: 'ACTIVITY_CREATED' });
        continue;
      }
      const typeChanged = known.instanceType !== request.instanceType;
      if (typeChanged) await em.update(AppointmentDetail, { activityId: known.activityId }, { instanceType: request.instanceType });
      if ((await this.update(em, ctx, known, inviteRequest, state, parties)) || typeChanged) changes.push({ appointmentId: known.activityId, change: 'ACTIVITY_UPDATED' });
    }
    for (const [key, known] of held) {
      const inWindow = key >= scope.windowFrom.getTime() && key < scope.windowTo.getTime();
      if ((!inWindow && !scope.seriesCancelled) || listed.has(key) || known.state === ActivityState.CANCELLED) continue;
      await changeActivities(em, known.activityId, { state: ActivityState.CANCELLED, modifiedById: ctx.actorId, updatedAt: ctx.now });
      changes.push({ appointmentId: known.activityId, change: 'ACTIVITY_UPDATED' });
    }
    return changes;
  }

  private parties(invite: PreparedInvite, ctx: InviteContext): NewParty[] {
    return invite.parties.map((p) => {
      const resolved = ctx.resolve(p.address);
      return {
        role: p.role,
        address: p.address,
        displayName: p.name,
        partyKind: resolved.match?.kind ?? null,
        partyId: resolved.match?.id ?? null,
        resolution: partyResolutionOf(resolved),
        candidates: resolved.resolution === 'AMBIGUOUS' ? resolved.candidates.map((c) => `${c.kind}:${c.id}`) : [],
      };
    });
  }

  private async create(
    em: EntityManager,
    ctx: InviteContext,
    request: InviteRequest,
    state: ActivityState,
    parties: NewParty[],
    key: Pick<AppointmentDetail, 'icalUid' | 'seriesId' | 'originalStartAt' | 'instanceType'> = { icalUid: request.invite.uid, seriesId: null, originalStartAt: null, instanceType: null },
  ): Promise<string> {
    const { invite } = request;
    const id = newId();
    await this.writer.insert(em, [
      {
        activity: {
          id,
          kind: ActivityKind.APPOINTMENT,
          subject: invite.summary ?? request.subject,
          regardingKind: request.regarding?.kind ?? null,
          regardingId: request.regarding?.id ?? null,
          ownerId: ctx.ownerId,
          businessUnitId: ctx.businessUnitId,
          createdById: ctx.actorId,
          modifiedById: ctx.actorId,
          state,
          direction: null,
          occurredAt: invite.start!,
          description: invite.description,
          visibility: ctx.visibility,
        },
        parties,
      },
    ]);
    await em.insert(AppointmentDetail, {
      activityId: id,
      startAt: invite.start!,
      endAt: invite.end!,
      allDay: invite.allDay,
      location: invite.location,
      icalSequence: invite.sequence,
      ...key,
    });
    return id;
  }

  /** Returns true when the appointment changed; false when it already showed all of it (a replay, the same invitation from another mailbox). */
  private async update(em: EntityManager, ctx: InviteContext, known: Current, request: InviteRequest, state: ActivityState, parties: NewParty[]): Promise<boolean> {
    const { invite } = request;
    // Locking reads: the latest committed rows (load() locked them), not the batch's snapshot.
    const activity = await lockedForUpdate(em.createQueryBuilder(Activity, 'a')).where('a.id = :id', { id: known.activityId }).getOneOrFail();
    const detail = await lockedForUpdate(em.createQueryBuilder(AppointmentDetail, 'd')).where('d.activityId = :id', { id: known.activityId }).getOneOrFail();
    const existing = await lockedForUpdate(em.createQueryBuilder(ActivityParty, 'p')).where('p.activityId = :id', { id: activity.id }).orderBy('p.position', 'ASC').getMany();
    // A cancellation names the meeting; it need not repeat its times, place or attendees.
    const moves = invite.start !== null;
    const next = {
      subject: invite.summary ?? activity.subject,
      description: invite.description ?? activity.description,
      startAt: moves ? invite.start! : detail.startAt,
      endAt: moves ? invite.end! : detail.endAt,
      allDay: moves ? invite.allDay : detail.allDay,
      location: moves || !invite.cancelled ? invite.location : detail.location,
      state,
    };
    const keepParties = invite.cancelled && parties.length === 0;
    const partiesBefore = partyList(existing);
    const partiesAfter = keepParties ? partiesBefore : partyList(parties);
    const sequence = Math.max(invite.sequence, known.sequence ?? 0);
    const before = fingerprintOf({ ...activity, startAt: detail.startAt, endAt: detail.endAt, allDay: detail.allDay, location: detail.location });
    if (before === fingerprintOf(next) && partiesBefore === partiesAfter) {
      if (sequence !== detail.icalSequence) await em.update(AppointmentDetail, { activityId: activity.id }, { icalSequence: sequence });
      return false;
    }
    await changeActivities(em, activity.id, { subject: next.subject, description: next.description, occurredAt: next.startAt, state, modifiedById: ctx.actorId, updatedAt: ctx.now });
    await em.update(AppointmentDetail, { activityId: activity.id }, { startAt: next.startAt, endAt: next.endAt, allDay: next.allDay, location: next.location, icalSequence: sequence });
    // changeActivities moved the entries with the new time; other parties put it on other timelines.
    if (partiesBefore !== partiesAfter) {
      await em.delete(ActivityParty, { activityId: activity.id });
      await insertChunked(em, ActivityParty, parties.map((p, position) => partyRow(activity.id, p, position)));
      await this.writer.rebuildTimeline(em, activity.id);
    }
    return true;
  }

  /**
   * The appointments these UIDs have, locked against a concurrent batch changing them, read as
   * committed now (a locking read), not as the batch's snapshot saw them. A UID nobody has yet is
   * not locked (no gap locks): a concurrent creation collides on the unique index instead.
   */
  private async load(em: EntityManager, uids: readonly string[]): Promise<Map<string, Current>> {
    const result = new Map<string, Current>();
    if (!uids.length) return result;
    const found = await em.find(AppointmentDetail, { where: { icalUid: In([...uids]) }, select: { activityId: true } });
    if (!found.length) return result;
    const rows = await lockedForUpdate(em.createQueryBuilder(AppointmentDetail, 'd'))
      .innerJoin(Activity, 'a', 'a.id = d.activityId')
      .select(['d.activityId AS activityId', 'd.icalUid AS icalUid', 'd.icalSequence AS icalSequence', 'a.state AS state'])
      .where('d.activityId IN (:...ids)', { ids: found.map((d) => d.activityId) })
      .getRawMany<{ activityId: string; icalUid: string | null; icalSequence: number | null; state: ActivityState }>();
    for (const r of rows) {
      if (r.icalUid) result.set(r.icalUid, { activityId: r.activityId, sequence: r.icalSequence === null ? null : Number(r.icalSequence), state: r.state });
    }
    return result;
  }
}

/** A party row as ActivityWriter.insert writes it (resolved parties only carry their record). */
function partyRow(activityId: string, p: NewParty, position: number): Partial<ActivityParty> {
  return {
    id: newId(),
    activityId,
    role: p.role,
    address: p.address,
    displayName: p.displayName?.slice(0, 200) ?? null,
    partyKind: p.resolution === PartyResolution.RESOLVED ? (p.partyKind as ActivityParty['partyKind']) : null,
    partyId: p.resolution === PartyResolution.RESOLVED ? p.partyId : null,
    resolution: p.resolution,
    candidates: p.candidates?.length ? p.candidates.join(',').slice(0, 1000) : null,
    position,
  };
}
