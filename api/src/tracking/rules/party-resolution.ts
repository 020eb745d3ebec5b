// Which record an email address stands for, when several records carry it.

/** The kinds of record an email address can resolve to. */
export type PartyKind = 'user' | 'queue' | 'contact' | 'account' | 'lead';

/** One record that carries the address. */
export interface PartyMatch {
  kind: PartyKind;
  id: string;
}

/** The outcome for one address: one record, several equally good ones, or none. */
export interface PartyResolution {
  resolution: 'RESOLVED' | 'AMBIGUOUS' | 'UNRESOLVED';
  match: PartyMatch | null;
  candidates: PartyMatch[];
}

/**
 * Kinds in the order an address resolves to them. An address that is both a colleague's and a
 * contact's is the colleague (internal mail must not look like customer mail); a shared
 * mailbox (queue) is ours too; people come before organizations because an address belongs
 * to a person first; leads come last because they are not yet qualified.
 */
export const PARTY_PRECEDENCE: readonly PartyKind[] = Object.freeze(['user', 'queue', 'contact', 'account', 'lead'] as const);

/**
 * Resolves `address` among the records that carry it (`matches`, found by the caller): the
 * matches of the highest-precedence kind present decide. `candidates` are that kind's
 * distinct matches (one when RESOLVED, none when UNRESOLVED).
 */
// The address is not needed to decide; it stays in the signature so call sites read as
// "resolve this address among these records".
export function resolveParty(_address: string, matches: readonly PartyMatch[]): PartyResolution {
  for (const kind of PARTY_PRECEDENCE) {
    const candidates = distinct(matches.filter((m) => m.kind === kind));
    if (candidates.length === 1) return { resolution: 'RESOLVED', match: candidates[0], candidates };
    if (candidates.length > 1) return { resolution: 'AMBIGUOUS', match: null, candidates };
  }
  return { resolution: 'UNRESOLVED', match: null, candidates: [] };
}

// The same record can be found twice (emailaddress1 and emailaddress2 both hold it).
function distinct(matches: readonly PartyMatch[]): PartyMatch[] {
  const seen = new Set<string>();
  const out: PartyMatch[] = [];
  for (const m of matches) {
    const key = `${m.kind}:${m.id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ kind: m.kind, id: m.id });
  }
  return out;
}
