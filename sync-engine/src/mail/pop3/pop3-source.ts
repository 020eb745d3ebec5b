import type { Log } from '../../logger.js';
import { planBatches } from '../batch-plan.js';
import { MailError } from '../mail-error.js';
import type { Credentials, Endpoint, FetchedBatch, FetchOptions, InventoryItem, MailSource, RawMessage } from '../mail-source.js';
import { SpooledMessage, SPOOL_THRESHOLD_BYTES } from '../spooled-message.js';
import { cursorThrough, findStart, parsePop3Cursor, serializePop3Cursor } from './pop3-cursor.js';
import { Pop3Session, type Pop3Listing } from './pop3-session.js';
import { messageIdOf, parseHeaders, receivedDate } from './pop3-wire.js';

export interface Pop3SourceOptions {
  readonly endpoint: Endpoint;
  readonly credentials: Credentials;
  readonly logger?: Log;
  /** Per command (and for connecting); default 60 s. */
  readonly timeoutMs?: number;
}

export const DEFAULT_POP3_TIMEOUT_MS = 60_000;
const INVENTORY_CHUNK = 200;
const FOLDER = 'INBOX';

/**
 * One mailbox over POP3 (node-pop3): the maildrop is INBOX; mail stays on the server (DELE only in remove()).
 * A POP3 session sees the maildrop as it was at login (RFC 1939 4), so each fetchNew and inventory starts a new
 * session. Methods must not overlap.
 */
export class Pop3Source implements MailSource {
  private session: Pop3Session | null = null;
  /** The listing the current session made; message numbers are only valid within that session. */
  private listed: Pop3Listing[] | null = null;

  /** POP3 has one maildrop and no folders (RFC 1939). */
  readonly serverFolders = null;

  constructor(private readonly options: Pop3SourceOptions) {}

  async open(signal?: AbortSignal): Promise<void> {
    if (this.session?.isOpen) return;
    this.session = await this.withAbort(signal, () => Pop3Session.open(this.options.endpoint, this.options.credentials, this.timeoutMs));
    this.listed = null;
  }

  async *fetchNew(cursorText: string | null, options: FetchOptions, signal?: AbortSignal): AsyncIterable<FetchedBatch> {
    const cursor = parsePop3Cursor(cursorText);
    const session = await this.freshSession(signal);
    const listing = await this.withAbort(signal, () => this.list(session));
    const uidls = listing.map((entry) => entry.uidl);
    const start = findStart(uidls, cursor);
    if (start.lostTrack) {
      // Every message the cursor named is gone: read everything again; the hub drops what it already has.
      this.options.logger?.warn({ recent: cursor.recent.length, onServer: listing.length }, 'POP3: none of the last processed messages is on the server any more; reading the whole maildrop again');
    }
    const { notBefore, resyncFrom } = options;
    const resyncFloor = resyncFrom && notBefore && notBefore > resyncFrom ? notBefore : resyncFrom;
    // Already covered: everything before start.index. A resync looks at those again, from resyncFloor on.
    const coveredBefore = start.index - 1;
    const firstCandidate = resyncFloor ? 0 : start.index;
    const candidates: (Pop3Listing & { index: number })[] = [];
    let lastCovered = coveredBefore;
    for (let index = firstCandidate; index < listing.length; index++) {
      const entry = listing[index];
      const floor = index > coveredBefore ? notBefore : resyncFloor;
      if (floor) {
        throwIfAborted(signal);
        // POP3 has no server-side date: the headers (TOP n 0) say when it arrived.
        const arrived = receivedDate(parseHeaders(await this.withAbort(signal, () => session.headers(entry.number))));
        if (arrived && arrived < floor) continue;
      }
      candidates.push({ ...entry, index });
    }
    let current = cursor;
    let committed = serializePop3Cursor(cursor);
    for (const batch of planBatches(candidates, options.batchSize, options.maxBatchBytes)) {
      throwIfAborted(signal);
      const messages = await this.withAbort(signal, () => retrieveBatch(session, batch));
      lastCovered = Math.max(lastCovered, batch[batch.length - 1].index);
      current = cursorThrough(uidls, lastCovered, current);
      committed = serializePop3Cursor(current);
      yield { messages, cursor: committed };
    }
    // Messages skipped as older than "process email from" still move the cursor past them.
    const final = serializePop3Cursor(cursorThrough(uidls, Math.max(lastCovered, listing.length - 1), current));
    if (final !== committed) yield { messages: [], cursor: final };
  }

  async *inventory(notBefore: Date | null, signal?: AbortSignal): AsyncIterable<readonly InventoryItem[]> {
    const session = await this.freshSession(signal);
    const listing = await this.withAbort(signal, () => this.list(session));
    for (let start = 0; start < listing.length; start += INVENTORY_CHUNK) {
      throwIfAborted(signal);
      const part = listing.slice(start, start + INVENTORY_CHUNK);
      const items: InventoryItem[] = [];
      // TOP n 0 of the whole part in one pipelined write where the server allows it.
      await this.withAbort(signal, () =>
        session.headersMany(
          part.map((entry) => entry.number),
          (raw, index) => {
            const headers = parseHeaders(raw);
            const arrived = receivedDate(headers);
            if (notBefore && arrived && arrived < notBefore) return;
            items.push({ sourceRef: `pop3:${part[index].uidl}`, folder: FOLDER, role: 'INBOX', messageId: messageIdOf(headers) });
          },
        ),
      );
      if (items.length > 0) yield items;
    }
  }

  async *fetchRefs(refs: readonly string[], signal?: AbortSignal): AsyncIterable<RawMessage> {
    const session = await this.currentSession(signal);
    const byUidl = new Map((await this.withAbort(signal, () => this.list(session))).map((entry) => [entry.uidl, entry]));
    for (const ref of refs) {
      const entry = byUidl.get(uidlOf(ref));
      if (!entry) continue; // deleted meanwhile: skipped, as the contract says
      throwIfAborted(signal);
      const source = await this.withAbort(signal, () => retrieve(session, entry));
      yield { sourceRef: ref, folder: FOLDER, role: 'INBOX', receivedAt: null, size: source.length, source };
    }
  }

  /**
   * Marks the messages deleted (DELE) in the current session; RFC 1939 6: the server removes them when the session
   * ends with QUIT, which the next fetchNew/inventory, waitForChange or close() does. A session that breaks
   * before QUIT removes nothing, and the messages come again (the hub drops the duplicates). Safe to call between
   * two batches of fetchNew: the session and its message numbers stay valid.
   */
  async remove(refs: readonly string[]): Promise<void> {
    if (refs.length === 0) return;
    const session = await this.currentSession();
    const byUidl = new Map((await this.list(session)).map((entry) => [entry.uidl, entry]));
    for (const ref of refs) {
      const entry = byUidl.get(uidlOf(ref));
      if (entry) await session.markDeleted(entry.number);
    }
  }

  /** POP3 cannot push: the session is ended (it would only see an old snapshot) and we simply wait. */
  async waitForChange(maxMs: number, signal?: AbortSignal): Promise<'changed' | 'timeout'> {
    await this.endSession();
    if (signal?.aborted) return 'timeout';
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve('timeout');
      };
      const timer = setTimeout(done, Math.max(0, maxMs));
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  async close(): Promise<void> {
    await this.endSession();
  }

  private get timeoutMs(): number {
    return this.options.timeoutMs ?? DEFAULT_POP3_TIMEOUT_MS;
  }

  /** The open session, or a new one (after remove() ended it). */
  private async currentSession(signal?: AbortSignal): Promise<Pop3Session> {
    if (!this.session?.isOpen) await this.open(signal);
    return this.session!;
  }

  /** A session whose snapshot is new: the open one if it has not listed yet, else a new login. */
  private async freshSession(signal?: AbortSignal): Promise<Pop3Session> {
    if (this.listed) await this.endSession();
    return this.currentSession(signal);
  }

  private async list(session: Pop3Session): Promise<Pop3Listing[]> {
    if (!this.listed || session !== this.session) this.listed = await session.listing();
    return this.listed;
  }

  private async endSession(): Promise<void> {
    const session = this.session;
    this.session = null;
    this.listed = null;
    if (session?.isOpen) await session.quit().catch(() => session.destroy());
  }

  /** An abort drops the connection at once (node-pop3 has no cancel), and the call fails TEMPORARY. */
  private async withAbort<T>(signal: AbortSignal | undefined, step: () => Promise<T>): Promise<T> {
    throwIfAborted(signal);
    const abort = () => {
      this.session?.destroy();
      this.session = null;
      this.listed = null;
    };
    signal?.addEventListener('abort', abort, { once: true });
    try {
      return await step();
    } catch (error) {
      if (signal?.aborted) throw cancelled(error);
      throw error;
    } finally {
      signal?.removeEventListener('abort', abort);
    }
  }
}

/**
 * A batch in server order: runs of messages up to the spool threshold (by LIST's size) in one pipelined RETR each,
 * and each larger one streamed into a spool file as it arrives.
 */
async function retrieveBatch(session: Pop3Session, batch: readonly Pop3Listing[]): Promise<RawMessage[]> {
  const messages: RawMessage[] = [];
  const message = (entry: Pop3Listing, source: Buffer | SpooledMessage): RawMessage => ({ sourceRef: `pop3:${entry.uidl}`, folder: FOLDER, role: 'INBOX', receivedAt: null, size: source.length, source });
  for (let start = 0; start < batch.length; ) {
    if (batch[start].size > SPOOL_THRESHOLD_BYTES) {
      messages.push(message(batch[start], await retrieve(session, batch[start])));
      start++;
      continue;
    }
    let end = start;
    while (end < batch.length && batch[end].size <= SPOOL_THRESHOLD_BYTES) end++;
    const run = batch.slice(start, end);
    await session.retrieveMany(
      run.map((entry) => entry.number),
      (source, index) => messages.push(message(run[index], source)),
    );
    start = end;
  }
  return messages;
}

/** RETR into memory, or for a message over the spool threshold (by LIST's size) into a spool file as it arrives. */
function retrieve(session: Pop3Session, entry: Pop3Listing): Promise<Buffer | SpooledMessage> {
  return entry.size > SPOOL_THRESHOLD_BYTES ? session.retrieveStream(entry.number, (body) => SpooledMessage.from(body)) : session.retrieve(entry.number);
}

function uidlOf(ref: string): string {
  if (!ref.startsWith('pop3:') || ref.length <= 5) throw new MailError('CURSOR_INVALID', `Not a POP3 message reference: ${ref}`);
  return ref.slice(5);
}

function cancelled(cause: unknown): MailError {
  return new MailError('TEMPORARY', 'Cancelled: the POP3 connection was closed on request', { cause });
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelled(signal.reason);
}
