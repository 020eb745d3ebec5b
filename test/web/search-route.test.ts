import { describe, expect, it } from 'vitest';
import { dashboardHref, parseRoute, searchHref } from '../../web/src/shell/hash-route.svelte';

// The sync dashboard's and global search's addresses.

describe('dashboard and search routes', () => {
  it('reads #/dashboard and #/search with its text, which round-trips whatever it holds', () => {
    expect(parseRoute('#/dashboard')).toEqual({ name: 'dashboard', range: 'DAY', mailboxId: null });
    expect(parseRoute('#/dashboard/')).toEqual({ name: 'dashboard', range: 'DAY', mailboxId: null });
    expect(parseRoute('#/search')).toEqual({ name: 'search', query: '' });
    expect(searchHref('')).toBe('#/search');
    for (const query of ['Åsa García', 'a&b=c #1 / 100%', '?q=x']) expect(parseRoute(searchHref(query))).toEqual({ name: 'search', query });
  });

  it('sends a malformed search address to "not found"', () => {
    for (const hash of ['#/search/x', '#/dashboard/x', '#/search?q=a#b']) expect(parseRoute(hash).name, hash).toBe('not-found');
  });

  it('keeps the dashboard’s range and mailbox in the address, and only a mailbox id as the mailbox', () => {
    const mailbox = btoa('Mailbox:0190f5b2-7c4e-7a1b-8c3d-1234567890ab').replace(/=+$/, '');
    expect(dashboardHref()).toBe('#/dashboard');
    expect(parseRoute(dashboardHref('WEEK', mailbox))).toEqual({ name: 'dashboard', range: 'WEEK', mailboxId: mailbox });
    expect(parseRoute('#/dashboard?range=year&mailbox=%3Cscript%3E')).toEqual({ name: 'dashboard', range: 'DAY', mailboxId: null });
    expect(parseRoute(`#/dashboard?mailbox=${btoa('User:0190f5b2-7c4e-7a1b-8c3d-1234567890ab')}`)).toEqual({ name: 'dashboard', range: 'DAY', mailboxId: null });
  });
});
