import { EventEmitter, once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { SMTPServer, type SMTPServerAuthentication, type SMTPServerSession } from 'smtp-server';

// A real SMTP server (the smtp-server library: RFC 5321 framing, dot-unstuffing, AUTH) on a free loopback
// port that captures what it accepts, for the SMTP adapter and the outgoing end-to-end tests.

export interface CapturedMessage {
  /** MAIL FROM. */
  readonly from: string;
  /** RCPT TO that were accepted, in order. */
  readonly recipients: readonly string[];
  /** The message bytes as received (dot-unstuffed, terminator removed). */
  readonly raw: Buffer;
  /** The AUTH user of the session; null when the client did not authenticate. */
  readonly authUser: string | null;
}

export interface SmtpPeerOptions {
  /** When set, AUTH PLAIN/LOGIN is required and checked against these; otherwise AUTH is optional and any login passes. */
  readonly authUsers?: readonly { readonly username: string; readonly password: string }[];
  /** RCPT TO answered 550 5.1.1 for these addresses (case-insensitive). */
  readonly rejectRecipients?: readonly string[];
  /** The first N messages are answered 451 4.3.0 after DATA (a transient failure), then mail is accepted. */
  readonly failTransientlyTimes?: number;
}

/** Where accepted mail lands for recipients it knows (a StartedDovecot fits). */
export interface DeliveryTarget {
  readonly addresses: readonly string[];
  deliver(address: string, raw: Buffer): Promise<unknown>;
}

export interface StartedSmtpPeer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** Accepted messages, oldest first. */
  readonly messages: readonly CapturedMessage[];
  /** DATA transactions answered 4xx so far. */
  readonly transientFailures: number;
  /** Resolves once at least `count` messages were accepted (event-based); rejects after `timeoutMs`. */
  waitForMessages(count: number, timeoutMs?: number): Promise<readonly CapturedMessage[]>;
  /** From now on also delivers each accepted message into the target's maildir, before answering 250. */
  deliverTo(target: DeliveryTarget): void;
  stop(): Promise<void>;
}

export async function startSmtpPeer(options: SmtpPeerOptions = {}): Promise<StartedSmtpPeer> {
  const messages: CapturedMessage[] = [];
  const events = new EventEmitter();
  const rejected = new Set((options.rejectRecipients ?? []).map((address) => address.toLowerCase()));
  let failuresLeft = options.failTransientlyTimes ?? 0;
  let transientFailures = 0;
  let target: DeliveryTarget | null = null;

  const server = new SMTPServer({
    secure: false,
    // No certificate in tests: never offer STARTTLS, so clients do not try to upgrade.
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authMethods: ['PLAIN', 'LOGIN'],
    authOptional: !options.authUsers,
    logger: false,
    onAuth(auth: SMTPServerAuthentication, _session: SMTPServerSession, callback) {
      const known = options.authUsers?.find((user) => user.username === auth.username && user.password === auth.password);
      if (options.authUsers && !known) {
        return callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
      }
      callback(null, { user: auth.username });
    },
    onRcptTo(address, _session, callback) {
      if (rejected.has(address.address.toLowerCase())) {
        return callback(Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected: User unknown`), { responseCode: 550 }));
      }
      callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        if (failuresLeft > 0) {
          failuresLeft--;
          transientFailures++;
          return callback(Object.assign(new Error('4.3.0 Temporary failure, try again later'), { responseCode: 451 }));
        }
        const message: CapturedMessage = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          recipients: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          raw: Buffer.concat(chunks),
          authUser: typeof session.user === 'string' ? session.user : null,
        };
        const local = target ? message.recipients.filter((address) => target!.addresses.some((known) => known.toLowerCase() === address.toLowerCase())) : [];
        Promise.all(local.map((address) => target!.deliver(address, message.raw)))
          .then(() => {
            messages.push(message);
            events.emit('message');
            callback(null, `2.0.0 Ok: queued as ${messages.length}`);
          })
          .catch((error: Error) => callback(Object.assign(new Error(`4.3.0 local delivery failed: ${error.message}`), { responseCode: 451 })));
      });
    },
  });
  server.on('error', () => {}); // client resets are normal in failure tests; smtp-server reports them here
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const port = (server.server.address() as AddressInfo).port;

  return {
    host: '127.0.0.1',
    port,
    messages,
    get transientFailures() {
      return transientFailures;
    },
    waitForMessages(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (messages.length < count) return;
          clearTimeout(timer);
          events.off('message', check);
          resolve(messages);
        };
        const timer = setTimeout(() => {
          events.off('message', check);
          reject(new Error(`SMTP peer: ${messages.length} of ${count} messages after ${timeoutMs} ms`));
        }, timeoutMs);
        events.on('message', check);
        check();
      });
    },
    deliverTo(next) {
      target = next;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
