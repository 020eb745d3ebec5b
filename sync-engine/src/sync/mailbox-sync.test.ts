import type { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { HubApiError, type HubApi } from '../api-client.js';
import type { MailboxWork, SyncReport, TrackBatch, TrackedItemResult } from '../hub-types.js';
import type { Log } from '../logger.js';
import { MailError } from '../mail/mail-error.js';
import type { FetchedBatch, FetchOptions, InventoryItem, MailSource, RawMessage, ServerFolder } from '../mail/mail-source.js';
import type { MailConnectors } from './connectors.js';
import { MailboxSync } from './mailbox-sync.js';

// The sync loop's rules with a fake hub and a fake mail source; the adapters have their own tests against Dovecot.

const silent: Log = { debug() {}, info() {}, warn() {}, error() {}, fatal() {} } as unknown as Log;

const mail = (n: number, extra = ''): Buffer =>
  Buffer.from(`From: <c${n}@example.test>\r\nTo: <sam@example.test>\r\nSubject: Message ${n}\r\nMessage-ID: <m${n}@example.test>\r\nDate: Mon, 2 Nov 2026 10:00:00 +0000\r\n${extra}\r\nBody ${n}\r\n`);

/** An in-memory mailbox whose cursor is the index of the next message. */
class FakeSource implements MailSource {
  opened = false;
  serverFolders: readonly ServerFolder[] | null = null;
  fetchedFrom: (string | null)[] = [];
  constructor(
    readonly messages: RawMessage[],
    private readonly behaviour: { openError?: Error; cursorInvalidFor?: string; waitsOut?: boolean; failAfterBatches?: number } = {},
  ) {}
  async open(): Promise<void> {
    if (this.behaviour.openError) throw this.behaviour.openError;
    this.opened = true;
  }
  async *fetchNew(cursor: string | null, options: FetchOptions, signal?: AbortSignal): AsyncIterable<FetchedBatch> {
    this.fetchedFrom.push(cursor);
    if (signal?.aborted) throw new MailError('TEMPORARY', 'Cancelled: the connection was closed'); // as the adapters do
    if (cursor !== null && cursor === this.behaviour.cursorInvalidFor) throw new MailError('CURSOR_INVALID', 'UIDVALIDITY changed');
    let batches = 0;
    for (let i = cursor === null ? 0 : Number(cursor); i < this.messages.length; i += options.batchSize) {
      if (batches++ === this.behaviour.failAfterBatches) throw new MailError('TEMPORARY', 'Connection closed by the server');
      const slice = this.messages.slice(i, i + options.batchSize);
      this.events.push(`fetched ${i + slice.length}`);
      yield { messages: slice, cursor: String(i + slice.length) };
    }
  }
  /** What happened, in order: fetches here, commits and removals where the tests note them. */
  events: string[] = [];
  async *inventory(): AsyncIterable<readonly InventoryItem[]> {
    yield this.messages.map((m, i) => ({ sourceRef: m.sourceRef, folder: 'INBOX', role: 'INBOX', messageId: `m${i}@example.test` }));
  }
  async *fetchRefs(refs: readonly string[]): AsyncIterable<RawMessage> {
    for (const m of this.messages) if (refs.includes(m.sourceRef)) yield m;
  }
  removed: string[] = [];
  async remove(refs: readonly string[]): Promise<void> {
    this.events.push(`removed ${refs.join(' ')}`);
    this.removed.push(...refs);
  }
  async waitForChange(maxMs = 0): Promise<'changed' | 'timeout'> {
    if (this.behaviour.waitsOut) await new Promise((resolve) => setTimeout(resolve, maxMs));
    return 'timeout';
  }
  async close(): Promise<void> {}
}

/** Message n as Sven's server rule forwards it to a forward (sink) mailbox: attached as message/rfc822. */
const forwardedCopy = (n: number): Buffer =>
  Buffer.concat([
    Buffer.from(`From: <sven@example.test>\r\nTo: <sink@example.test>\r\nSubject: FW ${n}\r\nMessage-ID: <fw-${n}@example.test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n`),
    mail(n),
    Buffer.from('--b--\r\n'),
  ]);

const raw = (n: number, source = mail(n)): RawMessage => ({ sourceRef: `fake:${n}`, folder: 'INBOX', role: 'INBOX', receivedAt: null, size: source.length, source });

/** Records what the engine tells the hub. */
class FakeHub implements Partial<HubApi> {
  batches: { mailboxId: string; batch: TrackBatch }[] = [];
  releases: SyncReport[] = [];
  coverage: number[][] = [];
  undecided: string[] = [];
  onTrack: (batch: TrackBatch) => void = () => {};
  async trackEmails(mailboxId: string, batch: TrackBatch): Promise<TrackedItemResult[]> {
    this.onTrack(batch);
    this.batches.push({ mailboxId, batch });
    return batch.items.map((item, index) => ({ index, messageId: item.messageId, outcome: 'TRACKED', activityId: `a${index}`, errorCode: null, errorMessage: null }));
  }
  async releaseMailbox(_mailboxId: string, _leaseId: string, report: SyncReport): Promise<void> {
    this.releases.push(report);
  }
  async renewMailboxLease(): Promise<Date> {
    return new Date();
  }
  async undecidedMessages(): Promise<string[]> {
    return this.undecided;
  }
  async reportMailboxCoverage(_m: string, _l: string, serverCount: number, decidedCount: number, recovered: number): Promise<void> {
    this.coverage.push([serverCount, decidedCount, recovered]);
  }
  readonly timeZones: string[] = [];
  async reportMailboxTimeZone(_m: string, _l: string, timeZone: string): Promise<void> {
    this.timeZones.push(timeZone);
  }
  async uploadBlob(): Promise<string> {
    return 'f'.repeat(64);
  }
  async uploadBlobStream(body: Readable): Promise<string> {
    for await (const _ of body); // read to the end, as the hub does
    return 'f'.repeat(64);
  }
  folderReports: { leaseId: string; folders: readonly string[] }[] = [];
  async reportMailboxFolders(_m: string, leaseId: string, folders: readonly ServerFolder[]): Promise<void> {
    this.folderReports.push({ leaseId, folders: folders.map((folder) => folder.path) });
  }
}

const work = (extra: Partial<MailboxWork> = {}): MailboxWork => ({
  mailboxId: 'mbx-1',
  leaseId: 'lease-1',
  leaseUntil: new Date(Date.now() + 60_000).toISOString(),
  job: 'SYNC',
  address: 'sam@example.test',
  kind: 'IMAP_SMTP',
  incoming: { host: 'imap.example.test', port: 143, tls: 'NONE', allowInvalidCertificates: false },
  outgoing: { host: 'smtp.example.test', port: 25, tls: 'NONE', allowInvalidCertificates: false },
  ews: null,
  credentials: { status: 'PRESENT', method: 'PASSWORD', username: 'sam', secret: 'x' },
  incomingEnabled: true,
  outgoingEnabled: true,
  actEnabled: false,
  isForwardMailbox: false,
  deleteForwardedCopies: false,
  forwardSources: [],
  cursor: null,
  processEmailFrom: null,
  resyncFrom: null,
  sentFolder: null,
  trackedFolders: [],
  trackedFolderIds: [],
  pollIntervalSeconds: 60,
  maxBodyKb: 1024,
  pastExpansionWindowMonths: 3,
  futureExpansionWindowMonths: 12,
  timeZone: null,
  ...extra,
});

function syncWith(hub: FakeHub, source: FakeSource, reconcileIntervalSeconds = 3600, idleSeconds = 0) {
  const connectors = { incoming: () => source } as unknown as MailConnectors;
  return new MailboxSync(hub as unknown as HubApi, connectors, silent, { batchSize: 2, maxBatchBytes: 1 << 20, maxRequestBytes: 32 << 20, leaseSeconds: 60, idleSeconds, reconcileIntervalSeconds });
}

const listed = (...paths: string[]): ServerFolder[] => paths.map((path) => ({ path, folderId: null, underInbox: false }));

describe('MailboxSync', () => {
  it('reports the server\'s folders on the first run and again only when they changed; POP3 reports none', async () => {
    const hub = new FakeHub();
    const source = new FakeSource([raw(1)]);
    source.serverFolders = listed('INBOX', 'Projekt/Åre');
    const sync = syncWith(hub, source);
    await sync.run(work(), new AbortController().signal);
    await sync.run(work({ leaseId: 'lease-2', cursor: '1' }), new AbortController().signal);
    source.serverFolders = listed('INBOX', 'Projekt/Åre', 'INBOX/Contoso');
    await sync.run(work({ leaseId: 'lease-3', cursor: '1' }), new AbortController().signal);
    expect(hub.folderReports).toEqual([
      { leaseId: 'lease-1', folders: ['INBOX', 'Projekt/Åre'] },
      { leaseId: 'lease-3', folders: ['INBOX', 'Projekt/Åre', 'INBOX/Contoso'] },
    ]);
    const pop3 = new FakeHub();
    await syncWith(pop3, new FakeSource([raw(1)])).run(work({ kind: 'POP3_SMTP' }), new AbortController().signal);
    expect(pop3.folderReports).toEqual([]);
  });

  it('an Exchange mailbox syncing appointments, contacts and tasks reads its Calendar, Tasks and Contacts, writes what the CRM made, also while it waits for mail', async () => {
    const hub = new FakeHub();
    const source = new FakeSource([], { waitsOut: true });
    const claims = [[{ appointmentId: 'a1', fingerprint: 'f1' }], [], [{ appointmentId: 'a2', fingerprint: 'f2' }]];
    const calls: string[] = [];
    const api = Object.assign(hub, {
      syncMailboxCalendar: async (_m: string, _l: string, batch: { events: readonly unknown[] }, cursor: string) => void calls.push(`read ${batch.events.length} ${cursor}`),
      claimCalendarWrites: async () => claims.shift() ?? [],
      reportCalendarWrites: async (_m: string, _l: string, writes: readonly { appointmentId: string }[]) => void calls.push(`report ${writes.map((w) => w.appointmentId).join(',')}`),
      syncMailboxTasks: async (_m: string, _l: string, batch: { tasks: readonly unknown[]; deletedItemIds: readonly string[] }, cursor: string) => void calls.push(`tasks ${batch.tasks.length} deleted ${batch.deletedItemIds.join(',')} ${cursor}`),
      claimTaskWrites: async () => taskClaims.shift() ?? [],
      reportTaskWrites: async (_m: string, _l: string, writes: readonly { taskId: string; itemId: string | null }[]) => void calls.push(`report tasks ${writes.map((w) => `${w.taskId}=${w.itemId}`).join(',')}`),
      syncMailboxContacts: async (_m: string, _l: string, batch: { contacts: readonly unknown[] }, cursor: string) => void calls.push(`contacts ${batch.contacts.length} ${cursor}`),
      claimContactWrites: async () => contactClaims.shift() ?? [],
      reportContactWrites: async (_m: string, _l: string, writes: readonly { contactId: string; itemId: string | null }[]) => void calls.push(`report contacts ${writes.map((w) => `${w.contactId}=${w.itemId}`).join(',')}`),
    });
    const contactClaims = [[{ contactId: 'k1', fingerprint: 'h1' }]];
    const taskClaims = [[{ taskId: 't1', fingerprint: 'g1' }]];
    const tasks = {
      async *read(cursor: string | null) {
        yield { tasks: [{ itemId: 'x' }], deletedItemIds: ['gone'], skipped: 0, cursor: `${cursor ?? ''}+tasks` };
      },
      write: async (writes: readonly { taskId: string; fingerprint: string }[]) => writes.map((w) => ({ taskId: w.taskId, itemId: `item-${w.taskId}`, fingerprint: w.fingerprint })),
    };
    const calendar = {
      async *read(cursor: string | null) {
        yield { events: [], skipped: 0, cursor: `${cursor ?? ''}+cal` };
      },
      write: async (writes: readonly { appointmentId: string; fingerprint: string }[]) => writes.map((w) => ({ appointmentId: w.appointmentId, itemId: `item-${w.appointmentId}`, fingerprint: w.fingerprint })),
    };
    const contacts = {
      async *read(cursor: string | null) {
        yield { contacts: [{ itemId: 'c' }], deletedItemIds: [], cursor: `${cursor ?? ''}+contacts` };
      },
      write: async (writes: readonly { contactId: string; fingerprint: string }[]) => writes.map((w) => ({ contactId: w.contactId, itemId: `item-${w.contactId}`, fingerprint: w.fingerprint })),
    };
    const connectors = { incoming: () => source, calendar: () => calendar, tasks: () => tasks, contacts: () => contacts } as unknown as MailConnectors;
    const sync = new MailboxSync(api as unknown as HubApi, connectors, silent, { batchSize: 2, maxBatchBytes: 1 << 20, maxRequestBytes: 32 << 20, leaseSeconds: 60, idleSeconds: 1, reconcileIntervalSeconds: 3600, calendarWritePollMs: 300 });
    await sync.run(work({ kind: 'EXCHANGE_EWS', actEnabled: true, incoming: null, ews: { url: 'https://ews.example.test/EWS/Exchange.asmx', impersonateAddress: null, allowInvalidCertificates: false, maxConnections: 2 } }), new AbortController().signal);
    // Read first, then write, Calendar, Tasks, then Contacts (the cursor carries all three); and while waiting, another round found a2.
    expect(calls.slice(0, 6)).toEqual(['read 0 +cal', 'report a1', 'tasks 1 deleted gone +cal+tasks', 'report tasks t1=item-t1', 'contacts 1 +cal+tasks+contacts', 'report contacts k1=item-k1']);
    expect(calls).toContain('report a2');
    expect(hub.releases.at(-1)).toMatchObject({ outcome: 'SUCCESS' });
  });

  it('a waiting Exchange mailbox writes at once when the hub says its owner changed something, without waiting for its own look', async () => {
    const hub = new FakeHub();
    const source = new FakeSource([]);
    // Waits until its time is up or the wait is interrupted, as the EWS source does.
    source.waitForChange = (maxMs = 0, signal?: AbortSignal) =>
      new Promise((resolve) => {
        const timer = setTimeout(() => resolve('timeout'), maxMs);
        signal?.addEventListener('abort', () => (clearTimeout(timer), resolve('timeout')), { once: true });
      });
    const calls: string[] = [];
    const claims = [[{ appointmentId: 'a1', fingerprint: 'f1' }], [{ appointmentId: 'a2', fingerprint: 'f2' }]];
    const api = Object.assign(hub, {
      syncMailboxCalendar: async () => undefined,
      claimCalendarWrites: async () => (calls.push('claim'), claims.shift() ?? []),
      reportCalendarWrites: async (_m: string, _l: string, writes: readonly { appointmentId: string }[]) => void calls.push(`report ${writes.map((w) => w.appointmentId).join(',')}`),
    });
    const calendar = {
      async *read(cursor: string | null) {
        yield { events: [], skipped: 0, cursor: `${cursor ?? ''}+cal` };
      },
      write: async (writes: readonly { appointmentId: string; fingerprint: string }[]) => writes.map((w) => ({ appointmentId: w.appointmentId, itemId: `item-${w.appointmentId}`, fingerprint: w.fingerprint })),
    };
    const listeners = new Map<string, () => void>();
    const wakeups = { on: (mailboxId: string, wake: () => void) => (listeners.set(mailboxId, wake), () => void listeners.delete(mailboxId)) };
    const connectors = { incoming: () => source, calendar: () => calendar, tasks: () => null, contacts: () => null } as unknown as MailConnectors;
    // Its own look would come after a minute, long after this one-second claim ends.
    const sync = new MailboxSync(api as unknown as HubApi, connectors, silent, { batchSize: 2, maxBatchBytes: 1 << 20, maxRequestBytes: 32 << 20, leaseSeconds: 60, idleSeconds: 1, reconcileIntervalSeconds: 3600, calendarWritePollMs: 60_000, wakeups });
    const mailbox = work({ kind: 'EXCHANGE_EWS', actEnabled: true, incoming: null, ews: { url: 'https://ews.example.test/EWS/Exchange.asmx', impersonateAddress: null, allowInvalidCertificates: false, maxConnections: 2 } });
    const running = sync.run(mailbox, new AbortController().signal);
    for (let i = 0; i < 50 && !listeners.has(mailbox.mailboxId); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    calls.push('hub wakes');
    listeners.get(mailbox.mailboxId)!();
    await running;
    expect(calls).toEqual(['claim', 'report a1', 'hub wakes', 'claim', 'report a2']);
    expect(listeners.size).toBe(0); // no longer listening once the mailbox is handed back
  });

  it('a Calendar that cannot be read does not hold up the Tasks or the report; the report says which folder failed and why', async () => {
    const hub = new FakeHub();
    const api = Object.assign(hub, {
      claimTaskWrites: async () => [],
      syncMailboxTasks: async () => undefined,
    });
    const calendar = {
      async *read(): AsyncIterable<never> {
        throw new Error('Exchange refused the Calendar: ErrorAccessDenied');
      },
    };
    const tasks = {
      async *read(cursor: string | null) {
        yield { tasks: [], deletedItemIds: [], skipped: 0, cursor: `${cursor ?? ''}+tasks` };
      },
      write: async () => [],
    };
    const connectors = { incoming: () => new FakeSource([]), calendar: () => calendar, tasks: () => tasks, contacts: () => null } as unknown as MailConnectors;
    const sync = new MailboxSync(api as unknown as HubApi, connectors, silent, { batchSize: 2, maxBatchBytes: 1 << 20, maxRequestBytes: 32 << 20, leaseSeconds: 60, idleSeconds: 0, reconcileIntervalSeconds: 3600 });
    await sync.run(work({ kind: 'EXCHANGE_EWS', actEnabled: true, incoming: null, ews: { url: 'https://ews.example.test/EWS/Exchange.asmx', impersonateAddress: null, allowInvalidCertificates: false, maxConnections: 2 } }), new AbortController().signal);
    expect(hub.releases.at(-1)).toMatchObject({
      outcome: 'SUCCESS',
      actFolders: [
        { folder: 'CALENDAR', failure: 'Exchange refused the Calendar: ErrorAccessDenied' },
        { folder: 'TASKS', failure: null },
        { folder: 'CONTACTS', failure: null },
      ],
    });
    // A mailbox without appointments, contacts and tasks reports none.
    await sync.run(work(), new AbortController().signal);
    expect(hub.releases.at(-1)).not.toHaveProperty('actFolders');
  });

  it('reads the mailbox\'s time zone before its Calendar, reports it once when it differs from the hub\'s, and a zone it cannot read stops nothing', async () => {
    const hub = new FakeHub();
    const seen: (string | null | undefined)[] = [];
    const calendar = {
      async *read(): AsyncIterable<never> {},
      write: async () => [],
    };
    const api = Object.assign(hub, { claimCalendarWrites: async () => [], reportCalendarWrites: async () => undefined });
    const readings: ({ zone: string | null; problem: string | null } | Error)[] = [{ zone: 'Europe/Berlin', problem: null }];
    let reads = 0;
    const connectors = {
      incoming: () => new FakeSource([]),
      calendar: (w: { timeZone: string | null }) => (seen.push(w.timeZone), calendar),
      tasks: () => null,
      contacts: () => null,
      timeZone: () => ({
        read: async () => {
          reads++;
          const next = readings.shift() ?? { zone: 'Europe/Berlin', problem: null };
          if (next instanceof Error) throw next;
          return next;
        },
      }),
    } as unknown as MailConnectors;
    const sync = new MailboxSync(api as unknown as HubApi, connectors, silent, { batchSize: 2, maxBatchBytes: 1 << 20, maxRequestBytes: 32 << 20, leaseSeconds: 60, idleSeconds: 0, reconcileIntervalSeconds: 3600 });
    const exchange = (timeZone: string | null, mailboxId = 'mb-1') => work({ mailboxId, timeZone, kind: 'EXCHANGE_EWS', actEnabled: true, incoming: null, ews: { url: 'https://ews.example.test/EWS/Exchange.asmx', impersonateAddress: null, allowInvalidCertificates: false, maxConnections: 2 } });
    // The hub does not know it yet: reported, and the Calendar is written in it this very run.
    await sync.run(exchange(null), new AbortController().signal);
    expect(hub.timeZones).toEqual(['Europe/Berlin']);
    expect(seen).toEqual(['Europe/Berlin']);
    // Within the hour it is not read again.
    await sync.run(exchange('Europe/Berlin'), new AbortController().signal);
    expect(reads).toBe(1);
    // Another mailbox whose zone cannot be read (Exchange unreachable for that call) still syncs, in the zone the hub has.
    readings.push(new Error('socket hang up'));
    await sync.run(exchange('America/New_York', 'mb-2'), new AbortController().signal);
    expect(seen.at(-1)).toBe('America/New_York');
    expect(hub.releases.at(-1)).toMatchObject({ outcome: 'SUCCESS' });
    // One that holds no zone is not reported (the hub keeps what it has).
    readings.push({ zone: null, problem: 'No usable time zone' });
    await sync.run(exchange(null, 'mb-3'), new AbortController().signal);
    expect(hub.timeZones).toEqual(['Europe/Berlin']);
    expect(seen.at(-1)).toBeNull();
  });

  it('commits every batch with the cursor after it, under the lease, and reports what it processed', async () => {
    const hub = new FakeHub();
    const source = new FakeSource([1, 2, 3, 4, 5].map((n) => raw(n)));
    await syncWith(hub, source).run(work({ cursor: '1' }), new AbortController().signal);
    expect(hub.batches.map((b) => [b.batch.items.map((i) => i.subject), b.batch.cursor, b.batch.leaseId])).toEqual([
      [['Message 2', 'Message 3'], '3', 'lease-1'],
      [['Message 4', 'Message 5'], '5', 'lease-1'],
    ]);
    expect(hub.releases).toEqual([expect.objectContaining({ outcome: 'SUCCESS', itemsProcessed: 4 })]);
  });

  it('quarantines a message that cannot be read in the same batch as the rest, with its reason', async () => {
    const hub = new FakeHub();
    const source = new FakeSource([raw(1), raw(2, Buffer.alloc(0)), raw(3)]);
    await syncWith(hub, source).run(work(), new AbortController().signal);
    const quarantined = hub.batches.flatMap((b) => b.batch.quarantine);
    expect(quarantined).toEqual([expect.objectContaining({ sourceRef: 'fake:2', code: 'INVALID_MESSAGE', reason: expect.stringMatching(/cannot be read/) })]);
    expect(hub.batches.flatMap((b) => b.batch.items.map((i) => i.subject))).toEqual(['Message 1', 'Message 3']);
    expect(hub.batches.at(-1)?.batch.cursor).toBe('3');
  });

  it('stops between batches on shutdown, and hands the mailbox back due at once', async () => {
    const hub = new FakeHub();
    const stop = new AbortController();
    hub.onTrack = () => stop.abort();
    await syncWith(hub, new FakeSource([1, 2, 3, 4].map((n) => raw(n)))).run(work(), stop.signal);
    expect(hub.batches).toHaveLength(1); // the batch in hand was committed whole; the one read ahead was not
    expect(hub.releases).toEqual([expect.objectContaining({ outcome: 'SUCCESS', itemsProcessed: 2, nextSyncInSeconds: 0 })]);
  });

  it('on shutdown during a fetch (the adapter throws "cancelled"), hands the mailbox back without a failure, and a resync stays pending', async () => {
    const hub = new FakeHub();
    const stop = new AbortController();
    stop.abort();
    await syncWith(hub, new FakeSource([raw(1)])).run(work({ resyncFrom: '2026-11-01T00:00:00.000Z' }), stop.signal);
    expect(hub.batches).toEqual([]);
    expect(hub.releases).toEqual([{ outcome: 'SUCCESS', itemsProcessed: 0, nextSyncInSeconds: 0 }]);
  });

  it('marks a resync completed only when it ran to the end', async () => {
    const hub = new FakeHub();
    await syncWith(hub, new FakeSource([raw(1)])).run(work({ resyncFrom: '2026-11-01T00:00:00.000Z' }), new AbortController().signal);
    expect(hub.releases).toEqual([expect.objectContaining({ outcome: 'SUCCESS', resyncCompleted: '2026-11-01T00:00:00.000Z' })]);
  });

  it('treats the server closing an IDLE connection as the end of listening, not an outage', async () => {
    const hub = new FakeHub();
    const source = new FakeSource([raw(1)]);
    source.waitForChange = async () => {
      throw new MailError('TEMPORARY', 'The IMAP connection was closed while waiting for new mail');
    };
    await syncWith(hub, source, 3600, 30).run(work(), new AbortController().signal);
    expect(hub.releases).toEqual([expect.objectContaining({ outcome: 'SUCCESS', itemsProcessed: 1, nextSyncInSeconds: 0 })]);
  });

  it('reports nothing when the hub says the lease is someone else\'s now', async () => {
    const hub = new FakeHub();
    hub.onTrack = () => {
      throw new HubApiError('CONFLICT', 'lease lost', 'CONFLICT');
    };
    await syncWith(hub, new FakeSource([raw(1)])).run(work(), new AbortController().signal);
    expect(hub.releases).toEqual([]);
  });

  it.each([
    [new MailError('AUTH_FAILED', 'the server rejected the user name or password'), 'AUTH_FAILED'],
    [new MailError('REFUSED', 'connection refused'), 'TEMPORARY_FAILURE'],
    [new MailError('FOLDER_MISSING', 'no folder Projects'), 'CONFIG_ERROR'],
  ])('reports %s from the server as %s', async (error, outcome) => {
    const hub = new FakeHub();
    await syncWith(hub, new FakeSource([], { openError: error })).run(work(), new AbortController().signal);
    expect(hub.releases).toEqual([expect.objectContaining({ outcome, code: error.code, message: error.message })]);
  });

  it('reads the mailbox again from the start when the cursor no longer applies', async () => {
    const hub = new FakeHub();
    const source = new FakeSource([1, 2, 3].map((n) => raw(n)), { cursorInvalidFor: '2' });
    await syncWith(hub, source).run(work({ cursor: '2' }), new AbortController().signal);
    expect(source.fetchedFrom).toEqual(['2', null]);
    expect(hub.batches.map((b) => b.batch.cursor)).toEqual(['2', '3']);
  });

  it('reconciles: fetches what the hub has no decision for, tracks it again and reports coverage', async () => {
    const hub = new FakeHub();
    hub.undecided = ['fake:2'];
    const source = new FakeSource([1, 2, 3].map((n) => raw(n)));
    await syncWith(hub, source, 0).run(work({ cursor: '3' }), new AbortController().signal);
    const refetch = hub.batches.find((b) => b.batch.cursor === null);
    expect(refetch?.batch.items.map((i) => i.subject)).toEqual(['Message 2']);
    expect(hub.coverage).toEqual([[3, 3, 1]]);
  });

  it.each([
    ['the hub takes a truncated body', 1024, 32 << 20, 'tracked'],
    ['the hub refuses even the truncated body (413)', 2048, 2 << 20, 'quarantined'],
  ])('a message with a huge body between two others: %s, and the cursor moves past all three', async (_name, maxBodyKb, hubLimit, fate) => {
    const hub = new FakeHub();
    hub.onTrack = (batch) => {
      if (Buffer.byteLength(JSON.stringify(batch)) > hubLimit) throw new HubApiError('TOO_LARGE', 'hub API error: The request body is larger than the limit of 2 MB.', 'PAYLOAD_TOO_LARGE');
    };
    const html = `<p>${'<b>"big"</b>\n'.repeat(200_000)}</p>`; // ~3 MB of HTML, more as escaped JSON
    const big = mail(2, `MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n`).toString().replace('Body 2', html);
    const source = new FakeSource([raw(1), raw(2, Buffer.from(big)), raw(3)]);
    await syncWith(hub, source).run(work({ maxBodyKb }), new AbortController().signal);
    const sent = hub.batches.flatMap((b) => b.batch.items);
    expect(sent.map((i) => i.subject)).toEqual(fate === 'tracked' ? ['Message 1', 'Message 2', 'Message 3'] : ['Message 1', 'Message 3']);
    // What went out is just over the organization's limit, so the hub cuts it and records BODY_TRUNCATED itself.
    if (fate === 'tracked') expect(Buffer.byteLength(sent[1].htmlBody!)).toBeGreaterThan(maxBodyKb * 1024);
    expect(sent.every((i) => Buffer.byteLength(i.htmlBody ?? '') < (maxBodyKb + 64) * 1024)).toBe(true);
    const quarantined = hub.batches.flatMap((b) => b.batch.quarantine);
    expect(quarantined).toEqual(fate === 'tracked' ? [] : [expect.objectContaining({ sourceRef: 'fake:2', code: 'TOO_LARGE', subject: 'Message 2', reason: expect.stringMatching(/too large/) })]);
    expect(hub.batches.at(-1)?.batch.cursor).toBe('3');
    expect(hub.releases).toEqual([expect.objectContaining({ outcome: 'SUCCESS', itemsProcessed: 3 })]);
  });

  it('a transient hub failure quarantines nothing: the batch fails whole and is read again next time', async () => {
    const hub = new FakeHub();
    hub.onTrack = () => {
      throw new HubApiError('TEMPORARY', 'hub API answered HTTP 503');
    };
    await syncWith(hub, new FakeSource([raw(1), raw(2)])).run(work(), new AbortController().signal);
    expect(hub.batches).toEqual([]);
    expect(hub.releases).toEqual([expect.objectContaining({ outcome: 'TEMPORARY_FAILURE', code: 'HUB_TEMPORARY', itemsProcessed: 0 })]);
  });

  it('files forwarded copies under the forwarding user\'s mailbox and quarantines copies from unknown forwarders', async () => {
    const hub = new FakeHub();
    const inner = mail(7);
    const forward = (from: string) =>
      Buffer.concat([
        Buffer.from(`From: <${from}>\r\nTo: <sink@example.test>\r\nSubject: FW\r\nMessage-ID: <fw-${from}>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: message/rfc822\r\n\r\n`),
        inner,
        Buffer.from('--b--\r\n'),
      ]);
    const source = new FakeSource([raw(1, forward('sven@example.test')), raw(2, forward('stranger@example.test'))]);
    const sink = work({ isForwardMailbox: true, deleteForwardedCopies: true, forwardSources: [{ mailboxId: 'mbx-sven', address: 'Sven@example.test' }] });
    await syncWith(hub, source).run(sink, new AbortController().signal);
    const toSven = hub.batches.find((b) => b.mailboxId === 'mbx-sven');
    expect(toSven?.batch.items.map((i) => i.subject)).toEqual(['Message 7']);
    expect(hub.batches.flatMap((b) => b.batch.quarantine)).toEqual([expect.objectContaining({ sourceRef: 'fake:2', code: 'FORWARDER_UNKNOWN' })]);
    expect(source.removed).toEqual(['fake:1']); // the unknown forwarder's copy stays for a person to look at
  });

  it('fetches the next batch while one is parsed and committed, and commits in order, each with its own cursor', async () => {
    const hub = new FakeHub();
    const source = new FakeSource([1, 2, 3, 4, 5, 6].map((n) => raw(n)));
    hub.onTrack = (batch) => source.events.push(`commit ${batch.cursor}`);
    await syncWith(hub, source).run(work(), new AbortController().signal);
    expect(hub.batches.map((b) => b.batch.cursor)).toEqual(['2', '4', '6']);
    // Batch 2 is already read when batch 1 commits.
    expect(source.events.indexOf('fetched 4')).toBeLessThan(source.events.indexOf('commit 2'));
    expect(hub.releases).toEqual([expect.objectContaining({ outcome: 'SUCCESS', itemsProcessed: 6 })]);
  });

  it('sends a batch while the one before still commits, naming the cursor that one commits (afterCursor); at most two on their way', async () => {
    const hub = new FakeHub();
    const source = new FakeSource([1, 2, 3, 4, 5, 6].map((n) => raw(n)));
    const calls: string[] = [];
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    let firstDone!: () => void;
    const firstCommitted = new Promise<void>((resolve) => (firstDone = resolve));
    const track = hub.trackEmails.bind(hub);
    hub.trackEmails = async (mailboxId: string, batch: TrackBatch) => {
      calls.push(`sent ${batch.cursor} after ${batch.afterCursor ?? '-'}`);
      if (batch.cursor === '2') await firstHeld;
      if (batch.cursor === '4') {
        releaseFirst(); // the second batch arrived while the first still commits; as the hub does, it waits for that one
        await firstCommitted;
      }
      const results = await track(mailboxId, batch);
      calls.push(`committed ${batch.cursor}`);
      if (batch.cursor === '2') firstDone();
      return results;
    };
    await syncWith(hub, source).run(work(), new AbortController().signal);
    expect(calls.slice(0, 2)).toEqual(['sent 2 after -', 'sent 4 after 2']);
    expect(calls).toContain('sent 6 after 4');
    // The third batch goes only once the first has committed.
    expect(calls.indexOf('sent 6 after 4')).toBeGreaterThan(calls.indexOf('committed 2'));
    expect(hub.batches.map((b) => b.batch.cursor)).toEqual(['2', '4', '6']);
    expect(hub.releases).toEqual([expect.objectContaining({ outcome: 'SUCCESS', itemsProcessed: 6 })]);
  });

  it('a batch the hub refuses as out of turn (CONFLICT) is sent again, in turn, once the one before has committed', async () => {
    const hub = new FakeHub();
    const source = new FakeSource([1, 2, 3, 4].map((n) => raw(n)));
    const calls: string[] = [];
    const track = hub.trackEmails.bind(hub);
    hub.trackEmails = async (mailboxId: string, batch: TrackBatch) => {
      calls.push(`sent ${batch.cursor} after ${batch.afterCursor ?? '-'}`);
      if (batch.afterCursor !== undefined) throw new HubApiError('CONFLICT', "hub API error: input.afterCursor: the mailbox's sync cursor is not this one", 'CONFLICT');
      await new Promise((resolve) => setTimeout(resolve, 20));
      return track(mailboxId, batch);
    };
    await syncWith(hub, source).run(work(), new AbortController().signal);
    expect(calls).toEqual(['sent 2 after -', 'sent 4 after 2', 'sent 4 after -']);
    expect(hub.batches.map((b) => b.batch.cursor)).toEqual(['2', '4']);
    expect(hub.releases).toEqual([expect.objectContaining({ outcome: 'SUCCESS', itemsProcessed: 4 })]);
  });

  it('when the batch before fails, the one sent after it is not sent again, and the failure is reported once both have settled', async () => {
    const hub = new FakeHub();
    const source = new FakeSource([1, 2, 3, 4, 5, 6].map((n) => raw(n)));
    const calls: string[] = [];
    let settled = 0;
    hub.trackEmails = async (_mailboxId: string, batch: TrackBatch) => {
      calls.push(`sent ${batch.cursor} after ${batch.afterCursor ?? '-'}`);
      try {
        // The first fails after the second has arrived; the second is refused as the hub would (the cursor is not "2").
        await new Promise((resolve) => setTimeout(resolve, batch.cursor === '2' ? 50 : 10));
        if (batch.cursor === '2') throw new HubApiError('TEMPORARY', 'hub API answered HTTP 503');
        throw new HubApiError('CONFLICT', "hub API error: input.afterCursor: the mailbox's sync cursor is not this one", 'CONFLICT');
      } finally {
        settled++;
      }
    };
    hub.releaseMailbox = async (_m: string, _l: string, report: SyncReport) => {
      expect(settled).toBe(calls.length); // nothing still running behind the report
      hub.releases.push(report);
    };
    await syncWith(hub, source).run(work(), new AbortController().signal);
    expect(calls).toEqual(['sent 2 after -', 'sent 4 after 2']);
    expect(hub.releases).toEqual([expect.objectContaining({ outcome: 'TEMPORARY_FAILURE', code: 'HUB_TEMPORARY', itemsProcessed: 0 })]);
  });

  it('a forward mailbox sends its batches one after the other', async () => {
    const hub = new FakeHub();
    const source = new FakeSource([1, 2, 3, 4].map((n) => raw(n, forwardedCopy(n))));
    const sink = work({ isForwardMailbox: true, forwardSources: [{ mailboxId: 'mbx-sven', address: 'sven@example.test' }] });
    await syncWith(hub, source).run(sink, new AbortController().signal);
    expect(hub.batches.map((b) => [b.mailboxId, b.batch.cursor, b.batch.afterCursor])).toEqual([
      ['mbx-sven', null, undefined],
      ['mbx-1', '2', undefined],
      ['mbx-sven', null, undefined],
      ['mbx-1', '4', undefined],
    ]);
  });

  it('a fetch that fails while reading ahead: the batch before it still commits, then the mailbox reports the failure', async () => {
    const hub = new FakeHub();
    const source = new FakeSource([1, 2, 3, 4].map((n) => raw(n)), { failAfterBatches: 1 });
    await syncWith(hub, source).run(work(), new AbortController().signal);
    expect(hub.batches.map((b) => [b.batch.items.map((i) => i.subject), b.batch.cursor])).toEqual([[['Message 1', 'Message 2'], '2']]);
    expect(hub.releases).toEqual([expect.objectContaining({ outcome: 'TEMPORARY_FAILURE', message: 'Connection closed by the server' })]);
  });

  it('a forward mailbox that deletes its copies never fetches while it removes: no read-ahead on its one connection', async () => {
    const hub = new FakeHub();
    const source = new FakeSource([1, 2, 3, 4].map((n) => raw(n, forwardedCopy(n))));
    const sink = work({ isForwardMailbox: true, deleteForwardedCopies: true, forwardSources: [{ mailboxId: 'mbx-sven', address: 'sven@example.test' }] });
    await syncWith(hub, source).run(sink, new AbortController().signal);
    expect(source.events).toEqual(['fetched 2', 'removed fake:1 fake:2', 'fetched 4', 'removed fake:3 fake:4']);
  });
});
