import type { AccessDepth, AccessEntity, Privilege } from '../../graphql/operations.generated';

// The security role's grid as Dynamics 365 draws it: a row per entity, a column per privilege, each cell the
// depth the role grants. Pure data and rules; roles.svelte.ts keeps the state and role-grid.svelte draws it.

/** The rows, in the order the console lists them: records first, then activities and the administrative objects. */
export const GRID_ENTITIES: readonly AccessEntity[] = [
  'ACCOUNT',
  'CONTACT',
  'LEAD',
  'OPPORTUNITY',
  'CASE',
  'ACTIVITY',
  'MAILBOX',
  'USER',
  'BUSINESS_UNIT',
  'QUEUE',
  'SECURITY_ROLE',
  'API_KEY',
  'MAIL_SYNC',
];

/** The columns, in Dynamics' order. */
export const GRID_PRIVILEGES: readonly Privilege[] = ['CREATE', 'READ', 'WRITE', 'DELETE', 'APPEND', 'APPEND_TO', 'ASSIGN', 'SHARE'];

/** Depths from none to everything: a click on a cell moves one step along, and from Organization back to None. */
export const DEPTHS: readonly AccessDepth[] = ['NONE', 'USER', 'BUSINESS_UNIT', 'PARENT_CHILD', 'ORGANIZATION'];

/** The depth after `depth` when a cell is clicked (shift-click: `backwards`, the one before). */
export function nextDepth(depth: AccessDepth, backwards = false): AccessDepth {
  const at = DEPTHS.indexOf(depth);
  const step = backwards ? DEPTHS.length - 1 : 1;
  return DEPTHS[(at + step) % DEPTHS.length];
}

/** How much of Dynamics' circle is filled for a depth: none, a quarter, half, three quarters, all of it. */
export const depthFill = (depth: AccessDepth): number => DEPTHS.indexOf(depth) / (DEPTHS.length - 1);

/** A cell's key in a role's depths. */
export const cellKey = (entity: AccessEntity, privilege: Privilege): string => `${entity}:${privilege}`;

/** A role's privileges as cell → depth; a cell left out is NONE. */
export function depthsOf(privileges: readonly { entity: AccessEntity; privilege: Privilege; depth: AccessDepth }[]): Record<string, AccessDepth> {
  return Object.fromEntries(privileges.filter((p) => p.depth !== 'NONE').map((p) => [cellKey(p.entity, p.privilege), p.depth]));
}

/** A cell's place in the grid: its row (entity) and column (privilege), from 0. */
export interface CellPosition {
  readonly row: number;
  readonly col: number;
}

/**
 * Where a key moves the focus in the grid (WAI-ARIA grid pattern: arrows by one cell, Home/End to the row's
 * ends, Ctrl+Home/End to the grid's corners); null for a key that does not move it. Stops at the edges.
 */
export function moveCell(at: CellPosition, key: string, ctrl: boolean, rows: number, cols: number): CellPosition | null {
  const clamp = (value: number, size: number) => Math.min(Math.max(value, 0), size - 1);
  switch (key) {
    case 'ArrowRight':
      return { row: at.row, col: clamp(at.col + 1, cols) };
    case 'ArrowLeft':
      return { row: at.row, col: clamp(at.col - 1, cols) };
    case 'ArrowDown':
      return { row: clamp(at.row + 1, rows), col: at.col };
    case 'ArrowUp':
      return { row: clamp(at.row - 1, rows), col: at.col };
    case 'Home':
      return ctrl ? { row: 0, col: 0 } : { row: at.row, col: 0 };
    case 'End':
      return ctrl ? { row: rows - 1, col: cols - 1 } : { row: at.row, col: cols - 1 };
    default:
      return null;
  }
}
