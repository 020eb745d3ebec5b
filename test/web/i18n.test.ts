import { describe, expect, it } from 'vitest';
import { GraphQLRequestError } from '../../web/src/graphql/graphql-client';
import { en } from '../../web/src/shell/i18n/en';
import { intlLocaleFor, pickLocale } from '../../web/src/shell/i18n/locale';
import { sv } from '../../web/src/shell/i18n/sv';
import { problemOf, translator } from '../../web/src/shell/i18n/translator';
import { toMutationError } from '../../web/src/shell/mutation-error';

// The catalogs and the formats the UI writes with: Swedish is really Swedish, counts take the right form, and the
// reader's language is chosen as documented.

/** Entries that read the same in both languages, on purpose. */
const SAME_IN_BOTH = new Set([
  'app.name', // the product's name
  'live.status.live.label', // "Live" is Swedish too
  'mailboxes.severity.INFORMATION', // "Information"
  'explorer.schema', // "Schema"
  'mailbox.decision', // "Outcome: reason", punctuation only
  'lists.summary', // a count and the kind's noun, which comes from lists.kind in the reader's language
  'lists.status', // "Status" (Dynamics 365 says Status in Swedish too)
  'records.columns.status', // "Status"
  'records.priority.NORMAL', // "Normal"
  'recordForm.fields.status', // "Status"
  'recordPeople.person', // "Person"
  'admin.navigation', // "Administration"
  'admin.title', // "Administration"
  'mailAdmin.settings.labels.tokenPrefix', // "Prefix"
  'mailAdmin.tls.STARTTLS', // the protocol's name
  'mailAdmin.tlsShort.STARTTLS',
  'mailAdmin.tlsShort.IMPLICIT', // "TLS"
  'mailAdmin.kind.EXCHANGE_EWS', // the product's name, "Exchange Server (EWS)"
  'mailAdmin.autodiscoverShort', // Microsoft's name for the feature, "Autodiscover"
  'mailAdmin.channelFailed', // "Incoming: reason", punctuation only
  'rolesAdmin.cell', // "Entity, privilege: depth", punctuation only
  'rolesAdmin.fieldCheckbox', // "Permission entity: field", punctuation only
]);

type Entry = [path: string, value: unknown];

function entries(value: unknown, path = ''): Entry[] {
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, child]) => entries(child, path ? `${path}.${key}` : key));
  }
  return [[path, value]];
}

/** What a message says for sample arguments: 2 for each parameter (a count, a name, a flag all take it). */
const said = (value: unknown): string => (typeof value === 'function' ? String(value(...Array.from({ length: value.length }, () => 2))) : String(value));

describe('the Swedish catalog', () => {
  const english = new Map(entries(en));
  const swedish = new Map(entries(sv));

  it('has exactly the English keys, each a string or a function of the same arity', () => {
    expect([...swedish.keys()].sort()).toEqual([...english.keys()].sort());
    for (const [path, value] of english) {
      const other = swedish.get(path);
      expect(typeof other, path).toBe(typeof value);
      if (typeof value === 'function') expect((other as (...args: unknown[]) => unknown).length, path).toBe(value.length);
    }
  });

  it('says something different from English everywhere but the short allow-list', () => {
    const same = [...english].filter(([path, value]) => said(value) === said(swedish.get(path))).map(([path]) => path);
    expect(same.sort()).toEqual([...SAME_IN_BOTH].sort());
  });

  it('leaves no entry empty', () => {
    for (const [path, value] of swedish) expect(said(value).trim(), path).not.toBe('');
  });
});

describe('plural forms', () => {
  const forms = (fn: (n: number) => string) => [0, 1, 2].map(fn);

  it('English: 0 and 2 take the plural, 1 the singular', () => {
    expect(forms((n) => en.lists.summary(n, n, 'account', 'accounts'))).toEqual(['0 accounts', '1 account', '2 accounts']);
    expect(forms((n) => en.timeline.count(n, false))).toEqual(['0 activities', '1 activity', '2 activities']);
    expect(forms((n) => en.timeline.count(n, true))).toEqual(['0 activities match', '1 activity matches', '2 activities match']);
    expect(forms(en.activity.attachments)).toEqual(['0 attachments', '1 attachment', '2 attachments']);
    expect(forms(en.email.repairs)).toEqual(['Repaired on arrival: 0 repairs', 'Repaired on arrival: 1 repair', 'Repaired on arrival: 2 repairs']);
    expect(forms(en.email.blockedImages)).toEqual([
      '0 remote images blocked to protect your privacy',
      '1 remote image blocked to protect your privacy',
      '2 remote images blocked to protect your privacy',
    ]);
    expect(forms(en.live.kept)).toEqual(['Showing the last 0 activities.', 'Showing the last activity.', 'Showing the last 2 activities.']);
    expect(forms((n) => en.mailboxes.summary(n, n))).toEqual(['0 mailboxes', '1 mailbox · 1 needs attention', '2 mailboxes · 2 need attention']);
    expect(forms(en.mailbox.items)).toEqual(['0 items', '1 item', '2 items']);
    expect(forms(en.records.emails)).toEqual(['Emails', 'Email', 'Emails']);
    expect(forms(en.format.bytes)).toEqual(['0 bytes', '1 byte', '2 bytes']);
    expect(forms(en.timeline.newAboveLabel)).toEqual(['0 new activities above. Show them.', '1 new activity above. Show it.', '2 new activities above. Show them.']);
  });

  it('Swedish: 0 and 2 take the plural, 1 the singular', () => {
    expect(forms((n) => sv.lists.summary(n, n, 'konto', 'konton'))).toEqual(['0 konton', '1 konto', '2 konton']);
    expect(forms((n) => sv.timeline.count(n, false))).toEqual(['0 aktiviteter', '1 aktivitet', '2 aktiviteter']);
    expect(forms((n) => sv.timeline.count(n, true))).toEqual(['0 aktiviteter matchar', '1 aktivitet matchar', '2 aktiviteter matchar']);
    expect(forms(sv.activity.attachments)).toEqual(['0 bifogade filer', '1 bifogad fil', '2 bifogade filer']);
    expect(forms(sv.email.repairs)).toEqual(['Reparerat vid ankomst: 0 reparationer', 'Reparerat vid ankomst: 1 reparation', 'Reparerat vid ankomst: 2 reparationer']);
    expect(forms(sv.email.blockedImages)).toEqual([
      '0 fjärrbilder blockerades för att skydda din integritet',
      '1 fjärrbild blockerades för att skydda din integritet',
      '2 fjärrbilder blockerades för att skydda din integritet',
    ]);
    expect(forms(sv.live.kept)).toEqual(['Visar de 0 senaste aktiviteterna.', 'Visar den senaste aktiviteten.', 'Visar de 2 senaste aktiviteterna.']);
    expect(forms((n) => sv.mailboxes.summary(n, n))).toEqual(['0 postlådor', '1 postlåda · 1 behöver åtgärdas', '2 postlådor · 2 behöver åtgärdas']);
    expect(forms(sv.records.emails)).toEqual(['E-postadresser', 'E-postadress', 'E-postadresser']);
    expect(forms(sv.timeline.newAboveLabel)).toEqual(['0 nya aktiviteter ovanför. Visa dem.', '1 ny aktivitet ovanför. Visa den.', '2 nya aktiviteter ovanför. Visa dem.']);
    expect(forms(sv.timeline.newAbove)).toEqual(['0 nya', '1 ny', '2 nya']);
  });

  it('writes counts with the language’s digit grouping', () => {
    expect(en.lists.summary(25, 1234, 'account', 'accounts')).toBe('Showing 25 of 1,234 accounts');
    expect(sv.lists.summary(25, 1234, 'konto', 'konton')).toBe('Visar 25 av 1\u00a0234 konton');
  });
});

describe('the reader’s language', () => {
  it('is the saved choice first', () => {
    expect(pickLocale('sv', ['en-US'])).toBe('sv');
    expect(pickLocale('en', ['sv-SE', 'sv'])).toBe('en');
  });

  it('else the first of the browser’s languages the UI is written in, else English', () => {
    expect(pickLocale(null, ['sv-SE', 'en-US'])).toBe('sv');
    expect(pickLocale(null, ['de-DE', 'sv-FI', 'en'])).toBe('sv');
    expect(pickLocale(null, ['en-GB', 'sv'])).toBe('en');
    expect(pickLocale(null, ['de-DE', 'fr'])).toBe('en');
    expect(pickLocale(null, [])).toBe('en');
  });

  it('ignores a saved value that is not a language of the UI', () => {
    expect(pickLocale('de', ['sv-SE'])).toBe('sv');
    expect(pickLocale('<script>', [])).toBe('en');
  });

  it('writes dates for the reader’s own variant of the language, else the usual one', () => {
    expect(intlLocaleFor('en', ['en-GB', 'sv'])).toBe('en-GB');
    expect(intlLocaleFor('sv', ['en-GB', 'sv-FI'])).toBe('sv-FI');
    expect(intlLocaleFor('sv', ['en-US'])).toBe('sv-SE');
    expect(intlLocaleFor('en', ['sv-SE'])).toBe('en-US');
  });
});

describe('formats', () => {
  const english = translator('en', 'en-US');
  const swedish = translator('sv', 'sv-SE');
  const now = Date.parse('2026-12-04T12:00:00Z');
  const before = (seconds: number) => new Date(now - seconds * 1000).toISOString();

  it('writes relative times with Intl in the chosen language', () => {
    expect(english.formatRelative(before(120), now)).toBe('2 minutes ago');
    expect(swedish.formatRelative(before(120), now)).toBe('för 2 minuter sedan');
    expect(english.formatRelative(before(3 * 3600), now)).toBe('3 hours ago');
    expect(swedish.formatRelative(before(3 * 3600), now)).toBe('för 3 timmar sedan');
    expect(english.formatRelative(before(10), now)).toBe('just now');
    expect(swedish.formatRelative(before(10), now)).toBe('just nu');
    // A server clock a little ahead: what is known to have happened is never "in a moment".
    expect(swedish.formatRelative(before(-20), now, { past: true })).toBe('just nu');
    expect(swedish.formatRelative(before(-20), now)).toBe('om en stund');
    expect(english.formatRelative(null, now)).toBe('Never');
    expect(swedish.formatRelative(null, now)).toBe('Aldrig');
  });

  it('labels days relative to today, with a capital for headings', () => {
    const today = new Date(2026, 11, 4, 15, 0);
    expect(english.formatDay(new Date(2026, 11, 4, 9, 0), today)).toBe('Today');
    expect(english.formatDay(new Date(2026, 11, 3, 9, 0), today)).toBe('Yesterday');
    expect(swedish.formatDay(new Date(2026, 11, 4, 9, 0), today)).toBe('I dag');
    expect(swedish.formatDay(new Date(2026, 11, 3, 9, 0), today)).toBe('I går');
    expect(swedish.formatDay(new Date(2026, 11, 1, 9, 0), today)).toBe('tisdag 1 december');
    expect(english.formatDay(new Date(2025, 11, 1, 9, 0), today)).toBe('Monday, December 1, 2025');
  });

  it('writes numbers, sizes and durations the language’s way', () => {
    expect(english.formatNumber(1234)).toBe('1,234');
    expect(swedish.formatNumber(1234)).toBe('1\u00a0234');
    expect(english.formatFileSize(2.3 * 1024 * 1024)).toBe('2.3 MB');
    expect(swedish.formatFileSize(2.3 * 1024 * 1024)).toBe('2,3 MB');
    expect(english.formatFileSize(820)).toBe('820 bytes');
    expect(swedish.formatFileSize(820)).toBe('820 byte');
    expect(english.formatDuration(65)).toBe('1 h 5 min');
    expect(swedish.formatDuration(65)).toBe('1 tim 5 min');
    expect(swedish.formatDuration(120)).toBe('2 tim');
    expect(swedish.formatDate(new Date(2026, 11, 4, 14, 5), 'time')).toBe('14:05');
    expect(english.formatDate(new Date(2026, 11, 4, 14, 5), 'time')).toBe('2:05 PM');
    // Past midnight a 24-hour clock keeps two digits ("00:05", not ICU's "0:05"); a 12-hour clock does not pad.
    expect(swedish.formatDate(new Date(2026, 11, 4, 0, 5), 'time')).toBe('00:05');
    expect(swedish.formatDate(new Date(2026, 11, 4, 9, 5), 'dayAndTime')).toMatch(/^4 dec\.? 09:05$/);
    expect(english.formatDate(new Date(2026, 11, 4, 0, 5), 'time')).toBe('12:05 AM');
  });

  it('translates known error codes and keeps the API’s words for the rest', () => {
    const refused = problemOf(new GraphQLRequestError('you may not change this mailbox', 'FORBIDDEN'));
    expect(swedish.problem(refused)).toBe(sv.errors.FORBIDDEN);
    expect(english.problem(refused)).toBe(en.errors.FORBIDDEN);
    for (const code of ['UNAUTHENTICATED', 'NOT_FOUND', 'NETWORK', 'RATE_LIMITED'] as const) {
      expect(swedish.problem({ code, message: 'anything' })).toBe(sv.errors[code]);
    }
    // A refused input says what was wrong with it, in the API's words.
    expect(swedish.problem({ code: 'BAD_USER_INPUT', message: 'Must be a date in the past' })).toBe('Must be a date in the past');
    // A failure in the page itself: the catalog's sentence around the browser's words.
    expect(swedish.problem(problemOf(new TypeError('x is undefined')))).toBe('Något gick fel på sidan: x is undefined');
  });

  it('writes a refused input’s sentence from the API’s reason, in the reader’s language, and keeps the API’s words for reasons it does not know', () => {
    const swedish = translator('sv', 'sv-SE');
    const english = translator('en', 'en-US');
    const tooLong = problemOf(new GraphQLRequestError('input.lastName: must be at most 100 characters', 'BAD_USER_INPUT', 'input.lastName', null, { reason: 'TOO_LONG', max: 100 }));
    expect(english.problem(tooLong)).toBe('Too long: at most 100 characters.');
    expect(swedish.problem(tooLong)).toBe('För långt: högst 100 tecken.');
    expect(swedish.problem({ code: 'BAD_USER_INPUT', message: 'x: odd', why: { reason: 'SOMETHING_NEW' } })).toBe('x: odd');
    // A reason named like an object's own property is no sentence.
    expect(english.problem({ code: 'BAD_USER_INPUT', message: 'x: odd', why: { reason: 'constructor' } })).toBe('x: odd');
  });
});

describe('a role still held', () => {
  it('says how many users hold it, in either language', () => {
    expect(en.queueRoleEdit.heldBy(1)).toMatch(/^1 user still holds this role\./);
    expect(en.queueRoleEdit.heldBy(3)).toMatch(/^3 users still hold this role\./);
    expect(sv.queueRoleEdit.heldBy(1)).toMatch(/^1 användare har fortfarande den här rollen\..*användarsida först/);
    expect(sv.queueRoleEdit.heldBy(2)).toMatch(/användarsidor först/);
  });

  it('keeps the count the API sends with the refusal (extensions.holders)', () => {
    const refused = toMutationError(new GraphQLRequestError('id: 2 users hold the role "Interns"', 'CONFLICT', 'id', null, null, 2));
    expect(refused).toMatchObject({ code: 'CONFLICT', field: 'id', holders: 2 });
  });
});
