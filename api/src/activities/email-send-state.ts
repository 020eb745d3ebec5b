import { EmailStatus } from './activity-enums';

// The outgoing email state machine, as data. Every change of an outgoing email's status is one of
// these events, applied by one conditional UPDATE (WHERE status IN `from` [AND the lease matches]),
// so two reports racing for the same email can never both win.
//
//   PENDING_SEND --CLAIM--> SENDING --SENT--> SENT
//        ^                   |  |  \--GAVE_UP--> FAILED --RETRY--> PENDING_SEND
//        |                   |  \--LEASE_EXPIRED--> UNCERTAIN --FOUND_IN_SENT--> SENT
//        \--FAILED_RETRYABLE-/                        | --NOT_FOUND_IN_SENT / RETRY--> PENDING_SEND
//   PENDING_SEND | FAILED | UNCERTAIN --CANCEL--> CANCELLED (never SENDING: it may be on the wire)
//
// Nothing ever goes from SENDING back to PENDING_SEND without a report that the message was not
// delivered: a silent engine means "maybe sent" (UNCERTAIN), and only a person or the Sent folder
// decides what happens next.

export type SendEvent =
  /** A sync engine takes the email to send it, under a lease. */
  | 'CLAIM'
  /** The engine reports it delivered to the mail server. */
  | 'SENT'
  /** The engine reports it was certainly not delivered and may be tried again after a back-off. */
  | 'FAILED_RETRYABLE'
  /** The engine reports a permanent failure, or retryable failures used up every attempt. */
  | 'GAVE_UP'
  /** The engine stopped reporting before its lease ran out: it may or may not have been sent. */
  | 'LEASE_EXPIRED'
  /** An engine found the Message-ID in the mailbox's Sent folder. */
  | 'FOUND_IN_SENT'
  /** An engine looked in the Sent folder and it is not there. */
  | 'NOT_FOUND_IN_SENT'
  /** The sender decided to try again after a failure or an uncertain send. */
  | 'RETRY'
  /** The sender withdrew an email no engine is sending. */
  | 'CANCEL';

export interface SendTransition {
  readonly from: readonly EmailStatus[];
  readonly to: EmailStatus;
  /** Only the engine holding the current lease may cause it. */
  readonly needsLease: boolean;
}

export const SEND_TRANSITIONS: Readonly<Record<SendEvent, SendTransition>> = Object.freeze({
  CLAIM: { from: [EmailStatus.PENDING_SEND], to: EmailStatus.SENDING, needsLease: false },
  SENT: { from: [EmailStatus.SENDING], to: EmailStatus.SENT, needsLease: true },
  FAILED_RETRYABLE: { from: [EmailStatus.SENDING], to: EmailStatus.PENDING_SEND, needsLease: true },
  GAVE_UP: { from: [EmailStatus.SENDING], to: EmailStatus.FAILED, needsLease: true },
  LEASE_EXPIRED: { from: [EmailStatus.SENDING], to: EmailStatus.UNCERTAIN, needsLease: false },
  FOUND_IN_SENT: { from: [EmailStatus.UNCERTAIN], to: EmailStatus.SENT, needsLease: false },
  NOT_FOUND_IN_SENT: { from: [EmailStatus.UNCERTAIN], to: EmailStatus.PENDING_SEND, needsLease: false },
  RETRY: { from: [EmailStatus.FAILED, EmailStatus.UNCERTAIN], to: EmailStatus.PENDING_SEND, needsLease: false },
  CANCEL: { from: [EmailStatus.PENDING_SEND, EmailStatus.FAILED, EmailStatus.UNCERTAIN], to: EmailStatus.CANCELLED, needsLease: false },
});

/** The status `event` leads to from `from`, or null when the event does not apply there. */
export function nextSendStatus(from: EmailStatus, event: SendEvent): EmailStatus | null {
  const transition = SEND_TRANSITIONS[event];
  return transition.from.includes(from) ? transition.to : null;
}

/** Attempts (claims) an email gets before retryable failures become FAILED. */
export const MAX_SEND_ATTEMPTS = 5;
const FIRST_RETRY_DELAY_MS = 60_000;
const MAX_RETRY_DELAY_MS = 3_600_000;

/** Back-off before the next attempt after `attempts` attempts: 1 min × 2^(attempts−1), at most 1 h. */
export function retryDelayMs(attempts: number): number {
  const exponent = Math.max(0, attempts - 1);
  // Capped before the power: 2^60 minutes is no use to anyone and overflows to Infinity eventually.
  return exponent >= 6 ? MAX_RETRY_DELAY_MS : Math.min(FIRST_RETRY_DELAY_MS * 2 ** exponent, MAX_RETRY_DELAY_MS);
}

/** What a failure report after `attempts` attempts does: queue again after a back-off, or give up. */
export function afterFailure(
  attempts: number,
  retryable: boolean,
  now: Date,
): { event: 'FAILED_RETRYABLE'; nextAttemptAt: Date } | { event: 'GAVE_UP' } {
  if (!retryable || attempts >= MAX_SEND_ATTEMPTS) return { event: 'GAVE_UP' };
  return { event: 'FAILED_RETRYABLE', nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts)) };
}

/** The send columns a lease-holding report is judged on. */
export interface LeasedEmail {
  readonly status: EmailStatus;
  readonly sendLeaseId: string | null;
  readonly sendLeaseUntil: Date | null;
}

/** APPLY the report; it was ALREADY_APPLIED under the same lease (a repeated request); or a CONFLICT, with why. */
export type ReportVerdict = { readonly kind: 'APPLY' } | { readonly kind: 'ALREADY_APPLIED' } | { readonly kind: 'CONFLICT'; readonly reason: string };

/**
 * How a lease holder's report (sent, or failed) fits the email as it is now. `done` are the
 * statuses that report leads to: finding the email there under the same lease means it was applied.
 */
export function judgeLeaseReport(email: LeasedEmail, leaseId: string, done: readonly EmailStatus[], now: Date): ReportVerdict {
  const sameLease = email.sendLeaseId === leaseId;
  if (sameLease && email.status === EmailStatus.SENDING) {
    if (email.sendLeaseUntil && email.sendLeaseUntil.getTime() >= now.getTime()) return { kind: 'APPLY' };
    return {
      kind: 'CONFLICT',
      reason: `the lease expired at ${email.sendLeaseUntil?.toISOString() ?? 'an unknown time'}; the email is now UNCERTAIN. If you know it was delivered, report resolveUncertainEmail(delivered: true)`,
    };
  }
  if (sameLease && done.includes(email.status)) return { kind: 'ALREADY_APPLIED' };
  if (sameLease && email.status === EmailStatus.UNCERTAIN) {
    return {
      kind: 'CONFLICT',
      reason: 'the lease expired before this report and the email is UNCERTAIN; if you know whether it was delivered, report resolveUncertainEmail',
    };
  }
  return {
    kind: 'CONFLICT',
    reason: `this lease is not the email's current one (it is ${email.status}${email.status === EmailStatus.SENDING ? ' under another lease' : ''}); do not send it again`,
  };
}
