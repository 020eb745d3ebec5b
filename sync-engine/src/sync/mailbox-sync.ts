import { seriesCalls } from './calendar-series-chunks.js';
import { HubApiError, type HubApi } from '../api-client.js';
import type { ActFolder, MailboxWork, QuarantineItem, SyncReport } from '../hub-types.js';
import type { Log } from '../logger.js';
import { MailError } from '../mail/mail-error.js';
import type { FetchOptions, MailSource, ServerFolder } from '../mail/mail-source.js';
import type { MailConnectors } from './connectors.js';
import { classifyFailure } from './failure-policy.js';
import { LeaseKeeper } from './lease-keeper.js';
import { MessagePipeline, type PreparedBatch } from './message-pipeline.js';
import { readAhead } from './read-ahead.js';
import { reconcileMailbox } from './reconciler.js';
import type { HubWakeupSource } from './hub-wakeups.js';
import { TrackSender } from './track-sender.js';

export interface MailboxSyncOptions {
  readonly batchSize: number;
  readonly maxBatchBytes: number;
  /** The largest trackEmails request the hub takes (HUB_MAX_REQUEST_MB). */
  readonly maxRequestBytes: number;
  readonly leaseSeconds: number;
  /** How long one claim may wait in IMAP IDLE (or EWS notifications) for new mail; 0: no IDLE. */
  readonly idleSeconds: number;
  /**
   * IMAP and Exchange mailboxes are watched outside the work slots (mailbox-watcher.ts): a job syncs and hands back
   * without waiting in IDLE or on EWS notifications.
   */
  readonly pushWatched?: boolean;
  /**
   * Whether this process's watcher holds the mailbox's push connection, or has room to claim it (a first sync often ends
   * before the watcher's claim): then the job asks to be read again after IDLE_SECONDS.
   */
  readonly watchedHere?: (mailboxId: string) => boolean;
  readonly reconcileIntervalSeconds: number;
  /** While a mailbox syncing appointments waits for mail, how often it looks for appointments made in the CRM (default 15 s) when the hub does not wake it first. */
  readonly calendarWritePollMs?: number;
  /** The hub's word that appointments or tasks of a mailbox's owner changed: a waiting mailbox writes them at once. */
  readonly wakeups?: HubWakeupSource;
}

/** A mailbox's time zone is read from its server at most this often per engine (people seldom move). */
const ZONE_READ_INTERVAL_MS = 3_600_000;
// Appointments or tasks written to Exchange per call, and calls per run (the rest wait for the next run).
const WRITE_BATCH = 20;
const WRITE_ROUNDS = 5;
const CALENDAR_WRITE_POLL_MS = 15_000;

/**
 * One claimed SYNC job: read what is new (batch by batch, each committed with its cursor under the
 * lease), reconcile when due, then wait for new mail in IDLE, and hand the mailbox back with a report.
 * Stopping (shutdown or a lost lease) only ever happens between batches.
 */
export class MailboxSync {
  private readonly pipeline: MessagePipeline;
  private readonly sender: TrackSender;
  /** When each mailbox was last reconciled by this process. */
  private readonly reconciledAt = new Map<string, number>();
  /** The folder list this process last reported per mailbox: reported again only when the server's list changed. */
  private readonly reportedFolders = new Map<string, string>();
  /** Per mailbox in this run: how its Calendar, Tasks and Contacts folders fared last (null: synchronized), for the report. */
  private readonly actResults = new Map<string, Map<ActFolder, string | null>>();
  /** When this process last read each mailbox's time zone from its server: people rarely move, so once an hour. */
  private readonly zoneReadAt = new Map<string, number>();

  constructor(
    private readonly api: HubApi,
    private readonly connectors: MailConnectors,
    private readonly log: Log,
    private readonly options: MailboxSyncOptions,
  ) {
    this.pipeline = new MessagePipeline(api, log);
    this.sender = new TrackSender(api, log, { maxRequestBytes: options.maxRequestBytes, maxItems: options.batchSize });
  }

  async run(work: MailboxWork, shutdown: AbortSignal): Promise<void> {
    const log = { mailboxId: work.mailboxId, address: work.address };
    const lease = new LeaseKeeper(this.api, this.log, work.mailboxId, work.leaseId, this.options.leaseSeconds);
    const stop = AbortSignal.any([shutdown, lease.lost]);
    let source: MailSource | undefined;
    let processed = 0;
    let report: SyncReport | undefined;
    try {
      source = this.connectors.incoming(work);
      await source.open(stop);
      await this.reportFolders(work, source.serverFolders);
      let cursor = work.cursor;
      const opened = source;
      const ingest = async (resyncFrom: string | null) => {
        const result = await this.ingest(work, opened, cursor, resyncFrom, stop);
        cursor = result.cursor;
        processed += result.processed;
      };
      await ingest(work.resyncFrom);
      if (!stop.aborted && work.actEnabled) cursor = await this.syncActFolders(work, cursor, stop, log);
      // An interrupted resync stays pending in the hub and runs again on the next claim.
      const resyncCompleted = stop.aborted ? null : work.resyncFrom;
      if (!stop.aborted && this.reconcileDue(work.mailboxId)) {
        const coverage = await reconcileMailbox(this.api, this.pipeline, this.sender, source, work, { batchSize: this.options.batchSize, signal: stop });
        this.reconciledAt.set(work.mailboxId, Date.now());
        this.log.info({ ...log, ...coverage }, 'mailbox reconciled');
      }
      let idled = false;
      // IMAP IDLE or EWS notifications, unless the watcher holds them; POP3 has no push.
      const pushes = work.kind === 'IMAP_SMTP' || work.kind === 'EXCHANGE_EWS';
      if (this.options.idleSeconds > 0 && pushes && !this.options.pushWatched) {
        const deadline = Date.now() + this.options.idleSeconds * 1000;
        // The hub wakes a mailbox that syncs appointments and tasks when its owner's change in the CRM: the wait ends, the writes go out.
        let hubAsked = false;
        let interrupt: AbortController | null = null;
        const stopHearing = work.actEnabled ? this.options.wakeups?.on(work.mailboxId, () => ((hubAsked = true), interrupt?.abort())) : undefined;
        try {
          while (!stop.aborted && Date.now() < deadline) {
            idled = true;
            // A mailbox syncing appointments and tasks also looks for ones made in the CRM while it waits.
            const slice = work.actEnabled ? Math.min(deadline - Date.now(), this.options.calendarWritePollMs ?? CALENDAR_WRITE_POLL_MS) : deadline - Date.now();
            interrupt = new AbortController();
            const woken = hubAsked ? 'timeout' : await this.idle(source, slice, AbortSignal.any([stop, interrupt.signal]), log);
            if (stop.aborted) break;
            if (woken === 'changed') await ingest(null);
            if (woken === 'closed' && Date.now() < deadline && !hubAsked) break; // the server ended IDLE: hand back, reconnect on the next claim
            // At the deadline the next claim reads them anyway.
            const writesDue = work.actEnabled && (woken === 'changed' || hubAsked || Date.now() < deadline);
            hubAsked = false;
            if (writesDue && !stop.aborted) cursor = await this.syncActFolders(work, cursor, stop, log);
          }
        } finally {
          stopHearing?.();
        }
      }
      // After IDLE (or on shutdown) the mailbox is due again at once, so it is never left without a listener for long.
      // A watched mailbox (no wait here) is read again after IDLE_SECONDS, as after a wait in the claim: the IMAP
      // watcher sees INBOX only, and Sent, tracked folders and (Exchange) CRM writes must not wait longer than they did
      // before. POP3 keeps its profile's poll interval.
      const rereadIn = pushes && this.options.watchedHere?.(work.mailboxId) && this.options.idleSeconds > 0 ? this.options.idleSeconds : null;
      report = { outcome: 'SUCCESS', itemsProcessed: processed, resyncCompleted, nextSyncInSeconds: idled || shutdown.aborted ? 0 : rereadIn, ...this.takeActResults(work) };
    } catch (error) {
      const verdict = classifyFailure(error);
      // Kept folders are for a mailbox this engine goes on serving as it is configured now.
      if (lease.lost.aborted || !verdict || verdict.outcome === 'AUTH_FAILED' || verdict.outcome === 'CONFIG_ERROR') this.connectors.forget?.(work.mailboxId);
      if (lease.lost.aborted || !verdict) {
        this.log.warn(log, 'mailbox lease lost during sync; another engine has it now');
      } else if (shutdown.aborted) {
        // Adapters end an aborted call with TEMPORARY "cancelled": on shutdown that is no outage, and the batch in hand was not committed.
        report = { outcome: 'SUCCESS', itemsProcessed: processed, nextSyncInSeconds: 0 };
      } else {
        this.log.warn({ ...log, code: verdict.code, reason: verdict.message, outcome: verdict.outcome }, 'mailbox sync failed');
        report = { outcome: verdict.outcome, code: verdict.code, message: verdict.message, itemsProcessed: processed, ...this.takeActResults(work) };
      }
    } finally {
      await source?.close().catch((err: unknown) => this.log.debug({ ...log, err }, 'closing the mail connection failed'));
      await lease.stop();
    }
    if (report && !lease.lost.aborted) await this.release(work, report);
    this.log.info({ ...log, processed, outcome: report?.outcome }, 'mailbox sync finished');
  }

  /** Fetches and commits batch after batch; returns the last committed cursor. */
  private async ingest(work: MailboxWork, source: MailSource, cursor: string | null, resyncFrom: string | null, stop: AbortSignal): Promise<{ cursor: string | null; processed: number }> {
    const options: FetchOptions = {
      batchSize: this.options.batchSize,
      maxBatchBytes: this.options.maxBatchBytes,
      notBefore: work.processEmailFrom ? new Date(work.processEmailFrom) : null,
      resyncFrom: resyncFrom ? new Date(resyncFrom) : null,
    };
    let processed = 0;
    // A pipeline: while batches commit, the next is parsed and its attachments uploaded, and the one after that is
    // fetched. A parsed batch is sent as soon as it is ready, while the one before still commits (at most two on their
    // way): the hub writes it only once that one's cursor is the mailbox's (afterCursor), so commits stay in order, and
    // a batch read ahead commits only after those before it (it is simply read again if the run stops first). Sending
    // early overlaps a request's transfer and the hub's work before its transaction with the commit before it. A forward
    // mailbox's batches also go to other mailboxes, and two batches with the same cursor cannot be told apart: those wait.
    let committing: Promise<unknown> = Promise.resolve();
    // The commit of the batch before the last one sent: at most two batches are on their way at once.
    let committingBefore: Promise<unknown> = Promise.resolve();
    // Every request still running: a failure is reported only after all of them have settled.
    const inFlight = new Set<Promise<unknown>>();
    // The cursor of the batch handed to the hub last in this run (null: none yet).
    let sentCursor: string | null = null;
    const deletesCopies = work.isForwardMailbox && work.deleteForwardedCopies;
    // Removing uses the same connection as fetching, which must not overlap: no read-ahead there.
    const batches = deletesCopies ? source.fetchNew(cursor, options, stop) : readAhead(source.fetchNew(cursor, options, stop));
    try {
      for await (const batch of batches) {
        const prepared = await this.pipeline.prepare(work, batch.messages);
        const previous = committing;
        const after = !work.isForwardMailbox && sentCursor !== null && sentCursor !== batch.cursor ? sentCursor : null;
        await (after === null ? previous : committingBefore);
        if (stop.aborted) break; // between batches: nothing is half-committed
        // Only the cursor and the count outlive this turn: the raw messages are not held while the batch commits.
        const { cursor: batchCursor, messages: { length: count } } = batch;
        const request = after === null ? this.commit(work, batchCursor, prepared) : this.commitAfter(work, batchCursor, prepared, after, previous);
        inFlight.add(request);
        void request.then(
          () => inFlight.delete(request),
          () => inFlight.delete(request),
        );
        // Committed once this batch and every one before it are: the cursor moves in order.
        const commit = Promise.all([previous, request]).then(([, quarantined]) => {
          cursor = batchCursor;
          processed += count;
          return quarantined;
        });
        commit.catch(() => undefined); // awaited below; this only keeps a failure from counting as unhandled meanwhile
        committingBefore = previous;
        committing = commit;
        sentCursor = batchCursor;
        if (deletesCopies) {
          const done = new Set((await commit).map((q) => q.sourceRef));
          await source.remove(batch.messages.map((m) => m.sourceRef).filter((ref) => !done.has(ref)));
        }
      }
      await committing;
    } catch (error) {
      // Never leave a commit running behind a failure report.
      await Promise.allSettled([...inFlight]);
      if (error instanceof MailError && error.code === 'CURSOR_INVALID' && cursor !== null) {
        // RFC 3501 2.3.1.1 and friends: a position that no longer applies means reading again from the start; the hub drops duplicates.
        this.log.warn({ mailboxId: work.mailboxId, reason: error.message }, 'sync cursor no longer valid; reading the mailbox again');
        return this.ingest(work, source, null, resyncFrom, stop).then((r) => ({ cursor: r.cursor, processed: processed + r.processed }));
      }
      throw error;
    }
    return { cursor, processed };
  }

  /**
   * One batch: forwarded copies first (if we crash before the sink's cursor commits, the copies come again and are
   * recognized), then the mailbox's items with its cursor under the lease. A copy too large for the hub is
   * quarantined in the forward mailbox. Returns everything quarantined.
   */
  private async commit(work: MailboxWork, cursor: string, prepared: PreparedBatch, afterCursor?: string): Promise<QuarantineItem[]> {
    const quarantine = [...prepared.quarantine];
    for (const [mailboxId, entries] of prepared.forwarded) quarantine.push(...(await this.sender.send(mailboxId, entries, { cursor: null, leaseId: null })).refused);
    const sent = await this.sender.send(work.mailboxId, prepared.items, { cursor, leaseId: work.leaseId, quarantine, ...(afterCursor !== undefined ? { afterCursor } : {}) });
    return [...quarantine, ...sent.refused];
  }

  /**
   * A batch sent while the one before (`previous`) still commits. The hub refuses it (CONFLICT, nothing written) when
   * that one has not committed `afterCursor` by the time this one reaches the mailbox: it got there first, or the one
   * before failed. Once the one before has committed it is sent again, in turn; if that one failed, so does this.
   * A lost lease is a CONFLICT too, and the second send meets it again.
   */
  private async commitAfter(work: MailboxWork, cursor: string, prepared: PreparedBatch, afterCursor: string, previous: Promise<unknown>): Promise<QuarantineItem[]> {
    try {
      return await this.commit(work, cursor, prepared, afterCursor);
    } catch (error) {
      if (!(error instanceof HubApiError) || error.code !== 'CONFLICT') throw error;
      await previous;
      return this.commit(work, cursor, prepared);
    }
  }

  /**
   * Waits for new mail. Servers close idle connections (timeouts, a rebuilt index with a new UIDVALIDITY);
   * after a sync that committed everything, that is the end of listening, not a failure: 'closed'.
   */
  private async idle(source: MailSource, maxMs: number, stop: AbortSignal, log: object): Promise<'changed' | 'timeout' | 'closed'> {
    try {
      return await source.waitForChange(maxMs, stop);
    } catch (error) {
      if (!(error instanceof MailError) || (error.code !== 'TEMPORARY' && error.code !== 'TIMEOUT')) throw error;
      this.log.info({ ...log, reason: error.message }, 'the server ended IDLE; the mailbox is handed back and read again at once');
      return 'closed';
    }
  }

  /** The Calendar, the Tasks and the Contacts folder: each commits its own pages, and one that fails does not hold up the others. */
  private async syncActFolders(leased: MailboxWork, cursor: string | null, stop: AbortSignal, log: object): Promise<string | null> {
    const work = await this.withServerTimeZone(leased, stop, log);
    // Each is taken as synchronized unless its own catch below says otherwise.
    const results = this.actResults.get(work.mailboxId) ?? new Map<ActFolder, string | null>();
    this.actResults.set(work.mailboxId, results);
    for (const folder of ['CALENDAR', 'TASKS', 'CONTACTS'] as const) results.set(folder, null);
    const afterCalendar = await this.syncCalendar(work, cursor, stop, log);
    if (stop.aborted) return afterCalendar;
    const afterTasks = await this.syncTasks(work, afterCalendar, stop, log);
    return stop.aborted ? afterTasks : this.syncContacts(work, afterTasks, stop, log);
  }

  /**
   * The mailbox with the time zone its server keeps, read at most once an hour and reported to the hub when it differs
   * (the hub then computes task days in it, and the Calendar is written in it). One that cannot be read leaves the
   * hub's as it is: appointments and tasks still sync, in the zone last known.
   */
  private async withServerTimeZone(work: MailboxWork, stop: AbortSignal, log: object): Promise<MailboxWork> {
    const reader = this.connectors.timeZone?.(work);
    const last = this.zoneReadAt.get(work.mailboxId);
    if (!reader || (last !== undefined && Date.now() - last < ZONE_READ_INTERVAL_MS)) return work;
    try {
      const { zone, problem } = await reader.read(stop);
      if (!zone) {
        this.zoneReadAt.set(work.mailboxId, Date.now());
        this.log.info({ ...log, problem }, 'the mailbox keeps no time zone the engine can use; all-day appointments and task days stay in the one last known');
        return work;
      }
      if (zone !== work.timeZone) await this.api.reportMailboxTimeZone(work.mailboxId, work.leaseId, zone);
      // Read again after an hour, or at once when the report did not reach the hub.
      this.zoneReadAt.set(work.mailboxId, Date.now());
      if (zone === work.timeZone) return work;
      this.log.info({ ...log, timeZone: zone, before: work.timeZone }, 'mailbox time zone reported');
      return { ...work, timeZone: zone };
    } catch (error) {
      if (stop.aborted) throw error;
      this.log.warn({ ...log, err: error }, 'the mailbox time zone could not be read; tried again next run');
      return work;
    }
  }

  /** The mailbox's Exchange Contacts folder, page by page, each committed with the cursor; then the CRM's contacts written to it. */
  private async syncContacts(work: MailboxWork, cursor: string | null, stop: AbortSignal, log: object): Promise<string | null> {
    const contacts = this.connectors.contacts(work);
    if (!contacts) return cursor;
    let committed = cursor;
    try {
      // Outlook's side first: a contact written before a crash, read back here, is paired by its CRM id and not written twice.
      for await (const batch of contacts.read(committed, stop)) {
        if (stop.aborted) break;
        await this.api.syncMailboxContacts(work.mailboxId, work.leaseId, batch, batch.cursor);
        committed = batch.cursor;
        if (batch.contacts.length > 0 || batch.deletedItemIds.length > 0) this.log.info({ ...log, contacts: batch.contacts.length, deleted: batch.deletedItemIds.length }, 'contacts synchronized');
      }
      await this.writeRounds(stop, async () => {
        const writes = await this.api.claimContactWrites(work.mailboxId, work.leaseId, WRITE_BATCH);
        if (writes.length > 0) await this.api.reportContactWrites(work.mailboxId, work.leaseId, await contacts.write(writes, stop));
        if (writes.length > 0) this.log.info({ ...log, written: writes.length }, 'contacts written to the Exchange Contacts folder');
        return writes.length;
      });
    } catch (error) {
      if (stop.aborted) throw error;
      this.log.warn({ ...log, err: error }, 'the Exchange Contacts folder could not be synchronized; mail goes on, and contacts are read again next run');
      this.actResults.get(work.mailboxId)?.set('CONTACTS', reasonOf(error));
    }
    return committed;
  }

  /**
   * Tasks from the mailbox's Exchange Tasks folder, page by page, each committed with the cursor; then the CRM's
   * tasks written to it. Tasks that cannot be synchronized do not stop the mail: logged, and tried again next run.
   */
  private async syncTasks(work: MailboxWork, cursor: string | null, stop: AbortSignal, log: object): Promise<string | null> {
    const tasks = this.connectors.tasks(work);
    if (!tasks) return cursor;
    let committed = cursor;
    try {
      // Exchange's side first: a task written before a crash, read back here, is linked by its CRM id and not written twice.
      for await (const batch of tasks.read(committed, stop)) {
        if (stop.aborted) break;
        await this.api.syncMailboxTasks(work.mailboxId, work.leaseId, batch, batch.cursor);
        committed = batch.cursor;
        if (batch.tasks.length > 0 || batch.deletedItemIds.length > 0) this.log.info({ ...log, tasks: batch.tasks.length, deleted: batch.deletedItemIds.length, skipped: batch.skipped }, 'tasks synchronized');
      }
      await this.writeRounds(stop, async () => {
        const writes = await this.api.claimTaskWrites(work.mailboxId, work.leaseId, WRITE_BATCH);
        if (writes.length > 0) await this.api.reportTaskWrites(work.mailboxId, work.leaseId, await tasks.write(writes, stop));
        if (writes.length > 0) this.log.info({ ...log, written: writes.length }, 'tasks written to the Exchange Tasks folder');
        return writes.length;
      });
    } catch (error) {
      if (stop.aborted) throw error;
      this.log.warn({ ...log, err: error }, 'the Exchange Tasks folder could not be synchronized; mail goes on, and tasks are read again next run');
      this.actResults.get(work.mailboxId)?.set('TASKS', reasonOf(error));
    }
    return committed;
  }

  /** Claim, write and report rounds (`round` returns how many it claimed) until the CRM has no more, or WRITE_ROUNDS. */
  private async writeRounds(stop: AbortSignal, round: () => Promise<number>): Promise<void> {
    for (let i = 0; i < WRITE_ROUNDS && !stop.aborted; i++) if ((await round()) < WRITE_BATCH) break;
  }

  /**
   * Appointments from the mailbox's Exchange Calendar, page by page, each committed with the cursor. A calendar that
   * cannot be read does not stop the mail: it is logged and read again on the next run.
   */
  private async syncCalendar(work: MailboxWork, cursor: string | null, stop: AbortSignal, log: object): Promise<string | null> {
    const calendar = this.connectors.calendar(work);
    if (!calendar) return cursor;
    let committed = cursor;
    try {
      // Exchange's side first: an entry written before a crash, read back here, is linked and not written twice.
      for await (const batch of calendar.read(committed, stop)) {
        if (stop.aborted) break;
        // Series beyond what one call takes go first, without the cursor; the last call commits it with the events.
        const calls = seriesCalls(batch.series ?? []);
        for (const series of calls.slice(0, -1)) await this.api.syncMailboxCalendar(work.mailboxId, work.leaseId, { events: [], series, deletedItemIds: [] }, null);
        await this.api.syncMailboxCalendar(work.mailboxId, work.leaseId, { ...batch, series: calls.at(-1) ?? [] }, batch.cursor);
        committed = batch.cursor;
        const series = batch.series?.length ?? 0;
        if (batch.events.length > 0 || series > 0 || batch.skipped > 0) this.log.info({ ...log, appointments: batch.events.length, series, skipped: batch.skipped }, 'calendar synchronized');
      }
      // Then the CRM's: appointments made or cancelled in the CRM go to the Calendar.
      for (let round = 0; round < WRITE_ROUNDS && !stop.aborted; round++) {
        const writes = await this.api.claimCalendarWrites(work.mailboxId, work.leaseId, WRITE_BATCH);
        if (writes.length === 0) break;
        await this.api.reportCalendarWrites(work.mailboxId, work.leaseId, await calendar.write(writes, stop));
        this.log.info({ ...log, written: writes.length }, 'appointments written to the Exchange calendar');
        if (writes.length < WRITE_BATCH) break;
      }
    } catch (error) {
      if (stop.aborted) throw error;
      this.log.warn({ ...log, err: error }, 'the Exchange calendar could not be synchronized; mail goes on, and the calendar is read again next run');
      this.actResults.get(work.mailboxId)?.set('CALENDAR', reasonOf(error));
    }
    return committed;
  }

  /** The Calendar, Tasks and Contacts results of this run, for its report (the hub alerts on failures and recoveries). */
  private takeActResults(work: MailboxWork): Pick<SyncReport, 'actFolders'> {
    const results = this.actResults.get(work.mailboxId);
    this.actResults.delete(work.mailboxId);
    return results ? { actFolders: [...results].map(([folder, failure]) => ({ folder, failure })) } : {};
  }

  /** Once per run at most, and only when the list differs from the last one reported; POP3 (null) reports nothing. */
  private async reportFolders(work: MailboxWork, folders: readonly ServerFolder[] | null): Promise<void> {
    if (folders === null) return;
    const key = JSON.stringify(folders);
    if (this.reportedFolders.get(work.mailboxId) === key) return;
    try {
      await this.api.reportMailboxFolders(work.mailboxId, work.leaseId, folders);
      this.reportedFolders.set(work.mailboxId, key);
    } catch (error) {
      // Only the folder picker is behind: the next run reports again. A lost lease shows in the lease keeper.
      this.log.warn({ mailboxId: work.mailboxId, err: error }, 'could not report the server\'s folders');
    }
  }

  private reconcileDue(mailboxId: string): boolean {
    const last = this.reconciledAt.get(mailboxId);
    return last === undefined || Date.now() - last >= this.options.reconcileIntervalSeconds * 1000;
  }

  private async release(work: MailboxWork, report: SyncReport): Promise<void> {
    try {
      await this.api.releaseMailbox(work.mailboxId, work.leaseId, report);
    } catch (error) {
      // The lease then simply expires and the mailbox is claimed again: nothing is lost, only delayed.
      this.log.warn({ mailboxId: work.mailboxId, err: error }, 'could not release the mailbox lease; it will expire');
    }
  }
}

/** What an act folder's failure says in the mailbox's alert. */
const reasonOf = (error: unknown): string => (error instanceof Error ? error.message : String(error)).slice(0, 1000);
