import type { GraphQLClient } from '../graphql/graphql-client';
import { problemOf, type Problem } from '../shell/i18n/translator';
import { GLOBAL_SEARCH_QUERY, SEARCH_MAX_LENGTH, SEARCH_PAGE_SIZE, searchGroups, type SearchGroup, type SearchHit } from './search';

export type SearchState =
  | { readonly status: 'idle' }
  | { readonly status: 'searching' }
  | { readonly status: 'found'; readonly search: string; readonly groups: readonly SearchGroup[] }
  | { readonly status: 'failed'; readonly problem: Problem };

/** How long typing pauses before the search runs. */
export const SEARCH_DELAY_MS = 200;

/** The search box's state: what was typed, the answer to the latest text, and which hit the arrow keys chose. */
export class GlobalSearch {
  text = $state('');
  state = $state<SearchState>({ status: 'idle' });
  /** Index into `hits` of the hit Enter opens; -1 for none. */
  active = $state(-1);
  /** True while a newer search runs over results already shown (they stay until it answers). */
  busy = $state(false);

  #generation = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly client: GraphQLClient,
    private readonly pageSize = SEARCH_PAGE_SIZE,
  ) {}

  /** Every hit in display order, for the arrow keys. */
  get hits(): readonly SearchHit[] {
    return this.state.status === 'found' ? this.state.groups.flatMap((group) => group.hits) : [];
  }

  /** Takes new text; the search runs when typing pauses (at once with `now`). */
  type(text: string, now = false): void {
    this.text = text.slice(0, SEARCH_MAX_LENGTH);
    clearTimeout(this.#timer);
    if (now) void this.run();
    else this.#timer = setTimeout(() => void this.run(), SEARCH_DELAY_MS);
  }

  move(step: 1 | -1): void {
    const count = this.hits.length;
    if (count === 0) return;
    this.active = this.active < 0 ? (step === 1 ? 0 : count - 1) : (this.active + step + count) % count;
  }

  async run(): Promise<void> {
    const search = this.text.trim();
    const generation = ++this.#generation;
    if (search === '') {
      this.busy = false;
      this.state = { status: 'idle' };
      this.active = -1;
      return;
    }
    if (this.state.status === 'found') this.busy = true;
    else this.state = { status: 'searching' };
    try {
      const answer = await this.client.request(GLOBAL_SEARCH_QUERY, { search, first: this.pageSize });
      if (generation !== this.#generation) return;
      this.state = { status: 'found', search, groups: searchGroups(answer) };
      this.active = this.hits.length > 0 ? 0 : -1;
    } catch (error) {
      if (generation !== this.#generation) return;
      this.state = { status: 'failed', problem: problemOf(error) };
      this.active = -1;
    } finally {
      if (generation === this.#generation) this.busy = false;
    }
  }

  dispose(): void {
    this.#generation++;
    clearTimeout(this.#timer);
  }
}
