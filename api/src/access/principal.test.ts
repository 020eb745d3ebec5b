import { describe, expect, it } from 'vitest';
import { can, rowScope, unitWithDescendants, withinDepth, type Principal } from './principal';
import { AccessEntity, Depth, Privilege } from './privileges';

const principal = (grants: Record<string, Depth>): Principal => ({
  userId: 'me',
  businessUnitId: 'sales',
  unitAndDescendantIds: ['sales', 'sales-north'],
  privileges: new Map(Object.entries(grants)),
  fieldGrants: new Set(),
  roleNames: [],
  via: 'session',
  serviceAccount: false,
});

describe('withinDepth', () => {
  const mine = { ownerId: 'me', businessUnitId: 'sales' };
  const colleagues = { ownerId: 'other', businessUnitId: 'sales' };
  const childUnit = { ownerId: 'other', businessUnitId: 'sales-north' };
  const elsewhere = { ownerId: 'other', businessUnitId: 'service' };
  const p = principal({});
  it.each([
    [Depth.NONE, [false, false, false, false]],
    [Depth.USER, [true, false, false, false]],
    [Depth.BUSINESS_UNIT, [true, true, false, false]],
    [Depth.PARENT_CHILD, [true, true, true, false]],
    [Depth.ORGANIZATION, [true, true, true, true]],
  ])('%s reaches own, unit, child unit, other unit = %j', (depth, expected) => {
    expect([mine, colleagues, childUnit, elsewhere].map((row) => withinDepth(p, depth, row))).toEqual(expected);
  });
});

describe('can', () => {
  it('uses the depth granted for that entity and privilege only', () => {
    const p = principal({ 'contact:read': Depth.BUSINESS_UNIT, 'contact:write': Depth.USER });
    const colleagues = { ownerId: 'other', businessUnitId: 'sales' };
    expect(can(p, AccessEntity.CONTACT, Privilege.READ, colleagues)).toBe(true);
    expect(can(p, AccessEntity.CONTACT, Privilege.WRITE, colleagues)).toBe(false);
    expect(can(p, AccessEntity.ACCOUNT, Privilege.READ, colleagues)).toBe(false);
  });
});

describe('rowScope', () => {
  it('turns each depth into a row filter', () => {
    const p = principal({});
    expect(rowScope(p, Depth.NONE)).toEqual({ kind: 'none' });
    expect(rowScope(p, Depth.USER)).toEqual({ kind: 'owner', userId: 'me' });
    expect(rowScope(p, Depth.BUSINESS_UNIT)).toEqual({ kind: 'units', unitIds: ['sales'] });
    expect(rowScope(p, Depth.PARENT_CHILD)).toEqual({ kind: 'units', unitIds: ['sales', 'sales-north'] });
    expect(rowScope(p, Depth.ORGANIZATION)).toEqual({ kind: 'all' });
  });
});

describe('unitWithDescendants', () => {
  it('walks the whole subtree and survives a cycle', () => {
    const units = [
      { id: 'root', parentId: null },
      { id: 'a', parentId: 'root' },
      { id: 'a1', parentId: 'a' },
      { id: 'b', parentId: 'root' },
      { id: 'x', parentId: 'y' },
      { id: 'y', parentId: 'x' },
    ];
    expect(unitWithDescendants('a', units).sort()).toEqual(['a', 'a1']);
    expect(unitWithDescendants('root', units).sort()).toEqual(['a', 'a1', 'b', 'root']);
    expect(unitWithDescendants('x', units).sort()).toEqual(['x', 'y']);
  });
});
