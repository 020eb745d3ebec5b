/** The pages of the app, addressed by the URL fragment so the browser's Back button and reloads work without server routes. */
export type Route =
  | { readonly name: 'accounts' }
  | { readonly name: 'account'; readonly id: string }
  | { readonly name: 'contact'; readonly id: string }
  | { readonly name: 'mailboxes' }
  | { readonly name: 'mailbox'; readonly id: string }
  | { readonly name: 'explorer' }
  | { readonly name: 'live' }
  | { readonly name: 'not-found'; readonly hash: string };

export const accountHref = (id: string): string => `#/accounts/${encodeURIComponent(id)}`;
export const contactHref = (id: string): string => `#/contacts/${encodeURIComponent(id)}`;
export const homeHref = '#/';
export const mailboxesHref = '#/mailboxes';
export const mailboxHref = (id: string): string => `#/mailboxes/${encodeURIComponent(id)}`;
/** The user's live activity feed. */
export const liveHref = '#/live';
/** The API explorer; GET /graphql from a browser leads here (api/src/server/explorer-redirect.ts). */
export const explorerHref = '#/explorer';

const RECORD = /^#\/(accounts|contacts|mailboxes)\/([^/?#]+)\/?$/;

/** The route a location hash names; an empty hash is the accounts list. */
export function parseRoute(hash: string): Route {
  if (hash === '' || hash === '#' || hash === '#/' || hash === '#/accounts') return { name: 'accounts' };
  if (hash === '#/mailboxes' || hash === '#/mailboxes/') return { name: 'mailboxes' };
  if (hash === '#/explorer' || hash === '#/explorer/') return { name: 'explorer' };
  if (hash === '#/live' || hash === '#/live/') return { name: 'live' };
  const match = RECORD.exec(hash);
  if (match) {
    let id: string;
    try {
      id = decodeURIComponent(match[2]);
    } catch {
      return { name: 'not-found', hash };
    }
    if (match[1] === 'mailboxes') return { name: 'mailbox', id };
    return match[1] === 'accounts' ? { name: 'account', id } : { name: 'contact', id };
  }
  return { name: 'not-found', hash };
}

/** The current route, following `hashchange` (links, Back and Forward). */
export class HashRouter {
  route = $state<Route>({ name: 'accounts' });

  readonly #window: Window;
  readonly #onHashChange = () => {
    this.route = parseRoute(this.#window.location.hash);
  };

  constructor(win: Window = window) {
    this.#window = win;
    this.route = parseRoute(win.location.hash);
    win.addEventListener('hashchange', this.#onHashChange);
  }

  dispose(): void {
    this.#window.removeEventListener('hashchange', this.#onHashChange);
  }
}
