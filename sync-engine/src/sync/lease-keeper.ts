import type { HubApi } from '../api-client.js';
import { HubApiError } from '../api-client.js';
import type { Log } from '../logger.js';

/**
 * Keeps one mailbox lease alive while work runs: renews it at a third of its length, and aborts
 * `lost` when the hub says it belongs to someone else (then every write quoting it fails with
 * CONFLICT anyway, so stopping early only saves work).
 */
export class LeaseKeeper {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private renewing: Promise<void> = Promise.resolve();

  constructor(
    private readonly api: Pick<HubApi, 'renewMailboxLease'>,
    private readonly log: Log,
    readonly mailboxId: string,
    readonly leaseId: string,
    private readonly leaseSeconds: number,
  ) {
    this.timer = setInterval(() => {
      this.renewing = this.renew();
    }, (leaseSeconds * 1000) / 3);
    this.timer.unref();
  }

  /** Aborts when the lease is lost. */
  get lost(): AbortSignal {
    return this.controller.signal;
  }

  private async renew(): Promise<void> {
    try {
      await this.api.renewMailboxLease(this.mailboxId, this.leaseId, this.leaseSeconds);
    } catch (error) {
      if (error instanceof HubApiError && error.code === 'CONFLICT') {
        this.log.warn({ mailboxId: this.mailboxId }, 'mailbox lease lost; stopping work on it');
        this.controller.abort(error);
      } else {
        // Next tick tries again; if the lease runs out meanwhile the hub refuses our writes, so nothing doubles.
        this.log.warn({ mailboxId: this.mailboxId, err: error }, 'mailbox lease renewal failed; retrying');
      }
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.renewing;
  }
}
