import { isInterfaceType, isUnionType, type GraphQLSchema, type GraphQLTypeResolver } from 'graphql';
import { getMetadataStorage } from 'type-graphql';

type UserTypeResolver = (value: unknown, context: unknown, info: unknown) => unknown;

/**
 * type-graphql wraps every `resolveType` of an interface or union in an async function, so the concrete type of
 * each value only arrives a promise later. graphql-js awaits it; the compiled executor (graphql-jit) needs the name
 * at once. Our resolveType functions decide from the value alone, so here each is called directly and a class it
 * returns is turned into its GraphQL name, as type-graphql would; one that answers with a promise keeps working on
 * graphql-js only.
 */
export function syncTypeResolvers(schema: GraphQLSchema): GraphQLSchema {
  const storage = getMetadataStorage();
  const nameOfClass = new Map<unknown, string>(storage.objectTypes.map((t) => [t.target, t.name]));
  const userResolvers = new Map<string, UserTypeResolver>();
  for (const t of storage.interfaceTypes) if (t.resolveType) userResolvers.set(t.name, t.resolveType as UserTypeResolver);
  for (const t of storage.unions) if (t.resolveType) userResolvers.set(t.name, t.resolveType as UserTypeResolver);

  const named = (resolved: unknown): string | undefined => (typeof resolved === 'string' ? resolved : resolved ? nameOfClass.get(resolved) : undefined);
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isInterfaceType(type) && !isUnionType(type)) continue;
    const user = userResolvers.get(type.name);
    if (!user) continue;
    const resolveType: GraphQLTypeResolver<unknown, unknown> = (value, context, info) => {
      const resolved = user(value, context, info);
      return resolved instanceof Promise ? resolved.then(named) : named(resolved);
    };
    type.resolveType = resolveType;
  }
  return schema;
}
