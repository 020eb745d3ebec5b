import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EwsServices, type EwsAccount } from '../../sync-engine/src/mail/ews/ews-service.js';
import { EwsSource } from '../../sync-engine/src/mail/ews/ews-source.js';
import { MailError } from '../../sync-engine/src/mail/mail-error.js';
import type { FetchOptions } from '../../sync-engine/src/mail/mail-source.js';
import { checkEwsDocument } from '../support/ews/ews-schema.js';
import { startEwsTestServer, type StartedEwsServer } from '../support/ews/ews-server.js';
import { rawMessage } from './raw-messages.js';

// How the engine's Exchange adapter waits for changes: streaming notifications (GetStreamingEvents held open), with
// pull notifications (GetEvents) where streaming is not offered. Against the EWS test server, a local HTTP server
// keeping a mailbox's state and answering SOAP shaped as Microsoft's EWS schema defines it: not Exchange itself.

const OPTIONS: FetchOptions = { batchSize: 50, maxBatchBytes: 8 * 1024 * 1024, notBefore: null, resyncFrom: null };

let ews: StartedEwsServer;
let services: EwsServices;
let users = 0;

function freshMailbox(): { address: string; account: EwsAccount } {
  const address = `watcher${++users}@corp.test`;
  ews.addUser(address, { password: `pw-${users}` });
  return {
    address,
    account: { address, connection: { url: ews.url, impersonateAddress: null, allowInvalidCertificates: false, maxConnections: 4 }, credentials: { method: 'PASSWORD', username: address, password: `pw-${users}` } },
  };
}

/** An open source that has read everything there is, as MailboxSync leaves it before it waits. */
async function openRead(account: EwsAccount, options: { streaming?: boolean } = {}): Promise<EwsSource> {
  const source = new EwsSource({ services, account, folders: { sent: null, tracked: [] }, pullIntervalMs: 100, ...options });
  await source.open();
  for await (const _batch of source.fetchNew(null, OPTIONS)) void _batch;
  return source;
}

const signingInWithNtlm = (account: EwsAccount, username: string): EwsAccount => ({ ...account, credentials: { method: 'NTLM', username, password: (account.credentials as { password: string }).password } });
const operations = (address: string, from: number) => ews.requests().slice(from).filter((r) => r.mailbox === address).map((r) => r.operation);
const deliverSoon = (address: string, subject: string, afterMs: number) =>
  setTimeout(() => ews.deliver(address, 'inbox', rawMessage({ subject, messageId: `${subject.replace(/\W/g, '')}-${users}@corp.test` }).raw), afterMs);

/**
 * Waits once (the watch subscribes and connects), then has a message delivered: the stream must end the next wait
 * within 2 s, without polling GetEvents. The operations run for the mailbox meanwhile, and where they start.
 */
async function expectStreamedAtOnce(source: EwsSource, address: string, subject: string): Promise<{ used: string[]; from: number }> {
  const from = ews.requests().length;
  expect(await source.waitForChange(300)).toBe('timeout');
  deliverSoon(address, subject, 200);
  const started = Date.now();
  expect(await source.waitForChange(20_000)).toBe('changed');
  // Pull notifications would have waited for their next GetEvents; the stream answers as the item lands.
  expect(Date.now() - started).toBeLessThan(2_000);
  const used = operations(address, from);
  expect(used).toContain('GetStreamingEvents');
  expect(used).not.toContain('GetEvents');
  return { used, from };
}

/** Runs with streaming connections that Exchange closes after 150 ms (heartbeats every 40 ms), so they are opened again and again. */
async function withShortConnections(run: () => Promise<void>): Promise<void> {
  ews.streaming.lifetimeMs = 150;
  ews.streaming.heartbeatMs = 40;
  try {
    await run();
  } finally {
    ews.streaming.lifetimeMs = null;
    ews.streaming.heartbeatMs = 30_000;
  }
}

beforeAll(async () => {
  ews = await startEwsTestServer();
  services = new EwsServices({ timeoutMs: 10_000, maxBackOffMs: 2_000 });
});

afterAll(async () => {
  await ews?.close();
});

describe('EWS change notifications against the schema-faithful EWS test server (not Exchange)', () => {
  it('a streaming connection brings a new message in at once, without polling GetEvents', async () => {
    const { address, account } = freshMailbox();
    const source = await openRead(account);
    const { used, from } = await expectStreamedAtOnce(source, address, 'Streamed in');
    expect(used.filter((op) => op === 'Subscribe')).toHaveLength(1); // one subscription for both waits
    await source.close();
    expect(operations(address, from).at(-1)).toBe('Unsubscribe');
  });

  it('a change that lands while the engine is not waiting is remembered for the next wait', async () => {
    const { address, account } = freshMailbox();
    const source = await openRead(account);
    expect(await source.waitForChange(200)).toBe('timeout'); // subscribes
    ews.deliver(address, 'inbox', rawMessage({ subject: 'While nobody listened', messageId: `between-${users}@corp.test` }).raw);
    expect(await source.waitForChange(5_000)).toBe('changed');
    await source.close();
  });

  it('opens a new connection when Exchange closes one (ConnectionStatus Closed), and still hears the next change', async () => {
    const { address, account } = freshMailbox();
    await withShortConnections(async () => {
      const source = await openRead(account);
      const from = ews.requests().length;
      deliverSoon(address, 'After two closes', 600);
      expect(await source.waitForChange(10_000)).toBe('changed');
      expect(operations(address, from).filter((op) => op === 'GetStreamingEvents').length).toBeGreaterThanOrEqual(3);
      await source.close();
    });
  });

  it('after Exchange restarts (the connection drops, the subscription is gone) the wait ends as a change and the watch subscribes again', async () => {
    const { address, account } = freshMailbox();
    const source = await openRead(account);
    expect(await source.waitForChange(200)).toBe('timeout');
    const from = ews.requests().length;
    ews.forgetSubscriptions(address);
    expect(await source.waitForChange(5_000)).toBe('changed');
    // The next connection learns the subscription is gone; the wait after that subscribes anew.
    for (let i = 0; i < 5 && !operations(address, from).includes('Subscribe'); i++) await source.waitForChange(2_000);
    expect(operations(address, from).filter((op) => op === 'Subscribe')).toHaveLength(1);
    for (let i = 0; i < 5 && (await source.waitForChange(300)) === 'changed'; i++);
    deliverSoon(address, 'After the restart', 100);
    const started = Date.now();
    expect(await source.waitForChange(5_000)).toBe('changed');
    expect(Date.now() - started).toBeLessThan(2_000);
    await source.close();
  });

  it('a connection dropped mid-response counts as a change (the folders are read again) and is opened again; a refused sign-in is AUTH_FAILED', async () => {
    const { address, account } = freshMailbox();
    const source = await openRead(account);
    ews.failNext('GetStreamingEvents', 'DropConnection');
    expect(await source.waitForChange(5_000)).toBe('changed');
    deliverSoon(address, 'After the drop', 100);
    expect(await source.waitForChange(5_000)).toBe('changed');
    await source.close();

    const refused = await openRead(freshMailbox().account);
    ews.failNext('GetStreamingEvents', 'Unauthorized');
    await expect(refused.waitForChange(5_000)).rejects.toSatisfy((error: unknown) => error instanceof MailError && error.code === 'AUTH_FAILED');
    await refused.close();
  });

  it('uses pull notifications where the server offers no streaming, and where streaming is turned off', async () => {
    for (const [why, offered, options] of [['not offered', false, {}], ['turned off', true, { streaming: false }]] as const) {
      ews.streaming.offered = offered;
      try {
        const { address, account } = freshMailbox();
        const source = await openRead(account, options);
        const from = ews.requests().length;
        deliverSoon(address, `Pulled: ${why}`, 300);
        expect(await source.waitForChange(5_000)).toBe('changed');
        expect(operations(address, from)).toContain('GetEvents');
        expect(operations(address, from)).not.toContain('GetStreamingEvents');
        await source.close();
      } finally {
        ews.streaming.offered = true;
      }
    }
  });

  it('an NTLM account streams too: its connection signs in with NTLMv2 on its own kept-alive socket (as DOMAIN\\user or by address) and brings a new message in at once', async () => {
    for (const form of ['DOMAIN\\user', 'address'] as const) {
      const { address, account } = freshMailbox();
      const source = await openRead(signingInWithNtlm(account, form === 'address' ? address : `CORP\\${address.split('@')[0]}`));
      // The test server logs a request under the mailbox only once its connection is signed in; a refused NTLM sign-in is logged as such.
      const { from } = await expectStreamedAtOnce(source, address, `Streamed over NTLM as ${form}`);
      expect(ews.requests().slice(from).filter((r) => r.operation === 'NTLM')).toEqual([]);
      await source.close();
    }
  });

  it('a refused NTLM sign-in on the streaming connection (the password was reset meanwhile) is AUTH_FAILED, not a quiet fall back to pull', async () => {
    const { address, account } = freshMailbox();
    await withShortConnections(async () => {
      const source = await openRead(signingInWithNtlm(account, `CORP\\${address.split('@')[0]}`));
      expect(await source.waitForChange(300)).toBe('timeout'); // subscribed; each connection closes after 150 ms and signs in anew
      const from = ews.requests().length;
      ews.setPassword(address, 'reset-meanwhile');
      await expect(source.waitForChange(5_000)).rejects.toSatisfy((error: unknown) => error instanceof MailError && error.code === 'AUTH_FAILED');
      expect(ews.requests().slice(from).some((r) => r.operation === 'NTLM')).toBe(true);
      expect(operations(address, from)).not.toContain('GetEvents');
      await source.close();
    });
  });

  // Last: it reads what every test above made the server write.
  it('every notification document the EWS test server wrote follows the structure Messages.xsd and Types.xsd give it', () => {
    const streamed = ews.documents.filter((xml) => xml.includes('GetStreamingEventsResponse'));
    expect(streamed.some((xml) => xml.includes('<m:Notifications>'))).toBe(true);
    expect(streamed.some((xml) => xml.includes('<m:ConnectionStatus>OK'))).toBe(true);
    expect(streamed.some((xml) => xml.includes('<m:ConnectionStatus>Closed'))).toBe(true);
    expect(ews.documents.flatMap((xml) => checkEwsDocument(xml))).toEqual([]);
    // The check knows this response: a notification outside Notifications is caught.
    const wrong = streamed.find((xml) => xml.includes('<m:Notifications>'))!.replace('<m:Notifications>', '').replace('</m:Notifications>', '');
    expect(checkEwsDocument(wrong)).toContainEqual(expect.stringContaining('m:Notification is not a child'));
  });
});
