import type { Messages } from '../shell/i18n/en';
import type { Translator } from '../shell/i18n/translator';
import type { ChannelTestStatus, EmailApproval, MailboxCoverage, MailboxState } from './mailbox';
import type { Tone } from '../shell/badge.svelte';

// Tones and numbers of the mailbox pages (their words are in the catalog); pure, so the list and the detail say the same thing.

export const STATE_TONE: Record<MailboxState, Tone> = {
  ENABLED: 'ok',
  BACKING_OFF: 'warn',
  DISABLED_AUTH: 'bad',
  DISABLED_BY_ADMIN: 'bad',
  NOT_ENABLED: 'neutral',
};

export const APPROVAL_TONE: Record<EmailApproval, Tone> = {
  APPROVED: 'ok',
  PENDING_APPROVAL: 'warn',
  REJECTED: 'bad',
};

export const TEST_TONE: Record<ChannelTestStatus, Tone> = {
  NOT_RUN: 'neutral',
  PENDING: 'info',
  SUCCESS: 'ok',
  WARNING: 'warn',
  FAILURE: 'bad',
};

/** Protocol names, the same in every language. */
export const PROFILE_KIND_LABEL: Record<string, string> = {
  IMAP_SMTP: 'IMAP/SMTP',
  POP3_SMTP: 'POP3/SMTP',
  EXCHANGE_EWS: 'Exchange/EWS',
};

/** "1,234 / 1,240" and "(6 missing)": what the reconciler found decided of what the server holds, in the reader's numbers. */
export function coverageParts(coverage: MailboxCoverage, i18n: Translator): { counts: string; missing: string | null } {
  const counts = `${i18n.formatNumber(coverage.decidedCount)} / ${i18n.formatNumber(coverage.serverCount)}`;
  return { counts, missing: coverage.missingCount > 0 ? i18n.t.mailboxes.missing(coverage.missingCount) : null };
}

/** When something is due: "in 4 minutes", or "Due now" once its time has come (the engine picks it up at its next claim). */
export const due = (iso: string, now: number, i18n: Translator): string =>
  new Date(iso).getTime() - now < 45_000 ? i18n.t.mailboxes.dueNow : i18n.formatRelative(iso, now);

/** When something happened, relative to `now` (never in the future). */
export const ago = (iso: string | null, now: number, i18n: Translator): string => i18n.formatRelative(iso, now, { past: true });

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

/** "TRACKED", "FILTERED · AUTO_REPLY" in words: the catalog's for known codes, else the code written as words. */
export function trackingLabel(t: Messages, outcome: string, reason: string | null): string {
  const words = (code: string) => code.charAt(0) + code.slice(1).toLowerCase().replace(/_/g, ' ');
  const said = t.mailbox.outcome[outcome] ?? words(outcome);
  return t.mailbox.decision(said, reason ? (t.mailbox.filterReason[reason] ?? words(reason).toLowerCase()) : null);
}
