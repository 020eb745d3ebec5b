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
