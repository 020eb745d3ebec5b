import { AlertSeverity, ChannelTestStatus, MailboxState } from './mail-enums';

// What a sync engine's report does to a mailbox: state, schedule and alert, decided here and only
// here, over plain data (no database, no clock, no randomness of its own) so every rule has a test.

/** How a SYNC lease ended, as the engine classified it (its MailErrorCode travels in `code`). */
export enum SyncOutcome {
  SUCCESS = 'SUCCESS',
  TEMPORARY_FAILURE = 'TEMPORARY_FAILURE',
  AUTH_FAILED = 'AUTH_FAILED',
  /** The configuration does not work (e.g. FOLDER_MISSING): retried like a transient failure, alerted as an error. */
  CONFIG_ERROR = 'CONFIG_ERROR',
}

export interface AlertLine {
  readonly severity: AlertSeverity;
  readonly code: string;
  readonly message: string;
}

/** The mailbox columns the policy reads. */
export interface SyncStateBefore {
  readonly state: MailboxState;
  readonly stateReason: string | null;
  readonly failureCount: number;
  readonly consecutiveEmptyPolls: number;
}

export interface SyncReport {
  readonly outcome: SyncOutcome;
  readonly code: string | null;
  readonly message: string | null;
  readonly itemsProcessed: number;
  readonly nextSyncInSeconds: number | null;
}

export interface SyncPolicyContext {
  readonly now: Date;
  readonly pollIntervalSeconds: number;
  /** The mailbox's newest alert, for de-duplication. */
  readonly lastAlert: Pick<AlertLine, 'code' | 'message'> | null;
  /** Uniform in [0, 1): the jitter source. */
  readonly random: number;
}

/** The mailbox columns the policy writes (the lease is cleared by the caller in the same UPDATE). */
export interface SyncStateAfter {
  readonly state: MailboxState;
  readonly stateReason: string | null;
  readonly failureCount: number;
  readonly nextSyncAt: Date | null;
  readonly consecutiveEmptyPolls: number;
  /** Only a successful sync moves these. */
  readonly lastSyncAt?: Date;
  readonly lastSyncItems?: number;
}

export const BACKOFF_BASE_MS = 30_000;
export const BACKOFF_CAP_MS = 6 * 3600_000;
export const BACKOFF_JITTER = 0.2;

/**
 * The wait after the `failureCount`-th transient failure in a row: 30 s doubling each time, ±20 %
 * jitter so engines that failed together do not retry together, never more than 6 h.
 */
export function backoffDelayMs(failureCount: number, random: number): number {
  const exponent = Math.min(Math.max(failureCount, 1) - 1, 30);
  const base = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** exponent);
  const jittered = base * (1 - BACKOFF_JITTER + 2 * BACKOFF_JITTER * random);
  return Math.round(Math.min(BACKOFF_CAP_MS, jittered));
}

/** States the engine's reports drive; any other state was set by a person (or a test) meanwhile and stays. */
const SYNCING: readonly MailboxState[] = [MailboxState.ENABLED, MailboxState.BACKING_OFF];

const DEFAULT_MESSAGE: Record<SyncOutcome, string> = {
  [SyncOutcome.SUCCESS]: 'synchronized',
  [SyncOutcome.TEMPORARY_FAILURE]: 'the mail server could not be reached or failed; retrying',
  [SyncOutcome.AUTH_FAILED]: 'the mail server refused the credentials',
  [SyncOutcome.CONFIG_ERROR]: 'the mailbox configuration does not work with this mail server',
};

/** What a released SYNC lease does to the mailbox, and the alert line it writes (if any). */
export function afterSync(before: SyncStateBefore, report: SyncReport, ctx: SyncPolicyContext): { after: SyncStateAfter; alert: AlertLine | null } {
  const message = report.message?.trim() || DEFAULT_MESSAGE[report.outcome];
  const code = report.code?.trim() || report.outcome;
  const at = (ms: number) => new Date(ctx.now.getTime() + ms);
  let after: SyncStateAfter;
  let alert: AlertLine | null = null;

  switch (report.outcome) {
    case SyncOutcome.SUCCESS: {
      after = {
        state: MailboxState.ENABLED,
        stateReason: null,
        failureCount: 0,
        nextSyncAt: at(1000 * (report.nextSyncInSeconds ?? ctx.pollIntervalSeconds)),
        consecutiveEmptyPolls: report.itemsProcessed === 0 ? before.consecutiveEmptyPolls + 1 : 0,
        lastSyncAt: ctx.now,
        lastSyncItems: report.itemsProcessed,
      };
      if (before.state === MailboxState.BACKING_OFF) {
        alert = { severity: AlertSeverity.INFORMATION, code: 'RECOVERED', message: `recovered: synchronized again after ${before.failureCount} failed attempt${before.failureCount === 1 ? '' : 's'}` };
      }
      break;
    }
    case SyncOutcome.TEMPORARY_FAILURE:
    case SyncOutcome.CONFIG_ERROR: {
      const failureCount = before.failureCount + 1;
      after = {
        state: MailboxState.BACKING_OFF,
        stateReason: message,
        failureCount,
        nextSyncAt: at(backoffDelayMs(failureCount, ctx.random)),
        consecutiveEmptyPolls: before.consecutiveEmptyPolls,
      };
      // One line per distinct problem, not one per retry: the log stays readable through an outage.
      const entering = before.state !== MailboxState.BACKING_OFF;
      if (entering || ctx.lastAlert?.message !== message || ctx.lastAlert.code !== code) {
        alert = { severity: report.outcome === SyncOutcome.CONFIG_ERROR ? AlertSeverity.ERROR : AlertSeverity.WARNING, code, message };
      }
      break;
    }
    case SyncOutcome.AUTH_FAILED: {
      // Stopped until the credentials change (setMailboxCredentials re-enables): retrying only locks the account.
      after = { state: MailboxState.DISABLED_AUTH, stateReason: message, failureCount: before.failureCount, nextSyncAt: null, consecutiveEmptyPolls: before.consecutiveEmptyPolls };
      alert = { severity: AlertSeverity.ERROR, code: 'AUTH_FAILED', message };
      break;
    }
    default: {
      const unknown: never = report.outcome;
      throw new Error(`unknown sync outcome ${String(unknown)}`);
    }
  }

  if (!SYNCING.includes(before.state)) {
    // Disabled by an administrator (or reconfigured) while the engine worked: keep what they decided.
    after = { ...after, state: before.state, stateReason: before.stateReason, nextSyncAt: before.state === MailboxState.DISABLED_BY_ADMIN ? null : after.nextSyncAt };
    if (alert?.severity === AlertSeverity.INFORMATION) alert = null;
  }
  return { after, alert };
}

export interface ChannelTestResult {
  readonly status: ChannelTestStatus;
  readonly code: string | null;
  readonly reason: string | null;
}

export interface TestStateAfter {
  readonly state: MailboxState;
  readonly stateReason: string | null;
  /** Set when the mailbox is (re)enabled: sync at once. */
  readonly nextSyncAt?: Date;
  readonly failureCount?: number;
}

const passed = (r: ChannelTestResult) => r.status === ChannelTestStatus.SUCCESS || r.status === ChannelTestStatus.WARNING;

/**
 * What a Test & Enable result does: every tested channel passed (SUCCESS or WARNING) → ENABLED and
 * due now; otherwise an error line per failed channel, DISABLED_AUTH when a server refused the
 * credentials, and the state left as it was (a NOT_ENABLED mailbox stays so).
 */
export function afterTest(
  before: Pick<SyncStateBefore, 'state' | 'stateReason'>,
  channels: { readonly incoming: ChannelTestResult; readonly outgoing: ChannelTestResult; readonly act?: ChannelTestResult },
  now: Date,
): { after: TestStateAfter; alerts: AlertLine[] } {
  const named = [
    { name: 'Incoming', what: 'incoming email', result: channels.incoming },
    { name: 'Outgoing', what: 'outgoing email', result: channels.outgoing },
    { name: 'Appointments, contacts and tasks', what: 'appointments, contacts and tasks', result: channels.act ?? { status: ChannelTestStatus.NOT_RUN, code: null, reason: null } },
  ].filter((c) => c.result.status !== ChannelTestStatus.NOT_RUN);
  const failed = named.filter((c) => !passed(c.result));
  const describe = (c: (typeof named)[number]) => `${c.name} ${c.result.status.toLowerCase()}${c.result.reason ? ` (${c.result.reason})` : ''}`;

  if (failed.length === 0) {
    const summary = named.length ? named.map(describe).join('; ') : 'no channel to test';
    return {
      after: { state: MailboxState.ENABLED, stateReason: null, nextSyncAt: now, failureCount: 0 },
      alerts: [{ severity: AlertSeverity.INFORMATION, code: 'TEST_SUCCEEDED', message: `Test & Enable succeeded: ${summary}. The mailbox is enabled.` }],
    };
  }
  const alerts = failed.map((c) => ({
    severity: AlertSeverity.ERROR,
    code: c.result.code?.trim() || 'TEST_FAILED',
    message: `Test & Enable: ${c.what} failed: ${c.result.reason?.trim() || c.result.code || 'no reason given'}`,
  }));
  const auth = failed.find((c) => c.result.code === 'AUTH_FAILED');
  const after: TestStateAfter = auth
    ? { state: MailboxState.DISABLED_AUTH, stateReason: alerts[failed.indexOf(auth)].message }
    : { state: before.state, stateReason: before.stateReason };
  return { after, alerts };
}
