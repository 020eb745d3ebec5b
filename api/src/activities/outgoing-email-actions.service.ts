import type { DataSource } from 'typeorm';
import type { Principal } from '../access/principal';
import { Privilege } from '../access/privileges';
import { Activity } from './activity.entity';
import type { ActivityService } from './activity.service';
import type { EmailSendTransitions } from './email-send-transitions';

/** What the sender may do with their queued email: send it again after a failure or an uncertain send, or withdraw it. */
export class OutgoingEmailActionsService {
  constructor(
    private readonly db: DataSource,
    private readonly activities: Pick<ActivityService, 'activity'>,
    private readonly transitions: EmailSendTransitions,
  ) {}

  /** The sender chose to send a FAILED or UNCERTAIN email again (accepting, for UNCERTAIN, that it may arrive twice). */
  async retry(principal: Principal, emailGlobalId: string): Promise<Activity> {
    const activity = await this.activities.activity(principal, 'emailId', emailGlobalId, Privilege.WRITE, ['Email']);
    await this.transitions.expireLeases();
    await this.db.transaction((em) =>
      // A person's retry starts a fresh budget of attempts.
      this.transitions.apply(em, activity.id, 'RETRY', { sendLeaseId: null, sendLeaseUntil: null, nextAttemptAt: null, failureReason: null, sendAttempts: 0 }),
    );
    return this.db.getRepository(Activity).findOneByOrFail({ id: activity.id });
  }

  /** The sender withdraws an email that no engine is sending (a SENDING one may already be on the wire). */
  async cancel(principal: Principal, emailGlobalId: string): Promise<Activity> {
    const activity = await this.activities.activity(principal, 'emailId', emailGlobalId, Privilege.WRITE, ['Email']);
    await this.transitions.outgoingId(emailGlobalId);
    await this.transitions.expireLeases();
    await this.db.transaction(async (em) => {
      if (await this.transitions.apply(em, activity.id, 'CANCEL', { sendLeaseId: null, sendLeaseUntil: null, nextAttemptAt: null })) {
        await this.transitions.cancelled(em, activity.id, principal.userId);
      }
    });
    return this.db.getRepository(Activity).findOneByOrFail({ id: activity.id });
  }
}
