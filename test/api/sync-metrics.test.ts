import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../api/src/common/ids';
import { Mailbox } from '../../api/src/mail/mailbox.entity';
import { SyncMetricEvent, SyncMetricKind } from '../../api/src/mail/sync-metric-event.entity';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { gmailMessage, newsletter, TRACK_EMAILS } from '../support/mail-fixtures';
import { configureMailbox, insertMailboxes, insertProfile, mailboxGlobalId, rawId } from '../support/mail-setup';
import { countRows, failed, ok, uniqueTag } from './gql-helpers';

// The sync dashboard's query: what the engine's reports, trackEmails batches and send reports recorded, in the
// right buckets, for exactly the mailboxes the caller may see. The api runs on a clock the test sets, so every
// event lands at a known instant.

const FIGURES = `tracked linked filtered rejected quarantined syncRuns failedSyncRuns lagSamples lagAverageSeconds lagP50Seconds lagP95Seconds lagMaxSeconds
  sent sendFailed sendRetried sendUncertain`;
const METRICS = `query($range: SyncMetricsRange!, $mailboxId: ID) {
  syncMetrics(range: $range, mailboxId: $mailboxId) { range bucketMinutes from to mailboxCount buckets { start end figures { ${FIGURES} } } totals { ${FIGURES} } }
}`;
const CLAIM = 'mutation($limit: Int) { claimMailboxes(engineId: "metrics-engine", limit: $limit) { mailboxId leaseId job } }';
const RELEASE = 'mutation($m: ID!, $l: ID!, $r: SyncReportInput!) { releaseMailbox(mailboxId: $m, leaseId: $l, report: $r) { id } }';
const SEND = 'mutation($input: SendEmailInput!) { sendEmail(input: $input) { id } }';
const CLAIM_OUTGOING = 'mutation($leaseSeconds: Int) { claimOutgoingEmails(limit: 100, leaseSeconds: $leaseSeconds) { emailId leaseId } }';
const MARK_SENT = 'mutation($emailId: ID!, $leaseId: ID!) { markEmailSent(emailId: $emailId, leaseId: $leaseId) { id } }';
const MARK_FAILED = 'mutation($emailId: ID!, $leaseId: ID!, $retryable: Boolean!) { markEmailFailed(emailId: $emailId, leaseId: $leaseId, reason: "550 no such user", retryable: $retryable) { id } }';
const RESOLVE = 'mutation($emailId: ID!) { resolveUncertainEmail(emailId: $emailId, delivered: true) { id } }';

/** "Now" of every query below; events are placed before it. */
const Q = new Date('2026-12-04T12:34:30.000Z');
const before = (ms: number) => new Date(Q.getTime() - ms);
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

type Figures = Record<string, number | null>;
const ZERO: Figures = {
  tracked: 0, linked: 0, filtered: 0, rejected: 0, quarantined: 0, syncRuns: 0, failedSyncRuns: 0,
  lagSamples: 0, lagAverageSeconds: null, lagP50Seconds: null, lagP95Seconds: null, lagMaxSeconds: null, sent: 0, sendFailed: 0, sendRetried: 0, sendUncertain: 0,
};
const figures = (changes: Figures): Figures => ({ ...ZERO, ...changes });
/** The buckets that are not all zeros, by position. */
const nonZero = (buckets: { start: string; end: string; figures: Figures }[]) =>
  Object.fromEntries(buckets.flatMap((b, i) => (Object.entries(b.figures).every(([key, value]) => ZERO[key] === value) ? [] : [[i, b.figures]])));

describe.each(DIALECTS)('syncMetrics on %s', (dialect) => {
  let hub: StartedHub;
  let now = Q;
  const tokens: Record<string, string> = {};
  const mailboxes: Record<string, string> = {};
  let profileId: string;
  const tag = uniqueTag('Metrics');
  const SAM = 'sam.sales@demo.crm.test';
  const SARA = 'sara.sales@demo.crm.test';

  const at = (instant: Date) => {
    now = instant;
  };
  const metrics = (range: string, token: string, mailboxId?: string) => hub.gql(METRICS, { range, mailboxId }, token);
  const engine = (query: string, variables: Record<string, unknown> = {}) => hub.gql(query, variables, hub.syncServiceKey);
  /** Claims the mailbox (others that are due may be claimed along; their leases are cleared when they are configured again). */
  const claimOne = async (address: string) => {
    const work = ok(await engine(CLAIM, { limit: 50 })).claimMailboxes as { mailboxId: string; leaseId: string }[];
    const mine = work.find((w) => w.mailboxId === mailboxes[address]);
    if (!mine) throw new Error(`${address} was not claimed: ${JSON.stringify(work)}`);
    return mine;
  };
  const run = async (address: string, instant: Date, report: Record<string, unknown>, batch?: Record<string, unknown>) => {
    at(instant);
    await configureMailbox(hub, mailboxes[address], { profileId, extra: { trackingFilter: 'ALL' as never, nextSyncAt: null } });
    const work = await claimOne(address);
    if (batch) ok(await engine(TRACK_EMAILS, { mailboxId: work.mailboxId, input: { ...batch, leaseId: work.leaseId } }));
    ok(await engine(RELEASE, { m: work.mailboxId, l: work.leaseId, r: report }));
  };

  beforeAll(async () => {
    hub = await startHub({ dialect, clock: () => now });
    for (const who of ['admin', 'sam.sales', 'sara.sales']) tokens[who] = await hub.login(`${who}@demo.crm.test`);
    for (const m of ok(await engine('{ mailboxes { id address ownerKind } }')).mailboxes) if (m.ownerKind === 'USER') mailboxes[m.address] = m.id;
    profileId = await insertProfile(hub, { name: `${tag} profile` });
  });
  afterAll(() => hub?.close());

  it('before anything happened: every bucket of each range, all zeros, no lag', async () => {
    for (const [range, count, minutes, from] of [
      ['HOUR', 60, 1, '2026-12-04T11:35:00.000Z'],
      ['DAY', 96, 15, '2026-12-03T12:45:00.000Z'],
      ['WEEK', 168, 60, '2026-11-27T13:00:00.000Z'],
    ] as const) {
      const answer = ok(await metrics(range, tokens.admin)).syncMetrics;
      expect(answer).toMatchObject({ range, bucketMinutes: minutes, from, totals: ZERO });
      expect(answer.buckets).toHaveLength(count);
      expect(answer.buckets[0].start).toBe(from);
      expect(answer.to).toBe(answer.buckets[count - 1].end);
      expect(new Date(answer.buckets[count - 1].start).getTime()).toBeLessThanOrEqual(Q.getTime());
      expect(new Date(answer.to).getTime()).toBeGreaterThan(Q.getTime());
      expect(nonZero(answer.buckets)).toEqual({});
      expect(answer.mailboxCount).toBeGreaterThanOrEqual(6);
    }
    // A salesperson sees their own mailbox's (empty) figures.
    expect(ok(await metrics('HOUR', tokens['sam.sales'])).syncMetrics).toMatchObject({ mailboxCount: 1, totals: ZERO });
  });

  describe('after a week of sync', () => {
    let prunable: number;

    beforeAll(async () => {
      // Nine days ago (outside every range, and past the retention): Sara's mailbox synced.
      await run(SARA, before(9 * DAY), { outcome: 'SUCCESS', itemsProcessed: 0 });
      // Two days ago: Sam's server refused the credentials.
      await run(SAM, before(2 * DAY), { outcome: 'AUTH_FAILED', code: 'AUTH_FAILED', message: 'refused' });
      // Three hours ago: Sara's mailbox synced again.
      await run(SARA, before(3 * HOUR), { outcome: 'SUCCESS', itemsProcessed: 0 });
      // 12:14:30: Sam's first complete sync reads an old message: backfill, so no lag is measured.
      const old = gmailMessage({ from: { address: `old-${tag}@customer.example` }, to: [{ address: SAM }], subject: `${tag} old`, date: before(30 * DAY) });
      await run(SAM, before(20 * MIN), { outcome: 'SUCCESS', itemsProcessed: 1 }, { items: [old] });
      // 12:24:30: a message that waited 30 s (tracked), a newsletter that waited 90 s (filtered), the old one again
      // (a duplicate: counted nowhere), one whose attachment is not uploaded (rejected) and one quarantined; then a timeout.
      const t1 = before(10 * MIN);
      const fresh = gmailMessage({ from: { address: `new-${tag}@customer.example` }, to: [{ address: SAM }], subject: `${tag} fresh`, date: new Date(t1.getTime() - 30_000) });
      const bulk = { ...newsletter({ from: { address: `news-${tag}@vendor.example` }, to: [{ address: SAM }] }), receivedAt: new Date(t1.getTime() - 90_000).toISOString() };
      const withFile = {
        ...gmailMessage({ from: { address: `file-${tag}@customer.example` }, to: [{ address: SAM }], subject: `${tag} file`, date: new Date(t1.getTime() - 10_000) }),
        attachments: [{ fileName: 'plan.pdf', contentType: 'application/pdf', size: 10, sha256: 'ab'.repeat(32) }],
      };
      const quarantine = [{ sourceRef: `imap:INBOX:1:${tag}`, folder: 'INBOX', code: 'INVALID_MESSAGE', reason: 'unparseable MIME' }];
      await run(SAM, t1, { outcome: 'TEMPORARY_FAILURE', code: 'TIMEOUT', message: 'timed out' }, { items: [fresh, bulk, old, withFile], quarantine });

      // 12:29:30: Sam sends four emails; the engine claims them for a minute.
      at(before(5 * MIN));
      for (const n of [1, 2, 3, 4]) ok(await hub.gql(SEND, { input: { to: [`to-${n}-${tag}@customer.example`], subject: `${tag} send ${n}`, textBody: 'Hello' } }, tokens['sam.sales']));
      const claimed = ok(await engine(CLAIM_OUTGOING, { leaseSeconds: 60 })).claimOutgoingEmails as { emailId: string; leaseId: string }[];
      expect(claimed).toHaveLength(4);
      const [sent, gaveUp, retrying, quiet] = claimed;
      // 12:30:00: one sent, one refused for good, one refused for now.
      at(new Date(Q.getTime() - 4.5 * MIN));
      ok(await engine(MARK_SENT, sent));
      ok(await engine(MARK_FAILED, { ...gaveUp, retryable: false }));
      ok(await engine(MARK_FAILED, { ...retrying, retryable: true }));
      // 12:31:30: the fourth one's lease ran out (found by the next claim): UNCERTAIN. 12:32:30: found in Sent.
      at(before(3 * MIN));
      ok(await engine(CLAIM_OUTGOING, { leaseSeconds: 60 }));
      at(before(2 * MIN));
      ok(await engine(RESOLVE, { emailId: quiet.emailId }));
      // 12:33:30: a message that waited twenty minutes.
      const late = gmailMessage({ from: { address: `late-${tag}@customer.example` }, to: [{ address: SAM }], subject: `${tag} late`, date: before(21 * MIN) });
      await run(SAM, before(MIN), { outcome: 'SUCCESS', itemsProcessed: 1 }, { items: [late] });
      at(Q);
      prunable = await countRows(hub, 'sync_metric_event', `minute < ${Math.floor(Q.getTime() / MIN) - 8 * 24 * 60}`);
    });

    const samHour = {
      39: figures({ tracked: 1, syncRuns: 1 }),
      49: figures({ tracked: 1, filtered: 1, rejected: 1, quarantined: 1, syncRuns: 1, failedSyncRuns: 1, lagSamples: 2, lagAverageSeconds: 60, lagP50Seconds: 30, lagP95Seconds: 90, lagMaxSeconds: 90 }),
      55: figures({ sent: 1, sendFailed: 1, sendRetried: 1 }),
      56: figures({ sendUncertain: 1 }),
      57: figures({ sent: 1 }),
      58: figures({ tracked: 1, syncRuns: 1, lagSamples: 1, lagAverageSeconds: 1200, lagP50Seconds: 1200, lagP95Seconds: 1200, lagMaxSeconds: 1200 }),
    };
    // Lag over the hour: 30 s, 90 s and 1200 s. The median lies in the class up to 2 min, the 95th percentile in the
    // class up to 30 min, whose edge the largest lag caps.
    const samHourTotals = figures({
      tracked: 3, filtered: 1, rejected: 1, quarantined: 1, syncRuns: 3, failedSyncRuns: 1,
      lagSamples: 3, lagAverageSeconds: 440, lagP50Seconds: 120, lagP95Seconds: 1200, lagMaxSeconds: 1200,
      sent: 2, sendFailed: 1, sendRetried: 1, sendUncertain: 1,
    });

    it('HOUR: each event in its minute, and the totals', async () => {
      const answer = ok(await metrics('HOUR', tokens.admin)).syncMetrics;
      expect(nonZero(answer.buckets)).toEqual(samHour);
      expect(answer.buckets[49]).toMatchObject({ start: '2026-12-04T12:24:00.000Z', end: '2026-12-04T12:25:00.000Z' });
      expect(answer.totals).toEqual(samHourTotals);
    });

    it('DAY: fifteen-minute buckets, with Sara\'s run three hours ago', async () => {
      const answer = ok(await metrics('DAY', tokens.admin)).syncMetrics;
      expect(nonZero(answer.buckets)).toEqual({
        83: figures({ syncRuns: 1 }),
        93: samHour[39],
        94: samHour[49],
        95: figures({ ...samHour[58], sent: 2, sendFailed: 1, sendRetried: 1, sendUncertain: 1 }),
      });
      expect(answer.buckets[83].start).toBe('2026-12-04T09:30:00.000Z');
      expect(answer.totals).toEqual({ ...samHourTotals, syncRuns: 4 });
    });

    it('WEEK: hourly buckets, with the authentication failure two days ago; nine days ago is outside', async () => {
      const answer = ok(await metrics('WEEK', tokens.admin)).syncMetrics;
      const buckets = nonZero(answer.buckets);
      expect(Object.keys(buckets).map(Number)).toEqual([119, 164, 167]);
      expect(buckets[119]).toEqual(figures({ syncRuns: 1, failedSyncRuns: 1 }));
      expect(answer.buckets[119].start).toBe('2026-12-02T12:00:00.000Z');
      expect(buckets[164]).toEqual(figures({ syncRuns: 1 }));
      expect(answer.totals).toEqual({ ...samHourTotals, syncRuns: 5, failedSyncRuns: 2 });
    });

    it('one mailbox: its own figures only', async () => {
      const sara = ok(await metrics('WEEK', tokens.admin, mailboxes[SARA])).syncMetrics;
      expect(sara).toMatchObject({ mailboxCount: 1, totals: figures({ syncRuns: 1 }) });
      const sam = ok(await metrics('HOUR', tokens.admin, mailboxes[SAM])).syncMetrics;
      expect(sam.totals).toEqual(samHourTotals);
    });

    it('a salesperson (no mailbox privilege) sees only their own mailbox, across the organization and by id', async () => {
      const own = ok(await metrics('DAY', tokens['sam.sales'])).syncMetrics;
      expect(own.mailboxCount).toBe(1);
      expect(own.totals).toEqual(samHourTotals);
      expect(ok(await metrics('DAY', tokens['sam.sales'], mailboxes[SAM])).syncMetrics.totals).toEqual(samHourTotals);
      // Sara sees her run, none of Sam's work.
      expect(ok(await metrics('DAY', tokens['sara.sales'])).syncMetrics.totals).toEqual(figures({ syncRuns: 1 }));
    });

    it('another user\'s mailbox answers exactly like one that does not exist', async () => {
      const missing = mailboxGlobalId(newId());
      const hidden = failed(await metrics('DAY', tokens['sam.sales'], mailboxes[SARA]), 'NOT_FOUND', 'mailboxId');
      const absent = failed(await metrics('DAY', tokens['sam.sales'], missing), 'NOT_FOUND', 'mailboxId');
      expect(hidden.message.replace(mailboxes[SARA], '<id>')).toBe(absent.message.replace(missing, '<id>'));
      expect(Object.keys(hidden.extensions!).sort()).toEqual(Object.keys(absent.extensions!).sort());
    });

    it('malformed input is BAD_USER_INPUT naming the argument; no caller, no figures', async () => {
      const badRange = failed(await metrics('MONTH', tokens.admin), 'BAD_USER_INPUT');
      expect(badRange.message).toContain('$range');
      failed(await metrics('HOUR', tokens.admin, 'not-an-id'), 'BAD_USER_INPUT', 'mailboxId');
      // The id of something that is not a mailbox.
      failed(await metrics('HOUR', tokens.admin, Buffer.from(`User:${rawId(mailboxes[SAM])}`).toString('base64url')), 'BAD_USER_INPUT', 'mailboxId');
      failed(await metrics('HOUR', tokens.admin, 'x'.repeat(5000)), 'BAD_USER_INPUT');
      failed(await hub.gql(METRICS, { range: 'HOUR' }), 'UNAUTHENTICATED');
    });

    it('as many statements for 60 mailboxes with history as for a handful', async () => {
      const measure = async (token: string) => {
        await metrics('WEEK', token);
        hub.database.queries.reset();
        ok(await metrics('WEEK', token));
        return hub.database.queries.statements;
      };
      const adminBefore = await measure(tokens.admin);
      const samBefore = await measure(tokens['sam.sales']);
      const { ownerUserId: owner } = await hub.database.dataSource.getRepository(Mailbox).findOneByOrFail({ id: rawId(mailboxes[SAM]) });
      const extra = await insertMailboxes(hub, owner, 60, `${tag}-many`);
      await hub.database.dataSource.getRepository(SyncMetricEvent).insert(
        extra.map((mailboxId, i) => ({ id: newId(), mailboxId, at: before(i * MIN), minute: Math.floor(before(i * MIN).getTime() / MIN), kind: SyncMetricKind.RUN, outcome: 'SUCCESS', code: null })),
      );
      expect(await measure(tokens.admin)).toBe(adminBefore);
      expect(await measure(tokens['sam.sales'])).toBe(samBefore);
      expect(adminBefore).toBeLessThanOrEqual(4);
      const week = ok(await metrics('WEEK', tokens['sam.sales'])).syncMetrics;
      expect(week.mailboxCount).toBe(61);
      expect(week.totals.syncRuns).toBe(4 + 60);
    });

    it('the hourly prune removes what is older than eight days, and nothing the ranges show', async () => {
      expect(prunable).toBe(1);
      const total = await countRows(hub, 'sync_metric_event');
      const weekBefore = ok(await metrics('WEEK', tokens.admin)).syncMetrics;
      expect(await hub.services.syncMetrics.prune()).toBe(1);
      expect(await countRows(hub, 'sync_metric_event')).toBe(total - 1);
      expect(ok(await metrics('WEEK', tokens.admin)).syncMetrics).toEqual(weekBefore);
    });
  });
});
