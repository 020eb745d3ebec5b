import { describe, expect, it } from 'vitest';
import type { Log } from '../logger.js';
import type { RawMessage } from '../mail/mail-source.js';
import { MessagePipeline } from './message-pipeline.js';

const silent: Log = { debug() {}, info() {}, warn() {}, error() {}, fatal() {} } as unknown as Log;

/** A message with one attachment whose content names it, so the fake hub can make some uploads slow. */
const withAttachment = (n: number): RawMessage => {
  const source = Buffer.from(
    `From: <c${n}@example.test>\r\nTo: <sam@example.test>\r\nSubject: Message ${n}\r\nMessage-ID: <m${n}@example.test>\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n` +
      `--b\r\nContent-Type: text/plain\r\n\r\nBody ${n}\r\n--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="f${n}.bin"\r\n\r\nattachment ${n}\r\n--b--\r\n`,
  );
  return { sourceRef: `fake:${n}`, folder: 'INBOX', role: 'INBOX', receivedAt: null, size: source.length, source };
};
const unreadable = (n: number): RawMessage => ({ sourceRef: `fake:${n}`, folder: 'INBOX', role: 'INBOX', receivedAt: null, size: 0, source: Buffer.alloc(0) });

describe('MessagePipeline.prepare', () => {
  it('works on several messages at once, yet keeps the batch in the messages\' order, quarantine included', async () => {
    let running = 0;
    let most = 0;
    const hub = {
      async uploadBlob(content: Buffer): Promise<string> {
        most = Math.max(most, ++running);
        const n = Number(/attachment (\d+)/.exec(content.toString())?.[1]);
        await new Promise((resolve) => setTimeout(resolve, (10 - n) * 3)); // earlier messages upload slower
        running--;
        return `sha-${n}`;
      },
      uploadBlobStream: async (): Promise<string> => {
        throw new Error('these messages are small: not streamed');
      },
    };
    const messages = [withAttachment(1), withAttachment(2), unreadable(3), withAttachment(4), withAttachment(5), unreadable(6), withAttachment(7)];
    // Every file uploaded first (no inline size), so the uploads show the messages worked on at once.
    const batch = await new MessagePipeline(hub, silent, 0).prepare({ isForwardMailbox: false, forwardSources: [], maxBodyKb: 64 }, messages);
    expect(batch.items.map((entry) => [entry.item.subject, entry.item.attachments.map((a) => a.sha256)])).toEqual([
      ['Message 1', ['sha-1']],
      ['Message 2', ['sha-2']],
      ['Message 4', ['sha-4']],
      ['Message 5', ['sha-5']],
      ['Message 7', ['sha-7']],
    ]);
    expect(batch.quarantine.map((q) => q.sourceRef)).toEqual(['fake:3', 'fake:6']);
    expect(most).toBeGreaterThan(1);
    expect(most).toBeLessThanOrEqual(4);
  });

  it('sends a file in hand inside its item (base64) and uploads one over the inline size first', async () => {
    const uploads: string[] = [];
    const hub = {
      async uploadBlob(content: Buffer): Promise<string> {
        uploads.push(content.toString());
        return 'sha-uploaded';
      },
      uploadBlobStream: async (): Promise<string> => {
        throw new Error('these messages are small: not streamed');
      },
    };
    const work = { isForwardMailbox: false, forwardSources: [], maxBodyKb: 64 };
    const inline = await new MessagePipeline(hub, silent).prepare(work, [withAttachment(1)]);
    const [sent] = inline.items[0].item.attachments;
    expect(sent).toMatchObject({ fileName: 'f1.bin', contentType: 'application/octet-stream', contentId: null, inline: false, sha256: null });
    const bytes = Buffer.from(sent.content!, 'base64');
    expect(bytes.toString()).toMatch(/^attachment 1/);
    expect(sent.size).toBe(bytes.length);
    expect(uploads).toEqual([]);
    // One byte over the inline size: uploaded first, named by its sha256, with no content.
    const uploaded = await new MessagePipeline(hub, silent, bytes.length - 1).prepare(work, [withAttachment(2)]);
    expect(uploaded.items[0].item.attachments).toEqual([{ fileName: 'f2.bin', contentType: 'application/octet-stream', size: bytes.length, contentId: null, inline: false, sha256: 'sha-uploaded' }]);
    expect(uploads).toEqual([bytes.toString().replace('1', '2')]);
    // Exactly the inline size still travels inside the item.
    const atLimit = await new MessagePipeline(hub, silent, bytes.length).prepare(work, [withAttachment(3)]);
    expect(atLimit.items[0].item.attachments[0]).toMatchObject({ sha256: null, content: Buffer.from(bytes.toString().replace('1', '3')).toString('base64') });
    expect(uploads).toHaveLength(1);
  });
});
