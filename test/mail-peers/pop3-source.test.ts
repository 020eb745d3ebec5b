import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MailError } from '../../sync-engine/src/mail/mail-error.js';
import type { Endpoint, FetchedBatch, FetchOptions } from '../../sync-engine/src/mail/mail-source.js';
import { checkPop3 } from '../../sync-engine/src/mail/pop3/pop3-check.js';
import { Pop3Source } from '../../sync-engine/src/mail/pop3/pop3-source.js';
import { SpooledMessage } from '../../sync-engine/src/mail/spooled-message.js';
import { startDovecot, type StartedDovecot } from '../support/dovecot.js';
import { latin1Message, rawMessage } from './raw-messages.js';

// The POP3 adapter against a real Dovecot: UIDL cursor, mail left on the server, deletions between sessions,
// byte-exact retrieval (dot-stuffing, 8-bit, large messages).

const PASSWORD = 'pop-secret';
const users = Array.from({ length: 32 }, (_, index) => `pop${index}@example.test`);
let nextUser = 0;
const freshUser = () => {
  if (nextUser >= users.length) throw new Error('add users: every test gets its own mailbox');
  return users[nextUser++];
};

let dovecot: StartedDovecot;
let endpoint: Endpoint;
const open: Pop3Source[] = [];

beforeAll(async () => {
  dovecot = await startDovecot({ users: users.map((address) => ({ address, password: PASSWORD })) });
  endpoint = { host: dovecot.host, port: dovecot.popPort, tls: 'NONE', allowInvalidCertificates: false };
});

afterAll(async () => {
  await dovecot?.stop();
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((source) => source.close()));
});

const options = (overrides: Partial<FetchOptions> = {}): FetchOptions => ({ batchSize: 100, maxBatchBytes: 10_000_000, notBefore: null, resyncFrom: null, ...overrides });

async function source(address: string, password = PASSWORD, at: Endpoint = endpoint): Promise<Pop3Source> {
  const pop3 = new Pop3Source({ endpoint: at, credentials: { method: 'PASSWORD', username: address, password }, timeoutMs: 10_000 });
  open.push(pop3);
  await pop3.open();
  return pop3;
}

async function collect(iterable: AsyncIterable<FetchedBatch>): Promise<FetchedBatch[]> {
  const batches: FetchedBatch[] = [];
  for await (const batch of iterable) batches.push(batch);
  return batches;
}

const subjects = (batches: FetchedBatch[]) => batches.flatMap((batch) => batch.messages.map((message) => /^Subject: (.*)$/m.exec(message.source.toString('latin1'))?.[1]));
const lastCursor = (batches: FetchedBatch[]) => batches[batches.length - 1].cursor;

async function deliverAll(address: string, names: string[]): Promise<string[]> {
  const ids: string[] = [];
  for (const subject of names) {
    const message = rawMessage({ subject });
    await dovecot.deliver(address, message.raw);
    ids.push(message.messageId);
  }
  return ids;
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
  it('reads the maildrop on the first sync, in server order, and leaves the mail there', async () => {
    const address = freshUser();
    const first = rawMessage({ subject: 'one' });
    await dovecot.deliver(address, first.raw);
    const ids = [first.messageId, ...(await deliverAll(address, ['two', 'three']))];
    const pop3 = await source(address);
    const batches = await collect(pop3.fetchNew(null, options()));
    expect(subjects(batches)).toEqual(['one', 'two', 'three']);
    const [message] = batches[0].messages;
    expect(message).toMatchObject({ folder: 'INBOX', role: 'INBOX', receivedAt: null, size: first.raw.length });
    expect(message.sourceRef).toMatch(/^pop3:[0-9a-fA-F]{16}$/);
    expect(message.source.equals(first.raw)).toBe(true);
    expect(JSON.parse(lastCursor(batches)).recent).toHaveLength(3);
    expect(await dovecot.messageIds(address)).toEqual(ids);
  });

  it('returns only new mail after the cursor, and nothing when nothing arrived', async () => {
    const address = freshUser();
    await deliverAll(address, ['old']);
    const pop3 = await source(address);
    const cursor = lastCursor(await collect(pop3.fetchNew(null, options())));
    expect(await collect(pop3.fetchNew(cursor, options()))).toEqual([]);
    // Each fetchNew logs in again: a POP3 session only sees the maildrop as it was at login.
    await deliverAll(address, ['new 1', 'new 2']);
    const batches = await collect(pop3.fetchNew(cursor, options()));
    expect(subjects(batches)).toEqual(['new 1', 'new 2']);
    expect(await collect(pop3.fetchNew(lastCursor(batches), options()))).toEqual([]);
  });

  it('bounds batches by count and bytes, each cursor covering exactly its messages', async () => {
    const address = freshUser();
    await deliverAll(address, ['m1', 'm2', 'm3', 'm4', 'm5']);
    const pop3 = await source(address);
    const byCount = await collect(pop3.fetchNew(null, options({ batchSize: 2 })));
    expect(byCount.map((batch) => batch.messages.length)).toEqual([2, 2, 1]);
    expect(subjects(await collect(pop3.fetchNew(byCount[0].cursor, options())))).toEqual(['m3', 'm4', 'm5']);
    const byBytes = await collect(pop3.fetchNew(null, options({ maxBatchBytes: byCount[0].messages[0].size * 3 })));
    expect(byBytes.map((batch) => batch.messages.length)).toEqual([3, 2]);
  });

  it('copes with the server deleting processed messages between sessions', async () => {
    const address = freshUser();
    const ids = await deliverAll(address, ['a', 'b', 'c']);
    const pop3 = await source(address);
    const cursor = lastCursor(await collect(pop3.fetchNew(null, options())));
    // Another client deletes the newest processed message (and one more); new mail arrives.
    await dovecot.remove(address, ids[2]);
    await dovecot.remove(address, ids[1]);
    await deliverAll(address, ['d']);
    expect(subjects(await collect(pop3.fetchNew(cursor, options())))).toEqual(['d']);
  });

  it('reads the whole maildrop again when every message it knew was deleted', async () => {
    const address = freshUser();
    const ids = await deliverAll(address, ['gone 1', 'gone 2']);
    const pop3 = await source(address);
    const cursor = lastCursor(await collect(pop3.fetchNew(null, options())));
    await deliverAll(address, ['kept', 'new']);
    for (const id of ids) await dovecot.remove(address, id);
    // Nothing in the cursor survives, so nothing marks where new mail starts: every message is a candidate
    // and the hub drops the duplicates ("kept" here was new anyway).
    expect(subjects(await collect(pop3.fetchNew(cursor, options())))).toEqual(['kept', 'new']);
  });

  it('gives back dot-stuffed lines exactly', async () => {
    const address = freshUser();
    const tricky = rawMessage({ subject: 'dots', body: ['.', '..', '.hidden line', '...three', 'a.b', '. space', '', '.'] });
    await dovecot.deliver(address, tricky.raw);
    const pop3 = await source(address);
    const [message] = (await collect(pop3.fetchNew(null, options())))[0].messages;
    expect(message.source.toString('latin1')).toBe(tricky.raw.toString('latin1'));
  });

  it('keeps 8-bit ISO-8859-1 bytes and large messages exact', async () => {
    const address = freshUser();
    const latin1 = latin1Message();
    // About 3 MB of lines, many starting with dots, so stuffing and terminators straddle TCP chunks.
    const lines = Array.from({ length: 60_000 }, (_, index) => (index % 3 === 0 ? `.${'x'.repeat(index % 97)}` : `line ${index} ${'ü'.repeat(index % 13)}`));
    const large = rawMessage({ subject: 'large', body: lines, headers: ['Content-Type: text/plain; charset=utf-8', 'Content-Transfer-Encoding: 8bit'] });
    await dovecot.deliver(address, latin1.raw);
    await dovecot.deliver(address, large.raw);
    const pop3 = await source(address);
    const messages = (await collect(pop3.fetchNew(null, options()))).flatMap((batch) => batch.messages);
    expect(messages[0].source.equals(latin1.raw)).toBe(true);
    // Over the spool threshold: written to a temporary file as it arrived, and read back exactly.
    const spooled = messages[1].source;
    if (!(spooled instanceof SpooledMessage)) throw new Error('a 3 MB message should be spooled, not held in memory');
    expect(spooled.length).toBe(large.raw.length);
    const chunks: Buffer[] = [];
    for await (const chunk of spooled.open()) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).equals(large.raw)).toBe(true);
    await spooled.dispose();
  });

  it('returns garbage that starts with a NUL byte instead of hanging (node-pop3 drops such a first chunk)', async () => {
    const address = freshUser();
    const garbage = Buffer.concat([Buffer.from('\x00\x01\x02 not a message \xff\xfe', 'latin1'), Buffer.alloc(64, 0), Buffer.from('\r\n')]);
    await dovecot.deliver(address, garbage);
    await deliverAll(address, ['after the garbage']);
    const pop3 = await source(address);
    const messages = (await collect(pop3.fetchNew(null, options()))).flatMap((batch) => batch.messages);
    expect(messages).toHaveLength(2);
    expect(messages[0].source.subarray(3, 19).toString('latin1')).toBe(' not a message \xff');
    expect(subjects([{ messages: [messages[1]], cursor: '' }])).toEqual(['after the garbage']);
  });

  it('skips mail that arrived before "process email from" (Received header) and moves past it', async () => {
    const address = freshUser();
    const received = (date: string) => [`Received: from mx.customer.example.test by mail.example.test; ${date}`, 'Content-Type: text/plain'];
    await dovecot.deliver(address, rawMessage({ subject: 'old', headers: received('Mon, 05 Jan 2026 10:00:00 +0000') }).raw);
    await dovecot.deliver(address, rawMessage({ subject: 'recent', headers: received('Fri, 01 May 2026 10:00:00 +0000') }).raw);
    await dovecot.deliver(address, rawMessage({ subject: 'old again', date: new Date('2025-12-24T12:00:00Z'), headers: ['Content-Type: text/plain'] }).raw);
    const pop3 = await source(address);
    const batches = await collect(pop3.fetchNew(null, options({ notBefore: new Date('2026-04-01T00:00:00Z') })));
    expect(subjects(batches)).toEqual(['recent']);
    // The cursor covers the skipped message after it too: the next sync does not look at it again.
    expect(JSON.parse(lastCursor(batches)).recent).toHaveLength(3);
  });

  it('re-reads a window on resyncFrom whatever the cursor says', async () => {
    const address = freshUser();
    const headers = (date: string) => [`Received: by mail.example.test; ${date}`, 'Content-Type: text/plain'];
    await dovecot.deliver(address, rawMessage({ subject: 'january', headers: headers('Mon, 05 Jan 2026 10:00:00 +0000') }).raw);
    await dovecot.deliver(address, rawMessage({ subject: 'march', headers: headers('Tue, 03 Mar 2026 10:00:00 +0000') }).raw);
    const pop3 = await source(address);
    const cursor = lastCursor(await collect(pop3.fetchNew(null, options())));
    const resync = await collect(pop3.fetchNew(cursor, options({ resyncFrom: new Date('2026-02-01T00:00:00Z') })));
    expect(subjects(resync)).toEqual(['march']);
    expect(JSON.parse(lastCursor(resync))).toEqual(JSON.parse(cursor));
  });
});

describe('inventory, fetchRefs and remove', () => {
  it('lists Message-IDs, fetches by reference and deletes only on remove()', async () => {
    const address = freshUser();
    const ids = await deliverAll(address, ['x', 'y', 'z']);
    const pop3 = await source(address);
    const items = [];
    for await (const chunk of pop3.inventory(null)) items.push(...chunk);
    expect(items.map((item) => item.messageId)).toEqual(ids);
    expect(items.every((item) => item.folder === 'INBOX' && item.role === 'INBOX')).toBe(true);

    const fetched = [];
    for await (const message of pop3.fetchRefs([items[2].sourceRef, 'pop3:FFFFFFFFFFFFFFFF', items[0].sourceRef])) fetched.push(message);
    expect(fetched.map((message) => message.sourceRef)).toEqual([items[2].sourceRef, items[0].sourceRef]);

    await pop3.remove([items[1].sourceRef]);
    // POP3 deletes at QUIT (RFC 1939 6): the next inventory logs in again, ending this session first.
    expect(await dovecot.messageIds(address)).toEqual(ids);
    const after = [];
    for await (const chunk of pop3.inventory(null)) after.push(...chunk);
    expect(after.map((item) => item.messageId)).toEqual([ids[0], ids[2]]);
    expect(await dovecot.messageIds(address)).toEqual([ids[0], ids[2]]);
  });

  it('removes messages between batches of fetchNew (forward mailbox copies), effective at close()', async () => {
    const address = freshUser();
    await deliverAll(address, ['f1', 'f2', 'f3', 'keep']);
    const pop3 = await source(address);
    const seen: string[] = [];
    for await (const batch of pop3.fetchNew(null, options({ batchSize: 1 }))) {
      seen.push(...subjects([batch]).map(String));
      await pop3.remove(batch.messages.filter((message) => !message.source.includes('Subject: keep')).map((message) => message.sourceRef));
    }
    expect(seen).toEqual(['f1', 'f2', 'f3', 'keep']);
    await pop3.close();
    expect(await dovecot.messageIds(address)).toHaveLength(1);
  });
});

describe('failures and checks', () => {
  it('a wrong password is AUTH_FAILED', async () => {
    const error = await failure(source(freshUser(), 'wrong'));
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toMatch(/rejected the user name or password for pop\d+@example\.test/);
  });

  it('STARTTLS is refused with a clear reason', async () => {
    const error = await failure(source(freshUser(), PASSWORD, { ...endpoint, tls: 'STARTTLS' }));
    expect(error.code).toBe('TLS');
    expect(error.message).toContain('use implicit TLS');
  });

  it('a port nobody listens on is REFUSED; a host that does not resolve is DNS', async () => {
    const port = await closedPort();
    expect((await failure(source(freshUser(), PASSWORD, { ...endpoint, port }))).code).toBe('REFUSED');
    const dns = await failure(source(freshUser(), PASSWORD, { ...endpoint, host: 'pop.example.invalid' }));
    expect(dns.code).toBe('DNS');
    expect(dns.message).toBe('Cannot resolve pop.example.invalid: check the incoming server name');
  });

  it('a server that stops answering is TIMEOUT, not a hang', async () => {
    // Greets and accepts the login, then never answers again.
    const silent = net.createServer((socket) => {
      socket.write('+OK ready\r\n');
      socket.on('data', (data) => {
        if (/^(USER|PASS)/.test(data.toString())) socket.write('+OK\r\n');
      });
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const port = (silent.address() as net.AddressInfo).port;
      const pop3 = new Pop3Source({ endpoint: { ...endpoint, port }, credentials: { method: 'PASSWORD', username: 'x', password: 'y' }, timeoutMs: 300 });
      open.push(pop3);
      await pop3.open();
      const error = await failure(collect(pop3.fetchNew(null, options())));
      expect(error.code).toBe('TIMEOUT');
      expect(error.message).toContain('stopped answering UIDL');
    } finally {
      silent.close();
    }
  });

  it('sends a batch\'s RETR (and the inventory\'s TOP) commands in one write to a server that announces PIPELINING (RFC 2449), one at a time to one that does not', async () => {
    const bodies = ['Subject: one\r\n\r\n.dotted\r\n', 'Subject: two\r\n\r\nx\r\n', 'Subject: three\r\n\r\n'];
    for (const capa of ['+OK\r\nUIDL\r\nPIPELINING\r\n.\r\n', '-ERR unknown command\r\n']) {
      const writes: string[] = [];
      // A scripted server: answers every command in the chunk it arrived in, in order, as a pipelining server does.
      const server = net.createServer((socket) => {
        socket.write('+OK ready\r\n');
        socket.on('data', (data) => {
          writes.push(data.toString());
          const answers = data
            .toString()
            .split('\r\n')
            .filter(Boolean)
            .map((command) => {
              const [verb, arg] = command.split(' ');
              if (verb === 'UIDL') return `+OK\r\n${bodies.map((_, i) => `${i + 1} uid${i + 1}\r\n`).join('')}.\r\n`;
              if (verb === 'LIST') return `+OK\r\n${bodies.map((b, i) => `${i + 1} ${b.length}\r\n`).join('')}.\r\n`;
              if (verb === 'CAPA') return capa;
              if (verb === 'RETR') return `+OK\r\n${bodies[Number(arg) - 1].replace(/^\./gm, '..')}.\r\n`;
              if (verb === 'TOP') return `+OK\r\nMessage-ID: <m${arg}@example.test>\r\n\r\n.\r\n`;
              return '+OK\r\n';
            });
          socket.write(answers.join(''));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      try {
        const port = (server.address() as net.AddressInfo).port;
        const pop3 = new Pop3Source({ endpoint: { ...endpoint, port }, credentials: { method: 'PASSWORD', username: 'x', password: 'y' }, timeoutMs: 5_000 });
        open.push(pop3);
        await pop3.open();
        const batches = await collect(pop3.fetchNew(null, options()));
        expect(batches.flatMap((batch) => batch.messages.map((m) => [m.sourceRef, m.source.toString('latin1')]))).toEqual(bodies.map((body, i) => [`pop3:uid${i + 1}`, body]));
        const inventory = (await gather(pop3.inventory(null))).flat();
        expect(inventory.map((item) => [item.sourceRef, item.messageId])).toEqual(bodies.map((_, i) => [`pop3:uid${i + 1}`, `m${i + 1}@example.test`]));
        const sent = (verb: string) => writes.filter((w) => w.startsWith(verb));
        const pipelines = capa.startsWith('+OK');
        expect(sent('RETR'), capa).toEqual(pipelines ? ['RETR 1\r\nRETR 2\r\nRETR 3\r\n'] : ['RETR 1\r\n', 'RETR 2\r\n', 'RETR 3\r\n']);
        expect(sent('TOP'), capa).toEqual(pipelines ? ['TOP 1 0\r\nTOP 2 0\r\nTOP 3 0\r\n'] : ['TOP 1 0\r\n', 'TOP 2 0\r\n', 'TOP 3 0\r\n']);
      } finally {
        server.close();
      }
    }
  });

  it('checkPop3 reports success and failures as sentences', async () => {
    const address = freshUser();
    await deliverAll(address, ['one']);
    const ok = await checkPop3(endpoint, { method: 'PASSWORD', username: address, password: PASSWORD });
    expect(ok).toEqual({ ok: true, detail: `Signed in to 127.0.0.1 as ${address}: 1 message(s) in the maildrop; mail stays on the server.` });
    expect(await checkPop3(endpoint, { method: 'PASSWORD', username: address, password: 'bad' })).toEqual({
      ok: false,
      code: 'AUTH_FAILED',
      reason: `The server rejected the user name or password for ${address}`,
    });
  });
});

async function gather<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of iterable) all.push(item);
  return all;
}

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
