import { Brackets, type ObjectLiteral, type SelectQueryBuilder } from 'typeorm';
import { can, depthOf, holds, rowScope, type OwnedRow, type Principal } from '../access/principal';
import { AccessEntity, Privilege } from '../access/privileges';

// Activities are secured by their own privileges (Dynamics' activitypointer), at depth over their
// owner and business unit. They are not shared one by one (yet): sharing covers records.

export function mayOnActivity(principal: Principal, privilege: Privilege, activity: OwnedRow): boolean {
  return can(principal, AccessEntity.ACTIVITY, privilege, activity);
}

/** Adds "the caller may read this activity" to a query where `alias` is the activity table. */
export function applyActivityReadScope(qb: SelectQueryBuilder<ObjectLiteral>, alias: string, principal: Principal): void {
  const scope = activityReadScope(alias, principal);
  if (scope) qb.andWhere(new Brackets((w) => w.where(scope.condition, scope.parameters)));
}

/**
 * "The caller may read activity `alias`" as one SQL condition with named parameters, or undefined when they read
 * every activity: for the query builder above and for statements written out whole (timeline-page-statement.ts).
 */
export function activityReadScope(alias: string, principal: Principal): { condition: string; parameters: ObjectLiteral } | undefined {
  if (!holds(principal, AccessEntity.ACTIVITY, Privilege.READ)) return { condition: '1 = 0', parameters: {} };
  const scope = rowScope(principal, depthOf(principal, AccessEntity.ACTIVITY, Privilege.READ));
  switch (scope.kind) {
    case 'all':
      return undefined;
    case 'none':
      return { condition: '1 = 0', parameters: {} };
    case 'owner':
      return { condition: `${alias}.ownerId = :activityScopeUser`, parameters: { activityScopeUser: scope.userId } };
    case 'units':
      return { condition: `${alias}.businessUnitId IN (:...activityScopeUnits)`, parameters: { activityScopeUnits: scope.unitIds } };
  }
}
