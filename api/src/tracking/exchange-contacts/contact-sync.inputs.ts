import { ArrayMaxSize, ValidateNested } from 'class-validator';
import { ArgsType, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { MailServerText } from '../../common/argument-guard';
import { MaxBytes, MaxLength } from '../../common/validation';
import { MAX_EXCHANGE_WRITES } from '../exchange-writes.inputs';

/** The most contacts (and deleted ids) one syncMailboxContacts call takes; the engine sends a SyncFolderItems page at a time. */
export const MAX_CONTACTS_PER_SYNC = 200;
/** The most contacts one claim hands out, and one report takes. */
export const MAX_CONTACT_WRITES = MAX_EXCHANGE_WRITES;

export enum ContactSyncOutcome {
  /** A new CRM contact, owned by the mailbox's owner. */
  CREATED = 'CREATED',
  /** Paired with a CRM contact that has one of its addresses and that the owner may change, which took its changes. */
  LINKED = 'LINKED',
  UPDATED = 'UPDATED',
  UNCHANGED = 'UNCHANGED',
  /** Changed on both sides and the CRM's change was later (or in the same second): the CRM's version is written over Outlook's. */
  CRM_VERSION_KEPT = 'CRM_VERSION_KEPT',
  /** Not marked with the Outlook category "Tracked to CRM": it stays in Outlook. */
  NOT_TRACKED = 'NOT_TRACKED',
  /** No name, display name, company or address to make a contact of. */
  INCOMPLETE = 'INCOMPLETE',
  /** The mailbox's owner may not create this contact, or no longer change the linked one: nothing was written. */
  NOT_ALLOWED = 'NOT_ALLOWED',
  /** Deleted in Outlook, its "Tracked to CRM" mark taken off, or its CRM contact deleted: the pair is undone and both copies that remain stay. */
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

  @Field({ description: 'The user gave it the Outlook category "Tracked to CRM": only such contacts enter the CRM; a paired one without it is unpaired.' })
  tracked: boolean;

  @Field(() => String, { nullable: true, description: 'Its ChangeKey: the version read, which a write from the CRM may overwrite.' })
  @MaxLength(512)
  changeKey?: string | null;

  @Field(() => Date, { nullable: true, description: 'LastModifiedTime: the later change wins when both sides changed; without it, the CRM\'s.' })
  lastModifiedAt?: Date | null;

  @Field(() => ID, { nullable: true, description: 'The CRM contact the hub wrote this Outlook contact from (its extended property), when it carries one: an engine that stopped before reporting a write finds its contact again here, not a new one.' })
  @MaxLength(100)
  crmContactId?: string | null;
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

export enum ContactWriteField {
  BUSINESS_PHONE = 'BUSINESS_PHONE',
  MOBILE_PHONE = 'MOBILE_PHONE',
  /** Outlook's Company is the user's own text, naming no CRM account: kept when the contact has no account to show. */
  COMPANY = 'COMPANY',
}
registerEnumType(ContactWriteField, { name: 'ContactWriteField', description: 'An Outlook contact field a ContactWrite may leave as Outlook has it.' });

@ObjectType('ContactWrite', { description: 'A CRM contact that the mailbox\'s Exchange Contacts folder does not show as it is: to create, to change in place, or to release.' })
export class ContactWrite {
  @Field(() => ID)
  contactId: string;

  @Field(() => String, { nullable: true, description: 'The Outlook contact written or paired before; null: create one, marked "Tracked to CRM" and carrying contactId.' })
  itemId: string | null;

  @Field(() => String, { nullable: true, description: 'The ChangeKey of the version the hub last saw: if Exchange holds a newer one, write nothing (the next read settles it).' })
  changeKey: string | null;

  @Field({ description: 'Release it: take the "Tracked to CRM" mark off the Outlook contact and change nothing else (deactivated or deleted in the CRM, or the owner may no longer read it). The contact stays in Outlook.' })
  release: boolean;

  @Field(() => String, { nullable: true })
  givenName: string | null;

  @Field(() => String, { nullable: true, description: 'The CRM\'s last name; null only on a release.' })
  surname: string | null;

  @Field(() => String, { nullable: true, description: 'First and last name, as Outlook lists it.' })
  displayName: string | null;

  @Field(() => String, { nullable: true })
  jobTitle: string | null;

  @Field(() => String, { nullable: true })
  businessPhone: string | null;

  @Field(() => String, { nullable: true })
  mobilePhone: string | null;

  @Field(() => [String], { description: 'EmailAddress1 to 3, in order; fewer clear the rest.' })
  emails: string[];

  @Field(() => String, { nullable: true, description: 'The name of the contact\'s account, as Outlook\'s Company; null: clear it, unless withheld names COMPANY.' })
  companyName: string | null;

  @Field(() => [ContactWriteField], { description: 'Fields the mailbox\'s owner may not read in the CRM (column security): leave them as Outlook has them.' })
  withheld: ContactWriteField[];

  @Field({ description: 'Give it back in reportContactWrites once written.' })
  fingerprint: string;
}

@InputType({ description: 'One contact the engine wrote to, or released in, the Exchange Contacts folder.' })
export class ContactWriteInput {
  @Field(() => ID)
  contactId: string;

  @Field(() => String, { nullable: true, description: 'The Outlook contact\'s ItemId; null when it was released, or is gone from Outlook (then it is kept out of it).' })
  @MaxLength(512)
  itemId?: string | null;

  @Field(() => String, { nullable: true, description: 'Its ChangeKey after the write.' })
  @MaxLength(512)
  changeKey?: string | null;

  @Field({ description: 'The fingerprint claimContactWrites gave.' })
  @MaxLength(64)
  fingerprint: string;

  @Field(() => String, { nullable: true, description: 'The company written, as claimContactWrites gave it; null when none was written (cleared, withheld, or released).' })
  @MaxLength(160)
  companyName?: string | null;
}

@ArgsType()
export class ReportContactWritesArgs {
  @Field(() => ID)
  mailboxId: string;

  @Field(() => ID)
  leaseId: string;

  @Field(() => [ContactWriteInput])
  @ArrayMaxSize(MAX_CONTACT_WRITES)
  @ValidateNested({ each: true })
  writes: ContactWriteInput[];
}
