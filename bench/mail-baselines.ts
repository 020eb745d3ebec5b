// The baselines the end-to-end mail ingest is compared with, each doing one of its three jobs alone and as
// directly as it can be done: fetching the mailbox with a minimal client (imapflow FETCH of whole messages
// in UID ranges; a raw-socket POP3 RETR loop), parsing the same messages (the engine's own parseRawMessage
// from sync-engine/dist, files read from disk untimed), and inserting the rows the api wrote for them
// (multi-row INSERTs through mysql2, one transaction per 100 messages, as bench/ingest.ts does).
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { ImapFlow } from 'imapflow';
import type { RowDataPacket } from 'mysql2';
import { recreateDatabase, serverConnection } from './bench-api';
import type { Dataset } from './mail-dataset';

const ROOT = path.resolve(__dirname, '..', '..', '..');

export interface Throughput {
  readonly messages: number;
  readonly bytes: number;
  readonly seconds: number;
}

export const perSecond = (t: Throughput) => t.messages / t.seconds;
export const mbPerSecond = (t: Throughput) => t.bytes / 1e6 / t.seconds;

export interface MailLogin {
  readonly port: number;
  readonly user: string;
  readonly password: string;
}

/** Dovecot reads a maildir it has not seen into its index on first access; this does that outside any measurement. */
export async function warmImap(login: MailLogin): Promise<number> {
  const client = imapClient(login);
  await client.connect();
  try {
    await client.mailboxOpen('INBOX');
    let n = 0;
    for await (const _ of client.fetch('1:*', { uid: true, size: true, internalDate: true })) n++;
    return n;
  } finally {
    await client.logout();
  }
}

/** All messages of INBOX, whole (BODY.PEEK[]), `batch` UIDs per UID FETCH, bytes counted and dropped. Timed from after login. */
export async function rawImapFetch(login: MailLogin, batch: number): Promise<Throughput> {
  const client = imapClient(login);
  await client.connect();
  try {
    const started = performance.now();
    await client.mailboxOpen('INBOX');
    const uids = ((await client.search({ all: true }, { uid: true })) || []).sort((a, b) => a - b);
    let messages = 0;
    let bytes = 0;
    for (let i = 0; i < uids.length; i += batch) {
      const part = uids.slice(i, i + batch);
      for await (const message of client.fetch(`${part[0]}:${part[part.length - 1]}`, { uid: true, source: true }, { uid: true })) {
        messages++;
        bytes += message.source?.length ?? 0;
      }
    }
    return { messages, bytes, seconds: (performance.now() - started) / 1000 };
  } finally {
    await client.logout();
  }
}

function imapClient(login: MailLogin): ImapFlow {
  return new ImapFlow({ host: '127.0.0.1', port: login.port, secure: false, doSTARTTLS: false, auth: { user: login.user, pass: login.password }, logger: false, disableAutoIdle: true });
}

const TERMINATOR = Buffer.from('\r\n.\r\n');

/**
 * A POP3 client in a few lines over a plain socket (RFC 1939): one command at a time; a multi-line answer is
 * read until its CRLF.CRLF terminator (RFC 1939 3) and dropped, only its size is counted.
 */
class Pop3Wire {
  private readonly socket: net.Socket;
  private pending: { multiline: boolean; resolve: (first: string) => void; reject: (e: Error) => void } | null = null;
  private head = '';
  private first = '';
  private tail = Buffer.alloc(0);
  /** Bytes of multi-line answers so far. */
  bytes = 0;

  constructor(port: number) {
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.on('error', (error) => this.fail(error));
    this.socket.on('close', () => this.fail(new Error('POP3 connection closed')));
    this.socket.on('data', (chunk: Buffer) => this.receive(chunk));
  }

  static async login(login: MailLogin): Promise<Pop3Wire> {
    const wire = new Pop3Wire(login.port);
    await wire.command(null); // the greeting
    await wire.command(`USER ${login.user}`);
    await wire.command(`PASS ${login.password}`);
    return wire;
  }

  /** Sends `line` (null: none, wait for the greeting); resolves with the status line of a +OK answer. */
  command(line: string | null, multiline = false): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      this.head = '';
      this.first = '';
      this.tail = Buffer.alloc(0);
      this.pending = { multiline, resolve, reject };
      if (line !== null) this.socket.write(`${line}\r\n`);
    });
  }

  async quit(): Promise<void> {
    await this.command('QUIT').catch(() => undefined);
    this.socket.destroy();
  }

  private receive(chunk: Buffer): void {
    const pending = this.pending;
    if (!pending) return;
    if (this.first === '') {
      this.head += chunk.subarray(0, 512).toString('latin1');
      const end = this.head.indexOf('\r\n');
      if (end === -1) return;
      this.first = this.head.slice(0, end);
      if (!pending.multiline || !this.first.startsWith('+OK')) {
        this.pending = null;
        return this.first.startsWith('+OK') ? pending.resolve(this.first) : pending.reject(new Error(`POP3: ${this.first}`));
      }
    }
    this.bytes += chunk.length;
    // The terminator may straddle two chunks: look at the last 4 bytes before this chunk too.
    const straddles = this.tail.length > 0 && Buffer.concat([this.tail, chunk.subarray(0, 4)]).indexOf(TERMINATOR) !== -1;
    if (straddles || chunk.indexOf(TERMINATOR) !== -1) {
      this.pending = null;
      pending.resolve(this.first);
      return;
    }
    this.tail = Buffer.from(chunk.subarray(Math.max(0, chunk.length - 4)));
  }

  private fail(error: Error): void {
    this.pending?.reject(error);
    this.pending = null;
  }
}

/** The first POP3 session on a maildir makes Dovecot index it (and its UIDLs); this does that outside any measurement. */
export async function warmPop3(login: MailLogin): Promise<number> {
  const wire = await Pop3Wire.login(login);
  try {
    const stat = await wire.command('STAT');
    await wire.command('UIDL', true);
    return Number(stat.split(' ')[1]);
  } finally {
    await wire.quit();
  }
}

/** STAT, then RETR 1..n one after another, each answer dropped. Timed from after login. */
export async function rawPop3Fetch(login: MailLogin): Promise<Throughput> {
  const wire = await Pop3Wire.login(login);
  try {
    const started = performance.now();
    const count = Number((await wire.command('STAT')).split(' ')[1]);
    for (let n = 1; n <= count; n++) await wire.command(`RETR ${n}`, true);
    return { messages: count, bytes: wire.bytes, seconds: (performance.now() - started) / 1000 };
  } finally {
    await wire.quit();
  }
}

type ParseRawMessage = (raw: { source: Buffer; folder: string; role: 'INBOX'; receivedAt: Date | null; sourceRef: string }, options: { maxAttachmentBytes: number }) => Promise<{ attachments: readonly unknown[] }>;

export type ParseFigures = Throughput & { readonly invalid: number };

/**
 * parseRawMessage over the dataset's messages [from, to) (all by default), one after another as the engine does;
 * reading the files is not timed.
 */
export async function parseAll(dataset: Dataset, batch: number, from = 0, to = dataset.messages.length): Promise<ParseFigures> {
  const { parseRawMessage } = require(path.join(ROOT, 'sync-engine', 'dist', 'mime', 'parse-message.js')) as { parseRawMessage: ParseRawMessage };
  let elapsed = 0;
  let bytes = 0;
  let invalid = 0;
  for (let i = from; i < to; i += batch) {
    const sources = dataset.messages.slice(i, Math.min(i + batch, to)).map((m) => fs.readFileSync(path.join(dataset.dir, m.file)));
    const started = performance.now();
    for (const [j, source] of sources.entries()) {
      try {
        await parseRawMessage({ source, folder: 'INBOX', role: 'INBOX', receivedAt: null, sourceRef: `bench:${i + j}` }, { maxAttachmentBytes: 128 * 1024 * 1024 });
      } catch {
        invalid++;
      }
      bytes += source.length;
    }
    elapsed += performance.now() - started;
  }
  return { messages: to - from, bytes, seconds: elapsed / 1000, invalid };
}

/**
 * The parse baseline around one end-to-end run: the first half of the messages parsed just before `run`, the second
 * half just after, added up. A baseline taken once, minutes from the run it is compared with, swung by half between
 * runs of the same code on a machine whose speed drifts; one that brackets the run sees the machine as the run did.
 */
export async function parseAround<T>(dataset: Dataset, batch: number, run: () => Promise<T>): Promise<{ parse: ParseFigures; result: T }> {
  const half = Math.ceil(dataset.messages.length / 2);
  const first = await parseAll(dataset, batch, 0, half);
  const result = await run();
  const second = await parseAll(dataset, batch, half);
  const parse = { messages: first.messages + second.messages, bytes: first.bytes + second.bytes, seconds: first.seconds + second.seconds, invalid: first.invalid + second.invalid };
  return { parse, result };
}

/** The tables trackEmails writes for a tracked email (checked against the row counts of each run). */
export const TRACKING_TABLES = ['blob_chunk', 'blob_content', 'activity', 'activity_party', 'timeline_entry', 'email_message', 'activity_mailbox', 'activity_attachment', 'mailbox_item'] as const;

export interface InsertFigures extends Throughput {
  readonly rows: Record<string, number>;
  readonly statements: number;
  /** Bytes of blob_chunk data inserted (bodies and attachments). */
  readonly blobBytes: number;
}

/**
 * Copies what the api wrote for `mailboxId` in `source` into an empty copy of the schema (`target`), 100
 * messages' rows per transaction with one multi-row INSERT per table, in tracking order. Only the INSERTs
 * are timed; reading each group's rows from `source` is not.
 */
export async function rawInsert(source: string, target: string, mailboxId: string, messageBytes: number, batch: number): Promise<InsertFigures> {
  await recreateDatabase(target);
  const from = await serverConnection(source);
  const to = await serverConnection(target);
  try {
    for (const table of TRACKING_TABLES) await to.query(`CREATE TABLE \`${table}\` LIKE \`${source}\`.\`${table}\``);
    const [items] = await from.query<RowDataPacket[]>('SELECT activityId FROM mailbox_item WHERE mailboxId = ? AND activityId IS NOT NULL ORDER BY activityId', [mailboxId]);
    const ids = [...new Set(items.map((r) => r.activityId as string))];
    const rows: Record<string, number> = Object.fromEntries(TRACKING_TABLES.map((t) => [t, 0]));
    const seenBlobs = new Set<string>();
    let statements = 0;
    let blobBytes = 0;
    let elapsed = 0;
    for (let i = 0; i < ids.length; i += batch) {
      const group = ids.slice(i, i + batch);
      const plan = new Map<string, RowDataPacket[]>();
      const select = async (table: string, column: string, keys: readonly string[]) => (keys.length ? (await from.query<RowDataPacket[]>(`SELECT * FROM \`${table}\` WHERE \`${column}\` IN (?)`, [keys]))[0] : []);
      plan.set('activity', await select('activity', 'id', group));
      for (const table of ['activity_party', 'timeline_entry', 'email_message', 'activity_mailbox', 'activity_attachment']) plan.set(table, await select(table, 'activityId', group));
      plan.set('mailbox_item', (await select('mailbox_item', 'activityId', group)).filter((r) => r.mailboxId === mailboxId));
      const blobs = new Set<string>();
      for (const e of plan.get('email_message')!) for (const sha of [e.textBodyBlob, e.htmlBodyBlob]) if (sha && !seenBlobs.has(sha)) blobs.add(sha);
      for (const a of plan.get('activity_attachment')!) if (a.blobSha256 && !seenBlobs.has(a.blobSha256)) blobs.add(a.blobSha256);
      for (const sha of blobs) seenBlobs.add(sha);
      plan.set('blob_content', await select('blob_content', 'sha256', [...blobs]));
      plan.set('blob_chunk', await select('blob_chunk', 'blobKey', [...blobs]));
      const started = performance.now();
      await to.beginTransaction();
      statements += 2;
      for (const table of TRACKING_TABLES) {
        const list = plan.get(table)!;
        if (!list.length) continue;
        rows[table] += list.length;
        const columns = Object.keys(list[0]);
        // blob_chunk rows are up to 60 KiB: several statements keep each under max_allowed_packet.
        const per = table === 'blob_chunk' ? 64 : list.length;
        for (let j = 0; j < list.length; j += per) {
          statements++;
          await to.query(`INSERT INTO \`${table}\` (${columns.map((c) => `\`${c}\``).join(', ')}) VALUES ?`, [list.slice(j, j + per).map((r) => columns.map((c) => r[c]))]);
        }
        if (table === 'blob_chunk') blobBytes += list.reduce((sum, r) => sum + (r.data as Buffer).length, 0);
      }
      await to.commit();
      elapsed += performance.now() - started;
    }
    return { messages: ids.length, bytes: messageBytes, seconds: elapsed / 1000, rows, statements, blobBytes };
  } finally {
    await from.end();
    await to.end();
  }
}
