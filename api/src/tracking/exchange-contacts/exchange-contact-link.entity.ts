import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeColumn } from '../../common/columns';

/**
 * A CRM contact paired with a contact in one mailbox's Exchange Contacts folder (marked "Tracked to CRM" in Outlook):
 * the Outlook contact's ItemId and the fingerprint of what it showed when the hub last took it in.
 */
@Entity('exchange_contact_link')
@Index(['mailboxId', 'itemId'], { unique: true })
export class ExchangeContactLink {
  @PrimaryColumn('varchar', { length: 36 })
  mailboxId: string;

  @PrimaryColumn('varchar', { length: 36 })
  contactId: string;

  @Column('varchar', { length: 512 })
  itemId: string;

  @Column('varchar', { length: 64 })
  fingerprint: string;

  @DateTimeColumn()
  updatedAt: Date;
}
