import { Field, ID, Int, ObjectType } from 'type-graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn, IdColumn } from '../common/columns';
import { toGlobalId } from '../common/global-id';

/**
 * A message the sync engine could not turn into a tracked item (unparseable MIME, unknown forwarder…),
 * recorded with the cursor that skipped it, so the rest of the mailbox syncs and nothing vanishes silently.
 */
@ObjectType()
@Entity('quarantined_message')
@Index(['mailboxId', 'sourceRef'], { unique: true })
export class QuarantinedMessage {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Field(() => ID, { name: 'id' })
  get globalId(): string {
    return toGlobalId('QuarantinedMessage', this.id);
  }

  @IdColumn()
  mailboxId: string;

  @Field({ description: 'Where the message sits on the server: "imap:INBOX:<uidvalidity>:<uid>" or "pop3:<uidl>".' })
  @Column('varchar', { length: 400 })
  sourceRef: string;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 255, nullable: true })
  folder: string | null;

  @Field({ description: 'INVALID_MESSAGE, TOO_LARGE, FORWARDER_UNKNOWN, …' })
  @EnumColumn(48)
  code: string;

  @Field()
  @Column('varchar', { length: 2000 })
  reason: string;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 998, nullable: true })
  messageId: string | null;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 400, nullable: true })
  subject: string | null;

  @Field(() => String, { nullable: true })
  @Column('varchar', { length: 320, nullable: true })
  fromAddress: string | null;

  @Field(() => Int, { nullable: true, description: 'Bytes.' })
  @Column('int', { nullable: true })
  size: number | null;

  @Field()
  @DateTimeColumn()
  quarantinedAt: Date;
}
