import type { MailboxCredentials, MailboxWork, OutgoingEmail, WireEndpoint } from '../hub-types.js';
import type { Log } from '../logger.js';
import { checkImap } from '../mail/imap/imap-check.js';
import { ImapSource } from '../mail/imap/imap-source.js';
import type { MailSender } from '../mail/mail-sender.js';
import { MailError } from '../mail/mail-error.js';
import type { ChannelCheck, Credentials, Endpoint, MailSource, SentFolder } from '../mail/mail-source.js';
import { checkPop3 } from '../mail/pop3/pop3-check.js';
import { Pop3Source } from '../mail/pop3/pop3-source.js';
import { SmtpSenders } from '../mail/smtp/smtp-senders.js';
import type { MailConnectors } from './connectors.js';

/** The real protocol adapters: IMAP (imapflow), POP3 (node-pop3), SMTP (nodemailer, pooled per server and user). */
export class RealMailConnectors implements MailConnectors {
  private readonly senders: SmtpSenders;

  constructor(private readonly log: Log) {
    this.senders = new SmtpSenders({ logger: log });
  }

  incoming(work: MailboxWork): MailSource {
    const endpoint = endpointOf(work.incoming);
    const credentials = credentialsOf(work.credentials, work.address);
    if (work.kind === 'POP3_SMTP') return new Pop3Source({ endpoint, credentials, logger: this.log });
    return new ImapSource({ endpoint, credentials, folders: { inbox: true, sent: work.sentFolder, tracked: work.trackedFolders }, logger: this.log });
  }

  checkIncoming(work: MailboxWork, signal?: AbortSignal): Promise<ChannelCheck> {
    const endpoint = endpointOf(work.incoming);
    const credentials = credentialsOf(work.credentials, work.address);
    if (work.kind === 'POP3_SMTP') return checkPop3(endpoint, credentials, { logger: this.log, signal });
    return checkImap(endpoint, credentials, { sent: work.sentFolder, tracked: work.trackedFolders }, { logger: this.log, signal });
  }

  sender(transport: OutgoingEmail['transport']): MailSender {
    return this.senders.forEndpoint(endpointOf(transport.smtp), smtpSignIn(transport.credentials));
  }

  async checkOutgoing(work: MailboxWork): Promise<ChannelCheck> {
    if (!work.outgoing) throw new Error('the server profile has no outgoing (SMTP) server');
    return this.senders.forEndpoint(endpointOf(work.outgoing), smtpSignIn(work.credentials)).check();
  }

  sentFolder(transport: OutgoingEmail['transport']): (MailSource & SentFolder) | null {
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

/** Absent credentials mean nothing to sign in with: an AUTH_FAILED the admin can act on, not a crash. */
function credentialsOf(wire: MailboxCredentials, address: string): Credentials {
  switch (wire.status) {
    case 'NONE':
      throw new MailError('AUTH_FAILED', `no credentials are set for ${address}: set them on the mailbox (or on its profile)`);
    case 'UNREADABLE':
      throw new MailError('AUTH_FAILED', `the stored credentials for ${address} cannot be decrypted: set them again on the mailbox (or on its profile)`);
    case 'PRESENT':
      return wire.method === 'OAUTH_BEARER'
        ? { method: 'OAUTH_BEARER', username: wire.username, accessToken: wire.secret }
        : { method: 'PASSWORD', username: wire.username, password: wire.secret };
  }
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
