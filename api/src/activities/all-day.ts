import { badInput } from '../common/errors';

/**
 * An all-day appointment is kept as days, the same in every time zone (as an iCalendar DATE or a Graph all-day event):
 * it starts at 00:00 UTC of its first day and ends at 00:00 UTC of the day after its last. Invitations and Exchange
 * entries arrive in that form; people and integrations write it through the API. Times that are not such midnights
 * are refused rather than guessed at: a local midnight sent as UTC names a different day east and west of Greenwich.
 */
const DAY_MS = 86_400_000;

const isUtcMidnight = (instant: Date) => instant.getTime() % DAY_MS === 0;

/**
 * Refuses an all-day span that is not whole UTC days, naming the field to correct: the start's when the start is off,
 * else the end's (or, when both came from the stored appointment, the allDay switch that made them wrong).
 */
export function checkAllDaySpan(startAt: Date, endAt: Date, fields: { start: string; end: string }): void {
  if (!isUtcMidnight(startAt)) throw badInput(fields.start, 'an all-day appointment starts at 00:00 UTC of its first day', { reason: 'ALL_DAY_NOT_WHOLE_DAYS' });
  if (!isUtcMidnight(endAt) || endAt.getTime() <= startAt.getTime()) {
    throw badInput(fields.end, 'an all-day appointment ends at 00:00 UTC of the day after its last day', { reason: 'ALL_DAY_NOT_WHOLE_DAYS' });
  }
}
