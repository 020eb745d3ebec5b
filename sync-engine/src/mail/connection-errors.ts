import { MailError } from './mail-error.js';

/** Which server a failure concerns, for reasons a person can act on. */
export interface ConnectionContext {
  readonly host: string;
  readonly port: number;
  /** Which profile field to check: the incoming (IMAP/POP3) or the outgoing (SMTP) server. */
  readonly channel: 'incoming' | 'outgoing';
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NONAME', 'EAI_NODATA']);
const REFUSED_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const TIMEOUT_CODES = new Set(['ETIMEDOUT', 'ETIMEOUT', 'ESOCKETTIMEDOUT', 'CONNECT_TIMEOUT', 'GREETING_TIMEOUT', 'UPGRADE_TIMEOUT']);
const DROPPED_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_DESTROYED']);
const CERTIFICATE_REASONS: Record<string, string> = {
  CERT_HAS_EXPIRED: 'its certificate has expired',
  CERT_NOT_YET_VALID: 'its certificate is not valid yet',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate chain ends in a self-signed certificate',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate cannot be verified',
  UNABLE_TO_GET_ISSUER_CERT: 'the issuer of its certificate is unknown',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'the issuer of its certificate is unknown',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is for another host name',
  HOSTNAME_MISMATCH: 'its certificate is for another host name',
  CERT_REVOKED: 'its certificate was revoked',
  CERT_UNTRUSTED: 'its certificate is not trusted',
};

interface ErrorLike {
  code?: unknown;
  originalCode?: unknown;
  message?: unknown;
  cause?: unknown;
  _err?: unknown;
}

/** Every code along the error's cause chain (libraries wrap socket errors: nodemailer ESOCKET → originalCode). */
export function errorCodes(error: unknown): string[] {
  const codes: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current && typeof current === 'object' && !seen.has(current)) {
    seen.add(current);
    const { code, originalCode } = current as ErrorLike;
    if (typeof code === 'string') codes.push(code);
    if (typeof originalCode === 'string') codes.push(originalCode);
    current = (current as ErrorLike).cause ?? (current as ErrorLike)._err;
  }
  return codes;
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/**
 * Translates a socket, DNS or TLS failure into a MailError with a sentence for the admin; null when the error is
 * not one of those (the protocol adapter then decides).
 */
export function networkMailError(error: unknown, context: ConnectionContext): MailError | null {
  const codes = errorCodes(error);
  const where = `${context.host}:${context.port}`;
  const has = (set: Set<string>) => codes.some((code) => set.has(code));
  if (has(DNS_CODES)) {
    return new MailError('DNS', `Cannot resolve ${context.host}: check the ${context.channel} server name`, { cause: error });
  }
  if (codes.includes('ECONNREFUSED')) {
    return new MailError('REFUSED', `Connection refused on ${where}: check the ${context.channel} port and that the server is running`, { cause: error });
  }
  if (has(REFUSED_CODES)) {
    return new MailError('REFUSED', `Cannot reach ${where}: check the ${context.channel} server name and port`, { cause: error });
  }
  const tlsReason = tlsProblem(codes, messageOf(error));
  if (tlsReason) {
    return new MailError('TLS', `TLS with ${where} failed: ${tlsReason}`, { cause: error });
  }
  if (has(TIMEOUT_CODES)) {
    return new MailError('TIMEOUT', `No answer from ${where} in time: check the ${context.channel} server name, port and TLS mode, or try again later`, { cause: error });
  }
  if (has(DROPPED_CODES)) {
    return new MailError('TEMPORARY', `The connection to ${where} was dropped (${codes.find((code) => DROPPED_CODES.has(code))})`, { cause: error });
  }
  return null;
}

function tlsProblem(codes: string[], message: string): string | null {
  for (const code of codes) {
    const reason = CERTIFICATE_REASONS[code];
    if (reason) return `${reason}; fix the certificate, or allow invalid certificates for a test server`;
  }
  // A TLS client talking to a plaintext port (or the reverse) gets garbage back instead of a handshake.
  if (codes.some((code) => code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO') || /wrong version number|packet length too long/i.test(message)) {
    return 'the server does not speak TLS on this port; check the TLS mode (implicit TLS, STARTTLS or none) and the port';
  }
  if (codes.some((code) => code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_') || code === 'ETLS')) {
    return `${message}; check the TLS mode and the server's certificate`;
  }
  return null;
}
