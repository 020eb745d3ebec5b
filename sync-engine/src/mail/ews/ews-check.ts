import { FolderId, WellKnownFolderName } from 'ews-javascript-api';
import type { Log } from '../../logger.js';
import type { ChannelCheck } from '../mail-source.js';
import { openFolder } from './ews-operations.js';
import { failedCheck } from './ews-sender.js';
import type { EwsAccount, EwsServices } from './ews-service.js';
import { EwsSource, type EwsFolderConfig } from './ews-source.js';

/**
 * Test & Enable's incoming check over EWS: sign in (Autodiscover first when there is no URL), open Inbox, the Sent
 * folder and every tracked folder, list the mail folders. Never throws.
 */
export async function checkEwsIncoming(services: EwsServices, account: EwsAccount, folders: EwsFolderConfig, options: { logger?: Log; signal?: AbortSignal } = {}): Promise<ChannelCheck> {
  const source = new EwsSource({ services, account, folders, logger: options.logger });
  try {
    await source.open(options.signal);
    const session = await services.session(account, 'incoming', options.signal);
    for (const folder of source.folders) await openFolder(session, new FolderId(folder.id), folder.path, options.signal);
    if (source.missingFolders.length > 0) {
      const names = source.missingFolders.map((path) => `'${path}'`).join(', ');
      return { ok: false, code: 'FOLDER_MISSING', reason: `Folder ${names} does not exist in the Exchange mailbox ${mailboxOf(account)}: check the folder tracking rules` };
    }
    const { server, username, impersonating } = session.context;
    const as = impersonating ? ` acting as ${impersonating}` : '';
    return { ok: true, detail: `Signed in to Exchange ${server} as ${username}${as} and opened ${source.folders.map((folder) => folder.path).join(', ')}.`, folders: source.serverFolders };
  } catch (error) {
    return failedCheck(error);
  } finally {
    await source.close();
  }
}

/** The "Appointments, Contacts, and Tasks" channel: the Calendar, Contacts and Tasks folders open with the mailbox's rights. */
export async function checkEwsAct(services: EwsServices, account: EwsAccount, options: { signal?: AbortSignal } = {}): Promise<ChannelCheck> {
  try {
    const session = await services.session(account, 'incoming', options.signal);
    await openFolder(session, WellKnownFolderName.Calendar, 'Calendar', options.signal);
    await openFolder(session, WellKnownFolderName.Contacts, 'Contacts', options.signal);
    await openFolder(session, WellKnownFolderName.Tasks, 'Tasks', options.signal);
    return { ok: true, detail: `Opened Calendar, Contacts and Tasks of ${mailboxOf(account)} on Exchange ${session.context.server}.` };
  } catch (error) {
    return failedCheck(error);
  }
}

const mailboxOf = (account: EwsAccount) => account.connection.impersonateAddress ?? account.address;
