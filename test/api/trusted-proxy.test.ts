import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, firstSettled, heldRequest } from '../support/held-request';
import { DIALECTS, startHub, type GqlResult, type StartedHub } from '../support/hub';
import { ok } from './gql-helpers';

// Behind a reverse proxy every client arrives from the proxy's address; with TRUST_PROXY naming that proxy, the
// per-client limits count the client it forwards (X-Forwarded-For). Without TRUST_PROXY the header is ignored
// (sign-in-limits.test.ts and request-limits.test.ts).

const LOGIN = 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }';

/** A sign-in forwarded by a proxy on loopback for the client `forwardedFor`. */
async function signInFor(hub: StartedHub, forwardedFor: string, email: string, password: string): Promise<GqlResult> {
  const response = await fetch(hub.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
    body: JSON.stringify({ query: LOGIN, variables: { email, password } }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

describe.each(DIALECTS)('per-client limits behind a trusted proxy (TRUST_PROXY=loopback) on %s', (dialect) => {
  let hub: StartedHub;
  beforeAll(async () => {
    hub = await startHub({ dialect, env: { TRUST_PROXY: 'loopback', SIGN_IN_LIMIT_PER_CLIENT: '3', SIGN_IN_LIMIT_TOTAL: '1000', MAX_CONCURRENT_PER_CALLER: '2' } });
  });
  afterAll(() => hub?.close());

  it('counts each forwarded client’s sign-ins on its own, and still limits each', async () => {
    const wrong = (client: string) => signInFor(hub, client, 'nobody@demo.crm.test', 'wrong-password');
    // Two clients behind the one proxy, three attempts each: within either's limit, though six share the proxy's address.
    for (let i = 0; i < 3; i++) {
      for (const client of ['198.51.100.7', '2001:db8:1:2::9']) expect((await wrong(client)).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
    }
    // One of them goes on alone and is refused (within eight: a window's turn splits them four and four at worst).
    const more: GqlResult[] = [];
    for (let i = 0; i < 8; i++) more.push(await wrong('198.51.100.7'));
    expect(more.some((a) => a.errors?.[0].extensions?.code === 'RATE_LIMITED')).toBe(true);
    // A client that writes its own X-Forwarded-For is counted under the address the proxy appended, the rightmost.
    expect(ok(await signInFor(hub, '198.51.100.7, 192.0.2.44', 'sam.sales@demo.crm.test', hub.demoPassword)).login.token).toMatch(/^crm_ses_/);
  });

  it('gives each forwarded client not signed in its own share of operations at once', async () => {
    const held = (client: string) => heldRequest(hub, undefined, '{ __typename }', { 'x-forwarded-for': client });
    const first = [held('198.51.100.20'), held('198.51.100.20'), held('198.51.100.20')];
    // Two are admitted and wait for their bodies; the third is refused at once.
    const [refusal] = await firstSettled(
      first.map((r) => r.answer),
      1,
    );
    expect(refusal.status).toBe(429);
    expect(codeOf(refusal)).toBe('RATE_LIMITED');
    // Meanwhile another client behind the same proxy is served.
    const other = held('198.51.100.21');
    other.finish();
    expect((await other.answer).status).toBe(200);
    for (const r of first.filter((r) => !r.answered)) r.finish();
    await Promise.all(first.map((r) => r.answer));
    for (const r of [...first, other]) r.abandon();
  });

  it('counts a forwarded value that is no address as the proxy that sent it', async () => {
    const long = `client-${'x'.repeat(500)}`;
    const answer = await signInFor(hub, long, 'nobody@demo.crm.test', 'wrong-password');
    expect(answer.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });
});
