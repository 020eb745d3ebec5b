import { describe, expect, it } from 'vitest';
import { CorrelationMethod, Direction, EmailStatus, PartyResolution, PrivacyLevel } from '../activities/activity-enums';
import { AttachmentSkipReason } from '../activities/attachment.entity';
import { toGlobalId } from '../common/global-id';
import type { TrackingSwitches } from './decide-item';
import { prepareItem } from './prepare-item';
import { DEFAULT_CORRELATION, type RecordRef } from './rules/correlation';
import type { PartyMatch } from './rules/party-resolution';
import { TrackingFilter } from './rules/tracking-filter';
import type { TrackEmailItemInput } from './track-emails.inputs';
import { TrackingFacts } from './tracking-facts';
import { planBatch, type PlanContext, type RecordSteps } from './tracking-plan';

const NOW = new Date('2026-11-23T09:30:00Z');
const MAILBOX = 'sam.sales@demo.crm.test';
const TOKENS = { prefix: 'CRM:', baseNumber: 1000, userDigits: 3, counterDigits: 4 };
const SWITCHES: TrackingSwitches = { ...DEFAULT_CORRELATION, folderTracking: true, skipAutoReplies: true, skipBounces: true, skipBulkMail: true, blockedAddresses: [], blockedDomains: ['spam.example'] };
const DIRECTORY: Record<string, PartyMatch[]> = {
  [MAILBOX]: [{ kind: 'user', id: 'u-sam' }],
  'asa.berg@contoso.example': [{ kind: 'contact', id: 'c-asa' }],
  'info@contoso.example': [{ kind: 'account', id: 'a-contoso' }],
};
const CASE: RecordRef = { kind: 'case', id: 'case-4711' };
const NO_RECORD_STEPS: RecordSteps = { apply: async (_item, tracking) => tracking };

const CONTEXT: PlanContext = {
  mailboxId: 'mb-sam',
  visibility: PrivacyLevel.FULL,
  owner: { ownerId: 'u-sam', businessUnitId: 'bu-sales', actorId: 'u-engine' },
  now: NOW,
  tokenFormat: TOKENS,
  switches: SWITCHES,
  trackingFilter: TrackingFilter.ALL,
  folderRules: [{ folder: 'INBOX/Contoso', regarding: CASE }],
  maxAttachmentBytes: 1024 * 1024,
  storedSizes: new Map([['a'.repeat(64), 48_213]]),
  rejections: new Map(),
};

/** A message as the engine reports it from an IMAP mailbox. */
const mail = (overrides: Partial<TrackEmailItemInput>): TrackEmailItemInput =>
  ({
    messageId: '<AM0PR02MB5555.eurprd02.prod.outlook.com>',
    from: { address: 'asa.berg@contoso.example', name: 'Åsa Berg' },
    to: [{ address: MAILBOX, name: 'Sam Sales' }],
    cc: [],
    bcc: [],
    references: [],
    headers: [],
    attachments: [],
    subject: 'SV: Offert på supportavtal',
    date: 'Mon, 23 Nov 2026 10:12:44 +0100',
    folder: 'INBOX',
    textBody: 'Hej Sam,\n\nvi tackar ja till offerten.\n\nÅsa',
    ...overrides,
  }) as TrackEmailItemInput;

const prepared = (inputs: TrackEmailItemInput[]) => inputs.map((input, index) => prepareItem(input, index, { mailboxAddress: MAILBOX, maxBodyBytes: 64 * 1024, now: NOW }));
const freshFacts = (known: Parameters<typeof TrackingFacts.of>[1] = {}) => TrackingFacts.of(TOKENS, { matches: DIRECTORY, ...known });
const plan = (inputs: TrackEmailItemInput[], options: { facts?: TrackingFacts; ctx?: Partial<PlanContext>; records?: RecordSteps } = {}) =>
  planBatch(prepared(inputs), options.facts ?? freshFacts(), { ...CONTEXT, ...options.ctx }, options.records ?? NO_RECORD_STEPS);

describe('planBatch', () => {
  it.each([
    ['a message from a known contact', mail({}), 'TRACKED', null],
    ['a message filed in a mapped folder', mail({ folder: 'INBOX/Contoso' }), 'TRACKED', null],
    ['an Exchange out-of-office reply', mail({ headers: [{ name: 'Auto-Submitted', value: 'auto-replied' }, { name: 'X-Auto-Response-Suppress', value: 'All' }] }), 'FILTERED', 'AUTO_REPLY'],
    ['mail from a blocked domain', mail({ from: { address: 'offers@spam.example', name: null } }), 'FILTERED', 'BLOCKED'],
  ])('decides %s', async (_name, input, outcome, filterReason) => {
    const result = await plan([input]);
    const [item] = result.results;
    expect(item.outcome).toBe(outcome);
    expect(result.ledger).toEqual([expect.objectContaining({ mailboxId: 'mb-sam', outcome, reason: filterReason, decidedAt: NOW })]);
    expect(result.emails).toHaveLength(outcome === 'TRACKED' ? 1 : 0);
    expect(result.activities).toHaveLength(outcome === 'TRACKED' ? 1 : 0);
    expect(item.decision?.filterReason ?? null).toBe(filterReason);
  });

  it('builds the activity, parties, email row, link and ledger of a tracked message', async () => {
    const result = await plan([mail({ folder: 'INBOX/Contoso' })]);
    const [{ activity, parties }] = result.activities;
    expect(activity).toMatchObject({ subject: 'SV: Offert på supportavtal', regardingKind: 'case', regardingId: 'case-4711', ownerId: 'u-sam', createdById: 'u-engine', direction: Direction.INCOMING, visibility: PrivacyLevel.FULL });
    expect(parties.map((p) => [p.role, p.address, p.partyKind, p.resolution])).toEqual([
      ['FROM', 'asa.berg@contoso.example', 'contact', PartyResolution.RESOLVED],
      ['TO', MAILBOX, 'user', PartyResolution.RESOLVED],
    ]);
    const [email] = result.emails;
    expect(email).toMatchObject({ activityId: activity.id, messageId: 'AM0PR02MB5555.eurprd02.prod.outlook.com', status: EmailStatus.RECEIVED, fromAddress: 'asa.berg@contoso.example', correlationMethod: CorrelationMethod.FOLDER_RULE, senderMailboxId: null });
    expect(email.preview).toContain('vi tackar ja till offerten');
    expect(JSON.parse(email.trackingDecision!).steps.at(-1)).toMatchObject({ step: 'STORE', outcome: 'TRACKED' });
    expect(result.bodies).toEqual([{ row: email, text: Buffer.from('Hej Sam,\n\nvi tackar ja till offerten.\n\nÅsa'), html: null }]);
    expect(result.links).toEqual([{ activityId: activity.id, mailboxId: 'mb-sam', folder: 'INBOX/Contoso', seenAt: NOW }]);
    expect(result.tracked).toEqual([activity.id]);
    expect(result.results[0].activityId).toBe(toGlobalId('Email', activity.id));
  });

  it('stores an uploaded attachment at its stored size and lists one over the limit as skipped', async () => {
    const result = await plan([
      mail({
        attachments: [
          { fileName: 'Offert 2026-114.pdf', contentType: 'application/pdf', size: 48_000, sha256: 'a'.repeat(64), contentId: null, inline: false },
          { fileName: 'Ritning.dwg', contentType: 'application/acad', size: 9_000_000, sha256: null, contentId: null, inline: false },
        ] as TrackEmailItemInput['attachments'],
      }),
    ]);
    expect(result.attachments.map((a) => [a.fileName, a.size, a.blobSha256, a.skippedReason, a.position])).toEqual([
      ['Offert 2026-114.pdf', 48_213, 'a'.repeat(64), null, 0],
      ['Ritning.dwg', 9_000_000, null, AttachmentSkipReason.TOO_LARGE, 1],
    ]);
  });

  it('rejects an item whose attachment is not uploaded, and writes nothing for it', async () => {
    const result = await plan([mail({})], { ctx: { rejections: new Map([[0, 'attachments not uploaded (PUT /blobs first): Offert.pdf']]) } });
    expect(result.results[0]).toMatchObject({ outcome: 'REJECTED', errorCode: 'ATTACHMENT_NOT_UPLOADED', activityId: null });
    expect([result.ledger, result.emails, result.links]).toEqual([[], [], []]);
  });

  it('answers DUPLICATE for a message this mailbox decided before and for a repeat within the batch', async () => {
    const facts = freshFacts({ decided: [{ messageIdHash: prepared([mail({ messageId: '<old@contoso.example>' })])[0].messageIdHash, activityId: 'act-old' }] });
    const result = await plan([mail({ messageId: '<old@contoso.example>' }), mail({}), mail({})], { facts });
    expect(result.results.map((r) => r.outcome)).toEqual(['DUPLICATE', 'TRACKED', 'DUPLICATE']);
    expect(result.results[0].activityId).toBe(toGlobalId('Email', 'act-old'));
    expect(result.results[2].activityId).toBe(result.results[1].activityId);
    expect(result.kept.get(0)).toEqual({ duplicateOf: 'act-old' });
    expect(result.ledger).toHaveLength(1);
  });

  it('links a message another mailbox tracked instead of storing it again', async () => {
    const [item] = prepared([mail({})]);
    const facts = freshFacts({ emails: [{ activityId: 'act-sara', messageIdHash: item.messageIdHash, trackingToken: null, conversationRoot: null, subjectHash: null, regarding: CASE, occurredAt: NOW, participantAddresses: [] }] });
    const result = await plan([mail({ folder: 'Inkorg' })], { facts });
    expect(result.results[0]).toMatchObject({ outcome: 'LINKED', activityId: toGlobalId('Email', 'act-sara') });
    expect(result.links).toEqual([{ activityId: 'act-sara', mailboxId: 'mb-sam', folder: 'Inkorg', seenAt: NOW }]);
    expect(result.linkedExisting).toEqual(['act-sara']);
    expect(result.kept.get(0)).toEqual({ regarding: CASE });
    expect(result.emails).toEqual([]);
  });

  it('lets a reply later in the batch find the message it answers', async () => {
    const first = mail({ messageId: '<offer-1@demo.crm.test>', folder: 'INBOX/Contoso' });
    const reply = mail({ messageId: '<reply-1@contoso.example>', inReplyTo: '<offer-1@demo.crm.test>', subject: 'SV: SV: Offert på supportavtal' });
    const result = await plan([first, reply], { ctx: { trackingFilter: TrackingFilter.RESPONSES_TO_CRM_EMAIL } });
    expect(result.results.map((r) => r.outcome)).toEqual(['TRACKED', 'TRACKED']);
    expect(result.activities[1].activity).toMatchObject({ regardingKind: 'case', regardingId: 'case-4711' });
    expect(result.emails[1].correlationMethod).toBe(CorrelationMethod.IN_REPLY_TO);
  });

  it('takes what the record steps decide (email to case) into the rows and the trace', async () => {
    const records: RecordSteps = {
      apply: async (_item, tracking) => ({
        ...tracking,
        steps: [...tracking.steps, { step: 'QUEUE_RULE', outcome: 'CASE_CREATED', detail: 'case for contact' }],
        regarding: { kind: 'case', id: 'case-new' },
        method: CorrelationMethod.QUEUE_RULE,
        evidence: 'queue "Support" opened a case',
      }),
    };
    const result = await plan([mail({})], { records });
    expect(result.activities[0].activity).toMatchObject({ regardingKind: 'case', regardingId: 'case-new' });
    expect(result.emails[0].correlationMethod).toBe(CorrelationMethod.QUEUE_RULE);
    expect(result.results[0].decision!.steps.map((s) => s.step).slice(-2)).toEqual(['QUEUE_RULE', 'STORE']);
    expect(result.results[0].decision!.correlationEvidence).toBe('queue "Support" opened a case');
  });
});
