import { setTimeout as delay } from 'node:timers/promises';
import type { HubApi } from '../api-client.js';
import { HubApiError, UnreadableClaimError } from '../api-client.js';
import type { OutgoingEmail } from '../hub-types.js';
import type { Log } from '../logger.js';
import { MailError } from '../mail/mail-error.js';
import { composeOutgoing } from '../mime/compose-outgoing.js';
import type { MailConnectors } from './connectors.js';

/**
 * Sends what the hub queued: claims emails under a lease, sends each over its mailbox's SMTP server,
 * copies it into the IMAP Sent folder, and reports SENT or FAILED. When it cannot know whether the
 * server took the message (the connection died after DATA), it reports nothing: the lease runs out,
 * the hub marks the email UNCERTAIN, and nobody sends it twice without deciding to.
 */
export class OutgoingSender {
  constructor(
    private readonly api: HubApi,
    private readonly connectors: MailConnectors,
    private readonly log: Log,
    private readonly options: { readonly sendBatch: number; readonly leaseSeconds: number },
  ) {}

  /** One claim and the sends it brought; returns how many emails were claimed. Rejects with the claim's HubApiError, having sent nothing. */
  async round(): Promise<number> {
    let emails: OutgoingEmail[];
    try {
      emails = await this.api.claimOutgoingEmails(this.options.sendBatch, this.options.leaseSeconds);
    } catch (error) {
      if (error instanceof UnreadableClaimError) await this.handBack(error);
      throw error;
    }
    await Promise.all(emails.map((email) => this.send(email)));
    return emails.length;
  }

  /**
   * Nothing of a claim the engine cannot read went near a mail server, so each email in it is reported certainly
   * not delivered: the hub queues it again, and after its last attempt shows it FAILED with this reason. Left to
   * its lease it would become UNCERTAIN ("maybe sent"), and every retry would claim another batch into that state.
   */
  private async handBack(error: UnreadableClaimError): Promise<void> {
    const reason = `the sync engine could not read the claim this email came in: ${error.message}`;
    if (error.leases.length) this.log.warn({ emailIds: error.leases.map((lease) => lease.emailId) }, 'handing back the emails of an unreadable claim, unsent');
    await Promise.all(error.leases.map(({ emailId, leaseId }) => this.report(() => this.api.markEmailFailed(emailId, leaseId, reason, true), { emailId })));
  }

  private async send(email: OutgoingEmail): Promise<void> {
    const log = { emailId: email.emailId, mailboxId: email.mailboxId, attempt: email.attempt };
    let raw: Buffer;
    let recipients: string[];
    try {
      const attachments = await Promise.all(email.attachments.map(async (a) => ({ ...a, content: await this.api.downloadBlob(a.sha256) })));
      const composed = await composeOutgoing({ ...email, attachments }, new Date());
      raw = composed.raw;
      recipients = composed.envelope.to;
    } catch (error) {
      // Nothing reached a mail server: certainly not delivered.
      this.log.warn({ ...log, err: error }, 'could not prepare the email for sending');
      await this.report(() => this.api.markEmailFailed(email.emailId, email.leaseId, `could not prepare the email: ${describe(error)}`, true), log);
      return;
    }

    try {
      const receipt = await this.connectors.sender(email.transport, email.from.address).send({ from: email.from.address, recipients, raw });
      if (receipt.rejected.length) this.log.warn({ ...log, rejected: receipt.rejected, response: receipt.response }, 'the server refused some recipients');
    } catch (error) {
      const verdict = sendFailure(error);
      this.log.warn({ ...log, code: error instanceof MailError ? error.code : undefined, reason: describe(error), verdict: verdict ?? 'UNCERTAIN' }, 'sending failed');
      if (verdict) await this.report(() => this.api.markEmailFailed(email.emailId, email.leaseId, verdict.reason, verdict.retryable), log);
      return;
    }

    await this.report(() => this.api.markEmailSent(email.emailId, email.leaseId, new Date()), log);
    this.log.info({ ...log, messageId: email.messageId }, 'email sent');
    await this.copyToSent(email, raw);
  }

  /** "Mail sent from the CRM missing from the user's Sent folder" is a complaint we avoid; a failure here is logged, the email stays SENT. */
  private async copyToSent(email: OutgoingEmail, raw: Buffer): Promise<void> {
    const folder = this.connectors.sentFolder(email.transport);
    if (!folder) return;
    try {
      await folder.open();
      await folder.appendSent(raw);
    } catch (error) {
      this.log.warn({ emailId: email.emailId, err: error }, 'sent, but the copy to the Sent folder failed');
    } finally {
      await folder.close().catch(() => undefined);
    }
  }

  /** Reports survive a short hub outage: the email was already sent (or refused), and that must not be forgotten. */
  private async report(call: () => Promise<void>, log: object): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        const transient = error instanceof HubApiError && error.code === 'TEMPORARY';
        if (!transient || attempt >= 4) {
          this.log.error({ ...log, err: error }, 'could not report the send result; the hub will mark the email UNCERTAIN when the lease ends');
          return;
        }
        await delay(500 * 2 ** attempt);
      }
    }
  }
}

/** Undefined when delivery is unknown; otherwise whether a later attempt may succeed (the hub retries only "certainly not delivered"). */
export function sendFailure(error: unknown): { reason: string; retryable: boolean } | undefined {
  if (!(error instanceof MailError)) return undefined;
  const reason = error.serverResponse ? `${error.message} (server: ${error.serverResponse})` : error.message;
  switch (error.code) {
    case 'REJECTED':
      return { reason, retryable: false };
    case 'AUTH_FAILED':
    case 'DNS':
    case 'REFUSED':
    case 'TLS':
      return { reason, retryable: true }; // refused before any message data was sent
    case 'TEMPORARY':
    case 'TIMEOUT':
    case 'PROTOCOL':
      // A 4xx reply is a definite "not accepted"; a dropped connection is not.
      return error.serverResponse ? { reason, retryable: true } : undefined;
    default:
      return undefined;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
