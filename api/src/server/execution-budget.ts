import type { ApolloServerPlugin } from '@apollo/server';
import { GraphQLError } from 'graphql';
import type { ShareLimits } from './caller-share';
import { shareOfContext } from './request-share';

/** Roughly what a resolved value adds to the JSON answer; objects count as their fields resolve. */
export function approximateJsonSize(value: unknown): number {
  if (typeof value === 'string') return value.length + 2;
  if (value === null || value === undefined) return 4;
  if (typeof value !== 'object') return 8;
  if (value instanceof Date) return 26;
  if (!Array.isArray(value)) return 2;
  let size = 2;
  for (const item of value) size += typeof item === 'object' && item !== null && !(item instanceof Date) ? 2 : approximateJsonSize(item);
  return size;
}

const refusal = (code: 'TIMEOUT' | 'RESPONSE_TOO_LARGE', message: string, status: number) => new GraphQLError(message, { extensions: { code, http: { status } } });

/** One operation's spending: the answer's size so far, and the moment its time runs out. */
export class ExecutionBudget {
  private bytes = 0;
  /** Set once the budget is spent; every later field is refused with it. */
  stopped: GraphQLError | undefined;

  constructor(
    private readonly limits: Pick<ShareLimits, 'responseBytes' | 'timeoutMs'>,
    private readonly deadline: number,
  ) {}

  /** Before a field resolves: throws once the budget is spent or the time is up. */
  enterField(name: string, now: number): void {
    if (!this.stopped && now > this.deadline) {
      this.stopped = refusal('TIMEOUT', `The query ran out of its time budget of ${this.limits.timeoutMs / 1000} seconds; ask for less.`, 503);
    }
    if (this.stopped) throw this.stopped;
    this.bytes += name.length + 4;
  }

  /** After a field resolved: counts what it adds to the answer. */
  resolved(value: unknown): void {
    this.bytes += approximateJsonSize(value);
    if (!this.stopped && this.bytes > this.limits.responseBytes) {
      this.stopped = refusal('RESPONSE_TOO_LARGE', `The answer grew past the limit of ${Math.round(this.limits.responseBytes / (1024 * 1024))} MB; ask for smaller pages or fewer fields.`, 400);
    }
  }
}

/**
 * Stops an operation as soon as its answer outgrows the caller's share or (for queries) its time is up: every
 * field after that fails at once, without running its resolver, and the caller gets only the one coded error.
 * Mutations are not cut short in time: each commits as a whole, and an answer that says otherwise would be wrong.
 */
export function executionBudgetPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart({ contextValue }) {
      const share = shareOfContext(contextValue as object);
      if (!share) return undefined;
      const arrivedAt = Date.now();
      let budget: ExecutionBudget | undefined;
      return {
        async executionDidStart({ operation }) {
          const spending = new ExecutionBudget(share, operation.operation === 'query' ? arrivedAt + share.timeoutMs : Infinity);
          budget = spending;
          const afterField = (_error: Error | null, result: unknown) => spending.resolved(result);
          return {
            willResolveField({ info }) {
              spending.enterField(info.fieldName, Date.now());
              return afterField;
            },
          };
        },
        async willSendResponse({ response }) {
          const stopped = budget?.stopped;
          if (!stopped) return;
          response.body = { kind: 'single', singleResult: { errors: [{ message: stopped.message, extensions: { code: stopped.extensions.code } }] } };
          response.http.status = (stopped.extensions.http as { status: number }).status;
        },
      };
    },
  };
}
