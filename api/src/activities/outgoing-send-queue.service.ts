import type { DataSource } from 'typeorm';
import type { Principal } from '../access/principal';
import { requireSyncEngine } from '../access/sync-engine-guard';
import { badInput } from '../common/errors';
import { repairText } from '../common/text';
import type { Clock } from '../platform/clock';
import { Activity } from './activity.entity';
import { EmailMessage } from './email-message.entity';
import { afterFailure, type SendEvent } from './email-send-state';
import type { EmailSendTransitions } from './email-send-transitions';
import type { OutgoingClaims } from './outgoing-claims';
import type { OutgoingEmailPayloads } from './outgoing-email-payloads';
import { CLAIM_LIMIT, LEASE_SECONDS, type OutgoingEmail } from './outgoing-email.types';

const MAX_REASON_LENGTH = 2000;
const ENGINE_ONLY = 'claim and report outgoing email';

/**
 * The sync engines' side of outgoing email: claim under a lease, then report sent, failed, or (for
 * an UNCERTAIN one) whether the Sent folder has it. Nothing is sent twice without a person (or the
 * Sent folder) deciding so: an engine that goes quiet leaves its email UNCERTAIN.
 */
export class OutgoingSendQueueService {
  constructor(
    private readonly db: DataSource,
    private readonly claims: OutgoingClaims,
    private readonly payloads: OutgoingEmailPayloads,
    private readonly transitions: EmailSendTransitions,
    private readonly clock: Clock,
  ) {}

  /** Claims up to `limit` due emails under a fresh lease each (outgoing-claims.ts), with what it takes to send them. */
  async claim(principal: Principal, limit: number = CLAIM_LIMIT.default, leaseSeconds: number = LEASE_SECONDS.default): Promise<OutgoingEmail[]> {
    requireSyncEngine(principal, ENGINE_ONLY);
    if (!Number.isInteger(limit) || limit < CLAIM_LIMIT.min || limit > CLAIM_LIMIT.max) throw badInput('limit', `must be from ${CLAIM_LIMIT.min} to ${CLAIM_LIMIT.max}`);
    if (!Number.isInteger(leaseSeconds) || leaseSeconds < LEASE_SECONDS.min || leaseSeconds > LEASE_SECONDS.max) {
      throw badInput('leaseSeconds', `must be from ${LEASE_SECONDS.min} to ${LEASE_SECONDS.max}`);
    }
    return this.payloads.of(await this.claims.take(limit, leaseSeconds));
  }

  async markSent(principal: Principal, emailGlobalId: string, leaseId: string, sentAt: Date | null | undefined): Promise<Activity> {
    requireSyncEngine(principal, ENGINE_ONLY);
    const id = await this.transitions.outgoingId(emailGlobalId);
    const now = this.clock();
    const at = sentAt ?? now;
    return this.db.transaction(async (em) => {
      const applied = await this.transitions.applyLeased(em, id, leaseId, 'SENT', now, { sentAt: at, failureReason: null, nextAttemptAt: null });
      if (applied) await this.transitions.completed(em, id, at);
      return em.findOneByOrFail(Activity, { id });
    });
  }

  /** `retryable`: the engine knows the message was not delivered (e.g. refused before DATA). */
  async markFailed(principal: Principal, emailGlobalId: string, leaseId: string, reason: string, retryable: boolean): Promise<Activity> {
    requireSyncEngine(principal, ENGINE_ONLY);
    const id = await this.transitions.outgoingId(emailGlobalId);
    const now = this.clock();
    const attempts = (await this.db.getRepository(EmailMessage).findOneByOrFail({ activityId: id })).sendAttempts;
    const outcome = afterFailure(attempts, retryable, now);
    // The reason quotes the mail server's reply: repaired, not refused (see MailServerText).
    const text = repairText(reason.trim().slice(0, MAX_REASON_LENGTH)) || 'no reason given';
    const failureReason = outcome.event === 'GAVE_UP' && retryable ? `${text} (gave up after ${attempts} attempts)` : text;
    await this.db.transaction((em) =>
      this.transitions.applyLeased(em, id, leaseId, outcome.event, now, {
        failureReason,
        nextAttemptAt: outcome.event === 'FAILED_RETRYABLE' ? outcome.nextAttemptAt : null,
      }, attempts),
    );
    return this.db.getRepository(Activity).findOneByOrFail({ id });
  }

  /** The engine looked for the Message-ID in the Sent folder of an UNCERTAIN email's mailbox. */
  async resolveUncertain(principal: Principal, emailGlobalId: string, delivered: boolean, sentAt: Date | null | undefined): Promise<Activity> {
    requireSyncEngine(principal, ENGINE_ONLY);
    const id = await this.transitions.outgoingId(emailGlobalId);
    const now = this.clock();
    await this.transitions.expireLeases(now);
    const at = sentAt ?? now;
    return this.db.transaction(async (em) => {
      const event: SendEvent = delivered ? 'FOUND_IN_SENT' : 'NOT_FOUND_IN_SENT';
      const changed = await this.transitions.apply(
        em,
        id,
        event,
        delivered ? { sentAt: at, failureReason: null } : { sendLeaseId: null, nextAttemptAt: null, failureReason: null },
      );
      if (changed && delivered) await this.transitions.completed(em, id, at);
      return em.findOneByOrFail(Activity, { id });
    });
  }
}
