import { IncomingMethod, MailboxState, OutgoingMethod, type EmailApproval } from './mail-enums';
import { approvalAllows, type EligibilitySettings } from './mailbox-eligibility';

/** A mailbox's state as GraphQL shows it, with why in words. */
export interface StateView {
  readonly state: MailboxState;
  readonly reason: string | null;
}

export interface StatedMailbox {
  readonly incomingMethod: IncomingMethod;
  readonly outgoingMethod: OutgoingMethod;
  readonly approval: EmailApproval;
  readonly state: MailboxState;
  readonly stateReason: string | null;
}

/** A mailbox that is the organization's forward mailbox. */
export interface ForwardMailbox {
  readonly address: string;
  readonly approval: EmailApproval;
  readonly profileId: string | null;
  readonly state: MailboxState;
  readonly stateReason: string | null;
}

/** Worse states first lose: the state of a mailbox with two ways of working is that of the one in worse shape. */
const SEVERITY: Record<MailboxState, number> = {
  [MailboxState.ENABLED]: 0,
  [MailboxState.BACKING_OFF]: 1,
  [MailboxState.NOT_ENABLED]: 2,
  [MailboxState.DISABLED_AUTH]: 3,
  [MailboxState.DISABLED_BY_ADMIN]: 4,
};

/**
 * The true state of a mailbox. A mailbox whose incoming method is FORWARD_MAILBOX is never connected to
 * for incoming mail: the forward mailbox reads the forwarded copies and files them under it (the
 * claim's forwardSources), so its incoming mail is exactly as healthy as the forward mailbox that reads
 * it, and its own stored state (NOT_ENABLED when it never had a channel to test) says nothing about it.
 * - ENABLED: the forward mailbox syncs and files this mailbox's mail.
 * - BACKING_OFF: the forward mailbox is retrying after transient failures; filing resumes on its own.
 * - DISABLED_AUTH / DISABLED_BY_ADMIN: the forward mailbox stopped (its server refused its credentials /
 *   an administrator disabled it); nothing is filed until someone acts on the forward mailbox.
 * - NOT_ENABLED: nothing files this mailbox's mail: its address awaits approval, the organization has no
 *   forward mailbox, or the forward mailbox lacks a profile, approval or Test & Enable.
 * When the mailbox also sends over its own SMTP server, its own state governs sending, and it shows the
 * worse of the two (its own on a tie, when it says why).
 */
export function effectiveState(mailbox: StatedMailbox, forwardMailboxes: readonly ForwardMailbox[], settings: EligibilitySettings): StateView {
  const own: StateView = { state: mailbox.state, reason: mailbox.stateReason };
  if (mailbox.incomingMethod !== IncomingMethod.FORWARD_MAILBOX) return own;
  const incoming = forwardedState(mailbox, forwardMailboxes, settings);
  if (mailbox.outgoingMethod !== OutgoingMethod.SERVER_SIDE_SYNC) return incoming;
  // The worse one; on a tie its own reason (what to do on this mailbox) when it has one.
  const ownFirst = SEVERITY[own.state] > SEVERITY[incoming.state] || (SEVERITY[own.state] === SEVERITY[incoming.state] && own.reason !== null);
  return ownFirst ? own : incoming;
}

function forwardedState(mailbox: StatedMailbox, forwardMailboxes: readonly ForwardMailbox[], settings: EligibilitySettings): StateView {
  if (!approvalAllows(mailbox, settings)) {
    return { state: MailboxState.NOT_ENABLED, reason: 'Forwarded mail is not filed for this mailbox until its email address is approved.' };
  }
  if (forwardMailboxes.length === 0) {
    return { state: MailboxState.NOT_ENABLED, reason: 'Incoming mail is to arrive through the forward mailbox, but the organization has none: make a queue\'s mailbox the forward mailbox.' };
  }
  const ready = forwardMailboxes.filter((f) => f.profileId !== null && approvalAllows(f, settings));
  if (ready.length === 0) {
    const forward = forwardMailboxes[0];
    return { state: MailboxState.NOT_ENABLED, reason: `The forward mailbox ${forward.address} cannot sync yet: it needs an email server profile and an approved address.` };
  }
  // Any forward mailbox that syncs files the mail; the healthiest one tells.
  const forward = [...ready].sort((a, b) => SEVERITY[a.state] - SEVERITY[b.state] || a.address.localeCompare(b.address))[0];
  switch (forward.state) {
    case MailboxState.ENABLED:
      return { state: MailboxState.ENABLED, reason: `Incoming mail arrives through the forward mailbox ${forward.address}.` };
    case MailboxState.BACKING_OFF:
      // Not the forward mailbox's own reason: its server's words are for the administrators who own it.
      return { state: MailboxState.BACKING_OFF, reason: `The forward mailbox ${forward.address} is retrying after a failure; filing resumes on its own.` };
    case MailboxState.NOT_ENABLED:
      return { state: MailboxState.NOT_ENABLED, reason: `The forward mailbox ${forward.address} is not enabled yet: run Test & Enable on it.` };
    case MailboxState.DISABLED_AUTH:
      return { state: MailboxState.DISABLED_AUTH, reason: `The forward mailbox ${forward.address} stopped because its server refused its credentials; nothing is filed until they are corrected.` };
    case MailboxState.DISABLED_BY_ADMIN:
      return { state: MailboxState.DISABLED_BY_ADMIN, reason: `An administrator disabled the forward mailbox ${forward.address}; nothing is filed until it is enabled again.` };
  }
}
