import { badInput } from '../common/errors';

/**
 * The largest file trackEmails takes inside its item (decoded). The sync engine holds a message of up to 1 MiB
 * whole, so each of its attachments fits; larger ones are streamed to PUT /blobs.
 */
export const INLINE_ATTACHMENT_BYTES = 1024 * 1024;

/** Base64 of INLINE_ATTACHMENT_BYTES, padded. */
const MAX_ENCODED = Math.ceil(INLINE_ATTACHMENT_BYTES / 3) * 4;

interface AttachmentFields {
  readonly sha256?: string | null;
  readonly content?: string | null;
}

/**
 * The files sent inside trackEmails items, decoded: per item, per attachment, the bytes or null (uploaded first, or
 * not sent). A malformed one fails the whole request, naming its field: it is the caller's encoding, not the mail's,
 * so no item of the batch may be written as if the file were absent.
 */
export function decodeInlineAttachments(items: readonly { readonly attachments?: readonly AttachmentFields[] | null }[]): (Buffer | null)[][] {
  return items.map((item, i) =>
    (item.attachments ?? []).map((a, j) => {
      if (a.content === null || a.content === undefined) return null;
      const field = `input.items[${i}].attachments[${j}].content`;
      if (a.sha256 !== null && a.sha256 !== undefined) throw badInput(field, 'give either sha256 (uploaded first) or content, not both');
      const tooLarge = () => badInput(field, `is larger than ${INLINE_ATTACHMENT_BYTES} bytes; upload the file with PUT /blobs and give its sha256`);
      // Checked on the text first, so nothing far larger is decoded; its last quantum can still hold 1–2 bytes too many.
      if (a.content.length > MAX_ENCODED) throw tooLarge();
      // Node's decoder skips what is not base64 silently; a file must arrive exactly as sent or not at all. Encoding
      // the bytes again gives back the text only for canonical RFC 4648 base64 (padded, no line breaks), in ~2 ms a MiB
      // where a regular expression takes 100 ms.
      const bytes = Buffer.from(a.content, 'base64');
      if (bytes.toString('base64') !== a.content) throw badInput(field, 'must be base64 (RFC 4648: A–Z, a–z, 0–9, + and /, padded with =, no line breaks)');
      if (bytes.length > INLINE_ATTACHMENT_BYTES) throw tooLarge();
      return bytes;
    }),
  );
}
