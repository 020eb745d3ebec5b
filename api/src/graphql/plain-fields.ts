import { isObjectType, type GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';

/**
 * type-graphql gives every field a resolver, even one that only reads a property: a closure that runs the field's
 * middlewares (none) around `root[name]`. For such fields this drops the resolver, so GraphQL reads the property
 * itself, and the compiled executor (graphql-jit) reads it inline instead of calling a function per field and row.
 * A field keeps its resolver when it has a field resolver, arguments, middlewares (field security: securedField),
 * roles, or a property name other than its GraphQL name (a getter such as `globalId` behind `id`). Only valid
 * while the schema is built without global middlewares or an auth checker (graphql/schema.ts).
 */
export function plainFields(schema: GraphQLSchema): GraphQLSchema {
  const storage = getMetadataStorage();
  const classOfType = new Map<string, Function>();
  const interfacesOf = new Map<Function, readonly Function[]>();
  for (const t of storage.objectTypes) {
    classOfType.set(t.name, t.target);
    interfacesOf.set(t.target, t.interfaceClasses ?? []);
  }
  for (const t of storage.interfaceTypes) interfacesOf.set(t.target, t.interfaceClasses ?? []);

  /** The class, its superclasses, and the interface classes they implement (and theirs): where its fields are declared. */
  const declaringClasses = (target: Function): Set<Function> => {
    const found = new Set<Function>();
    const visit = (cls: Function | null) => {
      for (let c = cls; c && c !== Function.prototype && !found.has(c); c = Object.getPrototypeOf(c) as Function | null) {
        found.add(c);
        for (const i of interfacesOf.get(c) ?? []) visit(i);
      }
    };
    visit(target);
    return found;
  };

  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    const target = classOfType.get(type.name);
    if (!target) continue;
    const classes = declaringClasses(target);
    for (const field of Object.values(type.getFields())) {
      if (!field.resolve || field.args.length > 0) continue;
      const declared = storage.fields.filter((f) => f.schemaName === field.name && classes.has(f.target));
      // A field resolver whose type is not known counts as one for this field: keeping a resolver is always safe.
      const byResolver = storage.fieldResolvers.some((r) => r.schemaName === field.name && (!r.getObjectType || classes.has(r.getObjectType() as Function)));
      const plain = declared.length > 0 && !byResolver && declared.every((f) => f.name === field.name && !f.middlewares?.length && !f.roles && !f.params?.length);
      if (plain) field.resolve = undefined;
    }
  }
  return schema;
}
