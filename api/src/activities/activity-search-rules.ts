import { badInput } from '../common/errors';
import { ActivityKind } from './activity-enums';
import type { ActivityFilterValues } from './activity-conditions';
import { bareMessageId } from './message-id';

export { MAX_SEARCH_LENGTH } from '../common/like';
import { MAX_SEARCH_LENGTH } from '../common/like';
/** RFC 5322 2.1.1: a header line is at most 998 characters, so no Message-ID is longer. */
export const MAX_MESSAGE_ID_LENGTH = 998;
/** appointment_detail.icalUid is a VARCHAR(255): a longer UID matches nothing stored. */
export const MAX_ICAL_UID_LENGTH = 255;
/** One entry per kind; a longer list can only repeat them. */
export const MAX_KINDS = Object.keys(ActivityKind).length;

/** The activity search's filter as the caller sent it (mailbox already a raw id). */
export interface ActivitySearchFilterInput extends ActivityFilterValues {
  readonly mailboxId?: string | null;
  readonly messageId?: string | null;
  readonly icalUid?: string | null;
}

/** The filter checked and normalized: Message-ID bare (no angle brackets), texts trimmed, blanks dropped. */
export interface ActivitySearchFilter extends ActivityFilterValues {
  readonly mailboxId?: string;
  readonly messageId?: string;
  readonly icalUid?: string;
}

const codePoints = (text: string) => [...text].length;

function boundedText(field: string, value: string | null | undefined, max: number): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (codePoints(value) > max) throw badInput(field, `must be at most ${max} characters`, { reason: 'TOO_LONG', max });
  const trimmed = value.trim();
  return trimmed.length > 0 ? trimmed : undefined;
}

/** Checks every field of the filter, naming the first bad one as `filter.<field>`. */
export function checkActivitySearchFilter(input: ActivitySearchFilterInput | null | undefined): ActivitySearchFilter {
  if (!input) return {};
  if (input.kinds && input.kinds.length > MAX_KINDS) throw badInput('filter.kinds', `must list at most ${MAX_KINDS} kinds`);
  const messageId = boundedText('filter.messageId', input.messageId, MAX_MESSAGE_ID_LENGTH);
  const bare = messageId === undefined ? undefined : bareMessageId(messageId);
  if (messageId !== undefined && !bare) throw badInput('filter.messageId', 'must contain a Message-ID, with or without angle brackets');
  return {
    kinds: input.kinds ?? undefined,
    direction: input.direction ?? undefined,
    from: input.from ?? undefined,
    to: input.to ?? undefined,
    search: boundedText('filter.search', input.search, MAX_SEARCH_LENGTH),
    mailboxId: input.mailboxId ?? undefined,
    messageId: bare,
    icalUid: boundedText('filter.icalUid', input.icalUid, MAX_ICAL_UID_LENGTH),
  };
}
