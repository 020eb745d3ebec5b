import { describe, expect, it } from 'vitest';
import { DEFAULT_TOKEN_FORMAT, formatToken } from '../tracking/rules/tracking-token';
import { ActivityState, CorrelationMethod, Direction, EmailStatus, PrivacyLevel } from './activity-enums';
import { emailRows, type EmailRowsInput } from './email-rows';
import { messageIdHash } from './message-id';
import { subjectWithToken } from './outgoing-email-rules';

const token = formatToken(DEFAULT_TOKEN_FORMAT, 7, 42);
const BASE: EmailRowsInput = {
  id: 'act-1',
  owner: { ownerId: 'u-sam', businessUnitId: 'bu-sales', actorId: 'u-sam' },
  subject: 'Offert på supportavtal',
  regarding: { kind: 'opportunity', id: 'opp-9' },
  state: ActivityState.OPEN,
  direction: Direction.OUTGOING,
  occurredAt: new Date('2026-11-23T09:30:00Z'),
  visibility: PrivacyLevel.FULL,
  parties: [],
  messageId: '0196f1c2-7a1b@demo.crm.test',
  inReplyTo: null,
  references: null,
  threadIndex: null,
  conversationRoot: null,
  trackingToken: null,
  tokenFormat: DEFAULT_TOKEN_FORMAT,
  status: EmailStatus.PENDING_SEND,
  sentAt: null,
  receivedAt: null,
  fromAddress: 'sam.sales@demo.crm.test',
  textBodyBlob: null,
  htmlBodyBlob: null,
  preview: 'Hej Åsa',
  bodyTruncated: false,
  correlationMethod: CorrelationMethod.MANUAL,
  trackingDecision: null,
  salvage: null,
  senderMailboxId: 'mb-sam',
};

describe('emailRows', () => {
  it('keys the email by its Message-ID hash and files the activity under its regarding record', () => {
    const { activity, email } = emailRows(BASE);
    expect(activity).toMatchObject({ id: 'act-1', kind: 'EMAIL', regardingKind: 'opportunity', regardingId: 'opp-9', createdById: 'u-sam', description: null });
    expect(email).toMatchObject({ activityId: 'act-1', messageIdHash: messageIdHash(BASE.messageId), sendAttempts: 0, sendLeaseId: null, senderMailboxId: 'mb-sam' });
  });

  it('hashes the subject without its tracking token, so the reply that quotes it matches', () => {
    const sent = emailRows({ ...BASE, subject: subjectWithToken(BASE.subject, token, null), trackingToken: token });
    const reply = emailRows({ ...BASE, subject: `SV: ${BASE.subject}` });
    expect(sent.activity.subject).toBe(`Offert på supportavtal ${token}`);
    expect(sent.email.subjectHash).toBe(reply.email.subjectHash);
  });

  it.each([
    ['no References header', null, null],
    ['a reply to a message that had none', [], '[]'],
    ['a reply in a thread', ['a@x.example', 'b@y.example'], '["a@x.example","b@y.example"]'],
  ])('stores %s as given', (_name, references, stored) => {
    expect(emailRows({ ...BASE, references }).email.referenceIds).toBe(stored);
  });
});
