import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { DateTimeColumn, EnumColumn, IdColumn } from '../common/columns';
import type { TaskPriority } from './activity-enums';

/**
 * An appointment's times and place; `icalUid` keys meeting invitations found in mail (RFC 5545 UID). A recurring
 * series is one appointment holding the series' UID (its rule in appointment_recurrence); each of its occurrences in
 * the expansion window is an appointment of its own without a UID, keyed by its series and original start.
 */
@Entity('appointment_detail')
@Index(['seriesId', 'originalStartAt'], { unique: true })
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

  /** The series (its appointment's id) this appointment is an occurrence of; null for singles and series. */
  @IdColumn({ nullable: true })
  seriesId: string | null;

  /** When the series' rule put this occurrence (RECURRENCE-ID): with seriesId, what identifies it. */
  @DateTimeColumn({ nullable: true })
  originalStartAt: Date | null;

  /** OCCURRENCE (as the rule says) or EXCEPTION (changed on its own); null for singles and series. */
  @EnumColumn(16, { nullable: true })
  instanceType: 'OCCURRENCE' | 'EXCEPTION' | null;
}

/** A recurring series' rule (Types.xsd RecurrenceType, Dynamics' RecurringAppointmentMaster pattern fields). */
@Entity('appointment_recurrence')
export class AppointmentRecurrence {
  @PrimaryColumn('varchar', { length: 36 })
  activityId: string;

  /** DAILY, WEEKLY, ABSOLUTE_MONTHLY, RELATIVE_MONTHLY, ABSOLUTE_YEARLY, RELATIVE_YEARLY. */
  @EnumColumn(24)
  pattern: string;

  @Column('int')
  interval: number;

  /** Weekdays, comma-separated (MONDAY,WEDNESDAY); empty for day-of-month patterns. */
  @Column('varchar', { length: 100, default: '' })
  daysOfWeek: string;

  @Column('int', { nullable: true })
  dayOfMonth: number | null;

  /** FIRST … FOURTH, LAST. */
  @EnumColumn(8, { nullable: true })
  weekIndex: string | null;

  @Column('int', { nullable: true })
  month: number | null;

  /** YYYY-MM-DD in the series' time zone. */
  @Column('varchar', { length: 10 })
  rangeStart: string;

  @Column('varchar', { length: 10, nullable: true })
  rangeEnd: string | null;

  @Column('int', { nullable: true })
  occurrenceCount: number | null;

  /** The Windows time zone id the series keeps its wall-clock time in. */
  @Column('varchar', { length: 64, nullable: true })
  timeZone: string | null;
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
