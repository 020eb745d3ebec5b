import { setTimeout as delay } from 'node:timers/promises';
import { HubApiError, type HubApi } from './api-client.js';
import type { MailboxWork, Viewer } from './hub-types.js';
import type { Log } from './logger.js';
import { testMailbox } from './sync/connection-test.js';
import type { MailConnectors } from './sync/connectors.js';
import { MailboxSync, type MailboxSyncOptions } from './sync/mailbox-sync.js';
import { MailboxWatcher } from './sync/mailbox-watcher.js';
import { OutgoingSender } from './sync/outgoing-sender.js';

/** Exponential back-off bounds for retrying TEMPORARY failures. */
export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = Object.freeze({ baseMs: 500, maxMs: 30_000 });

/**
 * Delay before retry number `attempt` (0-based): "equal jitter", half of min(maxMs, baseMs * 2^attempt)
 * plus a random share of the other half. `random` is in [0, 1).
 * Jitter keeps restarted replicas from retrying in lock-step; the fixed half keeps retries from
 * ever firing back to back.
 */
export function backoffDelay(attempt: number, policy: BackoffPolicy, random: number): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}

export interface EngineOptions extends MailboxSyncOptions {
  readonly pollIntervalMs: number;
  /** IMAP and Exchange mailboxes to hold IDLE or EWS notifications for outside the work slots (0: the wait is inside each claim). */
  readonly watchMailboxes?: number;
  readonly watchLeaseSeconds?: number;
  readonly engineId: string;
  readonly maxMailboxes: number;
  readonly sendBatch: number;
  readonly backoff?: BackoffPolicy;
  readonly random?: () => number;
}

/** 0: stopped on request; 1: cannot run (bad key, API contract broken). */
export type ExitCode = 0 | 1;

const FATAL_ADVICE: Readonly<Record<HubApiError['code'], string>> = {
  AUTH_FAILED: 'hub API rejected HUB_API_KEY; issue a Sync Service API key in the hub and restart',
  TEMPORARY: 'hub API unavailable',
  NOT_FOUND: 'hub API has no viewer query; is HUB_API_URL the hub GraphQL endpoint?',
  CONFLICT: 'hub API answered CONFLICT to the viewer query',
  INVALID_REQUEST: 'hub API rejected the viewer query; engine and api versions may not match',
  TOO_LARGE: 'hub API refused the viewer query as too large; is HUB_API_URL the hub GraphQL endpoint?',
  INVALID_RESPONSE: 'hub API answered with an unexpected shape; is HUB_API_URL the hub GraphQL endpoint?',
  INTERNAL: 'hub API failed while verifying the key',
};

const UNREADABLE_CLAIM =
  'the hub answered claimOutgoingEmails in a shape this engine cannot read (do engine and api versions match?); nothing was sent; retrying';

/** The worker: verifies its key with the hub, then polls for work until the signal aborts. */
export class Engine {
  private readonly backoff: BackoffPolicy;
  private readonly random: () => number;

  private readonly sync: MailboxSync;
  private readonly outgoing: OutgoingSender;
  private readonly watcher: MailboxWatcher | null;
  /** Aborted to make the claim loop claim at once (a slot came free, a watched mailbox has new mail). */
  private wake = new AbortController();

  constructor(
    private readonly api: HubApi,
    private readonly log: Log,
    private readonly options: EngineOptions,
    private readonly connectors: MailConnectors,
  ) {
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.random = options.random ?? Math.random;
    const push = connectors.push;
    const watching = (options.watchMailboxes ?? 0) > 0 && push !== undefined;
    this.watcher = watching
      ? new MailboxWatcher(
          api,
          push,
          log,
          {
            engineId: options.engineId,
            maxWatches: options.watchMailboxes!,
            leaseSeconds: options.watchLeaseSeconds ?? 60,
            claimIntervalMs: options.pollIntervalMs,
            wakeups: options.wakeups,
            onDropped: (mailboxId) => connectors.forget?.(mailboxId),
          },
          () => this.wake.abort(),
        )
      : null;
    this.sync = new MailboxSync(api, connectors, log, { ...options, pushWatched: watching, watchedHere: (mailboxId) => (this.watcher ? this.watcher.holds(mailboxId) || this.watcher.hasRoom : false) });
    this.outgoing = new OutgoingSender(api, connectors, log, options);
  }

  /** Runs until `signal` aborts (resolves 0) or the engine cannot run (logs why at fatal, resolves 1). */
  async run(signal: AbortSignal): Promise<ExitCode> {
    let viewer: Viewer | undefined;
    try {
      viewer = await this.verifyKey(signal);
    } catch (error) {
      if (!(error instanceof HubApiError)) throw error;
      this.log.fatal({ code: error.code, serverCode: error.serverCode, reason: error.message }, FATAL_ADVICE[error.code]);
      return 1;
    }
    if (viewer) {
      const roles = viewer.roles.map((role) => role.name);
      this.log.info({ viewer: { id: viewer.id, fullName: viewer.fullName, roles } }, 'engine started');
      await this.poll(signal);
    }
    this.log.info('engine stopped');
    return 0;
  }

  /** The key's user, or undefined when stopped before the API answered. Retries only TEMPORARY failures. */
  private async verifyKey(signal: AbortSignal): Promise<Viewer | undefined> {
    for (let attempt = 0; !signal.aborted; attempt++) {
      try {
        return await this.api.whoAmI(signal);
      } catch (error) {
        if (signal.aborted) return undefined;
        if (!(error instanceof HubApiError) || error.code !== 'TEMPORARY') throw error;
        const delayMs = backoffDelay(attempt, this.backoff, this.random());
        this.log.warn({ code: error.code, reason: error.message, attempt: attempt + 1, delayMs }, 'hub API unavailable; retrying');
        await sleep(delayMs, signal);
      }
    }
    return undefined;
  }

  /** Claims mailboxes up to MAX_MAILBOXES and sends queued email, until `signal` aborts; then lets running jobs finish their batch and hand back their leases. */
  private async poll(signal: AbortSignal): Promise<void> {
    const running = new Set<Promise<void>>();
    const sending = this.options.sendBatch > 0 ? this.sendLoop(signal) : Promise.resolve();
    const watching = this.watcher?.run(signal) ?? Promise.resolve();
    for (let failures = 0; !signal.aborted; ) {
      const free = this.options.maxMailboxes - running.size;
      let delayMs = this.options.pollIntervalMs;
      if (free > 0) {
        try {
          const claimed = await this.api.claimMailboxes(this.options.engineId, free, this.options.leaseSeconds);
          failures = 0;
          for (const work of claimed) {
            this.log.debug({ mailboxId: work.mailboxId, job: work.job }, 'mailbox claimed');
            const job: Promise<void> = this.runJob(work, signal).finally(() => {
              running.delete(job);
              this.wake.abort(); // a slot is free: claim again without waiting for the poll interval
            });
            running.add(job);
          }
        } catch (error) {
          delayMs = Math.max(delayMs, backoffDelay(failures++, this.backoff, this.random()));
          this.log.warn({ err: error, delayMs }, 'claiming mailboxes failed; retrying');
        }
      }
      if (!this.wake.signal.aborted) await sleep(delayMs, AbortSignal.any([signal, this.wake.signal]));
      if (this.wake.signal.aborted) this.wake = new AbortController();
    }
    const handingBack = running.size;
    this.log.info({ running: handingBack }, 'stopping: letting running mailbox jobs finish their batch');
    await Promise.allSettled([...running, sending, watching]);
    // Each job released its lease as it ended (or said why not), so other engines may claim them at once.
    this.log.info({ mailboxes: handingBack }, 'mailboxes handed back');
    await this.connectors.closeAll();
  }

  private async runJob(work: MailboxWork, signal: AbortSignal): Promise<void> {
    try {
      if (work.job === 'TEST') await testMailbox(this.api, this.connectors, this.log, work, signal);
      else await this.sync.run(work, signal);
    } catch (error) {
      this.log.error({ mailboxId: work.mailboxId, err: error }, 'mailbox job failed unexpectedly; its lease will expire');
    }
  }

  /** An answer this engine cannot read is not an outage: engine and api versions likely differ, and someone must act. */
  private logSendFailure(error: unknown, delayMs: number): void {
    if (error instanceof HubApiError && error.code === 'INVALID_RESPONSE') {
      // The reason names the path (and at most 40 characters of an unknown enum value); of credentials only their status.
      this.log.error({ code: error.code, reason: error.message, delayMs }, UNREADABLE_CLAIM);
    } else {
      this.log.warn({ err: error, delayMs }, 'claiming outgoing email failed; retrying');
    }
  }

  private async sendLoop(signal: AbortSignal): Promise<void> {
    for (let failures = 0; !signal.aborted; ) {
      let delayMs = this.options.pollIntervalMs;
      try {
        // A full round suggests more is waiting: go again at once.
        if ((await this.outgoing.round()) >= this.options.sendBatch) delayMs = 0;
        failures = 0;
      } catch (error) {
        delayMs = Math.max(delayMs, backoffDelay(failures++, this.backoff, this.random()));
        this.logSendFailure(error, delayMs);
      }
      if (delayMs > 0) await sleep(delayMs, signal);
    }
  }
}

/** Waits `ms`, or less if `signal` aborts first; the timer is cleared on abort, so nothing is left behind. */
async function sleep(ms: number, signal: AbortSignal): Promise<void> {
  try {
    await delay(ms, undefined, { signal });
  } catch (error) {
    if (!signal.aborted) throw error;
  }
}
