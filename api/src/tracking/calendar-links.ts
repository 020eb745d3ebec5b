import { In, type EntityManager } from 'typeorm';
import { AppointmentDetail } from '../activities/activity-details.entity';
import { ActivityState } from '../activities/activity-enums';
import { Activity } from '../activities/activity.entity';
import { CalendarEventOutcome, type CalendarEventResult } from './calendar-sync.inputs';
import { ExchangeCalendarLink } from './exchange-calendar-link.entity';
import { calendarFingerprint, crmCalendarShape, madeInCrm, recordCalendarLink, writtenFromCrm, type CalendarShape } from './exchange-calendar-writes';
import type { PreparedInvite } from './meeting-invites';
import { recordSyncConflict } from './sync-conflict-log';
import { decideLinkedChange, SyncConflictRule, SyncSide } from './sync-conflict-rule';
import type { CalendarInput } from './track-emails.inputs';
import { changeActivities } from '../activities/timeline-copies';

// Calendar entries linked to appointments (exchange_calendar_link) as syncMailboxCalendar reads them: an echo of what
// the two last agreed on, a change on one side, a change on both (the later wins, the loser kept), or a deletion.

/** What the engine says of a Calendar entry besides the event itself; ids longer than the columns hold are ignored. */
export interface CalendarEntry {
  readonly itemId: string | undefined;
  readonly changeKey: string | null;
  /** Without a LastModifiedTime the entry counts as changed long ago: in a conflict, the CRM's change wins. */
  readonly lastModifiedAt: Date;
  /** Exchange says the mailbox organizes the meeting (MyResponseType Organizer). */
  readonly organizedHere: boolean;
  /** Its invitations were sent (MeetingRequestWasSent). */
  readonly invitationsSent: boolean;
}

export function entryOf(event: CalendarInput | undefined): CalendarEntry {
  const itemId = event?.itemId?.trim();
  const changeKey = event?.changeKey?.trim();
  const modified = event?.lastModifiedAt;
  return {
    itemId: itemId && itemId.length <= 512 ? itemId : undefined,
    changeKey: changeKey && changeKey.length <= 512 ? changeKey : null,
    lastModifiedAt: modified instanceof Date && !Number.isNaN(modified.getTime()) ? modified : new Date(0),
    organizedHere: event?.mailboxOrganizes === true,
    invitationsSent: event?.invitationsSent === true,
  };
}

const LOOKUP_SLICE = 500;

export interface LinkedAppointment {
  readonly link: ExchangeCalendarLink;
  readonly activity: Activity;
  readonly detail: AppointmentDetail;
}

/** The links of this mailbox's entries among `itemIds`, with their appointments, keyed by ItemId. */
export async function linkedAppointments(em: EntityManager, mailboxId: string, itemIds: readonly (string | undefined)[]): Promise<Map<string, LinkedAppointment>> {
  const ids = [...new Set(itemIds.filter((id): id is string => !!id))];
  // A page may name thousands of entries (20 series of up to 500 occurrences): looked up in slices.
  const links: ExchangeCalendarLink[] = [];
  for (let i = 0; i < ids.length; i += LOOKUP_SLICE) links.push(...(await em.find(ExchangeCalendarLink, { where: { mailboxId, itemId: In(ids.slice(i, i + LOOKUP_SLICE)) } })));
  if (!links.length) return new Map();
  const activities = new Map<string, Activity>();
  const details = new Map<string, AppointmentDetail>();
  for (let i = 0; i < links.length; i += LOOKUP_SLICE) {
    const activityIds = links.slice(i, i + LOOKUP_SLICE).map((l) => l.activityId);
    for (const a of await em.find(Activity, { where: { id: In(activityIds) } })) activities.set(a.id, a);
    for (const d of await em.find(AppointmentDetail, { where: { activityId: In(activityIds) } })) details.set(d.activityId, d);
  }
  return new Map(links.flatMap((link) => {
    const activity = activities.get(link.activityId);
    const detail = details.get(link.activityId);
    return activity && detail ? [[link.itemId!, { link, activity, detail }] as const] : [];
  }));
}

/**
 * An entry linked to an appointment: read back unchanged (an echo of what the two last agreed on), the same edit on
 * both sides, or a change. An appointment the owner holds as their own (made in the CRM, or a meeting, series or
 * occurrence the mailbox organizes) changed on both sides goes to the later change (sync-conflict-rule.ts) and the loser is kept;
 * someone else's meeting follows its organizer, so Exchange's change applies. Null: apply Exchange's version as an
 * invitation (MeetingInvites).
 */
export async function settleLinkedEntry(em: EntityManager, mailboxId: string, pair: LinkedAppointment, invite: PreparedInvite, entry: CalendarEntry, actorId: string, now: Date): Promise<Pick<CalendarEventResult, 'outcome' | 'note'> | null> {
  const { link, activity, detail } = pair;
  const exchange: CalendarShape = { subject: invite.summary ?? '', startAt: invite.start!, endAt: invite.end!, allDay: invite.allDay, location: invite.location, cancelled: invite.cancelled };
  const crm = crmCalendarShape(activity, detail);
  const exchangeFp = calendarFingerprint(exchange);
  const decision = decideLinkedChange({ linked: link.fingerprint, exchange: exchangeFp, crm: calendarFingerprint(crm), exchangeModifiedAt: entry.lastModifiedAt, crmModifiedAt: activity.updatedAt });
  const ours = writtenFromCrm(detail, { organizedHere: entry.organizedHere, itemId: entry.itemId ?? null });
  const seen = { changeKey: entry.changeKey, organizedHere: entry.organizedHere, invitationsSent: entry.invitationsSent };
  const conflict = (rule: SyncConflictRule, winner: SyncSide, loser: CalendarShape) =>
    recordSyncConflict(em, { activityId: activity.id, mailboxId, rule, winner, crmModifiedAt: activity.updatedAt, exchangeModifiedAt: entry.lastModifiedAt, loser }, now);
  // Whatever is decided, this is the version the hub has now seen: a write from the CRM may overwrite it, not a newer one.
  switch (decision.kind) {
    case 'UNCHANGED':
      if (entry.changeKey !== link.changeKey || entry.organizedHere !== link.organizedHere || entry.invitationsSent !== link.invitationsSent) await recordCalendarLink(em, { ...link, ...seen }, now);
      return { outcome: CalendarEventOutcome.UNCHANGED, note: 'the Calendar shows what the CRM and the Calendar last agreed on' };
    case 'AGREED':
      await recordCalendarLink(em, { ...link, ...seen, fingerprint: exchangeFp }, now);
      return { outcome: CalendarEventOutcome.UNCHANGED, note: 'the CRM and the Calendar made the same change' };
    case 'KEEP_CRM':
      if (!ours) return null;
      // The link keeps its old fingerprint, so claimCalendarWrites hands out the CRM's version to write over Outlook's.
      await conflict(decision.conflict, SyncSide.CRM, exchange);
      await recordCalendarLink(em, { ...link, ...seen }, now);
      return { outcome: CalendarEventOutcome.CRM_VERSION_KEPT, note: 'changed in the CRM and in Outlook; the CRM\'s change was later' };
    case 'TAKE_EXCHANGE':
      if (ours && decision.conflict) {
        await conflict(decision.conflict, SyncSide.EXCHANGE, crm);
        // Cancelled in the CRM, but Outlook's later change kept the entry: it is open again (an invitation of the
        // same sequence would not undo a cancellation).
        if (crm.cancelled && !exchange.cancelled) await changeActivities(em, activity.id, { state: ActivityState.OPEN, modifiedById: actorId, updatedAt: now });
      }
      return null;
  }
}

/**
 * An entry deleted in Outlook: the CRM keeps the appointment (it may still happen for everyone else). One made in the
 * CRM and changed there since the two last agreed wins: the entry is written again. Otherwise, and always for a
 * meeting organized in Outlook (deleting it there is its organizer's word), it stays out of the Calendar: one made in
 * the CRM until its next change there, one organized in Outlook for good.
 */
export async function linkedEntryDeleted(em: EntityManager, mailboxId: string, pair: LinkedAppointment, now: Date): Promise<void> {
  const { link, activity, detail } = pair;
  if (!madeInCrm(detail)) {
    await recordCalendarLink(em, { ...link, itemId: null, changeKey: null }, now);
    return;
  }
  const changed = calendarFingerprint(crmCalendarShape(activity, detail)) !== link.fingerprint;
  if (changed && activity.state !== ActivityState.CANCELLED) {
    await recordSyncConflict(em, { activityId: activity.id, mailboxId, rule: SyncConflictRule.CHANGE_BEATS_DELETE, winner: SyncSide.CRM, crmModifiedAt: activity.updatedAt, exchangeModifiedAt: now, loser: null }, now);
  }
  await recordCalendarLink(em, { ...link, itemId: null, changeKey: null }, now);
}

/** The parts of a series page whose entries are linked (calendar-sync.service.ts PreparedSeries). */
interface SeriesEntries {
  readonly input: { readonly master?: CalendarInput | null; readonly occurrences: readonly CalendarInput[] };
  readonly occurrences: readonly { readonly originalStart: Date }[];
}

/**
 * After a series page was applied, what Exchange shows of its master and occurrences is what the CRM now holds: each
 * entry is linked to its appointment with that fingerprint (no echo), and with the organizer and invitations Exchange
 * named, so the owner's changes to a series they organize are written to its entries. Entries settled before
 * (calendar-links settleLinkedEntry) keep the link that settling recorded.
 */
export async function recordSeriesLinks(em: EntityManager, mailboxId: string, seriesId: string, series: SeriesEntries, masterSettled: boolean, settledStarts: ReadonlySet<number>, now: Date): Promise<void> {
  const occurrences = await em.find(AppointmentDetail, { where: { seriesId } });
  const byStart = new Map(occurrences.filter((d) => d.originalStartAt).map((d) => [d.originalStartAt!.getTime(), d]));
  const entries: { activityId: string; event: CalendarInput }[] = [];
  if (series.input.master && !masterSettled) entries.push({ activityId: seriesId, event: series.input.master });
  for (const [i, o] of series.occurrences.entries()) {
    const detail = byStart.get(o.originalStart.getTime());
    if (detail && !settledStarts.has(o.originalStart.getTime())) entries.push({ activityId: detail.activityId, event: series.input.occurrences[i] });
  }
  const ids = entries.map((e) => e.activityId);
  if (!ids.length) return;
  const activities = new Map((await em.find(Activity, { where: { id: In(ids) } })).map((a) => [a.id, a]));
  const details = new Map([...occurrences, ...(await em.find(AppointmentDetail, { where: { activityId: seriesId } }))].map((d) => [d.activityId, d]));
  for (const { activityId, event } of entries) {
    const { itemId, changeKey, organizedHere, invitationsSent } = entryOf(event);
    const activity = activities.get(activityId);
    const detail = details.get(activityId);
    if (!itemId || !activity || !detail) continue;
    await recordCalendarLink(em, { mailboxId, activityId, itemId, fingerprint: calendarFingerprint(crmCalendarShape(activity, detail)), changeKey, organizedHere, invitationsSent }, now);
  }
}
