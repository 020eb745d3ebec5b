import { ApiError, badInput } from '../common/errors';
import type { LiveEvent } from './live-event.entity';
import type { LiveEventLog } from './live-event-log';
import type { LiveTail } from './live-tail';

export interface LiveStreamOptions {
  /** The id of the last event the client saw (from its cursor), or null to start now. */
  readonly after: number | null;
  /** The argument that carried the cursor, for error messages. */
  readonly afterField: string;
  /** A cheap test on the event row; access is checked later, when the event is delivered. */
  readonly matches: (event: LiveEvent) => boolean;
  /** Events waiting for a slow client before it is cut off (it resumes from its cursor and loses nothing). */
  readonly maxQueued: number;
  readonly onOverflow: () => void;
}

const REPLAY_PAGE = 500;

/**
 * One subscription's events: those missed since `after`, read from the log in id order, then the
 * live ones, with no gap and no duplicate at the hand-over. The live listener is registered first
 * (at the tail's position P): the replay reads (after, P], the listener delivers everything after P.
 */
export async function openLiveStream(tail: LiveTail, log: LiveEventLog, options: LiveStreamOptions): Promise<AsyncIterableIterator<LiveEvent>> {
  if (options.after !== null) await checkCursor(log, options.after, options.afterField);
  const queue: LiveEvent[] = [];
  let waiting: ((r: IteratorResult<LiveEvent>) => void) | null = null;
  let done = false;
  let replaying = options.after !== null;
  const heldDuringReplay: LiveEvent[] = [];
  let last = 0;

  const push = (event: LiveEvent) => {
    const id = Number(event.id);
    if (done || id <= last || !options.matches(event)) return;
    last = id;
    if (waiting) {
      const w = waiting;
      waiting = null;
      w({ value: event, done: false });
      return;
    }
    queue.push(event);
    if (queue.length > options.maxQueued) {
      finish();
      options.onOverflow();
    }
  };

  const stopListening = tail.listen((event) => (replaying ? heldDuringReplay.push(event) : push(event)));
  const handedOut = tail.handedOut;
  last = options.after ?? handedOut;

  const finish = () => {
    if (done) return;
    done = true;
    stopListening();
    queue.length = 0;
    heldDuringReplay.length = 0;
    waiting?.({ value: undefined, done: true });
    waiting = null;
  };

  if (options.after !== null) {
    try {
      for (let from = options.after; from < handedOut && !done; ) {
        const page = await log.read(from, REPLAY_PAGE);
        for (const event of page) if (Number(event.id) <= handedOut) push(event);
        if (page.length < REPLAY_PAGE) break;
        from = Number(page[page.length - 1].id);
      }
    } catch (err) {
      finish();
      throw err;
    }
    replaying = false;
    for (const event of heldDuringReplay.splice(0)) push(event);
  }

  const iterator: AsyncIterableIterator<LiveEvent> = {
    next: () => {
      if (queue.length) return Promise.resolve({ value: queue.shift()!, done: false });
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve) => (waiting = resolve));
    },
    return: () => {
      finish();
      return Promise.resolve({ value: undefined, done: true });
    },
    throw: (err) => {
      finish();
      return Promise.reject(err);
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return iterator;
}

/** A cursor from before the retained events cannot be replayed (CURSOR_EXPIRED: refetch); one from the future was never given out. */
async function checkCursor(log: LiveEventLog, after: number, field: string): Promise<void> {
  const { prunedThrough, newest } = await log.replayable();
  if (after < prunedThrough) {
    throw new ApiError('CURSOR_EXPIRED', `${field}: the events after this cursor are no longer kept; load the page again, then subscribe without a cursor`, field);
  }
  if (after > newest) throw badInput(field, 'is not a cursor this api gave out; pass the cursor of the last event you received, or leave it out');
}
