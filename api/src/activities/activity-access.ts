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
  if (!holds(principal, AccessEntity.ACTIVITY, Privilege.READ)) {
    qb.andWhere('1 = 0');
    return;
  }
  const scope = rowScope(principal, depthOf(principal, AccessEntity.ACTIVITY, Privilege.READ));
  switch (scope.kind) {
    case 'all':
      return;
    case 'none':
      qb.andWhere('1 = 0');
      return;
    case 'owner':
      qb.andWhere(`${alias}.ownerId = :activityScopeUser`, { activityScopeUser: scope.userId });
      return;
    case 'units':
      qb.andWhere(new Brackets((w) => w.where(`${alias}.businessUnitId IN (:...activityScopeUnits)`, { activityScopeUnits: scope.unitIds })));
      return;
  }
}
