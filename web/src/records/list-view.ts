import { KIND_STATUSES, statusOf, type RecordKind } from './record-kind';

/** How a list is sorted: the API's RecordOrder (NAME, CREATED_AT or UPDATED_AT, either way). */
export const SORTS = ['name', '-name', '-updated', 'updated', '-created', 'created'] as const;
export type Sort = (typeof SORTS)[number];
export const DEFAULT_SORT: Sort = 'name';

/** The longest search the API accepts (MAX_SEARCH_LENGTH in api/src/common/like.ts); a longer one is cut. */
export const MAX_SEARCH = 200;

/** The type a global id names (the API's ids are base64url of "Type:uuid"); null for anything else. */
export function globalIdType(value: string | null): string | null {
  if (!value || !/^[A-Za-z0-9_-]{1,200}={0,2}$/.test(value)) return null;
  try {
    const decoded = atob(value.replace(/-/g, '+').replace(/_/g, '/'));
    return /^([A-Za-z]+):[0-9a-f-]{36}$/.exec(decoded)?.[1] ?? null;
  } catch {
    return null;
  }
}

/** `value` when it is the global id of one of `types`; what a URL says is never sent to the API unchecked. */
const idOf = (value: string | null, types: readonly string[]): string | null => (types.includes(globalIdType(value) ?? '') ? value : null);

/** The records each related list can be narrowed to: an account's contacts, an account's or contact's opportunities and cases. */
const RELATED_TYPES: Partial<Record<RecordKind, readonly string[]>> = { contact: ['Account'], opportunity: ['Account', 'Contact'], case: ['Account', 'Contact'] };

/**
 * What a record list shows: a search, filters and an order. It lives in the URL after the list's path
 * (#/contacts?q=erik&status=ACTIVE&owner=me&sort=-updated), so a view can be shared and survives a reload.
 */
export interface ListView {
  /** Trimmed; empty for none. */
  readonly search: string;
  /** One of the kind's statuses, or null for any. */
  readonly status: string | null;
  /** 'me': only the viewer's own records; a user's id: only theirs. */
  readonly owner: 'me' | (string & {}) | null;
  /** Only the records related to this one (an account's contacts, a customer's opportunities or cases): "View all" on a record page. */
  readonly related: string | null;
  readonly sort: Sort;
}

export const DEFAULT_VIEW: ListView = { search: '', status: null, owner: null, related: null, sort: DEFAULT_SORT };

const isSort = (value: string | null): value is Sort => SORTS.some((sort) => sort === value);

/**
 * The view a URL query names, for lists of `kind`. Anything it cannot use (an unknown key or value, a status of
 * another kind, broken percent-encoding) is left out rather than refused: a hand-edited link still opens a list.
 */
export function parseListView(kind: RecordKind, query: string): ListView {
  let params: URLSearchParams;
  try {
    params = new URLSearchParams(query.replace(/^\?/, ''));
  } catch {
    return DEFAULT_VIEW;
  }
  const sort = params.get('sort');
  return {
    search: (params.get('q') ?? '').trim().slice(0, MAX_SEARCH),
    status: statusOf(kind, params.get('status')),
    owner: params.get('owner') === 'me' ? 'me' : idOf(params.get('owner'), ['User']),
    related: idOf(params.get('of'), RELATED_TYPES[kind] ?? []),
    sort: isSort(sort) ? sort : DEFAULT_SORT,
  };
}

/** The URL query of `view` ("" for the default view), in a fixed order so equal views give equal URLs. */
export function listViewQuery(view: ListView): string {
  const params = new URLSearchParams();
  const search = view.search.trim().slice(0, MAX_SEARCH);
  if (search) params.set('q', search);
  if (view.status) params.set('status', view.status);
  if (view.owner) params.set('owner', view.owner);
  if (view.related) params.set('of', view.related);
  if (view.sort !== DEFAULT_SORT) params.set('sort', view.sort);
  const query = params.toString();
  return query ? `?${query}` : '';
}

export const sameView = (a: ListView, b: ListView): boolean => listViewQuery(a) === listViewQuery(b);

/** Whether the view narrows the list (so an empty answer means "nothing matches", not "nothing yet"). */
export const isFiltered = (view: ListView): boolean => view.search.trim() !== '' || view.status !== null || view.owner !== null || view.related !== null;

/** The API's orderBy for a sort. */
export function orderOf(sort: Sort): { field: 'NAME' | 'UPDATED_AT' | 'CREATED_AT'; direction: 'ASC' | 'DESC' } {
  const direction = sort.startsWith('-') ? 'DESC' : 'ASC';
  const name = sort.replace(/^-/, '');
  return { field: name === 'updated' ? 'UPDATED_AT' : name === 'created' ? 'CREATED_AT' : 'NAME', direction };
}

/** The statuses a list of `kind` can be filtered by. */
export const statusesOf = (kind: RecordKind): readonly string[] => KIND_STATUSES[kind];
