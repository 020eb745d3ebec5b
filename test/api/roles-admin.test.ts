import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type StartedHub } from '../support/hub';
import { failed, ok, uniqueTag } from './gql-helpers';

// What the administrator's console for roles and queues asks the API beyond the mutations: the secured fields a
// role's field permissions may name, and which roles may not be changed at all; and the refusals it shows.

const SET_PRIVILEGE = 'mutation($input: SetRolePrivilegeInput!) { setRolePrivilege(input: $input) { id } }';
const SET_FIELD = 'mutation($input: SetRoleFieldPermissionInput!) { setRoleFieldPermission(input: $input) { id } }';
const UPDATE_QUEUE = 'mutation($id: ID!, $input: UpdateQueueInput!) { updateQueue(id: $id, input: $input) { id reopenResolvedWithinHours } }';

describe('security roles and queues for the administrator’s console', () => {
  let hub: StartedHub;
  let admin: string;
  let sam: string;
  const roleIds: Record<string, string> = {};

  beforeAll(async () => {
    hub = await startHub({ dialect: 'sqlite' });
    admin = await hub.login('admin@demo.crm.test');
    sam = await hub.login('sam.sales@demo.crm.test');
    for (const role of ok(await hub.gql('{ securityRoles { id name } }', {}, admin)).securityRoles) roleIds[role.name] = role.id;
  }, 120_000);
  afterAll(() => hub?.close());

  it('lists the secured fields to anyone signed in, and to nobody else', async () => {
    const fields = ok(await hub.gql('{ securedFields { entity field } }', {}, sam)).securedFields;
    expect(fields).toEqual(
      expect.arrayContaining([
        { entity: 'ACCOUNT', field: 'telephone' },
        { entity: 'CONTACT', field: 'mobilePhone' },
        { entity: 'ACTIVITY', field: 'phoneNumber' },
      ]),
    );
    failed(await hub.gql('{ securedFields { entity field } }'), 'UNAUTHENTICATED');
  });

  it('says System Administrator is not editable, and the mutations refuse it as they say', async () => {
    const roles = ok(await hub.gql('{ securityRoles { name editable } }', {}, admin)).securityRoles as { name: string; editable: boolean }[];
    expect(roles.find((r) => r.name === 'System Administrator')?.editable).toBe(false);
    expect(roles.find((r) => r.name === 'Salesperson')?.editable).toBe(true);
    const roleId = roleIds['System Administrator'];
    failed(await hub.gql(SET_PRIVILEGE, { input: { roleId, entity: 'ACCOUNT', privilege: 'READ', depth: 'USER' } }, admin), 'FORBIDDEN');
    failed(await hub.gql(SET_FIELD, { input: { roleId, entity: 'ACCOUNT', field: 'telephone', canRead: false, canUpdate: false } }, admin), 'FORBIDDEN');
  });

  it('refuses role changes from a salesperson, for other ids and for malformed input', async () => {
    const roleId = roleIds.Salesperson;
    failed(await hub.gql(SET_PRIVILEGE, { input: { roleId, entity: 'ACCOUNT', privilege: 'READ', depth: 'ORGANIZATION' } }, sam), 'FORBIDDEN');
    failed(await hub.gql(SET_FIELD, { input: { roleId, entity: 'ACCOUNT', field: 'telephone', canRead: true, canUpdate: true } }, sam), 'FORBIDDEN');
    const viewer = ok(await hub.gql('{ viewer { id } }', {}, sam)).viewer.id;
    failed(await hub.gql(SET_PRIVILEGE, { input: { roleId: viewer, entity: 'ACCOUNT', privilege: 'READ', depth: 'USER' } }, admin), 'BAD_USER_INPUT', 'input.roleId');
    failed(await hub.gql(SET_FIELD, { input: { roleId, entity: 'ACCOUNT', field: 'x'.repeat(100_000), canRead: true, canUpdate: true } }, admin), 'BAD_USER_INPUT');
    failed(await hub.gql(SET_PRIVILEGE, { input: { roleId, entity: 'ACCOUNT', privilege: 'READ', depth: 'EVERYWHERE' } }, admin), 'BAD_USER_INPUT');
    failed(await hub.gql('mutation($input: CreateSecurityRoleInput!) { createSecurityRole(input: $input) { id } }', { input: { name: 'R'.repeat(101) } }, admin), 'BAD_USER_INPUT', 'input.name');
    // Nothing changed on the way.
    const salesperson = ok(await hub.gql('{ securityRoles { name privileges { entity privilege depth } } }', {}, admin)).securityRoles.find((r: { name: string }) => r.name === 'Salesperson');
    expect(salesperson.privileges).toContainEqual({ entity: 'ACCOUNT', privilege: 'READ', depth: 'BUSINESS_UNIT' });
  });

  it('names the field of a bad email-to-case rule and refuses a salesperson’s queue changes', async () => {
    const tag = uniqueTag('Q').toLowerCase();
    const queue = ok(
      await hub.gql('mutation($input: CreateQueueInput!) { createQueue(input: $input) { id } }', { input: { name: `Support ${tag}`, emailAddress: `support.${tag}@demo.crm.test` } }, admin),
    ).createQueue;
    failed(await hub.gql(UPDATE_QUEUE, { id: queue.id, input: { reopenResolvedWithinHours: -1 } }, admin), 'BAD_USER_INPUT', 'input.reopenResolvedWithinHours');
    failed(await hub.gql(UPDATE_QUEUE, { id: queue.id, input: { reopenResolvedWithinHours: 48 } }, sam), 'FORBIDDEN');
    failed(await hub.gql(UPDATE_QUEUE, { id: roleIds.Salesperson, input: { reopenResolvedWithinHours: 48 } }, admin), 'BAD_USER_INPUT', 'id');
    expect(ok(await hub.gql(UPDATE_QUEUE, { id: queue.id, input: { reopenResolvedWithinHours: 48 } }, admin)).updateQueue.reopenResolvedWithinHours).toBe(48);
  });
});
