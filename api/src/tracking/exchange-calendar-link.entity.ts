import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeColumn } from '../common/columns';

/**
 * An Appointment as one mailbox's Exchange Calendar holds it: the entry's ItemId, its ChangeKey, and what it showed when
 * the two last agreed (a fingerprint of subject, times, place, cancelled). An appointment whose fingerprint differs is written to
 * Exchange; one read from Exchange is recorded here, so it is not written back (no echo).
 */
@Entity('exchange_calendar_link')
// Every Calendar page looks its entries up by ItemId within the mailbox.
@Index(['mailboxId', 'itemId'])
export class ExchangeCalendarLink {
  @PrimaryColumn('varchar', { length: 36 })
  mailboxId: string;

  @PrimaryColumn('varchar', { length: 36 })
  activityId: string;

  /** Null once the entry was removed from the Calendar (the appointment was cancelled in the CRM). */
  @Column('varchar', { length: 512, nullable: true })
  itemId: string | null;

  @Column('varchar', { length: 64 })
  fingerprint: string;

  /** The entry's ChangeKey when the hub last read or wrote it: a change from the CRM is written over that version only. */
  @Column('varchar', { length: 512, nullable: true })
  changeKey: string | null;

  /**
   * Exchange says the mailbox organizes this meeting (MyResponseType Organizer: made in Outlook by its owner). Such a
   * meeting, series or occurrence is the owner's, as one made in the CRM is: changes in the CRM are written to the entry.
   */
  @Column('boolean', { default: false })
  organizedHere: boolean;

  /** The entry's invitations were sent (MeetingRequestWasSent): a change written from the CRM is sent to its attendees. */
  @Column('boolean', { default: false })
  invitationsSent: boolean;

  @DateTimeColumn()
  updatedAt: Date;
}
