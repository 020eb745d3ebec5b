import { createHash } from 'node:crypto';
import type Nodemailer from 'nodemailer';
import type { Log } from '../../logger.js';
import { MailError } from '../mail-error.js';
import type { MailSender, OutgoingMessage, SendReceipt } from '../mail-sender.js';
import type { ChannelCheck, Credentials, Endpoint } from '../mail-source.js';
import { smtpMailError } from './smtp-errors.js';

export interface SmtpSenderOptions {
  readonly logger?: Log;
  /** Connections this sender keeps open at most (nodemailer pool). Default 2. */
  readonly maxConnections?: number;
  /** Connect, greeting and socket-inactivity timeout. Default 60 s. */
  readonly timeoutMs?: number;
}

type Transport = ReturnType<typeof createPool>;

/** Sends over one SMTP server as one user, through a pool of connections (nodemailer `pool: true`). */
export class SmtpSender implements MailSender {
  private readonly transport: Transport;
  private closed = false;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly credentials: Credentials | null,
    private readonly options: SmtpSenderOptions = {},
    private readonly onClose: () => void = () => {},
  ) {
    this.transport = createPool(endpoint, credentials, options);
  }

  /**
   * Sends the finished message with an explicit envelope (Bcc recipients only there). Some recipients refused:
   * the receipt lists them. Every recipient refused: MailError REJECTED with the server's reply.
   */
  async send(message: OutgoingMessage, signal?: AbortSignal): Promise<SendReceipt> {
    if (this.closed) throw new MailError('TEMPORARY', 'The SMTP sender was closed');
    if (message.recipients.length === 0) throw new MailError('REJECTED', 'The message has no recipients');
    try {
      const info = await this.transport.sendMail({ envelope: { from: message.from, to: [...message.recipients] }, raw: message.raw, signal });
      return { accepted: info.accepted.map(String), rejected: info.rejected.map(String), response: info.response };
    } catch (error) {
      throw smtpMailError(rejectionReply(error), this.context());
    }
  }

  /** Connects, upgrades TLS and signs in without sending (nodemailer verify). Never throws. */
  async check(signal?: AbortSignal): Promise<ChannelCheck> {
    try {
      if (signal?.aborted) throw new MailError('TEMPORARY', 'Cancelled before connecting');
      await this.transport.verify();
      const who = this.credentials ? `signed in as ${this.credentials.username}` : 'no sign-in configured';
      return { ok: true, detail: `Connected to ${this.endpoint.host}:${this.endpoint.port} (${who})` };
    } catch (error) {
      const mailError = smtpMailError(error, this.context());
      this.options.logger?.debug({ code: mailError.code, err: error }, 'SMTP check failed');
      return { ok: false, code: mailError.code, reason: mailError.message };
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.transport.close();
    this.onClose();
  }

  private context() {
    return { host: this.endpoint.host, port: this.endpoint.port, username: this.credentials?.username ?? null };
  }
}

/**
 * One pooled sender per server and user, so every mailbox of a profile shares its connections. A changed password
 * gives a new sender (the old pool is closed).
 */
export class SmtpSenders {
  private readonly senders = new Map<string, { readonly secret: string; readonly sender: SmtpSender }>();

  constructor(private readonly options: SmtpSenderOptions = {}) {}

  forEndpoint(endpoint: Endpoint, credentials: Credentials | null, options: { maxConnections?: number } = {}): SmtpSender {
    const key = [endpoint.host.toLowerCase(), endpoint.port, endpoint.tls, endpoint.allowInvalidCertificates, credentials?.username ?? ''].join('\u0000');
    const secret = secretFingerprint(credentials);
    const existing = this.senders.get(key);
    if (existing?.secret === secret) return existing.sender;
    existing?.sender.close();
    const sender = new SmtpSender(endpoint, credentials, { ...this.options, ...options }, () => {
      if (this.senders.get(key)?.sender === sender) this.senders.delete(key);
    });
    this.senders.set(key, { secret, sender });
    return sender;
  }

  closeAll(): void {
    for (const { sender } of [...this.senders.values()]) sender.close();
    this.senders.clear();
  }
}

let nodemailer: typeof Nodemailer | null = null;
/** nodemailer, loaded with the first SMTP pool: an engine that only reads mail never needs its 5 MB of resident code. */
const loadNodemailer = (): typeof Nodemailer => (nodemailer ??= (require('nodemailer') as { default: typeof Nodemailer }).default);

function createPool(endpoint: Endpoint, credentials: Credentials | null, options: SmtpSenderOptions) {
  const timeout = options.timeoutMs ?? 60_000;
  return loadNodemailer().createTransport({
    pool: true,
    maxConnections: options.maxConnections ?? 2,
    maxMessages: 100,
    // Close idle connections before servers do (smtp-server 1 min, Postfix 5 min): a message handed to a
    // connection the server is just closing fails without a reply, and then nobody knows whether it was delivered.
    idleTimeout: 30_000,
    // Never re-send on our own after a connection dropped mid-message: it may have been delivered already.
    maxRequeues: 0,
    host: endpoint.host,
    port: endpoint.port,
    secure: endpoint.tls === 'IMPLICIT',
    // STARTTLS when configured, and then required (no silent fallback to plaintext); never tried for NONE.
    requireTLS: endpoint.tls === 'STARTTLS',
    ignoreTLS: endpoint.tls === 'NONE',
    tls: { rejectUnauthorized: !endpoint.allowInvalidCertificates, servername: endpoint.host },
    auth: !credentials
      ? undefined
      : credentials.method === 'PASSWORD'
        ? { user: credentials.username, pass: credentials.password }
        : { type: 'OAuth2' as const, user: credentials.username, accessToken: credentials.accessToken },
    connectionTimeout: timeout,
    greetingTimeout: timeout,
    socketTimeout: timeout,
    logger: false,
  });
}

/** All recipients refused: nodemailer puts the last reply on the error; the first refusal's words read better. */
function rejectionReply(error: unknown): unknown {
  const fields = error as { rejectedErrors?: { response?: string; responseCode?: number }[]; responseCode?: number; response?: string };
  const first = fields?.rejectedErrors?.[0];
  if (first && fields.responseCode === undefined && first.responseCode !== undefined) {
    return Object.assign(error as object, { responseCode: first.responseCode, response: first.response });
  }
  return error;
}

function secretFingerprint(credentials: Credentials | null): string {
  if (!credentials) return '';
  const secret = credentials.method === 'PASSWORD' ? credentials.password : credentials.accessToken;
  return createHash('sha256').update(`${credentials.method}\u0000${secret}`).digest('hex');
}
