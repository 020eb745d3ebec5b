import { setTimeout as delay } from 'node:timers/promises';
import {
  AutodiscoverService, ConnectingIdType, ExchangeService, ExchangeVersion, ImpersonatedUserId, OAuthCredentials, ServiceError, Uri, UserSettingName, WebCredentials,
} from 'ews-javascript-api';
import type { Log } from '../../logger.js';
import { MailError } from '../mail-error.js';
import { ewsMailError, soapFaultFacts, type EwsErrorContext, type EwsFailure } from './ews-errors.js';
import { EwsCallLimiter } from './ews-limiter.js';
import { xmlEscape } from './ews-xml.js';
import { EwsTransport, withCallRecord, type EwsCallRecord } from './ews-transport.js';

/** How to reach a mailbox's Exchange server (MailboxWork.ews / OutgoingEmail.transport.ews on the wire). */
export interface EwsConnection {
  /** The EWS endpoint, e.g. https://mail.example.com/EWS/Exchange.asmx; null: Autodiscover from the mailbox address. */
  readonly url: string | null;
  /** The SMTP address to act as through ExchangeImpersonation; null: the credentials' own mailbox. */
  readonly impersonateAddress: string | null;
  readonly allowInvalidCertificates: boolean;
  /** Calls in flight at most, per EWS URL and account, across the engine. */
  readonly maxConnections: number;
}

/** Basic (PASSWORD), NTLM, or an OAuth bearer token sent as is. */
export type EwsCredentials =
  | { readonly method: 'PASSWORD' | 'NTLM'; readonly username: string; readonly password: string }
  | { readonly method: 'OAUTH_BEARER'; readonly username: string; readonly accessToken: string };

/** One mailbox on one Exchange server, as the adapters see it. */
export interface EwsAccount {
  /** The mailbox's SMTP address (Autodiscover starts from it). */
  readonly address: string;
  readonly connection: EwsConnection;
  readonly credentials: EwsCredentials;
}

export interface EwsServicesOptions {
  readonly logger?: Log;
  /** Per HTTP request; EWS calls that move MIME of large messages need room. */
  readonly timeoutMs?: number;
  /** The longest ErrorServerBusy back-off waited for once before failing temporarily. */
  readonly maxBackOffMs?: number;
  /**
   * The SOAP Autodiscover endpoints to ask for a domain, in order; unset: the library's full search (MS-OXDSCLI:
   * https://<domain>/autodiscover, https://autodiscover.<domain>, the HTTP redirect, the DNS SRV record).
   */
  readonly autodiscoverUrls?: (domain: string) => readonly string[];
}

export const DEFAULT_EWS_TIMEOUT_MS = 120_000;
const DEFAULT_MAX_BACK_OFF_MS = 60_000;
const DEFAULT_BUSY_WAIT_MS = 5_000;
// 2010 SP2 has every operation used here (SyncFolderItems, pull notifications, ExchangeImpersonation); newer servers accept it.
const REQUEST_VERSION = ExchangeVersion.Exchange2010_SP2;

/**
 * The engine's Exchange connections: one ExchangeService per mailbox session with its own HTTP layer, one
 * engine-wide limit of calls in flight per server and account, and the EWS URL Autodiscover found per address,
 * kept for the engine's life.
 */
export class EwsServices {
  private readonly limiter = new EwsCallLimiter();
  private readonly discovered = new Map<string, string>();

  constructor(private readonly options: EwsServicesOptions = {}) {}

  /** A session for the account; Autodiscover runs here when the connection names no URL (throws MailError). */
  async session(account: EwsAccount, channel: 'incoming' | 'outgoing', signal?: AbortSignal): Promise<EwsSession> {
    const url = account.connection.url ?? (await this.discover(account, channel, signal));
    return new EwsSession(this.service(account, url), contextOf(account, url, channel), this.options, signal);
  }

  /** The EWS URL of an address, once found (tests and diagnostics). */
  discoveredUrl(address: string): string | undefined {
    return this.discovered.get(address.toLowerCase());
  }

  private service(account: EwsAccount, url: string): ExchangeService {
    const service = new ExchangeService(REQUEST_VERSION);
    const { credentials, connection } = account;
    // NTLM signs in inside the HTTP exchange; ExchangeService still insists on credentials, which then add no header.
    service.Credentials = credentials.method === 'OAUTH_BEARER' ? new OAuthCredentials(credentials.accessToken, true) : credentials.method === 'NTLM' ? new NoHeaderCredentials() : new WebCredentials(credentials.username, credentials.password);
    service.XHRApi = new EwsTransport({
      allowInvalidCertificates: connection.allowInvalidCertificates,
      ntlm: credentials.method === 'NTLM' ? { username: credentials.username, password: credentials.password } : null,
      timeoutMs: this.options.timeoutMs ?? DEFAULT_EWS_TIMEOUT_MS,
      limiter: this.limiter,
      limiterKey: `${url.toLowerCase()}\n${credentials.username.toLowerCase()}`,
      maxConnections: connection.maxConnections,
    });
    service.Url = new Uri(url);
    // Types.xsd ExchangeImpersonation/ConnectingSID/SmtpAddress: act as the mailbox; throttling counts against it.
    // The library writes the address into the SOAP header verbatim: escaped here.
    if (connection.impersonateAddress) service.ImpersonatedUserId = new ImpersonatedUserId(ConnectingIdType.SmtpAddress, xmlEscape(connection.impersonateAddress));
    return service;
  }

  private async discover(account: EwsAccount, channel: 'incoming' | 'outgoing', signal?: AbortSignal): Promise<string> {
    const key = account.address.toLowerCase();
    const known = this.discovered.get(key);
    if (known) return known;
    const domain = account.address.split('@').pop() ?? '';
    const candidates = this.options.autodiscoverUrls?.(domain);
    const failures: MailError[] = [];
    for (const candidate of candidates ?? [null]) {
      const context = contextOf(account, candidate ?? `autodiscover for ${domain}`, channel);
      try {
        const url = candidate ? await this.askAutodiscover(account, candidate, context, signal) : await this.libraryAutodiscover(account, context, signal);
        if (url) {
          this.discovered.set(key, url);
          this.options.logger?.info({ address: account.address, ewsUrl: url }, 'Autodiscover found the EWS URL');
          return url;
        }
      } catch (error) {
        if (!(error instanceof MailError)) throw error;
        if (error.code === 'AUTH_FAILED') throw error; // the same credentials fail everywhere
        failures.push(error);
      }
    }
    const why = failures.length ? `: ${failures.map((failure) => failure.message).join('; ')}` : '';
    throw new MailError('PROTOCOL', `Autodiscover found no EWS URL for ${account.address}; enter the EWS URL on the email server profile${why}`);
  }

  /** SOAP Autodiscover GetUserSettings (MS-OXWSADISC) at one endpoint: ExternalEwsUrl, else InternalEwsUrl. */
  private async askAutodiscover(account: EwsAccount, endpoint: string, context: EwsErrorContext, signal?: AbortSignal): Promise<string | null> {
    const autodiscover = new AutodiscoverService(new Uri(endpoint), REQUEST_VERSION);
    const service = this.service(account, endpoint);
    autodiscover.Credentials = service.Credentials;
    autodiscover.XHRApi = service.XHRApi;
    autodiscover.RedirectionUrlValidationCallback = (url: string) => url.toLowerCase().startsWith('https:') || endpoint.toLowerCase().startsWith('http:');
    const session = new EwsSession(service, context, this.options, signal);
    const response = await session.call('Autodiscover', () => autodiscover.GetUserSettings(account.address, [UserSettingName.ExternalEwsUrl, UserSettingName.InternalEwsUrl]));
    if (response.ErrorCode !== 0) return null; // AutodiscoverErrorCode.NoError; InvalidUser and friends: try the next endpoint
    for (const name of [UserSettingName.ExternalEwsUrl, UserSettingName.InternalEwsUrl]) {
      const value: unknown = response.Settings.containsKey(name) ? response.Settings.get(name) : undefined;
      if (typeof value === 'string' && /^https?:\/\//i.test(value)) return value;
    }
    return null;
  }

  private async libraryAutodiscover(account: EwsAccount, context: EwsErrorContext, signal?: AbortSignal): Promise<string | null> {
    const service = this.service(account, 'https://autodiscover.invalid/EWS/Exchange.asmx');
    const session = new EwsSession(service, context, this.options, signal);
    // Redirections to plain HTTP would send the credentials in the clear: refused.
    await session.call('Autodiscover', () => service.AutodiscoverUrl(account.address, (url: string) => url.toLowerCase().startsWith('https:')));
    return service.Url?.ToString() ?? null;
  }
}

/** ExchangeService demands credentials; with NTLM the transport signs in, so these add nothing to the request. */
class NoHeaderCredentials extends WebCredentials {
  constructor() {
    // The library refuses empty strings here (ExchangeCredentials.ctor); these are never sent.
    super('ntlm', 'ntlm');
  }
  override PrepareWebRequest(): void {}
}

function contextOf(account: EwsAccount, url: string, channel: 'incoming' | 'outgoing'): EwsErrorContext {
  let server = url;
  let port = 443;
  try {
    const parsed = new URL(url);
    server = parsed.host;
    port = parsed.port ? Number(parsed.port) : parsed.protocol === 'http:' ? 80 : 443;
  } catch {
    // an Autodiscover description, not a URL
  }
  const impersonating = account.connection.impersonateAddress ?? undefined;
  return { server, port, username: account.credentials.username, impersonating, channel };
}

/**
 * One mailbox's ExchangeService, and the one way to call it: every call leaves as a value or a MailError, has a
 * timeout (the transport's), honours the signal, and waits out one ErrorServerBusy back-off before failing.
 */
export class EwsSession {
  constructor(
    readonly service: ExchangeService,
    readonly context: EwsErrorContext,
    private readonly options: EwsServicesOptions,
    private readonly defaultSignal?: AbortSignal,
  ) {}

  async call<T>(what: string, operation: (service: ExchangeService) => Promise<T>, about: { folder?: string; signal?: AbortSignal } = {}): Promise<T> {
    const signal = about.signal ?? this.defaultSignal;
    for (let attempt = 0; ; attempt++) {
      if (signal?.aborted) throw cancelled(what, signal.reason);
      const record: EwsCallRecord = { signal: signal ?? new AbortController().signal };
      try {
        return await withCallRecord(record, () => operation(this.service));
      } catch (error) {
        if (signal?.aborted) throw cancelled(what, error);
        if (error instanceof MailError) throw error;
        const failure = failureOf(error, record);
        const mailError = ewsMailError(failure, { ...this.context, folder: about.folder });
        // EWS throttling: the server names the wait (MessageXml BackOffMilliseconds); wait it once, then let the mailbox back off.
        if (failure.responseCode === 'ErrorServerBusy' && attempt === 0) {
          const wait = failure.backOffMs ?? DEFAULT_BUSY_WAIT_MS;
          if (wait <= (this.options.maxBackOffMs ?? DEFAULT_MAX_BACK_OFF_MS)) {
            this.options.logger?.info({ server: this.context.server, call: what, backOffMs: wait }, 'Exchange is busy: waiting as asked');
            await delay(wait, undefined, { signal }).catch(() => undefined);
            continue;
          }
        }
        throw mailError;
      }
    }
  }
}

interface LibraryErrorFields {
  Response?: { ErrorCode?: unknown; ErrorMessage?: unknown; ErrorDetails?: { containsKey?(key: string): boolean; get?(key: string): unknown } };
  ErrorCode?: unknown;
  ResponseCode?: unknown;
  HttpStatusCode?: unknown;
  BackOffMilliseconds?: unknown;
  message?: unknown;
  Message?: unknown;
}

/** Joins what the library threw (a ServiceResponseException, a SoapFaultDetails, a bare response) with what the transport saw. */
export function failureOf(error: unknown, record: Pick<EwsCallRecord, 'httpStatus' | 'faultBody' | 'networkError' | 'ntlmNotOffered'>): EwsFailure {
  const fields = (typeof error === 'object' && error !== null ? error : {}) as LibraryErrorFields;
  const fromBody = record.faultBody ? soapFaultFacts(record.faultBody) : {};
  let responseCode = fromBody.responseCode;
  let serverText = fromBody.serverText;
  let backOffMs = fromBody.backOffMs;
  if (fields.Response && typeof fields.Response.ErrorCode === 'number') {
    // A response message with ResponseClass="Error" (Messages.xsd ResponseMessageType) on an HTTP 200.
    responseCode = ServiceError[fields.Response.ErrorCode] ?? responseCode;
    if (typeof fields.Response.ErrorMessage === 'string') serverText = fields.Response.ErrorMessage;
    const details = fields.Response.ErrorDetails;
    if (details?.containsKey?.('BackOffMilliseconds')) backOffMs = Number(details.get?.('BackOffMilliseconds')) || backOffMs;
  } else if (!responseCode && record.httpStatus === undefined && record.networkError === undefined && typeof fields.ResponseCode === 'number' && fields.HttpStatusCode === 500) {
    responseCode = ServiceError[fields.ResponseCode];
  }
  if (typeof fields.BackOffMilliseconds === 'number' && fields.BackOffMilliseconds > 0) backOffMs = fields.BackOffMilliseconds;
  if (!serverText && !record.networkError) {
    const text = typeof fields.message === 'string' ? fields.message : typeof fields.Message === 'string' ? fields.Message : undefined;
    if (text) serverText = text;
  }
  return {
    ...(responseCode ? { responseCode } : {}),
    ...(serverText ? { serverText } : {}),
    ...(backOffMs !== undefined ? { backOffMs } : {}),
    ...(record.httpStatus !== undefined ? { httpStatus: record.httpStatus } : {}),
    ...(record.networkError !== undefined ? { networkError: record.networkError } : {}),
    ...(record.ntlmNotOffered ? { ntlmNotOffered: true } : {}),
  };
}

export function cancelled(what: string, cause: unknown): MailError {
  return new MailError('TEMPORARY', `Cancelled: the Exchange call ${what} was stopped on request`, { cause });
}
