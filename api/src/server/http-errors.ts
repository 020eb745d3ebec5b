import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../platform/logger';

/** Codes of refusals made before GraphQL runs (README, "Errors and limits"). */
export type HttpRefusalCode = 'BAD_REQUEST' | 'QUERY_TOO_COMPLEX' | 'UNAUTHENTICATED' | 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE' | 'RATE_LIMITED' | 'PASSWORD_CHANGE_REQUIRED' | 'SERVICE_UNAVAILABLE' | 'INTERNAL_SERVER_ERROR';

/**
 * Answers a refused request as GraphQL does, `{ errors: [{ message, extensions: { code } }] }`, with the HTTP status
 * that says why. An unread body is drained (never kept), so the client gets this answer instead of a reset.
 */
export function sendGraphqlError(req: IncomingMessage, res: ServerResponse, status: number, code: HttpRefusalCode, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (!req.complete) req.resume();
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  res.statusCode = status;
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(body));
  res.end(body);
}

// body-parser's error types (its `type` property) for what a client sent wrong.
const BODY_ERRORS: Readonly<Record<string, { status: number; code: HttpRefusalCode; message: (limit?: number) => string }>> = {
  'entity.too.large': {
    status: 413,
    code: 'PAYLOAD_TOO_LARGE',
    message: (limit) => (limit === undefined ? 'The request body is too large.' : `The request body is larger than the limit of ${formatBytes(limit)}.`),
  },
  'entity.parse.failed': { status: 400, code: 'BAD_REQUEST', message: () => 'The request body is not valid JSON: send { "query": "…", "variables": { … } }.' },
  'encoding.unsupported': { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: () => 'The request body’s Content-Encoding is not supported: send it as it is, or with gzip, deflate or br.' },
  'charset.unsupported': { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE', message: () => 'The request body’s charset is not supported: send it as UTF-8.' },
  'request.aborted': { status: 400, code: 'BAD_REQUEST', message: () => 'The request was aborted before its body arrived.' },
  'request.size.invalid': { status: 400, code: 'BAD_REQUEST', message: () => 'The request body’s length does not match its Content-Length header.' },
};

/** The refusal for a body-parser error (what a client sent wrong), or undefined for any other error. */
export function bodyRefusal(err: unknown): { type: string; status: number; code: HttpRefusalCode; message: string } | undefined {
  const type = (err as { type?: unknown } | null)?.type;
  const known = typeof type === 'string' && Object.hasOwn(BODY_ERRORS, type) ? BODY_ERRORS[type] : undefined;
  return known && typeof type === 'string' ? { type, status: known.status, code: known.code, message: known.message((err as { limit?: number }).limit) } : undefined;
}

/**
 * The last error handler of the app: what a client sent wrong gets its code, anything else a generic 500.
 * Nothing of the request body reaches the log: body-parser's errors carry the body and quote it in their message.
 */
export function jsonErrorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    answerHttpError(err, req, res, log, req.path);
  };
}

/** Answers an error thrown while handling a request: a body-parser refusal with its code, anything else a logged 500. */
export function answerHttpError(err: unknown, req: IncomingMessage, res: ServerResponse, log: Logger, path: string): void {
  const refusal = bodyRefusal(err);
  if (refusal) {
    log.info({ type: refusal.type, status: refusal.status, path }, 'refused a request body');
    sendGraphqlError(req, res, refusal.status, refusal.code, refusal.message);
    return;
  }
  log.error({ err: withoutBody(err), path }, 'unexpected error handling an HTTP request');
  sendGraphqlError(req, res, 500, 'INTERNAL_SERVER_ERROR', 'internal error; the server log has the details');
}

/** An error that carries the request body (its message may quote it too) is logged by name and stack frames only. */
function withoutBody(err: unknown): unknown {
  if (!(err instanceof Error) || !('body' in err)) return err;
  return { name: err.name, type: (err as { type?: unknown }).type, stack: err.stack?.split('\n').slice(1).join('\n') };
}

function formatBytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  return Number.isInteger(mb) ? `${mb} MB` : `${Math.round(bytes / 1024)} KB`;
}
