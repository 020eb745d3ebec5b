/** Why a hub API call failed; one retry policy (engine.ts) switches on this, never on library errors. */
export type HubApiErrorCode =
  | 'AUTH_FAILED' // the key is unknown, revoked, or its role may not make this call: retrying won't help
  | 'TEMPORARY' // network failure, timeout, or the API says "try again": retry with back-off
  | 'NOT_FOUND'
  | 'INVALID_REQUEST' // the API rejected our query or arguments: a bug on our side
  | 'INVALID_RESPONSE' // the API answered with something that isn't the shape we asked for
  | 'INTERNAL'; // the API failed in a way it didn't classify

/** The one error type the hub client throws; `serverCode` keeps the API's own `extensions.code` for logs. */
export class HubApiError extends Error {
  constructor(
    readonly code: HubApiErrorCode,
    message: string,
    readonly serverCode?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HubApiError';
  }
}

/** The user the API key belongs to (for the engine: the Sync Service user). */
export interface Viewer {
  readonly id: string;
  readonly fullName: string;
  readonly roles: readonly { readonly name: string }[];
}

/** What the engine needs from the hub; implemented over GraphQL here and by typed fakes in tests. */
export interface HubApi {
  /** The key's user; rejects with HubApiError, or with the signal's reason when `signal` aborts. */
  whoAmI(signal?: AbortSignal): Promise<Viewer>;
}

export interface GraphqlHubApiOptions {
  readonly url: string;
  readonly apiKey: string;
  /** Per-request limit; a hung API then counts as TEMPORARY instead of blocking the engine. */
  readonly timeoutMs?: number;
}

const VIEWER_QUERY = 'query SyncEngineViewer { viewer { id fullName roles { name } } }';

// Codes the API (or Apollo Server's defaults) puts in `extensions.code`, mapped onto ours.
const CODE_BY_SERVER_CODE: Readonly<Record<string, HubApiErrorCode>> = {
  AUTH_FAILED: 'AUTH_FAILED',
  UNAUTHENTICATED: 'AUTH_FAILED',
  FORBIDDEN: 'AUTH_FAILED',
  TEMPORARY: 'TEMPORARY',
  NOT_FOUND: 'NOT_FOUND',
  BAD_USER_INPUT: 'INVALID_REQUEST',
  BAD_REQUEST: 'INVALID_REQUEST',
  GRAPHQL_PARSE_FAILED: 'INVALID_REQUEST',
  GRAPHQL_VALIDATION_FAILED: 'INVALID_REQUEST',
  INTERNAL_SERVER_ERROR: 'INTERNAL',
};

// Statuses that mean "the service is there but not ready": a proxy or a starting api.
const RETRYABLE_STATUSES = new Set([408, 429, 502, 503, 504]);

/** GraphQL over HTTP (POST, JSON) with `Authorization: Bearer <key>`, using the global fetch. */
export class GraphqlHubApi implements HubApi {
  constructor(private readonly options: GraphqlHubApiOptions) {}

  async whoAmI(signal?: AbortSignal): Promise<Viewer> {
    const data = await this.request(VIEWER_QUERY, {}, signal);
    const viewer = (data as { viewer?: unknown }).viewer;
    if (viewer === null) throw new HubApiError('AUTH_FAILED', 'the API key is not linked to any user');
    if (!isViewer(viewer)) throw new HubApiError('INVALID_RESPONSE', 'viewer is missing or malformed in the API response');
    return viewer;
  }

  private async request(query: string, variables: Record<string, unknown>, signal?: AbortSignal): Promise<object> {
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? 10_000);
    let response: Response;
    let text: string;
    try {
      response = await fetch(this.options.url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.options.apiKey}`,
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
        },
        body: JSON.stringify({ query, variables }),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
      text = await response.text();
    } catch (error) {
      if (signal?.aborted) throw signal.reason; // shutdown, not a failure: let the caller see the abort
      const reason = timeout.aborted ? 'timed out' : 'failed';
      throw new HubApiError('TEMPORARY', `hub API request ${reason}: ${describe(error)}`, undefined, { cause: error });
    }

    if (RETRYABLE_STATUSES.has(response.status)) {
      throw new HubApiError('TEMPORARY', `hub API answered HTTP ${response.status}`);
    }
    const body = parseJson(text);
    const firstError = Array.isArray(body?.errors) ? (body.errors[0] as GraphqlError | undefined) : undefined;
    if (firstError) {
      const serverCode = typeof firstError.extensions?.code === 'string' ? firstError.extensions.code : undefined;
      const code = (serverCode && CODE_BY_SERVER_CODE[serverCode]) || fallbackCode(response.status);
      throw new HubApiError(code, `hub API error: ${String(firstError.message ?? 'no message')}`, serverCode);
    }
    if (response.status === 401 || response.status === 403) {
      throw new HubApiError('AUTH_FAILED', `hub API answered HTTP ${response.status}`);
    }
    if (!response.ok) throw new HubApiError('INTERNAL', `hub API answered HTTP ${response.status}`);
    if (typeof body?.data !== 'object' || body.data === null) {
      throw new HubApiError('INVALID_RESPONSE', 'hub API response has neither data nor errors');
    }
    return body.data;
  }
}

interface GraphqlError {
  message?: unknown;
  extensions?: { code?: unknown };
}

function fallbackCode(status: number): HubApiErrorCode {
  return status === 401 || status === 403 ? 'AUTH_FAILED' : 'INTERNAL';
}

function parseJson(text: string): { data?: unknown; errors?: unknown } | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : undefined;
  } catch {
    return undefined;
  }
}

function isViewer(value: unknown): value is Viewer {
  const v = value as Partial<Viewer> | null | undefined;
  return (
    typeof v?.id === 'string' &&
    typeof v.fullName === 'string' &&
    Array.isArray(v.roles) &&
    v.roles.every((role) => typeof role?.name === 'string')
  );
}

function describe(error: unknown): string {
  // undici hides the useful part ("ECONNREFUSED 127.0.0.1:4000") in `cause`.
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return error instanceof Error ? `${error.message}${cause}` : String(error);
}
