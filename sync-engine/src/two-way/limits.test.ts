import { describe, expect, it } from 'vitest';
import { assertSyncable, checkItem, InvalidSyncItemError } from './limits.js';
import type { SyncedItem } from './model.js';

const meeting: SyncedItem = {
  kind: 'APPOINTMENT',
  fields: {
    subject: 'Review',
    body: null,
    location: null,
    start: '2026-03-10T09:00:00.000Z',
    end: '2026-03-10T10:00:00.000Z',
    timeZone: 'Europe/Stockholm',
    allDay: false,
    organizer: { email: 'anna@example.se', name: null },
    requiredAttendees: [],
    optionalAttendees: [],
    recurrence: null,
    cancelled: false,
    icalUid: null,
  },
};

describe('item bounds', () => {
  it('accepts an item within them', () => {
    expect(checkItem(meeting)).toEqual([]);
    expect(assertSyncable(meeting)).toBe(meeting);
  });

  it('names every problem at once', () => {
    const bad: SyncedItem = {
      kind: 'APPOINTMENT',
      fields: {
        ...(meeting.fields as Extract<SyncedItem, { kind: 'APPOINTMENT' }>['fields']),
        subject: 's'.repeat(401),
        body: 'b'.repeat(20_001),
        start: 'Tuesday',
        timeZone: 'Nowhere/City',
        recurrence: { rrule: 'FREQ=SECONDLY', exdates: ['2026-03-17'], overrides: [] },
      },
    };
    const error = (() => {
      try {
        assertSyncable(bad);
      } catch (e) {
        return e as InvalidSyncItemError;
      }
      throw new Error('accepted');
    })();
    expect(error).toBeInstanceOf(InvalidSyncItemError);
    expect(error.code).toBe('INVALID_ITEM');
    expect(error.problems).toEqual([
      'subject is longer than 400 characters',
      'body is longer than 20000 characters',
      'start is not a UTC instant: Tuesday',
      'unknown time zone: Nowhere/City',
      'FREQ=SECONDLY cannot be synced to Exchange',
      'deleted occurrence 1 is not a UTC instant: 2026-03-17',
    ]);
  });

  it('refuses more changed occurrences than Exchange holds without reading each', () => {
    const many = Array.from({ length: 1000 }, () => '2026-03-17T08:00:00.000Z');
    const fields = { ...(meeting.fields as Extract<SyncedItem, { kind: 'APPOINTMENT' }>['fields']), recurrence: { rrule: 'FREQ=DAILY', exdates: many, overrides: [] } };
    expect(checkItem({ kind: 'APPOINTMENT', fields })).toEqual(['more than 999 changed occurrences']);
  });

  it('refuses a contact with four addresses or a malformed one', () => {
    const contact: SyncedItem = {
      kind: 'CONTACT',
      fields: { firstName: null, lastName: 'Ek', emails: ['a@x.se', 'b@x.se', 'c@x.se', 'not an address'], businessPhone: null, mobilePhone: null, company: null, jobTitle: null, businessAddress: null },
    };
    expect(checkItem(contact)).toEqual(['more than 3 email addresses', 'email 4 is not an email address: not an address']);
  });
});
