import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import PostalMime from 'postal-mime';

export type Email = PostalMime.Email;

// Every message/rfc822 part stays an attachment with its raw bytes: the forward mailbox unwraps them,
// and an attached message is kept as the .eml it is rather than merged into the outer body.
const POSTAL_OPTIONS = { forceRfc822Attachments: true, attachmentEncoding: 'arraybuffer' } as const satisfies PostalMime.PostalMimeOptions;

/** Why postal-mime could not parse a message (a limit it enforces, or a crash on this input). */
export class MimeParseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MimeParseError';
  }
}

/**
 * Parses on the calling thread: postal-mime never yields, so only for messages small enough to parse in a few ms.
 * Parses asked for at once run one after another, each on its own turn of the event loop.
 */
export function parseHere(source: Uint8Array): Promise<Email> {
  // Several at once would resume in the same turn and run back to back: one stall as long as all of them.
  const turn = inThread.then(() => parseOnItsTurn(source));
  inThread = turn.catch(() => undefined);
  return turn;
}

let inThread: Promise<unknown> = Promise.resolve();

async function parseOnItsTurn(source: Uint8Array): Promise<Email> {
  // postal-mime settles through microtasks only: without this, a batch parsed back to back is one long stall.
  await yieldToEventLoop();
  try {
    return await PostalMime.parse(source, POSTAL_OPTIONS);
  } catch (error) {
    throw new MimeParseError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}

/**
 * Parses on the shared MIME worker thread, so a large message never stalls the event loop (postal-mime works
 * through the whole buffer synchronously; ~25 ms per MB here). One job at a time: a job that crashes or
 * outlives `timeoutMs` is blamed on its own message, the worker is replaced, and the queue goes on.
 */
export function parseInWorker(source: Uint8Array, timeoutMs: number): Promise<Email> {
  return (pool ??= new MimeWorker()).parse(source, timeoutMs);
}

/** Stops the worker thread (graceful shutdown, tests); the next parseInWorker starts a new one. */
export async function closeMimeWorker(): Promise<void> {
  const current = pool;
  pool = null;
  await current?.close();
}

let pool: MimeWorker | null = null;

const WORKER_HEAP_MB = 768;
// The parser leaves its work buffers (ArrayBuffers, outside the heap) for a garbage collection that V8 puts off
// while the heap itself stays small; past this much the worker collects after a message.
const WORKER_COLLECT_AFTER_MB = 32;

// Plain JavaScript because a worker cannot load the TypeScript source under vitest, and tsc would not copy a
// .js file into dist; the CommonJS build of postal-mime is resolved here and loaded by absolute path.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
// gc() for this thread: V8 flags are the process's, and only a context made after this gets the function.
require('node:v8').setFlagsFromString('--expose-gc');
const collect = require('node:vm').runInNewContext('gc');
const PostalMime = require(${JSON.stringify(require.resolve('postal-mime'))});
parentPort.on('message', async ({ id, source, options }) => {
  let email;
  try {
    email = await PostalMime.parse(source, options);
  } catch (error) {
    parentPort.postMessage({ id, error: error instanceof Error ? error.message : String(error) });
    return;
  }
  const transfer = new Set();
  for (const a of email.attachments) {
    const buffer = a.content instanceof ArrayBuffer ? a.content : a.content && a.content.buffer;
    if (buffer instanceof ArrayBuffer) transfer.add(buffer);
  }
  try {
    parentPort.postMessage({ id, email }, [...transfer]);
  } catch {
    parentPort.postMessage({ id, email }); // a buffer that cannot move is copied instead
  }
  email = null;
  if (process.memoryUsage().arrayBuffers > ${WORKER_COLLECT_AFTER_MB * 1024 * 1024}) collect();
});
parentPort.postMessage({ ready: true });
`;

interface Job {
  readonly id: number;
  readonly source: Uint8Array;
  readonly timeoutMs: number;
  readonly resolve: (email: Email) => void;
  readonly reject: (error: Error) => void;
}

type Reply = { ready: true } | { id: number; email: Email } | { id: number; error: string };

class MimeWorker {
  private worker: Worker | null = null;
  private ready = false;
  private readonly queue: Job[] = [];
  private current: Job | null = null;
  private timer: NodeJS.Timeout | null = null;
  private nextId = 1;

  parse(source: Uint8Array, timeoutMs: number): Promise<Email> {
    return new Promise<Email>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, source, timeoutMs, resolve, reject });
      this.pump();
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    for (const job of [...(this.current ? [this.current] : []), ...this.queue.splice(0)]) job.reject(new Error('the MIME worker was closed'));
    this.current = null;
    this.clearTimer();
    await worker?.terminate();
  }

  private pump(): void {
    if (this.current || this.queue.length === 0) return;
    const worker = this.worker ?? this.start();
    worker.ref(); // keep the process alive while a parse is owed to someone
    if (!this.ready) return; // sent on 'ready'
    const job = (this.current = this.queue.shift()!);
    // A copy of exactly this view, moved rather than cloned: the caller keeps its Buffer, which may be a
    // slice of a larger one.
    const source = new Uint8Array(job.source);
    worker.postMessage({ id: job.id, source, options: POSTAL_OPTIONS }, [source.buffer]);
    this.timer = setTimeout(() => this.fail(new MimeParseError(`parsing took longer than ${Math.round(job.timeoutMs / 1000)} s`)), job.timeoutMs);
  }

  private start(): Worker {
    // A message that needs more heap than this kills the worker (ERR_WORKER_OUT_OF_MEMORY) and is reported
    // invalid, instead of growing the engine without bound.
    // A small young generation: parse garbage is short-lived, and large semi-spaces would only raise the engine's RSS.
    const worker = new Worker(WORKER_SOURCE, { eval: true, resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: 8 } });
    this.worker = worker;
    this.ready = false;
    worker.on('message', (reply: Reply) => {
      if (worker !== this.worker) return;
      if ('ready' in reply) {
        this.ready = true;
        this.pump();
        return;
      }
      const job = this.current;
      if (!job || job.id !== reply.id) return;
      this.current = null;
      this.clearTimer();
      if ('error' in reply) job.reject(new MimeParseError(reply.error));
      else job.resolve(reply.email);
      if (this.queue.length === 0) worker.unref();
      this.pump();
    });
    worker.on('error', (error) => {
      if (worker !== this.worker) return;
      if (!this.ready) this.failStart(`${error.message}`, error);
      else this.fail(new MimeParseError(`the parser crashed on this message: ${error.message}`, { cause: error }));
    });
    worker.on('exit', (code) => {
      if (worker !== this.worker) return;
      if (!this.ready) this.failStart(`exit code ${code}`);
      else this.fail(new MimeParseError(`the parser stopped (exit code ${code}) on this message`));
    });
    return worker;
  }

  /** The worker could not even load the parser: an engine fault, not a bad message, so no MimeParseError. */
  private failStart(detail: string, cause?: unknown): void {
    this.worker = null;
    for (const job of this.queue.splice(0)) job.reject(new Error(`the MIME worker failed to start: ${detail}`, { cause }));
  }

  /** Blames the job in flight, replaces the worker, and carries on with the queue. */
  private fail(error: MimeParseError): void {
    const job = this.current;
    this.current = null;
    this.clearTimer();
    const worker = this.worker;
    this.worker = null;
    void worker?.terminate();
    job?.reject(error);
    this.pump();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
