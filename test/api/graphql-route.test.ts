import net from 'node:net';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf, parseJson, type RawAnswer } from '../support/held-request';
import { startHub, type StartedHub } from '../support/hub';

// POST /graphql is served by node:http without Express (api/src/server/graphql-http.ts); Express mounts the same
// handler for the rest of /graphql. What Express and body-parser did for the route must still hold: compressed
// bodies, the query string, other spellings of the path, other methods, answers that are JSON with a code. The
// route does not depend on the database, so one dialect is enough.

const TYPENAME = JSON.stringify({ query: '{ __typename }' });

let hub: StartedHub;
beforeAll(async () => {
  hub = await startHub({ dialect: 'sqlite' });
});
afterAll(() => hub?.close());

async function send(pathAndQuery: string, init: RequestInit): Promise<RawAnswer & { headers: Headers }> {
  const response = await fetch(`${hub.url}${pathAndQuery}`, init);
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text, json: parseJson(text), headers: response.headers };
}

const json = { 'content-type': 'application/json' };

/** Writes `request` on a new connection, half-closes it, and returns all the server sent before closing. */
async function rawExchange(request: string): Promise<string> {
  const socket = net.connect(Number(new URL(hub.url).port), '127.0.0.1');
  const chunks: Buffer[] = [];
  socket.on('data', (chunk: Buffer) => chunks.push(chunk));
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.end(request);
  await closed;
  return Buffer.concat(chunks).toString('utf8');
}

describe('the GraphQL route without Express', () => {
  it.each([
    ['gzip', zlib.gzipSync],
    ['deflate', zlib.deflateSync],
    ['br', zlib.brotliCompressSync],
  ] as const)('reads a body sent with Content-Encoding: %s', async (encoding, compress) => {
    const answer = await send('/graphql', { method: 'POST', headers: { ...json, 'content-encoding': encoding }, body: compress(Buffer.from(TYPENAME)) });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toEqual({ data: { __typename: 'Query' } });
  });

  it('answers in compact JSON with its length, as one body', async () => {
    const answer = await send('/graphql', { method: 'POST', headers: json, body: JSON.stringify({ query: '{ a: __typename b: __typename }' }) });
    expect(answer.text).toBe('{"data":{"a":"Query","b":"Query"}}');
    expect(answer.contentType).toMatch(/^application\/(graphql-response\+)?json; charset=utf-8$/);
    expect(answer.headers.get('content-length')).toBe(String(Buffer.byteLength(answer.text)));
  });

  it.each(['/graphql?trace=1', '/GraphQL', '/graphql/'])('serves POST %s as /graphql', async (pathAndQuery) => {
    const answer = await send(pathAndQuery, { method: 'POST', headers: json, body: TYPENAME });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json).toEqual({ data: { __typename: 'Query' } });
  });

  it('answers a method GraphQL does not take with JSON, not an HTML page', async () => {
    const answer = await send('/graphql', { method: 'PATCH', headers: json, body: TYPENAME });
    expect(answer.status).toBe(405);
    expect(answer.contentType).toMatch(/^application\/json/);
    expect(answer.text).not.toMatch(/<html|<pre/i);
  });

  it('answers a POST with an empty body with BAD_REQUEST', async () => {
    const answer = await send('/graphql', { method: 'POST', headers: json });
    expect(answer.status).toBe(400);
    expect(codeOf(answer)).toBe('BAD_REQUEST');
  });

  it('refuses a POST with no body at all (neither Content-Length nor Transfer-Encoding) as the wrong media type', async () => {
    const text = await rawExchange('POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 415 [\s\S]*"code":"UNSUPPORTED_MEDIA_TYPE"/);
  });

  it('answers a body shorter than its Content-Length, once the client gives up sending, with 400, and serves the next request', async () => {
    // Half-closed: the rest of the body never comes. node:http's parser answers that itself.
    const text = await rawExchange(`POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n${TYPENAME}`);
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    const next = await send('/graphql', { method: 'POST', headers: json, body: TYPENAME });
    expect(next.status).toBe(200);
  });

  it('keeps a connection alive across requests', async () => {
    const { port } = new URL(hub.url);
    const socket = net.connect(Number(port), '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    const request = `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${TYPENAME.length}\r\n\r\n${TYPENAME}`;
    socket.write(request + request);
    await expect.poll(() => received.split('{"data":{"__typename":"Query"}}').length - 1, { timeout: 5000 }).toBe(2);
    socket.destroy();
  });
});
