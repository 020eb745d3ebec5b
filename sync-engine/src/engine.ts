import { setTimeout as delay } from 'node:timers/promises';
import { HubApiError, type HubApi, type Viewer } from './api-client.js';
import type { Log } from './logger.js';

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

export interface EngineOptions {
  readonly pollIntervalMs: number;
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
  INVALID_RESPONSE: 'hub API answered with an unexpected shape; is HUB_API_URL the hub GraphQL endpoint?',
  INTERNAL: 'hub API failed while verifying the key',
};

/** The worker: verifies its key with the hub, then polls for work until the signal aborts. */
export class Engine {
  private readonly backoff: BackoffPolicy;
  private readonly random: () => number;

  constructor(
    private readonly api: HubApi,
    private readonly log: Log,
    private readonly options: EngineOptions,
  ) {
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.random = options.random ?? Math.random;
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

  private async poll(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      // Claiming due mailboxes through the API (with a lease) is a later issue; until then no tick has work.
      this.log.info({ claimed: 0 }, 'poll: no mailbox work to claim yet');
      await sleep(this.options.pollIntervalMs, signal);
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
