import type { GraphQLClient } from '../graphql/graphql-client';
import { graphql } from '../graphql/graphql-tag';
import { problemOf, problemText, type Text } from '../shell/i18n/translator';
import { namedTypes, orderTypes, typeDetail, SCHEMA_OVERVIEW_QUERY, TYPE_DETAIL_QUERY, type SchemaOverview, type TypeDetail, type TypeSummary } from './schema-types';

/** What the editor holds when the explorer opens: a query anyone signed in may run. */
export const DEFAULT_QUERY = graphql('Me')`# Runs as you, with your session: you see what your roles let you see.
query Me {
  viewer {
    fullName
    email
    roles { name }
  }
}
`;

export type RunState =
  | { readonly status: 'idle' }
  | { readonly status: 'running' }
  | { readonly status: 'done'; readonly httpStatus: number; readonly text: string; readonly hasErrors: boolean; readonly milliseconds: number }
  | { readonly status: 'failed'; readonly text: Text };

/** Parses the variables editor: empty means none; anything but a JSON object is refused with a sentence saying why. */
export function parseVariables(text: string): { variables: Record<string, unknown> | undefined } | { error: Text } {
  if (text.trim() === '') return { variables: undefined };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // The browser's own words for where the JSON goes wrong.
    const detail = (error as Error).message;
    return { error: (i18n) => i18n.t.explorer.variablesNotJson(detail) };
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { error: (i18n) => i18n.t.explorer.variablesNotObject };
  return { variables: value as Record<string, unknown> };
}

/** The query and variables editors and the last answer; operations run with the signed-in user's session. */
export class QueryRunner {
  query = $state(DEFAULT_QUERY);
  variables = $state('{}');
  variablesError = $state<Text | null>(null);
  run = $state<RunState>({ status: 'idle' });

  #disposed = false;

  constructor(private readonly client: GraphQLClient) {}

  async execute(): Promise<void> {
    if (this.run.status === 'running') return;
    const parsed = parseVariables(this.variables);
    if ('error' in parsed) {
      this.variablesError = parsed.error;
      return;
    }
    this.variablesError = null;
    this.run = { status: 'running' };
    const started = performance.now();
    try {
      const { status, body } = await this.client.execute(this.query, parsed.variables);
      if (this.#disposed) return;
      const hasErrors = typeof body === 'object' && body !== null && Array.isArray((body as { errors?: unknown }).errors);
      this.run = {
        status: 'done',
        httpStatus: status,
        text: typeof body === 'string' ? body : JSON.stringify(body, null, 2),
        hasErrors: hasErrors || status >= 400,
        milliseconds: Math.round(performance.now() - started),
      };
    } catch (error) {
      if (!this.#disposed) this.run = { status: 'failed', text: problemText(problemOf(error)) };
    }
  }

  dispose(): void {
    this.#disposed = true;
  }
}

export type OverviewState =
  | { readonly status: 'loading' }
  | { readonly status: 'loaded'; readonly roots: SchemaOverview; readonly types: readonly TypeSummary[] }
  | { readonly status: 'failed'; readonly text: Text };

export type OpenTypeState =
  | { readonly status: 'none' }
  | { readonly status: 'loading'; readonly name: string }
  | { readonly status: 'loaded'; readonly type: TypeDetail }
  | { readonly status: 'failed'; readonly name: string; readonly text: Text };

interface OverviewAnswer {
  __schema: { queryType: { name: string }; mutationType: { name: string } | null; subscriptionType: { name: string } | null; types: TypeSummary[] };
}

/** The schema's types from introspection: the list at once, each type's fields when it is opened. */
export class SchemaBrowser {
  overview = $state<OverviewState>({ status: 'loading' });
  open = $state<OpenTypeState>({ status: 'none' });
  filter = $state('');
  /** Types opened before the current one, for Back. */
  trail = $state<readonly string[]>([]);

  #disposed = false;

  constructor(private readonly client: GraphQLClient) {}

  get visibleTypes(): readonly TypeSummary[] {
    if (this.overview.status !== 'loaded') return [];
    const needle = this.filter.trim().toLowerCase();
    return needle ? this.overview.types.filter((t) => t.name.toLowerCase().includes(needle)) : this.overview.types;
  }

  async load(): Promise<void> {
    this.overview = { status: 'loading' };
    try {
      const { __schema: s } = await this.client.request(SCHEMA_OVERVIEW_QUERY);
      if (this.#disposed) return;
      const roots: SchemaOverview = { queryType: s.queryType.name ?? 'Query', mutationType: s.mutationType?.name ?? null, subscriptionType: s.subscriptionType?.name ?? null, types: namedTypes(s.types) };
      this.overview = { status: 'loaded', roots, types: orderTypes(roots) };
      if (this.open.status === 'none') await this.show(roots.queryType);
    } catch (error) {
      if (!this.#disposed) this.overview = { status: 'failed', text: problemText(problemOf(error)) };
    }
  }

  /** Opens a type; the one shown before goes on the trail. */
  async show(name: string): Promise<void> {
    const current = this.#currentName();
    if (current === name) return;
    if (current) this.trail = [...this.trail, current];
    await this.#fetch(name);
  }

  async back(): Promise<void> {
    const previous = this.trail.at(-1);
    if (!previous) return;
    this.trail = this.trail.slice(0, -1);
    await this.#fetch(previous);
  }

  dispose(): void {
    this.#disposed = true;
  }

  #currentName(): string | null {
    switch (this.open.status) {
      case 'none':
        return null;
      case 'loaded':
        return this.open.type.name;
      case 'loading':
      case 'failed':
        return this.open.name;
    }
  }

  async #fetch(name: string): Promise<void> {
    this.open = { status: 'loading', name };
    try {
      const { __type } = await this.client.request(TYPE_DETAIL_QUERY, { name });
      if (this.#disposed || this.#currentName() !== name) return;
      this.open = __type ? { status: 'loaded', type: typeDetail(__type, name) } : { status: 'failed', name, text: (i18n) => i18n.t.explorer.noSuchType(name) };
    } catch (error) {
      if (!this.#disposed && this.#currentName() === name) this.open = { status: 'failed', name, text: problemText(problemOf(error)) };
    }
  }
}
