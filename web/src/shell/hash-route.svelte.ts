import { DEFAULT_VIEW, globalIdType, listViewQuery, parseListView, type ListView } from '../records/list-view';
import { KIND_PATHS, kindOfPath, kindOfTypename, type RecordKind } from '../records/record-kind';
import { isAdminSection, type AdminSection } from '../admin/admin-section';
import { METRICS_RANGES, type SyncMetricsRange } from '../dashboard/sync-metrics';

/** The pages of the app, addressed by the URL fragment so the browser's Back button and reloads work without server routes. */
export type Route =
  | { readonly name: 'records'; readonly kind: RecordKind; readonly view: ListView }
  | { readonly name: 'record'; readonly kind: RecordKind; readonly id: string }
  /** A form: a new record of `kind` (no id), or the record `id` to edit. */
  | { readonly name: 'record-form'; readonly kind: RecordKind; readonly id: string | null }
  | { readonly name: 'activity'; readonly id: string }
  | { readonly name: 'mailboxes' }
  | { readonly name: 'mailbox'; readonly id: string }
  | { readonly name: 'explorer' }
  | { readonly name: 'live' }
  /** The sync dashboard, its charts over `range` for one mailbox or (null) all. */
  | { readonly name: 'dashboard'; readonly range: SyncMetricsRange; readonly mailboxId: string | null }
  | { readonly name: 'search'; readonly query: string }
  /** The administrator's console: a section (the first the viewer may open when null), or one item in it. */
  | { readonly name: 'admin'; readonly section: AdminSection | null; readonly id: string | null }
  | { readonly name: 'not-found'; readonly hash: string };

/** A list of records, showing `view` (the default view when left out). */
export const recordsHref = (kind: RecordKind, view: ListView = DEFAULT_VIEW): string => `#/${KIND_PATHS[kind]}${listViewQuery(view)}`;
export const recordHref = (kind: RecordKind, id: string): string => `#/${KIND_PATHS[kind]}/${encodeURIComponent(id)}`;
/** The form for a new record of `kind`. */
export const newRecordHref = (kind: RecordKind): string => `#/${KIND_PATHS[kind]}/new`;
/** The form that edits a record. */
export const editRecordHref = (kind: RecordKind, id: string): string => `${recordHref(kind, id)}/edit`;
/** The page of a record named by its GraphQL type (a regarding record, a party); null for a type with no page. */
export const recordHrefOf = (typename: string, id: string): string | null => {
  const kind = kindOfTypename(typename);
  return kind ? recordHref(kind, id) : null;
};
export const accountHref = (id: string): string => recordHref('account', id);
export const contactHref = (id: string): string => recordHref('contact', id);
/** One email, appointment, task or phone call on its own page. */
export const activityHref = (id: string): string => `#/activities/${encodeURIComponent(id)}`;
export const homeHref = '#/';
export const mailboxesHref = '#/mailboxes';
export const mailboxHref = (id: string): string => `#/mailboxes/${encodeURIComponent(id)}`;
/** The user's live activity feed. */
export const liveHref = '#/live';
/** The sync dashboard: mailboxes and charts of mail sync, over a day for all mailboxes unless told otherwise. */
export const dashboardHref = (range: SyncMetricsRange = 'DAY', mailboxId: string | null = null): string => {
  const params = new URLSearchParams();
  if (range !== 'DAY') params.set('range', range.toLowerCase());
  if (mailboxId) params.set('mailbox', mailboxId);
  const query = params.toString();
  return query ? `#/dashboard?${query}` : '#/dashboard';
};
/** The administrator's console, at the first section the viewer may open. */
export const adminConsoleHref = '#/admin';
/** Global search's results page for `query`. */
export const searchHref = (query = ''): string => (query ? `#/search?${new URLSearchParams({ q: query })}` : '#/search');
/** The API explorer; GET /graphql from a browser leads here (api/src/server/explorer-redirect.ts). */
export const explorerHref = '#/explorer';

const LIST = /^#\/(\w+)\/?(\?[^#]*)?$/;
const ITEM = /^#\/(\w+)\/([^/?#]+)\/?$/;
const EDIT = /^#\/(\w+)\/([^/?#]+)\/edit\/?$/;

/** The route a location hash names; an empty hash is the accounts list. */
export function parseRoute(hash: string): Route {
  if (hash === '' || hash === '#' || hash === '#/') return { name: 'records', kind: 'account', view: DEFAULT_VIEW };
  if (hash === '#/mailboxes' || hash === '#/mailboxes/') return { name: 'mailboxes' };
  if (hash === '#/explorer' || hash === '#/explorer/') return { name: 'explorer' };
  if (hash === '#/live' || hash === '#/live/') return { name: 'live' };
  const dashboard = /^#\/dashboard\/?(?:\?([^#]*))?$/.exec(hash);
  if (dashboard) {
    const params = new URLSearchParams(dashboard[1] ?? '');
    const range = METRICS_RANGES.find((r) => r.toLowerCase() === params.get('range')) ?? 'DAY';
    const mailbox = params.get('mailbox');
    return { name: 'dashboard', range, mailboxId: globalIdType(mailbox) === 'Mailbox' ? mailbox : null };
  }
  const admin = /^#\/admin(?:\/([\w-]+)(?:\/([^/?#]+))?)?\/?$/.exec(hash);
  if (admin) {
    const section = admin[1] ?? null;
    if (section !== null && !isAdminSection(section)) return { name: 'not-found', hash };
    try {
      return { name: 'admin', section, id: admin[2] ? decodeURIComponent(admin[2]) : null };
    } catch {
      return { name: 'not-found', hash };
    }
  }
  const search = /^#\/search\/?(?:\?([^#]*))?$/.exec(hash);
  if (search) return { name: 'search', query: new URLSearchParams(search[1] ?? '').get('q') ?? '' };
  const list = LIST.exec(hash);
  const listKind = list && kindOfPath(list[1]);
  if (listKind) return { name: 'records', kind: listKind, view: parseListView(listKind, list[2] ?? '') };
  const edit = EDIT.exec(hash);
  const editKind = edit && kindOfPath(edit[1]);
  if (edit && editKind) {
    try {
      return { name: 'record-form', kind: editKind, id: decodeURIComponent(edit[2]) };
    } catch {
      return { name: 'not-found', hash };
    }
  }
  const item = ITEM.exec(hash);
  // "new" is no id the API makes (global ids are base64 of "Type:uuid").
  if (item && item[2] === 'new' && kindOfPath(item[1])) return { name: 'record-form', kind: kindOfPath(item[1])!, id: null };
  if (item && (item[1] === 'mailboxes' || item[1] === 'activities' || kindOfPath(item[1]))) {
    let id: string;
    try {
      id = decodeURIComponent(item[2]);
    } catch {
      return { name: 'not-found', hash };
    }
    const kind = kindOfPath(item[1]);
    if (item[1] === 'activities') return { name: 'activity', id };
    return kind ? { name: 'record', kind, id } : { name: 'mailbox', id };
  }
  return { name: 'not-found', hash };
}

/** The current route, following `hashchange` (links, Back and Forward). */
export class HashRouter {
  route = $state<Route>({ name: 'records', kind: 'account', view: DEFAULT_VIEW });

  readonly #window: Window;
  readonly #onHashChange = () => {
    this.route = parseRoute(this.#window.location.hash);
  };

  constructor(win: Window = window) {
    this.#window = win;
    this.route = parseRoute(win.location.hash);
    win.addEventListener('hashchange', this.#onHashChange);
  }

  /** Shows `hash` in the address bar without a new history entry (a list's search as it is typed), and follows it. */
  replace(hash: string): void {
    if (this.#window.location.hash === hash) return;
    this.#window.history.replaceState(this.#window.history.state, '', hash);
    this.route = parseRoute(this.#window.location.hash);
  }

  dispose(): void {
    this.#window.removeEventListener('hashchange', this.#onHashChange);
  }
}
