import type { ExternalRef, SyncedItem } from '../model.js';
import type { EwsItemId } from './ews-types.js';

/** What an EWS item becomes on the neutral side: its version, its content, and whether the user marked it. */
export interface FromEws {
  readonly ref: ExternalRef;
  readonly item: SyncedItem;
  readonly markedForSync: boolean;
  /** Things the mapping had to assume (an unknown time zone read as UTC); for the mailbox's alert log. */
  readonly warnings: readonly string[];
}

/** An EWS answer that lacks what every synced item must have. */
export class InvalidEwsItemError extends Error {
  readonly code = 'INVALID_ITEM';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidEwsItemError';
  }
}

export function refOf(itemId: EwsItemId | undefined, lastModified: string | undefined): ExternalRef {
  if (!itemId?.Id || !itemId.ChangeKey) throw new InvalidEwsItemError('the item has no ItemId with a ChangeKey');
  if (!lastModified || Number.isNaN(Date.parse(lastModified))) throw new InvalidEwsItemError('the item has no LastModifiedTime');
  return { provider: 'EWS', externalId: itemId.Id, changeKey: itemId.ChangeKey, lastModified: utc(lastModified) };
}

export function utc(dateTime: string): string {
  const time = Date.parse(dateTime);
  if (Number.isNaN(time)) throw new InvalidEwsItemError(`not an xs:dateTime: ${dateTime.slice(0, 40)}`);
  return new Date(time).toISOString();
}

export function text(value: string | null | undefined): string | null {
  return value === undefined || value === null || value.trim() === '' ? null : value;
}

export function marked(categories: readonly string[] | undefined, category: string): boolean {
  const wanted = category.trim().toLowerCase();
  return (categories ?? []).some((c) => c.trim().toLowerCase() === wanted);
}

