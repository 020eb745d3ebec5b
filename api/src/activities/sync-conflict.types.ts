import { Field, ObjectType, registerEnumType } from 'type-graphql';
import { SyncConflictRule, SyncSide } from '../tracking/exchange-tasks/task-conflict-rule';
import { TaskPriority } from './activity-enums';

/** A task that keeps losing conflicts lists its latest ones; the rest stay stored. */
export const MAX_SYNC_CONFLICTS_SHOWN = 20;

registerEnumType(SyncConflictRule, { name: 'SyncConflictRule', description: 'Why one version won when an activity changed in the CRM and in Exchange between two syncs.' });
registerEnumType(SyncSide, { name: 'SyncSide' });

@ObjectType('SyncedTaskVersion', { description: 'A task as one side held it.' })
export class SyncedTaskVersion {
  @Field()
  subject: string;

  @Field(() => String, { nullable: true })
  notes: string | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD.' })
  dueDay: string | null;

  @Field(() => TaskPriority)
  priority: TaskPriority;

  @Field()
  completed: boolean;
}

@ObjectType('SyncConflict', { description: 'An activity changed in the CRM and in the owner\'s Exchange mailbox between two syncs: which version won, and the one that lost.' })
export class SyncConflictView {
  @Field({ description: 'When the hub saw both changes.' })
  occurredAt: Date;

  @Field(() => SyncConflictRule)
  rule: SyncConflictRule;

  @Field(() => SyncSide)
  winner: SyncSide;

  @Field()
  crmModifiedAt: Date;

  @Field()
  exchangeModifiedAt: Date;

  @Field(() => SyncedTaskVersion, { nullable: true, description: 'The version that lost; null when the losing side had deleted it.' })
  losingVersion: SyncedTaskVersion | null;
}
