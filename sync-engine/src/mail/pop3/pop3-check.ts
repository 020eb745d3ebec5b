import type { Log } from '../../logger.js';
import { MailError } from '../mail-error.js';
import type { ChannelCheck, Credentials, Endpoint } from '../mail-source.js';
import { DEFAULT_POP3_TIMEOUT_MS } from './pop3-source.js';
import { Pop3Session } from './pop3-session.js';

/** Test & Enable's incoming check over POP3: connect, log in, list the maildrop, QUIT. Never throws. */
export async function checkPop3(endpoint: Endpoint, credentials: Credentials, options: { logger?: Log; signal?: AbortSignal; timeoutMs?: number } = {}): Promise<ChannelCheck> {
  let session: Pop3Session | null = null;
  const abort = () => session?.destroy();
  options.signal?.addEventListener('abort', abort, { once: true });
  try {
    if (options.signal?.aborted) throw new MailError('TEMPORARY', 'Cancelled before connecting');
    session = await Pop3Session.open(endpoint, credentials, options.timeoutMs ?? DEFAULT_POP3_TIMEOUT_MS);
    const listing = await session.listing();
    return { ok: true, detail: `Signed in to ${endpoint.host} as ${credentials.username}: ${listing.length} message(s) in the maildrop; mail stays on the server.` };
  } catch (error) {
    const mailError = error instanceof MailError ? error : new MailError('TEMPORARY', String(error), { cause: error });
    options.logger?.debug({ code: mailError.code, err: error }, 'POP3 check failed');
    return { ok: false, code: mailError.code, reason: mailError.message };
  } finally {
    options.signal?.removeEventListener('abort', abort);
    const opened = session as Pop3Session | null;
    await opened?.quit().catch(() => opened.destroy());
  }
}
