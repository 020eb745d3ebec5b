import { HubApiError } from '../api-client.js';
import type { SyncOutcome } from '../hub-types.js';
import { MailError, type MailErrorCode } from '../mail/mail-error.js';

/** How a failed sync is reported to the hub, which turns it into a mailbox state, an alert and a next run. */
export interface FailureVerdict {
  readonly outcome: Exclude<SyncOutcome, 'SUCCESS'>;
  readonly code: string;
  readonly message: string;
}

const OUTCOME_BY_MAIL_CODE: Readonly<Record<MailErrorCode, FailureVerdict['outcome']>> = {
  AUTH_FAILED: 'AUTH_FAILED',
  DNS: 'TEMPORARY_FAILURE',
  REFUSED: 'TEMPORARY_FAILURE',
  TIMEOUT: 'TEMPORARY_FAILURE',
  TEMPORARY: 'TEMPORARY_FAILURE',
  // A configuration a person must fix; the hub still retries it with back-off, so nothing blocks forever.
  TLS: 'CONFIG_ERROR',
  FOLDER_MISSING: 'CONFIG_ERROR',
  PROTOCOL: 'CONFIG_ERROR',
  REJECTED: 'CONFIG_ERROR',
  // Handled where they arise (cursor reset, quarantine); reaching here means a bug worth retrying after a pause.
  CURSOR_INVALID: 'TEMPORARY_FAILURE',
  INVALID_MESSAGE: 'TEMPORARY_FAILURE',
};

/** The one place that decides what a failure means for the mailbox. Returns undefined for "the lease is gone: report nothing". */
export function classifyFailure(error: unknown): FailureVerdict | undefined {
  if (error instanceof MailError) return { outcome: OUTCOME_BY_MAIL_CODE[error.code], code: error.code, message: error.message };
  if (error instanceof HubApiError) {
    if (error.code === 'CONFLICT') return undefined;
    // The hub refused what we sent: our bug or a version mismatch; retry later rather than spin.
    return { outcome: 'TEMPORARY_FAILURE', code: `HUB_${error.code}`, message: error.message };
  }
  return { outcome: 'TEMPORARY_FAILURE', code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}
