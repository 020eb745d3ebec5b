/**
 * XML text for a value ews-javascript-api writes into a request: its EwsServiceXmlWriter escapes nothing (element
 * text and attribute values go in verbatim), so anything that may hold <, >, & or quotes is escaped by the caller.
 */
export function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}

/** xmlEscape for a field the hub writes into an item; null stays null (the field is cleared). */
export function xmlText<T extends string | null | undefined>(text: T): T {
  return (typeof text === 'string' ? xmlEscape(text) : text) as T;
}

const ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Text or an attribute value as read from an EWS answer the engine reads without a DOM: references resolved. */
export function unescapeXml(text: string): string {
  return text.replace(/&(?:(amp|lt|gt|quot|apos)|#(\d+)|#x([0-9a-fA-F]+));/g, (_, name: string | undefined, dec: string | undefined, hex: string | undefined) =>
    name ? ENTITIES[name] : String.fromCodePoint(Number.parseInt(dec ?? hex!, dec ? 10 : 16)),
  );
}
