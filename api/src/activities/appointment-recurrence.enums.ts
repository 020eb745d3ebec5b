import { registerEnumType } from 'type-graphql';

// The enumerations of a recurring series (Types.xsd RecurrenceType), shared by the sync input and the Appointment type.

export enum RecurrencePattern {
  DAILY = 'DAILY',
  WEEKLY = 'WEEKLY',
  ABSOLUTE_MONTHLY = 'ABSOLUTE_MONTHLY',
  RELATIVE_MONTHLY = 'RELATIVE_MONTHLY',
  ABSOLUTE_YEARLY = 'ABSOLUTE_YEARLY',
  RELATIVE_YEARLY = 'RELATIVE_YEARLY',
}
registerEnumType(RecurrencePattern, { name: 'RecurrencePattern', description: 'Types.xsd RecurrencePatternTypes: every N days, weeks on some weekdays, months on a day or a weekday, years on a date or a weekday.' });

export enum RecurrenceWeekday {
  SUNDAY = 'SUNDAY',
  MONDAY = 'MONDAY',
  TUESDAY = 'TUESDAY',
  WEDNESDAY = 'WEDNESDAY',
  THURSDAY = 'THURSDAY',
  FRIDAY = 'FRIDAY',
  SATURDAY = 'SATURDAY',
  DAY = 'DAY',
  WEEKDAY = 'WEEKDAY',
  WEEKEND_DAY = 'WEEKEND_DAY',
}
registerEnumType(RecurrenceWeekday, { name: 'RecurrenceWeekday', description: 'Types.xsd DayOfWeekType; DAY, WEEKDAY and WEEKEND_DAY in relative patterns only.' });

export enum RecurrenceWeekIndex {
  FIRST = 'FIRST',
  SECOND = 'SECOND',
  THIRD = 'THIRD',
  FOURTH = 'FOURTH',
  LAST = 'LAST',
}
registerEnumType(RecurrenceWeekIndex, { name: 'RecurrenceWeekIndex' });

export enum AppointmentInstanceType {
  OCCURRENCE = 'OCCURRENCE',
  EXCEPTION = 'EXCEPTION',
}
registerEnumType(AppointmentInstanceType, { name: 'AppointmentInstanceType', description: 'An occurrence of a recurring series as its rule puts it, or one changed on its own (an exception).' });
