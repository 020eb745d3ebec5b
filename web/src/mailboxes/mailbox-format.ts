import type { AlertSeverity, ChannelTestStatus, EmailApproval, IncomingMethod, MailboxCoverage, MailboxState, OutgoingMethod } from './mailbox';
import type { Tone } from '../shell/badge.svelte';

// Words, tones and numbers of the mailbox pages; pure, so the list and the detail say the same thing.

export const STATE_LABEL: Record<MailboxState, string> = {
  ENABLED: 'Enabled',
  BACKING_OFF: 'Backing off',
  DISABLED_AUTH: 'Sign-in refused',
  DISABLED_BY_ADMIN: 'Disabled by admin',
  NOT_ENABLED: 'Not enabled',
};

export const STATE_TONE: Record<MailboxState, Tone> = {
  ENABLED: 'ok',
  BACKING_OFF: 'warn',
  DISABLED_AUTH: 'bad',
  DISABLED_BY_ADMIN: 'bad',
  NOT_ENABLED: 'neutral',
};

export const APPROVAL_LABEL: Record<EmailApproval, string> = {
  APPROVED: 'Approved',
  PENDING_APPROVAL: 'Pending approval',
  REJECTED: 'Rejected',
};

export const APPROVAL_TONE: Record<EmailApproval, Tone> = {
  APPROVED: 'ok',
  PENDING_APPROVAL: 'warn',
  REJECTED: 'bad',
};

export const TEST_LABEL: Record<ChannelTestStatus, string> = {
  NOT_RUN: 'Not run',
  PENDING: 'Testing…',
  SUCCESS: 'Success',
  WARNING: 'Warning',
  FAILURE: 'Failure',
};

export const TEST_TONE: Record<ChannelTestStatus, Tone> = {
  NOT_RUN: 'neutral',
  PENDING: 'info',
  SUCCESS: 'ok',
  WARNING: 'warn',
  FAILURE: 'bad',
};

export const SEVERITY_LABEL: Record<AlertSeverity, string> = {
  ERROR: 'Error',
  WARNING: 'Warning',
  INFORMATION: 'Information',
};

export const INCOMING_LABEL: Record<IncomingMethod, string> = {
  NONE: 'None',
  SERVER_SIDE_SYNC: 'Server-side sync',
  FORWARD_MAILBOX: 'Forward mailbox',
};

export const OUTGOING_LABEL: Record<OutgoingMethod, string> = {
  NONE: 'None',
  SERVER_SIDE_SYNC: 'Server-side sync',
};

export const PROFILE_KIND_LABEL: Record<string, string> = {
  IMAP_SMTP: 'IMAP/SMTP',
  POP3_SMTP: 'POP3/SMTP',
};

/** "1,234 / 1,240" and "(6 missing)": what the reconciler found decided of what the server holds. */
export function coverageParts(coverage: MailboxCoverage): { counts: string; missing: string | null } {
  const counts = `${coverage.decidedCount.toLocaleString('en-US')} / ${coverage.serverCount.toLocaleString('en-US')}`;
  return { counts, missing: coverage.missingCount > 0 ? `(${coverage.missingCount.toLocaleString('en-US')} missing)` : null };
}

/** "1,234 / 1,240 (6 missing)", or that the reconciler has not run. */
export function coverageLabel(coverage: MailboxCoverage | null): string {
  if (!coverage) return 'Not checked yet';
  const { counts, missing } = coverageParts(coverage);
  return missing ? `${counts} ${missing}` : counts;
}

const relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
const STEPS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['second', 60],
  ['minute', 60],
  ['hour', 24],
  ['day', 30],
  ['month', 12],
  ['year', Infinity],
];

/**
 * "just now", "5 minutes ago", "in 2 hours"; `iso` null gives `never`. `past`: the time is known to have
 * happened (an alert, a sync), so a server clock a little ahead of this one still reads "just now".
 */
export function relativeTime(iso: string | null, now: number, options: { never?: string; past?: boolean } = {}): string {
  if (!iso) return options.never ?? 'Never';
  let value = (new Date(iso).getTime() - now) / 1000;
  if (options.past && value > 0) value = 0;
  if (Math.abs(value) < 45) return value <= 0 ? 'just now' : 'in a moment';
  for (const [unit, size] of STEPS) {
    if (Math.abs(value) < size) return relative.format(Math.round(value), unit);
    value /= size;
  }
  return relative.format(Math.round(value), 'year');
}

/** When something is due: "in 4 minutes", or "Due now" once its time has come (the engine picks it up at its next claim). */
export const due = (iso: string, now: number): string => (new Date(iso).getTime() - now < 45_000 ? 'Due now' : relativeTime(iso, now));

/** When something happened, relative to `now` (never in the future). */
export const ago = (iso: string | null, now: number): string => relativeTime(iso, now, { past: true });

const longDateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** The exact time, for tooltips and <time> titles. */
export const exactTime = (iso: string): string => longDateTime.format(new Date(iso));

/** A `<input type="date">` value for a day `daysAgo` before `now`, in local time. */
export function dateInputValue(now: Date, daysAgo = 0): string {
  const day = new Date(now.getFullYear(), now.getMonth(), now.getDate() - daysAgo);
  return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, '0')}-${String(day.getDate()).padStart(2, '0')}`;
}

/** Local midnight of a `<input type="date">` value; null for an empty or malformed one. */
export function fromDateInput(value: string): Date | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** "TRACKED", "FILTERED · AUTO_REPLY" in words. */
export function trackingLabel(outcome: string, reason: string | null): string {
  const words = (code: string) => code.charAt(0) + code.slice(1).toLowerCase().replace(/_/g, ' ');
  return reason ? `${words(outcome)}: ${words(reason).toLowerCase()}` : words(outcome);
}
