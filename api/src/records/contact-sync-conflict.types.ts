import { Field, ObjectType } from 'type-graphql';
import { settledConflictType } from '../activities/sync-conflict.types';

// The account a version named (Outlook's Company) is not shown: the mailbox owner could read it, the reader may not.
@ObjectType('SyncedContactVersion', { description: 'A contact as one side held it: the fields the CRM and Outlook share, but the account.' })
export class SyncedContactVersion {
  @Field(() => String, { nullable: true })
  firstName: string | null;

  @Field(() => String, { nullable: true })
  lastName: string | null;

  @Field(() => String, { nullable: true })
  jobTitle: string | null;

  @Field(() => String, { nullable: true, description: 'A secured field (CONTACT.telephone): null without the permission to read it.' })
  telephone: string | null;

  @Field(() => String, { nullable: true, description: 'A secured field (CONTACT.mobilePhone): null without the permission to read it.' })
  mobilePhone: string | null;

  @Field(() => [String])
  emails: string[];
}

export const ContactSyncConflictView = settledConflictType('ContactSyncConflict', 'A contact', SyncedContactVersion);
export type ContactSyncConflictView = InstanceType<typeof ContactSyncConflictView>;
