import { AsyncLocalStorage } from 'node:async_hooks';
import { XhrApi } from '@ewsjs/xhr';
import type { IXHRApi, IXHROptions } from 'ews-javascript-api';
import type { EwsCallLimiter } from './ews-limiter.js';

/** What the HTTP exchange of one EWS call left behind, for error translation (ews-errors.ts). */
export interface EwsCallRecord {
  httpStatus?: number;
  /** The response body of a failed request (a SOAP fault), at most 200 KB. */
  faultBody?: string;
  networkError?: unknown;
  ntlmNotOffered?: boolean;
  readonly signal: AbortSignal;
}

export interface EwsTransportOptions {
  readonly allowInvalidCertificates: boolean;
  /** Sign in with NTLM (MS-NLMP) inside the HTTP exchange; null: the ExchangeService credentials go in the header. */
  readonly ntlm: { readonly username: string; readonly password: string } | null;
  readonly timeoutMs: number;
  /** Engine-wide limit of calls in flight, keyed by EWS URL + account. */
  readonly limiter: EwsCallLimiter;
  readonly limiterKey: string;
  readonly maxConnections: number;
}

const calls = new AsyncLocalStorage<EwsCallRecord>();
type XhrResult = ReturnType<IXHRApi['xhr']>;
// GetItem of a batch of MIME (maxBatchBytes) plus base64's third: far below this.
const MAX_RESPONSE_BYTES = 256 * 1024 * 1024;

let callsInFlight = 0;

/** Runs one EWS operation so that the HTTP requests it makes report into `record` and honour its signal. */
export async function withCallRecord<T>(record: EwsCallRecord, operation: () => Promise<T>): Promise<T> {
  callsInFlight++;
  try {
    return await calls.run(record, operation);
  } finally {
    // An enabled AsyncLocalStorage makes every promise in the process pay async hooks (MIME parsing awaits per
    // line): it is on only while a call is out; run() enables it again for the next one.
    if (--callsInFlight === 0) calls.disable();
  }
}

/**
 * The HTTP layer of one ExchangeService (its `XHRApi`): @ewsjs/xhr's axios client, one per request so that each
 * carries its own timeout and abort signal, with this service's certificate rule (never the process-wide one)
 * and NTLM when asked. Every request waits for a slot in the engine-wide limiter.
 */
export class EwsTransport implements IXHRApi {
  constructor(private readonly options: EwsTransportOptions) {}

  get apiName(): string {
    return 'crm-hub-ews';
  }

  async xhr(request: IXHROptions): XhrResult {
    const record = calls.getStore();
    const { timeoutMs, limiter, limiterKey, maxConnections } = this.options;
    const signal = record ? AbortSignal.any([record.signal, AbortSignal.timeout(timeoutMs)]) : AbortSignal.timeout(timeoutMs);
    return limiter.run(
      limiterKey,
      maxConnections,
      async () => {
        const inner = new XhrApi({ timeout: timeoutMs, signal, rejectUnauthorized: !this.options.allowInvalidCertificates, maxContentLength: MAX_RESPONSE_BYTES });
        if (this.options.ntlm) inner.useNtlmAuthentication(this.options.ntlm.username, this.options.ntlm.password);
        try {
          return await inner.xhr(request);
        } catch (error) {
          if (record) noteFailure(record, error, signal);
          throw error;
        }
      },
      signal,
    );
  }

  xhrStream(): XhrResult {
    // The library's own streaming connection is not used (its reconnects are unreliable): ews-streaming.ts reads the stream itself.
    return Promise.reject(new Error('EWS streaming notifications are not supported by this engine'));
  }

  disconnect(): void {}
}

/** @ewsjs/xhr rejects with the response (status, responseText) for HTTP errors and with axios' error otherwise. */
function noteFailure(record: EwsCallRecord, error: unknown, signal: AbortSignal): void {
  const fields = (typeof error === 'object' && error !== null ? error : {}) as { status?: unknown; responseText?: unknown; response?: unknown; message?: unknown; isAxiosError?: unknown };
  if (typeof fields.status === 'number' && fields.status > 0 && !fields.isAxiosError) {
    record.httpStatus = fields.status;
    if (typeof fields.responseText === 'string') record.faultBody = fields.responseText.slice(0, 200_000);
    return;
  }
  // The NTLM handshake of @ewsjs/xhr: a 401 without an NTLM challenge, or no answer at all (it loses the cause).
  if (typeof fields.message === 'string' && fields.message.includes('www-authenticate not found')) {
    record.ntlmNotOffered = true;
    record.httpStatus = 401;
    return;
  }
  record.networkError = signal.aborted && !(typeof error === 'object' && error !== null && 'code' in error && isSocketCode((error as { code: unknown }).code)) ? (signal.reason ?? error) : error;
}

const isSocketCode = (code: unknown) => typeof code === 'string' && /^E[A-Z]+$/.test(code) && code !== 'ECONNABORTED';
