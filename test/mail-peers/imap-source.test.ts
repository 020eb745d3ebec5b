import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { checkImap } from '../../sync-engine/src/mail/imap/imap-check.js';
import { ImapSource, type ImapFolderConfig } from '../../sync-engine/src/mail/imap/imap-source.js';
import { MailError } from '../../sync-engine/src/mail/mail-error.js';
import type { Endpoint, FetchedBatch, FetchOptions, MailSource } from '../../sync-engine/src/mail/mail-source.js';
import { startDovecot, type StartedDovecot } from '../support/dovecot.js';
import { startImapWireTap } from '../support/imap-wire-tap.js';
import { latin1Message, rawMessage } from './raw-messages.js';

// The IMAP adapter against a real Dovecot: what fetchNew, inventory, fetchRefs, remove, IDLE and the Sent
// folder do with real UIDs, UIDVALIDITY and CONDSTORE.

const PASSWORD = 'imap-secret';
const users = Array.from({ length: 48 }, (_, index) => `user${index}@example.test`);
let nextUser = 0;
const freshUser = () => {
  if (nextUser >= users.length) throw new Error('add users: every test gets its own mailbox');
  return users[nextUser++];
};

let dovecot: StartedDovecot;
let endpoint: Endpoint;
const open: MailSource[] = [];

beforeAll(async () => {
  dovecot = await startDovecot({ users: users.map((address) => ({ address, password: PASSWORD })) });
  endpoint = { host: dovecot.host, port: dovecot.imapPort, tls: 'NONE', allowInvalidCertificates: false };
});

afterAll(async () => {
  await dovecot?.stop();
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((source) => source.close()));
});

const options = (overrides: Partial<FetchOptions> = {}): FetchOptions => ({ batchSize: 100, maxBatchBytes: 10_000_000, notBefore: null, resyncFrom: null, ...overrides });

async function source(address: string, folders: Partial<ImapFolderConfig> = {}, password = PASSWORD, at: Endpoint = endpoint): Promise<ImapSource> {
  const imap = new ImapSource({ endpoint: at, credentials: { method: 'PASSWORD', username: address, password }, folders: { inbox: true, sent: null, tracked: [], ...folders } });
  open.push(imap);
  await imap.open();
  return imap;
}

async function collect(iterable: AsyncIterable<FetchedBatch>): Promise<FetchedBatch[]> {
  const batches: FetchedBatch[] = [];
  for await (const batch of iterable) batches.push(batch);
  return batches;
}

const subjects = (batches: FetchedBatch[]) => batches.flatMap((batch) => batch.messages.map((message) => /^Subject: (.*)$/m.exec(message.source.toString('latin1'))?.[1]));
const lastCursor = (batches: FetchedBatch[]) => batches[batches.length - 1].cursor;

async function deliverAll(address: string, names: string[], folder = 'INBOX') {
  for (const subject of names) await dovecot.deliver(address, rawMessage({ subject }).raw, { folder });
}

async function failure(promise: Promise<unknown>): Promise<MailError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(MailError);
    return error as MailError;
  }
  throw new Error('expected a MailError');
}

describe('fetchNew', () => {
  it('reads INBOX on the first sync, oldest first, with references, dates and exact bytes', async () => {
    const address = freshUser();
    const first = rawMessage({ subject: 'one' });
    await dovecot.deliver(address, first.raw, { receivedAt: new Date('2026-03-01T10:00:00Z') });
    await deliverAll(address, ['two', 'three']);
    const imap = await source(address);
    const batches = await collect(imap.fetchNew(null, options()));
    expect(subjects(batches)).toEqual(['one', 'two', 'three']);
    const [message] = batches[0].messages;
    const uidValidity = await dovecot.uidValidity(address);
    expect(message).toMatchObject({ sourceRef: `imap:INBOX:${uidValidity}:1`, folder: 'INBOX', role: 'INBOX', size: first.raw.length });
    expect(message.receivedAt?.toISOString()).toBe('2026-03-01T10:00:00.000Z');
    expect(message.source.equals(first.raw)).toBe(true);
    const cursor = JSON.parse(lastCursor(batches));
    expect(cursor.folders.INBOX).toMatchObject({ uidValidity, lastUid: 3 });
    // Dovecot offers CONDSTORE: the completed folder records HIGHESTMODSEQ.
    expect(cursor.folders.INBOX.highestModseq).toMatch(/^\d+$/);
  });

  it('returns only what arrived after the cursor, and nothing at all when nothing arrived', async () => {
    const address = freshUser();
    await deliverAll(address, ['old 1', 'old 2']);
    const imap = await source(address);
    const cursor = lastCursor(await collect(imap.fetchNew(null, options())));
    expect(await collect(imap.fetchNew(cursor, options()))).toEqual([]);
    await deliverAll(address, ['new 1']);
    const batches = await collect(imap.fetchNew(cursor, options()));
    expect(subjects(batches)).toEqual(['new 1']);
    expect(await collect(imap.fetchNew(lastCursor(batches), options()))).toEqual([]);
  });

  it('bounds batches by count and by bytes, each cursor covering exactly its messages', async () => {
    const address = freshUser();
    await deliverAll(address, ['m1', 'm2', 'm3', 'm4', 'm5', 'm6', 'm7']);
    const imap = await source(address);
    const byCount = await collect(imap.fetchNew(null, options({ batchSize: 3 })));
    // The last, empty batch carries the position of the (empty) Sent folder.
    expect(byCount.map((batch) => batch.messages.length)).toEqual([3, 3, 1, 0]);
    expect(Object.keys(JSON.parse(byCount[2].cursor).folders)).toEqual(['INBOX']);
    expect(Object.keys(JSON.parse(byCount[3].cursor).folders)).toEqual(['INBOX', 'Sent']);
    // Resuming from the first batch's cursor continues right after it (a crash after committing batch 1).
    expect(subjects(await collect(imap.fetchNew(byCount[0].cursor, options())))).toEqual(['m4', 'm5', 'm6', 'm7']);
    const size = byCount[0].messages[0].size;
    const byBytes = await collect(imap.fetchNew(null, options({ maxBatchBytes: size * 2 + 1 })));
    expect(byBytes.map((batch) => batch.messages.length)).toEqual([2, 2, 2, 1, 0]);
    const tooSmall = await collect(imap.fetchNew(null, options({ maxBatchBytes: 1 })));
    expect(tooSmall.map((batch) => batch.messages.length)).toEqual([1, 1, 1, 1, 1, 1, 1, 0]);
  });

  it('reads the \\Sent folder as SENT and tracked folders as TRACKED', async () => {
    const address = freshUser();
    await deliverAll(address, ['in']);
    await deliverAll(address, ['sent by the user elsewhere'], 'Sent');
    await deliverAll(address, ['filed under ACME'], 'Projects/ACME');
    const imap = await source(address, { tracked: ['Projects/ACME'] });
    expect(imap.folders).toEqual([
      { path: 'INBOX', role: 'INBOX' },
      { path: 'Sent', role: 'SENT' },
      { path: 'Projects/ACME', role: 'TRACKED' },
    ]);
    const messages = (await collect(imap.fetchNew(null, options()))).flatMap((batch) => batch.messages);
    expect(messages.map((message) => [message.folder, message.role])).toEqual([
      ['INBOX', 'INBOX'],
      ['Sent', 'SENT'],
      ['Projects/ACME', 'TRACKED'],
    ]);
  });

  it('reads a UIDVALIDITY-changed folder again from its first message (RFC 3501 2.3.1.1)', async () => {
    const address = freshUser();
    await deliverAll(address, ['a', 'b']);
    const imap = await source(address);
    const cursor = lastCursor(await collect(imap.fetchNew(null, options())));
    const uidValidity = await dovecot.changeUidValidity(address);
    const again = await collect(imap.fetchNew(cursor, options()));
    expect(subjects(again)).toEqual(['a', 'b']);
    expect(again[0].messages[0].sourceRef).toBe(`imap:INBOX:${uidValidity}:1`);
    expect(JSON.parse(lastCursor(again)).folders.INBOX.uidValidity).toBe(uidValidity);
    expect(await collect(imap.fetchNew(lastCursor(again), options()))).toEqual([]);
  });

  it('skips mail received before "process email from" and moves the cursor past it', async () => {
    const address = freshUser();
    await dovecot.deliver(address, rawMessage({ subject: 'last year' }).raw, { receivedAt: new Date('2025-01-10T08:00:00Z') });
    await dovecot.deliver(address, rawMessage({ subject: 'this morning' }).raw, { receivedAt: new Date('2026-05-01T08:00:00Z') });
    // Same day, earlier hour: SEARCH SINCE only sees dates, the adapter filters the exact time.
    await dovecot.deliver(address, rawMessage({ subject: 'an hour too early' }).raw, { receivedAt: new Date('2026-05-01T06:00:00Z') });
    const imap = await source(address);
    const batches = await collect(imap.fetchNew(null, options({ notBefore: new Date('2026-05-01T07:00:00Z') })));
    expect(subjects(batches)).toEqual(['this morning']);
    expect(JSON.parse(lastCursor(batches)).folders.INBOX.lastUid).toBe(3);
  });

  it('an empty batch carries a cursor that only moved', async () => {
    const address = freshUser();
    await dovecot.deliver(address, rawMessage({ subject: 'too old' }).raw, { receivedAt: new Date('2020-01-01T00:00:00Z') });
    const imap = await source(address);
    const batches = await collect(imap.fetchNew(null, options({ notBefore: new Date('2026-01-01T00:00:00Z') })));
    expect(batches).toHaveLength(1);
    expect(batches[0].messages).toEqual([]);
    expect(JSON.parse(batches[0].cursor).folders.INBOX.lastUid).toBe(1);
  });

  it('re-reads a window on resyncFrom whatever the cursor says, then continues normally', async () => {
    const address = freshUser();
    await dovecot.deliver(address, rawMessage({ subject: 'before window' }).raw, { receivedAt: new Date('2026-01-05T00:00:00Z') });
    await dovecot.deliver(address, rawMessage({ subject: 'in window' }).raw, { receivedAt: new Date('2026-02-05T00:00:00Z') });
    const imap = await source(address);
    const cursor = lastCursor(await collect(imap.fetchNew(null, options())));
    await dovecot.deliver(address, rawMessage({ subject: 'new, old date' }).raw, { receivedAt: new Date('2025-12-01T00:00:00Z') });
    const resync = await collect(imap.fetchNew(cursor, options({ resyncFrom: new Date('2026-02-01T00:00:00Z') })));
    expect(subjects(resync)).toEqual(['in window', 'new, old date']);
    expect(await collect(imap.fetchNew(lastCursor(resync), options()))).toEqual([]);
  });

  it('keeps 8-bit ISO-8859-1 bytes exactly as delivered', async () => {
    const address = freshUser();
    const latin1 = latin1Message();
    await dovecot.deliver(address, latin1.raw);
    const imap = await source(address);
    const [message] = (await collect(imap.fetchNew(null, options())))[0].messages;
    expect(message.source.equals(latin1.raw)).toBe(true);
    expect(message.source.includes(Buffer.from([0xe9]))).toBe(true);
  });

  it('syncs the folders that exist and then fails FOLDER_MISSING naming the one that does not', async () => {
    const address = freshUser();
    await deliverAll(address, ['still synced']);
    const imap = await source(address, { tracked: ['Projects/Gone'] });
    const batches: FetchedBatch[] = [];
    const error = await failure(
      (async () => {
        for await (const batch of imap.fetchNew(null, options())) batches.push(batch);
      })(),
    );
    expect(subjects(batches)).toEqual(['still synced']);
    expect(error.code).toBe('FOLDER_MISSING');
    expect(error.message).toContain("'Projects/Gone'");
  });

  it('rejects a cursor it cannot read with CURSOR_INVALID', async () => {
    const imap = await source(freshUser());
    const error = await failure(collect(imap.fetchNew('{"v":1,"recent":[]}', options())));
    expect(error.code).toBe('CURSOR_INVALID');
  });
});

describe('connection failures', () => {
  it('a wrong password is AUTH_FAILED', async () => {
    const error = await failure(source(freshUser(), {}, 'wrong'));
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toMatch(/rejected the user name or password for user\d+@example\.test/);
  });

  it('a port nobody listens on is REFUSED', async () => {
    const port = await closedPort();
    const error = await failure(source(freshUser(), {}, PASSWORD, { ...endpoint, port }));
    expect(error.code).toBe('REFUSED');
    expect(error.message).toBe(`Connection refused on 127.0.0.1:${port}: check the incoming port and that the server is running`);
  });

  it('a host that does not resolve is DNS', async () => {
    const error = await failure(source(freshUser(), {}, PASSWORD, { ...endpoint, host: 'imap.example.invalid' }));
    expect(error.code).toBe('DNS');
    expect(error.message).toBe('Cannot resolve imap.example.invalid: check the incoming server name');
  });

  it('a server that never greets is TIMEOUT', async () => {
    const mute = net.createServer(() => {});
    await new Promise<void>((resolve) => mute.listen(0, '127.0.0.1', resolve));
    try {
      const port = (mute.address() as net.AddressInfo).port;
      const imap = new ImapSource({
        endpoint: { ...endpoint, port },
        credentials: { method: 'PASSWORD', username: 'x', password: 'y' },
        folders: { inbox: true, sent: null, tracked: [] },
        timeouts: { connectMs: 300, socketMs: 1000 },
      });
      const error = await failure(imap.open());
      expect(error.code).toBe('TIMEOUT');
    } finally {
      mute.close();
    }
  });

  it('implicit TLS against a plaintext port is TLS', async () => {
    const error = await failure(source(freshUser(), {}, PASSWORD, { ...endpoint, tls: 'IMPLICIT' }));
    expect(error.code).toBe('TLS');
  });

  it('STARTTLS required on a server that offers none is TLS', async () => {
    const error = await failure(source(freshUser(), {}, PASSWORD, { ...endpoint, tls: 'STARTTLS' }));
    expect(error.code).toBe('TLS');
  });
});

describe('waitForChange (IDLE)', () => {
  it('hears a delivery while idling, through the server\'s EXISTS during IDLE', async () => {
    const address = freshUser();
    const tap = await startImapWireTap(endpoint.host, endpoint.port);
    try {
      const imap = await source(address, {}, PASSWORD, { ...endpoint, port: tap.port });
      await collect(imap.fetchNew(null, options()));
      const started = Date.now();
      // imapflow's own fallbacks (IDLE restart every 4 min, NOOP polling every 2 min) are far beyond this wait.
      const waiting = imap.waitForChange(15_000);
      waiting.catch(() => undefined); // awaited below; a failure on the wire must not also surface as unhandled
      // Deliver only once the server acknowledged IDLE (RFC 2177: "+" continuation): no re-check can find it first.
      const idleAt = await tap.waitForLine((l) => l.from === 'client' && / IDLE$/i.test(l.text), { what: 'IDLE command' });
      const ackAt = await tap.waitForLine((l) => l.from === 'server' && l.text.startsWith('+'), { from: idleAt, what: 'IDLE acknowledgement' });
      await dovecot.deliver(address, rawMessage({ subject: 'pushed' }).raw);
      expect(await waiting).toBe('changed');
      expect(Date.now() - started).toBeLessThan(5_000);
      // The wake-up is the untagged EXISTS the server pushed while idling, before the client ended IDLE with DONE.
      const existsAt = await tap.waitForLine((l) => l.from === 'server' && /^\* \d+ EXISTS$/i.test(l.text), { from: ackAt, what: 'EXISTS' });
      const doneAt = await tap.waitForLine((l) => l.from === 'client' && l.text === 'DONE', { from: ackAt, what: 'DONE' });
      expect(existsAt).toBeLessThan(doneAt);
      expect(tap.lines.slice(ackAt + 1, doneAt).filter((l) => l.from === 'client')).toEqual([]);
      expect(subjects(await collect(imap.fetchNew(null, options())))).toEqual(['pushed']);
    } finally {
      await Promise.all(open.splice(0).map((s) => s.close()));
      await tap.close();
    }
  });

  it('notices mail that arrived between fetchNew and waitForChange', async () => {
    const address = freshUser();
    await deliverAll(address, ['first']);
    const imap = await source(address);
    await collect(imap.fetchNew(null, options()));
    await deliverAll(address, ['in between']);
    expect(await imap.waitForChange(15_000)).toBe('changed');
  });

  it('times out when nothing arrives, and early on abort', async () => {
    const imap = await source(freshUser());
    const cursor = lastCursor(await collect(imap.fetchNew(null, options())));
    expect(await imap.waitForChange(200)).toBe('timeout');
    const controller = new AbortController();
    const waiting = imap.waitForChange(60_000, controller.signal);
    controller.abort();
    expect(await waiting).toBe('timeout');
    // The connection is still usable afterwards.
    expect(await collect(imap.fetchNew(cursor, options()))).toEqual([]);
  });
});

describe('inventory, fetchRefs and remove', () => {
  it('lists messages since a date with their Message-IDs, fetches them by reference and removes them', async () => {
    const address = freshUser();
    const old = rawMessage({ subject: 'old' });
    const recent = rawMessage({ subject: 'recent' });
    const filed = rawMessage({ subject: 'filed' });
    await dovecot.deliver(address, old.raw, { receivedAt: new Date('2025-06-01T00:00:00Z') });
    await dovecot.deliver(address, recent.raw, { receivedAt: new Date('2026-06-01T00:00:00Z') });
    await dovecot.deliver(address, filed.raw, { folder: 'Projects/ACME', receivedAt: new Date('2026-06-02T00:00:00Z') });
    const imap = await source(address, { tracked: ['Projects/ACME'] });
    const items = [];
    for await (const chunk of imap.inventory(new Date('2026-01-01T00:00:00Z'))) items.push(...chunk);
    expect(items.map((item) => [item.folder, item.role, item.messageId])).toEqual([
      ['INBOX', 'INBOX', recent.messageId],
      ['Projects/ACME', 'TRACKED', filed.messageId],
    ]);
    const all = [];
    for await (const chunk of imap.inventory(null)) all.push(...chunk);
    expect(all).toHaveLength(3);

    const uidValidity = await dovecot.uidValidity(address);
    const stale = `imap:INBOX:${uidValidity + 1}:1`;
    const vanished = `imap:INBOX:${uidValidity}:999`;
    const fetched = [];
    for await (const message of imap.fetchRefs([items[1].sourceRef, items[0].sourceRef, stale, vanished, 'imap:Gone:1:1'])) fetched.push(message);
    expect(fetched.map((message) => [message.sourceRef, message.role])).toEqual([
      [items[1].sourceRef, 'TRACKED'],
      [items[0].sourceRef, 'INBOX'],
    ]);
    expect(fetched[1].source.equals(recent.raw)).toBe(true);

    await imap.remove([items[0].sourceRef]);
    expect(await dovecot.messageIds(address)).toEqual([old.messageId]);
    expect(await dovecot.messageIds(address, 'Projects/ACME')).toEqual([filed.messageId]);
  });
});

describe('remove between batches (forward mailbox copies)', () => {
  it('deletes what was handed over and keeps reading the folder', async () => {
    const address = freshUser();
    await deliverAll(address, ['copy 1', 'copy 2', 'copy 3', 'copy 4', 'copy 5']);
    const imap = await source(address);
    const seen: string[] = [];
    for await (const batch of imap.fetchNew(null, options({ batchSize: 2 }))) {
      seen.push(...subjects([batch]).map(String));
      await imap.remove(batch.messages.map((message) => message.sourceRef));
    }
    expect(seen).toEqual(['copy 1', 'copy 2', 'copy 3', 'copy 4', 'copy 5']);
    expect(await dovecot.messageIds(address)).toEqual([]);
  });
});

describe('Sent folder', () => {
  it('appends a copy marked \\Seen and finds it by Message-ID', async () => {
    const address = freshUser();
    const imap = await source(address);
    const sent = rawMessage({ from: `Alice <${address}>`, to: 'carol@customer.example.test', subject: 'Our offer' });
    expect(await imap.hasSent(sent.messageId)).toBe(false);
    await imap.appendSent(sent.raw);
    expect(await imap.hasSent(sent.messageId)).toBe(true);
    expect(await imap.hasSent(`<${sent.messageId}>`)).toBe(true);
    // A Message-ID that merely contains this one does not count.
    expect(await imap.hasSent(sent.messageId.slice(1))).toBe(false);
    const flags = await dovecot.doveadm(['-f', 'tab', 'fetch', '-u', address, 'flags', 'mailbox', 'Sent', 'all']);
    expect(flags).toContain('\\Seen');
    // The copy is also what the next sync of Sent reads as outgoing mail.
    const messages = (await collect(imap.fetchNew(null, options()))).flatMap((batch) => batch.messages);
    expect(messages.map((message) => [message.role, message.source.equals(sent.raw)])).toEqual([['SENT', true]]);
  });

  it('uses the folder the profile names', async () => {
    const address = freshUser();
    await dovecot.createFolder(address, 'Gesendet');
    const imap = await source(address, { sent: 'Gesendet' });
    expect(imap.sentFolder).toBe('Gesendet');
    const sent = rawMessage({ subject: 'Angebot' });
    await imap.appendSent(sent.raw);
    expect(await dovecot.messageIds(address, 'Gesendet')).toEqual([sent.messageId]);
  });
});

describe('checkImap', () => {
  const credentials = (username: string, password = PASSWORD) => ({ method: 'PASSWORD' as const, username, password });

  it('succeeds naming the folders it opened', async () => {
    const address = freshUser();
    await dovecot.createFolder(address, 'Projects/ACME');
    const check = await checkImap(endpoint, credentials(address), { sent: null, tracked: ['Projects/ACME'] });
    expect(check).toEqual({ ok: true, detail: `Signed in to 127.0.0.1 as ${address} and opened INBOX, Sent, Projects/ACME.`, folders: expect.any(Array) });
    // And every folder the server lists that can hold mail, for the hub's folder picker ("Projects" only parents one).
    expect(check.ok && (check.folders ?? []).map((folder) => folder.path).sort()).toEqual(['INBOX', 'Projects/ACME', 'Sent']);
    expect(check.ok && check.folders?.every((folder) => folder.folderId === null)).toBe(true);
  });

  it('gives reasons a person can act on', async () => {
    const address = freshUser();
    expect(await checkImap(endpoint, credentials(address, 'nope'), { sent: null, tracked: [] })).toEqual({
      ok: false,
      code: 'AUTH_FAILED',
      reason: `The server rejected the user name or password for ${address}`,
    });
    expect(await checkImap(endpoint, credentials(address), { sent: null, tracked: ['Projects/ACME'] })).toEqual({
      ok: false,
      code: 'FOLDER_MISSING',
      reason: "Folder 'Projects/ACME' does not exist on 127.0.0.1: check the folder name",
    });
    const port = await closedPort();
    expect(await checkImap({ ...endpoint, port }, credentials(address), { sent: null, tracked: [] })).toMatchObject({ ok: false, code: 'REFUSED' });
  });
});

describe('a server without a \\Sent folder', () => {
  let bare: StartedDovecot;
  beforeAll(async () => {
    bare = await startDovecot({ users: [{ address: 'bob@example.test', password: PASSWORD }], sentFolder: false });
  });
  afterAll(async () => {
    await bare?.stop();
  });

  it('reads INBOX only, without an error, and says so', async () => {
    await bare.deliver('bob@example.test', rawMessage({ subject: 'hi bob' }).raw);
    const at: Endpoint = { ...endpoint, port: bare.imapPort };
    const imap = await source('bob@example.test', {}, PASSWORD, at);
    expect(imap.sentFolder).toBeNull();
    expect(imap.folders).toEqual([{ path: 'INBOX', role: 'INBOX' }]);
    expect(subjects(await collect(imap.fetchNew(null, options())))).toEqual(['hi bob']);
    expect((await failure(imap.appendSent(rawMessage().raw))).code).toBe('FOLDER_MISSING');
    const check = await checkImap(at, { method: 'PASSWORD', username: 'bob@example.test', password: PASSWORD }, { sent: null, tracked: [] });
    expect(check).toMatchObject({ ok: true });
    expect(check.ok && check.detail).toContain('No Sent folder was found');
  });
});

/** A loopback port with nothing listening. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
