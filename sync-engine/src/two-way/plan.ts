import { fingerprint } from './fingerprint.js';
import type { CrmChange, CrmSnapshot, ExternalChange, ExternalRef, Link, SyncedItem, SyncedKind, SyncSide } from './model.js';

/** The user whose mailbox is synced: their CRM user id and the addresses Exchange knows them by. */
export interface MailboxOwner {
  readonly userId: string;
  readonly emails: readonly string[];
}

export interface SyncPolicy {
  /**
   * Kinds that start syncing from Exchange only when the user marked the item (ExternalChange.markedForSync). The
   * issue asks it of contacts; Dynamics asks it of all three ("Tracked to Dynamics 365" category).
   */
  readonly markRequiredFor: readonly SyncedKind[];
}

export const DEFAULT_POLICY: SyncPolicy = { markRequiredFor: ['CONTACT'] };

export interface PlanInput {
  readonly links: readonly Link[];
  /** Changes seen on the mailbox server since the last sync, oldest first; a later one for an item replaces an earlier one. */
  readonly externalChanges: readonly ExternalChange[];
  /** Changes made in the CRM since the last sync, oldest first. */
  readonly crmChanges: readonly CrmChange[];
  /** The current CRM version of linked records that an external DELETE names (the deletion rules read them). */
  readonly crmRecords: readonly CrmSnapshot[];
  readonly owner: MailboxOwner;
  /** The sync's clock: appointments that already started are not deleted on either side (Dynamics' rule). */
  readonly now: string;
  readonly policy?: SyncPolicy;
}

/** A conflict: both sides changed since the last sync; the losing version is kept for the record's history. */
export interface Conflict {
  readonly kind: SyncedKind;
  readonly crmId: string;
  readonly winner: SyncSide;
  readonly rule: 'LATER_CHANGE_WINS' | 'TIE_CRM_WINS' | 'ORGANIZER_COPY_WINS';
  readonly losingVersion: SyncedItem;
  readonly losingModifiedAt: string;
  readonly winningModifiedAt: string;
}

/**
 * What to do. Applying an action also maintains the links, as each member says; a DELETE_IN_* removes the link.
 * The planner is pure: the same input gives the same actions in the same order.
 */
export type SyncAction =
  /** Create the record owned by `ownerUserId`; then store the link {new id, external, fingerprint on both sides, the record's modifiedAt}. */
  | { readonly type: 'CREATE_IN_CRM'; readonly item: SyncedItem; readonly ownerUserId: string; readonly external: ExternalRef; readonly fingerprint: string }
  /** Write the item over the record; then store the link {crmId, external, fingerprint on both sides, the record's new modifiedAt}. */
  | { readonly type: 'UPDATE_IN_CRM'; readonly crmId: string; readonly item: SyncedItem; readonly external: ExternalRef; readonly fingerprint: string }
  | { readonly type: 'DELETE_IN_CRM'; readonly kind: SyncedKind; readonly crmId: string }
  /** Create the item; then store the link {crmId, the ref Exchange answered, fingerprint on both sides, crmModifiedAt}. */
  | { readonly type: 'CREATE_IN_EXCHANGE'; readonly crmId: string; readonly item: SyncedItem; readonly fingerprint: string; readonly crmModifiedAt: string }
  /**
   * Update the item only if it is still at `expected` (EWS UpdateItem with the ChangeKey and ConflictResolution
   * NeverOverwrite; Graph If-Match): a change in between fails the write, and the next round sees it as a conflict.
   * Then store the link {crmId, the ref Exchange answered, fingerprint on both sides, crmModifiedAt}.
   */
  | { readonly type: 'UPDATE_IN_EXCHANGE'; readonly crmId: string; readonly expected: ExternalRef; readonly item: SyncedItem; readonly fingerprint: string; readonly crmModifiedAt: string }
  | { readonly type: 'DELETE_IN_EXCHANGE'; readonly kind: SyncedKind; readonly crmId: string; readonly external: ExternalRef }
  /** Store this link as given (a side moved to a version whose content we already have: only its version is new). */
  | { readonly type: 'LINK'; readonly link: Link }
  /** Forget the pairing; both items stay as they are. */
  | { readonly type: 'UNLINK'; readonly kind: SyncedKind; readonly crmId: string; readonly external: ExternalRef }
  | { readonly type: 'RECORD_CONFLICT'; readonly conflict: Conflict };

/** How one side's change compares with what the link remembers. */
type Observation<C> =
  | { readonly state: 'UNCHANGED' }
  /** Same content as the link's, in a newer version: our own write coming back, or a change of fields we do not sync. */
  | { readonly state: 'ECHO'; readonly change: C }
  | { readonly state: 'CHANGED'; readonly change: C; readonly fingerprint: string }
  | { readonly state: 'DELETED'; readonly change: C }
  /** The item no longer belongs in this mailbox's sync (unmarked, or owned by someone else): a logical delete. */
  | { readonly state: 'OUT_OF_SCOPE' };

type ExternalUpsert = Extract<ExternalChange, { type: 'UPSERT' }>;
type CrmUpsert = Extract<CrmChange, { type: 'UPSERT' }>;
type CrmDelete = Extract<CrmChange, { type: 'DELETE' }>;

const externalKey = (provider: string, externalId: string) => `${provider}\u0000${externalId}`;
const millis = (instant: string) => new Date(instant).getTime();
/** EWS times carry whole seconds; comparing at that precision keeps a CRM millisecond from deciding a conflict. */
const seconds = (instant: string) => Math.floor(millis(instant) / 1000);

/**
 * Plans one round of two-way sync for one mailbox. Rules (docs/two-way-sync.md explains them):
 * - a change whose content equals what the link remembers for its side is an echo and writes nothing;
 * - a change on one side is written to the other; CRM → Exchange only for records the mailbox owner owns (and,
 *   for appointments, organizes); Exchange → CRM starts only for marked items of the kinds the policy names;
 * - both sides changed: the later modification wins (to the second), a tie goes to the CRM; the loser is recorded;
 * - a change beats a deletion on the other side (the item is created again and linked anew);
 * - a deletion with no change on the other side follows Dynamics' rules per kind (deletionInCrm, deletionInExchange).
 */
export function planSync(input: PlanInput): SyncAction[] {
  const policy = input.policy ?? DEFAULT_POLICY;
  const ownerEmails = new Set(input.owner.emails.map((e) => e.trim().toLowerCase()));
  const linksByCrm = new Map(input.links.map((l) => [l.crmId, l]));
  const linksByExternal = new Map(input.links.map((l) => [externalKey(l.external.provider, l.external.externalId), l]));
  const crmRecords = new Map(input.crmRecords.map((r) => [r.crmId, r]));

  const latestExternal = new Map<string, ExternalChange>();
  for (const change of input.externalChanges) {
    const key = change.type === 'UPSERT' ? externalKey(change.ref.provider, change.ref.externalId) : externalKey(change.provider, change.externalId);
    latestExternal.delete(key); // re-insert so the order is that of each item's latest change
    latestExternal.set(key, change);
  }
  const latestCrm = new Map<string, CrmChange>();
  for (const change of input.crmChanges) {
    const id = change.type === 'UPSERT' ? change.snapshot.crmId : change.lastKnown.crmId;
    latestCrm.delete(id);
    latestCrm.set(id, change);
  }

  const pushable = (snapshot: CrmSnapshot): boolean => {
    if (snapshot.ownerUserId !== input.owner.userId) return false;
    if (snapshot.item.kind !== 'APPOINTMENT') return true;
    const organizer = snapshot.item.fields.organizer;
    return organizer === null || ownerEmails.has(organizer.email.trim().toLowerCase());
  };

  const actions: SyncAction[] = [];
  const handledCrm = new Set<string>();

  for (const [key, change] of latestExternal) {
    const link = linksByExternal.get(key);
    if (!link) {
      actions.push(...unlinkedExternal(change, input.owner.userId, policy));
      continue;
    }
    handledCrm.add(link.crmId);
    const crmChange = latestCrm.get(link.crmId);
    actions.push(...reconcile(link, observeExternal(link, change, policy), crmChange ? observeCrm(link, crmChange, input.owner.userId) : { state: 'UNCHANGED' }));
  }
  for (const [crmId, change] of latestCrm) {
    if (handledCrm.has(crmId)) continue;
    const link = linksByCrm.get(crmId);
    if (!link) {
      if (change.type === 'UPSERT' && pushable(change.snapshot)) actions.push(createInExchange(change.snapshot));
      continue;
    }
    actions.push(...reconcile(link, { state: 'UNCHANGED' }, observeCrm(link, change, input.owner.userId)));
  }
  return actions;

  function reconcile(link: Link, exchange: Observation<ExternalChange>, crm: Observation<CrmChange>): SyncAction[] {
    if (exchange.state === 'OUT_OF_SCOPE' || crm.state === 'OUT_OF_SCOPE') return [unlink(link)];
    if (exchange.state === 'DELETED') return afterExchangeDeletion(link, crm);
    if (crm.state === 'DELETED') return afterCrmDeletion(link, exchange, crm.change as CrmDelete);

    const ext = exchange.state === 'UNCHANGED' ? null : (exchange.change as ExternalUpsert);
    const rec = crm.state === 'UNCHANGED' ? null : (crm.change as CrmUpsert);
    const current: Link = {
      ...link,
      external: ext?.ref ?? link.external,
      crmModifiedAt: rec && millis(rec.snapshot.modifiedAt) > millis(link.crmModifiedAt) ? rec.snapshot.modifiedAt : link.crmModifiedAt,
    };

    if (exchange.state === 'CHANGED' && crm.state === 'CHANGED') {
      if (exchange.fingerprint === crm.fingerprint) {
        return [{ type: 'LINK', link: { ...current, crmFingerprint: crm.fingerprint, externalFingerprint: exchange.fingerprint } }];
      }
      return conflict(link, ext!, rec!, exchange.fingerprint, crm.fingerprint);
    }
    if (exchange.state === 'CHANGED') return [updateInCrm(link.crmId, ext!, exchange.fingerprint)];
    if (crm.state === 'CHANGED') {
      if (!pushable(rec!.snapshot)) {
        // An attendee's copy: Exchange takes the organizer's word, so the CRM's edit stays in the CRM.
        return [{ type: 'LINK', link: { ...current, crmFingerprint: crm.fingerprint } }];
      }
      return [updateInExchange(rec!.snapshot, current.external, crm.fingerprint)];
    }
    const moved = current.external.changeKey !== link.external.changeKey || current.crmModifiedAt !== link.crmModifiedAt;
    return moved ? [{ type: 'LINK', link: current }] : [];
  }

  function conflict(link: Link, ext: ExternalUpsert, rec: CrmUpsert, extPrint: string, crmPrint: string): SyncAction[] {
    const exchangeAt = seconds(ext.ref.lastModified);
    const crmAt = seconds(rec.snapshot.modifiedAt);
    // An attendee's copy cannot be written to Exchange, so there the organizer's version (Exchange's) stands.
    const rule: Conflict['rule'] = !pushable(rec.snapshot) ? 'ORGANIZER_COPY_WINS' : exchangeAt === crmAt ? 'TIE_CRM_WINS' : 'LATER_CHANGE_WINS';
    const winner: SyncSide = rule !== 'ORGANIZER_COPY_WINS' && crmAt >= exchangeAt ? 'CRM' : 'EXCHANGE';
    const crmWins = winner === 'CRM';
    const record: Conflict = {
      kind: link.kind,
      crmId: link.crmId,
      winner,
      rule,
      losingVersion: crmWins ? ext.item : rec.snapshot.item,
      losingModifiedAt: crmWins ? ext.ref.lastModified : rec.snapshot.modifiedAt,
      winningModifiedAt: crmWins ? rec.snapshot.modifiedAt : ext.ref.lastModified,
    };
    const write = crmWins ? updateInExchange(rec.snapshot, ext.ref, crmPrint) : updateInCrm(link.crmId, ext, extPrint);
    return [write, { type: 'RECORD_CONFLICT', conflict: record }];
  }

  function afterExchangeDeletion(link: Link, crm: Observation<CrmChange>): SyncAction[] {
    if (crm.state === 'DELETED') return [unlink(link)];
    if (crm.state === 'CHANGED') {
      const snapshot = (crm.change as CrmUpsert).snapshot;
      // A change beats a deletion: the edit is the newer intent, and recreating loses nothing.
      return pushable(snapshot) ? [unlink(link), createInExchange(snapshot)] : [unlink(link)];
    }
    const snapshot = crm.state === 'ECHO' ? (crm.change as CrmUpsert).snapshot : crmRecords.get(link.crmId);
    if (!snapshot) return [unlink(link)];
    return deletionInCrm(snapshot) ? [{ type: 'DELETE_IN_CRM', kind: link.kind, crmId: link.crmId }] : [unlink(link)];
  }

  function afterCrmDeletion(link: Link, exchange: Observation<ExternalChange>, deletion: CrmDelete): SyncAction[] {
    if (exchange.state === 'CHANGED') {
      return [unlink(link), createInCrm(exchange.change as ExternalUpsert, exchange.fingerprint, input.owner.userId)];
    }
    const current = exchange.state === 'ECHO' ? (exchange.change as ExternalUpsert).ref : link.external;
    return deletionInExchange(deletion.lastKnown)
      ? [{ type: 'DELETE_IN_EXCHANGE', kind: link.kind, crmId: link.crmId, external: current }]
      : [unlink(link)];
  }

  /**
   * Dynamics (server-side sync logic, "Sync from Exchange to Dynamics 365"): a deleted appointment is deleted in the
   * CRM only when the mailbox owner organizes it, it is neither completed nor cancelled and (a single one) has not
   * started; a deleted task is deleted. Contacts are shared CRM data and Exchange holds the user's personal copy, so
   * deleting that copy only unlinks.
   */
  function deletionInCrm(snapshot: CrmSnapshot): boolean {
    switch (snapshot.item.kind) {
      case 'APPOINTMENT': {
        const f = snapshot.item.fields;
        const open = snapshot.state === null || snapshot.state === 'OPEN';
        const future = f.recurrence !== null || millis(f.start) > millis(input.now);
        return pushable(snapshot) && open && !f.cancelled && future;
      }
      case 'TASK':
        return true;
      case 'CONTACT':
        return false;
    }
  }

  /**
   * Dynamics ("Sync from Dynamics 365 to Exchange"): a deleted appointment is deleted in Exchange only when the
   * mailbox owner organizes it and it is in the future; a deleted task unless it was completed; a deleted contact
   * is deleted (it no longer matches the sync filter).
   */
  function deletionInExchange(lastKnown: CrmSnapshot): boolean {
    switch (lastKnown.item.kind) {
      case 'APPOINTMENT':
        return pushable(lastKnown) && (lastKnown.item.fields.recurrence !== null || millis(lastKnown.item.fields.start) > millis(input.now));
      case 'TASK':
        return lastKnown.item.fields.status !== 'COMPLETED' && lastKnown.state !== 'COMPLETED';
      case 'CONTACT':
        return true;
    }
  }
}

function observeExternal(link: Link, change: ExternalChange, policy: SyncPolicy): Observation<ExternalChange> {
  if (change.type === 'DELETE') return { state: 'DELETED', change };
  if (change.ref.changeKey === link.external.changeKey) return { state: 'UNCHANGED' };
  // Older than the version the link holds: a change we already overwrote (the loser of a conflict) or replayed.
  if (millis(change.ref.lastModified) < millis(link.external.lastModified)) return { state: 'UNCHANGED' };
  if (policy.markRequiredFor.includes(change.item.kind) && !change.markedForSync) return { state: 'OUT_OF_SCOPE' };
  const print = fingerprint(change.item);
  return print === link.externalFingerprint ? { state: 'ECHO', change } : { state: 'CHANGED', change, fingerprint: print };
}

function observeCrm(link: Link, change: CrmChange, ownerUserId: string): Observation<CrmChange> {
  if (change.type === 'DELETE') return { state: 'DELETED', change };
  const { snapshot } = change;
  // Equal time is the version the link recorded; older is one we already overwrote.
  if (millis(snapshot.modifiedAt) <= millis(link.crmModifiedAt)) return { state: 'UNCHANGED' };
  // Reassigned to someone else: Dynamics' "logical delete". Like DistinctPhysicalAndLogicalDeletesForExchangeSync we
  // unlink rather than delete, since deleting an organizer's meeting cancels it for everyone (Microsoft KB 4345686).
  if (snapshot.ownerUserId !== ownerUserId) return { state: 'OUT_OF_SCOPE' };
  const print = fingerprint(snapshot.item);
  return print === link.crmFingerprint ? { state: 'ECHO', change } : { state: 'CHANGED', change, fingerprint: print };
}

function unlinkedExternal(change: ExternalChange, ownerUserId: string, policy: SyncPolicy): SyncAction[] {
  if (change.type === 'DELETE') return [];
  if (policy.markRequiredFor.includes(change.item.kind) && !change.markedForSync) return [];
  return [createInCrm(change, fingerprint(change.item), ownerUserId)];
}

function createInCrm(change: ExternalUpsert, print: string, ownerUserId: string): SyncAction {
  return { type: 'CREATE_IN_CRM', item: change.item, ownerUserId, external: change.ref, fingerprint: print };
}

function updateInCrm(crmId: string, change: ExternalUpsert, print: string): SyncAction {
  return { type: 'UPDATE_IN_CRM', crmId, item: change.item, external: change.ref, fingerprint: print };
}

function createInExchange(snapshot: CrmSnapshot): SyncAction {
  return { type: 'CREATE_IN_EXCHANGE', crmId: snapshot.crmId, item: snapshot.item, fingerprint: fingerprint(snapshot.item), crmModifiedAt: snapshot.modifiedAt };
}

function updateInExchange(snapshot: CrmSnapshot, expected: ExternalRef, print: string): SyncAction {
  return { type: 'UPDATE_IN_EXCHANGE', crmId: snapshot.crmId, expected, item: snapshot.item, fingerprint: print, crmModifiedAt: snapshot.modifiedAt };
}

function unlink(link: Link): SyncAction {
  return { type: 'UNLINK', kind: link.kind, crmId: link.crmId, external: link.external };
}
