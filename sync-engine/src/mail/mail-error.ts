/**
 * Why talking to a mail server failed, independent of the protocol library. Adapters translate
 * library errors into these; one policy (sync/failure-policy.ts) decides retry, back-off or stop.
 */
export type MailErrorCode =
  | 'DNS' // the host name does not resolve
  | 'REFUSED' // nothing listens on host:port
  | 'TIMEOUT' // connect or command timed out
  | 'TLS' // handshake failed or the certificate does not verify
  | 'AUTH_FAILED' // the server rejected the credentials: retrying will not help until they change
  | 'FOLDER_MISSING' // a folder the configuration names does not exist
  | 'CURSOR_INVALID' // the stored position no longer applies (UIDVALIDITY changed, cursor unreadable)
  | 'INVALID_MESSAGE' // one message cannot be read; quarantine it, never stop the mailbox
  | 'REJECTED' // SMTP: the server refused the message or a recipient permanently (5xx)
  | 'TEMPORARY' // anything transient: connection dropped, 4xx, server busy
  | 'PROTOCOL'; // the server said something we do not understand

export class MailError extends Error {
  constructor(
    readonly code: MailErrorCode,
    message: string,
    options?: { cause?: unknown; serverResponse?: string },
  ) {
    super(message, options);
    this.name = 'MailError';
    this.serverResponse = options?.serverResponse;
  }

  /** The server's own words, when it gave any (SMTP reply, IMAP tagged response). */
  readonly serverResponse: string | undefined;
}

/** Transient failures are retried with back-off; the rest need a person (or a new cursor). */
export const isTransient = (code: MailErrorCode): boolean => code === 'TEMPORARY' || code === 'TIMEOUT' || code === 'REFUSED' || code === 'DNS';
