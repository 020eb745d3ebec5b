import { EventEmitter, once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { buildEngine, EngineProcess } from '../support/engine-process';
import { startSmtpPeer, type StartedSmtpPeer } from '../support/smtp-peer';

// The built engine against a hub that answers claimOutgoingEmails in a shape the engine cannot read
// (an api of another version, a proxy rewriting JSON): it must send nothing, hand the claimed emails back
// as certainly not delivered, log one clear error without the credentials, and try again later.

const SECRET = 'smtp-secret-do-not-log-2718';

interface HubRequest {
  readonly operation: string;
  readonly variables: Record<string, unknown>;
}

/** A GraphQL peer answering each operation (by name) from `answers`; records every request and emits its name. */
class ScriptedHub extends EventEmitter {
  readonly requests: HubRequest[] = [];
  private readonly server: Server;

  constructor(private readonly answers: Record<string, (count: number) => unknown>) {
    super();
    this.server = createServer((req, res) => {
      let text = '';
      req.on('data', (chunk: Buffer) => (text += chunk.toString()));
      req.on('end', () => {
        const body = JSON.parse(text) as { query: string; variables: Record<string, unknown> };
        const operation = /^\s*(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1] ?? '?';
        const count = this.requests.filter((r) => r.operation === operation).length;
        this.requests.push({ operation, variables: body.variables });
        const answer = this.answers[operation];
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer ? { data: answer(count) } : { errors: [{ message: `no ${operation} here`, extensions: { code: 'BAD_REQUEST' } }] }));
        this.emit(operation);
      });
    });
  }

  async start(): Promise<string> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/graphql`;
  }

  /** Resolves once `operation` was asked `times` times in all. */
  async asked(operation: string, times: number): Promise<void> {
    while (this.of(operation).length < times) await once(this, operation);
  }

  of(operation: string): HubRequest[] {
    return this.requests.filter((r) => r.operation === operation);
  }

  stop(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

let smtp: StartedSmtpPeer;
let hub: ScriptedHub | undefined;
let engine: EngineProcess | undefined;

beforeAll(async () => {
  await buildEngine();
  smtp = await startSmtpPeer();
});

afterEach(async () => {
  engine?.signal('SIGKILL'); // no-op when it already exited; never leave a child behind a failed test
  await engine?.exited;
  await hub?.stop();
  engine = undefined;
  hub = undefined;
});

afterAll(async () => {
  await smtp?.stop();
});

const claimed = (emailId: string, fields: Record<string, unknown> = {}) => ({
  emailId, leaseId: `lease-${emailId}`, leaseUntil: new Date(Date.now() + 60_000).toISOString(), mailboxId: 'TWFpbGJveDox',
  from: { address: 'sam@example.com', name: 'Sam' }, to: [{ address: 'kim@contoso.example', name: null }], cc: [], bcc: [],
  subject: `Quote ${emailId}`, messageId: `${emailId}@crm.example`, inReplyTo: null, references: [], textBody: 'Hello', htmlBody: null,
  attachments: [], attempt: 1,
  transport: {
    kind: 'IMAP_SMTP', smtp: { host: smtp.host, port: smtp.port, tls: 'NONE', allowInvalidCertificates: false }, imap: null, sentFolder: null,
    credentialsStatus: 'PRESENT', credentials: { method: 'PASSWORD', username: 'sam', secret: SECRET },
  },
  ...fields,
});

async function startEngine(claimOutgoingEmails: (count: number) => unknown): Promise<ScriptedHub> {
  hub = new ScriptedHub({
    SyncEngineViewer: () => ({ viewer: { id: 'VXNlcjox', fullName: 'Sync Service', roles: [{ name: 'Sync Service' }] } }),
    ClaimMailboxes: () => ({ claimMailboxes: [] }),
    ClaimOutgoingEmails: claimOutgoingEmails,
    MarkEmailSent: () => ({ markEmailSent: { id: 'x' } }),
    MarkEmailFailed: () => ({ markEmailFailed: { id: 'x' } }),
  });
  const url = await hub.start();
  engine = new EngineProcess({ HUB_API_URL: url, HUB_API_KEY: 'engine-key', POLL_INTERVAL_MS: '50', SEND_BATCH: '5' });
  return hub;
}

describe('the built engine and a claimOutgoingEmails answer it cannot read', () => {
  it('sends a well-formed claim over SMTP (the setup below would send)', async () => {
    const before = smtp.messages.length;
    const scripted = await startEngine((count) => ({ claimOutgoingEmails: count === 0 ? [claimed('e-ok')] : [] }));
    await scripted.asked('MarkEmailSent', 1);
    expect(smtp.messages.length).toBe(before + 1);
    expect(scripted.of('MarkEmailSent')[0].variables).toMatchObject({ emailId: 'e-ok', leaseId: 'lease-e-ok' });
  });

  it('sends nothing, hands every claimed email back as not delivered, logs an error without secrets, and claims again later', async () => {
    const before = smtp.messages.length;
    const scripted = await startEngine(() => ({
      claimOutgoingEmails: [claimed('e-1'), claimed('e-2', { transport: { ...claimed('e-2').transport, smtp: { host: smtp.host, port: String(smtp.port), tls: 'NONE', allowInvalidCertificates: false } } })],
    }));
    await scripted.asked('ClaimOutgoingEmails', 3);
    await scripted.asked('MarkEmailFailed', 4);

    expect(smtp.messages.length).toBe(before);
    expect(scripted.of('MarkEmailSent')).toEqual([]);
    const reason = 'the sync engine could not read the claim this email came in: the hub answered an unexpected shape: claimOutgoingEmails[1].transport.smtp.port: expected an integer';
    expect(scripted.of('MarkEmailFailed').slice(0, 2).map((r) => r.variables).sort((a, b) => String(a.emailId).localeCompare(String(b.emailId)))).toEqual([
      { emailId: 'e-1', leaseId: 'lease-e-1', reason, retryable: true },
      { emailId: 'e-2', leaseId: 'lease-e-2', reason, retryable: true },
    ]);

    const errors = engine!.lines.filter((line) => line.level === 50);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    expect(errors[0]).toMatchObject({ code: 'INVALID_RESPONSE', reason: expect.stringContaining('claimOutgoingEmails[1].transport.smtp.port') });
    expect(errors[0].msg).toMatch(/claimOutgoingEmails.*nothing was sent/);
    expect(Number(errors[1].delayMs)).toBeGreaterThanOrEqual(Number(errors[0].delayMs)); // backs off, no tight loop
    expect(engine!.dump()).not.toContain(SECRET);

    engine!.signal('SIGTERM');
    expect(await engine!.exited, engine!.dump()).toBe(0);
  });
});
