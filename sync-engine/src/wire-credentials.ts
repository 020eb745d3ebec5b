import type { MailboxCredentials } from './hub-types.js';

const METHODS: ReadonlySet<unknown> = new Set(['PASSWORD', 'OAUTH_BEARER']);

/** The claim's `credentialsStatus` and `credentials` as one checked value; undefined when they are malformed or disagree. */
export function credentialsOnEntry(status: unknown, credentials: unknown): MailboxCredentials | undefined {
  if (status === 'NONE' || status === 'UNREADABLE') return credentials === null ? { status } : undefined;
  if (status !== 'PRESENT') return undefined;
  const c = credentials as { method?: unknown; username?: unknown; secret?: unknown } | null;
  if (!METHODS.has(c?.method) || typeof c?.username !== 'string' || typeof c.secret !== 'string') return undefined;
  return { status, method: c.method as 'PASSWORD' | 'OAUTH_BEARER', username: c.username, secret: c.secret };
}
