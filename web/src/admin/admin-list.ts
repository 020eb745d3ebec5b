import type { Problem } from '../shell/i18n/translator';

/** What a console section read from the API: under way, read, or failed with the API's problem. */
export type Loaded<T> = { readonly status: 'loading' } | { readonly status: 'loaded'; readonly value: T } | { readonly status: 'failed'; readonly problem: Problem };

/** A list's state as admin-list.svelte shows it: loaded lists only say how many they hold. */
export type ListState = { readonly status: 'loading' } | { readonly status: 'failed'; readonly problem: Problem } | { readonly status: 'loaded'; readonly count: number };

export const listState = (state: Loaded<readonly unknown[]>): ListState => (state.status === 'loaded' ? { status: 'loaded', count: state.value.length } : state);
