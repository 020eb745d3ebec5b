import { Router } from 'express';
import type { DataSource } from 'typeorm';
import type { Authenticated } from '../identity/auth.service';
import type { Logger } from '../platform/logger';
import { parseGlobalId } from '../common/global-id';
import type { BodyReader } from './activity-loaders';
import { Activity } from './activity.entity';
import { answer, callerOrAnswered, readsWholeActivity } from './attachment-routes';
import { sanitizeEmailHtml } from './email-html';
import { EmailMessage } from './email-message.entity';
import { PerPersonBudget } from './per-person-budget';
import { fetchRemoteImage, RemoteImageError, type RemoteImageFetchOptions } from './remote-image-fetch';

export interface RemoteImageRouteOptions {
  db: DataSource;
  bodies: BodyReader;
  authenticate: (authorizationHeader: string | undefined) => Promise<Authenticated | undefined>;
  fetch: RemoteImageFetchOptions;
  log: Logger;
}

/** Bodies larger than this are not searched for image sources (the timeline shows them truncated anyway). */
const MAX_BODY_BYTES = 16 * 1024 * 1024;
/** Bodies whose image sources are remembered (a few KB each). */
const MAX_CACHED_BODIES = 200;
/** Image fetches one api process runs at once: a page of newsletters cannot tie up its sockets. */
const MAX_CONCURRENT_FETCHES = 16;
/** Image fetches one person runs at once: one reader cannot take every place above. */
const PER_PERSON_CONCURRENT = 6;

/**
 * `GET /emails/:id/remote-image?url=…` with a bearer token: an image the email's HTML links to,
 * fetched by the hub when its reader asks to see remote images (the email frame loads nothing
 * itself). Only sources of that email's own body are fetched, for a caller who reads the email
 * whole; 404 otherwise, the same for "no such email", "not yours" and "no such image in it".
 * 403 NOT_ALLOWED for an address outside the public internet, 502 when the image could not be had.
 */
export function remoteImageRoutes(options: RemoteImageRouteOptions): Router {
  const { db, bodies, authenticate, log } = options;
  const router = Router();
  let running = 0;
  const budget = new PerPersonBudget({ perMinute: options.fetch.perPersonPerMinute ?? 300, concurrent: PER_PERSON_CONCURRENT });
  const sweeper = setInterval(() => budget.sweep(), 60_000);
  sweeper.unref();

  // A reader who asks sees every image of the email at once: the body is read and sanitized once for
  // all of them. Keyed by the body's sha256, so a cached answer can never belong to other content.
  const known = new Map<string, ReadonlySet<string>>();
  async function sourcesOf(bodySha: string): Promise<ReadonlySet<string> | undefined> {
    const cached = known.get(bodySha);
    if (cached) return cached;
    const raw = (await bodies.readSmall([bodySha], MAX_BODY_BYTES)).get(bodySha);
    if (!raw) return undefined;
    const sources = new Set(sanitizeEmailHtml(raw.toString('utf8')).remoteImages);
    if (known.size >= MAX_CACHED_BODIES) known.delete(known.keys().next().value!);
    known.set(bodySha, sources);
    return sources;
  }

  router.get('/emails/:id/remote-image', async (req, res) => {
    try {
      const auth = await callerOrAnswered(authenticate, req, res);
      if (!auth) return;
      const source = typeof req.query.url === 'string' ? req.query.url : '';
      const parsed = parseGlobalId(req.params.id);
      const activity = parsed?.type === 'Email' ? await db.getRepository(Activity).findOneBy({ id: parsed.id }) : null;
      const message = activity && (await readsWholeActivity(db, auth.principal, activity)) ? await db.getRepository(EmailMessage).findOneBy({ activityId: activity.id }) : null;
      const sources = message?.htmlBodyBlob ? await sourcesOf(message.htmlBodyBlob) : undefined;
      if (!sources || !source || !sources.has(source)) {
        answer(res, 404, 'NOT_FOUND', `email "${req.params.id}" does not exist, you may not read it, or it shows no such image`);
        return;
      }
      if (running >= MAX_CONCURRENT_FETCHES) {
        res.set('Retry-After', '1');
        answer(res, 503, 'BUSY', 'the hub is fetching many images right now; try again in a moment');
        return;
      }
      const use = budget.take(auth.principal.userId);
      if (!('release' in use)) {
        res.set('Retry-After', String(use.retryAfterSeconds));
        answer(res, 429, 'RATE_LIMITED', `you asked for many remote images in a short time; try again in ${use.retryAfterSeconds} s`);
        return;
      }
      running++;
      try {
        const image = await fetchRemoteImage(source, options.fetch);
        res.status(200).set({
          'Content-Type': image.contentType,
          'Content-Length': String(image.bytes.length),
          'X-Content-Type-Options': 'nosniff',
          'Content-Security-Policy': "default-src 'none'; sandbox",
          'Cache-Control': 'private, no-store',
        });
        res.end(image.bytes);
      } finally {
        running--;
        use.release();
      }
    } catch (err) {
      if (err instanceof RemoteImageError) {
        // The URL is not logged: image addresses often carry a per-recipient tracking id.
        log.info({ code: err.code }, 'remote image not fetched');
        answer(res, err.code === 'NOT_ALLOWED' ? 403 : 502, err.code, err.message);
        return;
      }
      log.error({ err }, 'remote image fetch failed');
      if (!res.headersSent) answer(res, 500, 'INTERNAL_SERVER_ERROR', 'internal error; the server log has the details');
    }
  });

  return router;
}
