import { EmailApproval, IncomingMethod, MailboxState, OutgoingMethod } from './mail-enums';

/**
 * When the sync engine may work on a mailbox: one pure rule over plain data, shared by the claims
 * (mailbox-sync), outgoing email and the admin GraphQL, so they never disagree. Its SQL twin, for
 * claims that filter in the database, is mailbox-eligibility-sql.ts (tested to agree).
 */
export interface EligibilityMailbox {
  readonly profileId: string | null;
  readonly approval: EmailApproval;
  readonly state: MailboxState;
  readonly incomingMethod: IncomingMethod;
  readonly outgoingMethod: OutgoingMethod;
  readonly isForwardMailbox: boolean;
  readonly testRequestedAt: Date | null;
}

export interface EligibilitySettings {
  readonly processEmailOnlyForApprovedMailboxes: boolean;
}

/** States in which the engine syncs; for SQL filters (`state IN (:...SYNCING_STATES)`). */
export const SYNCING_STATES: readonly MailboxState[] = [MailboxState.ENABLED, MailboxState.BACKING_OFF];

/** Dynamics' "process emails only for approved users/queues": an unapproved address is never connected to. */
export function approvalAllows(mailbox: Pick<EligibilityMailbox, 'approval'>, settings: EligibilitySettings): boolean {
  return mailbox.approval === EmailApproval.APPROVED || !settings.processEmailOnlyForApprovedMailboxes;
}

/** Configured, approved (when required) and enabled; backing off still counts (it retries on its own). */
export function isSyncable(mailbox: EligibilityMailbox, settings: EligibilitySettings): boolean {
  return mailbox.profileId !== null && approvalAllows(mailbox, settings) && SYNCING_STATES.includes(mailbox.state);
}

/**
 * Incoming mail is read from this mailbox's server. A FORWARD_MAILBOX mailbox is not connected to:
 * its mail arrives through the forward mailbox, which is read whatever its own incoming method.
 */
export function incomingEnabled(mailbox: EligibilityMailbox, settings: EligibilitySettings): boolean {
  return isSyncable(mailbox, settings) && (mailbox.incomingMethod === IncomingMethod.SERVER_SIDE_SYNC || mailbox.isForwardMailbox);
}

/** Email queued from this mailbox is sent over its profile's SMTP server. */
export function outgoingEnabled(mailbox: EligibilityMailbox, settings: EligibilitySettings): boolean {
  return isSyncable(mailbox, settings) && mailbox.outgoingMethod === OutgoingMethod.SERVER_SIDE_SYNC;
}

/** A SYNC job may be claimed (due time and lease are the claim's business, not this rule's). */
export const mayClaimForSync = incomingEnabled;

/** Email from this mailbox may be claimed for sending. */
export const maySend = outgoingEnabled;

/** A requested Test & Enable runs whatever the state (it is how a mailbox gets enabled), given a profile and approval. */
export function mayClaimForTest(mailbox: EligibilityMailbox, settings: EligibilitySettings): boolean {
  return mailbox.testRequestedAt !== null && mailbox.profileId !== null && approvalAllows(mailbox, settings);
}
