import { Field, ObjectType, registerEnumType, type ClassType } from 'type-graphql';
import type { SyncConflictColumns } from '../tracking/sync-conflict-columns';
import { SyncConflictRule, SyncSide } from '../tracking/sync-conflict-rule';
import { TaskPriority } from './activity-enums';

/** A task or appointment that keeps losing conflicts lists its latest ones; the rest stay stored. */
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

@ObjectType('SyncedAppointmentVersion', { description: 'An appointment as one side held it.' })
export class SyncedAppointmentVersion {
  @Field()
  subject: string;

  @Field()
  startAt: Date;

  @Field()
  endAt: Date;

  @Field()
  allDay: boolean;

  @Field(() => String, { nullable: true })
  location: string | null;

  @Field()
  cancelled: boolean;
}

/** One GraphQL type per kind of activity (and for contacts), alike but for the losing version's shape. */
export function settledConflictType<V extends object>(name: string, kind: string, version: ClassType<V>) {
  @ObjectType(name, { description: `${kind} changed in the CRM and in the owner's Exchange mailbox between two syncs: which version won, and the one that lost.` })
  class SettledConflict {
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

    @Field(() => version, { nullable: true, description: 'The version that lost; null when the losing side had deleted it.' })
    losingVersion: V | null;
  }
  return SettledConflict;
}

/** A stored conflict (an activity's or a contact's) as GraphQL shows it, with its losing version, as JSON, made by `version`. */
export function conflictView<T extends { losingVersion: unknown }>(view: T, row: SyncConflictColumns, version: (loser: Record<string, unknown>) => T['losingVersion']): T {
  const loser = JSON.parse(row.losingVersion) as Record<string, unknown> & { deleted?: boolean };
  return Object.assign(view, {
    occurredAt: row.occurredAt,
    rule: row.rule as SyncConflictRule,
    winner: row.winner as SyncSide,
    crmModifiedAt: row.crmModifiedAt,
    exchangeModifiedAt: row.exchangeModifiedAt,
    losingVersion: loser.deleted ? null : version(loser),
  });
}

export const SyncConflictView = settledConflictType('SyncConflict', 'A task', SyncedTaskVersion);
export type SyncConflictView = InstanceType<typeof SyncConflictView>;
export const AppointmentSyncConflictView = settledConflictType('AppointmentSyncConflict', 'An appointment', SyncedAppointmentVersion);
export type AppointmentSyncConflictView = InstanceType<typeof AppointmentSyncConflictView>;
