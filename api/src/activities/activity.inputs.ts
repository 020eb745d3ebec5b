import { ArrayMaxSize, Max, Min } from 'class-validator';
import { Field, ID, InputType, Int } from 'type-graphql';
import { MaxLength, NotBlank } from '../common/validation';
import { Direction, TaskPriority } from './activity-enums';

/** Most people one phone call or appointment may list. */
export const MAX_ACTIVITY_PARTIES = 500;

// Decorated so subclasses inherit its fields; never used itself, so not in the schema.
@InputType()
export abstract class ManualActivityInput {
  @Field()
  @NotBlank()
  @MaxLength(400)
  subject: string;

  @Field(() => String, { nullable: true })
  @MaxLength(20000)
  description?: string | null;

  @Field(() => ID, { nullable: true, description: 'An account, contact, lead, opportunity or case.' })
  regardingId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Default: you.' })
  ownerId?: string | null;
}

@InputType({ description: 'A phone call that happened (Dynamics\' "log a call"); it is recorded as completed.' })
export class LogPhoneCallInput extends ManualActivityInput {
  @Field(() => Direction, { nullable: true, defaultValue: Direction.OUTGOING })
  direction?: Direction;

  @Field(() => String, { nullable: true, description: "A secured field (ACTIVITY.phoneNumber): giving it a value, null included, needs a role's field permission to update it (FORBIDDEN otherwise)." })
  @MaxLength(64)
  phoneNumber?: string | null;

  @Field(() => Int, { nullable: true, description: '0 to 1440.' })
  @Min(0)
  @Max(1440)
  durationMinutes?: number | null;

  @Field(() => Date, { nullable: true, description: 'When the call took place. Default: now.' })
  occurredAt?: Date | null;

  @Field(() => [ID], {
    nullable: true,
    description: 'Contacts, accounts, leads or users on the call: called (TO) for an outgoing call, calling (FROM) for an incoming one; you are the other side.',
  })
  @ArrayMaxSize(MAX_ACTIVITY_PARTIES)
  partyIds?: string[] | null;
}

@InputType()
export class CreateTaskInput extends ManualActivityInput {
  @Field(() => Date, { nullable: true })
  dueAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When work is to start; not after dueAt.' })
  scheduledStartAt?: Date | null;

  @Field(() => Int, { nullable: true, defaultValue: 0, description: 'How much is done, 0 to 100.' })
  @Min(0)
  @Max(100)
  percentComplete?: number | null;

  @Field(() => TaskPriority, { nullable: true, defaultValue: TaskPriority.NORMAL })
  priority?: TaskPriority;
}

const ALL_DAY_DESCRIPTION = 'An all-day appointment is kept as days, the same in every time zone: startAt is 00:00 UTC of its first day and endAt 00:00 UTC of the day after its last (ALL_DAY_NOT_WHOLE_DAYS otherwise).';

@InputType()
export class CreateAppointmentInput extends ManualActivityInput {
  @Field()
  startAt: Date;

  @Field({ description: 'Not before startAt.' })
  endAt: Date;

  @Field({ nullable: true, defaultValue: false, description: ALL_DAY_DESCRIPTION })
  allDay?: boolean;

  @Field(() => String, { nullable: true })
  @MaxLength(400)
  location?: string | null;

  @Field(() => [ID], { nullable: true, description: 'Contacts, leads, accounts or users who must attend; the owner is the organizer.' })
  @ArrayMaxSize(MAX_ACTIVITY_PARTIES)
  requiredAttendeeIds?: string[] | null;

  @Field(() => [ID], { nullable: true })
  @ArrayMaxSize(MAX_ACTIVITY_PARTIES)
  optionalAttendeeIds?: string[] | null;
}

// Decorated so subclasses inherit its fields; never used itself, so not in the schema.
@InputType()
export abstract class ActivityChangeInput {
  @Field(() => String, { nullable: true, description: 'Not null.' })
  @NotBlank()
  @MaxLength(400)
  subject?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(20000)
  description?: string | null;
}

@InputType({ description: 'Changes to a task: a field left out stays as it is; null clears the description, the due time and the start.' })
export class UpdateTaskInput extends ActivityChangeInput {
  @Field(() => Date, { nullable: true })
  dueAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'When work is to start, not after dueAt; null clears it.' })
  scheduledStartAt?: Date | null;

  @Field(() => Int, { nullable: true, description: 'How much is done, 0 to 100. Not null.' })
  @Min(0)
  @Max(100)
  percentComplete?: number | null;

  @Field(() => TaskPriority, { nullable: true, description: 'Not null.' })
  priority?: TaskPriority | null;
}

@InputType({ description: 'Changes to an appointment (moved, renamed, another place): a field left out stays as it is; null clears the description and the location.' })
export class UpdateAppointmentInput extends ActivityChangeInput {
  @Field(() => Date, { nullable: true, description: 'Not null.' })
  startAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Not null; not before the start.' })
  endAt?: Date | null;

  @Field(() => Boolean, { nullable: true, description: `Not null. ${ALL_DAY_DESCRIPTION}` })
  allDay?: boolean | null;

  @Field(() => String, { nullable: true })
  @MaxLength(400)
  location?: string | null;
}
