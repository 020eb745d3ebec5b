import type { ApolloServerPlugin } from '@apollo/server';
import { defaultFieldResolver, getNamedType, getNullableType, GraphQLError, isEnumType, isLeafType, isListType, isObjectType, isScalarType, type GraphQLNamedType, type GraphQLSchema } from 'graphql';
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

// A symbol-keyed property of the operation's context: the fields wrapped below find the operation's budget there.
const BUDGET = Symbol('execution budget');

const isPromise = (value: unknown): value is Promise<unknown> => typeof (value as { then?: unknown } | null)?.then === 'function';

/** Leaves whose values are small and bounded by their type: the budget counts the objects and lists they sit in. */
const isSmallLeaf = (type: GraphQLNamedType): boolean => isEnumType(type) || (isScalarType(type) && SMALL_SCALARS.has(type.name));
const SMALL_SCALARS = new Set(['ID', 'Int', 'Float', 'Boolean', 'DateTimeISO', 'DateTime', 'Date']);

const budgeted = new WeakSet<GraphQLSchema>();

/**
 * Puts the execution budget around the fields that spend it: every field with a resolver (where the time goes),
 * every list, and every leaf whose value can be large (text). Fields that read a small value or one object off
 * their parent (an id, a date, an enum, an edge's node) are left bare, so the compiled executor reads them
 * inline; the lists they sit in are counted. Operations without a budget (subscriptions' events, tests) pass straight through.
 */
export function budgetedFields(schema: GraphQLSchema): GraphQLSchema {
  // The schema object is shared by every server in the process (tests start several): wrapped once.
  if (budgeted.has(schema)) return schema;
  budgeted.add(schema);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const named = getNamedType(field.type);
      // A property holding one object adds nothing to count; lists (their items) and text do.
      if (!field.resolve && (isLeafType(named) ? isSmallLeaf(named) : !isListType(getNullableType(field.type)))) continue;
      const resolve = field.resolve ?? defaultFieldResolver;
      const name = field.name;
      field.resolve = (source, args, context: { [BUDGET]?: ExecutionBudget } | undefined, info) => {
        const budget = context?.[BUDGET];
        if (!budget) return resolve(source, args, context, info);
        budget.enterField(name, Date.now());
        const result = resolve(source, args, context, info);
        if (isPromise(result)) {
          return result.then((value) => {
            budget.resolved(value);
            return value;
          });
        }
        budget.resolved(result);
        return result;
      };
    }
  }
  return schema;
}

/**
 * Stops an operation as soon as its answer outgrows the caller's share or (for queries) its time is up: every
 * budgeted field after that fails at once, without running its resolver, and the caller gets only the one coded
 * error. Mutations are not cut short in time: each commits as a whole, and an answer that says otherwise would be
 * wrong. The fields are wrapped once in the schema (budgetedFields); this hands each operation its budget.
 */
export function executionBudgetPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart({ contextValue }) {
      const share = shareOfContext(contextValue as object);
      if (!share) return undefined;
      const arrivedAt = Date.now();
      let budget: ExecutionBudget | undefined;
      return {
        async executionDidStart({ operation, contextValue: operationContext }) {
          budget = new ExecutionBudget(share, operation.operation === 'query' ? arrivedAt + share.timeoutMs : Infinity);
          Object.defineProperty(operationContext, BUDGET, { value: budget });
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
