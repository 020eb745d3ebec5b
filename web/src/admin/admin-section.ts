import type { ViewerRights } from '../records/record-rights';

/** The parts of the administrator's console, in the order its navigation lists them. */
export const ADMIN_SECTIONS = ['profiles', 'email-settings', 'users', 'business-units', 'roles', 'api-keys', 'queues'] as const;
export type AdminSection = (typeof ADMIN_SECTIONS)[number];

export const isAdminSection = (value: string): value is AdminSection => (ADMIN_SECTIONS as readonly string[]).includes(value);

/** A section of the console, or one item in it (a profile, a user, a role…). */
export const adminHref = (section: AdminSection, id?: string): string =>
  `#/admin/${section}${id ? `/${encodeURIComponent(id)}` : ''}`;

type Privileges = NonNullable<ViewerRights>['roles'][number]['privileges'];

const depthOf = (privileges: Privileges, entity: string, privilege: string): string =>
  privileges.find((p) => p.entity === entity && p.privilege === privilege && p.depth !== 'NONE')?.depth ?? 'NONE';

/**
 * Whether the viewer's roles reach a section at all; the API decides again on every call. Mail
 * settings are for organization-wide mailbox administrators (api/src/mail/mailbox.service.ts
 * isMailAdmin); the others follow the read privilege on what they list.
 */
export function mayOpenSection(rights: ViewerRights | null, section: AdminSection): boolean {
  if (!rights) return false;
  const privileges = rights.roles.flatMap((role) => role.privileges);
  switch (section) {
    case 'profiles':
    case 'email-settings':
      return depthOf(privileges, 'MAILBOX', 'WRITE') === 'ORGANIZATION';
    case 'users':
      return depthOf(privileges, 'USER', 'READ') !== 'NONE';
    case 'business-units':
      return depthOf(privileges, 'BUSINESS_UNIT', 'READ') !== 'NONE';
    case 'roles':
      return depthOf(privileges, 'SECURITY_ROLE', 'READ') !== 'NONE';
    case 'api-keys':
      return depthOf(privileges, 'API_KEY', 'READ') !== 'NONE';
    case 'queues':
      return depthOf(privileges, 'QUEUE', 'READ') !== 'NONE';
  }
}

/** The sections the viewer may open. */
export const openSections = (rights: ViewerRights | null): AdminSection[] => ADMIN_SECTIONS.filter((section) => mayOpenSection(rights, section));

const MANAGED_ENTITIES = ['USER', 'BUSINESS_UNIT', 'SECURITY_ROLE', 'API_KEY', 'QUEUE'];

/**
 * Whether the header offers the console: to whoever may change something in it. People who only read
 * the directory (a salesperson reads users, units and queues) can still open it by its address.
 */
export function offersConsole(rights: ViewerRights | null): boolean {
  if (!rights) return false;
  const privileges = rights.roles.flatMap((role) => role.privileges);
  return (
    mayOpenSection(rights, 'profiles') ||
    privileges.some((p) => MANAGED_ENTITIES.includes(p.entity) && p.privilege !== 'READ' && p.depth !== 'NONE')
  );
}
