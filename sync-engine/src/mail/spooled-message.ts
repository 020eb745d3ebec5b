import { createReadStream, createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/**
 * A message too large to hold in memory, written to a temporary file as it arrived from the server. The engine
 * reads it back as a stream (parse-message.ts splits its attachments straight into uploads) and deletes it
 * once its batch is prepared; whatever is left when the process exits goes with the spool directory.
 */
export class SpooledMessage {
  private constructor(
    private readonly path: string,
    /** Bytes in the file. */
    readonly length: number,
    /** The first bytes (the header block, as far as HEAD_BYTES reach), for quarantine summaries without reading the file. */
    readonly head: Buffer,
  ) {}

  /** Writes `content` to a new spool file; the stream is consumed whole, with the file's backpressure. */
  static async from(content: Readable): Promise<SpooledMessage> {
    const path = join(spoolDirectory(), `${process.pid}-${++counter}.eml`);
    const headChunks: Buffer[] = [];
    let headLength = 0;
    let length = 0;
    content.on('data', (chunk: Buffer) => {
      length += chunk.length;
      if (headLength < HEAD_BYTES) {
        const part = chunk.subarray(0, HEAD_BYTES - headLength);
        headChunks.push(Buffer.from(part)); // a copy: the chunk may be a view of a larger socket buffer
        headLength += part.length;
      }
    });
    try {
      await pipeline(content, createWriteStream(path));
    } catch (error) {
      await unlink(path).catch(() => undefined);
      throw error;
    }
    return new SpooledMessage(path, length, Buffer.concat(headChunks));
  }

  /** The message's bytes, from the start. */
  open(): Readable {
    return createReadStream(this.path, { highWaterMark: READ_CHUNK });
  }

  /** Deletes the file; safe to call more than once. */
  async dispose(): Promise<void> {
    await unlink(this.path).catch(() => undefined);
  }
}

/** Messages larger than this are spooled by the IMAP and POP3 sources instead of fetched into memory. */
export const SPOOL_THRESHOLD_BYTES = 1024 * 1024;

const HEAD_BYTES = 16 * 1024;
const READ_CHUNK = 256 * 1024;
let counter = 0;
let directory: string | null = null;

/** One directory per process, made on first use and removed when the process exits. */
function spoolDirectory(): string {
  if (directory) return directory;
  const made = mkdtempSync(join(tmpdir(), 'crm-engine-spool-'));
  directory = made;
  process.once('exit', () => rmSync(made, { recursive: true, force: true }));
  return made;
}
