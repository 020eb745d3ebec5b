import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type StartedHub } from '../support/hub';

// What a browser gets from the hub's origin: a strict CSP, no framing, no referrer, no sniffing, on
// every kind of response; and no CDN landing page at /graphql. The headers do not depend on the
// database, so one dialect is enough.

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8';

let hub: StartedHub;
let webDist: string;

/** The CSP header as a map of directive to its sources. */
function directives(header: string | null): Map<string, string[]> {
  expect(header, 'a Content-Security-Policy header').toBeTruthy();
  return new Map(
    header!
      .split(';')
      .map((part) => part.trim().split(/\s+/))
      .filter((words) => words[0])
      .map(([name, ...sources]) => [name.toLowerCase(), sources]),
  );
}

function expectHardened(response: Response, what: string) {
  const csp = directives(response.headers.get('content-security-policy'));
  expect(csp.get('default-src'), what).toEqual(["'self'"]);
  expect(csp.get('script-src'), what).toEqual(["'self'"]);
  expect(csp.get('object-src'), what).toEqual(["'none'"]);
  expect(csp.get('frame-ancestors'), what).toEqual(["'none'"]);
  expect(csp.get('base-uri'), what).toEqual(["'none'"]);
  expect(csp.get('form-action'), what).toEqual(["'self'"]);
  expect(csp.get('connect-src'), what).toEqual(["'self'"]);
  // Inline images are handed to the email frame as bytes; nothing loads from another server.
  expect(csp.get('img-src'), what).toEqual(["'self'", 'data:']);
  for (const [name, sources] of csp) {
    expect(sources.filter((s) => /^(https?:|\*|'unsafe-eval'|'strict-dynamic')/.test(s)), `${what}: ${name}`).toEqual([]);
    if (name.startsWith('script')) expect(sources, `${what}: ${name}`).not.toContain("'unsafe-inline'");
  }
  expect(response.headers.get('x-frame-options'), what).toBe('DENY');
  expect(response.headers.get('referrer-policy'), what).toBe('no-referrer');
  expect(response.headers.get('x-content-type-options'), what).toBe('nosniff');
  expect(response.headers.get('x-powered-by'), what).toBeNull();
}

beforeAll(async () => {
  // A stand-in for web/dist, so this test does not need the UI built.
  webDist = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-hub-web-'));
  fs.mkdirSync(path.join(webDist, 'assets'));
  fs.writeFileSync(path.join(webDist, 'index.html'), '<!doctype html><title>hub</title><script type="module" src="/assets/app.js"></script>');
  fs.writeFileSync(path.join(webDist, 'assets/app.js'), 'console.log("hub");');
  hub = await startHub({ dialect: 'sqlite', env: { WEB_DIST_DIR: webDist } });
});

afterAll(async () => {
  await hub?.close();
  fs.rmSync(webDist, { recursive: true, force: true });
});

describe('security headers', () => {
  it.each([
    ['the UI', '/', {}],
    ['a client-side route', '/accounts', {}],
    ['a static file', '/assets/app.js', {}],
    ['the health check', '/healthz', {}],
    ['a download without credentials', '/attachments/nothing', {}],
    ['a missing blob', '/blobs/0000000000000000000000000000000000000000000000000000000000000000', {}],
    ['GraphQL over GET', '/graphql?query=%7B__typename%7D', { 'apollo-require-preflight': 'true', accept: 'application/json' }],
  ])('are on %s', async (what, url, headers) => {
    expectHardened(await fetch(`${hub.url}${url}`, { headers }), what);
  });

  it('are on GraphQL answers and refusals', async () => {
    const ok = await fetch(hub.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(await ok.json()).toEqual({ data: { __typename: 'Query' } });
    expectHardened(ok, 'a GraphQL answer');
    const refused = await fetch(hub.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ nope }' }) });
    expect(refused.status).toBe(400);
    expectHardened(refused, 'a GraphQL refusal');
  });
});

describe('GET /graphql from a browser', () => {
  it('leads to the UI’s API explorer, not a landing page with scripts from a CDN', async () => {
    const response = await fetch(hub.graphqlUrl, { headers: { accept: BROWSER_ACCEPT }, redirect: 'manual' });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/#/explorer');
    expect(await response.text()).not.toMatch(/<script|cdn|apollographql/i);
    expectHardened(response, 'the redirect');

    const followed = await fetch(hub.graphqlUrl, { headers: { accept: BROWSER_ACCEPT } });
    expect(followed.status).toBe(200);
    expect(await followed.text()).toContain('<script type="module" src="/assets/app.js">');
  });

  it.each([
    ['no Accept header', {}],
    ['Accept: */*', { accept: '*/*' }],
    ['Accept: application/json', { accept: 'application/json' }],
    ['Accept: GraphQL over HTTP', { accept: 'application/graphql-response+json, application/json;q=0.9' }],
  ])('answers a program with %s as GraphQL, never with HTML', async (_what, headers) => {
    const response = await fetch(hub.graphqlUrl, { headers: { 'apollo-require-preflight': 'true', ...headers }, redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(response.headers.get('content-type')).not.toMatch(/html/);
    expect(await response.text()).not.toMatch(/<script|cdn/i);
  });
});
