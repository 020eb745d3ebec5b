import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { hubRequest } from './hub-http.js';

let server: Server | undefined;

async function serve(handler: Parameters<typeof createServer>[1]): Promise<URL> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/blobs`);
}

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
});

describe('hubRequest', () => {
  it('sends the bytes with their length and reads the answer as UTF-8 text', async () => {
    let received: { method?: string; length?: string; body?: string; auth?: string } = {};
    const url = await serve((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received = { method: req.method, length: req.headers['content-length'], body: Buffer.concat(chunks).toString('utf8'), auth: req.headers.authorization };
        res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ sha256: 'é' }));
      });
    });
    const body = Buffer.from('Grüße', 'utf8');
    const answer = await hubRequest(url, { method: 'PUT', headers: { authorization: 'Bearer k' }, body, signal: AbortSignal.timeout(5000) });
    expect(answer).toEqual({ status: 201, ok: true, text: '{"sha256":"é"}' });
    expect(received).toEqual({ method: 'PUT', length: String(body.length), body: 'Grüße', auth: 'Bearer k' });
  });

  it('sends a body given in pieces as the bytes of those pieces in order, with their total length', async () => {
    let received = { length: '', body: '' };
    const url = await serve((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        received = { length: req.headers['content-length'] ?? '', body: Buffer.concat(chunks).toString('utf8') };
        res.end('{}');
      });
    });
    const pieces = ['{"items":[', '{"subject":"Grüße"}', ',', '{}', ']}'].map((text) => Buffer.from(text, 'utf8'));
    await hubRequest(url, { method: 'POST', headers: {}, body: pieces, signal: AbortSignal.timeout(5000) });
    expect(received).toEqual({ length: String(Buffer.concat(pieces).length), body: '{"items":[{"subject":"Grüße"},{}]}' });
  });

  it('answers an error status as it came', async () => {
    const url = await serve((_req, res) => res.writeHead(413).end('{"error":{"code":"ATTACHMENT_TOO_LARGE"}}'));
    expect(await hubRequest(url, { method: 'PUT', headers: {}, body: Buffer.alloc(10), signal: AbortSignal.timeout(5000) })).toMatchObject({ status: 413, ok: false });
  });

  it('fails when the signal aborts, and when the answer is cut short', async () => {
    const stop = new AbortController();
    const slow = await serve(() => stop.abort()); // aborted once the request has arrived, before any answer
    await expect(hubRequest(slow, { method: 'POST', headers: {}, body: Buffer.alloc(1), signal: stop.signal })).rejects.toThrow(/abort/i);
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    const cut = await serve((_req, res) => {
      res.writeHead(200, { 'content-length': '100' }).write('{"partial":');
      setImmediate(() => res.socket?.destroy());
    });
    await expect(hubRequest(cut, { method: 'POST', headers: {}, signal: AbortSignal.timeout(5000) })).rejects.toThrow();
  });

  it('sends a request again on a new connection when a kept-alive one was closed as it went out', async () => {
    let requests = 0;
    const url = await serve((req, res) => {
      requests++;
      // The second request arrives on the first one's connection: close it unanswered, as an idle timeout would.
      if (requests === 2) return req.socket.destroy();
      res.end(`{"n":${requests}}`);
    });
    const send = () => hubRequest(url, { method: 'POST', headers: {}, body: Buffer.from('{}'), signal: AbortSignal.timeout(5000) });
    expect((await send()).text).toBe('{"n":1}');
    expect((await send()).text).toBe('{"n":3}');
  });

  it('fails when nobody listens', async () => {
    const url = await serve(() => undefined);
    server?.close();
    await new Promise((resolve) => setImmediate(resolve));
    await expect(hubRequest(url, { method: 'GET', headers: {}, signal: AbortSignal.timeout(5000) })).rejects.toThrow(/ECONNREFUSED/);
  });
});
