import { In, type DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../access/principal';
import { requireSyncEngine } from '../access/sync-engine-guard';
import type { ActivityEvents } from '../activities/activity-events';
import { AppointmentDetail, AppointmentRecurrence } from '../activities/activity-details.entity';
import type { ActivityWriter } from '../activities/activity-writer';
import { Activity } from '../activities/activity.entity';
import { ActivityState } from '../activities/activity-enums';
import { badInput, notFound } from '../common/errors';
import { expectGlobalId, toGlobalId } from '../common/global-id';
import { repairStrings } from '../common/text';
import { retryingDatabaseWork, type RetryBudget } from '../db/transaction-retry';
import { Mailbox } from '../mail/mailbox.entity';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import { User } from '../identity/user.entity';
import { ExchangeCalendarLink } from './exchange-calendar-link.entity';
import { entryOf, linkedAppointments, linkedEntryDeleted, recordSeriesLinks, settleLinkedEntry, type LinkedAppointment } from './calendar-links';
import { CalendarEventOutcome, MAX_CALENDAR_WRITES, type CalendarEventResult, type CalendarSeriesInput, type CalendarWrite } from './calendar-sync.inputs';
import { currentFingerprint, pendingCalendarWrites, recordCalendarLink } from './exchange-calendar-writes';
import { exchangeActMailbox, requireLease } from './exchange-mailbox-guard';
import { MeetingInvites, prepareInvite, storedUid, type InviteContext, type InviteRequest, type OccurrenceRequest, type PreparedInvite } from './meeting-invites';
import type { CalendarInput } from './track-emails.inputs';
import { TrackingFacts } from './tracking-facts';

/** A recurring series from the Calendar, validated like single events: its master, and its occurrences keyed by original start. */
interface PreparedSeries {
  readonly uid: string;
  readonly master: PreparedInvite | null;
  readonly input: CalendarSeriesInput;
  readonly occurrences: readonly OccurrenceRequest[];
}

/** What the series of one page share: the mailbox, its entries linked to appointments, and the conflicts the CRM won. */
interface SeriesLinks {
  readonly mailboxId: string;
  readonly linked: Map<string, LinkedAppointment>;
  readonly conflicted: string[];
}

// Two engines' pages naming one new UID (or one new occurrence) collide on its unique index; the run again finds the appointment and updates it.
const RETRIES: RetryBudget = { DUPLICATE_KEY: 6 };
const RECORD_KINDS = new Set(['contact', 'account', 'lead']);

/**
 * `syncMailboxCalendar`: appointments from a mailbox's Exchange Calendar become Appointment activities, keyed by
 * their iCalendar UID like meeting invitations in mail (so the invitation and the calendar entry of one meeting are
 * one appointment), in one transaction with the mailbox's cursor. Only meetings with a CRM record among their
 * organizer and attendees enter the CRM, as a person's own calendar also holds what is none of the CRM's business;
 * one already in the CRM follows every change (moved, re-titled, cancelled); one made in the CRM and changed on both
 * sides goes to the later change (calendar-links.ts). A replayed page changes nothing.
 */
export class CalendarSyncService {
  private readonly invites: MeetingInvites;

  constructor(
    private readonly db: DataSource,
    activities: ActivityWriter,
    private readonly events: ActivityEvents,
    private readonly log: Logger,
    private readonly clock: Clock,
  ) {
    this.invites = new MeetingInvites(activities);
  }

  async sync(principal: Principal, mailboxGlobalId: string, leaseId: string, events: readonly CalendarInput[], deletedItemIds: readonly string[], cursor: string | null, series: readonly CalendarSeriesInput[] = []): Promise<CalendarEventResult[]> {
    requireSyncEngine(principal, 'synchronize calendars');
    for (const [i, s] of series.entries()) {
      if (!(s.windowFrom < s.windowTo)) throw badInput(`series[${i}].windowTo`, 'must be after windowFrom', { reason: 'ENDS_BEFORE_START' });
    }
    const mailbox = await exchangeActMailbox(this.db, mailboxGlobalId, 'appointments');
    const mailboxId = mailbox.id;
    const owner = await this.db.getRepository(User).findOneByOrFail({ id: mailbox.ownerUserId });
    const prepared = events.map((event) => prepareInvite({ ...repairStrings(event), method: 'PUBLISH' }));
    const preparedSeries = series.map((s): PreparedSeries => ({
      uid: storedUid(s.uid),
      // The master names the series by the series' UID, whatever it says itself.
      master: s.master ? prepareInvite({ ...repairStrings(s.master), uid: s.uid, method: 'PUBLISH' }) : null,
      input: s,
      occurrences: s.occurrences.map((o) => ({ invite: prepareInvite({ ...repairStrings(o), uid: s.uid, method: 'PUBLISH' }), originalStart: o.originalStart, instanceType: o.instanceType })),
    }));
    return retryingDatabaseWork(
      () => this.db.transaction((em) => this.apply(em, principal, mailbox, owner, leaseId, prepared, events, deletedItemIds, cursor, preparedSeries)),
      RETRIES,
      (kind, attempt) => this.log.debug({ kind, attempt, mailboxId }, 'syncMailboxCalendar conflicted with another writer; running it again'),
    );
  }

  /** The owner's appointments to write to the mailbox's Exchange Calendar (exchange-calendar-writes.ts). */
  async claimWrites(principal: Principal, mailboxGlobalId: string, leaseId: string, first: number): Promise<CalendarWrite[]> {
    requireSyncEngine(principal, 'synchronize calendars');
    if (!Number.isInteger(first) || first < 1) throw badInput('first', `must be from 1 to ${MAX_CALENDAR_WRITES}`, { reason: 'TOO_SMALL', min: 1 });
    if (first > MAX_CALENDAR_WRITES) throw badInput('first', `must be from 1 to ${MAX_CALENDAR_WRITES}`, { reason: 'TOO_LARGE', max: MAX_CALENDAR_WRITES });
    const mailbox = await exchangeActMailbox(this.db, mailboxGlobalId, 'appointments');
    return this.db.transaction(async (em) => {
      await requireLease(em, mailbox.id, leaseId);
      const writes = await pendingCalendarWrites(em, mailbox.id, mailbox.ownerUserId, this.clock(), first);
      return writes.map((w) => ({ ...w, appointmentId: toGlobalId('Appointment', w.appointmentId), attendees: [...w.attendees] }));
    });
  }

  /** What the engine wrote: the Calendar now shows these appointments as the fingerprints say. */
  async reportWrites(principal: Principal, mailboxGlobalId: string, leaseId: string, writes: readonly { appointmentId: string; itemId?: string | null; changeKey?: string | null; fingerprint: string }[]): Promise<boolean> {
    requireSyncEngine(principal, 'synchronize calendars');
    const mailbox = await exchangeActMailbox(this.db, mailboxGlobalId, 'appointments');
    const ids = writes.map((w, i) => expectGlobalId(`writes[${i}].appointmentId`, w.appointmentId, 'Appointment').id);
    return this.db.transaction(async (em) => {
      await requireLease(em, mailbox.id, leaseId);
      // Only the owner's appointments: an engine cannot link someone else's into this Calendar.
      const owned = new Set((await em.find(Activity, { where: { id: In(ids), ownerId: mailbox.ownerUserId }, select: { id: true } })).map((a) => a.id));
      const known = new Map((await em.find(ExchangeCalendarLink, { where: { mailboxId: mailbox.id, activityId: In(ids) } })).map((l) => [l.activityId, l]));
      const now = this.clock();
      for (const [i, write] of writes.entries()) {
        if (!owned.has(ids[i])) throw notFound(`writes[${i}].appointmentId`, write.appointmentId);
        const itemId = write.itemId?.trim() || null;
        // What Exchange said of the entry's organizer and invitations stays until it is read again.
        const { organizedHere = false, invitationsSent = false } = known.get(ids[i]) ?? {};
        await recordCalendarLink(em, { mailboxId: mailbox.id, activityId: ids[i], itemId, fingerprint: write.fingerprint, changeKey: itemId ? write.changeKey?.trim() || null : null, organizedHere, invitationsSent }, now);
      }
      return true;
    });
  }

  private async apply(em: EntityManager, principal: Principal, mailbox: Mailbox, owner: User, leaseId: string, prepared: readonly PreparedInvite[], events: readonly CalendarInput[], deletedItemIds: readonly string[], cursor: string | null, series: readonly PreparedSeries[]): Promise<CalendarEventResult[]> {
    await requireLease(em, mailbox.id, leaseId);
    const now = this.clock();
    const seriesInvites = series.flatMap((s) => [...(s.master ? [s.master] : []), ...s.occurrences.map((o) => o.invite)]);
    const addresses = [...prepared, ...seriesInvites].flatMap((invite) => invite.parties.map((p) => p.address));
    const facts = await TrackingFacts.load(em, { mailboxId: mailbox.id, items: [], tokenFormat: { prefix: '', baseNumber: 0, userDigits: 0, counterDigits: 0 }, smartMatching: false, extraAddresses: addresses });
    const uids = [...new Set(prepared.map((invite) => invite.uid).filter((uid) => uid))];
    const known = new Set(uids.length ? (await em.find(AppointmentDetail, { where: { icalUid: In(uids) }, select: { icalUid: true } })).map((a) => a.icalUid) : []);
    const own = mailbox.address.toLowerCase();
    // A meeting enters the CRM when someone in it besides the mailbox's owner is a CRM record.
    const concernsCrm = (invite: PreparedInvite) => invite.parties.some((p) => p.address.toLowerCase() !== own && RECORD_KINDS.has(facts.resolve(p.address).match?.kind ?? ''));
    const results: CalendarEventResult[] = [];
    const requests: InviteRequest[] = [];
    const deleted = deletedItemIds.map((id) => id.trim()).filter((id) => id);
    const seriesItemIds = series.flatMap((s) => [s.input.master, ...s.input.occurrences].map((event) => entryOf(event ?? undefined).itemId));
    const linked = await linkedAppointments(em, mailbox.id, [...events.map(entryOf).map((e) => e.itemId), ...deleted, ...seriesItemIds]);
    const conflicted: string[] = [];
    for (const [index, invite] of prepared.entries()) {
      const entry = entryOf(events[index]);
      const pair = entry.itemId ? linked.get(entry.itemId) : undefined;
      const settled = pair && invite.start && invite.end ? await settleLinkedEntry(em, mailbox.id, pair, invite, entry, principal.userId, now) : null;
      if (settled) {
        results[index] = { uid: invite.uid, ...settled, appointmentId: toGlobalId('Appointment', pair!.link.activityId) };
        // A conflict the CRM won changes no field, but the appointment's syncConflicts: open timelines show it at once.
        if (settled.outcome === CalendarEventOutcome.CRM_VERSION_KEPT) conflicted.push(pair!.link.activityId);
        continue;
      }
      if (!known.has(invite.uid) && !concernsCrm(invite)) {
        results[index] = { uid: invite.uid, outcome: CalendarEventOutcome.NOT_TRACKED, appointmentId: null, note: null };
        continue;
      }
      requests.push({ index, invite, regarding: null, subject: invite.summary ?? '' });
    }
    for (const itemId of deleted) {
      const pair = linked.get(itemId);
      if (pair) await linkedEntryDeleted(em, mailbox.id, pair, now);
    }
    const context = { ownerId: owner.id, businessUnitId: owner.businessUnitId, actorId: principal.userId, visibility: mailbox.privacyLevel, now, resolve: (address: string) => facts.resolve(address) };
    const outcomes = await this.invites.apply(em, context, requests);
    for (const outcome of outcomes) {
      const invite = prepared[outcome.index];
      const kind = outcome.change === 'ACTIVITY_CREATED' ? CalendarEventOutcome.CREATED : outcome.change === 'ACTIVITY_UPDATED' ? CalendarEventOutcome.UPDATED : CalendarEventOutcome.UNCHANGED;
      results[outcome.index] = { uid: invite.uid, outcome: kind, appointmentId: outcome.appointmentId ? toGlobalId('Appointment', outcome.appointmentId) : null, note: outcome.note };
    }
    // What Exchange shows is what the CRM now holds for these: nothing to write back (no echo).
    for (const outcome of outcomes) {
      const { itemId, changeKey, organizedHere, invitationsSent } = entryOf(events[outcome.index]);
      if (!outcome.appointmentId || !itemId) continue;
      const fingerprint = await currentFingerprint(em, outcome.appointmentId);
      if (fingerprint) await recordCalendarLink(em, { mailboxId: mailbox.id, activityId: outcome.appointmentId, itemId, fingerprint, changeKey, organizedHere, invitationsSent }, now);
    }
    const seriesChanges: { appointmentId: string; change: 'ACTIVITY_CREATED' | 'ACTIVITY_UPDATED' }[] = [];
    const seriesLinks: SeriesLinks = { mailboxId: mailbox.id, linked, conflicted };
    for (const s of series) results.push(await this.applySeries(em, context, s, concernsCrm, seriesChanges, seriesLinks));
    if (cursor !== null) await em.update(Mailbox, { id: mailbox.id }, { syncCursor: cursor, updatedAt: now });
    const changed = [...outcomes.filter((o) => o.change && o.appointmentId).map((o) => ({ change: o.change!, appointmentId: o.appointmentId! })), ...seriesChanges];
    await this.events.stageMany(em, [
      ...changed.map((o) => ({ change: o.change === 'ACTIVITY_CREATED' ? ('CREATED' as const) : ('UPDATED' as const), activityId: o.appointmentId })),
      ...conflicted.map((activityId) => ({ change: 'UPDATED' as const, activityId })),
    ]);
    return results;
  }

  /**
   * One recurring series, the way Dynamics keeps it: the series as an appointment holding the series' UID and its rule
   * (appointment_recurrence), and each occurrence in the window as an appointment of its own linked to it. Whether the
   * series enters the CRM is decided on its master as for a single meeting; its occurrences follow the series.
   */
  private async applySeries(
    em: EntityManager,
    context: InviteContext,
    s: PreparedSeries,
    concernsCrm: (invite: PreparedInvite) => boolean,
    changes: { appointmentId: string; change: 'ACTIVITY_CREATED' | 'ACTIVITY_UPDATED' }[],
    links: SeriesLinks,
  ): Promise<CalendarEventResult> {
    const held = await em.findOne(AppointmentDetail, { where: { icalUid: s.uid }, select: { activityId: true } });
    const result = (outcome: CalendarEventOutcome, appointmentId: string | null, note: string | null = null): CalendarEventResult => ({ uid: s.uid, outcome, appointmentId: appointmentId ? toGlobalId('Appointment', appointmentId) : null, note });
    if (!held && (!s.master || !concernsCrm(s.master))) return result(CalendarEventOutcome.NOT_TRACKED, null);
    let seriesId = held?.activityId ?? null;
    let outcome = CalendarEventOutcome.UNCHANGED;
    let note: string | null = null;
    // A master or occurrence linked to its entry is settled first, as a single meeting is: an echo of what the CRM
    // wrote changes nothing, and a change the owner made in the CRM to a series they organize may win over Outlook's.
    const settle = async (invite: PreparedInvite, event: CalendarInput | null | undefined) => {
      const entry = entryOf(event ?? undefined);
      const pair = entry.itemId ? links.linked.get(entry.itemId) : undefined;
      const settled = pair && invite.start && invite.end ? await settleLinkedEntry(em, links.mailboxId, pair, invite, entry, context.actorId, context.now) : null;
      if (settled?.outcome === CalendarEventOutcome.CRM_VERSION_KEPT) links.conflicted.push(pair!.link.activityId);
      return settled ? pair!.link.activityId : null;
    };
    const masterSettled = s.master ? await settle(s.master, s.input.master) : null;
    if (masterSettled) seriesId = masterSettled;
    else if (s.master) {
      const [applied] = await this.invites.apply(em, context, [{ index: 0, invite: s.master, regarding: null, subject: s.master.summary ?? '' }]);
      seriesId = applied.appointmentId;
      note = applied.note;
      if (applied.change && seriesId) {
        changes.push({ appointmentId: seriesId, change: applied.change });
        outcome = applied.change === 'ACTIVITY_CREATED' ? CalendarEventOutcome.CREATED : CalendarEventOutcome.UPDATED;
      }
    }
    if (!seriesId) return result(CalendarEventOutcome.NOT_TRACKED, null, note);
    if (s.input.recurrence) {
      const r = s.input.recurrence;
      await em.upsert(
        AppointmentRecurrence,
        { activityId: seriesId, pattern: r.pattern, interval: r.interval, daysOfWeek: r.daysOfWeek.join(','), dayOfMonth: r.dayOfMonth ?? null, weekIndex: r.weekIndex ?? null, month: r.month ?? null, rangeStart: r.rangeStart, rangeEnd: r.rangeEnd ?? null, occurrenceCount: r.count ?? null, timeZone: r.timeZone?.trim() || null },
        ['activityId'],
      );
    }
    const seriesState = await em.findOne(Activity, { where: { id: seriesId }, select: { state: true } });
    const scope = { seriesId, windowFrom: s.input.windowFrom, windowTo: s.input.windowTo, seriesCancelled: seriesState?.state === ActivityState.CANCELLED };
    const settledStarts = new Set<number>();
    for (const [i, o] of s.occurrences.entries()) if (await settle(o.invite, s.input.occurrences[i])) settledStarts.add(o.originalStart.getTime());
    const occurrenceChanges = await this.invites.applyOccurrences(em, context, scope, s.occurrences, settledStarts);
    changes.push(...occurrenceChanges);
    await recordSeriesLinks(em, links.mailboxId, seriesId, s, masterSettled !== null, settledStarts, context.now);
    if (outcome === CalendarEventOutcome.UNCHANGED && occurrenceChanges.length > 0) outcome = CalendarEventOutcome.UPDATED;
    return result(outcome, seriesId, note);
  }
}
