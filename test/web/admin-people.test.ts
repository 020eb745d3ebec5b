import { describe, expect, it } from 'vitest';
import { holdsPrivilege, privilegeDepth } from '../../web/src/admin/admin-rights';
import { keyWorks } from '../../web/src/admin/api-keys/api-keys';
import { membersPerUnit, unitTree, type BusinessUnit } from '../../web/src/admin/business-units/business-units';
import { userMatches, type AdminUser } from '../../web/src/admin/users/users';

// The pure rules behind the console's users, business units and API keys.

const rightsWith = (...roles: { entity: string; privilege: string; depth: string }[][]) => ({ id: 'u', roles: roles.map((privileges) => ({ privileges })) }) as never;
const unit = (id: string, parent: string | null, name = id): BusinessUnit => ({ id, name, createdAt: '2026-01-01T00:00:00Z', parent: parent ? { id: parent } : null });
const names = (nodes: ReturnType<typeof unitTree>): unknown => nodes.map((node) => [node.unit.name, names(node.children)]);

describe('what the viewer’s roles offer', () => {
  it('takes the deepest depth any role grants, NONE when none does', () => {
    const rights = rightsWith([{ entity: 'API_KEY', privilege: 'CREATE', depth: 'USER' }], [{ entity: 'API_KEY', privilege: 'CREATE', depth: 'BUSINESS_UNIT' }]);
    expect(privilegeDepth(rights, 'API_KEY', 'CREATE')).toBe('BUSINESS_UNIT');
    expect(privilegeDepth(rights, 'API_KEY', 'DELETE')).toBe('NONE');
    expect(privilegeDepth(null, 'USER', 'READ')).toBe('NONE');
    expect(holdsPrivilege(rightsWith([{ entity: 'USER', privilege: 'WRITE', depth: 'NONE' }]), 'USER', 'WRITE')).toBe(false);
  });
});

describe('the business unit tree', () => {
  it('puts each unit under its parent, each level by name', () => {
    const tree = unitTree([unit('s', 'r', 'Sales'), unit('n', 's', 'Sales North'), unit('r', null, 'Contoso'), unit('a', 'r', 'Admin')]);
    expect(names(tree)).toEqual([['Contoso', [['Admin', []], ['Sales', [['Sales North', []]]]]]]);
  });

  it('shows a unit whose parent is hidden as a root, and never loops on a cycle', () => {
    expect(names(unitTree([unit('x', 'gone', 'Orphan')]))).toEqual([['Orphan', []]]);
    expect(names(unitTree([unit('r', null), unit('a', 'b'), unit('b', 'a')]))).toEqual([['r', []]]);
  });

  it('counts users per unit', () => {
    const counts = membersPerUnit([{ businessUnit: { id: 'a' } }, { businessUnit: { id: 'a' } }, { businessUnit: { id: 'b' } }]);
    expect([...counts]).toEqual([['a', 2], ['b', 1]]);
  });
});

describe('the users filter and key states', () => {
  const sara = { fullName: 'Sara Säljare', email: 'sara@x.test', businessUnit: { id: 'b', name: 'Sales North' }, roles: [{ id: 'r', name: 'Salesperson' }] } as AdminUser;

  it('matches name, email, unit or role, ignoring case and surrounding spaces', () => {
    for (const text of ['SÄLJ', 'sara@', 'north', ' salesperson ', '']) expect(userMatches(sara, text), text).toBe(true);
    expect(userMatches(sara, 'manager')).toBe(false);
  });

  it('says a key works until it is revoked or expires', () => {
    const key = { revokedAt: null, expiresAt: '2026-06-01T00:00:00Z' } as never;
    expect(keyWorks(key, Date.parse('2026-05-31T00:00:00Z'))).toBe(true);
    expect(keyWorks(key, Date.parse('2026-06-02T00:00:00Z'))).toBe(false);
    expect(keyWorks({ revokedAt: '2026-01-01T00:00:00Z', expiresAt: null } as never, 0)).toBe(false);
  });
});
