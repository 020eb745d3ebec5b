import type { Operations } from './operations.generated';

/** The name of an operation the UI sends; `operations.generated.ts` lists them with their types. */
export type OperationName = keyof Operations;
/** What the API answers to operation `N` (`data`), as generated from schema.graphql. */
export type OperationResult<N extends OperationName> = Operations[N]['result'];
/** The variables operation `N` takes. */
export type OperationVariables<N extends OperationName> = Operations[N]['variables'];

declare const operationName: unique symbol;
/** An operation's text, carrying its name so GraphQLClient can type its variables and its answer. */
export type Operation<N extends OperationName> = string & { readonly [operationName]: N };

const documents: string[] = [];

/**
 * Marks a GraphQL operation, named twice: as the tag's argument, graphql('Accounts'), and in the template,
 * query Accounts(…) {…}. The two must agree (checked here, when the module loads); its answer and variable types come from operations.generated.ts,
 * which `npm run wire-types` prints from schema.graphql and test/contract/wire-types.test.ts keeps current.
 * Every tagged document is validated against schema.graphql by test/contract/graphql-documents.test.ts.
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
