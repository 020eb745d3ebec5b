import { Field, ObjectType } from 'type-graphql';
import { User } from '../identity/user.entity';

@ObjectType({ description: 'What the caller may do with one record (the same checks the mutations make).' })
export class RecordAccess {
  @Field({ description: 'Change it (update…), by role depth or a share with write access.' })
  write: boolean;

  @Field({ description: 'deleteRecord.' })
  delete: boolean;

  @Field({ description: 'assignRecord: give it another owner.' })
  assign: boolean;

  @Field({ description: 'shareRecord and unshareRecord.' })
  share: boolean;

  @Field({ description: 'Set its lookups to other records (a contact’s account, a case’s customer).' })
  append: boolean;

  @Field({ description: 'Be the record other records’ lookups point to.' })
  appendTo: boolean;
}

/** The most shares a record lists (the oldest first); a record shared wider lists these. */
export const MAX_SHARES_LISTED = 500;

@ObjectType({ description: 'One person a record is shared with beyond their roles’ reach (Dynamics’ “who has access”).' })
export class RecordShareGrant {
  @Field(() => User, { nullable: true, description: 'Null when you may not read users.' })
  user: User | null;

  @Field({ description: 'They may also change the record.' })
  canWrite: boolean;

  @Field(() => User, { nullable: true, description: 'Who shared it; null when you may not read users.' })
  sharedBy: User | null;

  @Field()
  sharedAt: Date;
}
