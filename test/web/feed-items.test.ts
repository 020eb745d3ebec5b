import { describe, expect, it } from 'vitest';
import { feedAfter, FEED_LIMIT, type FeedItem } from '../../web/src/live/feed-items';
import type { Activity } from '../../web/src/timeline/activity';
import type { ActivityEvent } from '../../web/src/timeline/activity-events';

// The Live page's list: one entry per activity, newest change first, bounded.

const task = (id: string, subject = `Task ${id}`) => ({ __typename: 'Task', id, kind: 'TASK', subject }) as unknown as Activity;
const event = (change: ActivityEvent['change'], id: string, subject?: string): ActivityEvent => ({
  cursor: `c-${id}-${change}`,
  change,
  activityId: id,
  kind: 'TASK',
  activity: change === 'REMOVED' ? null : task(id, subject),
  at: '2026-12-04T10:00:00.000Z',
});
const shown = (items: readonly FeedItem[]) => items.map((item) => `${item.change} ${item.activity.subject}`);

describe('feedAfter', () => {
  it('puts each change on top, moving an activity already listed rather than listing it twice', () => {
    let items: readonly FeedItem[] = [];
    for (const e of [event('CREATED', 'a'), event('CREATED', 'b'), event('UPDATED', 'a', 'Task a, done')]) items = feedAfter(items, e);
    expect(shown(items)).toEqual(['UPDATED Task a, done', 'CREATED Task b']);
  });

  it('takes out a REMOVED activity, and ignores one it never listed', () => {
    const items = feedAfter(feedAfter([], event('CREATED', 'a')), event('CREATED', 'b'));
    expect(shown(feedAfter(items, event('REMOVED', 'a')))).toEqual(['CREATED Task b']);
    expect(feedAfter(items, event('REMOVED', 'zz'))).toHaveLength(2);
  });

  it(`keeps at most ${FEED_LIMIT} activities, dropping the oldest`, () => {
    let items: readonly FeedItem[] = [];
    for (let i = 0; i < FEED_LIMIT + 5; i++) items = feedAfter(items, event('CREATED', String(i)));
    expect(items).toHaveLength(FEED_LIMIT);
    expect([items[0].activity.id, items.at(-1)!.activity.id]).toEqual([String(FEED_LIMIT + 4), '5']);
  });
});
