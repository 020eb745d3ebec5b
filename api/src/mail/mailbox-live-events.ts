import { In, type EntityManager } from 'typeorm';
import type { LiveEventLog, MailboxChange } from '../live/live-event-log';
import { effectiveState } from './forwarded-state';
import { IncomingMethod } from './mail-enums';
import { dropMailboxWatches } from './mailbox-watch-drop';
import { Mailbox } from './mailbox.entity';
import { ORGANIZATION_SETTINGS_ID, OrganizationEmailSettings } from './organization-email-settings.entity';

// What the mail services tell the live event outbox, so `mailboxChanged` subscribers see every change
// a mailbox query would show. Each change is staged in the transaction that makes it (published only
// if it commits); the outbox keeps one event per mailbox per transaction (live-event-log.ts).

/**
 * Stages `change` for each mailbox, in the transaction `em` belongs to. Every configuration change passes here,
 * so here it also drops the mailboxes' watches: the watching engine connects again with the new settings.
 */
export async function stageMailboxChanges(live: LiveEventLog, em: EntityManager, mailboxIds: Iterable<string>, change: MailboxChange): Promise<void> {
  const ids = [...new Set(mailboxIds)];
  for (const mailboxId of ids) await live.stage(em, { topic: 'MAILBOX', mailboxId, change });
  if (change === 'CONFIGURATION') await dropMailboxWatches(em, ids);
}

/** Stages CONFIGURATION for every mailbox of these email server profiles (the profile is part of what a mailbox query shows). */
export async function stageProfileMailboxes(live: LiveEventLog, em: EntityManager, profileIds: readonly string[]): Promise<void> {
  if (!profileIds.length) return;
  const mailboxes = await em.find(Mailbox, { where: { profileId: In([...profileIds]) }, select: { id: true } });
  await stageMailboxChanges(live, em, mailboxes.map((m) => m.id), 'CONFIGURATION');
}

/** The state GraphQL shows for each mailbox whose incoming mail arrives through the forward mailbox, by mailbox id. */
export type ForwardedStates = ReadonlyMap<string, string>;

/**
 * A FORWARD_MAILBOX mailbox shows the forward mailbox's state (forwarded-state.ts): a change to a forward
 * mailbox's state, approval, profile or role, or to the organization's approval rule, changes theirs
 * without touching their rows. Read this before such a change and pass it to `stageForwardedStateChanges` after.
 */
export async function forwardedStates(em: EntityManager): Promise<ForwardedStates> {
  const dependents = await em.find(Mailbox, {
    where: { incomingMethod: IncomingMethod.FORWARD_MAILBOX },
    select: { id: true, incomingMethod: true, outgoingMethod: true, approval: true, state: true, stateReason: true },
  });
  if (!dependents.length) return new Map();
  const forwards = await em.find(Mailbox, { where: { isForwardMailbox: true }, select: { id: true, address: true, approval: true, profileId: true, state: true, stateReason: true } });
  const settings = await em.findOneByOrFail(OrganizationEmailSettings, { id: ORGANIZATION_SETTINGS_ID });
  return new Map(
    dependents.map((m) => {
      const shown = effectiveState(m, forwards, settings);
      return [m.id, `${shown.state}\n${shown.reason ?? ''}`];
    }),
  );
}

/** Stages STATE for each FORWARD_MAILBOX mailbox whose shown state differs from `before`. */
export async function stageForwardedStateChanges(live: LiveEventLog, em: EntityManager, before: ForwardedStates): Promise<void> {
  const after = await forwardedStates(em);
  const changed = [...after].filter(([id, shown]) => before.get(id) !== shown).map(([id]) => id);
  await stageMailboxChanges(live, em, changed, 'STATE');
}
