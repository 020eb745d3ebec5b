import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startHub, type GqlResult, type StartedHub } from '../support/hub';
import { countRows, failed, ok, uniqueTag } from './gql-helpers';

// Column security on writes: a logged call's phoneNumber (ACTIVITY.phoneNumber) is set only through a
// role's field permission to update it, refused exactly as a record's telephone is, and nothing is written.

const LOG_CALL = `mutation($input: LogPhoneCallInput!) { logPhoneCall(input: $input) { id ... on PhoneCall { phoneNumber } } }`;
const CREATE = (type: string) => `mutation($input: Create${type}Input!) { create${type}(input: $input) { id } }`;
const UPDATE_CONTACT = `mutation($id: ID!, $input: UpdateContactInput!) { updateContact(id: $id, input: $input) { id telephone } }`;

/** What a person could create and change with a role made for this test: their own calls, contacts, leads and accounts. */
const PRIVILEGES: [string, string][] = [
  ['ACTIVITY', 'CREATE'],
  ['ACTIVITY', 'READ'],
  ['ACTIVITY', 'WRITE'],
  ...['CONTACT', 'LEAD', 'ACCOUNT'].flatMap((entity) => ['CREATE', 'READ', 'WRITE'].map((p): [string, string] => [entity, p])),
];

describe.each(DIALECTS)('column security on writes on %s', (dialect) => {
  let hub: StartedHub;
  const tokens: Record<string, string> = {};
  const roles: Record<string, string> = {};
  const tag = uniqueTag('Col');
  const as = (who: string) => (query: string, variables: Record<string, unknown> = {}) => hub.gql(query, variables, tokens[who]);
  const admin = (query: string, variables: Record<string, unknown>) => ok(as('admin')(query, variables) as never);

  /** A role with PRIVILEGES at USER depth and the given field permissions, and a user holding only it, signed in. */
  async function personWith(name: string, fields: { entity: string; field: string; canRead: boolean; canUpdate: boolean }[]): Promise<void> {
    const roleId = ok(await as('admin')('mutation($input: CreateSecurityRoleInput!) { createSecurityRole(input: $input) { id } }', { input: { name: `${name} ${tag}` } })).createSecurityRole.id;
    for (const [entity, privilege] of PRIVILEGES) {
      ok(await as('admin')('mutation($input: SetRolePrivilegeInput!) { setRolePrivilege(input: $input) { id } }', { input: { roleId, entity, privilege, depth: 'USER' } }));
    }
    for (const field of fields) ok(await as('admin')('mutation($input: SetRoleFieldPermissionInput!) { setRoleFieldPermission(input: $input) { id } }', { input: { roleId, ...field } }));
    const units = ok(await as('admin')('{ businessUnits { id name } }')).businessUnits as { id: string; name: string }[];
    const email = `${name.toLowerCase()}.${tag.toLowerCase()}@demo.crm.test`;
    const password = `Col-${randomBytes(9).toString('base64url')}-kite`;
    ok(await as('admin')('mutation($input: CreateUserInput!) { createUser(input: $input) { id } }', {
      input: { email, fullName: `${name} ${tag}`, businessUnitId: units.find((u) => u.name === 'Sales')!.id, password, roleIds: [roleId] },
    }));
    tokens[name] = ok(await hub.gql('mutation($e: String!, $p: String!) { login(email: $e, password: $p) { token } }', { e: email, p: password })).login.token;
    roles[name] = roleId;
  }

  beforeAll(async () => {
    hub = await startHub({ dialect });
    for (const who of ['admin', 'sam.sales']) tokens[who] = await hub.login(`${who}@demo.crm.test`);
    await personWith('Nophone', []);
    // Reading a number is not changing it.
    await personWith('Reader', [
      { entity: 'ACTIVITY', field: 'phoneNumber', canRead: true, canUpdate: false },
      { entity: 'CONTACT', field: 'telephone', canRead: true, canUpdate: false },
    ]);
  }, 120_000);
  afterAll(() => hub?.close());

  /** The refusal with the field's name taken out, to compare one secured field's answer with another's. */
  const refusal = (result: GqlResult, field: string) => {
    const error = failed(result, 'FORBIDDEN', field);
    return { status: result.status, data: result.data ?? null, message: error.message.replace(field, '<field>'), extensions: { ...error.extensions, field: '<field>' } };
  };
  const calls = () => countRows(hub, 'activity', `subject LIKE '%${tag}%'`);
  const callDetails = () => countRows(hub, 'phone_call_detail');

  describe.each(['Nophone', 'Reader'])('a role whose field permission does not allow changing numbers (%s)', (who) => {
    it.each([['a number', '+46 8 555 0199'], ['an empty number', ''], ['null', null]])('logging a call with %s is refused as a contact\'s telephone is, and nothing is written', async (_label, number) => {
      const [before, detailsBefore] = [await calls(), await callDetails()];
      const call = refusal(await as(who)(LOG_CALL, { input: { subject: `Call ${tag}`, phoneNumber: number } }), 'input.phoneNumber');
      const contact = refusal(await as(who)(CREATE('Contact'), { input: { lastName: `Phone ${tag}`, telephone: number } }), 'input.telephone');
      expect(call).toEqual(contact);
      expect(call.message).toBe('<field>: your security roles do not let you set this field');
      expect(await calls()).toBe(before);
      expect(await callDetails()).toBe(detailsBefore);
      expect(await countRows(hub, 'contact', `lastName = 'Phone ${tag}'`)).toBe(0);
    });

    it('records\' other telephone fields answer the same way', async () => {
      const expected = refusal(await as(who)(LOG_CALL, { input: { subject: `Call ${tag}`, phoneNumber: '+1 555 0100' } }), 'input.phoneNumber');
      const attempts: [string, Record<string, unknown>, string][] = [
        [CREATE('Contact'), { lastName: `Mobile ${tag}`, mobilePhone: '+46 70 000 00 00' }, 'input.mobilePhone'],
        [CREATE('Lead'), { topic: `Lead ${tag}`, lastName: `Lead ${tag}`, telephone: '+46 8 1' }, 'input.telephone'],
        [CREATE('Account'), { name: `Account ${tag}`, telephone: '+46 8 2' }, 'input.telephone'],
      ];
      for (const [mutation, input, field] of attempts) expect(refusal(await as(who)(mutation, { input }), field)).toEqual(expected);
    });

    it('a call without a number, and a contact without a telephone, are theirs to make; changing the telephone is refused', async () => {
      const call = ok(await as(who)(LOG_CALL, { input: { subject: `Plain call ${tag} ${who}` } })).logPhoneCall;
      expect(call.phoneNumber).toBeNull();
      const contact = ok(await as(who)(CREATE('Contact'), { input: { lastName: `Plain ${tag} ${who}` } })).createContact;
      const changed = refusal(await as(who)(UPDATE_CONTACT, { id: contact.id, input: { telephone: '+46 8 3' } }), 'input.telephone');
      expect(changed.message).toBe('<field>: your security roles do not let you set this field');
      expect(await countRows(hub, 'contact', `lastName = 'Plain ${tag} ${who}' AND telephone IS NULL`)).toBe(1);
    });
  });

  it('the Salesperson role, which holds the field permission, logs a call with its number', async () => {
    const call = ok(await as('sam.sales')(LOG_CALL, { input: { subject: `Sam call ${tag}`, phoneNumber: ' +46 8 555 0142 ' } })).logPhoneCall;
    expect(call.phoneNumber).toBe('+46 8 555 0142');
  });

  it('the field permission to update is what decides: granted, the same person may set the number', async () => {
    ok(await as('admin')('mutation($input: SetRoleFieldPermissionInput!) { setRoleFieldPermission(input: $input) { id } }', {
      input: { roleId: roles.Reader, entity: 'ACTIVITY', field: 'phoneNumber', canRead: true, canUpdate: true },
    }));
    const call = ok(await as('Reader')(LOG_CALL, { input: { subject: `Granted call ${tag}`, phoneNumber: '+46 8 555 0143' } })).logPhoneCall;
    expect(call.phoneNumber).toBe('+46 8 555 0143');
    // Only that field: the contact's telephone stays read-only for this role.
    failed(await as('Reader')(CREATE('Contact'), { input: { lastName: `Still ${tag}`, telephone: '+46 8 4' } }), 'FORBIDDEN', 'input.telephone');
  });
});
