import { Field, ID, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn, IdColumn } from '../common/columns';
import { toGlobalId } from '../common/global-id';
import { AlertSeverity } from './mail-enums';

/** One line of a mailbox's alert log (Dynamics' mailbox alerts): readable by administrators and the mailbox owner. */
@ObjectType()
@Entity('mailbox_alert')
@Index(['mailboxId', 'createdAt'])
export class MailboxAlert {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Field(() => ID, { name: 'id' })
  get globalId(): string {
    return toGlobalId('MailboxAlert', this.id);
  }

  @IdColumn()
  mailboxId: string;

  @Field(() => AlertSeverity)
  @EnumColumn(16)
  severity: AlertSeverity;

  @Field({ description: 'Stable code for filtering: AUTH_FAILED, TEMPORARY, MESSAGE_QUARANTINED, TEST_FAILED, …' })
  @EnumColumn(48)
  code: string;

  @Field()
  @Column('varchar', { length: 2000 })
  message: string;

  @Field()
  @DateTimeColumn()
  createdAt: Date;
}
