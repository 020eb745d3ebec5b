import type { Operations } from './operations.generated.js';

/** The name of an operation the engine sends; `operations.generated.ts` lists them with their types. */
export type OperationName = keyof Operations;
/** The variables operation `N` takes, as generated from schema.graphql. */
export type OperationVariables<N extends OperationName> = Operations[N]['variables'];

declare const operationName: unique symbol;
/** An operation's text, carrying its name so the client can type the variables it sends. */
export type Operation<N extends OperationName> = string & { readonly [operationName]: N };

const documents: string[] = [];

/**
 * Marks a GraphQL operation, named twice: as the tag's argument, graphql('ClaimMailboxes'), and in the
 * template, mutation ClaimMailboxes(…) {…}. The two must agree (checked here, when the module loads). The
 * variables' types come from operations.generated.ts, which `npm run wire-types` prints from schema.graphql;
 * the answers are checked where they enter (wire-answers.ts). Every tagged document is validated against
 * schema.graphql by test/contract/graphql-documents.test.ts.
 * Tag at module level only: each evaluation is recorded once, so the tests can count them.
 */
export function graphql<N extends OperationName>(name: N) {
  return (strings: TemplateStringsArray, ...values: readonly (string | number)[]): Operation<N> => {
    const text = strings.reduce((all, part, index) => `${all}${values[index - 1]}${part}`);
    const written = /\b(?:query|mutation|subscription)\s+(\w+)/.exec(text)?.[1];
    if (written !== name) throw new Error(`graphql('${name}') tags an operation named ${written ?? '(none)'}`);
    documents.push(text);
    return text as Operation<N>;
  };
}

/** Every document tagged so far, in the order the modules were loaded. */
export const taggedDocuments: readonly string[] = documents;
