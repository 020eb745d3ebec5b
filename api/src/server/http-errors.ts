import type { ErrorRequestHandler, Request, Response } from 'express';
import type { Logger } from '../platform/logger';

/** Codes of refusals made before GraphQL runs (README, "Errors and limits"). */
export type HttpRefusalCode = 'BAD_REQUEST' | 'QUERY_TOO_COMPLEX' | 'UNAUTHENTICATED' | 'PAYLOAD_TOO_LARGE' | 'UNSUPPORTED_MEDIA_TYPE' | 'RATE_LIMITED' | 'PASSWORD_CHANGE_REQUIRED' | 'SERVICE_UNAVAILABLE' | 'INTERNAL_SERVER_ERROR';

/**
 * Answers a refused request as GraphQL does, `{ errors: [{ message, extensions: { code } }] }`, with the HTTP status
 * that says why. An unread body is drained (never kept), so the client gets this answer instead of a reset.
 */
export function sendGraphqlError(req: Request, res: Response, status: number, code: HttpRefusalCode, message: string, headers: Record<string, string> = {}): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  if (!req.complete) req.resume();
  res.status(status).set(headers).type('application/json').send(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
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

/**
 * The last error handler of the app: what a client sent wrong gets its code, anything else a generic 500.
 * Nothing of the request body reaches the log: body-parser's errors carry the body and quote it in their message.
 */
export function jsonErrorHandler(log: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, _next) => {
    const type = (err as { type?: unknown } | null)?.type;
    const known = typeof type === 'string' ? BODY_ERRORS[type] : undefined;
    if (known) {
      log.info({ type, status: known.status, path: req.path }, 'refused a request body');
      sendGraphqlError(req, res, known.status, known.code, known.message((err as { limit?: number }).limit));
      return;
    }
    log.error({ err: withoutBody(err), path: req.path }, 'unexpected error handling an HTTP request');
    sendGraphqlError(req, res, 500, 'INTERNAL_SERVER_ERROR', 'internal error; the server log has the details');
  };
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
