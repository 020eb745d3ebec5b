import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SignInCounter } from '../../api/src/identity/sign-in-counter.entity';
import { SignInThrottle } from '../../api/src/identity/sign-in-throttle';
import { DIALECTS, startHub, type GqlResult, type StartedHub } from '../support/hub';
import { ok } from './gql-helpers';

const LOGIN = 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }';

/** A sign-in sent from a chosen loopback address (127.0.0.0/8 is all local on Linux), as another client would. */
function signInFrom(hub: StartedHub, localAddress: string, email: string, password: string, headers: Record<string, string> = {}): Promise<GqlResult> {
  const body = JSON.stringify({ query: LOGIN, variables: { email, password } });
  return new Promise((resolve, reject) => {
    const request = http.request(`${hub.graphqlUrl}`, { method: 'POST', localAddress, headers: { 'content-type': 'application/json', ...headers } }, (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk) => (text += chunk)).on('end', () => resolve({ status: response.statusCode!, ...JSON.parse(text) }));
    });
    request.on('error', reject).end(body);
  });
}

describe.each(DIALECTS)('sign-in limits on %s', (dialect) => {
  let hub: StartedHub;
  beforeAll(async () => {
    // The total is high enough that only the per-client limit refuses here; the throttle's own test below covers the total.
    hub = await startHub({ dialect, env: { SIGN_IN_LIMIT_PER_CLIENT: '3', SIGN_IN_LIMIT_TOTAL: '1000' } });
  });
  afterAll(() => hub?.close());

  it('one client gets RATE_LIMITED, with one message whether or not the email is a user; another client still signs in', async () => {
    const attempts: GqlResult[] = [];
    // Twelve in a row: even if a minute window turns over midway, one window holds six, three over the limit.
    for (let i = 0; i < 12; i++) {
      attempts.push(await signInFrom(hub, '127.0.0.1', i % 2 ? 'nobody@demo.crm.test' : 'sam.sales@demo.crm.test', hub.demoPassword));
    }
    const limited = attempts.map((a, i) => ({ i, error: a.errors?.[0] })).filter((a) => a.error?.extensions?.code === 'RATE_LIMITED');
    // Refused for the right password of a user and for an unknown email alike: the limit is not about wrong passwords.
    expect(limited.some((a) => a.i % 2 === 0)).toBe(true);
    expect(limited.some((a) => a.i % 2 === 1)).toBe(true);
    expect(new Set(limited.map((a) => a.error!.message)).size).toBe(1);
    expect(limited[0].error!.message).toBe('Too many sign-in attempts right now. Wait a minute, then try again.');
    for (const { error } of limited) expect(error!.extensions!.retryAfterSeconds).toBeGreaterThanOrEqual(1);

    expect(ok(await signInFrom(hub, '127.0.0.2', 'sam.sales@demo.crm.test', hub.demoPassword)).login.token).toMatch(/^crm_ses_/);
  });

  it('ignores X-Forwarded-For when no proxy is trusted: a client that names other addresses is still one client', async () => {
    const forwarded = (i: number) => ({ 'x-forwarded-for': `203.0.113.${i}` });
    const attempts: GqlResult[] = [];
    // Twelve, each naming another address: even across a window's turn, one window holds six from this one socket address.
    for (let i = 0; i < 12; i++) attempts.push(await signInFrom(hub, '127.0.0.3', 'nobody@demo.crm.test', 'wrong-password', forwarded(i)));
    const limited = attempts.filter((a) => a.errors?.[0].extensions?.code === 'RATE_LIMITED');
    expect(limited.length).toBeGreaterThanOrEqual(3);
  });

  it('counts per client and in total, per minute window, across processes through the database', async () => {
    let now = new Date('2031-05-01T10:00:10.000Z');
    const throttle = new SignInThrottle(hub.database.dataSource, { perClient: 3, total: 5 }, () => now);
    const admitted = async (address: string) => (await throttle.admit(address)) === undefined;
    expect([await admitted('198.51.100.1'), await admitted('198.51.100.1'), await admitted('198.51.100.1')]).toEqual([true, true, true]);
    expect(await throttle.admit('198.51.100.1')).toBe(50); // seconds left in the window
    // Another process, same database: the same counts.
    const other = new SignInThrottle(hub.database.dataSource, { perClient: 3, total: 5 }, () => now);
    expect(await other.admit('::ffff:198.51.100.1')).toBe(50);
    // One IPv6 /64 is one client.
    expect(await admitted('2001:db8:7:7::1')).toBe(true);
    expect(await admitted('2001:db8:7:7:ffff::2')).toBe(true);
    // Six attempts admitted in total would pass the total limit of five.
    expect(await throttle.admit('203.0.113.9')).toBe(50);

    now = new Date('2031-05-01T10:01:00.000Z');
    expect(await admitted('198.51.100.1')).toBe(true);
    // The first attempt of a window deletes the windows before it.
    const rows = await hub.database.dataSource.getRepository(SignInCounter).find();
    expect(rows.filter((r) => r.bucket.endsWith(`@${Date.parse('2031-05-01T10:00:00.000Z')}`))).toEqual([]);
  });
});
