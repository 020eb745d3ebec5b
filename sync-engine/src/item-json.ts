// An ingest batch is JSON of whole bodies: the engine sizes each item to plan its requests (track-sender.ts) and then
// sends the items (api-client.ts). Each item is serialized once, here, and the request body is written from those
// bytes as they are, so a batch is neither stringified twice nor held as one large string or Buffer beside them.

/** A JSON text as pieces of UTF-8, in order (Buffer.concat would join them). */
export type JsonPieces = readonly Buffer[];

const made = new WeakMap<object, Buffer>();

/** The item's JSON as UTF-8 bytes, made once per item object (items are never changed once built). */
export function itemJson(item: object): Buffer {
  let json = made.get(item);
  if (!json) {
    json = Buffer.from(JSON.stringify(item), 'utf8');
    made.set(item, json);
  }
  return json;
}

/** `JSON.stringify(items)`, each item as itemJson gives it. */
export function jsonArrayOf(items: readonly object[]): JsonPieces {
  const pieces: Buffer[] = [OPEN_ARRAY];
  items.forEach((item, i) => {
    if (i > 0) pieces.push(COMMA);
    pieces.push(itemJson(item));
  });
  pieces.push(CLOSE_ARRAY);
  return pieces;
}

/** `JSON.stringify({ ...value, [key]: <the JSON in pieces> })`, for a plain object `value` without `key`. */
export function jsonObjectWith(value: Readonly<Record<string, unknown>>, key: string, pieces: JsonPieces): JsonPieces {
  const rest = JSON.stringify(value);
  return [Buffer.from(`${rest.slice(0, -1)}${rest === '{}' ? '' : ','}${JSON.stringify(key)}:`, 'utf8'), ...pieces, CLOSE_OBJECT];
}

const OPEN_ARRAY = Buffer.from('[');
const CLOSE_ARRAY = Buffer.from(']');
const CLOSE_OBJECT = Buffer.from('}');
const COMMA = Buffer.from(',');
