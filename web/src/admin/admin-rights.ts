import type { ViewerRights } from '../records/record-rights';

const DEPTHS = ['NONE', 'USER', 'BUSINESS_UNIT', 'PARENT_CHILD', 'ORGANIZATION'] as const;
export type Depth = (typeof DEPTHS)[number];

/** The deepest depth at which any of the viewer's roles grants `privilege` on `entity` (NONE when none does). */
export function privilegeDepth(rights: ViewerRights | null, entity: string, privilege: string): Depth {
  const granted = (rights?.roles ?? [])
    .flatMap((role) => role.privileges)
    .filter((p) => p.entity === entity && p.privilege === privilege)
    .map((p) => DEPTHS.indexOf(p.depth as Depth));
  return DEPTHS[Math.max(0, ...granted)];
}

/**
 * Whether the viewer's roles grant `privilege` on `entity` at any depth: it decides which create and change buttons a
 * section offers. The API checks the depth against each user, unit or key again and may still refuse.
 */
export const holdsPrivilege = (rights: ViewerRights | null, entity: string, privilege: string): boolean => privilegeDepth(rights, entity, privilege) !== 'NONE';
