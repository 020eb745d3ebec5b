import { ImapFlow, type ImapFlowOptions, type Logger as ImapFlowLogger } from 'imapflow';
import type { Log } from '../../logger.js';
import { MailError } from '../mail-error.js';
import type { Credentials, Endpoint } from '../mail-source.js';
import { imapMailError } from './imap-errors.js';
import './imapflow-compile.js'; // before any session: FETCH responses are not compiled back into text per message

/** Timeouts for one IMAP session. */
export interface ImapTimeouts {
  /** TCP + TLS + greeting. */
  readonly connectMs: number;
  /** A command that gets no answer for this long fails the session. */
  readonly socketMs: number;
}

export const DEFAULT_IMAP_TIMEOUTS: ImapTimeouts = { connectMs: 20_000, socketMs: 120_000 };

/** An imapflow client plus the last command error it only logged (some of its commands answer `false` on NO/BAD). */
export interface ImapSession {
  readonly client: ImapFlow;
  /** The error imapflow reported for the last failed command, or null. Reading it clears it. */
  takeCommandError(): unknown;
  /** The first error imapflow emitted after the session was up (socket closed, timeout), or null. */
  readonly connectionError: () => unknown;
}

/** Connects and logs in; throws MailError (AUTH_FAILED, DNS, REFUSED, TLS, TIMEOUT, …). */
export async function openImapSession(
  endpoint: Endpoint,
  credentials: Credentials,
  options: {
    logger?: Log;
    timeouts?: ImapTimeouts;
    signal?: AbortSignal;
    /** RFC 4978 COMPRESS=DEFLATE when the server offers it (default). A push connection that only idles says no: zlib's streams cost about 300 KB per connection (deflate 256 KB, inflate 44 KB) for a few bytes an hour. */
    compress?: boolean;
  } = {},
): Promise<ImapSession> {
  const timeouts = options.timeouts ?? DEFAULT_IMAP_TIMEOUTS;
  let commandError: unknown = null;
  let connectionError: unknown = null;
  const log = options.logger;
  // imapflow logs every command at info/debug; only its warnings and errors are worth our debug log. Its warn
  // entries with `err` are the command failures that some methods (search, store, expunge) turn into `false`.
  const logger: ImapFlowLogger = {
    debug: () => {},
    info: () => {},
    warn: (entry: { err?: unknown; msg?: string }) => {
      if (entry?.err) commandError = entry.err;
      log?.debug({ imap: entry?.msg, err: entry?.err }, 'imapflow warning');
    },
    error: (entry: { err?: unknown; msg?: string }) => {
      log?.debug({ imap: entry?.msg, err: entry?.err }, 'imapflow error');
    },
  };
  const flowOptions: ImapFlowOptions = {
    host: endpoint.host,
    port: endpoint.port,
    secure: endpoint.tls === 'IMPLICIT',
    // STARTTLS is required when configured (no silent fallback to plaintext) and never tried for NONE.
    doSTARTTLS: endpoint.tls === 'STARTTLS' ? true : endpoint.tls === 'NONE' ? false : undefined,
    tls: endpoint.allowInvalidCertificates ? { rejectUnauthorized: false } : undefined,
    auth: credentials.method === 'PASSWORD' ? { user: credentials.username, pass: credentials.password } : { user: credentials.username, accessToken: credentials.accessToken },
    logger,
    // We IDLE ourselves in waitForChange; an automatic IDLE between two of our batches only costs round trips.
    disableAutoIdle: true,
    // RFC 2177: clients should re-issue IDLE at least every 29 minutes; restarting it every 4 minutes also keeps
    // the socket below its inactivity timeout.
    maxIdleTime: 4 * 60_000,
    connectionTimeout: timeouts.connectMs,
    greetingTimeout: timeouts.connectMs,
    socketTimeout: timeouts.socketMs,
    disableCompression: options.compress === false,
  };
  const client = new ImapFlow(flowOptions);
  // Without a listener an 'error' event would crash the process; the failed command rejects on its own.
  client.on('error', (error: Error) => {
    connectionError ??= error;
  });
  const context = { host: endpoint.host, port: endpoint.port, username: credentials.username };
  const abort = () => client.close();
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    if (options.signal?.aborted) throw new Error('aborted before connecting');
    await client.connect();
  } catch (error) {
    client.close();
    if (options.signal?.aborted) throw new MailError('TEMPORARY', `Cancelled while connecting to ${endpoint.host}:${endpoint.port}`, { cause: error });
    throw imapMailError(error, context);
  } finally {
    options.signal?.removeEventListener('abort', abort);
  }
  return {
    client,
    takeCommandError() {
      const error = commandError;
      commandError = null;
      return error;
    },
    connectionError: () => connectionError,
  };
}
