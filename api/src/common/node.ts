import { Field, ID, InterfaceType } from 'type-graphql';

/** Relay's Node: anything `node(id)` can fetch. Ids are global (they encode the type). */
const TYPE_OF_CLASS: Record<string, string> = { CrmCase: 'Case', AttachmentView: 'Attachment' };
const ACTIVITY_TYPE: Record<string, string> = { EMAIL: 'Email', APPOINTMENT: 'Appointment', TASK: 'Task', PHONE_CALL: 'PhoneCall' };

// Activities are one entity class for four GraphQL types: their kind decides.
const typeOf = (value: object): string =>
  value.constructor.name === 'Activity' ? ACTIVITY_TYPE[(value as { kind: string }).kind] : (TYPE_OF_CLASS[value.constructor.name] ?? value.constructor.name);

@InterfaceType('Node', { resolveType: typeOf })
export abstract class Node {
  @Field(() => ID, { name: 'id' })
  globalId: string;
}
