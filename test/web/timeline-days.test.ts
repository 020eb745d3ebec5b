import { beforeAll, describe, expect, it } from 'vitest';
import { groupByDay } from '../../web/src/timeline/format';
import type { Activity } from '../../web/src/timeline/activity';

// Day headings of a timeline for a reader west of UTC: an all-day appointment is on its own day, the timed
// activities follow the reader's clock, and each day has one heading however they sort.

beforeAll(() => {
  process.env.TZ = 'America/New_York';
});

const item = (id: string, occurredAt: string, allDay = false) => ({ __typename: allDay ? 'Appointment' : 'Email', id, occurredAt, ...(allDay ? { allDay: true } : {}) }) as unknown as Activity;
const i18n = { formatDay: (date: Date) => date.toDateString() };

describe('timeline day headings west of UTC', () => {
  it('an all-day appointment between two timed activities of the evening before makes no second heading for that evening', () => {
    // Newest first, as the API sends them: 21:00 and 19:00 in New York on 19 May, and the all-day 20 May (00:00 UTC).
    const rows = [item('late', '2027-05-20T01:00:00.000Z'), item('fair', '2027-05-20T00:00:00.000Z', true), item('early', '2027-05-19T23:00:00.000Z')];
    const groups = groupByDay(rows, new Date('2027-06-01T12:00:00Z'), i18n);
    expect(groups.map((g) => [g.key, g.items.map((i) => i.id)])).toEqual([['2027-05-20', ['fair']], ['2027-05-19', ['late', 'early']]]);
    // Oldest first, the days run the other way.
    expect(groupByDay([...rows].reverse(), new Date('2027-06-01T12:00:00Z'), i18n).map((g) => g.key)).toEqual(['2027-05-19', '2027-05-20']);
  });
});
