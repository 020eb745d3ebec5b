import {
  createSourceEventStream,
  execute,
  getOperationAST,
  Kind,
  visit,
  type ExecutionArgs,
  type ExecutionResult,
  type OperationDefinitionNode,
} from 'graphql';
import { mapAsyncIterator } from './async-iterators';
import type { LiveDelivery } from './live-subscriptions';

/**
 * Recently resolved deliveries: (operation, event as seen, visibility) → the result. A thousand
 * subscribers who see the same event the same way cost one resolution.
 */
export class DeliveryCache {
  private readonly entries = new Map<string, Promise<ExecutionResult>>();

  constructor(private readonly capacity = 5_000) {}

  resolve(key: string, run: () => Promise<ExecutionResult>): Promise<ExecutionResult> {
    let result = this.entries.get(key);
    if (!result) {
      result = run();
      this.entries.set(key, result);
      // Insertion order: the oldest entries are the first keys.
      if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    }
    return result;
  }
}

/**
 * What the result of one operation depends on besides the event and the subscriber's visibility:
 * the document, the operation, and the variables used below the subscription field. The field's own
 * arguments (record, kinds, cursor) only choose which events arrive, so they are left out.
 */
export function operationKey(args: Pick<ExecutionArgs, 'document' | 'operationName' | 'variableValues'>, source: string): string {
  const operation = getOperationAST(args.document, args.operationName);
  const used = operation ? variablesBelowRootField(operation) : new Set<string>();
  const variables = Object.entries(args.variableValues ?? {})
    .filter(([name]) => used.has(name))
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify([source, args.operationName ?? null, variables]);
}

function variablesBelowRootField(operation: OperationDefinitionNode): Set<string> {
  const names = new Set<string>();
  for (const selection of operation.selectionSet.selections) {
    const below = selection.kind === Kind.FIELD ? [selection.selectionSet, ...(selection.directives ?? [])] : [selection];
    for (const node of below) {
      if (!node) continue;
      visit(node, { Variable: (v) => void names.add(v.name.value) });
    }
  }
  return names;
}

/** graphql-js `subscribe`, with each delivery's fields resolved once per (operation, event as seen, visibility). */
export function cachedSubscribe(options: {
  cache: DeliveryCache;
  /** The context for resolving one delivery: fresh loaders, the subscriber's credentials as they were checked for it. */
  contextFor(base: unknown, delivery: LiveDelivery<unknown>): unknown;
  keyOf(args: ExecutionArgs): string;
}) {
  return async (args: ExecutionArgs): Promise<AsyncIterableIterator<ExecutionResult> | ExecutionResult> => {
    const source = await createSourceEventStream(args);
    if (!isAsyncIterable(source)) return source as ExecutionResult;
    const operation = options.keyOf(args);
    return mapAsyncIterator(source[Symbol.asyncIterator](), (delivery: LiveDelivery<unknown>) =>
      options.cache.resolve(`${operation}|${delivery.key}|${delivery.visibility}`, async () =>
        execute({ ...args, rootValue: delivery, contextValue: options.contextFor(args.contextValue, delivery) }),
      ),
    );
  };
}

const isAsyncIterable = (value: unknown): value is AsyncIterable<LiveDelivery<unknown>> =>
  typeof value === 'object' && value !== null && Symbol.asyncIterator in value;

