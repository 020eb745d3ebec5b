import { errorCodes, networkMailError } from '../connection-errors.js';
import { MailError } from '../mail-error.js';

export interface SmtpErrorContext {
  readonly host: string;
  readonly port: number;
  /** Null when the profile sends without signing in. */
  readonly username: string | null;
}

/** The fields nodemailer puts on its errors (NodemailerError). */
interface NodemailerErrorFields {
  code?: string;
  response?: string;
  responseCode?: number;
  command?: string;
}

/**
 * Translates nodemailer errors into MailError. A server reply is kept in `serverResponse`: with it, a TEMPORARY
 * error is a definite "not accepted" (4xx); without it (a dropped connection) the message may have been delivered.
 */
export function smtpMailError(error: unknown, context: SmtpErrorContext): MailError {
  if (error instanceof MailError) return error;
  const fields = (typeof error === 'object' && error !== null ? error : {}) as NodemailerErrorFields;
  const where = `${context.host}:${context.port}`;
  const reply = typeof fields.response === 'string' && fields.response ? fields.response : undefined;
  const code = typeof fields.responseCode === 'number' ? fields.responseCode : undefined;
  const who = context.username ?? 'this account';
  // RFC 4954 6: 530 "authentication required", 534/535 "credentials invalid / mechanism too weak".
  if (fields.code === 'EAUTH' || fields.code === 'ENOAUTH' || code === 530 || code === 534 || code === 535) {
    const missing = fields.code === 'ENOAUTH' || code === 530;
    const reason = missing ? `The server ${where} requires signing in: set a user name and password for sending` : `The server rejected the user name or password for ${who}`;
    return new MailError('AUTH_FAILED', reason, { cause: error, serverResponse: reply });
  }
  // STARTTLS refused or failed: nodemailer keeps the server's reply (e.g. 502 "command not recognized").
  if (fields.code === 'ETLS' || fields.code === 'EREQUIRETLS') {
    const detail = reply ? `the server answered "${reply}" to STARTTLS` : errorMessage(error);
    return new MailError('TLS', `TLS with ${where} failed: ${detail}; check the TLS mode (implicit TLS, STARTTLS or none) and the port`, { cause: error, serverResponse: reply });
  }
  if (fields.code === 'EABORT') return new MailError('TEMPORARY', 'Cancelled: sending was stopped on request', { cause: error });
  if (code !== undefined) {
    // RFC 5321 4.2.1: 5yz is a permanent refusal, 4yz a transient one. 503 (bad sequence) is a session state
    // problem, not a verdict on the message: nodemailer itself treats it as retryable.
    if (code >= 500 && code !== 503) {
      return new MailError('REJECTED', `The server ${where} refused the message: ${reply ?? code}`, { cause: error, serverResponse: reply ?? String(code) });
    }
    if (code >= 400) {
      return new MailError('TEMPORARY', `The server ${where} deferred the message: ${reply ?? code}`, { cause: error, serverResponse: reply ?? String(code) });
    }
  }
  const network = networkMailError(error, { host: context.host, port: context.port, channel: 'outgoing' });
  if (network) return network;
  const codes = errorCodes(error);
  if (codes.includes('EENVELOPE')) {
    return new MailError('REJECTED', `The message cannot be sent: ${errorMessage(error)}`, { cause: error, serverResponse: reply });
  }
  if (codes.includes('EPROTOCOL')) {
    return new MailError('PROTOCOL', `The SMTP server ${where} sent a response that cannot be read`, { cause: error, serverResponse: reply });
  }
  // ECONNECTION, ESOCKET and the rest: the connection broke; no reply, so delivery is unknown.
  return new MailError('TEMPORARY', `The connection to the SMTP server ${where} failed: ${errorMessage(error)}`, { cause: error });
}

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));
