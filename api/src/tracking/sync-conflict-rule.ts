/** Which side's version a linked task or appointment keeps when it changed on both sides, and why (docs/two-way-sync.md). */
export enum SyncConflictRule {
  /** The version changed later wins, compared to the second (Exchange keeps no milliseconds). */
  LATER_CHANGE_WINS = 'LATER_CHANGE_WINS',
  /** Both changed in the same second: the CRM, the record everyone sees, wins. */
  TIE_CRM_WINS = 'TIE_CRM_WINS',
  /** Deleted on one side and changed on the other: the change wins and the item is made again. */
  CHANGE_BEATS_DELETE = 'CHANGE_BEATS_DELETE',
}

export enum SyncSide {
  CRM = 'CRM',
  EXCHANGE = 'EXCHANGE',
}

/** What to do with one linked item (task, appointment) Exchange reported changed, given the link's last agreed fingerprint. */
export type LinkedChangeDecision =
  /** Exchange shows what the link holds (an echo of the hub's own write, or a change back): nothing to do. */
  | { readonly kind: 'UNCHANGED' }
  /** Both now agree (the same edit on both sides): only the link moves on. */
  | { readonly kind: 'AGREED' }
  /** Exchange changed and the CRM did not, or Exchange won a conflict: the CRM takes Exchange's version. */
  | { readonly kind: 'TAKE_EXCHANGE'; readonly conflict: SyncConflictRule | null }
  /** The CRM won a conflict: its version is written to Exchange on the next write round. */
  | { readonly kind: 'KEEP_CRM'; readonly conflict: SyncConflictRule };

const seconds = (date: Date) => Math.floor(date.getTime() / 1000);

/**
 * The later change wins. `linked` is the fingerprint both sides had when they last agreed; `exchange` and `crm` are
 * the fingerprints now. A tie (same second) goes to the CRM.
 */
export function decideLinkedChange(input: { linked: string; exchange: string; crm: string; exchangeModifiedAt: Date; crmModifiedAt: Date }): LinkedChangeDecision {
  if (input.exchange === input.linked) return { kind: 'UNCHANGED' };
  if (input.exchange === input.crm) return { kind: 'AGREED' };
  if (input.crm === input.linked) return { kind: 'TAKE_EXCHANGE', conflict: null };
  const exchangeAt = seconds(input.exchangeModifiedAt);
  const crmAt = seconds(input.crmModifiedAt);
  if (exchangeAt > crmAt) return { kind: 'TAKE_EXCHANGE', conflict: SyncConflictRule.LATER_CHANGE_WINS };
  return { kind: 'KEEP_CRM', conflict: exchangeAt === crmAt ? SyncConflictRule.TIE_CRM_WINS : SyncConflictRule.LATER_CHANGE_WINS };
}
