import { ImapFlow } from 'imapflow';
import { Arrivals } from './arrivals';
import type { StartedDovecot } from './dovecot';

/**
 * Resolves with `probe`'s first value that is not undefined, checking now and again on each change Dovecot
 * itself reports for the folder (RFC 2177 IDLE: EXISTS, EXPUNGE); rejects after `timeoutMs`.
 */
export async function whenFolderChanges<T>(
  dovecot: StartedDovecot,
  login: { address: string; password: string; folder: string },
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const client = new ImapFlow({ host: dovecot.host, port: dovecot.imapPort, secure: false, doSTARTTLS: false, auth: { user: login.address, pass: login.password }, logger: false });
  const changes = new Arrivals<string>();
  client.on('exists', () => changes.push('exists'));
  client.on('expunge', () => changes.push('expunge'));
  client.on('error', () => {});
  await client.connect();
  try {
    await client.mailboxOpen(login.folder, { readOnly: true });
    void client.idle().catch(() => {});
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const seen = changes.items.length;
      const value = await probe();
      if (value !== undefined) return value;
      await changes.until((items) => (items.length > seen ? true : undefined), Math.max(0, deadline - Date.now()), what);
    }
  } finally {
    client.close();
  }
}
