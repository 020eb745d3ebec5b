import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import { GraphQLError } from 'graphql';
import type { DataSource } from 'typeorm';
import type { Principal } from '../access/principal';
import { Privilege } from '../access/privileges';
import { Blob } from '../attachments/blob.entity';
import { BlobStoreError } from '../attachments/blob-store';
import { parseGlobalId } from '../common/global-id';
import type { Authenticated } from '../identity/auth.service';
import { Mailbox } from '../mail/mailbox.entity';
import type { Logger } from '../platform/logger';
import { mayOnActivity } from './activity-access';
import { PrivacyLevel } from './activity-enums';
import { ActivityMailbox } from './activity-mailbox.entity';
import { privacyFor } from './activity-privacy';
import { Activity } from './activity.entity';
import { Attachment } from './attachment.entity';
import { MEDIA_TYPE } from './outgoing-email-rules';
import type { RemoteImageFailure } from './remote-image-fetch';

/** Error codes of the download endpoint, in the shape `{ error: { code, message } }` (as PUT /blobs). */
export type AttachmentRouteErrorCode = 'UNAUTHENTICATED' | 'NOT_FOUND' | 'INTERNAL_SERVER_ERROR';

export interface AttachmentRouteOptions {
  db: DataSource;
  blobs: { open(sha256: string): Readable };
  /** Resolves to the caller for a valid `Authorization` header, undefined without one; throws an UNAUTHENTICATED GraphQLError for a bad one. */
  authenticate: (authorizationHeader: string | undefined) => Promise<Authenticated | undefined>;
  log: Logger;
}

// Types a browser may render as a document that runs script (HTML, SVG and other XML, JavaScript):
// served as opaque bytes, so a file mailed in cannot become stored XSS on the hub's origin.
const SCRIPTABLE = /(^text\/html$)|(^application\/xhtml\+xml$)|(^image\/svg\+xml$)|xml$|script$/;

/** The Content-Type to serve a stored attachment with: its own type (without parameters) unless malformed or scriptable. */
export function downloadContentType(stored: string): string {
  const essence = stored.split(';')[0].trim().toLowerCase();
  if (!MEDIA_TYPE.test(essence) || SCRIPTABLE.test(essence)) return 'application/octet-stream';
  return essence;
}

/**
 * `attachment` with an ASCII fallback name and the real name in RFC 8187 encoding (RFC 6266 4.3
 * recommends both, fallback first). Path separators and control characters never reach the client.
 */
export function contentDisposition(fileName: string): string {
  const cleaned = fileName.replace(/[\u0000-\u001f\u007f/\\]/g, '_').trim() || 'attachment';
  const fallback = cleaned.replace(/[^\x20-\x7e]|["%]/g, '_');
  // RFC 8187 3.2.1 attr-char: everything else is percent-encoded as UTF-8.
  const encoded = Array.from(new TextEncoder().encode(cleaned), (byte) => {
    const c = String.fromCharCode(byte);
    return /[A-Za-z0-9!#$&+\-.^_`|~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }).join('');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}

/**
 * Whether the caller may read `activity` and sees its content whole (privacy FULL for them): the
 * condition for its attachments, body images and anything else beyond the participants and time.
 */
export async function readsWholeActivity(db: DataSource, principal: Principal, activity: Activity): Promise<boolean> {
  if (!mayOnActivity(principal, Privilege.READ, activity)) return false;
  if (activity.visibility === PrivacyLevel.FULL) return true;
  const owners = await db
    .getRepository(ActivityMailbox)
    .createQueryBuilder('am')
    .innerJoin(Mailbox, 'm', 'm.id = am.mailboxId')
    .select('m.ownerUserId', 'ownerUserId')
    .where('am.activityId = :activityId', { activityId: activity.id })
    .getRawMany<{ ownerUserId: string }>();
  return privacyFor(principal.userId, activity, owners.map((o) => o.ownerUserId)) === PrivacyLevel.FULL;
}

/**
 * The attachment and its stored size if the caller may download it: they read its activity whole
 * (readsWholeActivity), and its bytes are stored. Undefined otherwise, so "missing", "not yours"
 * and "hidden by privacy" look the same.
 */
export async function downloadableAttachment(db: DataSource, principal: Principal, attachmentId: string): Promise<{ attachment: Attachment; size: number } | undefined> {
  const attachment = await db.getRepository(Attachment).findOneBy({ id: attachmentId });
  if (!attachment?.blobSha256) return undefined;
  const activity = await db.getRepository(Activity).findOneBy({ id: attachment.activityId });
  if (!activity || !(await readsWholeActivity(db, principal, activity))) return undefined;
  const blob = await db.getRepository(Blob).findOneBy({ sha256: attachment.blobSha256 });
  return blob ? { attachment, size: blob.size } : undefined;
}

export function answer(res: Response, status: number, code: AttachmentRouteErrorCode | RemoteImageFailure | 'BUSY' | 'RATE_LIMITED', message: string): void {
  res.status(status).json({ error: { code, message } });
}

/** The caller of a file route, or undefined once a 401 has been answered (no, or a bad, bearer token). */
export async function callerOrAnswered(authenticate: AttachmentRouteOptions['authenticate'], req: Request, res: Response): Promise<Authenticated | undefined> {
  let auth: Authenticated | undefined;
  try {
    auth = await authenticate(req.headers.authorization);
  } catch (err) {
    if (!(err instanceof GraphQLError && err.extensions.code === 'UNAUTHENTICATED')) throw err;
    answer(res, 401, 'UNAUTHENTICATED', err.message);
    return undefined;
  }
  if (!auth) answer(res, 401, 'UNAUTHENTICATED', 'sign in first: send "Authorization: Bearer <session token or API key>"');
  return auth;
}

/**
 * `GET /attachments/:id` (an Attachment global id, as in `Attachment.downloadUrl`) with a bearer
 * token: the file as a download. 401 without valid credentials; 404 when it does not exist, was not
 * stored, or the caller may not see it.
 */
export function attachmentRoutes(options: AttachmentRouteOptions): Router {
  const { db, blobs, authenticate, log } = options;
  const router = Router();

  router.get('/attachments/:id', async (req, res) => {
    try {
      const auth = await callerOrAnswered(authenticate, req, res);
      if (!auth) return;
      const parsed = parseGlobalId(req.params.id);
      const found = parsed?.type === 'Attachment' ? await downloadableAttachment(db, auth.principal, parsed.id) : undefined;
      if (!found) {
        answer(res, 404, 'NOT_FOUND', `no attachment with id "${req.params.id}" exists or you may not read it`);
        return;
      }
      // The first chunk is read before answering, so a blob that cannot be read still gets a JSON error.
      const chunks = blobs.open(found.attachment.blobSha256!)[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
      const first = await chunks.next();
      res.status(200).set({
        'Content-Type': downloadContentType(found.attachment.contentType),
        'Content-Length': String(found.size),
        'Content-Disposition': contentDisposition(found.attachment.fileName),
        'X-Content-Type-Options': 'nosniff',
        'Content-Security-Policy': "default-src 'none'; sandbox",
        // Access and privacy levels change: no shared or stored copies.
        'Cache-Control': 'private, no-store',
      });
      if (req.method === 'HEAD' || first.done) {
        res.end();
        await chunks.return?.();
        return;
      }
      // A failure past this point cuts the connection short of Content-Length: the client sees an incomplete download, never a silently short file.
      await pipeline(
        Readable.from(
          (async function* () {
            yield first.value;
            for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
          })(),
        ),
        res,
      );
    } catch (err) {
      if (res.headersSent) {
        // The client left (premature close), or the store failed mid-file: either way the download is cut short.
        if ((err as NodeJS.ErrnoException).code === 'ERR_STREAM_PREMATURE_CLOSE') log.info({ err }, 'attachment download ended by the client');
        else log.error({ err }, 'attachment download failed part way');
        res.destroy();
        return;
      }
      if (err instanceof BlobStoreError && err.code === 'NOT_FOUND') {
        answer(res, 404, 'NOT_FOUND', `attachment "${req.params.id}" has no stored content`);
        return;
      }
      log.error({ err }, 'attachment download failed');
      answer(res, 500, 'INTERNAL_SERVER_ERROR', 'internal error; the server log has the details');
    }
  });

  return router;
}
