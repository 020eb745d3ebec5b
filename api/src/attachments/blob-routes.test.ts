import { createHash, randomBytes } from 'node:crypto';
import { EventEmitter, once } from 'node:events';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { buffer as readAll } from 'node:stream/consumers';
import express from 'express';
import pino from 'pino';
import { Like, type DataSource } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../common/errors';
import { Blob, BlobChunk } from './blob.entity';
import { blobRoutes } from './blob-routes';
import { BlobStore } from './blob-store';
import { systemClock } from '../platform/clock';
import { createBlobTestDatabase, type BlobTestDatabase } from './blob-test-databases';

const LIMIT = 256 * 1024;
const sha256Of = (data: Buffer) => createHash('sha256').update(data).digest('hex');

describe.each(['sqlite', 'mariadb'] as const)('PUT /blobs on %s', (dialect) => {
  let database: BlobTestDatabase;
  let ds: DataSource;
  let store: BlobStore;
  let server: http.Server;
  let url: string;
  const logged = new EventEmitter();

  beforeAll(async () => {
    database = await createBlobTestDatabase(dialect);
    ds = await database.connect();
    store = new BlobStore(ds, systemClock);
    const app = express();
    app.use(
      blobRoutes({
        store,
        authenticate: async (header) => {
          if (header === 'Bearer good') return { userId: 'u1' };
          if (header === 'Bearer engine') return { userId: 'sync-engine' };
          if (header === 'Bearer expired') throw new ApiError('UNAUTHENTICATED', 'the session has expired or was ended; sign in again');
          return undefined;
        },
        mayReadAny: (caller) => (caller as { userId: string }).userId === 'sync-engine',
        maxBytes: async () => LIMIT,
        uploaderOf: (caller) => ((caller as { userId: string }).userId === 'sync-engine' ? undefined : (caller as { userId: string }).userId),
        // Quotas are tested against a running api (test/api/privacy-oracles.test.ts); here nobody runs out.
        uploads: {
          policy: { quotaBytes: 1 << 30, graceMs: 3_600_000 },
          remaining: async () => 1 << 30,
          reserve: async () => 'reservation',
          settle: async () => undefined,
          release: async () => undefined,
        },
        log: pino({ level: 'info' }, { write: (line: string) => logged.emit('line', JSON.parse(line)) }),
      }),
    );
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/blobs`;
  });
  afterAll(async () => {
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await database?.drop();
  });

  const rows = async () => ({
    blobs: await ds.getRepository(Blob).count(),
    chunks: await ds.getRepository(BlobChunk).count(),
    temporary: await ds.getRepository(BlobChunk).count({ where: { blobKey: Like('tmp:%') } }),
  });

  /** A body sent with chunked transfer coding: no Content-Length announces its size. */
  const streamed = (data: Buffer, pieceBytes = 16 * 1024) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (let offset = 0; offset < data.length; offset += pieceBytes) controller.enqueue(data.subarray(offset, offset + pieceBytes));
        controller.close();
      },
    });

  it('refuses an upload without a valid bearer token', async () => {
    const missing = await fetch(url, { method: 'PUT', body: 'hello' });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: expect.stringContaining('Bearer') } });

    const expired = await fetch(url, { method: 'PUT', body: 'hello', headers: { authorization: 'Bearer expired' } });
    expect(expired.status).toBe(401);
    expect(await expired.json()).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'the session has expired or was ended; sign in again' } });
    expect((await rows()).blobs).toBe(0);
  });

  it('stores a new upload (201), and answers the same for the same content (nothing says it was stored before)', async () => {
    const data = randomBytes(LIMIT);
    const first = await fetch(url, { method: 'PUT', body: data, headers: { authorization: 'Bearer good', 'content-type': 'application/pdf' } });
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ sha256: sha256Of(data), size: data.length });

    const again = await fetch(url, { method: 'PUT', body: streamed(data), duplex: 'half', headers: { authorization: 'Bearer good' } } as RequestInit);
    expect(again.status).toBe(201);
    expect(await again.json()).toEqual({ sha256: sha256Of(data), size: data.length });

    expect((await readAll(store.open(sha256Of(data)))).equals(data)).toBe(true);
    expect(await rows()).toMatchObject({ blobs: 1, temporary: 0 });
  });

  it('refuses a Content-Length above the limit before reading the body', async () => {
    const before = await rows();
    const response = await fetch(url, { method: 'PUT', body: randomBytes(LIMIT + 1), headers: { authorization: 'Bearer good' } });
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({ error: { code: 'ATTACHMENT_TOO_LARGE', message: expect.any(String), limitBytes: LIMIT } });
    expect(await rows()).toEqual(before);
  });

  it('refuses a streamed body once it passes the limit, and keeps nothing of it', async () => {
    const before = await rows();
    for (const size of [LIMIT + 1, 4 * LIMIT, 40 * LIMIT]) {
      const response = await fetch(url, { method: 'PUT', body: streamed(randomBytes(size)), duplex: 'half', headers: { authorization: 'Bearer good' } } as RequestInit);
      expect(response.status).toBe(413);
      expect(await response.json()).toEqual({ error: { code: 'ATTACHMENT_TOO_LARGE', message: expect.any(String), limitBytes: LIMIT } });
      expect(await rows()).toEqual(before);
    }
  });

  it('lets a client that sends a large oversized body in full read the 413 and a clean close', async () => {
    const port = (server.address() as AddressInfo).port;
    const bodyBytes = 40 * LIMIT;
    const outcome = await new Promise<{ answer: string; error?: string }>((resolve) => {
      let answer = '';
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.write(`PUT /blobs HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer good\r\nContent-Length: ${bodyBytes}\r\n\r\n`);
        socket.end(Buffer.alloc(bodyBytes));
      });
      socket.on('data', (piece) => (answer += piece.toString('latin1')));
      socket.on('error', (err: NodeJS.ErrnoException) => resolve({ answer, error: err.code }));
      socket.on('close', () => resolve({ answer }));
    });
    expect(outcome.error).toBeUndefined();
    expect(outcome.answer).toMatch(/^HTTP\/1\.1 413 /);
    expect(outcome.answer).toContain('"ATTACHMENT_TOO_LARGE"');
  });

  it('keeps nothing of an upload the client abandons halfway', async () => {
    const before = await rows();
    const aborted = new Promise<void>((resolve) =>
      logged.on('line', (line: { msg: string }) => line.msg === 'blob upload aborted by the client' && resolve()),
    );
    const socket = net.connect((server.address() as AddressInfo).port, '127.0.0.1');
    await once(socket, 'connect');
    socket.write(`PUT /blobs HTTP/1.1\r\nHost: test\r\nAuthorization: Bearer good\r\nContent-Length: ${LIMIT}\r\n\r\n`);
    // Several chunks' worth, so some are already stored under the temporary key when the client leaves.
    socket.write(randomBytes(LIMIT / 2), () => socket.destroy());
    await aborted;
    expect(await rows()).toEqual(before);
  });

  it('GET /blobs/:sha256 gives the sync engine the bytes, and no one else', async () => {
    const data = randomBytes(150 * 1024); // several chunks
    const stored = (await (await fetch(url, { method: 'PUT', body: data, headers: { authorization: 'Bearer good' } })).json()) as { sha256: string };
    const get = (sha: string, token?: string) => fetch(`${url}/${sha}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    expect((await get(stored.sha256)).status).toBe(401);
    expect((await get(stored.sha256, 'good')).status).toBe(403);
    const response = await get(stored.sha256, 'engine');
    expect(response.status).toBe(200);
    expect(Buffer.from(await response.arrayBuffer()).equals(data)).toBe(true);
    expect((await get('0'.repeat(64), 'engine')).status).toBe(404);
    expect((await get('not-a-hash', 'engine')).status).toBe(404);
  });

  it('serves the next request after a refusal', async () => {
    const response = await fetch(url, { method: 'PUT', body: 'after', headers: { authorization: 'Bearer good' } });
    expect(response.status).toBe(201);
  });
});
