import { normalizeSubject, subjectHash } from '../tracking/rules/subject';
import { tokenPattern, type TokenFormat } from '../tracking/rules/tracking-token';
import { ActivityKind, type ActivityState, type CorrelationMethod, type Direction, type EmailStatus, type PrivacyLevel } from './activity-enums';
import type { NewActivity, NewParty } from './activity-writer';
import type { RecordKind } from '../records/record-kind';
import type { EmailMessage } from './email-message.entity';
import { messageIdHash } from './message-id';

/** Who an email activity belongs to and who wrote it. */
export interface EmailOwnership {
  readonly ownerId: string;
  readonly businessUnitId: string;
  readonly actorId: string;
}

/** What an email activity is, whether the hub composed it or a mailbox delivered it. */
export interface EmailRowsInput {
  readonly id: string;
  readonly owner: EmailOwnership;
  readonly subject: string;
  readonly regarding: { readonly kind: RecordKind; readonly id: string } | null;
  readonly state: ActivityState;
  readonly direction: Direction;
  readonly occurredAt: Date;
  readonly visibility: PrivacyLevel;
  readonly parties: NewParty[];
  readonly messageId: string;
  readonly inReplyTo: string | null;
  /** The References chain as stored; null stores none (an empty list is stored as one). */
  readonly references: readonly string[] | null;
  readonly threadIndex: string | null;
  readonly conversationRoot: string | null;
  readonly trackingToken: string | null;
  /** The organization's token format: the subject is hashed without its token. */
  readonly tokenFormat: TokenFormat;
  readonly status: EmailStatus;
  readonly sentAt: Date | null;
  readonly receivedAt: Date | null;
  readonly fromAddress: string | null;
  readonly textBodyBlob: string | null;
  readonly htmlBodyBlob: string | null;
  readonly preview: string | null;
  readonly bodyTruncated: boolean;
  readonly correlationMethod: CorrelationMethod | null;
  readonly trackingDecision: string | null;
  readonly salvage: string | null;
  /** The mailbox the hub sends it from; null for mail a mailbox delivered. */
  readonly senderMailboxId: string | null;
}

/** An email activity's rows: the activity with its parties (for ActivityWriter.insert) and its email_message row. */
export interface EmailRows {
  readonly activity: NewActivity;
  readonly parties: NewParty[];
  readonly email: EmailMessage;
}

/** The one place an email activity's rows are built, for mail the hub sends and mail it tracks alike. */
export function emailRows(input: EmailRowsInput): EmailRows {
  const activity: NewActivity = {
    id: input.id,
    kind: ActivityKind.EMAIL,
    subject: input.subject,
    regardingKind: input.regarding?.kind ?? null,
    regardingId: input.regarding?.id ?? null,
    ownerId: input.owner.ownerId,
    businessUnitId: input.owner.businessUnitId,
    createdById: input.owner.actorId,
    modifiedById: input.owner.actorId,
    state: input.state,
    direction: input.direction,
    occurredAt: input.occurredAt,
    description: null,
    visibility: input.visibility,
  };
  const email: EmailMessage = {
    activityId: input.id,
    messageId: input.messageId,
    messageIdHash: messageIdHash(input.messageId),
    inReplyTo: input.inReplyTo,
    referenceIds: input.references ? JSON.stringify(input.references) : null,
    threadIndex: input.threadIndex,
    conversationRoot: input.conversationRoot,
    trackingToken: input.trackingToken,
    subjectHash: subjectHash(normalizeSubject(input.subject, tokenPattern(input.tokenFormat))),
    status: input.status,
    sentAt: input.sentAt,
    receivedAt: input.receivedAt,
    fromAddress: input.fromAddress,
    textBodyBlob: input.textBodyBlob,
    htmlBodyBlob: input.htmlBodyBlob,
    preview: input.preview,
    bodyTruncated: input.bodyTruncated,
    correlationMethod: input.correlationMethod,
    trackingDecision: input.trackingDecision,
    salvage: input.salvage,
    senderMailboxId: input.senderMailboxId,
    sendLeaseId: null,
    sendLeaseUntil: null,
    sendAttempts: 0,
    nextAttemptAt: null,
    failureReason: null,
  };
  return { activity, parties: input.parties, email };
}
