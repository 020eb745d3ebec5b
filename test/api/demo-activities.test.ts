import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { ok } from './gql-helpers';

// `npm start` opens on a lived-in organization: timelines already show email threads, calls, tasks and meetings.
describe.each(DIALECTS)('the demo history on %s', (dialect) => {
  let hub: StartedHub;
  beforeAll(async () => {
    hub = await startHub({ dialect, env: { SEED_DEMO_ACTIVITIES: 'true' } });
  }, 120_000);
  afterAll(() => hub?.close());

  it('gives the salesperson\'s contacts email threads and the accounts rolled-up timelines with calls, tasks or meetings too', async () => {
    const sam = await hub.login('sam.sales@demo.crm.test');
    const accounts = ok(await hub.gql('{ accounts(first: 5) { edges { node { id } } } }', {}, sam)).accounts.edges;
    const kinds = new Set<string>();
    let total = 0;
    for (const { node } of accounts) {
      const page = ok(
        await hub.gql(
          'query($id: ID!) { timeline(recordId: $id, first: 100, includeRelated: true) { totalCount edges { node { kind subject ... on Email { status textBody regarding { __typename } } } } } }',
          { id: node.id },
          sam,
        ),
      ).timeline;
      total += page.totalCount;
      for (const { node: activity } of page.edges) {
        kinds.add(activity.kind);
        if (activity.kind === 'EMAIL') expect(activity.textBody.length).toBeGreaterThan(10);
      }
    }
    expect(total).toBeGreaterThan(5);
    expect(kinds.has('EMAIL')).toBe(true);
    expect(kinds.size).toBeGreaterThanOrEqual(2);
    const counts = ok(await hub.gql('{ mailboxes { trackingCounts { outcome count } } }', {}, sam)).mailboxes[0].trackingCounts;
    expect(counts[0]).toMatchObject({ outcome: 'TRACKED' });
  });
});
