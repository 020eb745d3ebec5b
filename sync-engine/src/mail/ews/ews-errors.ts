import { errorCodes, networkMailError } from '../connection-errors.js';
import { MailError } from '../mail-error.js';

/**
 * What is known about one failed EWS call, gathered from the library's error and the HTTP exchange under it
 * (ews-transport.ts records that, since ews-javascript-api reports some failures only as plain objects).
 */
export interface EwsFailure {
  /** The EWS ResponseCode (Messages.xsd ResponseCodeType), e.g. "ErrorAccessDenied"; from a response message or a SOAP fault. */
  readonly responseCode?: string;
  /** The server's MessageText or SOAP faultstring, when it gave one. */
  readonly serverText?: string;
  /** The HTTP status of the response; undefined when none arrived (network failure). */
  readonly httpStatus?: number;
  /** ErrorServerBusy's MessageXml BackOffMilliseconds: how long the server asks us to wait. */
  readonly backOffMs?: number;
  /** The socket, DNS or TLS error under the call, when the request never got an answer. */
  readonly networkError?: unknown;
  /** The NTLM handshake found no NTLM challenge in the server's 401 (www-authenticate). */
  readonly ntlmNotOffered?: boolean;
}

/** Whom a failure concerns, for sentences a person can act on. */
export interface EwsErrorContext {
  /** The EWS endpoint (host[:port]). */
  readonly server: string;
  readonly port: number;
  /** The account that signs in. */
  readonly username: string;
  /** The mailbox acted on through impersonation (ExchangeImpersonation), when it is another than `username`. */
  readonly impersonating?: string;
  /** The folder the call was about, if any. */
  readonly folder?: string;
  readonly channel: 'incoming' | 'outgoing';
}

// Codes whose meaning is "later": Exchange's throttling and store fail-overs (EWS ResponseCodeType documentation).
const TEMPORARY_CODES = new Set([
  'ErrorServerBusy',
  'ErrorMailboxStoreUnavailable',
  'ErrorMailboxMoveInProgress',
  'ErrorConnectionFailed',
  'ErrorInternalServerTransientError',
  'ErrorTimeoutExpired',
  'ErrorBatchProcessingStopped',
  'ErrorExceededConnectionCount',
  'ErrorTooManyObjectsOpened',
  'ErrorInsufficientResources',
]);
const AUTH_CODES = new Set(['ErrorAccessDenied', 'ErrorImpersonateUserDenied', 'ErrorImpersonationDenied', 'ErrorNonExistentMailbox', 'ErrorInvalidImpersonationHeader', 'ErrorAccountDisabled', 'ErrorInvalidSmtpAddress', 'ErrorNotDelegate']);
// Sending: the message or a recipient is refused for good (CreateItem response codes).
const REJECTED_CODES = new Set(['ErrorInvalidRecipients', 'ErrorMessageSizeExceeded', 'ErrorSendAsDenied', 'ErrorMimeContentConversionFailed', 'ErrorMimeContentInvalid', 'ErrorMimeContentInvalidBase64String', 'ErrorInvalidSendItemSaveSettings', 'ErrorMessageSubmissionBlocked']);
const FOLDER_CODES = new Set(['ErrorFolderNotFound', 'ErrorInvalidIdMalformed', 'ErrorInvalidFolderId']);
const VERSION_CODES = new Set(['ErrorInvalidServerVersion', 'ErrorInvalidRequest', 'ErrorSchemaValidation', 'ErrorIncorrectSchemaVersion']);

/** The longest server text kept in a reason: it reaches the hub, the admin's alert and logs. */
const MAX_SERVER_TEXT = 300;

/** Translates one failed EWS call into a MailError with a reason a person can act on. Never includes a secret. */
export function ewsMailError(failure: EwsFailure, context: EwsErrorContext): MailError {
  const said = clip(failure.serverText);
  const where = context.server;
  const who = context.impersonating ? `${context.username} acting as ${context.impersonating}` : context.username;
  const serverResponse = failure.responseCode ? (said ? `${failure.responseCode}: ${said}` : failure.responseCode) : said;
  const options = { serverResponse };
  const code = failure.responseCode;

  if (code === 'ErrorImpersonateUserDenied' || code === 'ErrorImpersonationDenied') {
    return new MailError('AUTH_FAILED', `Exchange ${where} does not let ${context.username} act as ${context.impersonating ?? 'this mailbox'}: the service account lacks the ApplicationImpersonation role (New-ManagementRoleAssignment -Role ApplicationImpersonation) or the mailbox is outside its scope`, options);
  }
  if (code === 'ErrorNonExistentMailbox' || code === 'ErrorInvalidSmtpAddress') {
    return new MailError('AUTH_FAILED', `Exchange ${where} has no mailbox ${context.impersonating ?? context.username}: check the mailbox address`, options);
  }
  if (code === 'ErrorAccessDenied' || code === 'ErrorNotDelegate') {
    const what = context.folder ? `folder '${context.folder}'` : 'this mailbox';
    return new MailError('AUTH_FAILED', `Exchange ${where} denies ${who} access to ${what}: grant the account rights on the mailbox (or use impersonation)`, options);
  }
  if (code === 'ErrorAccountDisabled') {
    return new MailError('AUTH_FAILED', `The Exchange account ${context.username} is disabled on ${where}`, options);
  }
  if (code && AUTH_CODES.has(code)) {
    return new MailError('AUTH_FAILED', `Exchange ${where} refused ${who} (${code})`, options);
  }
  if (code && REJECTED_CODES.has(code)) {
    return new MailError('REJECTED', `Exchange ${where} refused the message (${code})${said ? `: ${said}` : ''}`, options);
  }
  if (code === 'ErrorQuotaExceeded') {
    return new MailError('TEMPORARY', `The mailbox ${context.impersonating ?? context.username} is over its quota on ${where} (ErrorQuotaExceeded): free space in it`, options);
  }
  if (code === 'ErrorServerBusy') {
    const wait = failure.backOffMs ? `; it asked to wait ${Math.ceil(failure.backOffMs / 1000)} s` : '';
    return new MailError('TEMPORARY', `Exchange ${where} is throttling ${who} (ErrorServerBusy)${wait}: the mailbox is tried again later`, options);
  }
  if (code === 'ErrorMailboxStoreUnavailable' || code === 'ErrorMailboxMoveInProgress') {
    return new MailError('TEMPORARY', `The mailbox database of ${context.impersonating ?? context.username} is not available on ${where} (${code}): the mailbox is tried again later`, options);
  }
  if (code && TEMPORARY_CODES.has(code)) {
    return new MailError('TEMPORARY', `Exchange ${where} failed a request for a passing reason (${code}): the mailbox is tried again later`, options);
  }
  if (code === 'ErrorInvalidSyncStateData' || code === 'ErrorInvalidSyncStateDataFormat' || code === 'ErrorSyncStateNotFound') {
    return new MailError('CURSOR_INVALID', `Exchange ${where} no longer accepts the stored sync state${context.folder ? ` of folder '${context.folder}'` : ''} (${code})`, options);
  }
  if (code && FOLDER_CODES.has(code)) {
    return new MailError('FOLDER_MISSING', `Folder '${context.folder ?? '?'}' does not exist on ${where}: check the folder name`, options);
  }
  if (code && VERSION_CODES.has(code)) {
    return new MailError('PROTOCOL', `Exchange ${where} rejected the request (${code}): the server may be older than Exchange 2010 SP2, which EWS support needs`, options);
  }
  if (code === 'ErrorItemNotFound') {
    return new MailError('INVALID_MESSAGE', `The item is gone from ${where} (ErrorItemNotFound)`, options);
  }
  if (failure.ntlmNotOffered) {
    return new MailError('AUTH_FAILED', `Exchange ${where} does not offer NTLM sign-in: choose Basic (password) or OAuth on the server profile`, options);
  }
  if (failure.httpStatus === 401) {
    return new MailError('AUTH_FAILED', `Exchange ${where} rejected the credentials of ${context.username} (HTTP 401): check the user name (DOMAIN\\user or user@domain), password or token, and the sign-in method`, options);
  }
  if (failure.httpStatus === 403) {
    return new MailError('AUTH_FAILED', `Exchange ${where} forbids EWS for ${context.username} (HTTP 403): EWS may be turned off for this user or application`, options);
  }
  if (failure.httpStatus === 404) {
    return new MailError('PROTOCOL', `No EWS endpoint at ${where} (HTTP 404): check the EWS URL (it usually ends in /EWS/Exchange.asmx)`, options);
  }
  if (failure.httpStatus === 429 || failure.httpStatus === 503 || failure.httpStatus === 502 || failure.httpStatus === 504) {
    return new MailError('TEMPORARY', `Exchange ${where} is unavailable (HTTP ${failure.httpStatus}): the mailbox is tried again later`, options);
  }
  if (failure.networkError !== undefined) {
    if (isAborted(failure.networkError)) return new MailError('TIMEOUT', `No answer from ${where} in time: the mailbox is tried again later`, { cause: failure.networkError });
    const network = networkMailError(failure.networkError, { host: hostOf(where), port: context.port, channel: context.channel });
    if (network) return network;
    return new MailError('TEMPORARY', `The connection to ${where} failed: ${clip(messageOf(failure.networkError))}`, { cause: failure.networkError });
  }
  if (failure.httpStatus !== undefined && failure.httpStatus >= 500) {
    return new MailError('TEMPORARY', `Exchange ${where} failed a request (HTTP ${failure.httpStatus}${code ? `, ${code}` : ''})${said ? `: ${said}` : ''}`, options);
  }
  if (code) {
    return new MailError('PROTOCOL', `Exchange ${where} answered ${code}${said ? `: ${said}` : ''}`, options);
  }
  if (failure.httpStatus !== undefined && failure.httpStatus !== 200) {
    return new MailError('PROTOCOL', `Exchange ${where} answered HTTP ${failure.httpStatus}: check the EWS URL`, options);
  }
  return new MailError('PROTOCOL', `Exchange ${where} sent an answer that cannot be read${said ? `: ${said}` : ''}`, options);
}

/** Whether the error is a timeout or abort of our own (AbortSignal.timeout; axios' ERR_CANCELED, or ECONNABORTED for its timeout). */
export function isAborted(error: unknown): boolean {
  const codes = errorCodes(error);
  if (codes.includes('ERR_CANCELED') || codes.includes('ETIMEDOUT')) return true;
  if (codes.includes('ECONNABORTED') && /timeout/i.test(messageOf(error))) return true;
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}

/**
 * The ResponseCode, MessageText and BackOffMilliseconds in a SOAP fault or response message body (Messages.xsd:
 * ResponseCode, MessageText, MessageXml/Value[@Name="BackOffMilliseconds"]); read as text because the library
 * drops the MessageXml of faults.
 */
export function soapFaultFacts(body: string): Pick<EwsFailure, 'responseCode' | 'serverText' | 'backOffMs'> {
  const text = body.length > 200_000 ? body.slice(0, 200_000) : body;
  const responseCode = /<(?:\w+:)?ResponseCode(?:\s[^>]*)?>\s*([A-Za-z]+)\s*</.exec(text)?.[1];
  const serverText = /<(?:\w+:)?MessageText(?:\s[^>]*)?>([^<]*)</.exec(text)?.[1] ?? /<(?:\w+:)?faultstring(?:\s[^>]*)?>([^<]*)</.exec(text)?.[1];
  const backOff = /Name="BackOffMilliseconds"[^>]*>\s*(\d{1,9})\s*</.exec(text)?.[1];
  return {
    ...(responseCode ? { responseCode } : {}),
    ...(serverText ? { serverText: decodeXml(serverText).trim() } : {}),
    ...(backOff ? { backOffMs: Number(backOff) } : {}),
  };
}

function decodeXml(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&amp;/g, '&');
}

function clip(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_SERVER_TEXT ? `${oneLine.slice(0, MAX_SERVER_TEXT)}…` : oneLine;
}

const hostOf = (server: string) => server.replace(/:\d+$/, '');
const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
