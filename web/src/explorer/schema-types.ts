import { graphql } from '../graphql/graphql-tag';
import type { ExplorerTypeQuery } from '../graphql/operations.generated';
/** The parts of GraphQL introspection the explorer shows, and how it writes type references. */

export type TypeKind = 'SCALAR' | 'OBJECT' | 'INTERFACE' | 'UNION' | 'ENUM' | 'INPUT_OBJECT' | 'LIST' | 'NON_NULL';

export interface TypeRef {
  readonly kind: TypeKind;
  readonly name: string | null;
  /** Absent below the depth the query asks for (four wrappers: [[T!]!]! and the like). */
  readonly ofType?: TypeRef | null;
}

export interface TypeSummary {
  readonly kind: TypeKind;
  readonly name: string;
  readonly description: string | null;
}

export interface InputValue {
  readonly name: string;
  readonly description: string | null;
  readonly type: TypeRef;
  readonly defaultValue: string | null;
}

export interface FieldInfo {
  readonly name: string;
  readonly description: string | null;
  readonly args: readonly InputValue[];
  readonly type: TypeRef;
  readonly isDeprecated: boolean;
  readonly deprecationReason: string | null;
}

/** A type opened in the explorer. Introspection allows a nameless type; named types are all the explorer opens. */
export interface TypeDetail extends TypeSummary {
  readonly fields: readonly FieldInfo[] | null;
  readonly inputFields: readonly InputValue[] | null;
  readonly enumValues: readonly { readonly name: string; readonly description: string | null; readonly isDeprecated: boolean }[] | null;
  readonly interfaces: readonly { readonly name: string }[] | null;
  readonly possibleTypes: readonly { readonly name: string }[] | null;
}

export interface SchemaOverview {
  readonly queryType: string;
  readonly mutationType: string | null;
  readonly subscriptionType: string | null;
  readonly types: readonly TypeSummary[];
}

/** The named types of an introspection answer (introspection types every type's name as nullable). */
export function namedTypes<T extends { readonly name: string | null }>(types: readonly T[]): (T & { readonly name: string })[] {
  return types.flatMap((type) => (type.name === null ? [] : [{ ...type, name: type.name }]));
}

/** A type as the explorer shows it, from the ExplorerType answer for `name`. */
export function typeDetail(type: NonNullable<ExplorerTypeQuery['__type']>, name: string): TypeDetail {
  return {
    ...type,
    name: type.name ?? name,
    interfaces: type.interfaces && namedTypes(type.interfaces),
    possibleTypes: type.possibleTypes && namedTypes(type.possibleTypes),
  };
}

/** Names and kinds only: one small query, whatever the size of the schema. */
export const SCHEMA_OVERVIEW_QUERY = graphql('ExplorerSchema')`
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
export const TYPE_DETAIL_QUERY = graphql('ExplorerType')`
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
