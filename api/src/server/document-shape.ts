import { GraphQLError, Kind, Lexer, Source, TokenKind, type DocumentNode, type SelectionSetNode } from 'graphql';

/** Structural limits, checked before validation and execution (whose cost grows with them). */
export interface ShapeLimits {
  /** Lexical tokens in the query text (comments excluded), as graphql-js `parse({ maxTokens })` counts them. */
  readonly maxTokens: number;
  /** Field selections in one operation, every fragment spread expanded. */
  readonly maxFields: number;
  /** Selections of the same field (aliased or not) in one selection set. */
  readonly maxSameField: number;
  /** Levels of nested fields, introspection excepted. */
  readonly maxDepth: number;
  /** Levels of nested fields from an introspection root (`__schema`, `__type`) down, whatever they are named. */
  readonly maxIntrospectionDepth: number;
}

/**
 * Introspection roots answer from the schema alone: their cost is bounded by its size (list-bounds.ts costs
 * each list by what the schema holds), while the stock introspection query nests `ofType` 9 levels deep.
 */
const INTROSPECTION_ROOTS: ReadonlySet<string> = new Set(['__schema', '__type']);

export const tooComplex = (message: string) => new GraphQLError(message, { extensions: { code: 'QUERY_TOO_COMPLEX', http: { status: 400 } } });

/** Counts tokens up to `max + 1` and stops there; text the lexer cannot read is left for the parser to report. */
export function countTokens(source: string, max: number): number {
  const lexer = new Lexer(new Source(source));
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) {
      if (++count > max) break;
    }
  } catch {
    // A syntax error: the parser reports it with its position.
  }
  return count;
}

export interface DocumentShape {
  /** The largest operation's field selections, fragments expanded (Infinity past what a number holds). */
  readonly fields: number;
  /** Levels of nested fields, an introspection root counting as one level (its selections count below). */
  readonly depth: number;
  /** Levels of the deepest introspection root's subtree, the root included, every field in it counted. */
  readonly introspectionDepth: number;
  /** The field selected most often in one selection set. */
  readonly mostRepeated: { readonly name: string; readonly count: number };
}

/**
 * Measures a parsed document in time linear in its size: each fragment is measured once and reused at every
 * spread, so nested spreads that multiply (fragment bombs) cost nothing to measure. Cycles count as empty
 * (validation reports them).
 */
export function documentShape(document: DocumentNode): DocumentShape {
  const fragments = new Map<string, SelectionSetNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def.selectionSet);
  // fullDepth counts every field; a fragment spread inside introspection is measured by it, whatever its fields.
  type Shape = { fields: number; depth: number; fullDepth: number; introspectionDepth: number };
  const EMPTY: Shape = { fields: 0, depth: 0, fullDepth: 0, introspectionDepth: 0 };
  const measured = new Map<string, Shape>();
  const visiting = new Set<string>();
  let mostRepeated = { name: '', count: 0 };

  const fragmentShape = (name: string): Shape => {
    const known = measured.get(name);
    if (known) return known;
    const set = fragments.get(name);
    if (!set || visiting.has(name)) return EMPTY;
    visiting.add(name);
    const shape = selectionShape(set);
    visiting.delete(name);
    measured.set(name, shape);
    return shape;
  };

  const selectionShape = (set: SelectionSetNode): Shape => {
    let fields = 0;
    let depth = 0;
    let fullDepth = 0;
    let introspectionDepth = 0;
    const seen = new Map<string, number>();
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const count = (seen.get(sel.name.value) ?? 0) + 1;
        seen.set(sel.name.value, count);
        if (count > mostRepeated.count) mostRepeated = { name: sel.name.value, count };
        const inner = sel.selectionSet ? selectionShape(sel.selectionSet) : EMPTY;
        fields += 1 + inner.fields;
        fullDepth = Math.max(fullDepth, 1 + inner.fullDepth);
        if (INTROSPECTION_ROOTS.has(sel.name.value)) {
          depth = Math.max(depth, 1);
          introspectionDepth = Math.max(introspectionDepth, 1 + inner.fullDepth);
        } else {
          depth = Math.max(depth, 1 + inner.depth);
          introspectionDepth = Math.max(introspectionDepth, inner.introspectionDepth);
        }
      } else {
        const inner = sel.kind === Kind.INLINE_FRAGMENT ? selectionShape(sel.selectionSet) : fragmentShape(sel.name.value);
        fields += inner.fields;
        depth = Math.max(depth, inner.depth);
        fullDepth = Math.max(fullDepth, inner.fullDepth);
        introspectionDepth = Math.max(introspectionDepth, inner.introspectionDepth);
      }
    }
    return { fields, depth, fullDepth, introspectionDepth };
  };

  let fields = 0;
  let depth = 0;
  let introspectionDepth = 0;
  for (const def of document.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    const shape = selectionShape(def.selectionSet);
    fields = Math.max(fields, shape.fields);
    depth = Math.max(depth, shape.depth);
    introspectionDepth = Math.max(introspectionDepth, shape.introspectionDepth);
  }
  // Fragments nothing spreads still cost validation: their repeated fields count too.
  for (const name of fragments.keys()) fragmentShape(name);
  return { fields, depth, introspectionDepth, mostRepeated };
}

/** QUERY_TOO_COMPLEX naming the first limit the document passes; undefined when it keeps within all. */
export function shapeRefusal(document: DocumentNode, limits: ShapeLimits): GraphQLError | undefined {
  const shape = documentShape(document);
  if (shape.mostRepeated.count > limits.maxSameField) {
    return tooComplex(`The field "${shape.mostRepeated.name}" is selected ${shape.mostRepeated.count} times in one selection set; the limit is ${limits.maxSameField} (aliases included).`);
  }
  if (shape.depth > limits.maxDepth) return tooComplex(`The query depth ${shape.depth} exceeds the limit of ${limits.maxDepth}.`);
  if (shape.introspectionDepth > limits.maxIntrospectionDepth) {
    return tooComplex(`The introspection depth ${shape.introspectionDepth} exceeds the limit of ${limits.maxIntrospectionDepth}.`);
  }
  if (shape.fields > limits.maxFields) {
    return tooComplex(`The operation selects ${Number.isFinite(shape.fields) ? shape.fields : 'too many'} fields (fragments expanded); the limit is ${limits.maxFields}.`);
  }
  return undefined;
}
