import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { GraphQLError } from 'graphql';
import typeis from 'type-is';
import type { Authenticated } from '../identity/auth.service';
import type { CallerShares, ShareLimits } from './caller-share';
import { shareOf } from './caller-share';
import type { ConcurrencyGate } from './concurrency-gate';
import { sendGraphqlError } from './http-errors';
import { refusalOfQueryText } from './query-limits';
import type { ShapeLimits } from './document-shape';

/** A GraphQL request the guards let through: who calls, the share it draws on, its parsed body and its slot. */
export interface AdmittedRequest {
  readonly caller: Authenticated | undefined;
  readonly share: ShareLimits;
  readonly clientAddress: string;
  /** The parsed JSON body of a POST; undefined for a GET, whose operation is in the URL. */
  readonly body: unknown;
  /** The caller's concurrency slot: given back when the answer is sent, or when the operation ends if that is later. */
  readonly slot: { release(): void; running: boolean };
}

/**
 * What runs before Apollo on /graphql, cheapest first: who is calling (from the header alone), whether their
 * share has room, the body, read up to their share's limit, and the query's size and shape, before GraphQL
 * parses and validates it. Each refusal is answered here as a coded GraphQL error, and `admit` resolves with
 * undefined; a body the client sent wrong rejects with body-parser's error. Written on node:http's request and response, so the GraphQL route needs no framework.
 */
export function graphqlRequestGuards(options: {
  authenticate(header: string | undefined): Promise<Authenticated | undefined>;
  shares: CallerShares;
  gate: ConcurrencyGate;
  queryLimits: ShapeLimits;
  clientAddress(req: IncomingMessage): string;
}): { admit(req: IncomingMessage, res: ServerResponse, search: string): Promise<AdmittedRequest | undefined> } {
  const { authenticate, shares, gate, queryLimits, clientAddress } = options;
  // body-parser's JSON reader (inflating gzip, deflate and br, UTF-8 only, strict), one per size limit.
  const bodyParsers = new Map<number, ReturnType<typeof express.json>>();
  const readJson = (req: IncomingMessage, res: ServerResponse, limit: number): Promise<unknown> => {
    let parser = bodyParsers.get(limit);
    if (!parser) bodyParsers.set(limit, (parser = express.json({ limit })));
    const reader = parser;
    return new Promise((resolve, reject) => reader(req as never, res as never, (err?: unknown) => (err ? reject(err) : resolve((req as { body?: unknown }).body))));
  };

  const admit = async (req: IncomingMessage, res: ServerResponse, search: string): Promise<AdmittedRequest | undefined> => {
    let caller: Authenticated | undefined;
    try {
      caller = await authenticate(req.headers.authorization);
    } catch (err) {
      if (!(err instanceof GraphQLError)) throw err;
      sendGraphqlError(req, res, 401, 'UNAUTHENTICATED', err.message);
      return undefined;
    }

    const address = clientAddress(req);
    const share = shareOf(shares, caller?.principal, address);
    const release = gate.tryEnter(share.key, share.limits.concurrent, share.pooled);
    if (!release) {
      const message =
        gate.count(share.key) >= share.limits.concurrent
          ? `You already have ${share.limits.concurrent} operations running, your limit at once; try again when one has finished.`
          : 'The api is running as many operations as it allows at once; try again shortly.';
      sendGraphqlError(req, res, 429, 'RATE_LIMITED', message, { 'retry-after': '1' });
      return undefined;
    }
    const slot = { release, running: false };
    // 'close' comes once the answer is sent or the client went away; a client that leaves does not end its operation.
    res.once('close', () => {
      if (!slot.running) slot.release();
    });

    let body: unknown;
    let source: unknown;
    if (req.method === 'POST') {
      // As Express's req.is: no body at all counts as the wrong type too.
      if (!typeis(req, ['application/json'])) {
        sendGraphqlError(req, res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send GraphQL requests as a POST with Content-Type: application/json.');
        return undefined;
      }
      // A body the client sent wrong (too large, not JSON, an unknown encoding) throws body-parser's error, which the
      // route answers with its code (http-errors.ts).
      body = await readJson(req, res, share.limits.requestBytes);
      source = (body as { query?: unknown } | undefined)?.query;
    } else if (req.method === 'GET') {
      source = new URLSearchParams(search).get('query') ?? undefined;
    }
    const refusal = typeof source === 'string' ? refusalOfQueryText(source, queryLimits) : undefined;
    if (refusal) {
      sendGraphqlError(req, res, 400, 'QUERY_TOO_COMPLEX', refusal.message);
      return undefined;
    }
    return { caller, share: share.limits, clientAddress: address, body, slot };
  };

  return { admit };
}
