import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { countRows, failed, ok, uniqueTag, userIds } from './gql-helpers';

// The administrator's console edits a queue's name, address and owner, and renames and deletes security roles:
// what each of those mutations refuses, and what a queue's mailbox does when the address changes.

const CREATE_QUEUE = 'mutation($input: CreateQueueInput!) { createQueue(input: $input) { id } }';
const UPDATE_QUEUE = 'mutation($id: ID!, $input: UpdateQueueInput!) { updateQueue(id: $id, input: $input) { id name emailAddress owner { id } } }';
const MAILBOXES = '{ mailboxes { id address approval state owner { id } alerts { code message } } }';
const CREATE_ROLE = 'mutation($input: CreateSecurityRoleInput!) { createSecurityRole(input: $input) { id name } }';
const UPDATE_ROLE = 'mutation($id: ID!, $input: UpdateSecurityRoleInput!) { updateSecurityRole(id: $id, input: $input) { id name description systemRole } }';
const DELETE_ROLE = 'mutation($id: ID!) { deleteSecurityRole(id: $id) }';
const ADD_ROLE = 'mutation($userId: ID!, $roleId: ID!) { addUserRole(userId: $userId, roleId: $roleId) { id } }';
const REMOVE_ROLE = 'mutation($userId: ID!, $roleId: ID!) { removeUserRole(userId: $userId, roleId: $roleId) { id } }';

type MailboxRow = { id: string; address: string; approval: string; state: string; owner: { id: string } | null; alerts: { code: string; message: string }[] };

describe.each(DIALECTS)('editing queues and security roles, on %s', (dialect) => {
  let hub: StartedHub;
  let admin: string;
  let sam: string;
  let users: Record<string, string>;
  const roleIds: Record<string, string> = {};

  beforeAll(async () => {
    hub = await startHub({ dialect });
    admin = await hub.login('admin@demo.crm.test');
    sam = await hub.login('sam.sales@demo.crm.test');
    users = await userIds(hub, admin);
    for (const role of ok(await hub.gql('{ securityRoles { id name } }', {}, admin)).securityRoles) roleIds[role.name] = role.id;
  }, 120_000);
  afterAll(() => hub?.close());

  const newQueue = async () => {
    const tag = uniqueTag('q').toLowerCase();
    const input = { name: `Support ${tag}`, emailAddress: `support.${tag}@demo.crm.test` };
    return { ...input, tag, id: ok(await hub.gql(CREATE_QUEUE, { input }, admin)).createQueue.id as string };
  };
  const mailboxAt = async (address: string): Promise<MailboxRow | undefined> =>
    (ok(await hub.gql(MAILBOXES, {}, admin)).mailboxes as MailboxRow[]).find((m) => m.address === address);

  it('renames a queue, moves its mailbox to a new address awaiting approval again, and gives it a new owner', async () => {
    const queue = await newQueue();
    const before = (await mailboxAt(queue.emailAddress))!;
    ok(await hub.gql('mutation($id: ID!) { approveMailboxEmail(id: $id) { id } }', { id: before.id }, admin));
    const address = `Help.${queue.tag}@Demo.CRM.test`;
    const updated = ok(await hub.gql(UPDATE_QUEUE, { id: queue.id, input: { name: `  Help ${queue.tag} `, emailAddress: address, ownerId: users['sara.sales@demo.crm.test'] } }, admin)).updateQueue;
    expect(updated).toMatchObject({ name: `Help ${queue.tag}`, emailAddress: address.toLowerCase(), owner: { id: users['sara.sales@demo.crm.test'] } });
    const after = (await mailboxAt(address.toLowerCase()))!;
    expect(after).toMatchObject({ id: before.id, approval: 'PENDING_APPROVAL', state: 'NOT_ENABLED', owner: { id: users['sara.sales@demo.crm.test'] } });
    expect(after.alerts.map((a) => a.code)).toContain('ADDRESS_CHANGED');
    expect(await mailboxAt(queue.emailAddress)).toBeUndefined();
    // The rules are untouched, and an update of the rules alone leaves the mailbox's approval alone.
    ok(await hub.gql('mutation($id: ID!) { approveMailboxEmail(id: $id) { id } }', { id: before.id }, admin));
    ok(await hub.gql(UPDATE_QUEUE, { id: queue.id, input: { createCaseFromEmail: true, emailAddress: address.toLowerCase() } }, admin));
    expect((await mailboxAt(address.toLowerCase()))!.approval).toBe('APPROVED');
  });

  it('refuses a name or address in use, naming the field', async () => {
    const [a, b] = [await newQueue(), await newQueue()];
    failed(await hub.gql(UPDATE_QUEUE, { id: a.id, input: { name: b.name } }, admin), 'CONFLICT', 'input.name');
    failed(await hub.gql(UPDATE_QUEUE, { id: a.id, input: { emailAddress: b.emailAddress.toUpperCase() } }, admin), 'CONFLICT', 'input.emailAddress');
    // A user's mailbox has the address.
    failed(await hub.gql(UPDATE_QUEUE, { id: a.id, input: { emailAddress: 'sam.sales@demo.crm.test' } }, admin), 'CONFLICT', 'input.emailAddress');
    // Its own name and address again is no conflict.
    ok(await hub.gql(UPDATE_QUEUE, { id: a.id, input: { name: a.name, emailAddress: a.emailAddress } }, admin));
    // createQueue keeps the same rules, and creates nothing when it refuses.
    const queues = await countRows(hub, 'queue');
    failed(await hub.gql(CREATE_QUEUE, { input: { name: b.name, emailAddress: `other.${b.tag}@demo.crm.test` } }, admin), 'CONFLICT', 'input.name');
    failed(await hub.gql(CREATE_QUEUE, { input: { name: `Other ${b.tag}`, emailAddress: b.emailAddress.toUpperCase() } }, admin), 'CONFLICT', 'input.emailAddress');
    failed(await hub.gql(CREATE_QUEUE, { input: { name: `Other ${b.tag}`, emailAddress: 'sam.sales@demo.crm.test' } }, admin), 'CONFLICT', 'input.emailAddress');
    expect(await countRows(hub, 'queue')).toBe(queues);
  });

  it('refuses blank, oversized and malformed queue fields, other ids, and a salesperson', async () => {
    const queue = await newQueue();
    failed(await hub.gql(UPDATE_QUEUE, { id: queue.id, input: { name: '   ' } }, admin), 'BAD_USER_INPUT', 'input.name');
    failed(await hub.gql(UPDATE_QUEUE, { id: queue.id, input: { name: 'Q'.repeat(201) } }, admin), 'BAD_USER_INPUT', 'input.name');
    failed(await hub.gql(UPDATE_QUEUE, { id: queue.id, input: { name: null } }, admin), 'BAD_USER_INPUT', 'input.name');
    failed(await hub.gql(UPDATE_QUEUE, { id: queue.id, input: { emailAddress: 'not an address' } }, admin), 'BAD_USER_INPUT', 'input.emailAddress');
    failed(await hub.gql(UPDATE_QUEUE, { id: queue.id, input: { emailAddress: `${'a'.repeat(100_000)}@x.test` } }, admin), 'BAD_USER_INPUT', 'input.emailAddress');
    failed(await hub.gql(UPDATE_QUEUE, { id: queue.id, input: { ownerId: roleIds.Salesperson } }, admin), 'BAD_USER_INPUT', 'input.ownerId');
    failed(await hub.gql(UPDATE_QUEUE, { id: users['sam.sales@demo.crm.test'], input: { name: 'x' } }, admin), 'BAD_USER_INPUT', 'id');
    failed(await hub.gql(UPDATE_QUEUE, { id: queue.id, input: { name: 'Mine now', ownerId: users['sam.sales@demo.crm.test'] } }, sam), 'FORBIDDEN');
    const unchanged = ok(await hub.gql('{ queues { id name owner { id } } }', {}, admin)).queues.find((q: { id: string }) => q.id === queue.id);
    expect(unchanged.name).toBe(queue.name);
    expect(unchanged.owner.id).toBe(users['admin@demo.crm.test']);
  });

  it('refuses an owner who does not exist', async () => {
    const queue = await newQueue();
    const unknown = Buffer.from('User:00000000-0000-0000-0000-000000000000').toString('base64url');
    failed(await hub.gql(UPDATE_QUEUE, { id: queue.id, input: { ownerId: unknown } }, admin), 'NOT_FOUND', 'input.ownerId');
  });

  it('renames a custom role and changes its description; refuses duplicates, blanks, oversized names and system roles', async () => {
    const tag = uniqueTag('R');
    const role = ok(await hub.gql(CREATE_ROLE, { input: { name: `Auditor ${tag}` } }, admin)).createSecurityRole;
    const renamed = ok(await hub.gql(UPDATE_ROLE, { id: role.id, input: { name: ` Reviewer ${tag} `, description: 'Reads everything' } }, admin)).updateSecurityRole;
    expect(renamed).toEqual({ id: role.id, name: `Reviewer ${tag}`, description: 'Reads everything', systemRole: false });
    failed(await hub.gql(UPDATE_ROLE, { id: role.id, input: { name: 'Salesperson' } }, admin), 'CONFLICT', 'input.name');
    failed(await hub.gql(UPDATE_ROLE, { id: role.id, input: { name: ' \t ' } }, admin), 'BAD_USER_INPUT', 'input.name');
    failed(await hub.gql(UPDATE_ROLE, { id: role.id, input: { name: 'R'.repeat(101) } }, admin), 'BAD_USER_INPUT', 'input.name');
    failed(await hub.gql(UPDATE_ROLE, { id: role.id, input: { description: 'D'.repeat(501) } }, admin), 'BAD_USER_INPUT', 'input.description');
    failed(await hub.gql(UPDATE_ROLE, { id: users['sam.sales@demo.crm.test'], input: { name: 'x' } }, admin), 'BAD_USER_INPUT', 'id');
    failed(await hub.gql(UPDATE_ROLE, { id: role.id, input: { name: `Mine ${tag}` } }, sam), 'FORBIDDEN');
    for (const name of ['System Administrator', 'Salesperson', 'Sync Service']) {
      const refused = failed(await hub.gql(UPDATE_ROLE, { id: roleIds[name], input: { name: `${name} 2` } }, admin), 'FORBIDDEN');
      expect(refused.message).toMatch(/system role/);
    }
    // A system role's description may change; its name stays.
    expect(ok(await hub.gql(UPDATE_ROLE, { id: roleIds.Salesperson, input: { name: 'Salesperson', description: 'Sells' } }, admin)).updateSecurityRole).toMatchObject({ name: 'Salesperson', systemRole: true });
  });

  it('deletes a custom role nobody holds; refuses one still held (with the count), a system role, and a salesperson', async () => {
    const role = ok(await hub.gql(CREATE_ROLE, { input: { name: uniqueTag('Temp') } }, admin)).createSecurityRole;
    ok(await hub.gql('mutation($input: SetRolePrivilegeInput!) { setRolePrivilege(input: $input) { id } }', { input: { roleId: role.id, entity: 'ACCOUNT', privilege: 'READ', depth: 'USER' } }, admin));
    for (const email of ['sam.sales@demo.crm.test', 'sara.sales@demo.crm.test']) ok(await hub.gql(ADD_ROLE, { userId: users[email], roleId: role.id }, admin));
    const held = failed(await hub.gql(DELETE_ROLE, { id: role.id }, admin), 'CONFLICT', 'id');
    expect(held.extensions?.holders).toBe(2);
    failed(await hub.gql(DELETE_ROLE, { id: role.id }, sam), 'FORBIDDEN');
    failed(await hub.gql(DELETE_ROLE, { id: roleIds['System Administrator'] }, admin), 'FORBIDDEN');
    failed(await hub.gql(DELETE_ROLE, { id: roleIds['Sales Manager'] }, admin), 'FORBIDDEN');
    failed(await hub.gql(DELETE_ROLE, { id: users['sam.sales@demo.crm.test'] }, admin), 'BAD_USER_INPUT', 'id');
    for (const email of ['sam.sales@demo.crm.test', 'sara.sales@demo.crm.test']) ok(await hub.gql(REMOVE_ROLE, { userId: users[email], roleId: role.id }, admin));
    expect(ok(await hub.gql(DELETE_ROLE, { id: role.id }, admin)).deleteSecurityRole).toBe(role.id);
    expect(ok(await hub.gql('{ securityRoles { id } }', {}, admin)).securityRoles.map((r: { id: string }) => r.id)).not.toContain(role.id);
    expect(await hub.database.dataSource.query('SELECT roleId FROM role_privilege WHERE roleId = ?', [Buffer.from(role.id, 'base64').toString().split(':')[1]])).toEqual([]);
    // Gone: deleting again, or giving it to someone, finds nothing.
    failed(await hub.gql(DELETE_ROLE, { id: role.id }, admin), 'NOT_FOUND', 'id');
    failed(await hub.gql(ADD_ROLE, { userId: users['sam.sales@demo.crm.test'], roleId: role.id }, admin), 'NOT_FOUND');
  });

  it('leaves no holder of a deleted role when giving it to someone races the delete', async () => {
    for (let round = 0; round < 4; round++) {
      const role = ok(await hub.gql(CREATE_ROLE, { input: { name: uniqueTag('Race') } }, admin)).createSecurityRole;
      const rawId = Buffer.from(role.id, 'base64url').toString().split(':')[1];
      const [, deleted] = await Promise.all([
        hub.gql(ADD_ROLE, { userId: users['sara.sales@demo.crm.test'], roleId: role.id }, admin),
        hub.gql(DELETE_ROLE, { id: role.id }, admin),
      ]);
      const holders = await countRows(hub, 'user_role', `roleId = '${rawId}'`);
      if ((await countRows(hub, 'security_role', `id = '${rawId}'`)) === 0) {
        expect(holders).toBe(0);
      } else {
        expect(holders).toBe(1);
        expect(failed(deleted, 'CONFLICT').extensions?.holders).toBe(1);
        ok(await hub.gql(REMOVE_ROLE, { userId: users['sara.sales@demo.crm.test'], roleId: role.id }, admin));
      }
    }
  });
});
