import { errorCodes, networkMailError } from '../connection-errors.js';
import { MailError } from '../mail-error.js';

export interface ImapErrorContext {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  /** The folder the failed command was about, if any. */
  readonly folder?: string;
}

/** The fields imapflow puts on its errors (ImapFlowError), read defensively. */
interface ImapFlowErrorFields {
  authenticationFailed?: boolean;
  tlsFailed?: boolean;
  mailboxMissing?: boolean;
  serverResponseCode?: string;
  responseText?: string;
  responseStatus?: string;
  response?: unknown;
  reason?: string;
  code?: string;
}

const PROTOCOL_CODES = new Set(['InvalidResponse', 'UnexpectedTag', 'ResponseProcessingFailed', 'LineTooLarge', 'LiteralTooLarge', 'ResponseTooLarge', 'MAX_IMAP_NESTING_REACHED']);

/** Translates anything imapflow (or the socket under it) throws into a MailError with a reason a person can act on. */
export function imapMailError(error: unknown, context: ImapErrorContext): MailError {
  if (error instanceof MailError) return error;
  const fields = (typeof error === 'object' && error !== null ? error : {}) as ImapFlowErrorFields;
  const serverText = serverResponseOf(fields);
  const where = `${context.host}:${context.port}`;

  if (fields.authenticationFailed || fields.serverResponseCode === 'AUTHENTICATIONFAILED' || fields.serverResponseCode === 'AUTHORIZATIONFAILED') {
    return new MailError('AUTH_FAILED', `The server rejected the user name or password for ${context.username}`, { cause: error, serverResponse: serverText });
  }
  if (fields.tlsFailed) {
    const network = networkMailError(error, { host: context.host, port: context.port, channel: 'incoming' });
    if (network?.code === 'TLS') return network;
    return new MailError('TLS', `TLS with ${where} failed: ${errorMessage(error)}; check the TLS mode (implicit TLS, STARTTLS or none)`, { cause: error });
  }
  const network = networkMailError(error, { host: context.host, port: context.port, channel: 'incoming' });
  if (network) return network;
  // RFC 5530: NONEXISTENT names a missing mailbox; TRYCREATE (RFC 3501 7.1) says the same for APPEND/COPY targets.
  if (fields.mailboxMissing || fields.serverResponseCode === 'NONEXISTENT' || fields.serverResponseCode === 'TRYCREATE') {
    const folder = context.folder ?? 'the folder';
    return new MailError('FOLDER_MISSING', `Folder '${folder}' does not exist on ${context.host}: check the folder name`, { cause: error, serverResponse: serverText });
  }
  const codes = errorCodes(error);
  if (codes.some((code) => code.startsWith('ParserError') || PROTOCOL_CODES.has(code))) {
    return new MailError('PROTOCOL', `The IMAP server ${where} sent a response that cannot be read (${errorMessage(error)})`, { cause: error, serverResponse: serverText });
  }
  if (codes.includes('NoConnection') || codes.includes('EConnectionClosed') || codes.includes('ClosedAfterConnectText') || codes.includes('ClosedAfterConnectTLS')) {
    const bye = fields.reason ? `: ${fields.reason}` : '';
    return new MailError('TEMPORARY', `The IMAP connection to ${where} was closed${bye}`, { cause: error, serverResponse: fields.reason });
  }
  if (codes.includes('ETHROTTLE')) {
    return new MailError('TEMPORARY', `The IMAP server ${where} asks to slow down`, { cause: error, serverResponse: serverText });
  }
  const about = context.folder ? ` (folder '${context.folder}')` : '';
  const said = serverText ? `: ${serverText}` : `: ${errorMessage(error)}`;
  return new MailError('TEMPORARY', `The IMAP server ${where} failed a command${about}${said}`, { cause: error, serverResponse: serverText });
}

function serverResponseOf(fields: ImapFlowErrorFields): string | undefined {
  if (typeof fields.responseText === 'string' && fields.responseText) return fields.responseText;
  if (typeof fields.response === 'string' && fields.response) return fields.response;
  return undefined;
}

const errorMessage = (error: unknown) => (error instanceof Error ? error.message : String(error));
