import { ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { MaxLength } from '../common/validation';
import { ActivityFilterFields } from './activity-filter.inputs';
import { MAX_ICAL_UID_LENGTH, MAX_MESSAGE_ID_LENGTH, MAX_SEARCH_LENGTH } from './activity-search-rules';

// The decorators bound each field before the resolver runs; checkActivitySearchFilter then normalizes (and checks again for callers outside GraphQL).
@InputType({ description: 'Every field narrows the search; fields left out do not.' })
export class ActivitySearchFilterInput extends ActivityFilterFields {
  @Field(() => String, {
    nullable: true,
    description:
      `At most ${MAX_SEARCH_LENGTH} characters, matched anywhere, ignoring case and accents: in the subject, and where you see the ` +
      'activity whole also in its notes and the start of an email body (its preview). What is hidden from you never matches.',
  })
  @MaxLength(MAX_SEARCH_LENGTH)
  search?: string;

  @Field(() => ID, { nullable: true, description: 'Only email tracked from this mailbox, among those you see whole.' })
  @MaxLength(64)
  mailboxId?: string;

  @Field(() => String, { nullable: true, description: `The email with this Message-ID (with or without angle brackets; at most ${MAX_MESSAGE_ID_LENGTH} characters).` })
  @MaxLength(MAX_MESSAGE_ID_LENGTH)
  messageId?: string;

  @Field(() => String, { nullable: true, description: `The appointment with this iCalendar UID (at most ${MAX_ICAL_UID_LENGTH} characters).` })
  @MaxLength(MAX_ICAL_UID_LENGTH)
  icalUid?: string;
}

@ArgsType()
export class ActivitySearchArgs {
  @Field(() => ActivitySearchFilterInput, { nullable: true })
  @ValidateNested()
  filter?: ActivitySearchFilterInput;

  @Field(() => Int, { nullable: true, description: 'Page size: default 20, at most 100.' })
  first?: number;

  @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
  after?: string;
}
