import type http from 'node:http';
import { print } from 'graphql-sse';
import { LIVE_CLOSE } from '../live/live-connection';

/** A response carrying one GraphQL-over-SSE stream, and how the hub ends it (LIVE_CLOSE codes, as on a WebSocket). */
export interface EventStreamResponse {
  /**
   * Ends the stream. `sessionEnded` first completes the subscription with an UNAUTHENTICATED error, so
   * graphql-sse's client does not retry; any other end leaves it incomplete, which the client retries
   * (from its last cursor, for the hub's subscriptions). Before the stream opened, `pipe` answers with an error instead.
   */
  end(code: number): void;
  /** Opens the stream (200 with `headers`) and writes graphql-sse's messages to it until either side ends it. */
  pipe(messages: AsyncGenerator<string, void, undefined>, headers: Record<string, string>, maxBufferedBytes: number): void;
}

/**
 * Writes are not awaited one by one (graphql-sse would then queue without bound in memory while a client
 * does not read); the response's own buffer is bounded instead, and a client that lets it grow past
 * `maxBufferedBytes` is cut off as too slow.
 */
export function eventStreamResponse(res: http.ServerResponse): EventStreamResponse {
  let messages: AsyncGenerator<string, void, undefined> | undefined;
  let endedWith: number | undefined;

  const end = (code: number) => {
    if (endedWith !== undefined) return;
    endedWith = code;
    if (!messages) return;
    if (code === LIVE_CLOSE.sessionEnded.code && !res.writableEnded) {
      res.write(print({ event: 'next', data: { errors: [{ message: SESSION_ENDED, extensions: { code: 'UNAUTHENTICATED' } }] } as never }));
      res.write(print({ event: 'complete', data: null }));
    }
    res.end();
    void messages.return(undefined);
  };

  const pipe = async (body: AsyncGenerator<string, void, undefined>, headers: Record<string, string>, maxBufferedBytes: number) => {
    if (endedWith !== undefined) {
      void body.return(undefined);
      if (endedWith === LIVE_CLOSE.sessionEnded.code) sendJsonError(res, 401, 'UNAUTHENTICATED', SESSION_ENDED);
      else sendJsonError(res, 503, 'SERVICE_UNAVAILABLE', 'The server is shutting down; try again.');
      return;
    }
    messages = body;
    res.writeHead(200, headers);
    res.flushHeaders();
    for await (const message of body) {
      if (res.writableEnded) break;
      res.write(message);
      if (res.writableLength > maxBufferedBytes) end(LIVE_CLOSE.tooSlow.code);
    }
    if (!res.writableEnded) res.end();
  };

  // The client went away (before or after the stream opened): graphql-sse's return() ends the subscription, and with it the event source.
  res.once('close', () => end(LIVE_CLOSE.serverClosing.code));

  // A failed write (the socket broke under us) is the client gone: nothing to answer, only to let go.
  return { end, pipe: (body, headers, maxBufferedBytes) => void pipe(body, headers, maxBufferedBytes).catch(() => res.destroy()) };
}

const SESSION_ENDED = 'The session ended; sign in again.';

function sendJsonError(res: http.ServerResponse, status: number, code: string, message: string): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}
