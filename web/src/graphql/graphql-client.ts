import { getContext, setContext } from 'svelte';
import type { Operation, OperationName, OperationResult, OperationVariables } from './graphql-tag';

/** Where the session token lives; the UI keeps it in sessionStorage so it dies with the tab. */
export interface TokenStore {
  get(): string | null;
  set(token: string): void;
  clear(): void;
}

export function sessionTokenStore(storage: Storage = sessionStorage, key = 'crm-hub.token'): TokenStore {
  return {
    get: () => storage.getItem(key),
    set: (token) => storage.setItem(key, token),
    clear: () => storage.removeItem(key),
  };
}

/** `extensions.code` values the API answers with, plus NETWORK for a request that got no GraphQL answer. */
export type GraphQLErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'QUERY_TOO_COMPLEX'
  | 'RATE_LIMITED'
  | 'PASSWORD_CHANGE_REQUIRED'
  | 'INTERNAL_SERVER_ERROR'
  | 'NETWORK';

/** A failed request: the first GraphQL error's message and code, or a NETWORK failure. */
export class GraphQLRequestError extends Error {
  constructor(
    message: string,
    readonly code: GraphQLErrorCode | (string & {}),
    /** The input the API says is wrong (`extensions.field`, e.g. `input.password`), when it names one. */
    readonly field: string | null = null,
    /** The record a CONFLICT is about (`extensions.existingId`, e.g. the duplicate that stopped a lead's qualification). */
    readonly existingId: string | null = null,
    /** Why an input was refused (`extensions.reason`) with its figures, for a sentence in the reader's language. */
    readonly why: FieldWhy | null = null,
    /** How many users still hold what a refused delete is about (`extensions.holders`, deleteSecurityRole). */
    readonly holders: number | null = null,
  ) {
    super(message);
    this.name = 'GraphQLRequestError';
  }
}

/** `extensions.reason` of a refused input (api/src/common/errors.ts FieldReason) and the figures beside it. */
export interface FieldWhy {
  readonly reason: string;
  readonly max?: number;
  readonly min?: number;
  readonly value?: string;
}

/** The reason and figures of an error's extensions, when it has a reason; other extensions are left out. */
export function fieldWhyOf(extensions: Record<string, unknown> | undefined): FieldWhy | null {
  if (!extensions || typeof extensions.reason !== 'string') return null;
  const number = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
  return {
    reason: extensions.reason,
    max: number(extensions.max),
    min: number(extensions.min),
    value: typeof extensions.value === 'string' ? extensions.value : undefined,
  };
}

/** The variables argument of `request`: optional when the operation takes none or only optional ones. */
type VariablesArgument<N extends OperationName> = Record<string, never> extends OperationVariables<N>
  ? [variables?: OperationVariables<N>]
  : [variables: OperationVariables<N>];

interface GraphQLResponse<T> {
  data?: T | null;
  errors?: { message: string; extensions?: { code?: string; field?: string; existingId?: string; [key: string]: unknown } }[];
}

/**
 * Sends GraphQL operations over HTTP POST with the session token, if any.
 * Resolves with `data`, or rejects with a GraphQLRequestError; never resolves a failure as empty data.
 */
export class GraphQLClient {
  #listeners = new Set<() => void>();

  constructor(
    readonly endpoint: string,
    readonly tokens: TokenStore,
    private readonly fetchFn: typeof fetch = (...args) => fetch(...args),
  ) {}

  async request<N extends OperationName>(operation: Operation<N>, ...variables: VariablesArgument<N>): Promise<OperationResult<N>> {
    const { response, token } = await this.#post(operation, variables[0], 'application/json');

    // The answer's shape is the generated type of the operation: the operation was validated against
    // schema.graphql (test/contract), and the server answers exactly what was selected.
    let body: GraphQLResponse<OperationResult<N>>;
    try {
      body = (await response.json()) as GraphQLResponse<OperationResult<N>>;
    } catch {
      throw new GraphQLRequestError(`The server answered ${response.status} ${response.statusText} without a GraphQL result.`, 'NETWORK');
    }

    const first = body.errors?.[0];
    if (first) {
      const code = first.extensions?.code ?? 'INTERNAL_SERVER_ERROR';
      // A token that expired or was revoked: tell the session so it can return to the login screen.
      if (code === 'UNAUTHENTICATED' && token) this.#listeners.forEach((listener) => listener());
      const text = (value: unknown) => (typeof value === 'string' ? value : null);
      const holders = first.extensions?.holders;
      throw new GraphQLRequestError(
        first.message,
        code,
        text(first.extensions?.field),
        text(first.extensions?.existingId),
        fieldWhyOf(first.extensions),
        typeof holders === 'number' && Number.isFinite(holders) ? holders : null,
      );
    }
    if (body.data == null) throw new GraphQLRequestError('The server returned no data.', 'INTERNAL_SERVER_ERROR');
    return body.data;
  }

  /**
   * Sends an operation as typed by a person (the API explorer) and resolves with the whole answer,
   * `errors` included, as the server sent it; rejects only when no answer arrived.
   */
  async execute(query: string, variables: Record<string, unknown> | undefined): Promise<{ status: number; body: unknown }> {
    const { response, token } = await this.#post(query, variables, 'application/graphql-response+json, application/json');
    const text = await response.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: shown as the text it is.
    }
    // Only a refused token ends the session (401); a `login` typed with a wrong password answers UNAUTHENTICATED too.
    const code = (body as GraphQLResponse<unknown> | null)?.errors?.[0]?.extensions?.code;
    if (code === 'UNAUTHENTICATED' && response.status === 401 && token) this.#listeners.forEach((listener) => listener());
    return { status: response.status, body };
  }

  /** POSTs an operation with the session token, if any; rejects with a NETWORK error when no answer arrives. */
  async #post(query: string, variables: object | undefined, accept: string): Promise<{ response: Response; token: string | null }> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept };
    const token = this.tokens.get();
    if (token) headers.authorization = `Bearer ${token}`;
    try {
      return { response: await this.fetchFn(this.endpoint, { method: 'POST', headers, body: JSON.stringify({ query, variables }) }), token };
    } catch {
      throw new GraphQLRequestError('The server cannot be reached. Check your connection and try again.', 'NETWORK');
    }
  }

  /**
   * GETs a file the API serves beside GraphQL (such as `Attachment.downloadUrl`) with the session token.
   * Resolves with its bytes, or rejects with a GraphQLRequestError carrying the endpoint's `{ error: { code, message } }`.
   */
  async fetchFile(url: string): Promise<Blob> {
    const token = this.tokens.get();
    let response: Response;
    try {
      response = await this.fetchFn(url, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    } catch {
      throw new GraphQLRequestError('The server cannot be reached. Check your connection and try again.', 'NETWORK');
    }
    if (response.ok) return response.blob();
    const body = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string } } | null;
    const code = body?.error?.code ?? (response.status === 404 ? 'NOT_FOUND' : 'INTERNAL_SERVER_ERROR');
    if (code === 'UNAUTHENTICATED' && token) this.#listeners.forEach((listener) => listener());
    throw new GraphQLRequestError(body?.error?.message ?? `The server answered ${response.status} ${response.statusText}.`, code);
  }

  /** Tells the listeners the session has ended, for a rejection that came another way (the live connection's 4401). */
  reportUnauthenticated(): void {
    this.#listeners.forEach((listener) => listener());
  }

  /** Calls `listener` when an authenticated request is rejected as UNAUTHENTICATED; returns an unsubscribe function. */
  onUnauthenticated(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

const CLIENT_KEY = Symbol('graphql-client');

export function setGraphQLClient(client: GraphQLClient): GraphQLClient {
  return setContext(CLIENT_KEY, client);
}

/** The client given to `mount` or set by an ancestor component; call during component initialisation. */
export function getGraphQLClient(): GraphQLClient {
  const client = getContext<GraphQLClient | undefined>(CLIENT_KEY);
  if (!client) throw new Error('No GraphQLClient in context: pass one to mount() or setGraphQLClient() in an ancestor');
  return client;
}

/** The context map to give `mount(App, { context })`; `more` adds other clients' entries (the live client). */
export function graphQLContext(client: GraphQLClient, ...more: [symbol, unknown][]): Map<symbol, unknown> {
  return new Map<symbol, unknown>([[CLIENT_KEY, client], ...more]);
}
