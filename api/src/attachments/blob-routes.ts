import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import { GraphQLError } from 'graphql';
import type { Logger } from '../platform/logger';
import type { BlobStore } from './blob-store';
import type { BlobUploads } from './blob-uploads';

/** Error codes of the blob upload endpoint, in the shape `{ error: { code, message } }`. */
export type BlobRouteErrorCode = 'UNAUTHENTICATED' | 'ATTACHMENT_TOO_LARGE' | 'UPLOAD_QUOTA_EXCEEDED' | 'INTERNAL_SERVER_ERROR';

export interface BlobRouteOptions {
  store: BlobStore;
  /** Resolves to the caller for a valid `Authorization` header, undefined (or an UNAUTHENTICATED GraphQLError) otherwise. */
  authenticate: (authorizationHeader: string | undefined) => Promise<unknown | undefined>;
  /** Whether this caller may read any blob by its hash: the sync engine, which sends outgoing attachments. */
  mayReadAny: (caller: unknown) => boolean;
  /** The current attachment size limit (organization setting), read per request. */
  maxBytes: () => Promise<number>;
  /** The user id of a person, whose uploads count against their quota; undefined for the sync engine. */
  uploaderOf: (caller: unknown) => string | undefined;
  uploads: Pick<BlobUploads, 'remaining' | 'reserve' | 'settle' | 'release' | 'policy'>;
  log: Logger;
}

/** After refusing an upload still being sent, how long the rest is read and thrown away before the connection is cut. */
const LINGER_MS = 5000;

/**
 * `PUT /blobs`: the request body, any content type, becomes a blob; answers 201 `{ sha256, size }`,
 * the same whether or not someone stored that content before (the store is shared by every unit
 * and privacy level, so the answer must not say what others stored). The sync engine uploads each
 * attachment this way and then names it by sha256 in `trackEmails`; a person's upload is theirs,
 * counts against their quota, and is collected unless something references it in time.
 */
export function blobRoutes(options: BlobRouteOptions): Router {
  const { store, authenticate, maxBytes, log } = options;
  const router = Router();

  // `GET /blobs/:sha256`: the raw bytes, for the sync engine only (people read attachments through
  // /attachments/:id, which checks the email's access and privacy).
  router.get('/blobs/:sha256', async (req, res) => {
    try {
      const caller = await authenticate(req.headers.authorization).catch(() => undefined);
      if (caller === undefined) return void res.status(401).json({ error: { code: 'UNAUTHENTICATED', message: 'sign in first' } });
      if (!options.mayReadAny(caller)) return void res.status(403).json({ error: { code: 'FORBIDDEN', message: 'only the sync engine reads blobs by hash' } });
      const sha256 = String(req.params.sha256).toLowerCase();
      if (!/^[0-9a-f]{64}$/.test(sha256) || (await store.exists([sha256])).size === 0) {
        return void res.status(404).json({ error: { code: 'NOT_FOUND', message: 'no such blob' } });
      }
      res.status(200).type('application/octet-stream');
      await pipeline(store.open(sha256), res);
    } catch (err) {
      log.error({ err }, 'blob download failed');
      if (!res.headersSent) res.status(500).json({ error: { code: 'INTERNAL_SERVER_ERROR', message: 'internal error; the server log has the details' } });
      else res.destroy();
    }
  });

  router.put('/blobs', async (req, res) => {
    let reservation: string | null | undefined;
    try {
      const auth = await authenticated(authenticate, req.headers.authorization);
      if (typeof auth === 'string') {
        refuse(req, res, 401, { code: 'UNAUTHENTICATED', message: auth });
        return;
      }
      const { caller } = auth;
      const limitBytes = await maxBytes();
      const tooLarge = { code: 'ATTACHMENT_TOO_LARGE', message: `attachments may have at most ${limitBytes} bytes`, limitBytes } as const;
      const userId = options.uploaderOf(caller);
      const leftBytes = userId === undefined ? Infinity : await options.uploads.remaining(userId);
      const graceHours = Math.round(options.uploads.policy.graceMs / 3_600_000);
      const overQuota = {
        code: 'UPLOAD_QUOTA_EXCEEDED',
        message: `your uploads may hold at most ${options.uploads.policy.quotaBytes} bytes at a time, and ${leftBytes} are left; an upload counts for ${graceHours} hours`,
        quotaBytes: options.uploads.policy.quotaBytes,
      } as const;
      const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
      if (declared !== undefined && declared > limitBytes) return void refuse(req, res, 413, tooLarge);
      // A person's upload holds its share of the quota while it streams in (without a declared length: what is left, up to the limit).
      const wanted = declared ?? Math.min(limitBytes, leftBytes);
      if (userId !== undefined && (wanted > leftBytes || !(reservation = await options.uploads.reserve(userId, wanted)))) return void refuse(req, res, 413, overQuota);
      // Not destroyed when the store stops reading: the connection must live to carry the 413.
      const result = await store.put(req.iterator({ destroyOnReturn: false }), { maxBytes: Math.min(limitBytes, wanted) });
      if ('tooLarge' in result) {
        log.info({ bytesRead: result.size, limitBytes }, 'blob upload over the size limit or quota refused');
        refuse(req, res, 413, result.size > limitBytes ? tooLarge : overQuota);
        return;
      }
      if (reservation) await options.uploads.settle(reservation, result.sha256, result.size);
      reservation = undefined;
      res.status(201).json({ sha256: result.sha256, size: result.size });
    } catch (err) {
      if (req.destroyed || res.destroyed) {
        // The client went away mid-upload: no one to answer, and the store kept nothing.
        log.info({ err }, 'blob upload aborted by the client');
        return;
      }
      log.error({ err }, 'blob upload failed');
      if (!res.headersSent) refuse(req, res, 500, { code: 'INTERNAL_SERVER_ERROR', message: 'internal error; the server log has the details' });
      else res.destroy();
    } finally {
      if (reservation) await options.uploads.release(reservation).catch((err: unknown) => log.warn({ err }, 'releasing an upload reservation failed'));
    }
  });

  return router;
}

/** The caller, or the message for the 401. */
async function authenticated(authenticate: BlobRouteOptions['authenticate'], header: string | undefined): Promise<{ caller: unknown } | string> {
  const fallback = 'sign in first: send "Authorization: Bearer <session token or API key>"';
  try {
    const caller = await authenticate(header);
    return caller === undefined ? fallback : { caller };
  } catch (err) {
    // The api's AuthService throws ApiError('UNAUTHENTICATED') for a bad or expired token.
    if (err instanceof GraphQLError && err.extensions.code === 'UNAUTHENTICATED') return err.message;
    throw err;
  }
}

/**
 * Answers at once. If the client is still sending the body, the connection then closes in stages
 * (RFC 9112 9.6): closing outright while data still arrives makes the kernel reset the connection,
 * and the client may lose the answer with it. So the server stops writing, keeps reading and
 * discarding, and cuts the connection when the client closes it or after LINGER_MS.
 */
function refuse(req: Request, res: Response, status: number, error: { code: BlobRouteErrorCode; message: string; limitBytes?: number; quotaBytes?: number }): void {
  if (!req.complete) {
    const socket = req.socket;
    req.resume();
    res.once('finish', () => {
      socket.end();
      const timer = setTimeout(() => socket.destroy(), LINGER_MS);
      socket.once('close', () => clearTimeout(timer));
    });
  }
  res.status(status).json({ error });
}
