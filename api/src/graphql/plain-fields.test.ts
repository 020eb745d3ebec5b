import 'reflect-metadata';
import { graphql } from 'graphql';
import { buildSchemaSync, Field, FieldResolver, ID, ObjectType, Query, Resolver, Root, UseMiddleware, type MiddlewareFn } from 'type-graphql';
import { describe, expect, it } from 'vitest';
import { plainFields } from './plain-fields';

const hidden: MiddlewareFn = async () => 'hidden by a middleware';

@ObjectType('PlainFieldsProbe')
class Probe {
  @Field()
  name: string;

  @Field()
  @UseMiddleware(hidden)
  secret: string;

  @Field(() => ID, { name: 'id' })
  get globalId(): string {
    return `global:${this.rawId}`;
  }

  rawId: string;

  @Field()
  computed: string;
}

@Resolver(() => Probe)
class ProbeResolver {
  @Query(() => Probe)
  probe(): Probe {
    return Object.assign(new Probe(), { name: 'n', secret: 'the secret', rawId: '7', computed: 'raw property' });
  }

  @FieldResolver(() => String)
  computed(@Root() probe: Probe): string {
    return `resolved ${probe.name}`;
  }
}

describe('plainFields', () => {
  const schema = plainFields(buildSchemaSync({ resolvers: [ProbeResolver], validate: false }));
  const fields = schema.getType('PlainFieldsProbe')!.toConfig() as unknown as { fields: Record<string, { resolve?: unknown }> };

  it('drops the resolver of a field that only reads its property, and keeps every other', () => {
    expect(fields.fields.name.resolve).toBeUndefined();
    expect(fields.fields.secret.resolve).toBeDefined();
    expect(fields.fields.id.resolve).toBeDefined();
    expect(fields.fields.computed.resolve).toBeDefined();
  });

  it('answers as before: middlewares, getters under another name and field resolvers still run', async () => {
    const answer = await graphql({ schema, source: '{ probe { name secret id computed } }' });
    expect(answer).toEqual({ data: { probe: { name: 'n', secret: 'hidden by a middleware', id: 'global:7', computed: 'resolved n' } } });
  });
});
