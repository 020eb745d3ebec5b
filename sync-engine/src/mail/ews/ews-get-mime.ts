import { BasePropertySet, GetItemRequest, ItemId, ItemSchema, PropertySet, ServiceErrorHandling, type IXHROptions } from 'ews-javascript-api';
import { MailError } from '../mail-error.js';
import { ewsMailError } from './ews-errors.js';
import type { EwsSession } from './ews-service.js';
import { unescapeXml } from './ews-xml.js';

/** A message read with GetItem: its MIME (Types.xsd MimeContent, base64 on the wire) and where it sits. */
export interface FetchedItem {
  readonly itemId: string;
  readonly receivedAt: Date | null;
  readonly size: number;
  readonly parentFolderId: string | null;
  readonly mime: Buffer;
}

// Items that left (moved or deleted) between the listing and GetItem: nothing to read, nothing wrong.
const GONE = new Set(['ErrorItemNotFound', 'ErrorMoveCopyFailed']);

/**
 * GetItem of MimeContent for a batch of items. The request is built by ews-javascript-api and sent through the
 * session's transport (sign-in, impersonation, limits, errors as for every call), but the answer is read here:
 * the library would parse the whole document, MIME in base64 included, into a DOM and then into objects, holding a
 * batch several times over and spending most of the engine's time on it. The answer's shape is fixed
 * (Messages.xsd GetItemResponseMessage, one per id, in order), so each message is found by its element names and
 * only the base64 text is decoded. Items that are not messages (no MimeContent) are left out.
 */
export async function getMime(session: EwsSession, itemIds: readonly string[], folderPath: string | undefined, signal?: AbortSignal): Promise<FetchedItem[]> {
  if (itemIds.length === 0) return [];
  const body = await session.call(
    'GetItem',
    async (service) => {
      const request = new GetItemRequest(service, ServiceErrorHandling.ReturnErrors);
      request.ItemIds.AddRange(itemIds.map((id) => new ItemId(id)));
      request.PropertySet = new PropertySet(BasePropertySet.IdOnly, [ItemSchema.MimeContent, ItemSchema.DateTimeReceived, ItemSchema.Size, ItemSchema.ParentFolderId]);
      request.Validate();
      const xhr: IXHROptions = request.BuildXHR();
      const response = await service.XHRApi.xhr(xhr);
      return response.responseText;
    },
    { folder: folderPath, signal },
  );
  const fetched: FetchedItem[] = [];
  for (const answer of readGetItemAnswer(body)) {
    if ('item' in answer) {
      if (answer.item) fetched.push(answer.item);
    } else if (!GONE.has(answer.code)) {
      throw ewsMailError({ responseCode: answer.code, serverText: answer.text ?? undefined }, { ...session.context, folder: folderPath });
    }
  }
  return fetched;
}

/** Per requested id, in order: the message (null when the item is no message), or the error Exchange gave for it. */
export type GetItemAnswer = { readonly item: FetchedItem | null } | { readonly code: string; readonly text: string | null };

/** Reads a GetItem answer; ResponseClass Warning still carries its item. */
export function readGetItemAnswer(body: string): GetItemAnswer[] {
  return responseMessages(body).map((message) => (message.responseClass === 'Error' ? { code: message.code, text: message.text } : { item: readItem(message) }));
}

interface ResponseMessage {
  readonly responseClass: string;
  readonly code: string;
  readonly text: string | null;
  /** The MimeContent's base64 text, if any. */
  readonly mime: string | undefined;
  /** The rest of the message: the other fields are looked for here, not in megabytes of base64. */
  readonly fields: string;
}

// Local names only: the prefixes a server uses (m:, t:, or none with a default namespace) are its own choice.
const P = '(?:[A-Za-z_][\\w.-]*:)?';
const MESSAGE = new RegExp(`<${P}GetItemResponseMessage\\b([^>]*)>([\\s\\S]*?)</${P}GetItemResponseMessage>`, 'g');
const MIME_CONTENT = new RegExp(`<${P}MimeContent\\b[^>]*>([^<]*)</${P}MimeContent>`);

/** The GetItemResponseMessage elements of a GetItem answer, in order; a document without any is not an answer. */
function responseMessages(body: string): ResponseMessage[] {
  const messages: ResponseMessage[] = [];
  for (const match of body.matchAll(MESSAGE)) {
    const [, attributes, content] = match;
    const mime = MIME_CONTENT.exec(content);
    const fields = mime ? content.slice(0, mime.index) + content.slice(mime.index + mime[0].length) : content;
    messages.push({
      responseClass: /\bResponseClass\s*=\s*["'](\w+)["']/.exec(attributes)?.[1] ?? 'Error',
      code: textOf(fields, 'ResponseCode') ?? 'ErrorInternalServerError',
      text: textOf(fields, 'MessageText'),
      mime: mime?.[1],
      fields,
    });
  }
  if (!messages.length) throw new MailError('PROTOCOL', 'Exchange answered GetItem with a document that holds no GetItemResponseMessage');
  return messages;
}

/** The message in one response: its MimeContent decoded, its ItemId, folder, received time and size. */
function readItem({ mime, fields }: ResponseMessage): FetchedItem | null {
  const itemId = attributeOf(fields, 'ItemId', 'Id');
  if (!mime || !itemId) return null;
  const decoded = Buffer.from(mime, 'base64');
  const received = textOf(fields, 'DateTimeReceived');
  const size = Number(textOf(fields, 'Size'));
  return {
    itemId,
    receivedAt: received && !Number.isNaN(Date.parse(received)) ? new Date(received) : null,
    size: Number.isFinite(size) && size > 0 ? size : decoded.length,
    parentFolderId: attributeOf(fields, 'ParentFolderId', 'Id'),
    mime: decoded,
  };
}

function textOf(content: string, name: string): string | null {
  const found = new RegExp(`<${P}${name}\\b[^>]*>([^<]*)</${P}${name}>`).exec(content)?.[1];
  return found === undefined ? null : unescapeXml(found.trim());
}

function attributeOf(content: string, element: string, attribute: string): string | null {
  const tag = new RegExp(`<${P}${element}\\b([^>]*)/?>`).exec(content)?.[1];
  const value = tag ? new RegExp(`\\b${attribute}\\s*=\\s*"([^"]*)"|\\b${attribute}\\s*=\\s*'([^']*)'`).exec(tag) : null;
  return value ? unescapeXml(value[1] ?? value[2]) : null;
}
