import { ArrayMaxSize, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { MailServerText } from '../../common/argument-guard';
import { MaxBytes, MaxLength } from '../../common/validation';

/** The most contacts (and deleted ids) one syncMailboxContacts call takes; the engine sends a SyncFolderItems page at a time. */
export const MAX_CONTACTS_PER_SYNC = 200;

export enum ContactSyncOutcome {
  /** A new CRM contact, owned by the mailbox's owner. */
  CREATED = 'CREATED',
  /** Paired with a CRM contact that has one of its addresses and that the owner may change, which took its changes. */
  LINKED = 'LINKED',
  UPDATED = 'UPDATED',
  UNCHANGED = 'UNCHANGED',
  /** Not marked with the Outlook category "Tracked to CRM": it stays in Outlook. */
  NOT_TRACKED = 'NOT_TRACKED',
  /** No name, display name, company or address to make a contact of. */
  INCOMPLETE = 'INCOMPLETE',
  /** The mailbox's owner may not create this contact, or no longer change the linked one: nothing was written. */
  NOT_ALLOWED = 'NOT_ALLOWED',
  /** Deleted in Outlook, or its CRM contact deleted: the pair is undone and both copies that remain stay. */
  UNLINKED = 'UNLINKED',
}
registerEnumType(ContactSyncOutcome, { name: 'ContactSyncOutcome' });

// Strings are repaired and cut to fit (contact-shape.ts), never refused: a contact with a broken name still syncs.
@MailServerText()
@InputType({ description: 'A contact from the mailbox\'s Exchange Contacts folder, as the sync engine read it.' })
export class ExchangeContactInput {
  @Field({ description: 'Its EWS ItemId.' })
  @MaxLength(512)
  itemId: string;

  @Field(() => String, { nullable: true })
  @MaxBytes(10_000)
  givenName?: string | null;

  @Field(() => String, { nullable: true })
  @MaxBytes(10_000)
  surname?: string | null;

  @Field(() => String, { nullable: true })
  @MaxBytes(10_000)
  displayName?: string | null;

  @Field(() => String, { nullable: true })
  @MaxBytes(10_000)
  companyName?: string | null;

  @Field(() => String, { nullable: true })
  @MaxBytes(10_000)
  jobTitle?: string | null;

  @Field(() => String, { nullable: true })
  @MaxBytes(10_000)
  businessPhone?: string | null;

  @Field(() => String, { nullable: true })
  @MaxBytes(10_000)
  mobilePhone?: string | null;

  @Field(() => [String], { defaultValue: [], description: 'EmailAddress1 to 3; an address that is not one (an Exchange-internal X.500 name) is left out.' })
  @ArrayMaxSize(3)
  @MaxBytes(10_000, { each: true })
  emails: string[];

  @Field({ description: 'The user gave it the Outlook category "Tracked to CRM": only such contacts enter the CRM.' })
  tracked: boolean;
}

@ArgsType()
export class SyncMailboxContactsArgs {
  @Field(() => ID)
  mailboxId: string;

  @Field(() => ID, { description: 'The lease from claimMailboxes: the contacts and the cursor commit only while it is the mailbox\'s.' })
  leaseId: string;

  @Field(() => [ExchangeContactInput], { description: `Contacts created or changed since the cursor, at most ${MAX_CONTACTS_PER_SYNC}.` })
  @ArrayMaxSize(MAX_CONTACTS_PER_SYNC)
  @ValidateNested({ each: true })
  contacts: ExchangeContactInput[];

  @Field(() => [String], { defaultValue: [], description: `ItemIds of contacts deleted since the cursor, at most ${MAX_CONTACTS_PER_SYNC}.` })
  @ArrayMaxSize(MAX_CONTACTS_PER_SYNC)
  @MaxLength(512, { each: true })
  deletedItemIds: string[];

  @Field(() => String, { nullable: true, description: 'The mailbox\'s new sync cursor, committed with the contacts; null leaves it unchanged. At most 65,535 bytes.' })
  @MaxBytes(65_535)
  cursor?: string | null;
}

@ObjectType('ContactSyncResult')
export class ContactSyncResult {
  @Field()
  itemId: string;

  @Field(() => ContactSyncOutcome)
  outcome: ContactSyncOutcome;

  @Field(() => ID, { nullable: true, description: 'The CRM contact it is paired with.' })
  contactId: string | null;
}
