import { GraphQLError, Kind, Lexer, Source, TokenKind, type DocumentNode, type SelectionSetNode } from 'graphql';

/** Structural limits, checked before validation and execution (whose cost grows with them). */
export interface ShapeLimits {
  /** Lexical tokens in the query text (comments excluded), as graphql-js `parse({ maxTokens })` counts them. */
  readonly maxTokens: number;
  /** Field selections in one operation, every fragment spread expanded. */
  readonly maxFields: number;
  /** Selections of the same field (aliased or not) in one selection set. */
  readonly maxSameField: number;
  /** Levels of nested fields. */
  readonly maxDepth: number;
}

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
  readonly depth: number;
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
  const measured = new Map<string, { fields: number; depth: number }>();
  const visiting = new Set<string>();
  let mostRepeated = { name: '', count: 0 };

  const fragmentShape = (name: string): { fields: number; depth: number } => {
    const known = measured.get(name);
    if (known) return known;
    const set = fragments.get(name);
    if (!set || visiting.has(name)) return { fields: 0, depth: 0 };
    visiting.add(name);
    const shape = selectionShape(set);
    visiting.delete(name);
    measured.set(name, shape);
    return shape;
  };

  const selectionShape = (set: SelectionSetNode): { fields: number; depth: number } => {
    let fields = 0;
    let depth = 0;
    const seen = new Map<string, number>();
    for (const sel of set.selections) {
      if (sel.kind === Kind.FIELD) {
        const count = (seen.get(sel.name.value) ?? 0) + 1;
        seen.set(sel.name.value, count);
        if (count > mostRepeated.count) mostRepeated = { name: sel.name.value, count };
        const inner = sel.selectionSet ? selectionShape(sel.selectionSet) : { fields: 0, depth: 0 };
        fields += 1 + inner.fields;
        depth = Math.max(depth, 1 + inner.depth);
      } else {
        const inner = sel.kind === Kind.INLINE_FRAGMENT ? selectionShape(sel.selectionSet) : fragmentShape(sel.name.value);
        fields += inner.fields;
        depth = Math.max(depth, inner.depth);
      }
    }
    return { fields, depth };
  };

  let fields = 0;
  let depth = 0;
  for (const def of document.definitions) {
    if (def.kind !== Kind.OPERATION_DEFINITION) continue;
    const shape = selectionShape(def.selectionSet);
    fields = Math.max(fields, shape.fields);
    depth = Math.max(depth, shape.depth);
  }
  // Fragments nothing spreads still cost validation: their repeated fields count too.
  for (const name of fragments.keys()) fragmentShape(name);
  return { fields, depth, mostRepeated };
}

/** QUERY_TOO_COMPLEX naming the first limit the document passes; undefined when it keeps within all. */
export function shapeRefusal(document: DocumentNode, limits: ShapeLimits): GraphQLError | undefined {
  const shape = documentShape(document);
  if (shape.mostRepeated.count > limits.maxSameField) {
    return tooComplex(`The field "${shape.mostRepeated.name}" is selected ${shape.mostRepeated.count} times in one selection set; the limit is ${limits.maxSameField} (aliases included).`);
  }
  if (shape.depth > limits.maxDepth) return tooComplex(`The query depth ${shape.depth} exceeds the limit of ${limits.maxDepth}.`);
  if (shape.fields > limits.maxFields) {
    return tooComplex(`The operation selects ${Number.isFinite(shape.fields) ? shape.fields : 'too many'} fields (fragments expanded); the limit is ${limits.maxFields}.`);
  }
  return undefined;
}
