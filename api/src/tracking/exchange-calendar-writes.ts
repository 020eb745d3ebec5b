import { createHash } from 'node:crypto';
import { In, MoreThanOrEqual, type EntityManager } from 'typeorm';
import { AppointmentDetail } from '../activities/activity-details.entity';
import { ActivityKind, ActivityState, PartyRole } from '../activities/activity-enums';
import { ActivityParty } from '../activities/activity-party.entity';
import { Activity } from '../activities/activity.entity';
import { ExchangeCalendarLink } from './exchange-calendar-link.entity';

/** How far back an appointment made in the CRM is still written to Exchange: older ones are history, not plans. */
const WRITE_WINDOW_DAYS = 30;
const DAY_MS = 86_400_000;
/** The most appointments looked at per call (the owner's most recently changed); the rest come on the next runs. */
const SCAN_LIMIT = 500;

/** What the Calendar entry shows, to tell a real change from the same appointment read back. */
export interface CalendarShape {
  readonly subject: string;
  readonly startAt: Date;
  readonly endAt: Date;
  readonly allDay: boolean;
  readonly location: string | null;
  readonly cancelled: boolean;
}

export function calendarFingerprint(shape: CalendarShape): string {
  const text = JSON.stringify([shape.subject.trim(), shape.startAt.getTime(), shape.endAt.getTime(), shape.allDay, shape.location?.trim() || null, shape.cancelled]);
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** An appointment the engine is to write to the mailbox's Exchange Calendar. */
export interface PendingCalendarWrite {
  readonly appointmentId: string;
  readonly uid: string;
  /** The Calendar entry already written, to change in place; null: create one. */
  readonly itemId: string | null;
  /** The entry's version the hub last saw: a newer one in Exchange is not overwritten. */
  readonly changeKey: string | null;
  readonly subject: string;
  readonly startAt: Date;
  readonly endAt: Date;
  readonly allDay: boolean;
  readonly location: string | null;
  /** Cancelled in the CRM: the entry is to be removed. */
  readonly cancelled: boolean;
  readonly attendees: readonly { readonly address: string; readonly name: string | null; readonly required: boolean }[];
  readonly fingerprint: string;
  /** Made in the CRM: an entry deleted in Outlook is made again. A meeting organized in Outlook, deleted there, stays deleted. */
  readonly createIfMissing: boolean;
}

/** The UID an appointment made in the CRM gets in Exchange: its calendar entry, read back, is this appointment. */
export const crmAppointmentUid = (activityId: string): string => `${activityId}@crm-activity-hub`;

/**
 * Made in the CRM (and so written to Exchange by the hub), not a meeting from an invitation or from Exchange. An
 * occurrence of a recurring series has no UID of its own but is Exchange's: written as a new single appointment it
 * would stand twice in Outlook, so it never is made (one its owner organizes is changed in place; writtenFromCrm).
 */
export const madeInCrm = (detail: Pick<AppointmentDetail, 'activityId' | 'icalUid' | 'seriesId'>): boolean =>
  detail.seriesId === null && (detail.icalUid === null || detail.icalUid === crmAppointmentUid(detail.activityId));

/**
 * The mailbox's owner holds this appointment's Calendar entry as its own, so changes in the CRM are written to it: made
 * in the CRM, or a meeting Exchange says the mailbox organizes (made in Outlook by the owner: a single meeting, a
 * series, or one occurrence of it). Someone else's meeting, from an invitation or in the Calendar, follows its organizer.
 */
export const writtenFromCrm = (detail: Pick<AppointmentDetail, 'activityId' | 'icalUid' | 'seriesId'>, link: Pick<ExchangeCalendarLink, 'organizedHere' | 'itemId'> | null | undefined): boolean =>
  madeInCrm(detail) || (!!link?.organizedHere && link.itemId !== null);

/** What the CRM holds of an appointment, as the Calendar entry would show it. */
export const crmCalendarShape = (activity: Activity, detail: AppointmentDetail): CalendarShape => ({
  subject: activity.subject, startAt: detail.startAt, endAt: detail.endAt, allDay: detail.allDay, location: detail.location, cancelled: activity.state === ActivityState.CANCELLED,
});

/**
 * The owner's appointments made in the CRM (no UID from outside), and the meetings, series and occurrences the owner
 * organized in Outlook that are still in the Calendar, that Exchange does not show as they are: changed since they were written or
 * read, or never written, ending within the last 30 days or later. A cancelled one never written
 * is left alone. Gives a CRM-made appointment its UID on the way out, so the entry read back is recognized even if
 * the engine stops before it reports the write.
 */
export async function pendingCalendarWrites(em: EntityManager, mailboxId: string, ownerId: string, now: Date, limit: number): Promise<PendingCalendarWrite[]> {
  const since = new Date(now.getTime() - WRITE_WINDOW_DAYS * DAY_MS);
  const activities = await em.find(Activity, { where: { kind: ActivityKind.APPOINTMENT, ownerId }, order: { updatedAt: 'DESC' }, take: SCAN_LIMIT });
  if (!activities.length) return [];
  const ids = activities.map((a) => a.id);
  const details = new Map((await em.find(AppointmentDetail, { where: { activityId: In(ids), endAt: MoreThanOrEqual(since) } })).map((d) => [d.activityId, d]));
  const links = new Map((await em.find(ExchangeCalendarLink, { where: { mailboxId, activityId: In(ids) } })).map((l) => [l.activityId, l]));
  const pending: { activity: Activity; detail: AppointmentDetail; link: ExchangeCalendarLink | undefined; fingerprint: string }[] = [];
  for (const activity of activities) {
    const detail = details.get(activity.id);
    if (!detail) continue;
    const link = links.get(activity.id);
    // Someone else's meeting, from an invitation or from Exchange, is theirs to move or cancel in Outlook.
    if (!writtenFromCrm(detail, link)) continue;
    const cancelled = activity.state === ActivityState.CANCELLED;
    if (cancelled && !link?.itemId) continue;
    const fingerprint = calendarFingerprint(crmCalendarShape(activity, detail));
    if (link?.fingerprint === fingerprint) continue;
    pending.push({ activity, detail, link, fingerprint });
    if (pending.length >= limit) break;
  }
  if (!pending.length) return [];
  for (const { activity, detail } of pending) {
    if (detail.icalUid === null && madeInCrm(detail)) await em.update(AppointmentDetail, { activityId: activity.id }, { icalUid: crmAppointmentUid(activity.id) });
  }
  // An occurrence has no UID of its own: it is its series' (only ever changed in place, never made).
  const seriesIds = [...new Set(pending.flatMap(({ detail }) => (detail.seriesId ? [detail.seriesId] : [])))];
  const seriesUids = new Map(seriesIds.length ? (await em.find(AppointmentDetail, { where: { activityId: In(seriesIds) }, select: { activityId: true, icalUid: true } })).map((d) => [d.activityId, d.icalUid]) : []);
  const parties = await em.find(ActivityParty, { where: { activityId: In(pending.map((p) => p.activity.id)), role: In([PartyRole.REQUIRED, PartyRole.OPTIONAL]) }, order: { position: 'ASC' } });
  return pending.map(({ activity, detail, link, fingerprint }) => ({
    appointmentId: activity.id,
    uid: detail.icalUid ?? (detail.seriesId ? seriesUids.get(detail.seriesId) : null) ?? crmAppointmentUid(activity.id),
    itemId: link?.itemId ?? null,
    changeKey: link?.itemId ? link.changeKey : null,
    subject: activity.subject,
    startAt: detail.startAt,
    endAt: detail.endAt,
    allDay: detail.allDay,
    location: detail.location,
    cancelled: activity.state === ActivityState.CANCELLED,
    attendees: parties.filter((p) => p.activityId === activity.id && p.address).map((p) => ({ address: p.address!, name: p.displayName, required: p.role === PartyRole.REQUIRED })),
    fingerprint,
    createIfMissing: madeInCrm(detail),
  }));
}

/** What a link records; the entry's organizer and invitations as Exchange last said (false until it says). */
export type CalendarLinkFacts = Pick<ExchangeCalendarLink, 'mailboxId' | 'activityId' | 'itemId' | 'fingerprint' | 'changeKey' | 'organizedHere' | 'invitationsSent'>;

/** Records what the Calendar now shows for an appointment (written by the engine, or read from Exchange), and which version. */
export async function recordCalendarLink(em: EntityManager, link: CalendarLinkFacts, now: Date): Promise<void> {
  const { mailboxId, activityId, itemId, fingerprint, changeKey, organizedHere, invitationsSent } = link;
  await em.upsert(ExchangeCalendarLink, { mailboxId, activityId, itemId, fingerprint, changeKey, organizedHere, invitationsSent, updatedAt: now }, ['mailboxId', 'activityId']);
}

/** The fingerprint of an appointment as the CRM holds it now (after an event from Exchange was applied). */
export async function currentFingerprint(em: EntityManager, activityId: string): Promise<string | null> {
  const activity = await em.findOneBy(Activity, { id: activityId });
  const detail = await em.findOneBy(AppointmentDetail, { activityId });
  if (!activity || !detail) return null;
  return calendarFingerprint(crmCalendarShape(activity, detail));
}
