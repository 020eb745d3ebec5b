import { describe, expect, it } from 'vitest';
import { DEFAULT_VIEW, isFiltered, listViewQuery, MAX_SEARCH, orderOf, parseListView } from '../../web/src/records/list-view';
import { dayOf } from '../../web/src/records/record-format';
import { parseRoute, recordHref, recordHrefOf, recordsHref } from '../../web/src/shell/hash-route.svelte';

// A list's view lives in the URL: what a link, a reload or a hand-edited address opens.

describe('a list view in the URL', () => {
  it('round-trips search, status, owner and order, in a fixed order', () => {
    const view = { search: 'Åsa Öberg & co', status: 'QUALIFIED', owner: 'me' as const, related: null, sort: '-updated' as const };
    const query = listViewQuery(view);
    expect(query).toBe('?q=%C3%85sa+%C3%96berg+%26+co&status=QUALIFIED&owner=me&sort=-updated');
    expect(parseListView('lead', query)).toEqual(view);
  });

  it('writes nothing for the default view, and leaves out what is default', () => {
    expect(listViewQuery(DEFAULT_VIEW)).toBe('');
    expect(listViewQuery({ ...DEFAULT_VIEW, search: '  ' })).toBe('');
    expect(listViewQuery({ ...DEFAULT_VIEW, sort: '-name' })).toBe('?sort=-name');
    expect(parseListView('account', '')).toEqual(DEFAULT_VIEW);
  });

  it('narrows to one owner and to one record’s related ones, by ids of the right type only', () => {
    const user = btoa('User:0190f5b2-7c4e-7a1b-8c3d-1234567890ab').replace(/=+$/, '');
    const account = btoa('Account:0190f5b2-7c4e-7a1b-8c3d-1234567890ab').replace(/=+$/, '');
    const view = { ...DEFAULT_VIEW, owner: user, related: account };
    expect(parseListView('opportunity', listViewQuery(view))).toEqual(view);
    expect(isFiltered({ ...DEFAULT_VIEW, related: account })).toBe(true);
    // An account is no owner; leads and accounts have no related list; a contact's contacts are none.
    expect(parseListView('case', `?owner=${account}&of=${user}`)).toEqual(DEFAULT_VIEW);
    expect(parseListView('lead', `?of=${account}`).related).toBeNull();
    expect(parseListView('contact', `?of=${btoa('Contact:0190f5b2-7c4e-7a1b-8c3d-1234567890ab')}`).related).toBeNull();
    expect(parseListView('contact', '?owner=someone&of=%3Cscript%3E')).toEqual(DEFAULT_VIEW);
  });

  it('drops what it cannot use instead of refusing the link', () => {
    // A status of another kind, an unknown owner and order, unknown keys.
    expect(parseListView('opportunity', '?status=QUALIFIED&owner=someone&sort=price&x=1')).toEqual(DEFAULT_VIEW);
    expect(parseListView('case', '?status=resolved')).toEqual(DEFAULT_VIEW);
    // Broken percent-encoding, a lone "?", repeated keys (the first counts).
    // (URLSearchParams decodes what it can and puts U+FFFD for the rest: the search is then only odd text.)
    expect(parseListView('contact', '?q=%E0%A4%A&status=%')).toEqual({ ...DEFAULT_VIEW, search: '\ufffd%A' });
    expect(parseListView('contact', '?')).toEqual(DEFAULT_VIEW);
    expect(parseListView('contact', '?q=a&q=b').search).toBe('a');
    // A script in the search is only text to search for.
    expect(parseListView('account', '?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E').search).toBe('<script>alert(1)</script>');
  });

  it('trims the search and cuts it to what the API accepts', () => {
    expect(parseListView('account', `?q=${'x'.repeat(5000)}`).search).toHaveLength(MAX_SEARCH);
    expect(parseListView('account', '?q=+++Nordvik+++').search).toBe('Nordvik');
    expect(listViewQuery({ ...DEFAULT_VIEW, search: 'y'.repeat(300) })).toBe(`?q=${'y'.repeat(MAX_SEARCH)}`);
  });

  it('knows a filtered view from the whole list', () => {
    expect(isFiltered(DEFAULT_VIEW)).toBe(false);
    expect(isFiltered({ ...DEFAULT_VIEW, sort: '-created' })).toBe(false);
    expect(isFiltered({ ...DEFAULT_VIEW, owner: 'me' })).toBe(true);
    expect(isFiltered({ ...DEFAULT_VIEW, status: 'OPEN' })).toBe(true);
  });

  it('turns each order into the API’s RecordOrder', () => {
    expect(orderOf('name')).toEqual({ field: 'NAME', direction: 'ASC' });
    expect(orderOf('-name')).toEqual({ field: 'NAME', direction: 'DESC' });
    expect(orderOf('-updated')).toEqual({ field: 'UPDATED_AT', direction: 'DESC' });
    expect(orderOf('created')).toEqual({ field: 'CREATED_AT', direction: 'ASC' });
  });
});

describe('routes', () => {
  it('names each kind’s list with its view, and each record', () => {
    expect(parseRoute('')).toEqual({ name: 'records', kind: 'account', view: DEFAULT_VIEW });
    expect(parseRoute('#/')).toEqual({ name: 'records', kind: 'account', view: DEFAULT_VIEW });
    expect(parseRoute('#/opportunities?status=WON&sort=-created')).toEqual({
      name: 'records',
      kind: 'opportunity',
      view: { ...DEFAULT_VIEW, status: 'WON', sort: '-created' },
    });
    expect(parseRoute('#/cases/')).toEqual({ name: 'records', kind: 'case', view: DEFAULT_VIEW });
    expect(parseRoute('#/leads/TGVhZDox')).toEqual({ name: 'record', kind: 'lead', id: 'TGVhZDox' });
    expect(parseRoute('#/mailboxes/abc')).toEqual({ name: 'mailbox', id: 'abc' });
  });

  it('round-trips hrefs, ids with reserved characters included', () => {
    const view = { search: 'a#b?c/d', status: 'OPEN', owner: null, related: null, sort: 'name' as const };
    expect(parseRoute(recordsHref('opportunity', view))).toEqual({ name: 'records', kind: 'opportunity', view });
    expect(parseRoute(recordHref('case', 'Q2FzZT/x?y#z'))).toEqual({ name: 'record', kind: 'case', id: 'Q2FzZT/x?y#z' });
    expect(recordHrefOf('Opportunity', 'T3A=')).toBe('#/opportunities/T3A%3D');
    expect(recordHrefOf('User', 'VXNlcg==')).toBeNull();
  });

  it('sends what it does not know to "not found"', () => {
    for (const hash of ['#/users', '#/contacts/a/b', '#/leads/%E0%A4%A', '#/constructor', '#/__proto__/x', '#/accounts?x#y']) {
      expect(parseRoute(hash).name, hash).toBe('not-found');
    }
  });
});

describe('dayOf', () => {
  it('reads a calendar date as that local day, and nothing else', () => {
    const day = dayOf('2027-03-15')!;
    expect([day.getFullYear(), day.getMonth(), day.getDate()]).toEqual([2027, 2, 15]);
    expect(dayOf(null)).toBeNull();
    expect(dayOf('2027-3-15')).toBeNull();
    expect(dayOf('2027-03-15T00:00:00Z')).toBeNull();
  });
});
