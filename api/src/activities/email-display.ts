import { toGlobalId } from '../common/global-id';
import type { ActivityLoaders } from './activity-loaders';
import { sanitizeEmailHtml, type SanitizedEmailHtml } from './email-html';
import type { EmailMessage } from './email-message.entity';

/** Sanitized bodies recently shown, by (body, email): sanitizing costs ~1 ms per 10 KB of HTML. */
const MAX_CACHED = 500;
const cache = new Map<string, SanitizedEmailHtml>();

/**
 * An email's HTML made safe to show (email-html.ts), from the body as stored. Sanitized when read,
 * not when tracked: ingest stays fast, and a better sanitizer applies to mail tracked long ago.
 * Inline parts (`cid:`) point at the email's own attachments, whose ids only exist once stored.
 */
export async function displayHtml(loaders: ActivityLoaders, message: EmailMessage): Promise<SanitizedEmailHtml | null> {
  if (!message.htmlBodyBlob) return null;
  const key = `${message.htmlBodyBlob}:${message.activityId}`;
  const cached = cache.get(key);
  if (cached) return cached;
  const [raw, attachments] = await Promise.all([
    loaders.bodies.load(message.htmlBodyBlob),
    loaders.attachments.load(message.activityId),
  ]);
  if (raw === undefined) return null;
  const byContentId = new Map(attachments.filter((a) => a.contentId && a.blobSha256).map((a) => [a.contentId!, a.id]));
  const sanitized = sanitizeEmailHtml(raw, {
    cidUrl: (contentId) => {
      const id = byContentId.get(contentId);
      return id ? `/attachments/${toGlobalId('Attachment', id)}` : null;
    },
  });
  if (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  cache.set(key, sanitized);
  return sanitized;
}
