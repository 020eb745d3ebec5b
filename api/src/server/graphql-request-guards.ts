import express, { type RequestHandler, type Response } from 'express';
import { GraphQLError } from 'graphql';
import type { Authenticated } from '../identity/auth.service';
import type { CallerShares, ShareLimits } from './caller-share';
import { shareOf } from './caller-share';
import type { ConcurrencyGate } from './concurrency-gate';
import { sendGraphqlError } from './http-errors';
import { refusalOfQueryText } from './query-limits';
import type { ShapeLimits } from './document-shape';
import { clientAddress } from './trust-proxy';

/** What the guards leave on `res.locals` for the GraphQL context and the execution budget. */
export interface GuardedLocals {
  caller: Authenticated | undefined;
  share: ShareLimits;
  /** The caller's concurrency slot: given back when the answer is sent, or when the operation ends if that is later. */
  slot: { release(): void; running: boolean };
}

export const guardedLocals = (res: Response): GuardedLocals => res.locals as GuardedLocals;

/**
 * What runs before Apollo on /graphql, cheapest first: who is calling (from the header alone), whether their
 * share has room, the body, read up to their share's limit, and the query's size and shape, before GraphQL
 * parses and validates it. Each refusal is a coded GraphQL error.
 */
export function graphqlRequestGuards(options: {
  authenticate(header: string | undefined): Promise<Authenticated | undefined>;
  shares: CallerShares;
  gate: ConcurrencyGate;
  queryLimits: ShapeLimits;
}): { before: RequestHandler[]; holdingSlot(handler: RequestHandler): RequestHandler } {
  const { authenticate, shares, gate, queryLimits } = options;
  const bodyParsers = new Map<number, RequestHandler>();
  const bodyParserFor = (limit: number): RequestHandler => {
    let parser = bodyParsers.get(limit);
    if (!parser) bodyParsers.set(limit, (parser = express.json({ limit })));
    return parser;
  };

  const identify: RequestHandler = async (req, res, next) => {
    try {
      guardedLocals(res).caller = await authenticate(req.headers.authorization);
    } catch (err) {
      if (!(err instanceof GraphQLError)) throw err;
      sendGraphqlError(req, res, 401, 'UNAUTHENTICATED', err.message);
      return;
    }
    next();
  };

  const admit: RequestHandler = (req, res, next) => {
    const locals = guardedLocals(res);
    const share = shareOf(shares, locals.caller?.principal, clientAddress(req));
    const release = gate.tryEnter(share.key, share.limits.concurrent, share.pooled);
    if (!release) {
      const message =
        gate.count(share.key) >= share.limits.concurrent
          ? `You already have ${share.limits.concurrent} operations running, your limit at once; try again when one has finished.`
          : 'The api is running as many operations as it allows at once; try again shortly.';
      sendGraphqlError(req, res, 429, 'RATE_LIMITED', message, { 'retry-after': '1' });
      return;
    }
    const slot = { release, running: false };
    // 'close' comes once the answer is sent or the client went away; a client that leaves does not end its operation.
    res.once('close', () => {
      if (!slot.running) slot.release();
    });
    locals.slot = slot;
    locals.share = share.limits;
    next();
  };

  const readBody: RequestHandler = (req, res, next) => {
    if (req.method === 'POST' && !req.is('application/json')) {
      sendGraphqlError(req, res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'Send GraphQL requests as a POST with Content-Type: application/json.');
      return;
    }
    bodyParserFor(guardedLocals(res).share.requestBytes)(req, res, next);
  };

  const measureQuery: RequestHandler = (req, res, next) => {
    const source: unknown = req.method === 'GET' ? req.query.query : (req.body as { query?: unknown } | undefined)?.query;
    const refusal = typeof source === 'string' ? refusalOfQueryText(source, queryLimits) : undefined;
    if (refusal) {
      sendGraphqlError(req, res, 400, 'QUERY_TOO_COMPLEX', refusal.message);
      return;
    }
    next();
  };

  /** Runs the operation holding the caller's slot until it has finished, even if its client is gone. */
  const holdingSlot =
    (handler: RequestHandler): RequestHandler =>
    async (req, res, next) => {
      const { slot } = guardedLocals(res);
      slot.running = true;
      try {
        await handler(req, res, next);
      } finally {
        slot.running = false;
        slot.release();
      }
    };

  return { before: [identify, admit, readBody, measureQuery], holdingSlot };
}
