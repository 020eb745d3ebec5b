import type { EwsConnection, MailboxCredentials, MailboxWork, OutgoingEmail, WireEndpoint } from '../hub-types.js';
import type { Log } from '../logger.js';
import type { EwsAccount, EwsCredentials, EwsServices, EwsServicesOptions } from '../mail/ews/ews-service.js';
import type { EwsFolderCache, EwsFolderCacheOptions } from '../mail/ews/ews-folder-cache.js';
import type { EwsFolderConfig, EwsSource } from '../mail/ews/ews-source.js';
import { checkImap } from '../mail/imap/imap-check.js';
import { ImapSource } from '../mail/imap/imap-source.js';
import { watchInbox } from '../mail/imap/imap-watch.js';
import type { MailSender } from '../mail/mail-sender.js';
import { MailError } from '../mail/mail-error.js';
import type { CalendarSource, ChannelCheck, ContactSource, Credentials, Endpoint, MailSource, SentFolder, TaskSource } from '../mail/mail-source.js';
import { checkPop3 } from '../mail/pop3/pop3-check.js';
import { Pop3Source } from '../mail/pop3/pop3-source.js';
import { SmtpSenders } from '../mail/smtp/smtp-senders.js';
import type { MailConnectors } from './connectors.js';
import type * as EwsAdapters from './ews-adapters.js';

let ewsAdapters: typeof EwsAdapters | null = null;
/** The EWS adapters, loaded when the first Exchange mailbox needs them (see ews-adapters.ts). */
const ews = (): typeof EwsAdapters => (ewsAdapters ??= require('./ews-adapters.js') as typeof EwsAdapters);
import type { OpenPush } from './mailbox-watcher.js';

// 1,000 watched mailboxes and as many polled ones; a real mailbox has tens to hundreds of folders (about 0.45 KB each
// kept, measured), so the folder bound, not the mailbox bound, caps the memory at about 43 MB. A mailbox not synced here for
// half an hour has most likely moved to another engine.
const FOLDER_CACHE: EwsFolderCacheOptions = { maxMailboxes: 2_000, maxFolders: 100_000, maxIdleMs: 30 * 60_000 };

/**
 * The real protocol adapters: IMAP (imapflow), POP3 (node-pop3), SMTP (nodemailer, pooled per server and user),
 * and Exchange over EWS (ews-javascript-api; one call limit per server and account, Autodiscover results kept).
 */
export class RealMailConnectors implements MailConnectors {
  private readonly senders: SmtpSenders;
  private ewsServices: EwsServices | null = null;
  private ewsFolders: EwsFolderCache | null = null;

  constructor(
    private readonly log: Log,
    private readonly ewsOptions: Omit<EwsServicesOptions, 'logger'> = {},
  ) {
    this.senders = new SmtpSenders({ logger: log });
  }

  /** One EwsServices per engine (call limits, Autodiscover results), made with the first Exchange mailbox. */
  private get ews(): EwsServices {
    return (this.ewsServices ??= new (ews().EwsServices)({ ...this.ewsOptions, logger: this.log }));
  }

  /** The resolved Exchange folders kept between syncs (ews-folder-cache.ts), made with the first Exchange mailbox. */
  private get folderCache(): EwsFolderCache {
    return (this.ewsFolders ??= new (ews().EwsFolderCache)(FOLDER_CACHE));
  }

  forget(mailboxId: string): void {
    this.ewsFolders?.forget(mailboxId);
  }

  readonly push: OpenPush = async (work, handlers) => {
    if (work.kind === 'EXCHANGE_EWS') {
      // The source only resolves the folders and holds the session: the watch subscribes to what a sync reads.
      const source = this.ewsSource(work);
      await source.open();
      const { watch, missed } = await source.watch(work.cursor, handlers);
      return { connection: watch, missed };
    }
    if (work.kind === 'POP3_SMTP') throw new MailError('PROTOCOL', 'POP3 has no push: the mailbox is polled');
    const { watch, missed } = await watchInbox(endpointOf(incomingOf(work)), credentialsOf(work.credentials, work.address), work.cursor, handlers, this.log);
    return { connection: watch, missed };
  };

  incoming(work: MailboxWork): MailSource {
    if (work.kind === 'EXCHANGE_EWS') return this.ewsSource(work);
    const endpoint = endpointOf(incomingOf(work));
    const credentials = credentialsOf(work.credentials, work.address);
    if (work.kind === 'POP3_SMTP') return new Pop3Source({ endpoint, credentials, logger: this.log });
    return new ImapSource({ endpoint, credentials, folders: { inbox: true, sent: work.sentFolder, tracked: work.trackedFolders }, logger: this.log });
  }

  /** Inbox, Sent and tracked folders; changes in the Calendar, Tasks and Contacts also wake it when the mailbox syncs them. */
  private ewsSource(work: MailboxWork): EwsSource {
    const account = ewsAccount(work.ews, work.credentials, work.address);
    return new (ews().EwsSource)({ services: this.ews, account, folders: ewsFolders(work), watchActFolders: work.actEnabled, folderCache: this.folderCache.slot(work.mailboxId, account), logger: this.log });
  }

  calendar(work: MailboxWork): CalendarSource | null {
    if (work.kind !== 'EXCHANGE_EWS' || !work.actEnabled) return null;
    return new (ews().EwsCalendarSource)(this.ews, ewsAccount(work.ews, work.credentials, work.address), { window: { pastMonths: work.pastExpansionWindowMonths, futureMonths: work.futureExpansionWindowMonths }, timeZone: work.timeZone });
  }

  timeZone(work: MailboxWork): { read(signal?: AbortSignal): Promise<{ zone: string | null; problem: string | null }> } | null {
    if (work.kind !== 'EXCHANGE_EWS' || !work.actEnabled) return null;
    const account = ewsAccount(work.ews, work.credentials, work.address);
    return { read: async (signal) => ews().readMailboxTimeZone(await this.ews.session(account, 'incoming', signal), signal) };
  }

  tasks(work: MailboxWork): TaskSource | null {
    if (work.kind !== 'EXCHANGE_EWS' || !work.actEnabled) return null;
    return new (ews().EwsTaskSource)(this.ews, ewsAccount(work.ews, work.credentials, work.address));
  }

  contacts(work: MailboxWork): ContactSource | null {
    if (work.kind !== 'EXCHANGE_EWS' || !work.actEnabled) return null;
    return new (ews().EwsContactSource)(this.ews, ewsAccount(work.ews, work.credentials, work.address));
  }

  async checkIncoming(work: MailboxWork, signal?: AbortSignal): Promise<ChannelCheck> {
    if (work.kind === 'EXCHANGE_EWS') {
      const account = ewsAccount(work.ews, work.credentials, work.address);
      return ews().checkEwsIncoming(this.ews, account, ewsFolders(work), { logger: this.log, signal });
    }
    const endpoint = endpointOf(incomingOf(work));
    const credentials = credentialsOf(work.credentials, work.address);
    if (work.kind === 'POP3_SMTP') return checkPop3(endpoint, credentials, { logger: this.log, signal });
    return checkImap(endpoint, credentials, { sent: work.sentFolder, tracked: work.trackedFolders }, { logger: this.log, signal });
  }

  sender(transport: OutgoingEmail['transport'], mailbox: string): MailSender {
    if (transport.kind === 'EXCHANGE_EWS') return new (ews().EwsSender)({ services: this.ews, account: ewsAccount(transport.ews, transport.credentials, mailbox), logger: this.log });
    if (!transport.smtp) throw new MailError('PROTOCOL', `the ${transport.kind} server profile has no outgoing (SMTP) server`);
    return this.senders.forEndpoint(endpointOf(transport.smtp), smtpSignIn(transport.credentials));
  }

  async checkOutgoing(work: MailboxWork, signal?: AbortSignal): Promise<ChannelCheck> {
    if (work.kind === 'EXCHANGE_EWS') return new (ews().EwsSender)({ services: this.ews, account: ewsAccount(work.ews, work.credentials, work.address), logger: this.log }).check(signal);
    if (!work.outgoing) throw new Error('the server profile has no outgoing (SMTP) server');
    return this.senders.forEndpoint(endpointOf(work.outgoing), smtpSignIn(work.credentials)).check();
  }

  async checkAct(work: MailboxWork, signal?: AbortSignal): Promise<ChannelCheck> {
    if (work.kind !== 'EXCHANGE_EWS') return { ok: false, code: 'PROTOCOL', reason: 'Appointments, contacts and tasks sync needs an Exchange (EWS) server profile' };
    return ews().checkEwsAct(this.ews, ewsAccount(work.ews, work.credentials, work.address), { signal });
  }

  sentFolder(transport: OutgoingEmail['transport']): (MailSource & SentFolder) | null {
    // Exchange files the Sent copy itself (SendAndSaveCopy); POP3 has no folders.
    if (transport.kind !== 'IMAP_SMTP' || !transport.imap || transport.credentials.status !== 'PRESENT') return null;
    return new ImapSource({
      endpoint: endpointOf(transport.imap),
      credentials: credentialsOf(transport.credentials, transport.credentials.username),
      folders: { inbox: true, sent: transport.sentFolder, tracked: [] },
      logger: this.log,
    });
  }

  async closeAll(): Promise<void> {
    this.senders.closeAll();
  }
}

function endpointOf(wire: WireEndpoint): Endpoint {
  return { host: wire.host, port: wire.port, tls: wire.tls, allowInvalidCertificates: wire.allowInvalidCertificates };
}

/** wire-answers.ts guarantees an IMAP/POP3 claim has its endpoint; this keeps the type honest. */
function incomingOf(work: MailboxWork): WireEndpoint {
  if (!work.incoming) throw new MailError('PROTOCOL', `the ${work.kind} server profile has no incoming server`);
  return work.incoming;
}

/** Absent credentials mean nothing to sign in with: an AUTH_FAILED the admin can act on, not a crash. */
function credentialsOf(wire: MailboxCredentials, address: string): Credentials {
  const present = presentCredentials(wire, address);
  switch (present.method) {
    case 'OAUTH_BEARER':
      return { method: 'OAUTH_BEARER', username: present.username, accessToken: present.secret };
    case 'PASSWORD':
      return { method: 'PASSWORD', username: present.username, password: present.secret };
    case 'NTLM':
      throw new MailError('AUTH_FAILED', `NTLM sign-in is for Exchange (EWS) profiles only: choose a password or OAuth for ${address}`);
  }
}

function presentCredentials(wire: MailboxCredentials, address: string): Extract<MailboxCredentials, { status: 'PRESENT' }> {
  switch (wire.status) {
    case 'NONE':
      throw new MailError('AUTH_FAILED', `no credentials are set for ${address}: set them on the mailbox (or on its profile)`);
    case 'UNREADABLE':
      throw new MailError('AUTH_FAILED', `the stored credentials for ${address} cannot be decrypted: set them again on the mailbox (or on its profile)`);
    case 'PRESENT':
      return wire;
  }
}

/** The mailbox as the EWS adapters see it; wire-answers.ts guarantees an EXCHANGE_EWS claim has its connection. */
function ewsAccount(connection: EwsConnection | null, wire: MailboxCredentials, address: string): EwsAccount {
  if (!connection) throw new MailError('PROTOCOL', `the Exchange server profile of ${address} has no EWS connection`);
  const present = presentCredentials(wire, address);
  const credentials: EwsCredentials = present.method === 'OAUTH_BEARER' ? { method: 'OAUTH_BEARER', username: present.username, accessToken: present.secret } : { method: present.method, username: present.username, password: present.secret };
  return { address, connection, credentials };
}

/** SMTP may run without sign-in (a relay that trusts the network), so absent credentials send without AUTH. */
function smtpSignIn(wire: MailboxCredentials): Credentials | null {
  switch (wire.status) {
    case 'NONE':
    case 'UNREADABLE': // as before the status existed: the alert log already says so, and a server that needs AUTH refuses
      return null;
    case 'PRESENT':
      return credentialsOf(wire, wire.username);
  }
}

/** The folders an Exchange mailbox reads besides Inbox: the profile's Sent folder and the tracking rules' folders, with their ids. */
function ewsFolders(work: MailboxWork): EwsFolderConfig {
  return { sent: work.sentFolder, tracked: work.trackedFolders.map((path, i) => ({ path, folderId: work.trackedFolderIds[i] ?? null })) };
}
