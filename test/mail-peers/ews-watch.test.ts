import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EwsServices, type EwsAccount } from '../../sync-engine/src/mail/ews/ews-service.js';
import { EwsSource } from '../../sync-engine/src/mail/ews/ews-source.js';
import type { ExchangeMailboxWatch } from '../../sync-engine/src/mail/ews/ews-watch.js';
import { MailError } from '../../sync-engine/src/mail/mail-error.js';
import type { FetchOptions } from '../../sync-engine/src/mail/mail-source.js';
import { checkEwsDocument } from '../support/ews/ews-schema.js';
import { startEwsTestServer, type StartedEwsServer } from '../support/ews/ews-server.js';
import { rawMessage } from './raw-messages.js';

// The push connection of a watched Exchange mailbox (EwsSource.watch, held by the engine's MailboxWatcher outside the
// work slots): a streaming subscription on the folders the mailbox syncs, told as changes come, reopened when the
// connection drops, handed back through onClosed when Exchange forgets the subscription, pulled where streaming is not
// offered. Against the EWS test server, a local HTTP server keeping a mailbox's state and answering SOAP shaped as
// Microsoft's EWS schema defines it: not Exchange itself.

const OPTIONS: FetchOptions = { batchSize: 50, maxBatchBytes: 8 * 1024 * 1024, notBefore: null, resyncFrom: null };

let ews: StartedEwsServer;
let services: EwsServices;
let users = 0;

function freshMailbox(): { address: string; account: EwsAccount } {
  const address = `watched${++users}@corp.test`;
  ews.addUser(address, { password: `pw-${users}` });
  return {
    address,
    account: { address, connection: { url: ews.url, impersonateAddress: null, allowInvalidCertificates: false, maxConnections: 4 }, credentials: { method: 'PASSWORD', username: address, password: `pw-${users}` } },
  };
}

/** Reads the mailbox as a sync would and returns the cursor it commits. */
async function syncOnce(account: EwsAccount, cursor: string | null = null): Promise<string | null> {
  const source = new EwsSource({ services, account, folders: { sent: null, tracked: [] } });
  await source.open();
  for await (const batch of source.fetchNew(cursor, OPTIONS)) cursor = batch.cursor;
  await source.close();
  return cursor;
}

/** What a watch told its handlers, with waits for the next of each. */
class Told {
  changes = 0;
  readonly closed: string[] = [];
  private waiters: (() => void)[] = [];
  readonly handlers = {
    onNewMail: () => {
      this.changes++;
      this.notify();
    },
    onClosed: (reason: string) => {
      this.closed.push(reason);
      this.notify();
    },
  };

  /** Resolves when `test` holds: checked on each thing told, and every 20 ms for what only the server sees (its requests, its connections). */
  until(test: () => boolean, timeoutMs: number, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      let done = false;
      const finish = (error?: Error) => {
        done = true;
        clearTimeout(timer);
        clearInterval(poll);
        if (error) reject(error);
        else resolve();
      };
      const timer = setTimeout(() => finish(new Error(`timed out waiting for ${what}`)), timeoutMs);
      const poll = setInterval(() => !done && test() && finish(), 20);
      const check = () => {
        if (done) return;
        if (test()) return finish();
        this.waiters.push(check);
      };
      check();
    });
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}

async function watchMailbox(account: EwsAccount, cursor: string | null, options: { streaming?: boolean; watchActFolders?: boolean } = {}): Promise<{ watch: ExchangeMailboxWatch; missed: boolean; told: Told }> {
  const told = new Told();
  const source = new EwsSource({ services, account, folders: { sent: null, tracked: [] }, pullIntervalMs: 100, ...options });
  await source.open();
  return { ...(await source.watch(cursor, told.handlers)), told };
}

const operations = (address: string, from: number) => ews.requests().slice(from).filter((r) => r.mailbox === address).map((r) => r.operation);
const deliver = (address: string, subject: string) => ews.deliver(address, 'inbox', rawMessage({ subject, messageId: `${subject.replace(/\W/g, '')}-${users}@corp.test` }).raw);

beforeAll(async () => {
  ews = await startEwsTestServer();
  services = new EwsServices({ timeoutMs: 10_000, maxBackOffMs: 2_000 });
});

afterAll(async () => {
  await ews?.close();
});

describe('a watched Exchange mailbox against the EWS test server (schema-faithful, not Exchange)', () => {
  it('holds a streaming connection and tells of new mail as it lands, without polling GetEvents; closed, it unsubscribes', async () => {
    const { address, account } = freshMailbox();
    const from = ews.requests().length;
    const { watch, missed, told } = await watchMailbox(account, await syncOnce(account));
    expect(missed).toBe(false);
    expect(watch.streamed).toBe(true);
    const started = Date.now();
    deliver(address, 'Watched in');
    await told.until(() => told.changes > 0, 5_000, 'the new mail');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(operations(address, from)).toContain('GetStreamingEvents');
    expect(operations(address, from)).not.toContain('GetEvents');
    const before = ews.requests().length;
    watch.close();
    await told.until(() => operations(address, before).includes('Unsubscribe'), 5_000, 'Unsubscribe');
    expect(ews.openStreams(address)).toBe(0);
    expect(told.closed).toEqual([]); // closing is not the watch ending on its own
  });

  it('says mail arrived while nobody listened (Inbox past the cursor), and not when nothing did', async () => {
    const { address, account } = freshMailbox();
    deliver(address, 'Before the first sync');
    const cursor = await syncOnce(account);
    const quiet = await watchMailbox(account, cursor);
    expect(quiet.missed).toBe(false);
    quiet.watch.close();
    deliver(address, 'While nobody listened');
    const late = await watchMailbox(account, cursor);
    expect(late.missed).toBe(true);
    late.watch.close();
    // Never synced: the first sync reads it all anyway.
    const never = await watchMailbox(account, null);
    expect(never.missed).toBe(false);
    never.watch.close();
  });

  it('a dropped streaming connection is opened again on the same subscription, and the next mail is still told', async () => {
    const { address, account } = freshMailbox();
    const { watch, told } = await watchMailbox(account, await syncOnce(account));
    await told.until(() => ews.openStreams(address) === 1, 5_000, 'the streaming connection');
    const from = ews.requests().length;
    expect(ews.dropStreams(address)).toBe(1);
    await told.until(() => operations(address, from).includes('GetStreamingEvents') && ews.openStreams(address) === 1, 10_000, 'a new streaming connection');
    expect(operations(address, from)).not.toContain('Subscribe'); // the subscription outlived its connection
    const changes = told.changes;
    deliver(address, 'After the drop');
    await told.until(() => told.changes > changes, 5_000, 'the mail after the drop');
    expect(told.closed).toEqual([]);
    watch.close();
  });

  it('when Exchange forgets the subscription (restarted), the watch tells of a change and ends, for the watcher to open anew', async () => {
    const { address, account } = freshMailbox();
    const { told } = await watchMailbox(account, await syncOnce(account));
    await told.until(() => ews.openStreams(address) === 1, 5_000, 'the streaming connection');
    ews.forgetSubscriptions(address);
    await told.until(() => told.closed.length > 0, 15_000, 'the watch to end');
    expect(told.closed[0]).toMatch(/subscription lost/);
    expect(told.changes).toBeGreaterThan(0);
    expect(ews.openStreams(address)).toBe(0);
  });

  it('pulls (Subscribe + GetEvents) where the server offers no streaming; a refused sign-in fails the opening as AUTH_FAILED', async () => {
    ews.streaming.offered = false;
    try {
      const { address, account } = freshMailbox();
      const from = ews.requests().length;
      const { watch, told } = await watchMailbox(account, await syncOnce(account));
      expect(watch.streamed).toBe(false);
      deliver(address, 'Pulled in');
      await told.until(() => told.changes > 0, 5_000, 'the pulled mail');
      expect(operations(address, from)).toContain('GetEvents');
      expect(operations(address, from)).not.toContain('GetStreamingEvents');
      watch.close();
    } finally {
      ews.streaming.offered = true;
    }
    const { account } = freshMailbox();
    await expect(watchMailbox({ ...account, credentials: { method: 'PASSWORD', username: account.address, password: 'wrong' } }, null)).rejects.toSatisfy((error: unknown) => error instanceof MailError && error.code === 'AUTH_FAILED');
  });

  it('a mailbox syncing appointments, contacts and tasks is told of a meeting moved in Outlook', async () => {
    const { address, account } = freshMailbox();
    const itemId = ews.addCalendarItem(address, { uid: `watch-${users}`, subject: 'Review', start: new Date('2027-03-02T09:00:00Z'), end: new Date('2027-03-02T10:00:00Z'), organizer: { name: 'W', address }, required: [] });
    const { watch, told } = await watchMailbox(account, await syncOnce(account), { watchActFolders: true });
    await told.until(() => ews.openStreams(address) === 1, 5_000, 'the streaming connection');
    ews.updateCalendarItem(address, itemId, { start: new Date('2027-03-03T09:00:00Z'), end: new Date('2027-03-03T10:00:00Z') });
    await told.until(() => told.changes > 0, 5_000, 'the moved meeting');
    watch.close();
  });

  // Last: it reads what every test above made the server write.
  it('every document the EWS test server wrote follows Messages.xsd and Types.xsd', () => {
    expect(ews.documents.flatMap((xml) => checkEwsDocument(xml))).toEqual([]);
  });
});
