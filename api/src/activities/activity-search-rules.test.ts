import { describe, expect, it } from 'vitest';
import { ApiError } from '../common/errors';
import { ActivityKind } from './activity-enums';
import { checkActivitySearchFilter, MAX_ICAL_UID_LENGTH, MAX_MESSAGE_ID_LENGTH, MAX_SEARCH_LENGTH } from './activity-search-rules';

function refusal(input: Parameters<typeof checkActivitySearchFilter>[0]): { code: unknown; field: unknown } {
  try {
    checkActivitySearchFilter(input);
  } catch (e) {
    expect(e).toBeInstanceOf(ApiError);
    return { code: (e as ApiError).extensions.code, field: (e as ApiError).extensions.field };
  }
  throw new Error('expected a refusal');
}

describe('checkActivitySearchFilter', () => {
  it.each([
    ['a search longer than the limit', { search: 'x'.repeat(MAX_SEARCH_LENGTH + 1) }, 'filter.search'],
    ['a search of astral characters over the limit', { search: '😀'.repeat(MAX_SEARCH_LENGTH + 1) }, 'filter.search'],
    ['50,000 characters of search', { search: 'a'.repeat(50_000) }, 'filter.search'],
    ['more kinds than there are', { kinds: Array(40_000).fill(ActivityKind.EMAIL) }, 'filter.kinds'],
    ['an overlong Message-ID', { messageId: `<${'m'.repeat(MAX_MESSAGE_ID_LENGTH)}@x>` }, 'filter.messageId'],
    ['a Message-ID of only brackets', { messageId: ' <> ' }, 'filter.messageId'],
    ['an overlong iCalendar UID', { icalUid: 'u'.repeat(MAX_ICAL_UID_LENGTH + 1) }, 'filter.icalUid'],
  ])('refuses %s, naming the field', (_label, input, field) => {
    expect(refusal(input)).toEqual({ code: 'BAD_USER_INPUT', field });
  });

  it('normalizes: bare Message-ID, trimmed texts, blanks dropped', () => {
    expect(checkActivitySearchFilter({ messageId: ' <abc@example.com> ', search: '  quote ', icalUid: '   ' })).toMatchObject({
      messageId: 'abc@example.com',
      search: 'quote',
      icalUid: undefined,
    });
    expect(checkActivitySearchFilter({ search: '😀'.repeat(MAX_SEARCH_LENGTH) }).search).toHaveLength(MAX_SEARCH_LENGTH * 2);
    expect(checkActivitySearchFilter(null)).toEqual({});
    expect(checkActivitySearchFilter({ kinds: [] }).kinds).toEqual([]);
  });
});
