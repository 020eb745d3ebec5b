import type { GraphQLClient } from '../graphql/graphql-client';
import { messageOf } from '../session/session.svelte';
import { MAILBOXES_QUERY, type MailboxRow, type ViewerAccess } from './mailbox';
import { isMailAdmin } from './mailbox-access';

export type MailboxListState =
  | { readonly status: 'loading' }
  | { readonly status: 'loaded'; readonly rows: readonly MailboxRow[]; readonly admin: boolean; readonly loadedAt: number }
  | { readonly status: 'failed'; readonly message: string };

interface MailboxesResult {
  viewer: ViewerAccess;
  mailboxes: MailboxRow[];
}

/** The mailboxes the viewer may see: all of them for administrators, their own for everyone else. */
export class MailboxList {
  state = $state<MailboxListState>({ status: 'loading' });
  /** True while a reload runs over rows already shown (they stay visible). */
  refreshing = $state(false);

  #generation = 0;

  constructor(private readonly client: GraphQLClient) {}

  async load(): Promise<void> {
    const generation = ++this.#generation;
    if (this.state.status === 'loaded') this.refreshing = true;
    else this.state = { status: 'loading' };
    try {
      const { viewer, mailboxes } = await this.client.request<MailboxesResult>(MAILBOXES_QUERY);
      if (generation !== this.#generation) return;
      this.state = { status: 'loaded', rows: mailboxes, admin: isMailAdmin(viewer), loadedAt: Date.now() };
    } catch (error) {
      if (generation !== this.#generation) return;
      this.state = { status: 'failed', message: messageOf(error) };
    } finally {
      if (generation === this.#generation) this.refreshing = false;
    }
  }

  dispose(): void {
    this.#generation++;
  }
}
