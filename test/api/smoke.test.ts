import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';

describe.each(DIALECTS)('hub smoke on %s', (dialect) => {
  let hub: StartedHub;
  beforeAll(async () => {
    hub = await startHub({ dialect });
  });
  afterAll(() => hub?.close());

  it('logs in and lists accounts', async () => {
    const token = await hub.login('admin@demo.crm.test');
    const result = await hub.gql('{ viewer { fullName roles { name } } accounts(first: 5) { totalCount edges { node { id name emails telephone owner { fullName } } } } }', {}, token);
    expect(result.errors).toBeUndefined();
    expect(result.data.viewer.fullName).toBe('Ada Admin');
    expect(result.data.accounts.totalCount).toBeGreaterThanOrEqual(20);
  });
});
