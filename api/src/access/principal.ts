import { AccessEntity, DEPTH_RANK, Depth, Privilege } from './privileges';

/** Who is calling, with everything their roles grant, resolved once per request. */
export interface Principal {
  readonly userId: string;
  readonly businessUnitId: string;
  /** The caller's unit and every unit below it: what PARENT_CHILD depth reaches. */
  readonly unitAndDescendantIds: readonly string[];
  /** `${entity}:${privilege}` → the deepest depth any of the caller's roles grants. */
  readonly privileges: ReadonlyMap<string, Depth>;
  /** `${entity}.${field}:read|update` for secured fields the caller may use. */
  readonly fieldGrants: ReadonlySet<string>;
  readonly roleNames: readonly string[];
  /** How the caller authenticated: an API key acts with its user's roles. */
  readonly via: 'session' | 'api_key';
  /** A service account (the Sync Service): no password, API keys only. */
  readonly serviceAccount: boolean;
}

/** The owner and unit of a record: all that depth checks look at. */
export interface OwnedRow {
  readonly ownerId: string;
  readonly businessUnitId: string;
}

export const privilegeKey = (entity: AccessEntity, privilege: Privilege) => `${entity}:${privilege}`;

export function depthOf(principal: Principal, entity: AccessEntity, privilege: Privilege): Depth {
  return principal.privileges.get(privilegeKey(entity, privilege)) ?? Depth.NONE;
}

/** Whether `row` lies within `depth` of the principal (sharing is checked separately). */
export function withinDepth(principal: Principal, depth: Depth, row: OwnedRow): boolean {
  switch (depth) {
    case Depth.NONE:
      return false;
    case Depth.USER:
      return row.ownerId === principal.userId;
    case Depth.BUSINESS_UNIT:
      return row.businessUnitId === principal.businessUnitId;
    case Depth.PARENT_CHILD:
      return principal.unitAndDescendantIds.includes(row.businessUnitId);
    case Depth.ORGANIZATION:
      return true;
  }
}

export function can(principal: Principal, entity: AccessEntity, privilege: Privilege, row: OwnedRow): boolean {
  return withinDepth(principal, depthOf(principal, entity, privilege), row);
}

/** A privilege held at any depth; sharing only helps a user who holds the privilege at least at USER depth (as in Dynamics). */
export function holds(principal: Principal, entity: AccessEntity, privilege: Privilege): boolean {
  return DEPTH_RANK[depthOf(principal, entity, privilege)] > 0;
}

export function canUseField(principal: Principal, entity: AccessEntity, field: string, use: 'read' | 'update'): boolean {
  return principal.fieldGrants.has(`${entity}.${field}:${use}`);
}

/** The SQL-free description of which rows a depth reaches, for repositories to turn into a WHERE clause. */
export type RowScope =
  | { readonly kind: 'none' }
  | { readonly kind: 'all' }
  | { readonly kind: 'owner'; readonly userId: string }
  | { readonly kind: 'units'; readonly unitIds: readonly string[] };

export function rowScope(principal: Principal, depth: Depth): RowScope {
  switch (depth) {
    case Depth.NONE:
      return { kind: 'none' };
    case Depth.USER:
      return { kind: 'owner', userId: principal.userId };
    case Depth.BUSINESS_UNIT:
      return { kind: 'units', unitIds: [principal.businessUnitId] };
    case Depth.PARENT_CHILD:
      return { kind: 'units', unitIds: principal.unitAndDescendantIds };
    case Depth.ORGANIZATION:
      return { kind: 'all' };
  }
}

/** Every unit below `rootId` (inclusive), from the full parent map. */
export function unitWithDescendants(rootId: string, units: readonly { id: string; parentId: string | null }[]): string[] {
  const children = new Map<string, string[]>();
  for (const unit of units) {
    if (unit.parentId) children.set(unit.parentId, [...(children.get(unit.parentId) ?? []), unit.id]);
  }
  const result: string[] = [];
  const queue = [rootId];
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (result.includes(id)) continue; // a cycle must not loop forever
    result.push(id);
    queue.push(...(children.get(id) ?? []));
  }
  return result;
}
