import { describe, expect, it } from 'vitest';
import { HubApiError } from '../api-client.js';
import type { QuarantineItem, TrackBatch, TrackedItemResult, TrackItem } from '../hub-types.js';
import type { Log } from '../logger.js';
import { TrackSender, type TrackEntry } from './track-sender.js';

// Splitting a batch into requests the hub takes, and the hub's "too large" answer, with a fake hub that measures requests as the api does.

const silent = { debug() {}, info() {}, warn() {}, error() {}, fatal() {} } as unknown as Log;
const KB = 1024;

const entry = (n: number, bodyBytes: number, body = 'x'): TrackEntry => ({
  item: {
    messageId: `m${n}@example.test`, folder: 'INBOX', direction: null, subject: `Message ${n}`, from: { address: `c${n}@example.test`, name: null },
    to: [], cc: [], bcc: [], date: null, receivedAt: null, inReplyTo: null, references: [], threadIndex: null, headers: [],
    textBody: body.repeat(Math.ceil(bodyBytes / body.length)).slice(0, bodyBytes), htmlBody: null, attachments: [], calendar: null,
  } satisfies TrackItem,
  origin: { sourceRef: `fake:${n}`, folder: 'INBOX', size: bodyBytes, messageId: `m${n}@example.test`, subject: `Message ${n}`, fromAddress: `c${n}@example.test` },
});

/** Answers PAYLOAD_TOO_LARGE for a request body over `limit` bytes (the api's body parser), or throws `fail` once. */
class SizeLimitedHub {
  requests: { mailboxId: string; batch: TrackBatch; bytes: number; refused: boolean }[] = [];
  constructor(
    private readonly limit: number,
    private fail?: Error,
  ) {}
  async trackEmails(mailboxId: string, batch: TrackBatch): Promise<TrackedItemResult[]> {
    const bytes = Buffer.byteLength(JSON.stringify({ query: 'mutation TrackEmails { … }', variables: { mailboxId, input: batch } }));
    const refused = bytes > this.limit;
    this.requests.push({ mailboxId, batch, bytes, refused });
    if (this.fail) {
      const error = this.fail;
      this.fail = undefined;
      throw error;
    }
    if (refused) throw new HubApiError('TOO_LARGE', `hub API error: The request body is larger than the limit of ${this.limit} bytes.`, 'PAYLOAD_TOO_LARGE');
    return batch.items.map((item, index) => ({ index, messageId: item.messageId, outcome: 'TRACKED', activityId: `a${index}`, errorCode: null, errorMessage: null }));
  }
  /** What each accepted request held: subjects, cursor, quarantined sourceRefs. */
  accepted() {
    return this.requests.filter((r) => !r.refused).map((r) => [r.batch.items.map((i) => i.subject), r.batch.cursor, r.batch.quarantine.map((q) => q.sourceRef)]);
  }
}

const parsingFailure: QuarantineItem = { sourceRef: 'fake:bad', folder: 'INBOX', code: 'INVALID_MESSAGE', reason: 'the message cannot be read' };

describe('TrackSender', () => {
  // The engine believes the hub takes `engineLimit`; the hub really takes `hubLimit`.
  it.each([
    {
      name: 'small items go in one request with the cursor and the quarantine',
      engineLimit: 2048 * KB, hubLimit: 2048 * KB, bodies: [10, 10, 10].map((k) => k * KB),
      requests: [[['Message 0', 'Message 1', 'Message 2'], 'c9', ['fake:bad']]], refused: [],
    },
    {
      name: 'items are planned by JSON size: the cursor and quarantine ride on the last request only',
      engineLimit: 2048 * KB, hubLimit: 2048 * KB, bodies: [700, 700, 700, 700].map((k) => k * KB),
      requests: [[['Message 0', 'Message 1'], null, []], [['Message 2', 'Message 3'], 'c9', ['fake:bad']]], refused: [],
    },
    {
      name: 'a limit lower at the hub than the engine knows: halves on 413 until they pass',
      engineLimit: 32 * 1024 * KB, hubLimit: 2048 * KB, bodies: [900, 900, 900, 900].map((k) => k * KB),
      requests: [[['Message 0', 'Message 1'], null, []], [['Message 2', 'Message 3'], 'c9', ['fake:bad']]], refused: [],
    },
    {
      name: 'one item the hub refuses alone is quarantined as TOO_LARGE; the rest and the cursor commit',
      engineLimit: 32 * 1024 * KB, hubLimit: 2048 * KB, bodies: [10 * KB, 3000 * KB, 10 * KB],
      requests: [[['Message 0'], null, []], [['Message 2'], 'c9', ['fake:bad', 'fake:1']]], refused: ['fake:1'],
    },
    {
      name: 'an item over the known limit is quarantined without being sent',
      engineLimit: 2048 * KB, hubLimit: 2048 * KB, bodies: [10 * KB, 3000 * KB, 10 * KB],
      requests: [[['Message 0', 'Message 2'], 'c9', ['fake:bad', 'fake:1']]], refused: ['fake:1'],
    },
    {
      name: 'the last item refused: the cursor and quarantine still commit in a request of their own',
      engineLimit: 32 * 1024 * KB, hubLimit: 2048 * KB, bodies: [10 * KB, 3000 * KB],
      requests: [[['Message 0'], null, []], [[], 'c9', ['fake:bad', 'fake:1']]], refused: ['fake:1'],
    },
  ])('$name', async ({ engineLimit, hubLimit, bodies, requests, refused }) => {
    const hub = new SizeLimitedHub(hubLimit);
    const sender = new TrackSender(hub, silent, { maxRequestBytes: engineLimit, maxItems: 100 });
    const result = await sender.send('mbx-1', bodies.map((b, n) => entry(n, b)), { cursor: 'c9', leaseId: 'lease-1', quarantine: [parsingFailure] });
    expect(hub.accepted()).toEqual(requests);
    expect(result.refused.map((q) => q.sourceRef)).toEqual(refused);
    expect(hub.requests.every((r) => r.batch.leaseId === 'lease-1')).toBe(true);
    if (engineLimit === hubLimit) expect(hub.requests.filter((r) => r.refused)).toEqual([]); // never builds a request the hub refuses
  });

  it('measures escaped JSON, not characters: bodies of control characters take six bytes each', async () => {
    const hub = new SizeLimitedHub(2048 * KB);
    const sender = new TrackSender(hub, silent, { maxRequestBytes: 2048 * KB, maxItems: 100 });
    await sender.send('mbx-1', [0, 1, 2].map((n) => entry(n, 200 * KB, '\u0001')), { cursor: 'c1', leaseId: 'l', quarantine: [] });
    expect(hub.requests.map((r) => [r.refused, r.batch.items.length])).toEqual([[false, 1], [false, 1], [false, 1]]);
  });

  it('records a refused item in the quarantine it is given, with a reason a person can act on', async () => {
    const hub = new SizeLimitedHub(2048 * KB);
    const sender = new TrackSender(hub, silent, { maxRequestBytes: 64 * 1024 * KB, maxItems: 100 });
    await sender.send('mbx-1', [entry(1, 3000 * KB)], { cursor: 'c1', leaseId: 'l', quarantine: [] });
    expect(hub.requests.at(-1)?.batch.quarantine).toEqual([
      expect.objectContaining({ sourceRef: 'fake:1', code: 'TOO_LARGE', subject: 'Message 1', messageId: 'm1@example.test', reason: expect.stringMatching(/too large to track.*larger than the limit/) }),
    ]);
  });

  it('without a quarantine to record into (forwarded copies), returns refused items and sends no empty request', async () => {
    const hub = new SizeLimitedHub(2048 * KB);
    const sender = new TrackSender(hub, silent, { maxRequestBytes: 64 * 1024 * KB, maxItems: 100 });
    const { refused } = await sender.send('mbx-sven', [entry(1, 3000 * KB)], { cursor: null, leaseId: null });
    expect(refused.map((q) => [q.sourceRef, q.code])).toEqual([['fake:1', 'TOO_LARGE']]);
    expect(hub.requests.map((r) => r.refused)).toEqual([true]);
  });

  it.each([
    ['a transient failure', new HubApiError('TEMPORARY', 'hub API request timed out')],
    ['a lost lease', new HubApiError('CONFLICT', 'lease lost', 'CONFLICT')],
    ['a refused argument', new HubApiError('INVALID_REQUEST', 'hub API error: bad', 'BAD_USER_INPUT')],
  ])('%s fails the send as it is and quarantines nothing', async (_name, failure) => {
    const hub = new SizeLimitedHub(2048 * KB, failure);
    const sender = new TrackSender(hub, silent, { maxRequestBytes: 2048 * KB, maxItems: 100 });
    await expect(sender.send('mbx-1', [entry(1, 10 * KB)], { cursor: 'c1', leaseId: 'l', quarantine: [] })).rejects.toBe(failure);
    expect(hub.requests).toHaveLength(1);
  });
});
