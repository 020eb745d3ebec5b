import { Kind, parse, type FieldNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { describe, expect, it } from 'vitest';
import { nodesNeedOnlyLeanColumns } from './activity-columns';

/** The resolve info of the query's first root field, as graphql-js and graphql-jit hand it to the resolver. */
function infoOf(query: string) {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]),
  );
  return { fieldNodes: [operation.selectionSet.selections[0] as FieldNode], fragments };
}

const lean = (query: string) => nodesNeedOnlyLeanColumns(infoOf(query));

describe('nodesNeedOnlyLeanColumns', () => {
  it('is true when the nodes ask only for fields the lean columns answer', () => {
    expect(lean('{ timeline(recordId: "x") { edges { cursor node { id kind subject occurredAt direction } } pageInfo { hasNextPage } } }')).toBe(true);
    expect(lean('{ timeline(recordId: "x") { edges { node { __typename state owner { fullName } visibleAs viewerAccess { write } parties { role address } } } } }')).toBe(true);
    // No nodes asked for: nothing of an activity is read but its id.
    expect(lean('{ timeline(recordId: "x") { totalCount } }')).toBe(true);
  });

  it('is false when any node field needs another column, under an alias, a fragment or a directive alike', () => {
    expect(lean('{ timeline(recordId: "x") { edges { node { id description } } } }')).toBe(false);
    expect(lean('{ timeline(recordId: "x") { edges { node { id text: description } } } }')).toBe(false);
    expect(lean('{ timeline(recordId: "x") { edges { node { id regarding { __typename } } } } }')).toBe(false);
    expect(lean('{ timeline(recordId: "x") { edges { node { id createdAt } } } }')).toBe(false);
    expect(lean('query($x: Boolean!) { timeline(recordId: "x") { edges { node { id description @include(if: $x) } } } }')).toBe(false);
    // A field of one activity type: its resolver may read any column.
    expect(lean('{ timeline(recordId: "x") { edges { node { id ... on Email { status } } } } }')).toBe(false);
    expect(lean('{ timeline(recordId: "x") { edges { ... E } } } fragment E on ActivityEdge { node { ... A } } fragment A on Activity { id description }')).toBe(false);
  });

  it('reads through named and inline fragments, at every level, and stops on a fragment cycle', () => {
    expect(lean('{ timeline(recordId: "x") { ... C } } fragment C on ActivityConnection { edges { node { ... on Activity { ... A } } } } fragment A on Activity { id subject }')).toBe(true);
    expect(lean('{ timeline(recordId: "x") { edges { node { ... A } } } } fragment A on Activity { id ... B } fragment B on Activity { kind ... A }')).toBe(true);
    // A spread of a fragment the document does not hold cannot be judged.
    expect(lean('{ timeline(recordId: "x") { edges { node { ... Missing } } } }')).toBe(false);
  });

  it('gives the same verdict for the same document again (remembered per field node)', () => {
    const info = infoOf('{ timeline(recordId: "x") { edges { node { id description } } } }');
    expect(nodesNeedOnlyLeanColumns(info)).toBe(false);
    expect(nodesNeedOnlyLeanColumns(info)).toBe(false);
  });
});
