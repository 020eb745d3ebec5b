import { Writable } from 'node:stream';
import { buildClientSchema, getIntrospectionQuery, type IntrospectionQuery, type IntrospectionOptions } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAILBOXES_QUERY } from '../../web/src/mailboxes/mailbox';
import { TIMELINE_QUERY } from '../../web/src/timeline/activity';
import { codeOf, firstSettled, heldRequest, parseJson, type RawAnswer } from '../support/held-request';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { ADMIN, failed, ok, uniqueTag } from './gql-helpers';

const SAM = 'sam.sales@demo.crm.test';
const SARA = 'sara.sales@demo.crm.test';
const MB = 1024 * 1024;

/** A POST to /graphql with exactly these headers and body. */
async function post(hub: StartedHub, body: string | Buffer, headers: Record<string, string>): Promise<RawAnswer> {
  const response = await fetch(hub.graphqlUrl, { method: 'POST', headers, body });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text, json: parseJson(text) };
}

/** `{ a0:__typename a1:__typename … }` with as many aliases as fit in `bytes`. */
function aliasBomb(bytes: number): { query: string; aliases: number } {
  const parts: string[] = [];
  let size = 2;
  for (let i = 0; ; i++) {
    const part = `a${i.toString(36)}:__typename `;
    if (size + part.length > bytes) break;
    parts.push(part);
    size += part.length;
  }
  return { query: `{${parts.join('')}}`, aliases: parts.length };
}

/** `open` and `close` nested `levels` times around `inner`. */
const nested = (levels: number, open: string, inner: string) => `${open} { `.repeat(levels) + inner + ' }'.repeat(levels);

/** What codegen tools and IDEs send: graphql-js's stock introspection query, with its options. */
const INTROSPECTION_OPTIONS: { label: string; options: IntrospectionOptions }[] = [
  { label: 'the defaults', options: {} },
  { label: 'every option', options: { descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true } },
];

/** Fragments that each spread the previous ten times: 10^levels fields from a few hundred bytes. */
function fragmentBomb(levels: number): string {
  const fragments = ['fragment F0 on Query { __typename }'];
  for (let i = 1; i <= levels; i++) fragments.push(`fragment F${i} on Query { ${Array(10).fill(`...F${i - 1}`).join(' ')} }`);
  return `{ ...F${levels} } ${fragments.join(' ')}`;
}

describe.each(DIALECTS)('request limits on %s', (dialect) => {
  let hub: StartedHub;
  let admin: string;
  let sam: string;
  const logLines: string[] = [];
  const previousNodeEnv = process.env.NODE_ENV;

  beforeAll(async () => {
    // As in production: Express's default error page printed the failed request (body included) to stderr there.
    process.env.NODE_ENV = 'production';
    hub = await startHub({
      dialect,
      env: { LOG_LEVEL: 'debug', MAX_CONCURRENT_PER_CALLER: '2', MAX_RESPONSE_MB: '1', SYNC_MAX_REQUEST_MB: '4' },
      logDestination: new Writable({
        write(chunk: Buffer, _encoding, done) {
          logLines.push(chunk.toString('utf8'));
          done();
        },
      }),
    });
    admin = await hub.login(ADMIN);
    sam = await hub.login(SAM);
  });
  afterAll(async () => {
    process.env.NODE_ENV = previousNodeEnv;
    await hub?.close();
  });

  describe('request body', () => {
    const padded = (bytes: number) => JSON.stringify({ query: '{ viewer { id } }', variables: { pad: 'x'.repeat(bytes) } });
    const cases: { label: string; token: () => string | undefined; bytes: number; status: number; code?: string }[] = [
      { label: 'a user just under 2 MB', token: () => sam, bytes: 2 * MB - 100, status: 200 },
      { label: 'a user over 2 MB', token: () => sam, bytes: 2 * MB + 1, status: 413, code: 'PAYLOAD_TOO_LARGE' },
      { label: 'an administrator over 2 MB', token: () => admin, bytes: 3 * MB, status: 413, code: 'PAYLOAD_TOO_LARGE' },
      { label: 'nobody signed in, over 2 MB', token: () => undefined, bytes: 3 * MB, status: 413, code: 'PAYLOAD_TOO_LARGE' },
      { label: 'the Sync Service key over 2 MB, within its own limit', token: () => hub.syncServiceKey, bytes: 3 * MB, status: 200 },
      { label: 'the Sync Service key over its own limit', token: () => hub.syncServiceKey, bytes: 5 * MB, status: 413, code: 'PAYLOAD_TOO_LARGE' },
    ];
    it.each(cases)('$label: HTTP $status', async ({ token, bytes, status, code }) => {
      const t = token();
      const answer = await post(hub, padded(bytes), { 'content-type': 'application/json', ...(t ? { authorization: `Bearer ${t}` } : {}) });
      expect(answer.status, answer.text.slice(0, 300)).toBe(status);
      expect(answer.contentType).toMatch(/^application\/json/);
      if (code) expect(codeOf(answer)).toBe(code);
      else if (t) expect(answer.json?.errors).toBeUndefined();
    });
  });

  describe('queries whose size or shape would cost more than they may', () => {
    it('answers an alias bomb within the body limit with QUERY_TOO_COMPLEX before parsing it', async () => {
      const bomb = aliasBomb(2 * MB - 100);
      expect(bomb.aliases).toBeGreaterThan(100_000);
      const answer = await post(hub, JSON.stringify({ query: bomb.query }), { 'content-type': 'application/json' });
      expect(answer.status).toBe(400);
      expect(codeOf(answer)).toBe('QUERY_TOO_COMPLEX');
      expect(answer.json?.errors?.[0].message).toMatch(/more than 10000 tokens/);
    });

    it('answers the 1.5-million-alias bomb of issue 9 with PAYLOAD_TOO_LARGE without parsing it', async () => {
      const query = `{ ${'alias12:__typename '.repeat(1_500_000)}}`;
      expect(query.length).toBeGreaterThan(10 * 2 * MB);
      const answer = await post(hub, JSON.stringify({ query }), { 'content-type': 'application/json' });
      expect(answer.status).toBe(413);
      expect(codeOf(answer)).toBe('PAYLOAD_TOO_LARGE');
    });

    const refused: { label: string; query: () => string; message: RegExp }[] = [
      { label: 'a fragment bomb (10^7 fields in 400 bytes)', query: () => fragmentBomb(7), message: /selects too many fields|selects \d+ fields/ },
      { label: 'one field selected 51 times', query: () => `{ ${Array.from({ length: 51 }, (_, i) => `u${i}: users { id }`).join(' ')} }`, message: /"users" is selected 51 times/ },
      { label: 'the same field repeated without aliases', query: () => `{ ${Array(60).fill('__typename').join(' ')} }`, message: /"__typename" is selected 60 times/ },
      { label: 'more than 2,000 fields', query: () => `{ ${Array.from({ length: 45 }, (_, i) => `v${i}: viewer { ${Array.from({ length: 45 }, (_, j) => `f${j}: id`).join(' ')} }`).join(' ')} }`, message: /selects 2070 fields/ },
      { label: 'users with their roles and privileges (a list inside lists)', query: () => '{ users { roles { privileges { entity privilege depth } } } }', message: /complexity \d+ exceeds the limit of 1000000/ },
      { label: 'a query 13 levels deep', query: () => `{ ${nested(12, 'viewer', 'id')} }`, message: /query depth 13 exceeds the limit of 12/ },
      { label: 'an introspection chain 21 levels deep', query: () => `{ __type(name: "Query") { fields { type { ${nested(17, 'ofType', 'name')} } } } }`, message: /introspection depth 21 exceeds the limit of 20/ },
      {
        label: 'data fields 21 levels deep in a fragment spread inside introspection',
        query: () => `{ __schema { types { ...Data } } } fragment Data on Query { ${nested(18, 'viewer', 'id')} }`,
        message: /introspection depth 21 exceeds the limit of 20/,
      },
      { label: '51 aliases of __schema', query: () => `{ ${Array.from({ length: 51 }, (_, i) => `s${i}: __schema { queryType { name } }`).join(' ')} }`, message: /"__schema" is selected 51 times/ },
      {
        label: '20 aliases of the stock introspection query’s types',
        query: () => {
          const stock = getIntrospectionQuery();
          const fragments = stock.slice(stock.indexOf('fragment FullType'));
          return `{ ${Array.from({ length: 20 }, (_, i) => `s${i}: __schema { types { ...FullType } }`).join(' ')} } ${fragments}`;
        },
        message: /selects 3460 fields/,
      },
      {
        label: '833 aliases of users { roles { privileges } } (issue 9)',
        query: () => `{ ${Array.from({ length: 833 }, (_, i) => `u${i}: users { roles { privileges { entity } } }`).join(' ')} }`,
        message: /"users" is selected 833 times/,
      },
    ];
    it.each(refused)('refuses $label with QUERY_TOO_COMPLEX, by a Salesperson', async ({ query, message }) => {
      const result = await hub.gql(query(), {}, sam);
      const error = failed(result, 'QUERY_TOO_COMPLEX');
      expect(result.status).toBe(400);
      expect(error.message).toMatch(message);
    });

    it.each(INTROSPECTION_OPTIONS)('answers the stock introspection query with $label to a caller not signed in, and buildClientSchema reads it', async ({ options }) => {
      const answer = ok<IntrospectionQuery>(await hub.gql(getIntrospectionQuery(options), {}));
      const schema = buildClientSchema(answer);
      expect(Object.keys(schema.getQueryType()!.getFields())).toContain('viewer');
      expect(schema.getMutationType()!.getFields().login).toBeDefined();
    });

    it('lets the web UI’s own largest queries and the API explorer’s introspection through', async () => {
      ok(await hub.gql('{ __schema { types { name kind fields { name args { name defaultValue type { name kind ofType { name kind } } } type { name kind ofType { name kind ofType { name } } } } inputFields { name } enumValues { name } } } }', {}));
      const account = ok(await hub.gql('mutation($n: String!) { createAccount(input: { name: $n }) { id } }', { n: uniqueTag('Timeline') }, sam));
      ok(await hub.gql(TIMELINE_QUERY, { recordId: account.createAccount.id, first: 20 }, sam));
      ok(await hub.gql(MAILBOXES_QUERY, {}, admin));
    });
  });

  it('stops an answer that outgrows the limit while it is built, with RESPONSE_TOO_LARGE and no partial data', async () => {
    const description = 'd'.repeat(20_000);
    for (let i = 0; i < 10; i++) {
      ok(await hub.gql('mutation($n: String!, $d: String) { createAccount(input: { name: $n, description: $d }) { id } }', { n: uniqueTag('Big'), d: description }, admin));
    }
    const page = 'accounts(first: 100) { edges { node { id description } } }';
    ok(await hub.gql(`{ ${page} }`, {}, admin));
    const eightPages = `{ ${Array.from({ length: 8 }, (_, i) => `p${i}: ${page}`).join(' ')} }`;
    const response = await fetch(hub.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${admin}` }, body: JSON.stringify({ query: eightPages }) });
    const text = await response.text();
    expect(response.status).toBe(400);
    expect(JSON.parse(text)).toEqual({ errors: [{ message: expect.stringMatching(/limit of 1 MB/), extensions: { code: 'RESPONSE_TOO_LARGE' } }] });
    expect(text.length).toBeLessThan(1000);
  });

  it('gives each caller a bounded share: a flooding user is refused with RATE_LIMITED while the sync engine and other users go on', async () => {
    const expensive = '{ users { id email fullName roles { name } } }';
    const flood = Array.from({ length: 6 }, () => heldRequest(hub, sam, expensive));
    // Two are admitted and wait for their bodies; the api refuses the other four at once.
    const refusals = await firstSettled(
      flood.map((r) => r.answer),
      4,
    );
    for (const refusal of refusals) {
      expect(refusal.status).toBe(429);
      expect(codeOf(refusal)).toBe('RATE_LIMITED');
    }
    // At the same moment: the sync engine's request and another user's are served.
    ok(await hub.gql('{ viewer { id roles { name } } }', {}, hub.syncServiceKey));
    ok(await hub.gql('{ viewer { id } }', {}, await hub.login(SARA)));
    // And the flooding user is still refused until one of theirs finishes.
    failed(await hub.gql('{ viewer { id } }', {}, sam), 'RATE_LIMITED');

    const admitted = flood.filter((r) => !r.answered);
    expect(admitted).toHaveLength(2);
    for (const r of admitted) r.finish();
    for (const answer of await Promise.all(admitted.map((r) => r.answer))) {
      expect(answer.status).toBe(200);
      expect(answer.json?.errors).toBeUndefined();
    }
    for (const r of flood) r.abandon();
    ok(await hub.gql('{ viewer { id } }', {}, sam));
  });

  it('counts callers not signed in by the address they connect from: X-Forwarded-For is ignored unless TRUST_PROXY names the proxy', async () => {
    const held = ['198.51.100.1', '198.51.100.2', '198.51.100.3'].map((client) => heldRequest(hub, undefined, '{ __typename }', { 'x-forwarded-for': client }));
    const [refusal] = await firstSettled(
      held.map((r) => r.answer),
      1,
    );
    expect(refusal.status).toBe(429);
    expect(codeOf(refusal)).toBe('RATE_LIMITED');
    for (const r of held.filter((r) => !r.answered)) r.finish();
    await Promise.all(held.map((r) => r.answer));
    for (const r of held) r.abandon();
  });

  describe('refusals before GraphQL are GraphQL-shaped JSON with a code, and nothing of the body is logged', () => {
    const password = 'Sup3r-Secret-Passw0rd!';
    const login = `{"query":"mutation { login(email: \\"${SAM}\\", password: \\"${password}\\") { token } }"}`;
    const cases: { label: string; body: string; headers: Record<string, string>; status: number; code: string }[] = [
      { label: 'a sign-in with malformed JSON', body: login.slice(0, -3), headers: { 'content-type': 'application/json' }, status: 400, code: 'BAD_REQUEST' },
      { label: 'a sign-in sent as text/plain', body: login, headers: { 'content-type': 'text/plain' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
      { label: 'a sign-in as a form post', body: `password=${password}`, headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
      { label: 'a sign-in in an unknown content encoding', body: login, headers: { 'content-type': 'application/json', 'content-encoding': 'x-unknown' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
      { label: 'a sign-in in Latin-1', body: login, headers: { 'content-type': 'application/json; charset=iso-8859-1' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
      { label: 'a JSON string instead of an object', body: JSON.stringify(login), headers: { 'content-type': 'application/json' }, status: 400, code: 'BAD_REQUEST' },
      { label: 'a batch of operations', body: `[${login},${login}]`, headers: { 'content-type': 'application/json' }, status: 400, code: 'BAD_REQUEST' },
      { label: 'an Authorization header that is not a bearer token', body: login, headers: { 'content-type': 'application/json', authorization: `Basic ${password}` }, status: 401, code: 'UNAUTHENTICATED' },
    ];
    it.each(cases)('$label: HTTP $status $code', async ({ body, headers, status, code }) => {
      const stderr: string[] = [];
      const write = process.stderr.write.bind(process.stderr);
      process.stderr.write = ((chunk: string | Uint8Array, ...rest: never[]) => {
        stderr.push(String(chunk));
        return write(chunk, ...rest);
      }) as typeof process.stderr.write;
      const logged = logLines.length;
      let answer: RawAnswer;
      try {
        answer = await post(hub, body, headers);
      } finally {
        process.stderr.write = write;
      }
      expect(answer.status, answer.text).toBe(status);
      expect(answer.contentType).toMatch(/^application\/json/);
      expect(answer.json?.errors?.[0].message).toBeTruthy();
      expect(codeOf(answer)).toBe(code);
      expect(answer.text).not.toContain(password);
      expect(stderr.join('')).not.toContain(password);
      expect(logLines.slice(logged).join('')).not.toContain(password);
    });

    it('logged something for the refusals (so the check above looks at real log output)', () => {
      expect(logLines.join('')).toMatch(/refused a request body/);
    });
  });
});
