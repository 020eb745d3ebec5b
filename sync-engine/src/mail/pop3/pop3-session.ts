import Pop3Command from 'node-pop3';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { MailError } from '../mail-error.js';
import type { Credentials, Endpoint } from '../mail-source.js';
import { pop3MailError, type Pop3ErrorContext } from './pop3-errors.js';
import { DotUnstuffer, joinUnstuffed, MultilineReader, PipelinedResponses, type Pop3Response } from './pop3-wire.js';

/**
 * node-pop3 with its multi-line framing fixed:
 * - it ends a response when one socket chunk *ends* with CRLF.CRLF (or is exactly "." or ".\r\n"), so a terminator
 *   split across chunks, or a body chunk that happens to be ".", ends the body early or never: a small state
 *   machine (MultilineReader) finds the terminator across chunks instead;
 * - it passes the rest of the "+OK" chunk on only when its first byte is truthy, so a body starting with a NUL byte
 *   lost its first chunk (and with it, often, the terminator): that chunk is recovered here.
 */
class FramedPop3 extends Pop3Command {
  private reader = new MultilineReader();
  private lastChunk: Buffer | null = null;
  private watched: unknown = null;

  override command(...args: (string | number)[]) {
    // Runs before node-pop3's own 'data' handler, so _updateStream() below knows the chunk being handled.
    const socket = this._socket;
    if (socket && this.watched !== socket) {
      this.watched = socket;
      socket.prependListener('data', (chunk: Buffer) => (this.lastChunk = chunk));
    }
    return super.command(...args);
  }

  override _updateStream(): Readable {
    this.reader = new MultilineReader();
    const stream = super._updateStream();
    // node-pop3's stream ignores backpressure (its read() does nothing): a large RETR would pile up in it when the
    // reader (a spool file) is slower than the socket. The socket pauses in _pushStream and resumes here.
    stream._read = () => this._socket?.resume();
    const chunk = this.lastChunk;
    const lineEnd = chunk ? chunk.indexOf('\r\n') : -1;
    const rest = chunk && lineEnd >= 0 ? chunk.subarray(lineEnd + 2) : null;
    // node-pop3 skips `rest` when rest[0] is 0; push it once its handler is done with this chunk.
    if (rest && rest.length > 0 && rest[0] === 0) queueMicrotask(() => this._stream === stream && this._pushStream(rest));
    return stream;
  }

  /**
   * Sends `commands` in one write and hands each response to `onResponse` as it completes, in order (RFC 2449 6.6
   * PIPELINING; also one command whose response node-pop3 cannot frame, such as CAPA). Settles after the last
   * response; the caller must not send anything meanwhile. While it runs, node-pop3 sees a stream in progress
   * and passes every chunk to _pushStream, which feeds them here.
   */
  exchange(commands: readonly { line: string; multiline: boolean }[], onResponse: (response: Pop3Response, index: number) => void): Promise<void> {
    const socket = this._socket;
    if (!socket) return Promise.reject(Object.assign(new Error('no-socket'), { eventName: 'close' }));
    if (this._stream || this.responder) return Promise.reject(new Error('a POP3 command is still running'));
    return new Promise<void>((resolve, reject) => {
      const responses = new PipelinedResponses(commands.map((c) => c.multiline));
      let index = 0;
      const stream = new PassThrough();
      this.responder = (chunk: Buffer) => {
        try {
          for (const response of responses.push(chunk)) onResponse(response, index++);
        } catch (error) {
          this.responder = null;
          this._stream = null;
          // Framing is lost: the session cannot be used again.
          socket.destroy();
          reject(Object.assign(error as Error, { eventName: 'bad-server-response' }));
          return;
        }
        if (responses.done) {
          this.responder = null;
          this._stream = null;
          resolve();
        }
      };
      this._stream = stream;
      socket.resume();
      socket.write(commands.map((c) => `${c.line}\r\n`).join(''));
    });
  }

  /** The chunk handler of an exchange() in progress. */
  private responder: ((chunk: Buffer) => void) | null = null;

  override _pushStream(buffer: Buffer): void {
    if (this.responder) return this.responder(buffer);
    const { data, done } = this.reader.push(buffer);
    const wantsMore = data.length === 0 || this._stream?.push(data) !== false;
    if (done) {
      this._endStream();
      this._socket?.resume(); // the next command's answer must flow
    } else if (!wantsMore) {
      this._socket?.pause();
    }
  }
}

export interface Pop3Listing {
  /** Message number in this session (RFC 1939 5: valid until QUIT). */
  readonly number: number;
  readonly uidl: string;
  readonly size: number;
}

/**
 * One POP3 session (one TCP connection, one login): node-pop3 commands never settle after QUIT or a dropped
 * socket, so every command here races a deadline and the socket's close, and a session is never reused after it.
 */
export class Pop3Session {
  private closed = false;
  private closeError: MailError | null = null;
  /** The server announced RFC 2449 PIPELINING (a batch's RETR commands then go in one write); asked on first need. */
  private pipelining: Promise<boolean> | null = null;
  private readonly waiters = new Set<(error: MailError) => void>();

  private constructor(
    private readonly client: FramedPop3,
    private readonly endpoint: Endpoint,
    private readonly username: string,
    private readonly timeoutMs: number,
  ) {}

  /** Connects and logs in (USER/PASS); throws MailError. */
  static async open(endpoint: Endpoint, credentials: Credentials, timeoutMs: number): Promise<Pop3Session> {
    if (endpoint.tls === 'STARTTLS') {
      throw new MailError('TLS', `STARTTLS is not supported for POP3 (${endpoint.host}:${endpoint.port}): use implicit TLS (usually port 995) or no TLS`);
    }
    if (credentials.method !== 'PASSWORD') {
      throw new MailError('AUTH_FAILED', `POP3 sign-in with an access token is not supported: set a password for ${credentials.username}`);
    }
    const client = new FramedPop3({
      host: endpoint.host,
      port: endpoint.port,
      user: credentials.username,
      password: credentials.password,
      tls: endpoint.tls === 'IMPLICIT',
      // A backstop only: the guard below fails a command after timeoutMs without data, with a clearer error.
      timeout: timeoutMs * 2,
      servername: endpoint.host,
      tlsOptions: { rejectUnauthorized: !endpoint.allowInvalidCertificates },
    });
    // node-pop3 emits '-ERR' replies as 'error' events; one arriving when no command listens would crash the process.
    client.on('error', () => {});
    const session = new Pop3Session(client, endpoint, credentials.username, timeoutMs);
    try {
      await session.guard(client._connect(), 'login');
    } catch (error) {
      session.destroy();
      throw error;
    }
    session.watchSocket();
    return session;
  }

  /** CAPA (RFC 2449 5): the capability names the server announces; none for a server without CAPA ("-ERR"). */
  private async capabilities(): Promise<Set<string>> {
    const answer: { body: Buffer | null } = { body: null };
    await this.guard(this.client.exchange([{ line: 'CAPA', multiline: true }], (response) => (answer.body = response.ok ? response.body : null)), 'CAPA');
    const names = answer.body?.toString('latin1').split('\r\n') ?? [];
    return new Set(names.map((line) => line.trim().split(/\s+/)[0].toUpperCase()).filter(Boolean));
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  /** UIDL and LIST together: every message in server order with its unique id and size. */
  async listing(): Promise<Pop3Listing[]> {
    const uidls = parseListing(Buffer.concat(await this.multiline('UIDL')));
    const sizes = new Map(parseListing(Buffer.concat(await this.multiline('LIST'))).map(([number, size]) => [number, Number(size)]));
    return uidls.map(([number, uidl]) => ({ number: Number(number), uidl, size: sizes.get(number) ?? 0 }));
  }

  /** The whole message, dot-unstuffed, as bytes. */
  async retrieve(number: number): Promise<Buffer> {
    return joinUnstuffed(await this.multiline('RETR', number));
  }

  /**
   * Several whole messages, dot-unstuffed, each handed to `each` as it arrives, in order: with PIPELINING all RETR
   * commands go in one write and the answers stream back without a round trip per message; without, one at a time.
   * A message the server refuses ("-ERR") fails the call once every answer has been read.
   */
  retrieveMany(numbers: readonly number[], each: (body: Buffer, index: number) => void): Promise<void> {
    return this.many(numbers, (number) => `RETR ${number}`, (number) => this.retrieve(number), each);
  }

  /** The header blocks (TOP n 0) of several messages, as retrieveMany gives bodies. */
  headersMany(numbers: readonly number[], each: (headers: Buffer, index: number) => void): Promise<void> {
    return this.many(numbers, (number) => `TOP ${number} 0`, (number) => this.headers(number), each);
  }

  private async many(numbers: readonly number[], command: (number: number) => string, one: (number: number) => Promise<Buffer>, each: (body: Buffer, index: number) => void): Promise<void> {
    if (numbers.length >= 2) this.pipelining ??= this.capabilities().then((names) => names.has('PIPELINING'));
    if (numbers.length < 2 || !(await this.pipelining)) {
      for (const [index, number] of numbers.entries()) each(await one(number), index);
      return;
    }
    const refused: { command: string; text: string }[] = [];
    const commands = numbers.map((number) => ({ line: command(number), multiline: true }));
    await this.guard(
      this.client.exchange(commands, (response, index) => {
        if (response.ok) each(response.body ?? Buffer.alloc(0), index);
        else refused.push({ command: commands[index].line, text: response.text });
      }),
      `${commands[0].line} … ${commands[commands.length - 1].line}`,
    );
    const [failed] = refused;
    if (failed) throw pop3MailError(Object.assign(new Error(failed.text), { eventName: 'error', command: failed.command }), this.errorContext(failed.command));
  }

  /** The whole message, dot-unstuffed, handed to `consume` as a stream while it arrives; settles with `consume`. */
  async retrieveStream<T>(number: number, consume: (body: Readable) => Promise<T>): Promise<T> {
    const what = `RETR ${number}`;
    const [, stream] = await this.guard(this.client.command('RETR', number), what);
    const body = new DotUnstuffer();
    if (!stream) body.end();
    // A dropped socket ends node-pop3's stream without 'end': the pipeline then fails, and so does `consume`.
    const piped = stream ? pipeline(stream, body) : Promise.resolve();
    return this.guard(
      Promise.all([piped, consume(body)]).then(([, result]) => result),
      what,
    );
  }

  /** The header block (TOP n 0, RFC 1939 7), dot-unstuffed. */
  async headers(number: number): Promise<Buffer> {
    return joinUnstuffed(await this.multiline('TOP', number, 0));
  }

  async markDeleted(number: number): Promise<void> {
    await this.guard(this.client.command('DELE', number), `DELE ${number}`);
  }

  /** QUIT: commits DELE marks (RFC 1939 6) and ends the session. */
  async quit(): Promise<void> {
    if (this.closed) return;
    try {
      await this.guard(this.client.command('QUIT'), 'QUIT');
    } finally {
      this.destroy();
    }
  }

  /** Drops the connection without QUIT: DELE marks are forgotten. */
  destroy(): void {
    this.closed = true;
    this.client._socket?.destroy();
  }

  /** A multi-line response's body as the chunks it arrived in: joined by the caller, in one copy. */
  private async multiline(...args: (string | number)[]): Promise<Buffer[]> {
    const what = args.join(' ');
    const [, stream] = await this.guard(this.client.command(...args), what);
    return this.guard(collect(stream), what);
  }

  /**
   * Settles with the command, or fails when the server sends nothing for timeoutMs (a large RETR may take long, as
   * long as bytes flow) or the socket closes: node-pop3 alone would wait forever in both cases.
   */
  private guard<T>(promise: Promise<T>, what: string): Promise<T> {
    if (this.closed) return Promise.reject(this.closeError ?? this.dropped(what));
    const socket = this.client._socket;
    return new Promise<T>((resolve, reject) => {
      const settle = () => {
        clearTimeout(timer);
        socket?.off('data', onData);
        this.waiters.delete(fail);
      };
      const fail = (error: MailError) => {
        settle();
        reject(error);
      };
      const timer = setTimeout(() => {
        fail(new MailError('TIMEOUT', `The POP3 server ${this.endpoint.host}:${this.endpoint.port} stopped answering ${what.split(' ')[0]} for ${Math.round(this.timeoutMs / 1000)} s`));
        this.destroy();
      }, this.timeoutMs);
      const onData = () => timer.refresh();
      socket?.on('data', onData);
      this.waiters.add(fail);
      promise.then(
        (value) => {
          settle();
          resolve(value);
        },
        (error: unknown) => fail(pop3MailError(error, this.errorContext(what))),
      );
    });
  }

  private errorContext(command: string): Pop3ErrorContext {
    return { host: this.endpoint.host, port: this.endpoint.port, username: this.username, command };
  }

  private watchSocket(): void {
    const socket = this.client._socket;
    socket?.once('close', () => {
      this.closed = true;
      this.closeError ??= this.dropped('the next command');
      for (const fail of [...this.waiters]) fail(this.closeError);
    });
  }

  private dropped(what: string): MailError {
    return new MailError('TEMPORARY', `The POP3 connection to ${this.endpoint.host}:${this.endpoint.port} was closed before ${what}`);
  }
}

function collect(stream: Readable | null): Promise<Buffer[]> {
  if (!stream) return Promise.resolve([]);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.once('end', () => resolve(chunks));
    stream.once('error', reject);
    // node-pop3 destroys the stream on a socket timeout without 'end' or 'error'.
    stream.once('close', () => reject(Object.assign(new Error('close'), { eventName: 'close' })));
  });
}

/** "1 000000010000abcd\r\n2 …" → [["1","000000010000abcd"], …] (RFC 1939 7: UIDL and LIST scan listings). */
function parseListing(body: Buffer): [string, string][] {
  return body
    .toString('latin1')
    .split('\r\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const [number, value] = line.trim().split(/\s+/);
      return [number, value ?? ''];
    });
}
