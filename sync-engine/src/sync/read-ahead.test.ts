import { describe, expect, it } from 'vitest';
import { readAhead } from './read-ahead.js';

/** A source that records when each item is asked for and when it is closed, and can fail at an item. */
function recordingSource(count: number, failAt?: number) {
  const events: string[] = [];
  let busy = false;
  async function* items(): AsyncGenerator<number> {
    try {
      for (let i = 1; i <= count; i++) {
        if (busy) events.push('overlap');
        busy = true;
        events.push(`fetch ${i}`);
        await new Promise((resolve) => setTimeout(resolve, 1));
        busy = false;
        if (i === failAt) throw new Error(`item ${i} cannot be read`);
        yield i;
      }
    } finally {
      events.push('closed');
    }
  }
  return { events, items: items() };
}

describe('readAhead', () => {
  it('hands out every item in order and asks for the next while the consumer still works on the one in hand', async () => {
    const { events, items } = recordingSource(3);
    const seen: number[] = [];
    for await (const item of readAhead(items)) {
      events.push(`work ${item}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      events.push(`done ${item}`);
      seen.push(item);
    }
    expect(seen).toEqual([1, 2, 3]);
    // Each next item is fetched before the work on the one in hand ends; never two fetches at once.
    expect(events.indexOf('fetch 2')).toBeLessThan(events.indexOf('done 1'));
    expect(events.indexOf('fetch 3')).toBeLessThan(events.indexOf('done 2'));
    expect(events).not.toContain('overlap');
    expect(events.filter((event) => event === 'closed')).toHaveLength(1);
  });

  it('a failure of the item read ahead surfaces only after the items before it were handled', async () => {
    const { items } = recordingSource(3, 2);
    const seen: number[] = [];
    await expect(
      (async () => {
        for await (const item of readAhead(items)) {
          await new Promise((resolve) => setTimeout(resolve, 5)); // the read-ahead fails meanwhile
          seen.push(item);
        }
      })(),
    ).rejects.toThrow('item 2 cannot be read');
    expect(seen).toEqual([1]);
  });

  it('a consumer that stops early: the pending read finishes before the source is closed, and its failure is nobody\'s', async () => {
    const { events, items } = recordingSource(3, 2);
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    try {
      for await (const item of readAhead(items)) {
        expect(item).toBe(1);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(events).toEqual(['fetch 1', 'fetch 2', 'closed']);
    expect(unhandled).toEqual([]);
  });
});
