import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InvalidCalendarError, parseCalendar } from './calendar.js';

/** A fixture as a mailer sends it: CRLF line ends (RFC 5545 3.1). */
const ics = (name: string): string => readFileSync(join(__dirname, 'fixtures', name), 'utf8').replace(/\r?\n/g, '\r\n');

const OUTLOOK_UID = '040000008200E00074C5B7101A82E00800000000A0F4C2A1E5A1DA01000000000000000010000000F3A8A1C0B2B4D34C9B0A2D4E5F6A7B8C';

/** A minimal calendar around one event's lines. */
const vevent = (lines: string[], calendarLines: string[] = ['METHOD:REQUEST']): string =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...calendarLines, 'BEGIN:VEVENT', 'UID:event-1@example.com', 'DTSTAMP:20260601T000000Z', ...lines, 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');

describe('parseCalendar: invitations as real clients send them', () => {
  it('reads an Outlook REQUEST with a Windows time zone and its VTIMEZONE', () => {
    expect(parseCalendar(ics('outlook-request.ics'))).toEqual({
      method: 'REQUEST',
      uid: OUTLOOK_UID,
      sequence: 0,
      summary: 'Q3 pricing review',
      location: 'Room 4.12 (Berlin)',
      description: "Hi Bob,\n\nLet's go through the Q3 price list before the renewal.\n\nAnna",
      // 10:00 in Berlin in June is CEST, UTC+2
      start: '2026-06-15T08:00:00.000Z',
      end: '2026-06-15T09:30:00.000Z',
      allDay: false,
      organizer: { address: 'anna.schmidt@contoso.com', name: 'Anna Schmidt' },
      attendees: [
        { address: 'bob.jones@fabrikam.com', name: 'Bob Jones', role: 'REQ-PARTICIPANT', partstat: 'NEEDS-ACTION' },
        { address: 'carol@fabrikam.com', name: 'carol@fabrikam.com', role: 'OPT-PARTICIPANT', partstat: 'NEEDS-ACTION' },
      ],
      status: 'CONFIRMED',
    });
  });

  it('reads an Outlook update (SEQUENCE 1) moved into winter time: same UID, new times', () => {
    const update = parseCalendar(ics('outlook-update.ics'))!;
    expect(update).toMatchObject({ method: 'REQUEST', uid: OUTLOOK_UID, sequence: 1 });
    // 14:00 in Berlin in November is CET, UTC+1
    expect([update.start, update.end]).toEqual(['2026-11-09T13:00:00.000Z', '2026-11-09T14:00:00.000Z']);
  });

  it('reads an Outlook CANCEL', () => {
    expect(parseCalendar(ics('outlook-cancel.ics'))).toMatchObject({
      method: 'CANCEL',
      uid: OUTLOOK_UID,
      sequence: 2,
      status: 'CANCELLED',
      summary: 'Canceled: Q3 pricing review',
      start: '2026-11-09T13:00:00.000Z',
    });
  });

  it("reads an attendee's REPLY: who answered and how", () => {
    const reply = parseCalendar(ics('outlook-reply.ics'))!;
    expect(reply).toMatchObject({ method: 'REPLY', uid: OUTLOOK_UID, organizer: null, status: null });
    expect(reply.attendees).toEqual([{ address: 'bob.jones@fabrikam.com', name: 'Bob Jones', role: 'REQ-PARTICIPANT', partstat: 'ACCEPTED' }]);
  });

  it('reads a Google Calendar invitation with an IANA zone during daylight saving time', () => {
    const google = parseCalendar(ics('google-request.ics'))!;
    expect(google).toMatchObject({
      method: 'REQUEST',
      uid: '5k3j2h1g0f9e8d7c6b5a4n3m2l@google.com',
      summary: 'Demo call: Contoso × Northwind',
      location: null, // "LOCATION:" with nothing after it
      // 14:00 in New York on 20 March 2026 is EDT (UTC-4; DST began 8 March)
      start: '2026-03-20T18:00:00.000Z',
      end: '2026-03-20T19:00:00.000Z',
      organizer: { address: 'dana.lee@gmail.com', name: 'Dana Lee' },
    });
    expect(google.description).toContain('Join with Google Meet: https://meet.google.com/abc-defg-hij');
    expect(google.attendees.map((a) => [a.address, a.partstat])).toEqual([
      ['dana.lee@gmail.com', 'ACCEPTED'],
      ['sales@contoso.com', 'NEEDS-ACTION'],
    ]);
  });

  it('reads an Apple all-day invitation: DATE values, quoted names, EMAIL beside a urn:uuid attendee', () => {
    const apple = parseCalendar(ics('apple-request.ics'))!;
    expect(apple).toMatchObject({
      method: 'REQUEST',
      uid: '8F3C2B1A-4D5E-6F70-8192-A3B4C5D6E7F8',
      allDay: true,
      start: '2026-07-02T00:00:00.000Z',
      end: '2026-07-04T00:00:00.000Z', // DTEND of a DATE event is exclusive: 2 and 3 July
      organizer: { address: 'elodie.martin@icloud.com', name: 'Élodie Martin' },
    });
    expect(apple.attendees).toEqual([
      { address: 'elodie.martin@icloud.com', name: 'Élodie Martin', role: 'CHAIR', partstat: 'ACCEPTED' },
      { address: 'frank.meyer@contoso.com', name: 'Frank Meyer', role: 'REQ-PARTICIPANT', partstat: 'NEEDS-ACTION' },
      { address: 'grace@icloud.com', name: 'Grace', role: 'OPT-PARTICIPANT', partstat: 'NEEDS-ACTION' },
    ]);
  });

  it('accepts bare LF line ends as well', () => {
    expect(parseCalendar(ics('outlook-request.ics').replace(/\r\n/g, '\n'))?.start).toBe('2026-06-15T08:00:00.000Z');
  });
});

describe('parseCalendar: times', () => {
  it.each([
    // [case, event lines, options, start, end]
    ['UTC', ['DTSTART:20260615T100000Z', 'DTEND:20260615T110000Z'], {}, '2026-06-15T10:00:00.000Z', '2026-06-15T11:00:00.000Z'],
    ['floating, read as UTC by default', ['DTSTART:20260615T100000', 'DTEND:20260615T110000'], {}, '2026-06-15T10:00:00.000Z', '2026-06-15T11:00:00.000Z'],
    [
      'floating, read in the zone the caller names',
      ['DTSTART:20260615T100000', 'DTEND:20260615T110000'],
      { floatingTimeZone: 'Europe/Paris' },
      '2026-06-15T08:00:00.000Z',
      '2026-06-15T09:00:00.000Z',
    ],
    ['an IANA TZID without its VTIMEZONE', ['DTSTART;TZID=Asia/Tokyo:20260615T100000', 'DTEND;TZID=Asia/Tokyo:20260615T110000'], {}, '2026-06-15T01:00:00.000Z', '2026-06-15T02:00:00.000Z'],
    [
      'a Windows TZID without its VTIMEZONE: floating',
      ['DTSTART;TZID=W. Europe Standard Time:20260615T100000'],
      {},
      '2026-06-15T10:00:00.000Z',
      '2026-06-15T10:00:00.000Z',
    ],
    ['DURATION instead of DTEND', ['DTSTART:20260615T100000Z', 'DURATION:PT1H30M'], {}, '2026-06-15T10:00:00.000Z', '2026-06-15T11:30:00.000Z'],
    ['no DTEND: ends when it starts (RFC 5545 3.6.1)', ['DTSTART:20260615T100000Z'], {}, '2026-06-15T10:00:00.000Z', '2026-06-15T10:00:00.000Z'],
    ['an all-day event without DTEND lasts one day', ['DTSTART;VALUE=DATE:20261231'], {}, '2026-12-31T00:00:00.000Z', '2027-01-01T00:00:00.000Z'],
    ['no DTSTART at all', ['SUMMARY:Someday'], {}, null, null],
    [
      'a wall time inside the spring-forward gap is read with the offset before it',
      ['DTSTART;TZID=Europe/Berlin:20260329T023000'],
      {},
      '2026-03-29T01:30:00.000Z',
      '2026-03-29T01:30:00.000Z',
    ],
  ])('%s', (_case, lines, options, start, end) => {
    const calendar = parseCalendar(vevent(lines), options)!;
    expect([calendar.start, calendar.end]).toEqual([start, end]);
  });

  /** A calendar whose event is in the time zone `tzid`, defined by the VTIMEZONE `lines`. */
  const zoned = (tzid: string, zoneLines: string[], eventLines: string[]): string =>
    [
      'BEGIN:VCALENDAR',
      'METHOD:REQUEST',
      'BEGIN:VTIMEZONE',
      `TZID:${tzid}`,
      ...zoneLines,
      'END:VTIMEZONE',
      'BEGIN:VEVENT',
      'UID:zoned@example.com',
      ...eventLines.map((l) => l.replace('TZ', `TZID=${tzid}`)),
      'END:VEVENT',
      'END:VCALENDAR',
      '',
    ].join('\r\n');

  // Outlook's definition for Sydney: daylight time from the first Sunday of October to the first of April.
  const sydney = [
    ...['BEGIN:STANDARD', 'DTSTART:16010101T030000', 'TZOFFSETFROM:+1100', 'TZOFFSETTO:+1000', 'RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=4', 'END:STANDARD'],
    ...['BEGIN:DAYLIGHT', 'DTSTART:16010101T020000', 'TZOFFSETFROM:+1000', 'TZOFFSETTO:+1100', 'RRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=10', 'END:DAYLIGHT'],
  ];

  it.each([
    ['in January (daylight time, UTC+11)', '20260115T090000', '2026-01-14T22:00:00.000Z'],
    ['in July (standard time, UTC+10)', '20260715T090000', '2026-07-14T23:00:00.000Z'],
    ['on the first of January', '20280101T090000', '2027-12-31T22:00:00.000Z'],
  ])('reads a southern-hemisphere Windows zone (AUS Eastern Standard Time) %s', (_case, local, utc) => {
    expect(parseCalendar(zoned('AUS Eastern Standard Time', sydney, [`DTSTART;TZ:${local}`]))?.start).toBe(utc);
  });

  it('uses the rule in force at the time, from a VTIMEZONE that lists the rules that ended too', () => {
    // Europe/Moscow: daylight time until 2011, then UTC+4 all year, then UTC+3 since October 2014.
    const moscow = [
      ...['BEGIN:DAYLIGHT', 'DTSTART:19930328T020000', 'TZOFFSETFROM:+0300', 'TZOFFSETTO:+0400', 'RRULE:FREQ=YEARLY;UNTIL=20100327T230000Z;BYDAY=-1SU;BYMONTH=3', 'END:DAYLIGHT'],
      ...['BEGIN:STANDARD', 'DTSTART:19961027T030000', 'TZOFFSETFROM:+0400', 'TZOFFSETTO:+0300', 'RRULE:FREQ=YEARLY;UNTIL=20101030T230000Z;BYDAY=-1SU;BYMONTH=10', 'END:STANDARD'],
      ...['BEGIN:STANDARD', 'DTSTART:20110327T020000', 'TZOFFSETFROM:+0300', 'TZOFFSETTO:+0400', 'END:STANDARD'],
      ...['BEGIN:STANDARD', 'DTSTART:20141026T020000', 'TZOFFSETFROM:+0400', 'TZOFFSETTO:+0300', 'END:STANDARD'],
    ];
    expect(parseCalendar(zoned('Europe/Moscow', moscow, ['DTSTART;TZ:20260115T120000']))?.start).toBe('2026-01-15T09:00:00.000Z');
    expect(parseCalendar(zoned('Europe/Moscow', moscow, ['DTSTART;TZ:20120115T120000']))?.start).toBe('2012-01-15T08:00:00.000Z');
    expect(parseCalendar(zoned('Europe/Moscow', moscow, ['DTSTART;TZ:20090715T120000']))?.start).toBe('2009-07-15T08:00:00.000Z');
    expect(parseCalendar(zoned('Europe/Moscow', moscow, ['DTSTART;TZ:20090115T120000']))?.start).toBe('2009-01-15T09:00:00.000Z');
  });

  it.each([
    ['repeats more often than yearly', ['BEGIN:STANDARD', 'DTSTART:00010101T000000', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0100', 'RRULE:FREQ=SECONDLY', 'END:STANDARD'], 'not yearly'],
    ['changes every day of the year', ['BEGIN:STANDARD', 'DTSTART:00010101T000000', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0100', 'RRULE:FREQ=YEARLY;BYYEARDAY=1,2,3', 'END:STANDARD'], 'too often'],
    ['counts to a million', ['BEGIN:STANDARD', 'DTSTART:00010101T000000', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0100', 'RRULE:FREQ=YEARLY;COUNT=1000000', 'END:STANDARD'], 'repeats 1000000 times'],
  ])('refuses, at once, a time zone rule that %s (it would keep the event loop busy)', (_case, zone, reason) => {
    const started = performance.now();
    expect(() => parseCalendar(zoned('Hostile', zone, ['DTSTART;TZ:20260615T100000']))).toThrow(reason);
    expect(performance.now() - started).toBeLessThan(100);
  });

  it('refuses dates outside 1900–2200', () => {
    expect(() => parseCalendar(vevent(['DTSTART:99991231T100000Z']))).toThrow(InvalidCalendarError);
    expect(() => parseCalendar(vevent(['DTSTART:18991231T100000Z']))).toThrow('outside 1900–2200');
  });

  it('marks DATE values all-day and DATE-TIME values not', () => {
    expect(parseCalendar(vevent(['DTSTART;VALUE=DATE:20260702']))?.allDay).toBe(true);
    expect(parseCalendar(vevent(['DTSTART:20260702T090000Z']))?.allDay).toBe(false);
  });

  it('keeps an all-day event as whole UTC days: DATE values, and Outlook\'s local midnights flagged X-MICROSOFT-CDO-ALLDAYEVENT', () => {
    const days = (lines: string[], calendarLines?: string[]) => {
      const event = parseCalendar(vevent(lines, calendarLines))!;
      return [event.start, event.end, event.allDay];
    };
    expect(days(['DTSTART;VALUE=DATE:20261205', 'DTEND;VALUE=DATE:20261207'])).toEqual(['2026-12-05T00:00:00.000Z', '2026-12-07T00:00:00.000Z', true]);
    // No DTEND: one day (RFC 5545 3.6.1); a DURATION of days counts them.
    expect(days(['DTSTART;VALUE=DATE:20261205'])).toEqual(['2026-12-05T00:00:00.000Z', '2026-12-06T00:00:00.000Z', true]);
    expect(days(['DTSTART;VALUE=DATE:20261205', 'DURATION:P3D'])).toEqual(['2026-12-05T00:00:00.000Z', '2026-12-08T00:00:00.000Z', true]);
    // Outlook in Stockholm: midnight to midnight in its zone, flagged all-day: the same days, not 23:00 UTC the day before.
    const stockholm = ['BEGIN:VTIMEZONE', 'TZID:W. Europe Standard Time', 'BEGIN:STANDARD', 'DTSTART:16010101T030000', 'TZOFFSETFROM:+0200', 'TZOFFSETTO:+0100', 'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10', 'END:STANDARD', 'BEGIN:DAYLIGHT', 'DTSTART:16010101T020000', 'TZOFFSETFROM:+0100', 'TZOFFSETTO:+0200', 'RRULE:FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3', 'END:DAYLIGHT', 'END:VTIMEZONE'];
    const flagged = ['DTSTART;TZID=W. Europe Standard Time:20261205T000000', 'DTEND;TZID=W. Europe Standard Time:20261206T000000', 'X-MICROSOFT-CDO-ALLDAYEVENT:TRUE'];
    expect(days(flagged, ['METHOD:REQUEST', ...stockholm])).toEqual(['2026-12-05T00:00:00.000Z', '2026-12-06T00:00:00.000Z', true]);
    // Without the flag, or flagged on times that are not midnights, it is a timed event in its zone.
    expect(days(flagged.slice(0, 2), ['METHOD:REQUEST', ...stockholm])).toEqual(['2026-12-04T23:00:00.000Z', '2026-12-05T23:00:00.000Z', false]);
    expect(days(['DTSTART;TZID=W. Europe Standard Time:20261205T090000', 'DTEND;TZID=W. Europe Standard Time:20261205T100000', 'X-MICROSOFT-CDO-ALLDAYEVENT:TRUE'], ['METHOD:REQUEST', ...stockholm])).toEqual(['2026-12-05T08:00:00.000Z', '2026-12-05T09:00:00.000Z', false]);
  });
});

describe('parseCalendar: what the object says and does not say', () => {
  it.each([
    ['METHOD in the object', ['METHOD:cancel'], null, 'CANCEL'],
    ['no METHOD: the Content-Type method parameter', [], 'REQUEST', 'REQUEST'],
    ['no METHOD anywhere: a published event', [], null, 'PUBLISH'],
  ])('%s', (_case, calendarLines, methodHint, method) => {
    expect(parseCalendar(vevent(['DTSTART:20260615T100000Z'], calendarLines), { methodHint })?.method).toBe(method);
  });

  it('defaults SEQUENCE to 0, ROLE to REQ-PARTICIPANT and PARTSTAT to NEEDS-ACTION (RFC 5545 3.2.16, 3.2.12)', () => {
    const calendar = parseCalendar(vevent(['DTSTART:20260615T100000Z', 'ATTENDEE:mailto:x@example.com', 'ORGANIZER:MAILTO:boss@example.com']))!;
    expect(calendar.sequence).toBe(0);
    expect(calendar.attendees).toEqual([{ address: 'x@example.com', name: null, role: 'REQ-PARTICIPANT', partstat: 'NEEDS-ACTION' }]);
    expect(calendar.organizer).toEqual({ address: 'boss@example.com', name: null });
  });

  it('skips attendees without an address (a resource known only by URN)', () => {
    const calendar = parseCalendar(vevent(['DTSTART:20260615T100000Z', 'ATTENDEE;CUTYPE=ROOM;CN=Room 1:urn:uuid:0d0a5b9e-0000-4000-8000-000000000001']))!;
    expect(calendar.attendees).toEqual([]);
  });

  it('takes the master event, not a RECURRENCE-ID override listed before it', () => {
    const text = [
      'BEGIN:VCALENDAR',
      'METHOD:REQUEST',
      'BEGIN:VEVENT',
      'UID:weekly@example.com',
      'RECURRENCE-ID:20260622T090000Z',
      'DTSTART:20260622T100000Z',
      'SUMMARY:Weekly (moved once)',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:weekly@example.com',
      'DTSTART:20260615T090000Z',
      'RRULE:FREQ=WEEKLY',
      'SUMMARY:Weekly',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    expect(parseCalendar(text)).toMatchObject({ summary: 'Weekly', start: '2026-06-15T09:00:00.000Z' });
  });

  it('returns null for an object without a VEVENT (a task)', () => {
    expect(parseCalendar('BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nBEGIN:VTODO\r\nUID:t1\r\nEND:VTODO\r\nEND:VCALENDAR\r\n')).toBeNull();
  });

  it.each([
    ['not iCalendar', 'hello, this is a plain note'],
    ['a component that never ends', 'BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:x\r\n'],
    ['no VCALENDAR', 'BEGIN:VCARD\r\nVERSION:4.0\r\nFN:X\r\nEND:VCARD\r\n'],
    ['an event without UID', vevent(['DTSTART:20260615T100000Z']).replace('UID:event-1@example.com\r\n', '')],
  ])('throws InvalidCalendarError for %s', (_case, text) => {
    expect(() => parseCalendar(text)).toThrow(InvalidCalendarError);
  });
});
