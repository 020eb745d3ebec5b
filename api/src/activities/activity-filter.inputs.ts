import { ArrayMaxSize } from 'class-validator';
import { Field, InputType } from 'type-graphql';
import { ActivityKind, Direction } from './activity-enums';

/** The filter fields every list of activities has (the timeline, the activity search); each list adds its own. */
// Decorated so subclasses inherit its fields; type-graphql 2 emits only reachable types, so it is not in the schema.
@InputType()
export abstract class ActivityFilterFields {
  @Field(() => [ActivityKind], { nullable: true, description: 'Only these kinds; an empty list matches nothing.' })
  @ArrayMaxSize(Object.keys(ActivityKind).length)
  kinds?: ActivityKind[];

  @Field(() => Direction, { nullable: true })
  direction?: Direction;

  @Field(() => Date, { nullable: true, description: 'Only activities that occurred at or after this time.' })
  from?: Date;

  @Field(() => Date, { nullable: true, description: 'Only activities that occurred before this time.' })
  to?: Date;
}
