import { Field, ID, InputType } from 'type-graphql';
import { PrivacyLevel } from '../activities/activity-enums';
import { MaxLength, NotBlank } from '../common/validation';
import { AutoCreateRecords, TrackingFilter } from './mail-enums';
import { MAX_TIME_ZONE } from './mailbox-time-zone';

@InputType({ description: 'Fields left out keep their value.' })
export class UpdateMailboxInput {
  @Field(() => TrackingFilter, { nullable: true })
  trackingFilter?: TrackingFilter;

  @Field(() => PrivacyLevel, { nullable: true, description: 'What others see of email tracked from this mailbox; applies to email already tracked too.' })
  privacyLevel?: PrivacyLevel;

  @Field(() => AutoCreateRecords, { nullable: true })
  autoCreateRecords?: AutoCreateRecords;

  @Field(() => String, {
    nullable: true,
    description: `The owner's IANA time zone (such as Europe/Stockholm), at most ${MAX_TIME_ZONE} characters; null clears it. Task days and all-day appointments are written to Exchange in it. The zone Exchange keeps for the mailbox, when the sync engine reads one, replaces it.`,
  })
  @MaxLength(MAX_TIME_ZONE)
  timeZone?: string | null;
}

@InputType()
export class FolderTrackingRuleInput {
  @Field({ description: 'The folder path as the mail server names it, e.g. "INBOX/Contoso".' })
  @NotBlank()
  @MaxLength(255)
  folder: string;

  @Field(() => ID, { nullable: true, description: 'The record mail in this folder is regarding; null tracks the folder without a regarding record.' })
  regardingId?: string | null;
}
