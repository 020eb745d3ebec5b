import { ArrayMaxSize, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, Int, registerEnumType } from 'type-graphql';
import { MaxLength } from '../common/validation';
import { MailServerText } from '../common/argument-guard';
import { SERVER_FOLDER_ID_LENGTH } from './folder-tracking-rule.entity';
import { ChannelTestStatus } from './mail-enums';
import { SyncOutcome } from './sync-outcome-policy';

/** The most server messages one undecidedMessages call checks. */
export const MAX_RECONCILE_ITEMS = 1000;
/** The most server folders one reportMailboxFolders call stores, and the longest path (folder_tracking_rule.folder's length). */
export const MAX_SERVER_FOLDERS = 1000;
export const MAX_FOLDER_PATH = 255;

/** The Exchange folders synchronized besides mail. */
export enum ActFolder {
  CALENDAR = 'CALENDAR',
  TASKS = 'TASKS',
  CONTACTS = 'CONTACTS',
}
registerEnumType(ActFolder, { name: 'ActFolder', description: 'An Exchange folder synchronized besides mail: the Calendar, Tasks or Contacts.' });

@MailServerText()
@InputType({ description: 'How one Calendar, Tasks or Contacts folder fared in a sync run.' })
export class ActFolderResultInput {
  @Field(() => ActFolder)
  folder: ActFolder;

  @Field(() => String, { nullable: true, description: 'Why it could not be synchronized, in words; null: it was.' })
  failure?: string | null;
}

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

  @Field(() => [ActFolderResultInput], { nullable: true, description: 'For a mailbox synchronizing appointments, contacts and tasks with Exchange: how each of those folders fared in this run (at most one entry per folder).' })
  @ArrayMaxSize(3)
  @ValidateNested({ each: true })
  actFolders?: ActFolderResultInput[] | null;
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


/** One folder as the server lists it, with the id that survives a rename (Exchange). */
@InputType({ description: 'One folder the server lists: its path, and its stable id where the server has one.' })
export class ServerFolderInput {
  @Field({ description: `The full path, at most ${MAX_FOLDER_PATH} characters ("Inbox/Contoso").` })
  @MaxLength(4 * MAX_FOLDER_PATH)
  path: string;

  @Field(() => String, { nullable: true, description: `The server's id of the folder, kept through renames and moves (Exchange FolderId); null where the server has none (IMAP). At most ${SERVER_FOLDER_ID_LENGTH} characters.` })
  @MaxLength(2 * SERVER_FOLDER_ID_LENGTH)
  folderId?: string | null;

  @Field({ defaultValue: false, description: 'The folder is below the Inbox.' })
  underInbox: boolean;
}

/** reportMailboxFolders' arguments: bounded before the service sees them (it checks again for callers outside GraphQL). */
@ArgsType()
export class ReportMailboxFoldersArgs {
  @Field(() => ID)
  mailboxId: string;

  @Field(() => ID)
  leaseId: string;

  // Backstops the argument guard requires; the service names the item (`folders[3]`) for a path over MAX_FOLDER_PATH.
  @Field(() => [String], { nullable: true, description: 'The paths, for servers without folder ids (IMAP). Give this or serverFolders.' })
  @ArrayMaxSize(MAX_SERVER_FOLDERS)
  @MaxLength(4 * MAX_FOLDER_PATH, { each: true })
  folders?: string[] | null;

  @Field(() => [ServerFolderInput], { nullable: true, description: 'The folders with their ids (Exchange): a folder tracking rule follows its folder through renames and moves. Give this or folders.' })
  @ArrayMaxSize(MAX_SERVER_FOLDERS)
  @ValidateNested({ each: true })
  serverFolders?: ServerFolderInput[] | null;
}
