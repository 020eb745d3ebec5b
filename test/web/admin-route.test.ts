import { describe, expect, it } from 'vitest';
import { parseRoute } from '../../web/src/shell/hash-route.svelte';
import { adminHref, mayOpenSection, offersConsole, openSections } from '../../web/src/admin/admin-section';

// The administrator's console's addresses, and which sections a viewer's roles reach.

const rightsWith = (...privileges: { entity: string; privilege: string; depth: string }[]) =>
  ({ id: 'u', roles: [{ privileges }] }) as never;

describe('admin console routes', () => {
  it('reads #/admin, a section, and an item in it, whose id round-trips', () => {
    expect(parseRoute('#/admin')).toEqual({ name: 'admin', section: null, id: null });
    expect(parseRoute('#/admin/users')).toEqual({ name: 'admin', section: 'users', id: null });
    expect(parseRoute(adminHref('roles', 'U2VjdXJpdHlSb2xlOjE=/x'))).toEqual({ name: 'admin', section: 'roles', id: 'U2VjdXJpdHlSb2xlOjE=/x' });
  });

  it('sends an unknown section or a malformed id to "not found"', () => {
    for (const hash of ['#/admin/nope', '#/admin/users/%E0%A4%A', '#/admin/users/a/b']) expect(parseRoute(hash).name, hash).toBe('not-found');
  });

  it('opens mail settings to organization-wide mailbox administrators only, the rest by read privilege', () => {
    expect(openSections(null)).toEqual([]);
    expect(mayOpenSection(rightsWith({ entity: 'MAILBOX', privilege: 'WRITE', depth: 'USER' }), 'profiles')).toBe(false);
    expect(mayOpenSection(rightsWith({ entity: 'MAILBOX', privilege: 'WRITE', depth: 'ORGANIZATION' }), 'email-settings')).toBe(true);
    expect(openSections(rightsWith({ entity: 'USER', privilege: 'READ', depth: 'ORGANIZATION' }, { entity: 'QUEUE', privilege: 'READ', depth: 'NONE' }))).toEqual(['users']);
  });

  it('offers the console in the header to who may change something in it, not to who only reads the directory', () => {
    expect(offersConsole(rightsWith({ entity: 'USER', privilege: 'READ', depth: 'ORGANIZATION' }, { entity: 'QUEUE', privilege: 'READ', depth: 'ORGANIZATION' }))).toBe(false);
    expect(offersConsole(rightsWith({ entity: 'API_KEY', privilege: 'CREATE', depth: 'USER' }))).toBe(true);
    expect(offersConsole(rightsWith({ entity: 'MAILBOX', privilege: 'WRITE', depth: 'ORGANIZATION' }))).toBe(true);
    expect(offersConsole(rightsWith({ entity: 'USER', privilege: 'WRITE', depth: 'NONE' }))).toBe(false);
  });
});
