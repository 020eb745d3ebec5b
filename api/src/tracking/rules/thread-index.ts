// Outlook's Thread-Index header: base64 of PidTagConversationIndex ([MS-OXOMSG] 2.2.1.3).
// Every message in a conversation starts with the same 22-byte header block, so that block
// identifies the conversation even when the subject was changed.

const HEADER_BLOCK_BYTES = 22; // 1 reserved byte, 5 bytes of FILETIME, 16-byte GUID
const CHILD_BLOCK_BYTES = 5; // one per reply or forward

// RFC 4648 4 alphabet with padding; Outlook always pads.
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The conversation root (base64 of the 22-byte header block) and reply depth of a Thread-Index, or null when it is not one. */
export function parseThreadIndex(value: string): { root: string; depth: number } | null {
  // A long index can arrive folded over several lines (RFC 5322 2.2.3).
  const compact = value.replace(/\s+/g, '');
  if (compact === '' || !BASE64.test(compact)) return null;
  const bytes = Buffer.from(compact, 'base64');
  if (bytes.length < HEADER_BLOCK_BYTES || (bytes.length - HEADER_BLOCK_BYTES) % CHILD_BLOCK_BYTES !== 0) return null;
  return {
    root: bytes.subarray(0, HEADER_BLOCK_BYTES).toString('base64'),
    depth: (bytes.length - HEADER_BLOCK_BYTES) / CHILD_BLOCK_BYTES,
  };
}
