import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import pino from 'pino';
import { it, expect } from 'vitest';
import { blobRoutes } from './blob-routes';
import { BlobStore } from './blob-store';
import { createBlobTestDatabase } from './blob-test-databases';
const LIMIT = 256 * 1024;
it('stress 413', async () => {
  const database = await createBlobTestDatabase('sqlite');
  const ds = await database.connect();
  const app = express();
  app.use(blobRoutes({ store: new BlobStore(ds), authenticate: async (h) => (h === 'Bearer good' ? {} : undefined), maxBytes: async () => LIMIT, log: pino({ level: 'silent' }) }));
  const server = http.createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/blobs`;
  const outcomes: Record<string, number> = {};
  for (let i = 0; i < 40; i++) {
    for (const [mode, size] of [['cl', 50 * 1024 * 1024], ['stream', 50 * 1024 * 1024], ['cl', LIMIT * 2], ['stream', LIMIT * 3], ['noauth', 20 * 1024 * 1024]] as const) {
      const data = Buffer.alloc(size);
      const body = mode === 'stream' ? new ReadableStream({ pull(c) { c.enqueue(data.subarray(0, 65536)); } }) : data;
      let key = `${mode}:${size}:`;
      try {
        const res = await fetch(url, { method: 'PUT', body, duplex: 'half', headers: mode === 'noauth' ? {} : { authorization: 'Bearer good' } } as RequestInit);
        key += `${res.status}:${(await res.text()).length > 0}`;
      } catch (e) { key += `ERR ${(e as Error).cause ?? e}`; }
      outcomes[key] = (outcomes[key] ?? 0) + 1;
    }
  }
  console.log(outcomes);
  server.closeAllConnections(); server.close(); await database.drop();
}, 300_000);
