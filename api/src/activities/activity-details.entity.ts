import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn } from '../common/columns';
import type { TaskPriority } from './activity-enums';

/** An appointment's times and place; `icalUid` keys meeting invitations found in mail (RFC 5545 UID). */
@Entity('appointment_detail')
export class AppointmentDetail {
  @PrimaryColumn('varchar', { length: 36 })
  activityId: string;

  @DateTimeColumn()
  startAt: Date;

  @DateTimeColumn()
  endAt: Date;

  @Column('boolean', { default: false })
  allDay: boolean;

  @Column('varchar', { length: 400, nullable: true })
  location: string | null;

  @Index({ unique: true })
  @Column('varchar', { length: 255, nullable: true })
  icalUid: string | null;

  /** RFC 5545 SEQUENCE of the last invitation applied: an older or repeated one changes nothing. */
  @Column('int', { nullable: true })
  icalSequence: number | null;
}

@Entity('task_detail')
export class TaskDetail {
  @PrimaryColumn('varchar', { length: 36 })
  activityId: string;

  @DateTimeColumn({ nullable: true })
  dueAt: Date | null;

  /** When work is to start (Dynamics' scheduledstart, Outlook's start date). */
  @DateTimeColumn({ nullable: true })
  startAt: Date | null;

  /** 0 to 100 (Dynamics' percentcomplete, Outlook's % complete). */
  @Column('int', { default: 0 })
  percentComplete: number;

  @EnumColumn(16)
  priority: TaskPriority;
}

@Entity('phone_call_detail')
export class PhoneCallDetail {
  @PrimaryColumn('varchar', { length: 36 })
  activityId: string;

  @Column('varchar', { length: 64, nullable: true })
  phoneNumber: string | null;

  @Column('int', { nullable: true })
  durationMinutes: number | null;
}
