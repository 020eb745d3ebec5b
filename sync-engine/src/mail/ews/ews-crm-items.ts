import { ConflictResolutionMode, DefaultExtendedPropertySet, ExtendedPropertyDefinition, MapiPropertyType, StringList, type ExchangeService, type Item } from 'ews-javascript-api';
import { optional } from './ews-properties.js';
import type { EwsSession } from './ews-service.js';
import { NEWER_IN_EXCHANGE, updateSeenVersion } from './ews-update.js';

export { NEWER_IN_EXCHANGE } from './ews-update.js';

// What the task and contact adapters share for items the hub tracks and writes: the "Tracked to CRM" mark, the CRM id
// the hub leaves on what it writes, and an update in place that never overwrites a version the hub has not read.

/** The Outlook category that brings an item the user made in Outlook into the CRM (as Dynamics' "Tracked to Dynamics 365"). */
export const TRACKED_CATEGORY = 'Tracked to CRM';

const isTrackedCategory = (category: string) => category.trim().toLowerCase() === TRACKED_CATEGORY.toLowerCase();

/** Whether the user (or the hub) gave the item the mark; capitals do not matter. */
export const markedTracked = (item: Item): boolean => (optional(() => item.Categories?.GetEnumerator()) ?? []).some(isTrackedCategory);

/** The item's categories without the mark, as a release leaves them. */
export const categoriesWithoutMark = (item: Item): string[] => (optional(() => item.Categories?.GetEnumerator()) ?? []).filter((c) => !isTrackedCategory(c));

/**
 * A named MAPI property in PublicStrings carrying the CRM record an item was written from: an engine that stopped
 * between writing an item and reporting it finds the record's own id when it reads the item back.
 */
export const crmIdProperty = (name: string) => new ExtendedPropertyDefinition(DefaultExtendedPropertySet.PublicStrings, name, MapiPropertyType.String);

/** The CRM id an item carries, if any (at most 100 characters, as the hub takes it). */
export function crmIdOf(item: Item, property: ExtendedPropertyDefinition): string | null {
  const value = optional(() => item.ExtendedProperties.GetEnumerator().find((p) => p.PropertyDefinition.Name === property.Name)?.Value);
  return typeof value === 'string' && value.trim() ? value.trim().slice(0, 100) : null;
}

/** A new item the hub writes: marked "Tracked to CRM" and carrying the CRM record's id. */
export function markForCrm(item: Item, property: ExtendedPropertyDefinition, crmId: string): void {
  item.Categories = new StringList([TRACKED_CATEGORY]);
  item.SetExtendedProperty(property, crmId);
}

/**
 * UpdateItem of an item over the version the hub last saw (`changeKey`; null: whatever is there now), never over a
 * newer one (ews-update.ts), with NeverOverwrite. Null when the item is gone.
 */
export function updateOverSeenVersion<T extends Item>(
  session: EwsSession,
  what: { folder: string; changeKey: string | null; signal?: AbortSignal },
  bind: (service: ExchangeService) => Promise<T>,
  apply: (item: T) => void,
): Promise<{ itemId: string; changeKey: string | null } | typeof NEWER_IN_EXCHANGE | null> {
  return session.call('UpdateItem', (service) => updateSeenVersion(() => bind(service), what.changeKey, apply, (item) => item.Update(ConflictResolutionMode.NeverOverwrite)), { folder: what.folder, signal: what.signal });
}

/** Writes each in turn, one at a time; one held back (Outlook changed it since the hub read it) is left out of the results. */
export async function writeEach<W, R>(writes: readonly W[], writeOne: (write: W) => Promise<R | typeof NEWER_IN_EXCHANGE>): Promise<R[]> {
  const results: R[] = [];
  for (const write of writes) {
    const written = await writeOne(write);
    if (written !== NEWER_IN_EXCHANGE) results.push(written);
  }
  return results;
}
