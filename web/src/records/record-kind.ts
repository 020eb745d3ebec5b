import type { AccountStatus, CaseStatus, ContactStatus, LeadStatus, OpportunityStatus } from '../graphql/operations.generated';

/** The five kinds of CRM record the UI lists and shows, each with a page of its own. */
export type RecordKind = 'account' | 'contact' | 'lead' | 'opportunity' | 'case';

export const RECORD_KINDS: readonly RecordKind[] = ['account', 'contact', 'lead', 'opportunity', 'case'];

/** A kind's segment in the URL: #/opportunities, #/opportunities/<id>. */
export const KIND_PATHS = {
  account: 'accounts',
  contact: 'contacts',
  lead: 'leads',
  opportunity: 'opportunities',
  case: 'cases',
} as const satisfies Record<RecordKind, string>;

export type KindPath = (typeof KIND_PATHS)[RecordKind];

/** The GraphQL type of each kind, as node(id) and regarding records name it. */
export const KIND_TYPENAMES = {
  account: 'Account',
  contact: 'Contact',
  lead: 'Lead',
  opportunity: 'Opportunity',
  case: 'Case',
} as const satisfies Record<RecordKind, string>;

export type RecordTypename = (typeof KIND_TYPENAMES)[RecordKind];

/** Each kind's status values, in the order a filter offers them (the schema's enums). */
export const KIND_STATUSES = {
  account: ['ACTIVE', 'INACTIVE'],
  contact: ['ACTIVE', 'INACTIVE'],
  lead: ['NEW', 'CONTACTED', 'QUALIFIED', 'DISQUALIFIED'],
  opportunity: ['OPEN', 'WON', 'LOST'],
  case: ['ACTIVE', 'RESOLVED', 'CANCELLED'],
} as const satisfies {
  account: readonly AccountStatus[];
  contact: readonly ContactStatus[];
  lead: readonly LeadStatus[];
  opportunity: readonly OpportunityStatus[];
  case: readonly CaseStatus[];
};

export type KindStatus<K extends RecordKind> = (typeof KIND_STATUSES)[K][number];

/** The kind whose URL segment is `path`, if any. */
export function kindOfPath(path: string): RecordKind | null {
  return RECORD_KINDS.find((kind) => KIND_PATHS[kind] === path) ?? null;
}

/** The kind of a GraphQL typename, if it is one of the five. */
export function kindOfTypename(typename: string): RecordKind | null {
  return RECORD_KINDS.find((kind) => KIND_TYPENAMES[kind] === typename) ?? null;
}

/** `status` when it is one of `kind`'s values; null otherwise (a URL typed by hand, a value of another kind). */
export function statusOf<K extends RecordKind>(kind: K, status: string | null): KindStatus<K> | null {
  const values: readonly KindStatus<K>[] = KIND_STATUSES[kind];
  return values.find((value) => value === status) ?? null;
}

/** A column of a record table; its heading is the catalog's records.columns[id] (a leaf type: the catalog imports it). */
export type ColumnId =
  | 'name'
  | 'ticketNumber'
  | 'title'
  | 'topic'
  | 'company'
  | 'account'
  | 'customer'
  | 'email'
  | 'telephone'
  | 'estimatedValue'
  | 'closeDate'
  | 'priority'
  | 'status'
  | 'owner';
