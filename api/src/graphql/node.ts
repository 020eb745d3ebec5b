import { Field, ID, InterfaceType } from 'type-graphql';

/** Relay's Node: anything `node(id)` can fetch. Ids are global (they encode the type). */
@InterfaceType('Node', { resolveType: (value: object) => value.constructor.name === 'CrmCase' ? 'Case' : value.constructor.name })
export abstract class Node {
  @Field(() => ID, { name: 'id' })
  globalId: string;
}
