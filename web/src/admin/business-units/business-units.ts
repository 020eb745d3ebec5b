import { graphql } from '../../graphql/graphql-tag';
import type { BusinessUnitsQuery } from '../../graphql/operations.generated';
export { USER_LIST_LIMIT } from '../users/users';

// The console's business units (api/src/identity/business-unit.resolver.ts).

export const BUSINESS_UNITS = graphql('BusinessUnits')`
  query BusinessUnits { businessUnits { id name createdAt parent { id } } }
`;

/** Who belongs where, to count the users of each unit (the API gives at most 500 users). */
export const UNIT_MEMBERS = graphql('UnitMembers')`
  query UnitMembers { users { id businessUnit { id } } }
`;

export const CREATE_BUSINESS_UNIT = graphql('CreateBusinessUnit')`
  mutation CreateBusinessUnit($input: CreateBusinessUnitInput!) { createBusinessUnit(input: $input) { id name } }
`;

export type BusinessUnit = BusinessUnitsQuery['businessUnits'][number];

/** A unit with the units under it, each level by name. */
export interface UnitNode {
  readonly unit: BusinessUnit;
  readonly children: readonly UnitNode[];
}

/**
 * The units as a tree from the root (no parent). A unit whose parent is not among them (the API hid it) is shown
 * as a root too, so nothing readable goes missing; a cycle, which the API never makes, would be left out.
 */
export function unitTree(units: readonly BusinessUnit[]): UnitNode[] {
  const ids = new Set(units.map((unit) => unit.id));
  const byName = (a: BusinessUnit, b: BusinessUnit) => a.name.localeCompare(b.name);
  const build = (unit: BusinessUnit, seen: ReadonlySet<string>): UnitNode => ({
    unit,
    children: units
      .filter((child) => child.parent?.id === unit.id && !seen.has(child.id))
      .sort(byName)
      .map((child) => build(child, new Set([...seen, child.id]))),
  });
  return units
    .filter((unit) => !unit.parent || !ids.has(unit.parent.id))
    .sort(byName)
    .map((unit) => build(unit, new Set([unit.id])));
}

/** How many of `members` belong to each unit, by unit id. */
export function membersPerUnit(members: readonly { businessUnit: { id: string } }[]): ReadonlyMap<string, number> {
  const counts = new Map<string, number>();
  for (const member of members) counts.set(member.businessUnit.id, (counts.get(member.businessUnit.id) ?? 0) + 1);
  return counts;
}
