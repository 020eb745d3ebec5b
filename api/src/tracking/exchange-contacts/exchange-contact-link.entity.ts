import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeColumn } from '../../common/columns';

/**
 * A CRM contact paired with a contact in one mailbox's Exchange Contacts folder (marked "Tracked to CRM" in Outlook,
 * or written there by the hub): the Outlook contact's ItemId and the fingerprint (contact-shape.ts) both sides had
 * when they last agreed. A side whose fingerprint differs from it has changed.
 */
@Entity('exchange_contact_link')
@Index(['mailboxId', 'itemId'], { unique: true })
export class ExchangeContactLink {
  @PrimaryColumn('varchar', { length: 36 })
  mailboxId: string;

  @PrimaryColumn('varchar', { length: 36 })
  contactId: string;

  /**
   * Null: kept out of this Outlook. The user deleted the contact or took its mark off there, or the hub released it
   * (deactivated in the CRM); the hub does not write it again, and marking an Outlook contact with its address pairs it anew.
   */
  @Column('varchar', { length: 512, nullable: true })
  itemId: string | null;

  @Column('varchar', { length: 64 })
  fingerprint: string;

  /**
   * The account's name that Outlook's Company showed when both last agreed; null: none (no company, or the user's own
   * text naming no account). A CRM contact whose account is removed clears the company in Outlook only where it was one.
   */
  @Column('varchar', { length: 160, nullable: true })
  company: string | null;

  /**
   * The hub wrote the contact to this Outlook because the mailbox's owner owned it (Dynamics' "My Contacts"), rather
   * than the user tracking it there: given to someone else, it is released from this Outlook, as Dynamics removes it.
   */
  @Column('boolean', { default: false })
  writtenForOwner: boolean;

  /** The Outlook contact's ChangeKey when the hub last read or wrote it: a write over a newer version is held back. */
  @Column('varchar', { length: 512, nullable: true })
  changeKey: string | null;

  @DateTimeColumn()
  updatedAt: Date;
}
