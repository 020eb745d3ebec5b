import { In, type DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../access/principal';
import { requireSyncEngine } from '../access/sync-engine-guard';
import type { ActivityEvents } from '../activities/activity-events';
import { AppointmentDetail } from '../activities/activity-details.entity';
import type { ActivityWriter } from '../activities/activity-writer';
import { ApiError, notFound } from '../common/errors';
import { expectGlobalId, toGlobalId } from '../common/global-id';
import { repairStrings } from '../common/text';
import { retryingDatabaseWork, type RetryBudget } from '../db/transaction-retry';
import { forUpdate } from '../db/row-locks';
import { EmailServerProfile } from '../mail/email-server-profile.entity';
import { ActMethod, EmailServerKind } from '../mail/mail-enums';
import { Mailbox } from '../mail/mailbox.entity';
import type { Clock } from '../platform/clock';
import type { Logger } from '../platform/logger';
import { User } from '../identity/user.entity';
import { CalendarEventOutcome, type CalendarEventResult } from './calendar-sync.inputs';
import { MeetingInvites, prepareInvite, type InviteRequest, type PreparedInvite } from './meeting-invites';
import type { CalendarInput } from './track-emails.inputs';
import { TrackingFacts } from './tracking-facts';

// Two engines' pages naming one new UID collide on its unique index; the run again finds the appointment and updates it.
const RETRIES: RetryBudget = { DUPLICATE_KEY: 6 };
const RECORD_KINDS = new Set(['contact', 'account', 'lead']);

/**
 * `syncMailboxCalendar`: appointments from a mailbox's Exchange Calendar become Appointment activities, keyed by
 * their iCalendar UID like meeting invitations in mail (so the invitation and the calendar entry of one meeting are
 * one appointment), in one transaction with the mailbox's cursor. Only meetings with a CRM record among their
 * organizer and attendees enter the CRM, as a person's own calendar also holds what is none of the CRM's business;
 * one already in the CRM follows every change (moved, re-titled, cancelled). A replayed page changes nothing.
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

  async sync(principal: Principal, mailboxGlobalId: string, leaseId: string, events: readonly CalendarInput[], cursor: string | null): Promise<CalendarEventResult[]> {
    requireSyncEngine(principal, 'synchronize calendars');
    const { id: mailboxId } = expectGlobalId('mailboxId', mailboxGlobalId, 'Mailbox');
    const mailbox = await this.db.getRepository(Mailbox).findOneBy({ id: mailboxId });
    if (!mailbox) throw notFound('mailboxId', mailboxGlobalId);
    const profile = mailbox.profileId ? await this.db.getRepository(EmailServerProfile).findOneBy({ id: mailbox.profileId }) : null;
    if (mailbox.actMethod !== ActMethod.SERVER_SIDE_SYNC || profile?.kind !== EmailServerKind.EXCHANGE_EWS) {
      throw new ApiError('CONFLICT', 'mailboxId: this mailbox does not synchronize appointments with Exchange (appointmentsContactsTasksMethod SERVER_SIDE_SYNC on an EXCHANGE_EWS profile)', 'mailboxId');
    }
    const owner = await this.db.getRepository(User).findOneByOrFail({ id: mailbox.ownerUserId });
    const prepared = events.map((event) => prepareInvite({ ...repairStrings(event), method: 'PUBLISH' }));
    return retryingDatabaseWork(
      () => this.db.transaction((em) => this.apply(em, principal, mailbox, owner, leaseId, prepared, cursor)),
      RETRIES,
      (kind, attempt) => this.log.debug({ kind, attempt, mailboxId }, 'syncMailboxCalendar conflicted with another writer; running it again'),
    );
  }

  private async apply(em: EntityManager, principal: Principal, mailbox: Mailbox, owner: User, leaseId: string, prepared: readonly PreparedInvite[], cursor: string | null): Promise<CalendarEventResult[]> {
    // Under the row lock: a claim cannot take the mailbox over between this check and the commit.
    const [locked] = (await em.query(`SELECT leaseId FROM mailbox WHERE id = ?${forUpdate(em)}`, [mailbox.id])) as { leaseId: string | null }[];
    if (locked?.leaseId !== leaseId) throw new ApiError('CONFLICT', 'leaseId: this lease is no longer the mailbox\'s (another engine claimed it, or it was released); nothing was written', 'leaseId');
    const now = this.clock();
    const addresses = prepared.flatMap((invite) => invite.parties.map((p) => p.address));
    const facts = await TrackingFacts.load(em, { mailboxId: mailbox.id, items: [], tokenFormat: { prefix: '', baseNumber: 0, userDigits: 0, counterDigits: 0 }, smartMatching: false, extraAddresses: addresses });
    const uids = [...new Set(prepared.map((invite) => invite.uid).filter((uid) => uid))];
    const known = new Set(uids.length ? (await em.find(AppointmentDetail, { where: { icalUid: In(uids) }, select: { icalUid: true } })).map((a) => a.icalUid) : []);
    const own = mailbox.address.toLowerCase();
    // A meeting enters the CRM when someone in it besides the mailbox's owner is a CRM record.
    const concernsCrm = (invite: PreparedInvite) => invite.parties.some((p) => p.address.toLowerCase() !== own && RECORD_KINDS.has(facts.resolve(p.address).match?.kind ?? ''));
    const results: CalendarEventResult[] = [];
    const requests: InviteRequest[] = [];
    prepared.forEach((invite, index) => {
      if (!known.has(invite.uid) && !concernsCrm(invite)) {
        results[index] = { uid: invite.uid, outcome: CalendarEventOutcome.NOT_TRACKED, appointmentId: null, note: null };
        return;
      }
      requests.push({ index, invite, regarding: null, subject: invite.summary ?? '' });
    });
    const context = { ownerId: owner.id, businessUnitId: owner.businessUnitId, actorId: principal.userId, visibility: mailbox.privacyLevel, now, resolve: (address: string) => facts.resolve(address) };
    const outcomes = await this.invites.apply(em, context, requests);
    for (const outcome of outcomes) {
      const invite = prepared[outcome.index];
      const kind = outcome.change === 'ACTIVITY_CREATED' ? CalendarEventOutcome.CREATED : outcome.change === 'ACTIVITY_UPDATED' ? CalendarEventOutcome.UPDATED : CalendarEventOutcome.UNCHANGED;
      results[outcome.index] = { uid: invite.uid, outcome: kind, appointmentId: outcome.appointmentId ? toGlobalId('Appointment', outcome.appointmentId) : null, note: outcome.note };
    }
    if (cursor !== null) await em.update(Mailbox, { id: mailbox.id }, { syncCursor: cursor, updatedAt: now });
    const changed = outcomes.filter((o) => o.change && o.appointmentId);
    await this.events.stageMany(em, changed.map((o) => ({ change: o.change === 'ACTIVITY_CREATED' ? ('CREATED' as const) : ('UPDATED' as const), activityId: o.appointmentId! })));
    return results;
  }
}
