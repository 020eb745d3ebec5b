import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MailError } from '../../sync-engine/src/mail/mail-error.js';
import type { Credentials, Endpoint } from '../../sync-engine/src/mail/mail-source.js';
import { SmtpSenders } from '../../sync-engine/src/mail/smtp/smtp-senders.js';
import { startDovecot, type StartedDovecot } from '../support/dovecot.js';
import { startSmtpPeer, type StartedSmtpPeer } from '../support/smtp-peer.js';
import { latin1Message, rawMessage } from './raw-messages.js';

// The SMTP sender (nodemailer, pooled) against a real SMTP server (smtp-server) that captures what it accepts.

const alice: Credentials = { method: 'PASSWORD', username: 'alice@example.test', password: 'smtp-secret' };
const peers: StartedSmtpPeer[] = [];
let senders: SmtpSenders;

beforeAll(() => {
  senders = new SmtpSenders({ timeoutMs: 10_000 });
});

afterEach(async () => {
  senders.closeAll();
  await Promise.all(peers.splice(0).map((peer) => peer.stop()));
});

async function peer(options: Parameters<typeof startSmtpPeer>[0] = {}): Promise<{ peer: StartedSmtpPeer; endpoint: Endpoint }> {
  const started = await startSmtpPeer(options);
  peers.push(started);
  return { peer: started, endpoint: { host: started.host, port: started.port, tls: 'NONE', allowInvalidCertificates: false } };
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

describe('send', () => {
  it('delivers the exact bytes with the envelope given (Bcc only in the envelope)', async () => {
    const { peer: server, endpoint } = await peer({ authUsers: [{ username: alice.username, password: 'smtp-secret' }] });
    const message = rawMessage({
      from: 'Alice <alice@example.test>',
      to: 'Carol <carol@customer.example.test>',
      subject: 'Our offer',
      headers: ['In-Reply-To: <req-1@customer.example.test>', 'References: <req-1@customer.example.test>', 'Content-Type: text/plain; charset=utf-8'],
      body: ['Hi Carol,', '.leading dot', '..two dots', 'Regards', ''],
    });
    const receipt = await senders.forEndpoint(endpoint, alice).send({ from: 'alice@example.test', recipients: ['carol@customer.example.test', 'boss@example.test'], raw: message.raw });
    expect(receipt.accepted).toEqual(['carol@customer.example.test', 'boss@example.test']);
    expect(receipt.rejected).toEqual([]);
    expect(receipt.response).toMatch(/^250 /);
    const [captured] = await server.waitForMessages(1);
    expect(captured.from).toBe('alice@example.test');
    expect(captured.recipients).toEqual(['carol@customer.example.test', 'boss@example.test']);
    expect(captured.authUser).toBe('alice@example.test');
    expect(captured.raw.equals(message.raw)).toBe(true);
    expect(captured.raw.toString()).toContain(`Message-ID: <${message.messageId}>`);
    expect(captured.raw.toString()).not.toMatch(/^Bcc:/im);
  });

  it('sends 8-bit bytes unchanged', async () => {
    const { peer: server, endpoint } = await peer();
    const latin1 = latin1Message();
    await senders.forEndpoint(endpoint, null).send({ from: 'alice@example.test', recipients: ['rene@customer.example.test'], raw: latin1.raw });
    const [captured] = await server.waitForMessages(1);
    expect(captured.raw.equals(latin1.raw)).toBe(true);
    expect(captured.authUser).toBeNull();
  });

  it('lists recipients the server refused (5xx) and sends to the rest', async () => {
    const { peer: server, endpoint } = await peer({ rejectRecipients: ['nobody@customer.example.test'] });
    const receipt = await senders.forEndpoint(endpoint, null).send({ from: 'alice@example.test', recipients: ['carol@customer.example.test', 'nobody@customer.example.test'], raw: rawMessage().raw });
    expect(receipt.accepted).toEqual(['carol@customer.example.test']);
    expect(receipt.rejected).toEqual(['nobody@customer.example.test']);
    expect((await server.waitForMessages(1))[0].recipients).toEqual(['carol@customer.example.test']);
  });

  it('every recipient refused is REJECTED with the server reply', async () => {
    const { peer: server, endpoint } = await peer({ rejectRecipients: ['nobody@customer.example.test'] });
    const error = await failure(senders.forEndpoint(endpoint, null).send({ from: 'alice@example.test', recipients: ['nobody@customer.example.test'], raw: rawMessage().raw }));
    expect(error.code).toBe('REJECTED');
    expect(error.serverResponse).toBe('550 5.1.1 <nobody@customer.example.test>: Recipient address rejected: User unknown');
    expect(error.message).toContain('User unknown');
    expect(server.messages).toHaveLength(0);
  });

  it('a 4xx reply is TEMPORARY with the reply, and the next attempt goes through', async () => {
    const { peer: server, endpoint } = await peer({ failTransientlyTimes: 1 });
    const sender = senders.forEndpoint(endpoint, null);
    const message = { from: 'alice@example.test', recipients: ['carol@customer.example.test'], raw: rawMessage().raw };
    const error = await failure(sender.send(message));
    expect(error.code).toBe('TEMPORARY');
    expect(error.serverResponse).toBe('451 4.3.0 Temporary failure, try again later');
    expect(server.messages).toHaveLength(0);
    await sender.send(message);
    expect(await server.waitForMessages(1)).toHaveLength(1);
    expect(server.transientFailures).toBe(1);
  });

  it('a wrong password is AUTH_FAILED', async () => {
    const { endpoint } = await peer({ authUsers: [{ username: alice.username, password: 'smtp-secret' }] });
    const error = await failure(senders.forEndpoint(endpoint, { ...alice, password: 'wrong' }).send({ from: 'alice@example.test', recipients: ['carol@customer.example.test'], raw: rawMessage().raw }));
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toBe('The server rejected the user name or password for alice@example.test');
    expect(error.serverResponse).toMatch(/^535 /);
  });

  it('a port nobody listens on is REFUSED; STARTTLS required on a server without it is TLS', async () => {
    const port = await closedPort();
    const refused = await failure(senders.forEndpoint({ host: '127.0.0.1', port, tls: 'NONE', allowInvalidCertificates: false }, null).send({ from: 'a@example.test', recipients: ['b@example.test'], raw: rawMessage().raw }));
    expect(refused.code).toBe('REFUSED');
    expect(refused.message).toBe(`Connection refused on 127.0.0.1:${port}: check the outgoing port and that the server is running`);
    const { endpoint } = await peer();
    const tls = await failure(senders.forEndpoint({ ...endpoint, tls: 'STARTTLS' }, null).send({ from: 'a@example.test', recipients: ['b@example.test'], raw: rawMessage().raw }));
    expect(tls.code).toBe('TLS');
  });
});

describe('pooling', () => {
  it('shares one sender per server and user, and replaces it when the password changes', async () => {
    const { peer: server, endpoint } = await peer();
    const first = senders.forEndpoint(endpoint, alice);
    expect(senders.forEndpoint({ ...endpoint, host: '127.0.0.1' }, { ...alice })).toBe(first);
    expect(senders.forEndpoint(endpoint, { ...alice, username: 'bob@example.test' })).not.toBe(first);
    const renewed = senders.forEndpoint(endpoint, { ...alice, password: 'changed' });
    expect(renewed).not.toBe(first);
    expect((await failure(first.send({ from: 'a@example.test', recipients: ['b@example.test'], raw: rawMessage().raw }))).message).toContain('closed');
    // Several messages at once go over the pool.
    await Promise.all(Array.from({ length: 5 }, (_, index) => renewed.send({ from: 'alice@example.test', recipients: [`c${index}@customer.example.test`], raw: rawMessage({ subject: `n${index}` }).raw })));
    expect(await server.waitForMessages(5)).toHaveLength(5);
  });
});

describe('check', () => {
  it('signs in without sending, and gives reasons a person can act on', async () => {
    const { peer: server, endpoint } = await peer({ authUsers: [{ username: alice.username, password: 'smtp-secret' }] });
    expect(await senders.forEndpoint(endpoint, alice).check()).toEqual({ ok: true, detail: `Connected to 127.0.0.1:${endpoint.port} (signed in as alice@example.test)` });
    expect(await senders.forEndpoint(endpoint, { ...alice, password: 'nope' }).check()).toEqual({
      ok: false,
      code: 'AUTH_FAILED',
      reason: 'The server rejected the user name or password for alice@example.test',
    });
    expect(await senders.forEndpoint({ ...endpoint, host: 'smtp.example.invalid' }, alice).check()).toEqual({
      ok: false,
      code: 'DNS',
      reason: 'Cannot resolve smtp.example.invalid: check the outgoing server name',
    });
    expect(server.messages).toHaveLength(0);
  });
});

describe('smtp peer delivering into Dovecot', () => {
  let dovecot: StartedDovecot;
  beforeAll(async () => {
    dovecot = await startDovecot({ users: [{ address: 'carol@example.test', password: 'x' }] });
  });
  afterAll(async () => {
    await dovecot?.stop();
  });

  it('puts accepted mail for Dovecot users into their maildir before answering 250', async () => {
    const { peer: server, endpoint } = await peer();
    server.deliverTo(dovecot);
    const message = rawMessage({ to: 'carol@example.test', subject: 'to the maildir' });
    await senders.forEndpoint(endpoint, null).send({ from: 'alice@example.test', recipients: ['carol@example.test', 'outside@elsewhere.example.test'], raw: message.raw });
    expect(await dovecot.messageIds('carol@example.test')).toEqual([message.messageId]);
  });
});

function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}
