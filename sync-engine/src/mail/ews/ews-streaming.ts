import http from 'node:http';
import { setTimeout as delay } from 'node:timers/promises';
import https from 'node:https';
import { GetStreamingEventsRequest, type EventType, type FolderId, type IXHROptions, type StreamingSubscription } from 'ews-javascript-api';
import type { Log } from '../../logger.js';
import { MailError } from '../mail-error.js';
import { ewsMailError } from './ews-errors.js';
import { ntlmSignIn, type NtlmCredentials, type NtlmSignIn } from './ews-ntlm-sign-in.js';
import type { EwsSession } from './ews-service.js';
import { StreamingFrameReader, type StreamingFrame } from './ews-streaming-frames.js';

export interface StreamingWatchOptions {
  readonly allowInvalidCertificates: boolean;
  /** The account signs in with NTLM: each connection does the handshake itself (the library's HTTP layer is not used). */
  readonly ntlm: NtlmCredentials | null;
  readonly logger?: Log;
  /** A connection that carries nothing (not even a heartbeat) this long is taken for dead. */
  readonly silenceMs?: number;
  /** Push mode (ews-watch.ts): told of each change as it arrives, besides ending a wait. */
  readonly onChange?: () => void;
  /** Push mode: the watch stopped listening for good (never after close()); whoever holds it subscribes anew or pulls. */
  readonly onEnd?: (end: StreamingEnd) => void;
}

/**
 * Why a watch stopped listening: Exchange forgot the subscription ('lost'), the credentials were refused ('failed'),
 * or connections kept failing ('unavailable': pull notifications should take over).
 */
export interface StreamingEnd {
  readonly kind: 'lost' | 'failed' | 'unavailable';
  readonly reason: string;
}

/** What a wait ended with: a change, its time up, or streaming not to be had from this server. */
export type StreamingOutcome = 'changed' | 'timeout' | 'unavailable';

// Exchange sends ConnectionStatus OK about every 30 s on an open connection; three missed ones mean it is gone.
const DEFAULT_SILENCE_MS = 100_000;
// Connections that fail one after another before streaming is given up for this session (pull takes over).
const MAX_FAILED_CONNECTIONS = 3;
// Messages.xsd GetStreamingEventsType/ConnectionTimeout: 1 to 30 minutes.
const MAX_CONNECTION_MINUTES = 30;
const RESPONSE_CODES_LOSING_THE_SUBSCRIPTION = new Set(['ErrorSubscriptionNotFound', 'ErrorInvalidSubscription', 'ErrorMissedNotificationEvents', 'ErrorSubscriptionUnsubscribed', 'ErrorExpiredSubscription']);

/**
 * EWS streaming notifications for one mailbox session: one streaming subscription on the folders read, and a
 * GetStreamingEvents connection kept open from the first wait until close(), so a change arrives within a second
 * rather than at the next poll, and one that lands while the engine is busy reading is remembered for the next wait
 * (a connection closed between waits could take an event down with it). The library's own streaming connection is
 * not used (its reconnects are unreliable, and it reads a chunk holding two documents as one): this reads
 * the chunked body itself, and an NTLM account's connection signs in by itself (ews-ntlm-sign-in.ts). Anything
 * unexpected counts as a change (the folders are read again, which loses nothing); when connections keep failing,
 * 'unavailable' hands over to pull notifications. Connections are outside the engine's per-account call limit,
 * which counts short calls: a hanging one would hold a slot for its whole life.
 */
export class EwsStreamingWatch {
  private subscription: StreamingSubscription | null = null;
  private unavailable = false;
  private failedConnections = 0;
  /** Something changed (or may have) since the last wait returned. */
  private pending = false;
  private failure: MailError | null = null;
  private listening: AbortController | null = null;
  private wake: (() => void) | null = null;

  constructor(
    private readonly session: EwsSession,
    private readonly folders: () => FolderId[],
    private readonly events: readonly EventType[],
    private readonly options: StreamingWatchOptions,
  ) {}

  async wait(maxMs: number, signal?: AbortSignal): Promise<StreamingOutcome> {
    if (!this.listening && !this.unavailable) await this.listen(signal);
    if (this.failure) {
      const failure = this.failure;
      this.failure = null;
      throw failure;
    }
    if (this.pending) {
      this.pending = false;
      return 'changed';
    }
    if (this.unavailable) return 'unavailable';
    if (signal?.aborted || maxMs <= 0) return 'timeout';
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, maxMs));
      signal?.addEventListener('abort', done, { once: true });
      this.wake = done;
    });
    return this.wait(0, signal);
  }

  /**
   * Push mode: subscribes and opens the first connection. 'unavailable' when the server grants no streaming
   * subscription; throws MailError when the credentials are refused or `signal` aborts.
   */
  async start(signal?: AbortSignal): Promise<'listening' | 'unavailable'> {
    if (!this.listening && !this.unavailable) await this.listen(signal);
    if (signal?.aborted) throw new MailError('TEMPORARY', 'cancelled');
    return this.unavailable ? 'unavailable' : 'listening';
  }

  async close(): Promise<void> {
    this.listening?.abort();
    this.listening = null;
    const subscription = this.subscription;
    this.subscription = null;
    // A courtesy: Exchange drops a streaming subscription that has had no connection for a while anyway.
    if (subscription) await subscription.Unsubscribe().catch(() => undefined);
  }

  private notify(): void {
    this.pending = true;
    this.wake?.();
    this.options.onChange?.();
  }

  /** Subscribes (once) and starts the connection loop, which runs until close() or until streaming is given up. */
  private async listen(signal?: AbortSignal): Promise<void> {
    if (!this.subscription) {
      try {
        this.subscription = await this.session.call('Subscribe', (service) => service.SubscribeToStreamingNotifications(this.folders(), ...this.events), { signal });
      } catch (error) {
        if (signal?.aborted) return;
        if (error instanceof MailError && error.code === 'AUTH_FAILED') throw error;
        this.giveUp('Exchange streaming notifications unavailable: pull notifications instead', error);
        return;
      }
    }
    const listening = new AbortController();
    this.listening = listening;
    void this.connectionLoop(this.subscription.Id, listening.signal);
  }

  private async connectionLoop(subscriptionId: string, stop: AbortSignal): Promise<void> {
    while (!stop.aborted) {
      let ended: ConnectionEnd;
      try {
        ended = await this.connect(subscriptionId, MAX_CONNECTION_MINUTES, stop);
      } catch (error) {
        if (stop.aborted) return;
        if (error instanceof MailError && error.code === 'AUTH_FAILED') {
          this.failure = error;
          this.listening = null;
          this.wake?.();
          this.options.onEnd?.({ kind: 'failed', reason: error.message });
          return;
        }
        if (++this.failedConnections >= MAX_FAILED_CONNECTIONS) {
          this.giveUp('Exchange streaming connections keep failing: pull notifications instead', error);
          this.notify(); // what the last connection may have carried is read with the folders
          this.options.onEnd?.({ kind: 'unavailable', reason: reasonOf(error) });
          return;
        }
        this.options.logger?.info({ reason: reasonOf(error) }, 'Exchange streaming connection failed: reading the folders again');
        this.notify();
        // A server that drops every connection is not asked again at once.
        await delay(Math.min(30_000, 500 * 2 ** this.failedConnections), undefined, { signal: stop }).catch(() => undefined);
        continue;
      }
      if (ended.kind === 'lost') {
        // Exchange forgot the subscription (restarted, expired, or it missed events): read everything, subscribe anew.
        if (this.listening?.signal === stop) this.listening = null;
        this.subscription = null;
        this.options.logger?.info({ reason: ended.reason }, 'Exchange streaming subscription lost: reading the folders again');
        this.notify();
        this.options.onEnd?.({ kind: 'lost', reason: ended.reason });
        return;
      }
      // 'closed': the connection's time was up; the next one opens at once.
    }
  }

  private giveUp(message: string, error: unknown): void {
    this.unavailable = true;
    this.subscription = null;
    this.listening?.abort();
    this.listening = null;
    this.options.logger?.info({ reason: reasonOf(error) }, message);
  }

  /** One GetStreamingEvents connection, until an error, Exchange closes it, or stop; events are passed on as they come. */
  private async connect(subscriptionId: string, minutes: number, stop: AbortSignal): Promise<ConnectionEnd> {
    const request = new GetStreamingEventsRequest(this.session.service, () => undefined, [subscriptionId], minutes);
    request.Validate();
    const xhr: IXHROptions = request.BuildXHR();
    const url = new URL(xhr.url);
    const headers = { ...(xhr.headers as Record<string, string>) };
    const body = String(xhr.data ?? '');
    const tls = url.protocol === 'https:' ? { rejectUnauthorized: !this.options.allowInvalidCertificates } : {};
    const ntlm = this.options.ntlm;
    if (!ntlm) return this.readStream(url, { headers, ...tls }, body, null, stop);
    // NTLM signs in a socket: the handshake and the stream share one, kept alive for this connection alone.
    const agent = new (url.protocol === 'https:' ? https : http).Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const handshakeTime = AbortSignal.any([stop, AbortSignal.timeout(this.options.silenceMs ?? DEFAULT_SILENCE_MS)]);
      const signIn = await ntlmSignIn(url, ntlm, { agent, headers, ...tls, signal: handshakeTime });
      return await this.readStream(url, { headers: { ...headers, Authorization: signIn.authorization }, agent, ...tls }, body, signIn, stop);
    } finally {
      agent.destroy();
    }
  }

  /** Sends the GetStreamingEvents request and reads its chunked answer; after an NTLM sign-in, on its socket only. */
  private readStream(url: URL, requestOptions: http.RequestOptions & https.RequestOptions, soap: string, signIn: NtlmSignIn | null, stop: AbortSignal): Promise<ConnectionEnd> {
    return new Promise<ConnectionEnd>((resolve, reject) => {
      const body = Buffer.from(soap, 'utf8');
      const reader = new StreamingFrameReader();
      const client = url.protocol === 'https:' ? https : http;
      let settled = false;
      let silence: NodeJS.Timeout | undefined;
      const finish = (end: ConnectionEnd | Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(silence);
        stop.removeEventListener('abort', onAbort);
        req.destroy();
        if (end instanceof Error) reject(end);
        else resolve(end);
      };
      const watchSilence = () => {
        clearTimeout(silence);
        silence = setTimeout(() => finish(new Error('the streaming connection went silent')), this.options.silenceMs ?? DEFAULT_SILENCE_MS);
      };
      const onAbort = () => finish({ kind: 'closed' });
      stop.addEventListener('abort', onAbort, { once: true });
      const req = client.request(url, { ...requestOptions, method: 'POST', headers: { ...requestOptions.headers, 'Content-Length': String(body.length) } });
      // A server that closed the socket after its challenge would see the AUTHENTICATE on a fresh one and refuse
      // it: that is a failed connection, not a wrong password.
      if (signIn) req.on('socket', (socket) => socket !== signIn.socket && finish(new Error('Exchange closed the connection after its NTLM challenge')));
      req.on('response', (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          finish(ewsMailError({ httpStatus: res.statusCode ?? 0 }, this.session.context));
          return;
        }
        res.setEncoding('utf8');
        watchSilence();
        res.on('data', (text: string) => {
          watchSilence();
          let frames: StreamingFrame[];
          try {
            frames = reader.push(text);
          } catch (error) {
            finish(error instanceof Error ? error : new Error(String(error)));
            return;
          }
          for (const frame of frames) {
            this.failedConnections = 0;
            if (frame.kind === 'events' && frame.count > 0) this.notify();
            if (frame.kind === 'error') {
              if (RESPONSE_CODES_LOSING_THE_SUBSCRIPTION.has(frame.code)) return finish({ kind: 'lost', reason: `${frame.code}: ${frame.message}` });
              return finish(new Error(`${frame.code}: ${frame.message}`));
            }
            if (frame.kind === 'closed') return finish({ kind: 'closed' });
          }
        });
        // Ended without ConnectionStatus Closed: dropped, perhaps inside a notification; the folders are read again.
        res.on('end', () => finish(new Error('the streaming connection ended before Exchange closed it')));
        res.on('error', (error) => finish(error));
      });
      req.on('error', (error) => finish(error));
      req.end(body);
    });
  }
}

type ConnectionEnd = { readonly kind: 'closed' } | { readonly kind: 'lost'; readonly reason: string };

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
