import type { Log } from '../../logger.js';
import { MailError } from '../mail-error.js';
import type { ChannelCheck, Credentials, Endpoint } from '../mail-source.js';
import type { ImapTimeouts } from './imap-connect.js';
import { ImapSource, type ImapFolderConfig } from './imap-source.js';

/**
 * Test & Enable's incoming check over IMAP: connect, log in, open INBOX, the Sent folder and every tracked folder.
 * Never throws: a failure comes back as its code and a sentence a person can act on.
 */
export async function checkImap(
  endpoint: Endpoint,
  credentials: Credentials,
  folders: Omit<ImapFolderConfig, 'inbox'>,
  options: { logger?: Log; timeouts?: ImapTimeouts; signal?: AbortSignal } = {},
): Promise<ChannelCheck> {
  const source = new ImapSource({ endpoint, credentials, folders: { inbox: true, ...folders }, logger: options.logger, timeouts: options.timeouts });
  try {
    await source.open(options.signal);
    await source.verifyFolders(options.signal);
    const read = source.folders.map((folder) => folder.path).join(', ');
    const sent = source.sentFolder ? '' : ' No Sent folder was found, so mail sent from other clients is not tracked.';
    const push = source.capabilities.idle ? '' : ' The server has no IDLE: new mail is noticed at the poll interval.';
    return { ok: true, detail: `Signed in to ${endpoint.host} as ${credentials.username} and opened ${read}.${sent}${push}`, folders: source.serverFolders };
  } catch (error) {
    const mailError = error instanceof MailError ? error : new MailError('TEMPORARY', String(error), { cause: error });
    return { ok: false, code: mailError.code, reason: mailError.message };
  } finally {
    await source.close();
  }
}
