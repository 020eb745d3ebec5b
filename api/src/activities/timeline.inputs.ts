import { ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { MAX_SEARCH_LENGTH } from '../common/like';
import { MaxLength } from '../common/validation';
import { ActivityFilterFields } from './activity-filter.inputs';
import { MAX_RELATED_RECORDS } from './timeline.service';

@InputType({ description: 'Every field narrows the timeline; fields left out do not.' })
export class TimelineFilter extends ActivityFilterFields {
  @Field(() => String, { nullable: true, description: 'Matches the subject anywhere, ignoring case and accents; subjects hidden from you never match.' })
  @MaxLength(MAX_SEARCH_LENGTH)
  search?: string;
}

@ArgsType()
export class TimelineArgs {
  @Field(() => ID, { description: 'An Account, Contact, Lead, Opportunity or Case you may read.' })
  recordId: string;

  @Field(() => Int, { nullable: true, description: 'Page size: default 20, at most 100.' })
  first?: number;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string;

  @Field(() => TimelineFilter, { nullable: true })
  @ValidateNested()
  filter?: TimelineFilter;

  @Field(() => Boolean, {
    nullable: true,
    defaultValue: false,
    description:
      `Also show the activities of related records you may read: an account's contacts, opportunities and cases; ` +
      `a contact's opportunities and cases; an opportunity's customer contact. At most ${MAX_RELATED_RECORDS} related ` +
      'records are rolled up, the most recently changed first.',
  })
  includeRelated?: boolean | null;
}
