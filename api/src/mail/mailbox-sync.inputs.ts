import { ArrayMaxSize } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int } from 'type-graphql';
import { MaxLength } from '../common/validation';
import { MailServerText } from '../common/argument-guard';
import { ChannelTestStatus } from './mail-enums';
import { SyncOutcome } from './sync-outcome-policy';

/** The most server messages one undecidedMessages call checks. */
export const MAX_RECONCILE_ITEMS = 1000;
/** The most server folders one reportMailboxFolders call stores, and the longest path (folder_tracking_rule.folder's length). */
export const MAX_SERVER_FOLDERS = 1000;
export const MAX_FOLDER_PATH = 255;

// The engine's words quote the mail server's replies (see MailServerText); they are repaired and cut to fit.
@MailServerText()
@InputType({ description: 'How a SYNC lease ended.' })
export class SyncReportInput {
  @Field(() => SyncOutcome)
  outcome: SyncOutcome;

  @Field(() => String, { nullable: true, description: 'The engine\'s error code: DNS, REFUSED, TLS, TIMEOUT, FOLDER_MISSING, …' })
  code?: string | null;

  @Field(() => String, { nullable: true, description: 'Why, in words: shown in the alert log and as the mailbox\'s state reason.' })
  message?: string | null;

  @Field(() => Int, { defaultValue: 0 })
  itemsProcessed: number;

  @Field(() => Date, { nullable: true, description: 'The resyncFrom value the engine finished re-reading; cleared only if it is still the mailbox\'s.' })
  resyncCompleted?: Date | null;

  @Field(() => Int, { nullable: true, description: 'Be due again after this many seconds (e.g. 0: more mail is waiting); default: the profile\'s poll interval. Used on SUCCESS only.' })
  nextSyncInSeconds?: number | null;
}

@MailServerText()
@InputType({ description: 'The result of testing one channel.' })
export class ChannelTestInput {
  @Field(() => ChannelTestStatus, { description: 'SUCCESS, WARNING, FAILURE, or NOT_RUN for a channel whose method is NONE.' })
  status: ChannelTestStatus;

  @Field(() => String, { nullable: true, description: 'AUTH_FAILED, DNS, REFUSED, TLS, TIMEOUT, FOLDER_MISSING, …' })
  code?: string | null;

  @Field(() => String, { nullable: true, description: 'Human-readable.' })
  reason?: string | null;
}

// Its Message-ID is as the server holds it (see MailServerText).
@MailServerText()
@InputType({ description: 'One message the server holds.' })
export class ServerMessageInput {
  @Field({ description: 'Where it is on the server, as in QuarantineInput.sourceRef.' })
  sourceRef: string;

  @Field(() => String, { nullable: true, description: 'Its Message-ID header, when it has one.' })
  messageId?: string | null;
}


/** reportMailboxFolders' arguments: bounded before the service sees them (it checks again for callers outside GraphQL). */
@ArgsType()
export class ReportMailboxFoldersArgs {
  @Field(() => ID)
  mailboxId: string;

  @Field(() => ID)
  leaseId: string;

  // Backstops the argument guard requires; the service names the item (`folders[3]`) for a path over MAX_FOLDER_PATH.
  @Field(() => [String])
  @ArrayMaxSize(MAX_SERVER_FOLDERS)
  @MaxLength(4 * MAX_FOLDER_PATH, { each: true })
  folders: string[];
}
