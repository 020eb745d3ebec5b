import type { EntityManager } from 'typeorm';
import type { LiveEventLog } from '../live/live-event-log';
import type { Clock } from '../platform/clock';
import { AlertSeverity } from './mail-enums';
import { recordAlert } from './mailbox-alerts';
import { readdressed } from './mailbox-config-rules';
import { forwardedStates, stageForwardedStateChanges, stageMailboxChanges } from './mailbox-live-events';
import { Mailbox } from './mailbox.entity';

/** What changed on a queue that its mailbox mirrors. */
export interface QueueMailboxChange {
  readonly address?: string;
  readonly ownerUserId?: string;
}

/**
 * Keeps a queue's mailbox in step with the queue, inside the queue's transaction: a new address resets
 * approval and Test & Enable (readdressed) and says so in the alert log; a new owner becomes the
 * mailbox's owner for privacy. Stages the live events a mailbox query would show.
 */
export async function followQueue(em: EntityManager, live: LiveEventLog, clock: Clock, queueId: string, change: QueueMailboxChange, actor: string): Promise<void> {
  const mailbox = await em.findOneBy(Mailbox, { queueId });
  if (!mailbox) return;
  const forwarded = await forwardedStates(em);
  const readdress = change.address !== undefined && change.address !== mailbox.address;
  const reown = change.ownerUserId !== undefined && change.ownerUserId !== mailbox.ownerUserId;
  if (!readdress && !reown) return;
  const reset = readdress ? readdressed(mailbox) : undefined;
  await em.update(Mailbox, { id: mailbox.id }, {
    ...(readdress ? { address: change.address, ...reset } : {}),
    ...(reown ? { ownerUserId: change.ownerUserId } : {}),
    updatedAt: clock(),
  });
  if (readdress) {
    const stopped = reset && 'state' in reset ? ' The mailbox stopped synchronizing.' : '';
    await recordAlert(
      em,
      live,
      mailbox.id,
      AlertSeverity.WARNING,
      'ADDRESS_CHANGED',
      `Email address changed from ${mailbox.address} to ${change.address} by ${actor}; approve the new address and run Test & Enable.${stopped}`,
      clock,
    );
  }
  await stageMailboxChanges(live, em, [mailbox.id], readdress ? 'STATE' : 'CONFIGURATION');
  await stageForwardedStateChanges(live, em, forwarded);
}
