import { describe, expect, it } from 'vitest';
import { canonicalRrule, parseRrule, UnsupportedRecurrenceError } from './rrule.js';

describe('RRULE subset', () => {
  it.each([
    ['FREQ=WEEKLY;BYDAY=WE,MO;INTERVAL=1;UNTIL=20260629T215959Z', 'FREQ=WEEKLY;UNTIL=20260629T215959Z;BYDAY=MO,WE'],
    ['RRULE:freq=monthly;byday=2tu', 'FREQ=MONTHLY;BYDAY=TU;BYSETPOS=2'],
    ['FREQ=MONTHLY;BYDAY=-1FR', 'FREQ=MONTHLY;BYDAY=FR;BYSETPOS=-1'],
    ['FREQ=YEARLY;BYMONTH=12;BYMONTHDAY=24;COUNT=5', 'FREQ=YEARLY;COUNT=5;BYMONTHDAY=24;BYMONTH=12'],
    ['FREQ=WEEKLY;WKST=MO;BYDAY=FR', 'FREQ=WEEKLY;BYDAY=FR'],
    ['FREQ=WEEKLY;WKST=SU;BYDAY=FR', 'FREQ=WEEKLY;BYDAY=FR;WKST=SU'],
    ['FREQ=DAILY;UNTIL=20270107', 'FREQ=DAILY;UNTIL=20270107'],
  ])('writes %s as %s', (text, canonical) => {
    expect(canonicalRrule(text)).toBe(canonical);
    expect(canonicalRrule(canonical)).toBe(canonical);
  });

  it.each([
    ['', 'empty'],
    ['INTERVAL=2', 'no FREQ'],
    ['FREQ=SECONDLY', 'a frequency Exchange lacks'],
    ['FREQ=DAILY;COUNT=3;UNTIL=20270101', 'both COUNT and UNTIL (RFC 5545 3.3.10)'],
    ['FREQ=DAILY;COUNT=1000', 'more than 999 occurrences'],
    ['FREQ=DAILY;INTERVAL=0', 'interval 0'],
    ['FREQ=DAILY;INTERVAL=99999', 'a huge interval'],
    ['FREQ=MONTHLY;BYDAY=1MO,2TU', 'different ordinals'],
    ['FREQ=MONTHLY;BYSETPOS=2', 'BYSETPOS without BYDAY'],
    ['FREQ=DAILY;UNTIL=2027-01-07', 'a malformed UNTIL'],
    ['FREQ=DAILY;UNTIL=20270107T000000', 'a floating UNTIL'],
    ['FREQ=WEEKLY;BYDAY=XX', 'a made-up day'],
    ['FREQ=DAILY;FREQ=WEEKLY', 'a part twice'],
    ['FREQ=DAILY;X-NAME=1', 'an extension part'],
    ['FREQ=DAILY;' + 'BYDAY=MO,'.repeat(40), 'more than 300 characters'],
  ])('refuses %s (%s)', (text) => {
    expect(() => parseRrule(text)).toThrow(UnsupportedRecurrenceError);
  });
});
