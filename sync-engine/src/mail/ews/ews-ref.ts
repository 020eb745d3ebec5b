/**
 * Where one Exchange item sits: "ews:<ItemId>". An EWS ItemId (Types.xsd ItemIdType/@Id) names the item in its
 * mailbox until it is moved or deleted; its ChangeKey is left out, since every edit (a read flag) changes it.
 */
export function formatEwsRef(itemId: string): string {
  return `ews:${itemId}`;
}

// The hub stores sourceRefs of at most 400 characters; Exchange ids are base64 (about 150 characters).
const REF = /^ews:([A-Za-z0-9+/=_-]{1,396})$/;

/** The ItemId, or null when the text is not an EWS reference (an IMAP one, or garbage). */
export function parseEwsRef(text: string): string | null {
  return REF.exec(text)?.[1] ?? null;
}
