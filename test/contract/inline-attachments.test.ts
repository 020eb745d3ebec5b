import { describe, expect, it } from 'vitest';
import { INLINE_ATTACHMENT_BYTES as HUB_TAKES } from '../../api/src/tracking/inline-attachments';
import { INLINE_ATTACHMENT_BYTES as ENGINE_SENDS } from '../../sync-engine/src/sync/message-pipeline';

// The engine sends a file inside its trackEmails item up to its size and uploads larger ones first; the hub refuses
// the whole batch for a file over its own size. The two must agree, or every batch with such a file would fail.
describe('files sent inside trackEmails items', () => {
  it('the engine sends none larger than the hub takes, and both hold every attachment of a message the engine keeps whole (1 MiB)', () => {
    expect(ENGINE_SENDS).toBe(HUB_TAKES);
    expect(HUB_TAKES).toBe(1024 * 1024);
  });
});
