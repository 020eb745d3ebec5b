import { graphql } from '../graphql/graphql-tag';
/** The parts of GraphQL introspection the explorer shows, and how it writes type references. */

export type TypeKind = 'SCALAR' | 'OBJECT' | 'INTERFACE' | 'UNION' | 'ENUM' | 'INPUT_OBJECT' | 'LIST' | 'NON_NULL';

export interface TypeRef {
  kind: TypeKind;
  name: string | null;
  ofType: TypeRef | null;
}

export interface TypeSummary {
  kind: TypeKind;
  name: string;
  description: string | null;
}

export interface InputValue {
  name: string;
  description: string | null;
  type: TypeRef;
  defaultValue: string | null;
}

export interface FieldInfo {
  name: string;
  description: string | null;
  args: InputValue[];
  type: TypeRef;
  isDeprecated: boolean;
  deprecationReason: string | null;
}

export interface TypeDetail extends TypeSummary {
  fields: FieldInfo[] | null;
  inputFields: InputValue[] | null;
  enumValues: { name: string; description: string | null; isDeprecated: boolean }[] | null;
  interfaces: { name: string }[] | null;
  possibleTypes: { name: string }[] | null;
}

export interface SchemaOverview {
  queryType: string;
  mutationType: string | null;
  subscriptionType: string | null;
  types: TypeSummary[];
}

/** Names and kinds only: one small query, whatever the size of the schema. */
export const SCHEMA_OVERVIEW_QUERY = graphql`
  query ExplorerSchema {
    __schema {
      queryType { name }
      mutationType { name }
      subscriptionType { name }
      types { kind name description }
    }
  }
`;

// Four wrappers cover every reference the schema writes ([Type!]! is three).
const TYPE_REF = 'kind name ofType { kind name ofType { kind name ofType { kind name } } }';
const INPUT_VALUE = `name description defaultValue type { ${TYPE_REF} }`;

/** One type in full, asked for when the reader opens it. */
export const TYPE_DETAIL_QUERY = graphql`
  query ExplorerType($name: String!) {
    __type(name: $name) {
      kind name description
      fields(includeDeprecated: true) { name description isDeprecated deprecationReason args { ${INPUT_VALUE} } type { ${TYPE_REF} } }
      inputFields { ${INPUT_VALUE} }
      enumValues(includeDeprecated: true) { name description isDeprecated }
      interfaces { name }
      possibleTypes { name }
    }
  }
`;

/** A type reference as SDL writes it: `[Email!]!`. */
export function typeLabel(ref: TypeRef): string {
  if (ref.kind === 'NON_NULL') return `${ref.ofType ? typeLabel(ref.ofType) : '?'}!`;
  if (ref.kind === 'LIST') return `[${ref.ofType ? typeLabel(ref.ofType) : '?'}]`;
  return ref.name ?? '?';
}

/** The named type at the bottom of a reference (what a link in the explorer opens). */
export function namedType(ref: TypeRef): string | null {
  return ref.ofType ? namedType(ref.ofType) : ref.name;
}

/** The schema's own types first (roots, then by name); GraphQL's introspection types (`__Type`…) last. */
export function orderTypes(overview: SchemaOverview): TypeSummary[] {
  const roots = [overview.queryType, overview.mutationType, overview.subscriptionType].filter((name): name is string => name !== null);
  const rank = (t: TypeSummary) => (roots.includes(t.name) ? roots.indexOf(t.name) : t.name.startsWith('__') ? 1000 : 100);
  return [...overview.types].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name));
}
