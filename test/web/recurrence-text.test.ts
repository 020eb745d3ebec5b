import { describe, expect, it } from 'vitest';
import { translator } from '../../web/src/shell/i18n/translator';
import { recurrenceText, type RecurrenceRule } from '../../web/src/timeline/recurrence-text';

const rule = (extra: Partial<RecurrenceRule>): RecurrenceRule => ({ pattern: 'WEEKLY', interval: 1, daysOfWeek: [], dayOfMonth: null, weekIndex: null, month: null, rangeEnd: null, count: null, ...extra });

describe('a recurring series read out', () => {
  it('in English', () => {
    const en = translator('en', 'en-GB');
    expect(recurrenceText(en, rule({ daysOfWeek: ['WEDNESDAY', 'MONDAY'], rangeEnd: '2027-03-31' }))).toBe('Repeats every week on Monday and Wednesday, until 31 March 2027');
    expect(recurrenceText(en, rule({ pattern: 'DAILY', interval: 2, count: 10 }))).toBe('Repeats every 2 days, 10 times');
    expect(recurrenceText(en, rule({ pattern: 'RELATIVE_MONTHLY', daysOfWeek: ['TUESDAY'], weekIndex: 'FIRST' }))).toBe('Repeats every month on the first Tuesday');
    expect(recurrenceText(en, rule({ pattern: 'ABSOLUTE_MONTHLY', interval: 3, dayOfMonth: 31 }))).toBe('Repeats every 3 months on day 31');
    expect(recurrenceText(en, rule({ pattern: 'ABSOLUTE_YEARLY', month: 6, dayOfMonth: 1, count: 1 }))).toBe('Repeats every year on 1 June, once');
    expect(recurrenceText(en, rule({ pattern: 'RELATIVE_YEARLY', month: 11, daysOfWeek: ['THURSDAY'], weekIndex: 'FOURTH' }))).toBe('Repeats every year on the fourth Thursday of November');
  });

  it('in Swedish', () => {
    const sv = translator('sv', 'sv-SE');
    expect(recurrenceText(sv, rule({ daysOfWeek: ['MONDAY', 'WEDNESDAY'], rangeEnd: '2027-03-31' }))).toBe('Upprepas varje vecka på måndag och onsdag, till och med 31 mars 2027');
    expect(recurrenceText(sv, rule({ pattern: 'DAILY', interval: 2, count: 10 }))).toBe('Upprepas var 2:e dag, 10 gånger');
  });
});
