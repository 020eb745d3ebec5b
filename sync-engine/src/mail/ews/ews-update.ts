import { ServiceError, type Item } from 'ews-javascript-api';

// Writing the hub's change over an Exchange item in place, never over a version the hub has not seen: shared by the
// Calendar and Tasks writers.

/** The item changed in Outlook since the hub last read it: nothing written, and the next read settles which version wins. */
export const NEWER_IN_EXCHANGE = Symbol('newer in Exchange');

const codeOf = (error: unknown) => (error as { ErrorCode?: number }).ErrorCode;

/**
 * Binds the item, and if its ChangeKey is still `seenChangeKey` (or the hub saw none), lets `change` set its fields and
 * `save` send UpdateItem with ConflictResolution NeverOverwrite, so a change made in Outlook between the Bind and the
 * UpdateItem is not overwritten either (ErrorIrresolvableConflict). Null if the item is gone (ErrorItemNotFound).
 */
export async function updateSeenVersion<T extends Item>(
  bind: () => Promise<T>,
  seenChangeKey: string | null,
  change: (item: T) => void,
  save: (item: T) => Promise<unknown>,
): Promise<{ itemId: string; changeKey: string | null } | typeof NEWER_IN_EXCHANGE | null> {
  let item: T;
  try {
    item = await bind();
  } catch (error) {
    if (codeOf(error) === ServiceError.ErrorItemNotFound) return null;
    throw error;
  }
  if (seenChangeKey && item.Id.ChangeKey && item.Id.ChangeKey !== seenChangeKey) return NEWER_IN_EXCHANGE;
  change(item);
  try {
    await save(item);
  } catch (error) {
    if (codeOf(error) === ServiceError.ErrorIrresolvableConflict) return NEWER_IN_EXCHANGE;
    throw error;
  }
  return { itemId: item.Id.UniqueId, changeKey: item.Id.ChangeKey || null };
}
