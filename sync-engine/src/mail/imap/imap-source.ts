import type { FetchMessageObject, ImapFlow, MailboxObject } from 'imapflow';
import type { Log } from '../../logger.js';
import { planBatches } from '../batch-plan.js';
import { MailError } from '../mail-error.js';
import type { Credentials, Endpoint, FetchedBatch, FetchOptions, FolderRole, InventoryItem, MailSource, RawMessage, SentFolder, ServerFolder } from '../mail-source.js';
import { openImapSession, type ImapSession, type ImapTimeouts } from './imap-connect.js';
import {
  advancedPosition,
  completedPosition,
  isFolderUnchanged,
  parseImapCursor,
  resumePosition,
  serializeImapCursor,
  withPosition,
  type FolderPosition,
  type FolderState,
  type ImapCursor,
} from './imap-cursor.js';
import { SpooledMessage, SPOOL_THRESHOLD_BYTES } from '../spooled-message.js';
import { imapMailError } from './imap-errors.js';
import { selectableFolders } from './imap-folders.js';
import { chunk, formatImapRef, packUidSet, parseImapRef, type ImapRef } from './imap-ref.js';

/** Which folders a mailbox reads. */
export interface ImapFolderConfig {
  readonly inbox: true;
  /** The Sent folder's path; null: the folder the server marks \Sent (RFC 6154), none if it marks none. */
  readonly sent: string | null;
  /** Folders named in folder tracking rules. */
  readonly tracked: readonly string[];
}

export interface ImapSourceOptions {
  readonly endpoint: Endpoint;
  readonly credentials: Credentials;
  readonly folders: ImapFolderConfig;
  readonly logger?: Log;
  readonly timeouts?: ImapTimeouts;
}

/** A folder this source reads and why. */
export interface ResolvedFolder {
  readonly path: string;
  readonly role: FolderRole;
}

// Metadata (size, date, Message-ID) is cheap: ask for this many messages per FETCH.
const METADATA_CHUNK = 250;
// fetchRefs does not know sizes up front: fetch this many bodies per round trip.
const REFS_CHUNK = 10;
const DAY_MS = 86_400_000;
// A large message is downloaded in pieces of this size (BODY.PEEK[]<offset.length>), each written to its spool file.
const DOWNLOAD_CHUNK = 512 * 1024;

interface Candidate {
  readonly uid: number;
  readonly size: number;
}

/**
 * One mailbox over IMAP (imapflow): INBOX, the Sent folder and tracked folders, with a per-folder cursor of
 * UIDVALIDITY + last UID (+ HIGHESTMODSEQ under CONDSTORE). Holds one connection; its methods must not overlap.
 */
export class ImapSource implements MailSource, SentFolder {
  private session: ImapSession | null = null;
  private resolved: ResolvedFolder[] | null = null;
  private sentPath: string | null = null;
  private listed: readonly string[] = [];
  /** INBOX's UIDNEXT when fetchNew last opened it, so waitForChange notices mail that arrived in between. */
  private inboxUidNext: number | null = null;

  constructor(private readonly options: ImapSourceOptions) {}

  /** The folders read, in order, once open() resolved the Sent folder. */
  get folders(): readonly ResolvedFolder[] {
    return this.resolved ?? [];
  }

  /** The folders the server listed when open() ran (imap-folders.ts: selectable ones, bounded): the hub's folder picker. */
  get serverFolders(): readonly ServerFolder[] {
    return this.listed.map((path) => ({ path, folderId: null, underInbox: false }));
  }

  /** The Sent folder's path; null when the server marks none and the profile names none. */
  get sentFolder(): string | null {
    return this.sentPath;
  }

  async open(signal?: AbortSignal): Promise<void> {
    if (this.session) return;
    const { endpoint, credentials, logger, timeouts } = this.options;
    const session = await openImapSession(endpoint, credentials, { logger, timeouts, signal });
    this.session = session;
    try {
      const list = await this.run(() => session.client.list(), undefined, signal);
      this.listed = selectableFolders(list);
      // RFC 6154 \Sent (or imapflow's well-known names on servers without SPECIAL-USE).
      this.sentPath = this.options.folders.sent ?? list.find((folder) => folder.specialUse === '\\Sent')?.path ?? null;
    } catch (error) {
      this.session = null;
      session.client.close();
      throw error;
    }
    const folders: ResolvedFolder[] = [{ path: 'INBOX', role: 'INBOX' }];
    const add = (path: string, role: FolderRole) => {
      if (!folders.some((folder) => samePath(folder.path, path))) folders.push({ path: normalizeInbox(path), role });
    };
    if (this.sentPath) add(this.sentPath, 'SENT');
    for (const path of this.options.folders.tracked) add(path, 'TRACKED');
    this.resolved = folders;
  }

  async *fetchNew(cursorText: string | null, options: FetchOptions, signal?: AbortSignal): AsyncIterable<FetchedBatch> {
    const client = this.client();
    let cursor = parseImapCursor(cursorText);
    let committed = serializeImapCursor(cursor);
    const missing: string[] = [];
    for (const folder of this.folders) {
      const opened = await this.openFolder(folder.path, signal);
      if (!opened) {
        missing.push(folder.path);
        continue;
      }
      const server = folderState(opened);
      if (folder.role === 'INBOX') this.inboxUidNext = server.uidNext;
      const saved: FolderPosition | undefined = cursor.folders[folder.path];
      if (!options.resyncFrom && isFolderUnchanged(saved, server)) continue;
      const { position: start, reset } = resumePosition(saved, server);
      if (reset) this.options.logger?.info({ folder: folder.path, uidValidity: server.uidValidity, was: saved?.uidValidity }, 'UIDVALIDITY changed: reading the folder again');
      let position = start;
      const candidates = await this.run(() => findCandidates(client, this.session!, position.lastUid, options), folder.path, signal);
      const batches = planBatches(candidates, options.batchSize, options.maxBatchBytes);
      let interrupted = false;
      for (const [index, batch] of batches.entries()) {
        throwIfAborted(signal);
        // The caller may have used this connection between two batches (remove() of forwarded copies).
        if (!(await this.reselect(folder.path, server.uidValidity, signal))) {
          interrupted = true; // the folder vanished or was renumbered meanwhile: the next sync starts it again
          break;
        }
        // Sizes from the listing: a batch without a large message needs no size FETCH first.
        const anyLarge = batch.some((item) => item.size > SPOOL_THRESHOLD_BYTES);
        const messages = await this.run(() => fetchMessages(client, folder, server.uidValidity, batch.map((item) => item.uid), anyLarge), folder.path, signal);
        position = advancedPosition(position, batch[batch.length - 1].uid);
        if (index === batches.length - 1) position = completedPosition(position, server);
        cursor = withPosition(cursor, folder.path, position);
        committed = serializeImapCursor(cursor);
        yield { messages, cursor: committed };
      }
      if (batches.length === 0 && !interrupted) cursor = withPosition(cursor, folder.path, completedPosition(position, server));
    }
    // A folder that only moved its position (new UIDVALIDITY, mail older than "process email from", flag changes)
    // still needs its cursor committed: an empty batch carries it.
    if (serializeImapCursor(cursor) !== committed) yield { messages: [], cursor: serializeImapCursor(cursor) };
    if (missing.length > 0) throw folderMissing(missing, this.options.endpoint.host);
  }

  async *inventory(notBefore: Date | null, signal?: AbortSignal): AsyncIterable<readonly InventoryItem[]> {
    const client = this.client();
    const missing: string[] = [];
    for (const folder of this.folders) {
      const opened = await this.openFolder(folder.path, signal);
      if (!opened) {
        missing.push(folder.path);
        continue;
      }
      const uids = await this.run(() => searchUids(client, this.session!, notBefore ? { since: dayBefore(notBefore) } : { all: true }), folder.path, signal);
      const uidValidity = Number(opened.uidValidity);
      for (const part of chunk(uids, METADATA_CHUNK)) {
        throwIfAborted(signal);
        const items = await this.run(
          async () => {
            const found: InventoryItem[] = [];
            for await (const message of client.fetch(packUidSet(part), { uid: true, envelope: true, internalDate: true }, { uid: true })) {
              if (notBefore && dateOf(message) < notBefore) continue;
              found.push({ sourceRef: formatImapRef({ folder: folder.path, uidValidity, uid: message.uid }), folder: folder.path, role: folder.role, messageId: bareMessageId(message.envelope?.messageId) });
            }
            return found.sort((a, b) => uidOf(a.sourceRef) - uidOf(b.sourceRef));
          },
          folder.path,
          signal,
        );
        if (items.length > 0) yield items;
      }
    }
    if (missing.length > 0) throw folderMissing(missing, this.options.endpoint.host);
  }

  async *fetchRefs(refs: readonly string[], signal?: AbortSignal): AsyncIterable<RawMessage> {
    const client = this.client();
    for (const [path, group] of groupByFolder(refs)) {
      const opened = await this.openFolder(path, signal);
      // A folder or UIDVALIDITY that is gone means these references are gone: skipped, as the contract says.
      if (!opened || Number(opened.uidValidity) !== group[0].uidValidity) continue;
      const folder: ResolvedFolder = this.folders.find((known) => samePath(known.path, path)) ?? { path, role: 'TRACKED' };
      const current = group.filter((ref) => ref.uidValidity === Number(opened.uidValidity));
      for (const part of chunk(current, REFS_CHUNK)) {
        throwIfAborted(signal);
        if (!(await this.reselect(path, group[0].uidValidity, signal))) break;
        const messages = await this.run(() => fetchMessages(client, folder, Number(opened.uidValidity), part.map((ref) => ref.uid)), path, signal);
        yield* messages;
      }
    }
  }

  async remove(refs: readonly string[]): Promise<void> {
    const client = this.client();
    for (const [path, group] of groupByFolder(refs)) {
      const opened = await this.openFolder(path, undefined, false);
      if (!opened) continue;
      const uids = group.filter((ref) => ref.uidValidity === Number(opened.uidValidity)).map((ref) => ref.uid);
      if (uids.length === 0) continue;
      // STORE +FLAGS \Deleted, then UID EXPUNGE of exactly these UIDs where UIDPLUS (RFC 4315) allows, else EXPUNGE.
      const removed = await this.run(() => client.messageDelete(packUidSet(uids), { uid: true }), path);
      if (!removed) throw this.commandFailure(`could not delete ${uids.length} message(s)`, path);
    }
  }

  async waitForChange(maxMs: number, signal?: AbortSignal): Promise<'changed' | 'timeout'> {
    const client = this.client();
    if (signal?.aborted) return 'timeout';
    // No signal here: an abort ends the wait with 'timeout' and leaves the connection usable.
    const inbox = await this.openFolder('INBOX');
    if (!inbox) throw folderMissing(['INBOX'], this.options.endpoint.host);
    if (this.inboxUidNext !== null && inbox.uidNext > this.inboxUidNext) return 'changed';
    if (signal?.aborted) return 'timeout';
    return new Promise((resolve, reject) => {
      let settled = false;
      const finish = (outcome: 'changed' | 'timeout' | MailError) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        client.off('exists', onExists);
        client.off('close', onClose);
        signal?.removeEventListener('abort', onAbort);
        // Any command ends IDLE (imapflow sends DONE first); NOOP is the cheapest. Not needed once closed.
        const ended = client.usable ? client.noop().catch(() => {}) : Promise.resolve();
        void ended.then(() => (outcome instanceof MailError ? reject(outcome) : resolve(outcome)));
      };
      // RFC 2177: while idling the server reports new mail with an untagged EXISTS.
      const onExists = (event: { path: string; count: number; prevCount: number }) => {
        if (event.count > event.prevCount) finish('changed');
      };
      const onClose = () => finish(new MailError('TEMPORARY', `The IMAP connection to ${this.options.endpoint.host}:${this.options.endpoint.port} was closed while waiting for new mail`));
      const onAbort = () => finish('timeout');
      const timer = setTimeout(() => finish('timeout'), Math.max(0, maxMs));
      client.on('exists', onExists);
      client.on('close', onClose);
      signal?.addEventListener('abort', onAbort, { once: true });
      // idle() resolves when IDLE ends; imapflow restarts it by itself every maxIdleTime until we break it.
      // A server without IDLE gets imapflow's NOOP polling instead, which reports EXISTS the same way.
      client.idle().catch((error: unknown) => finish(this.translate(error, 'INBOX')));
    });
  }

  async appendSent(raw: Buffer, signal?: AbortSignal): Promise<void> {
    const client = this.client();
    const path = this.requireSent();
    // SELECT it read-write first: imapflow drops APPEND flags that the *selected* folder's PERMANENTFLAGS lack,
    // and a folder we EXAMINEd has none, so \Seen would silently go missing.
    if (!(await this.openFolder(path, signal, false))) throw folderMissing([path], this.options.endpoint.host);
    const appended = await this.run(() => client.append(path, raw, ['\\Seen']), path, signal);
    if (!appended) throw this.commandFailure('could not store the copy in the Sent folder', path);
  }

  async hasSent(messageId: string, signal?: AbortSignal): Promise<boolean> {
    const client = this.client();
    const path = this.requireSent();
    const opened = await this.openFolder(path, signal);
    if (!opened) throw folderMissing([path], this.options.endpoint.host);
    // HEADER search is a substring match (RFC 3501 6.4.4); the brackets make it match this id only.
    const uids = await this.run(() => searchUids(client, this.session!, { header: { 'message-id': `<${bareMessageId(messageId)}>` } }), path, signal);
    return uids.length > 0;
  }

  /** Opens every folder read-only (Test & Enable); throws FOLDER_MISSING naming each one that does not exist. */
  async verifyFolders(signal?: AbortSignal): Promise<void> {
    const missing: string[] = [];
    for (const folder of this.folders) {
      if (!(await this.openFolder(folder.path, signal))) missing.push(folder.path);
    }
    if (missing.length > 0) throw folderMissing(missing, this.options.endpoint.host);
  }

  /** What the server offers that the sync uses (IDLE for push, CONDSTORE to skip unchanged folders, UIDPLUS). */
  get capabilities(): { readonly idle: boolean; readonly condstore: boolean; readonly uidplus: boolean } {
    const capabilities = this.session?.client.capabilities ?? new Map();
    return { idle: capabilities.has('IDLE'), condstore: capabilities.has('CONDSTORE'), uidplus: capabilities.has('UIDPLUS') };
  }

  async close(): Promise<void> {
    const session = this.session;
    this.session = null;
    if (!session) return;
    const { client } = session;
    if (!client.usable) return void client.close();
    // LOGOUT politely, but never wait on a server that stopped answering.
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([client.logout().catch(() => {}), new Promise<void>((resolve) => (timer = setTimeout(resolve, 5_000)))]);
    clearTimeout(timer);
    client.close();
  }

  private client(): ImapFlow {
    if (!this.session) throw new MailError('TEMPORARY', 'The IMAP source is not open');
    return this.session.client;
  }

  private requireSent(): string {
    if (!this.sentPath) {
      throw new MailError('FOLDER_MISSING', `No Sent folder on ${this.options.endpoint.host}: the server marks no folder as \\Sent; name one in the email server profile`);
    }
    return this.sentPath;
  }

  /** EXAMINE (or SELECT) a folder; null when it does not exist. */
  private async openFolder(path: string, signal?: AbortSignal, readOnly = true): Promise<MailboxObject | null> {
    const client = this.client();
    try {
      return await this.run(() => client.mailboxOpen(path, { readOnly }), path, signal);
    } catch (error) {
      if (error instanceof MailError && error.code === 'FOLDER_MISSING') return null;
      throw error;
    }
  }

  /** Makes sure `path` is still the selected folder with this UIDVALIDITY, selecting it again if needed. */
  private async reselect(path: string, uidValidity: number, signal?: AbortSignal): Promise<boolean> {
    const selected = this.client().mailbox;
    if (selected && samePath(selected.path, path) && Number(selected.uidValidity) === uidValidity) return true;
    const opened = await this.openFolder(path, signal);
    return opened !== null && Number(opened.uidValidity) === uidValidity;
  }

  /** Runs one imapflow step: an abort closes the connection, every failure leaves as a MailError. */
  private async run<T>(step: () => Promise<T>, folder: string | undefined, signal?: AbortSignal): Promise<T> {
    throwIfAborted(signal);
    const client = this.client();
    this.session?.takeCommandError(); // forget failures of earlier steps: commandFailure() must explain this one
    const abort = () => client.close();
    signal?.addEventListener('abort', abort, { once: true });
    try {
      return await step();
    } catch (error) {
      if (signal?.aborted) throw cancelled(error);
      throw this.translate(error, folder);
    } finally {
      signal?.removeEventListener('abort', abort);
    }
  }

  private translate(error: unknown, folder: string | undefined): MailError {
    const { endpoint, credentials } = this.options;
    return imapMailError(error, { host: endpoint.host, port: endpoint.port, username: credentials.username, folder });
  }

  /** An imapflow method answered `false`: the reason is the error it logged, or the dropped connection. */
  private commandFailure(what: string, folder: string): MailError {
    const session = this.session;
    const cause = session?.takeCommandError() ?? session?.connectionError();
    if (cause) return this.translate(cause, folder);
    return new MailError('PROTOCOL', `The IMAP server ${this.options.endpoint.host} refused a command in folder '${folder}': ${what}`);
  }
}

function folderState(mailbox: MailboxObject): FolderState {
  const highestModseq = !mailbox.noModseq && mailbox.highestModseq !== undefined ? mailbox.highestModseq.toString() : undefined;
  return highestModseq !== undefined
    ? { uidValidity: Number(mailbox.uidValidity), uidNext: mailbox.uidNext, highestModseq }
    : { uidValidity: Number(mailbox.uidValidity), uidNext: mailbox.uidNext };
}

/** UID SEARCH; imapflow answers `false` on NO/BAD, which must not pass as "nothing found". */
async function searchUids(client: ImapFlow, session: ImapSession, query: Parameters<ImapFlow['search']>[0]): Promise<number[]> {
  const found = await client.search(query, { uid: true });
  if (!Array.isArray(found)) throw session.takeCommandError() ?? session.connectionError() ?? new MailError('PROTOCOL', 'The IMAP server refused a SEARCH');
  return found;
}

/**
 * The messages to read in the selected folder, in UID order with their sizes: every UID above `lastUid`, and with
 * a resync everything received since `resyncFrom`; both only from `notBefore` on.
 */
async function findCandidates(client: ImapFlow, session: ImapSession, lastUid: number, options: FetchOptions): Promise<Candidate[]> {
  const { notBefore, resyncFrom } = options;
  // SEARCH SINCE compares dates only, in the server's zone (RFC 3501 6.4.4): search a day wider, filter exactly below.
  const since = notBefore ? { since: dayBefore(notBefore) } : {};
  // "UID n:*" matches the highest UID even when it is below n (RFC 3501 6.4.8), hence the filter.
  const fresh = (await searchUids(client, session, { uid: `${lastUid + 1}:*`, ...since })).filter((uid) => uid > lastUid);
  const resyncFloor = resyncFrom && notBefore && notBefore > resyncFrom ? notBefore : resyncFrom;
  const again = resyncFloor ? await searchUids(client, session, { since: dayBefore(resyncFloor) }) : [];
  const uids = [...new Set([...fresh, ...again])].sort((a, b) => a - b);
  const candidates: Candidate[] = [];
  for (const part of chunk(uids, METADATA_CHUNK)) {
    for await (const message of client.fetch(packUidSet(part), { uid: true, size: true, internalDate: true }, { uid: true })) {
      const received = dateOf(message);
      const wanted = message.uid > lastUid ? !notBefore || received >= notBefore : !!resyncFloor && received >= resyncFloor;
      if (wanted) candidates.push({ uid: message.uid, size: message.size ?? 0 });
    }
  }
  return candidates.sort((a, b) => a.uid - b.uid);
}

/**
 * UID FETCH of whole messages (BODY.PEEK[]: the \Seen flag stays as the user left it), in UID order. Messages
 * over the spool threshold are not fetched into memory: each is downloaded in chunks into a spool file.
 */
async function fetchMessages(client: ImapFlow, folder: ResolvedFolder, uidValidity: number, uids: readonly number[], mayHoldLarge = true): Promise<RawMessage[]> {
  if (uids.length === 0) return [];
  const messages: RawMessage[] = [];
  let small: number[] = [...uids];
  const large: { uid: number; size: number; receivedAt: Date }[] = [];
  if (mayHoldLarge) {
    small = [];
    for await (const message of client.fetch(packUidSet(uids), { uid: true, internalDate: true, size: true }, { uid: true })) {
      if ((message.size ?? 0) > SPOOL_THRESHOLD_BYTES) large.push({ uid: message.uid, size: message.size ?? 0, receivedAt: dateOf(message) });
      else small.push(message.uid);
    }
  }
  const ref = (uid: number) => formatImapRef({ folder: folder.path, uidValidity, uid });
  if (small.length > 0) {
    for await (const message of client.fetch(packUidSet(small), { uid: true, source: true, internalDate: true, size: true }, { uid: true })) {
      if (!message.source) continue; // expunged while we fetched
      messages.push({ sourceRef: ref(message.uid), folder: folder.path, role: folder.role, receivedAt: dateOf(message), size: message.size ?? message.source.length, source: message.source });
    }
  }
  for (const { uid, size, receivedAt } of large) {
    const download = await client.download(String(uid), undefined, { uid: true, chunkSize: DOWNLOAD_CHUNK });
    if (!download.content) continue; // expunged while we fetched
    const source = await SpooledMessage.from(download.content);
    messages.push({ sourceRef: ref(uid), folder: folder.path, role: folder.role, receivedAt, size, source });
  }
  return messages.sort((a, b) => uidOf(a.sourceRef) - uidOf(b.sourceRef));
}

function groupByFolder(refs: readonly string[]): Map<string, ImapRef[]> {
  const groups = new Map<string, ImapRef[]>();
  for (const text of refs) {
    const ref = parseImapRef(text);
    if (!ref) throw new MailError('CURSOR_INVALID', `Not an IMAP message reference: ${text}`);
    const key = normalizeInbox(ref.folder);
    groups.set(key, [...(groups.get(key) ?? []), ref]);
  }
  return groups;
}

function folderMissing(paths: readonly string[], host: string): MailError {
  const names = paths.map((path) => `'${path}'`).join(', ');
  return new MailError('FOLDER_MISSING', paths.length === 1 ? `Folder ${names} does not exist on ${host}: check the folder name` : `Folders ${names} do not exist on ${host}: check the folder names`);
}

function cancelled(cause: unknown): MailError {
  return new MailError('TEMPORARY', 'Cancelled: the IMAP connection was closed on request', { cause });
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelled(signal.reason);
}

const dayBefore = (date: Date) => new Date(date.getTime() - DAY_MS);

function dateOf(message: FetchMessageObject): Date {
  return message.internalDate instanceof Date ? message.internalDate : new Date(message.internalDate ?? 0);
}

const uidOf = (sourceRef: string) => parseImapRef(sourceRef)?.uid ?? 0;

/** "<id@host>" → "id@host"; null when absent. */
export function bareMessageId(value: string | undefined | null): string | null {
  if (!value) return null;
  const trimmed = value.trim().replace(/^<|>$/g, '').trim();
  return trimmed === '' ? null : trimmed;
}

// RFC 3501 5.1: INBOX is case-insensitive; every other name is the server's business.
const normalizeInbox = (path: string) => (path.toUpperCase() === 'INBOX' ? 'INBOX' : path);
const samePath = (a: string, b: string) => normalizeInbox(a) === normalizeInbox(b);
