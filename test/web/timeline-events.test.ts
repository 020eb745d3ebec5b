import { describe, expect, it } from 'vitest';
import type { Activity } from '../../web/src/timeline/activity';
import { applyActivityEvent, matchesFilters, type ActivityEvent, type ActivityMatch } from '../../web/src/timeline/activity-events';

// How one live event changes the timeline shown: pure, so every case is a row here.

const ALL: ActivityMatch = { kinds: [], direction: null, search: '' };

function activity(id: string, occurredAt: string, extra: Partial<Activity> = {}): Activity {
  return {
    __typename: 'Task',
    id,
    kind: 'TASK',
    subject: `Task ${id}`,
    description: null,
    state: 'OPEN',
    direction: null,
    occurredAt,
    visibleAs: 'FULL',
    owner: null,
    regarding: null,
    parties: [],
    dueAt: null,
    priority: 'NORMAL',
    ...extra,
  } as Activity;
}

const event = (change: ActivityEvent['change'], item: Activity | null, id = item?.id ?? 'x'): ActivityEvent => ({
  cursor: `c-${id}-${change}`,
  change,
  activityId: id,
  kind: item?.kind ?? 'TASK',
  activity: item,
  at: '2026-12-04T10:00:00.000Z',
});

const rows = [activity('c', '2026-12-04T09:00:00Z'), activity('b', '2026-12-03T09:00:00Z'), activity('a', '2026-12-01T09:00:00Z')];
const ids = (list: readonly Activity[] | undefined) => list?.map((row) => row.id);

describe('applyActivityEvent', () => {
  it('puts a new activity in its place in timeline order and counts it', () => {
    const top = applyActivityEvent(rows, event('CREATED', activity('n', '2026-12-04T10:00:00Z')), ALL, false);
    expect([ids(top?.rows), top?.countDelta, top?.inserted]).toEqual([['n', 'c', 'b', 'a'], 1, 'n']);
    const middle = applyActivityEvent(rows, event('TRACKED', activity('m', '2026-12-02T09:00:00Z')), ALL, false);
    expect(ids(middle?.rows)).toEqual(['c', 'b', 'm', 'a']);
  });

  it('replaces a changed activity in place, without counting or highlighting it, and moves it when its time changed', () => {
    const done = applyActivityEvent(rows, event('UPDATED', activity('b', '2026-12-03T09:00:00Z', { state: 'COMPLETED' })), ALL, false);
    expect([ids(done?.rows), done?.rows[1].state, done?.countDelta, done?.inserted]).toEqual([['c', 'b', 'a'], 'COMPLETED', 0, null]);
    const moved = applyActivityEvent(rows, event('UPDATED', activity('a', '2026-12-05T09:00:00Z')), ALL, false);
    expect(ids(moved?.rows)).toEqual(['a', 'c', 'b']);
  });

  it('removes a REMOVED activity, and ignores one that is not shown', () => {
    const removed = applyActivityEvent(rows, event('REMOVED', null, 'b'), ALL, false);
    expect([ids(removed?.rows), removed?.countDelta]).toEqual([['c', 'a'], -1]);
    expect(applyActivityEvent(rows, event('REMOVED', null, 'zz'), ALL, false)).toBeNull();
  });

  it('inserts only what the active filters let through, and drops a shown activity that no longer matches', () => {
    const call = activity('p', '2026-12-04T10:00:00Z', { __typename: 'PhoneCall', kind: 'PHONE_CALL', direction: 'INCOMING' } as Partial<Activity>);
    expect(applyActivityEvent(rows, event('CREATED', call), { ...ALL, kinds: ['TASK'] }, false)).toBeNull();
    expect(applyActivityEvent(rows, event('CREATED', call), { ...ALL, direction: 'OUTGOING' }, false)).toBeNull();
    expect(ids(applyActivityEvent(rows, event('CREATED', call), { ...ALL, direction: 'INCOMING' }, false)?.rows)).toEqual(['p', 'c', 'b', 'a']);
    const renamed = applyActivityEvent(rows, event('UPDATED', activity('c', '2026-12-04T09:00:00Z', { subject: 'Something else' })), { ...ALL, search: 'task' }, false);
    expect([ids(renamed?.rows), renamed?.countDelta]).toEqual([['b', 'a'], -1]);
  });

  it('leaves an activity older than everything loaded to "Load more", counting it', () => {
    const old = applyActivityEvent(rows, event('CREATED', activity('o', '2026-11-01T09:00:00Z')), ALL, true);
    expect([ids(old?.rows), old?.countDelta, old?.inserted]).toEqual([['c', 'b', 'a'], 1, null]);
    expect(ids(applyActivityEvent(rows, event('CREATED', activity('o', '2026-11-01T09:00:00Z')), ALL, false)?.rows)).toEqual(['c', 'b', 'a', 'o']);
  });
});

describe('matchesFilters', () => {
  it('searches subjects ignoring case and accents, and never matches a hidden subject', () => {
    const item = activity('s', '2026-12-04T09:00:00Z', { subject: 'Offerte för Ängelholm' });
    expect(matchesFilters(item, { ...ALL, search: 'angelholm' })).toBe(true);
    expect(matchesFilters(item, { ...ALL, search: 'OFFERTE FOR' })).toBe(true);
    expect(matchesFilters(item, { ...ALL, search: 'invoice' })).toBe(false);
    expect(matchesFilters(activity('h', '2026-12-04T09:00:00Z', { subject: null }), { ...ALL, search: 'task' })).toBe(false);
  });
});
