const documents: string[] = [];

/**
 * Marks a GraphQL operation and returns its text. Every tagged document is checked against schema.graphql
 * by test/contract/graphql-documents.test.ts, which also refuses operations written without this tag.
 * Tag at module level only: each evaluation is recorded once, so the test can count them.
 */
export function graphql(strings: TemplateStringsArray, ...values: readonly (string | number)[]): string {
  const text = strings.reduce((all, part, index) => `${all}${values[index - 1]}${part}`);
  documents.push(text);
  return text;
}

/** Every document tagged so far, in the order the modules were loaded. */
export const taggedDocuments: readonly string[] = documents;
