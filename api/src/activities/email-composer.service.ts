import type { DataSource } from 'typeorm';
import type { OwnedRow, Principal } from '../access/principal';
import { Privilege } from '../access/privileges';
import { forbidden } from '../common/errors';
import { newId } from '../common/ids';
import { User } from '../identity/user.entity';
import type { EmailSettingsService } from '../mail/email-settings.service';
import type { OrganizationEmailSettings } from '../mail/organization-email-settings.entity';
import { TrackingTokenCounters } from '../mail/tracking-token-counter';
import type { Clock } from '../platform/clock';
import type { RecordKind } from '../records/record-kind';
import { formatToken, tokenPattern, type TokenFormat } from '../tracking/rules/tracking-token';
import { mayOnActivity } from './activity-access';
import { ActivityState, Direction, EmailStatus } from './activity-enums';
import { Activity } from './activity.entity';
import type { ComposedEmailWriter } from './composed-email-writer';
import type { EmailRecipients } from './email-recipients';
import { emailRows } from './email-rows';
import { newMessageId, subjectWithToken } from './outgoing-email-rules';
import type { SendEmailInput } from './outgoing-email.inputs';

const tokenFormatOf = (s: OrganizationEmailSettings): TokenFormat => ({
  prefix: s.tokenPrefix,
  baseNumber: s.tokenBaseNumber,
  userDigits: s.tokenUserDigits,
  counterDigits: s.tokenCounterDigits,
});

/**
 * Email composed by users in the hub: queued as PENDING_SEND for a sync engine to claim
 * (outgoing-send-queue.service.ts), with its tracking token, parties and bodies.
 */
export class EmailComposerService {
  /** The per-user tracking token numbers live beside the email they number. */
  private readonly counters: TrackingTokenCounters;

  constructor(
    private readonly db: DataSource,
    private readonly settings: Pick<EmailSettingsService, 'current'>,
    private readonly recipients: EmailRecipients,
    private readonly store: ComposedEmailWriter,
    private readonly clock: Clock,
  ) {
    this.counters = new TrackingTokenCounters(db);
  }

  /** Queues an email for sending: one activity with its parties, message row and mailbox link, in one transaction. */
  async send(principal: Principal, input: SendEmailInput): Promise<Activity> {
    const caller = await this.db.getRepository(User).findOneByOrFail({ id: principal.userId });
    const row: OwnedRow = { ownerId: caller.id, businessUnitId: caller.businessUnitId };
    if (!mayOnActivity(principal, Privilege.CREATE, row)) throw forbidden('you may not create activities, so you may not send email');
    const settings = await this.settings.current();
    const mailbox = await this.recipients.senderMailbox(principal, input.fromMailboxId);
    const parent = input.inReplyToId ? await this.recipients.parentOf(principal, input.inReplyToId) : null;
    const { regarding, correlation, recipients } = await this.recipients.addressed(principal, row, input, parent);
    const sender = await this.recipients.senderParty(mailbox);

    // Files checked before the bodies are stored, so a refused email leaves no body behind.
    const attachments = await this.store.attachments(principal, input, settings);
    const bodies = await this.store.bodies(input, settings);
    const format = tokenFormatOf(settings);
    const userNumber = settings.trackingTokenEnabled ? await this.counters.userNumber(caller.id) : null;
    const baseSubject = input.subject ?? (parent ? parent.replySubject : '');

    const id = newId();
    const now = this.clock();
    const messageId = newMessageId(newId(), mailbox.address);
    return this.db.transaction(async (em) => {
      let token: string | null = null;
      if (userNumber !== null) {
        const { counter } = await this.counters.next(em, caller.id, format.counterDigits);
        // More users than the user digits can number share digits: a token is a hint, never proof.
        token = formatToken(format, userNumber % 10 ** format.userDigits, counter);
      }
      const subject = subjectWithToken(baseSubject, token, tokenPattern(format));
      const rows = emailRows({
        id,
        owner: { ownerId: caller.id, businessUnitId: caller.businessUnitId, actorId: caller.id },
        subject,
        regarding: regarding ? { kind: regarding.kind as RecordKind, id: regarding.id } : null,
        state: ActivityState.OPEN,
        direction: Direction.OUTGOING,
        occurredAt: now,
        visibility: mailbox.privacyLevel,
        parties: [sender, ...recipients],
        messageId,
        inReplyTo: parent?.messageId ?? null,
        references: parent ? parent.references : null,
        threadIndex: null,
        conversationRoot: null,
        trackingToken: token,
        tokenFormat: format,
        status: EmailStatus.PENDING_SEND,
        sentAt: null,
        receivedAt: null,
        fromAddress: mailbox.address,
        textBodyBlob: bodies.textBlob,
        htmlBodyBlob: bodies.htmlBlob,
        preview: bodies.preview,
        bodyTruncated: false,
        correlationMethod: correlation,
        trackingDecision: null,
        salvage: null,
        senderMailboxId: mailbox.id,
      });
      await this.store.insert(em, rows, attachments, mailbox.id, now);
      return em.findOneByOrFail(Activity, { id });
    });
  }
}
