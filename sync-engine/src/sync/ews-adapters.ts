// Everything the engine needs for Exchange (EWS), in one module that mail-connectors.ts loads on first use:
// ews-javascript-api alone adds about 50 MB to the resident size of an engine that only reads IMAP or POP3.
export { EwsCalendarSource } from '../mail/ews/ews-calendar.js';
export { EwsTaskSource } from '../mail/ews/ews-tasks.js';
export { EwsContactSource } from '../mail/ews/ews-contacts.js';
export { checkEwsAct, checkEwsIncoming } from '../mail/ews/ews-check.js';
export { readMailboxTimeZone } from '../mail/ews/ews-mailbox-zone.js';
export { EwsSender } from '../mail/ews/ews-sender.js';
export { EwsFolderCache } from '../mail/ews/ews-folder-cache.js';
export { EwsServices } from '../mail/ews/ews-service.js';
export { EwsSource } from '../mail/ews/ews-source.js';
