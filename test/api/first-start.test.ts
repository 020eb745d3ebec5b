import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '../../api/src/platform/logger';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadApiConfig } from '../../api/src/config';
import { startApi } from '../../api/src/main';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { failed, ok } from './gql-helpers';

const LOGIN = 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token user { fullName } } }';

describe.each(DIALECTS)('an empty organization on %s', (dialect) => {
  let hub: StartedHub;
  beforeAll(async () => {
    hub = await startHub({ dialect, env: { SEED_DEMO: 'false', ADMIN_EMAIL: ' Boss@Example.COM ', ORGANIZATION_NAME: 'Fabrikam Ltd' } });
  });
  afterAll(() => hub?.close());

  it('has the administrator and the name from ADMIN_EMAIL and ORGANIZATION_NAME, and no demo users', async () => {
    const admin = ok(await hub.gql(LOGIN, { email: 'boss@example.com', password: hub.demoPassword })).login.token;
    const data = ok(await hub.gql('{ users { email } businessUnits { name } }', {}, admin));
    expect(data.users.map((u: { email: string }) => u.email).sort()).toEqual(['boss@example.com', 'sync-service@hub.invalid']);
    expect(data.businessUnits).toEqual([{ name: 'Fabrikam Ltd' }]);
  });
});

describe('first start', () => {
  const dirs: string[] = [];
  const dataDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-first-start-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

  const env = (extra: Record<string, string>) => ({ PORT: '0', HOST: '127.0.0.1', DATA_DIR: dataDir(), LOG_LEVEL: 'silent', SEED_DEMO_ACTIVITIES: 'false', ...extra });

  it('refuses to create an empty organization without ADMIN_EMAIL, saying so', async () => {
    const config = loadApiConfig(env({ SEED_DEMO: 'false' }));
    await expect(startApi(config, createLogger('silent'))).rejects.toThrow(/ADMIN_EMAIL must be set/);
  });

  it('lists every bad identity variable in one configuration error', () => {
    const problems = (() => {
      try {
        loadApiConfig(env({ ADMIN_EMAIL: 'not an address', SIGN_IN_LIMIT_PER_CLIENT: '0', SIGN_IN_LIMIT_TOTAL: 'many' }));
      } catch (err) {
        return (err as ConfigError).problems;
      }
      return [];
    })();
    expect(problems).toEqual([
      'ADMIN_EMAIL must be an email address, got "not an address"',
      'SIGN_IN_LIMIT_PER_CLIENT must be an integer from 1 to 1000000, got "0"',
      'SIGN_IN_LIMIT_TOTAL must be an integer from 1 to 1000000, got "many"',
    ]);
  });

  it('gives the administrator and each demo user a password of their own, printed once', async () => {
    const lines: Record<string, any>[] = [];
    const sink = new Writable({ write: (chunk, _encoding, done) => (lines.push(JSON.parse(String(chunk))), done()) });
    // The api's own logger, redaction included: the one-time passwords must survive it.
    const api = await startApi(loadApiConfig(env({})), createLogger('info', 'api', sink));
    try {
      const created = lines.find((l) => String(l.msg).startsWith('organization created'))!;
      expect(created.email).toBe('admin@demo.crm.test');
      const demo = created.demoUsers as { email: string; initialPassword: string }[];
      expect(demo.map((d) => d.email)).toContain('sam.sales@demo.crm.test');
      expect(new Set([created.initialPassword, ...demo.map((d) => d.initialPassword)]).size).toBe(demo.length + 1);
      const gql = async (variables: object) =>
        (await fetch(`http://127.0.0.1:${api.port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: LOGIN, variables }) })).json();
      const sam = demo.find((d) => d.email === 'sam.sales@demo.crm.test')!;
      expect(ok({ status: 200, ...(await gql({ email: sam.email, password: sam.initialPassword })) }).login.user.fullName).toBe('Sam Sales');
      failed({ status: 200, ...(await gql({ email: sam.email, password: created.initialPassword })) }, 'UNAUTHENTICATED');
    } finally {
      await api.close();
    }
  });
});
