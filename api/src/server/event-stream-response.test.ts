import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { LIVE_CLOSE } from '../live/live-connection';
import { eventStreamResponse, type EventStreamResponse } from './event-stream-response';

const HEADERS = { 'content-type': 'text/event-stream; charset=utf-8' };

/** An endless source of messages (as graphql-sse's stream would be for a busy subscription), telling when it was ended. */
function endlessMessages(size: number) {
  let produced = 0;
  let resolveEnded!: () => void;
  const ended = new Promise<void>((resolve) => (resolveEnded = resolve));
  const message = `event: next\ndata: ${JSON.stringify({ data: { pad: 'x'.repeat(size) } })}\n\n`;
  const generator = (async function* () {
    try {
      for (;;) {
        produced++;
        yield message;
        // Let the event loop run, as a real event source would between events.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } finally {
      resolveEnded();
    }
  })();
  return { generator, ended, produced: () => produced };
}

describe('eventStreamResponse', () => {
  let server: http.Server | undefined;
  afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

  /** A real HTTP server whose one route is the stream under test. */
  async function serve(onStream: (stream: EventStreamResponse, res: http.ServerResponse) => void): Promise<number> {
    server = http.createServer((_req, res) => onStream(eventStreamResponse(res), res));
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    return (server.address() as AddressInfo).port;
  }

  it('cuts off a client that does not read once the response buffers more than the limit, and ends the source', async () => {
    const source = endlessMessages(16 * 1024);
    let response!: http.ServerResponse;
    const port = await serve((stream, res) => {
      response = res;
      stream.pipe(source.generator, HEADERS, 256 * 1024);
    });
    // A client that sends its request and never reads a byte of the answer.
    const socket = net.connect(port, '127.0.0.1');
    socket.pause();
    socket.write(`GET /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n`);
    await source.ended;
    // Ended by the server (the client is still connected, reading nothing), with more than the limit waiting.
    expect(response.writableEnded).toBe(true);
    expect(response.writableLength).toBeGreaterThan(256 * 1024);
    socket.destroy();
    // Bounded: what the kernel's socket buffers take plus the limit, not an endless queue in memory.
    expect(source.produced() * 16 * 1024).toBeLessThan(64 * 1024 * 1024);
  });

  it('ends a stream whose session ended with an UNAUTHENTICATED error and complete, in the event-stream format', async () => {
    const source = endlessMessages(10);
    const port = await serve((stream) => {
      stream.pipe(
        (async function* () {
          yield ':\n\n';
          stream.end(LIVE_CLOSE.sessionEnded.code);
          yield* source.generator;
        })(),
        HEADERS,
        1024 * 1024,
      );
    });
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, { headers: { accept: 'text/event-stream' } });
    const text = await response.text();
    expect(text).toBe(':\n\nevent: next\ndata: {"errors":[{"message":"The session ended; sign in again.","extensions":{"code":"UNAUTHENTICATED"}}]}\n\nevent: complete\ndata:\n\n');
  });

  it('ends the source when the client goes away', async () => {
    const source = endlessMessages(10);
    let opened!: () => void;
    const first = new Promise<void>((resolve) => (opened = resolve));
    const port = await serve((stream) => stream.pipe(source.generator, HEADERS, 1024 * 1024));
    const control = new AbortController();
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, { signal: control.signal });
    const reader = response.body!.getReader();
    void reader.read().then(opened);
    await first;
    control.abort();
    await source.ended;
  });

  it('answers 401 instead of opening a stream when the session ended before it opened', async () => {
    const source = endlessMessages(10);
    const port = await serve((stream) => {
      stream.end(LIVE_CLOSE.sessionEnded.code);
      stream.pipe(source.generator, HEADERS, 1024);
    });
    const response = await fetch(`http://127.0.0.1:${port}/graphql`);
    expect(response.status).toBe(401);
    expect(((await response.json()) as { errors: { extensions: { code: string } }[] }).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });
});
