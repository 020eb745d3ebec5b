import { setTimeout as delay } from 'node:timers/promises';
import type { HubApi } from '../api-client.js';
import type { MailboxWork } from '../hub-types.js';
import type { Log } from '../logger.js';
import type { HubWakeupSource } from './hub-wakeups.js';

/** A held push connection to one mailbox. */
export interface PushConnection {
  close(): void;
}

/**
 * Opens the push connection of a claimed mailbox (mail-connectors.ts: IMAP IDLE on INBOX; for Exchange, an EWS
 * streaming or pull subscription on the folders the mailbox syncs). Resolves once it listens, with `missed` when mail
 * arrived since the last sync; throws when it cannot connect.
 */
export type OpenPush = (work: MailboxWork, handlers: { onNewMail(): void; onClosed(reason: string): void }) => Promise<{ connection: PushConnection; missed: boolean }>;

export interface MailboxWatcherOptions {
  readonly engineId: string;
  /** Mailboxes this process watches at most (WATCH_MAILBOXES). */
  readonly maxWatches: number;
  readonly leaseSeconds: number;
  /** How often to look for mailboxes nobody watches while below maxWatches. */
  readonly claimIntervalMs: number;
  /** Connections being opened at once: a thousand log in within seconds without a burst the server refuses. */
  readonly connectConcurrency?: number;
  /** Reconnection waits after a connection ends: doubling from the first to the last. */
  readonly retryMs?: { readonly first: number; readonly last: number };
  /**
   * The hub's word that appointments, contacts or tasks of a mailbox's owner changed in the CRM (exchangeWritesDue):
   * a watched mailbox that syncs them is made due, so a work slot writes them to Exchange at once.
   */
  readonly wakeups?: HubWakeupSource;
  /** A mailbox whose watch lease the hub no longer grants (another engine has it, or its configuration changed). */
  readonly onDropped?: (mailboxId: string) => void;
}

/** Watch leases named in one renew, release or change call (the hub takes at most 1000). */
const LEASES_PER_CALL = 1000;
/** Mailboxes claimed per call (the hub answers at most 200: each comes with all it takes to connect). */
const CLAIMS_PER_CALL = 200;
const DEFAULT_RETRY = { first: 1_000, last: 60_000 };

interface Watch {
  readonly work: MailboxWork;
  connection: PushConnection | null;
  failures: number;
  retry: NodeJS.Timeout | null;
  ended: boolean;
  /** Stops hearing the hub's wake-ups for the mailbox. */
  stopHearing: (() => void) | null;
}

/**
 * Holds the push connections of up to maxWatches mailboxes under watch leases (apart from the work slots, which only
 * sync): when one reports new mail, the hub makes the mailbox due and `onChange` wakes the engine's claim loop, so a
 * work slot syncs it at once. Connections that end are opened again with back-off; leases are renewed in bulk, and a
 * lease the hub no longer grants (another engine, a configuration change) closes its connection.
 */
export class MailboxWatcher {
  private readonly watches = new Map<string, Watch>();
  private readonly changed = new Set<string>();
  private reporting: Promise<void> | null = null;
  private connecting = 0;
  private readonly waitingToConnect: Watch[] = [];
  private wake = new AbortController();

  constructor(
    private readonly api: Pick<HubApi, 'claimMailboxWatches' | 'renewMailboxWatches' | 'releaseMailboxWatches' | 'mailboxesChanged'>,
    private readonly open: OpenPush,
    private readonly log: Log,
    private readonly options: MailboxWatcherOptions,
    /** Called after the hub made changed mailboxes due: the engine claims work at once. */
    private readonly onChange: () => void,
  ) {}

  /** Mailboxes watched now (connected or connecting). */
  get size(): number {
    return this.watches.size;
  }

  /** Below WATCH_MAILBOXES: every watchable mailbox nobody watches is claimed within a claim interval. */
  get hasRoom(): boolean {
    return this.watches.size < this.options.maxWatches;
  }

  /** Whether this process holds the mailbox's watch lease (connected or connecting). */
  holds(mailboxId: string): boolean {
    for (const watch of this.watches.values()) if (watch.work.mailboxId === mailboxId) return true;
    return false;
  }

  /** Mailboxes whose connection is listening now. */
  get listening(): number {
    let n = 0;
    for (const watch of this.watches.values()) if (watch.connection) n++;
    return n;
  }

  /** Claims, connects and renews until `signal` aborts; then closes every connection and hands the leases back. Never throws. */
  async run(signal: AbortSignal): Promise<void> {
    const renewEveryMs = (this.options.leaseSeconds * 1000) / 3;
    let renewAt = Date.now() + renewEveryMs;
    let failures = 0;
    while (!signal.aborted) {
      let waitMs = this.options.claimIntervalMs;
      try {
        if (Date.now() >= renewAt) {
          renewAt = Date.now() + renewEveryMs;
          await this.renew();
        }
        const free = this.options.maxWatches - this.watches.size;
        if (free > 0) {
          const claimed = await this.api.claimMailboxWatches(this.options.engineId, Math.min(free, CLAIMS_PER_CALL), this.options.leaseSeconds);
          for (const work of claimed) this.add(work);
          if (claimed.length > 0) this.log.info({ claimed: claimed.length, watched: this.watches.size }, 'mailboxes to watch claimed');
          // A full claim suggests more are waiting: go again at once.
          if (claimed.length === Math.min(free, CLAIMS_PER_CALL) && claimed.length < free) waitMs = 0;
        }
        failures = 0;
      } catch (error) {
        waitMs = Math.max(waitMs, Math.min(30_000, 500 * 2 ** failures++));
        this.log.warn({ err: error, delayMs: waitMs }, 'claiming or renewing watch leases failed; retrying');
      }
      waitMs = Math.min(waitMs, Math.max(0, renewAt - Date.now()));
      if (waitMs > 0) await delay(waitMs, undefined, { signal: AbortSignal.any([signal, this.wake.signal]) }).catch(() => undefined);
      if (this.wake.signal.aborted) this.wake = new AbortController();
    }
    await this.stop();
  }

  private add(work: MailboxWork): void {
    // Claimed again under a new lease (ours ran out while the hub was unreachable): the old connection goes.
    for (const [leaseId, old] of this.watches) {
      if (old.work.mailboxId !== work.mailboxId) continue;
      this.end(old);
      this.watches.delete(leaseId);
    }
    const watch: Watch = { work, connection: null, failures: 0, retry: null, ended: false, stopHearing: null };
    // Before, a job waiting on EWS notifications heard these itself; now no job waits, so the watch hears them.
    if (work.actEnabled && this.options.wakeups) watch.stopHearing = this.options.wakeups.on(work.mailboxId, () => this.noteChange(work.leaseId));
    this.watches.set(work.leaseId, watch);
    this.waitingToConnect.push(watch);
    this.pump();
  }

  /** Starts queued connections while fewer than connectConcurrency are being opened. */
  private pump(): void {
    const limit = this.options.connectConcurrency ?? 50;
    while (this.connecting < limit && this.waitingToConnect.length > 0) {
      const watch = this.waitingToConnect.shift()!;
      if (watch.ended) continue;
      this.connecting++;
      void this.connect(watch).finally(() => {
        this.connecting--;
        this.pump();
      });
    }
  }

  private async connect(watch: Watch): Promise<void> {
    const log = { mailboxId: watch.work.mailboxId };
    try {
      const { connection, missed } = await this.open(watch.work, {
        onNewMail: () => this.noteChange(watch.work.leaseId),
        onClosed: (reason) => {
          watch.connection = null;
          if (watch.ended) return;
          this.log.info({ ...log, reason }, 'push connection closed; reconnecting');
          this.retryLater(watch);
        },
      });
      if (watch.ended) return connection.close();
      watch.connection = connection;
      watch.failures = 0;
      if (missed) this.noteChange(watch.work.leaseId);
      // The last of a round of openings: say how many listen (operators and the benchmark read this line).
      if (this.connecting === 1 && this.waitingToConnect.length === 0) this.log.info({ listening: this.listening, watched: this.watches.size }, 'push connections open');
    } catch (error) {
      if (watch.ended) return;
      this.log.warn({ ...log, err: error, failures: watch.failures + 1 }, 'could not open the push connection; retrying');
      this.retryLater(watch);
    }
  }

  private retryLater(watch: Watch): void {
    const retry = this.options.retryMs ?? DEFAULT_RETRY;
    const ceiling = Math.min(retry.last, retry.first * 2 ** Math.min(watch.failures++, 16));
    watch.retry = setTimeout(() => {
      watch.retry = null;
      this.waitingToConnect.push(watch);
      this.pump();
    }, ceiling / 2 + (ceiling / 2) * Math.random());
    watch.retry.unref();
  }

  /** Collects changes while one report is in flight: under a burst of deliveries the hub gets one call per round trip. */
  private noteChange(leaseId: string): void {
    this.changed.add(leaseId);
    this.reporting ??= this.report().finally(() => (this.reporting = null));
  }

  private async report(): Promise<void> {
    while (this.changed.size > 0) {
      const leaseIds = [...this.changed].slice(0, LEASES_PER_CALL);
      for (const id of leaseIds) this.changed.delete(id);
      try {
        this.drop(await this.api.mailboxesChanged(this.options.engineId, leaseIds));
        this.onChange();
      } catch (error) {
        // Told again after a moment (with whatever arrived meanwhile): new mail must not wait for the next poll.
        this.log.warn({ err: error, mailboxes: leaseIds.length }, 'could not tell the hub of new mail; telling it again');
        for (const id of leaseIds) if (this.watches.has(id)) this.changed.add(id);
        await delay(1000);
      }
    }
  }

  private async renew(): Promise<void> {
    const leaseIds = [...this.watches.keys()];
    for (let i = 0; i < leaseIds.length; i += LEASES_PER_CALL) {
      this.drop(await this.api.renewMailboxWatches(this.options.engineId, leaseIds.slice(i, i + LEASES_PER_CALL), this.options.leaseSeconds));
    }
  }

  /** Ends the watches of leases the hub no longer grants; the next claim may take the mailboxes again, as now configured. */
  private drop(leaseIds: readonly string[]): void {
    if (leaseIds.length > 0) this.log.info({ mailboxes: leaseIds.length }, 'watch leases no longer held; their connections are closed');
    for (const leaseId of leaseIds) {
      const watch = this.watches.get(leaseId);
      if (!watch) continue;
      this.end(watch);
      this.watches.delete(leaseId);
      this.options.onDropped?.(watch.work.mailboxId);
    }
    if (leaseIds.length > 0) this.wake.abort(); // claim again at once
  }

  private end(watch: Watch): void {
    watch.ended = true;
    watch.stopHearing?.();
    watch.stopHearing = null;
    if (watch.retry) clearTimeout(watch.retry);
    watch.connection?.close();
    watch.connection = null;
  }

  private async stop(): Promise<void> {
    const leaseIds = [...this.watches.keys()];
    for (const watch of this.watches.values()) this.end(watch);
    this.watches.clear();
    await this.reporting;
    try {
      for (let i = 0; i < leaseIds.length; i += LEASES_PER_CALL) await this.api.releaseMailboxWatches(this.options.engineId, leaseIds.slice(i, i + LEASES_PER_CALL));
      if (leaseIds.length > 0) this.log.info({ mailboxes: leaseIds.length }, 'watched mailboxes handed back');
    } catch (error) {
      this.log.warn({ err: error }, 'could not hand the watched mailboxes back; their leases will expire');
    }
  }
}
