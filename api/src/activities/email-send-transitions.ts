import { In, LessThan, type DataSource, type EntityManager } from 'typeorm';
import { ApiError, notFound } from '../common/errors';
import { expectGlobalId } from '../common/global-id';
import { SendMetricOutcome } from '../mail/sync-metric-event.entity';
import { recordSendOutcome } from '../mail/sync-metric-events';
import type { Clock } from '../platform/clock';
import type { ActivityEvents } from './activity-events';
import { ActivityState } from './activity-enums';
import { EmailMessage } from './email-message.entity';
import { judgeLeaseReport, SEND_TRANSITIONS, type SendEvent } from './email-send-state';
import { changeActivities } from './timeline-copies';

/** What the sync dashboard counts for each transition (sync_metric_event): how a send attempt ended; claims, retries and cancels are no outcome. */
const SEND_METRIC: Readonly<Record<SendEvent, SendMetricOutcome | null>> = {
  CLAIM: null,
  SENT: SendMetricOutcome.SENT,
  FAILED_RETRYABLE: SendMetricOutcome.RETRYING,
  GAVE_UP: SendMetricOutcome.FAILED,
  LEASE_EXPIRED: SendMetricOutcome.UNCERTAIN,
  FOUND_IN_SENT: SendMetricOutcome.SENT,
  NOT_FOUND_IN_SENT: null,
  RETRY: null,
  CANCEL: null,
};

export const LEASE_EXPIRED_REASON = 'the sync engine stopped reporting while sending; it may or may not have been delivered';

/**
 * Applies the transitions of email-send-state.ts to the database: each change of an outgoing
 * email's status is one UPDATE conditional on the status (and, for reports, the lease), staged
 * with its live event in the same transaction, so two reports racing for one email never both win.
 */
export class EmailSendTransitions {
  constructor(
    private readonly db: DataSource,
    private readonly events: ActivityEvents,
    private readonly clock: Clock,
  ) {}

  /** The raw id of an email sent from the hub. */
  async outgoingId(globalId: string): Promise<string> {
    const { id } = expectGlobalId('emailId', globalId, 'Email');
    const message = await this.db.getRepository(EmailMessage).findOne({ where: { activityId: id }, select: { activityId: true, senderMailboxId: true } });
    if (!message?.senderMailboxId) throw notFound('emailId', globalId);
    return id;
  }

  /** SENDING emails whose lease ran out become UNCERTAIN; returns how many. */
  async expireLeases(now = this.clock()): Promise<number> {
    const expired = await this.db.getRepository(EmailMessage).find({
      where: { status: In([...SEND_TRANSITIONS.LEASE_EXPIRED.from]), sendLeaseUntil: LessThan(now) },
      select: { activityId: true },
    });
    let changed = 0;
    for (const { activityId } of expired) {
      // One transaction per email, so each change is staged with the update that made it.
      await this.db.transaction(async (em) => {
        const result = await em
          .createQueryBuilder()
          .update(EmailMessage)
          .set({ status: SEND_TRANSITIONS.LEASE_EXPIRED.to, failureReason: LEASE_EXPIRED_REASON })
          .where('activityId = :id AND status IN (:...from) AND sendLeaseUntil < :now', { id: activityId, from: SEND_TRANSITIONS.LEASE_EXPIRED.from, now })
          .execute();
        if (result.affected === 1) {
          changed++;
          await this.events.stage(em, 'UPDATED', activityId);
          await this.recordOutcome(em, activityId, 'LEASE_EXPIRED', now);
        }
      });
    }
    return changed;
  }

  /**
   * A lease holder's report, as one UPDATE conditional on the status, the lease and its expiry.
   * Returns true when this call changed the email; false when the same report was applied before
   * (a repeated request); throws CONFLICT otherwise.
   */
  async applyLeased(
    em: EntityManager,
    id: string,
    leaseId: string,
    event: SendEvent,
    now: Date,
    values: Partial<EmailMessage>,
    attempts?: number,
  ): Promise<boolean> {
    const transition = SEND_TRANSITIONS[event];
    const qb = em
      .createQueryBuilder()
      .update(EmailMessage)
      .set({ ...values, status: transition.to, sendLeaseUntil: null })
      .where('activityId = :id AND status IN (:...from) AND sendLeaseId = :leaseId AND sendLeaseUntil >= :now', { id, from: transition.from, leaseId, now });
    // The failure decision was made for this attempt: a claim in between must not inherit it.
    if (attempts !== undefined) qb.andWhere('sendAttempts = :attempts', { attempts });
    if ((await qb.execute()).affected === 1) {
      await this.events.stage(em, 'UPDATED', id);
      await this.recordOutcome(em, id, event, now);
      return true;
    }
    const current = await em.findOneByOrFail(EmailMessage, { activityId: id });
    const done = event === 'SENT' ? [SEND_TRANSITIONS.SENT.to] : [SEND_TRANSITIONS.FAILED_RETRYABLE.to, SEND_TRANSITIONS.GAVE_UP.to];
    const verdict = judgeLeaseReport(current, leaseId, done, now);
    if (verdict.kind === 'ALREADY_APPLIED') return false;
    throw new ApiError('CONFLICT', `leaseId: ${verdict.kind === 'CONFLICT' ? verdict.reason : 'the email changed while this report was applied; report again'}`, 'leaseId');
  }

  /** A transition that needs no lease, as one UPDATE conditional on the status; idempotent when already there. */
  async apply(em: EntityManager, id: string, event: SendEvent, values: Partial<EmailMessage>): Promise<boolean> {
    const transition = SEND_TRANSITIONS[event];
    const result = await em
      .createQueryBuilder()
      .update(EmailMessage)
      .set({ ...values, status: transition.to })
      .where('activityId = :id AND status IN (:...from)', { id, from: transition.from })
      .execute();
    if (result.affected === 1) {
      await this.events.stage(em, 'UPDATED', id);
      await this.recordOutcome(em, id, event, this.clock());
      return true;
    }
    const current = await em.findOneByOrFail(EmailMessage, { activityId: id });
    if (current.status === transition.to) return false;
    throw new ApiError(
      'CONFLICT',
      `emailId: the email is ${current.status}; this applies only to ${transition.from.join(' or ')} email`,
      'emailId',
    );
  }

  /** The CLAIM transition of one PENDING_SEND email under a fresh lease (MariaDB; the SQLite claim writes the same UPDATE itself). */
  async claimOne(em: EntityManager, id: string, leaseId: string, until: Date): Promise<boolean> {
    const result = await em
      .createQueryBuilder()
      .update(EmailMessage)
      .set({ status: SEND_TRANSITIONS.CLAIM.to, sendLeaseId: leaseId, sendLeaseUntil: until, sendAttempts: () => 'sendAttempts + 1', nextAttemptAt: null, failureReason: null })
      .where('activityId = :id AND status IN (:...from)', { id, from: SEND_TRANSITIONS.CLAIM.from })
      .execute();
    if (result.affected !== 1) return false;
    await this.events.stage(em, 'UPDATED', id);
    return true;
  }

  private async recordOutcome(em: EntityManager, id: string, event: SendEvent, at: Date): Promise<void> {
    const outcome = SEND_METRIC[event];
    if (outcome) await recordSendOutcome(em, id, outcome, at);
  }

  /** A sent email is a completed activity that happened when it was sent; its timeline entries move with it (changeActivities). */
  async completed(em: EntityManager, id: string, sentAt: Date): Promise<void> {
    await changeActivities(em, id, { state: ActivityState.COMPLETED, occurredAt: sentAt, updatedAt: this.clock() });
  }

  /** The sender withdrew the email: the activity is CANCELLED with it. */
  async cancelled(em: EntityManager, id: string, byUserId: string): Promise<void> {
    await changeActivities(em, id, { state: ActivityState.CANCELLED, modifiedById: byUserId, updatedAt: this.clock() });
  }
}
