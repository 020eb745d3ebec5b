import { codegen } from '@graphql-codegen/core';
import * as typescriptOperations from '@graphql-codegen/typescript-operations';
import { Kind, parse, print, printSchema, type DocumentNode, type FragmentDefinitionNode, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import type { TaggedDocument } from './graphql-documents';

const HEADER = `// Printed by \`npm run wire-types\` from schema.graphql and the operations this package tags with graphql('Name'):
// do not edit. test/contract/wire-types.test.ts fails when it is not current.
/* eslint-disable */
`;

const SUFFIX = { query: 'Query', mutation: 'Mutation', subscription: 'Subscription' } as const;

/** The operations, and each fragment once: documents that share a fragment each carry its text. */
function splitDefinitions(documents: readonly TaggedDocument[]): { operations: OperationDefinitionNode[]; fragments: FragmentDefinitionNode[] } {
  const operations: OperationDefinitionNode[] = [];
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const { text, file } of documents) {
    for (const definition of parse(text).definitions) {
      if (definition.kind === Kind.OPERATION_DEFINITION) operations.push(definition);
      if (definition.kind !== Kind.FRAGMENT_DEFINITION) continue;
      const seen = fragments.get(definition.name.value);
      if (seen && print(seen) !== print(definition)) throw new Error(`${file}: fragment ${definition.name.value} is defined twice, differently`);
      fragments.set(definition.name.value, definition);
    }
  }
  // By name: the output must not depend on the order in which the modules happened to load.
  const byName = (a: { name?: { value: string } }, b: { name?: { value: string } }) => (a.name?.value ?? '').localeCompare(b.name?.value ?? '');
  return { operations: operations.sort(byName), fragments: [...fragments.values()].sort(byName) };
}

/**
 * The TypeScript types of `documents`' answers and variables (graphql-codegen's typescript-operations; one type
 * per fragment), and an `Operations` map from each operation's name to them, which the package's `graphql` tag keys on.
 */
export async function printWireTypes(schema: GraphQLSchema, documents: readonly TaggedDocument[]): Promise<string> {
  const { operations, fragments } = splitDefinitions(documents);
  const asDocument = (definitions: DocumentNode['definitions']): DocumentNode => ({ kind: Kind.DOCUMENT, definitions });
  const types = await codegen({
    filename: 'operations.generated.ts',
    schema: parse(printSchema(schema)),
    schemaAst: schema,
    documents: [...operations, ...fragments].map((definition) => ({ document: asDocument([definition]) })),
    config: {},
    plugins: [
      {
        typescriptOperations: {
          enumType: 'string-literal',
          scalars: { DateTimeISO: 'string', ID: 'string' },
          immutableTypes: true,
          inlineFragmentTypes: 'combine',
        },
      },
    ],
    pluginMap: { typescriptOperations },
  });
  const entries = operations
    .map((operation) => {
      const name = operation.name?.value;
      if (!name) throw new Error('every tagged operation needs a name');
      const type = `${name}${SUFFIX[operation.operation]}`;
      return `  readonly ${name}: { readonly result: ${type}; readonly variables: ${type}Variables };`;
    });
  return `${HEADER}${types.trimEnd()}\n\n/** Every operation of this package by name: what it answers and the variables it takes. */\nexport interface Operations {\n${entries.join('\n')}\n}\n`;
}
