import { ConflictResolutionMode, DefaultExtendedPropertySet, ExtendedPropertyDefinition, MapiPropertyType, ServiceError, StringList, type ExchangeService, type Item } from 'ews-javascript-api';
import { optional } from './ews-properties.js';
import type { EwsSession } from './ews-service.js';

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

/** The item changed in Outlook since the hub last read it: nothing written, and the next read settles which version wins. */
export const NEWER_IN_EXCHANGE = Symbol('newer in Exchange');

/**
 * UpdateItem of an item over the version the hub last saw (`changeKey`; null: whatever is there now), never over a
 * newer one: bound, changed by `apply`, and updated with NeverOverwrite, so a change made in Outlook between the Bind
 * and the update is not overwritten either. Null when the item is gone.
 */
export async function updateOverSeenVersion<T extends Item>(
  session: EwsSession,
  what: { folder: string; itemId: string; changeKey: string | null; signal?: AbortSignal },
  bind: (service: ExchangeService) => Promise<T>,
  apply: (item: T) => void,
): Promise<{ itemId: string; changeKey: string | null } | typeof NEWER_IN_EXCHANGE | null> {
  return session.call(
    'UpdateItem',
    async (service) => {
      let item: T;
      try {
        item = await bind(service);
      } catch (error) {
        if ((error as { ErrorCode?: number }).ErrorCode === ServiceError.ErrorItemNotFound) return null;
        throw error;
      }
      if (what.changeKey && item.Id.ChangeKey && item.Id.ChangeKey !== what.changeKey) return NEWER_IN_EXCHANGE;
      apply(item);
      try {
        await item.Update(ConflictResolutionMode.NeverOverwrite);
      } catch (error) {
        if ((error as { ErrorCode?: number }).ErrorCode === ServiceError.ErrorIrresolvableConflict) return NEWER_IN_EXCHANGE;
        throw error;
      }
      return { itemId: item.Id.UniqueId, changeKey: item.Id.ChangeKey || null };
    },
    { folder: what.folder, signal: what.signal },
  );
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
