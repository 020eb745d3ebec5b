import type { Log } from '../../logger.js';
import { MailError } from '../mail-error.js';
import type { Credentials, Endpoint } from '../mail-source.js';
import { openImapSession } from './imap-connect.js';
import { parseImapCursor } from './imap-cursor.js';
import { imapMailError } from './imap-errors.js';

/** A held push connection; `close` ends it without calling `onClosed`. */
export interface InboxWatch {
  close(): void;
}

export interface InboxWatchHandlers {
  /** The server reported new mail (RFC 2177: an untagged EXISTS while idling). */
  onNewMail(): void;
  /** The connection ended on its own (server timeout, restart, network); the caller reconnects. */
  onClosed(reason: string): void;
}

/**
 * Logs in, selects INBOX read-only and stays in IDLE until closed: the whole push connection of one watched mailbox.
 * imapflow restarts IDLE itself every 4 minutes (RFC 2177: at least every 29), which also keeps the socket alive.
 * Resolves once IDLE is entered, with whether INBOX holds mail past `cursor` (arrived while nobody listened);
 * throws MailError when it cannot connect.
 */
export async function watchInbox(endpoint: Endpoint, credentials: Credentials, cursor: string | null, handlers: InboxWatchHandlers, log?: Log): Promise<{ watch: InboxWatch; missed: boolean }> {
  const session = await openImapSession(endpoint, credentials, { logger: log, compress: false });
  const { client } = session;
  let closedByUs = false;
  let missed: boolean;
  try {
    const inbox = await client.mailboxOpen('INBOX', { readOnly: true });
    missed = hasMailPast(cursor, Number(inbox.uidValidity), inbox.uidNext);
  } catch (error) {
    client.close();
    throw error instanceof MailError ? error : imapMailError(error, { host: endpoint.host, port: endpoint.port, username: credentials.username });
  }
  client.on('exists', (event: { count: number; prevCount: number }) => {
    if (event.count > event.prevCount) handlers.onNewMail();
  });
  client.on('close', () => {
    if (!closedByUs) handlers.onClosed(describe(session.connectionError()) ?? 'the server closed the connection');
  });
  // idle() settles only when IDLE ends for good (a command, or the connection closing, which 'close' reports).
  client.idle().catch(() => undefined);
  return {
    missed,
    watch: {
      close() {
        closedByUs = true;
        client.close();
      },
    },
  };
}

/** INBOX has mail the last sync did not read: a new UIDVALIDITY, or UIDNEXT past the last UID read. Unknown (never synced): no. */
export function hasMailPast(cursor: string | null, uidValidity: number, uidNext: number): boolean {
  let position;
  try {
    position = parseImapCursor(cursor).folders['INBOX'];
  } catch {
    return true; // an unreadable position is the sync's business; one sync more costs little
  }
  if (!position) return false;
  return position.uidValidity !== uidValidity || uidNext > position.lastUid + 1;
}

const describe = (error: unknown): string | null => (error instanceof Error ? error.message : error ? String(error) : null);
