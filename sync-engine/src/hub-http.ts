import http from 'node:http';
import https from 'node:https';

// The engine's calls to the hub whose body is bytes in hand (GraphQL requests, attachment uploads) go through
// node:http rather than fetch: undici's fetch turns each body into web streams, tees it and copies every chunk,
// about a tenth of the engine's CPU under ingest, for requests that need none of it (no redirects, no CORS).

/** What the hub answered. */
export interface HubAnswer {
  readonly status: number;
  readonly ok: boolean;
  readonly text: string;
}

export interface HubRequest {
  readonly method: 'GET' | 'POST' | 'PUT';
  readonly headers: Readonly<Record<string, string>>;
  /** The body's bytes, or its pieces in order (written together, never joined into one Buffer). */
  readonly body?: Buffer | readonly Buffer[];
  /** Ends the request and the reading of its answer (a timeout, a shutdown). */
  readonly signal: AbortSignal;
}

// Kept-alive connections, as fetch keeps them: an ingest makes several requests a second.
const agents = { 'http:': new http.Agent({ keepAlive: true }), 'https:': new https.Agent({ keepAlive: true }) };

/** Sends one request and reads the whole answer as UTF-8 text; rejects when the connection fails or `signal` aborts. */
export function hubRequest(url: URL, request: HubRequest): Promise<HubAnswer> {
  return attempt(url, request, true);
}

/**
 * A kept-alive connection the hub closed as idle just as the request went out fails with ECONNRESET before any
 * answer: the hub never read it, so it is sent once more on a new connection (Node's http docs, request.reusedSocket).
 */
function attempt(url: URL, request: HubRequest, mayRetry: boolean): Promise<HubAnswer> {
  const transport = url.protocol === 'https:' ? https : http;
  const agent = url.protocol === 'https:' ? agents['https:'] : agents['http:'];
  const pieces = request.body === undefined ? [] : Buffer.isBuffer(request.body) ? [request.body] : request.body;
  let length = 0;
  for (const piece of pieces) length += piece.length;
  const headers = request.body === undefined ? request.headers : { ...request.headers, 'content-length': String(length) };
  return new Promise((resolve, reject) => {
    const outgoing = transport.request(url, { method: request.method, headers, agent, signal: request.signal }, (answer) => {
      const chunks: Buffer[] = [];
      answer.on('data', (chunk: Buffer) => chunks.push(chunk));
      answer.once('error', reject);
      // A connection closed before the answer's end: a failure, not a short answer.
      answer.once('close', () => {
        if (!answer.complete) reject(new Error(`the hub closed the connection before its answer ended (HTTP ${answer.statusCode})`));
      });
      answer.once('end', () => {
        const status = answer.statusCode ?? 0;
        resolve({ status, ok: status >= 200 && status < 300, text: Buffer.concat(chunks).toString('utf8') });
      });
    });
    outgoing.once('error', (error: NodeJS.ErrnoException) => {
      if (mayRetry && outgoing.reusedSocket && error.code === 'ECONNRESET' && !request.signal.aborted) resolve(attempt(url, request, false));
      else reject(error);
    });
    // Corked: the pieces leave in one write (writev), as one Buffer would.
    outgoing.cork();
    for (const piece of pieces) outgoing.write(piece);
    outgoing.end();
    outgoing.uncork();
  });
}
