import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { ADMIN, failed, ok, userIds } from './gql-helpers';

const LOGIN = 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token mustChangePassword } }';
const CHANGE = 'mutation($c: String!, $n: String!) { changePassword(currentPassword: $c, newPassword: $n) { email } }';
const RESET = 'mutation($u: ID!) { resetUserPassword(userId: $u) { temporaryPassword user { email } } }';
const UNLOCK = 'mutation($u: ID!) { unlockUser(userId: $u) { email } }';
const ADD_ROLE = 'mutation($u: ID!, $r: ID!) { addUserRole(userId: $u, roleId: $r) { email } }';
const REMOVE_ROLE = 'mutation($u: ID!, $r: ID!) { removeUserRole(userId: $u, roleId: $r) { email } }';
const DISABLE = 'mutation($u: ID!, $d: Boolean!) { setUserDisabled(userId: $u, disabled: $d) { email disabled } }';
const CREATE_USER = 'mutation($input: CreateUserInput!) { createUser(input: $input) { id email } }';
const CONTACT_COUNT = '{ contacts(first: 1) { totalCount } }';
const SYNC_SERVICE = 'sync-service@hub.invalid';

describe.each(DIALECTS)('nobody can take what is not theirs, on %s', (dialect) => {
  let hub: StartedHub;
  let admin: string;
  let ids: Record<string, string>;
  let roles: Record<string, string>;
  let units: Record<string, string>;
  let serial = 0;

  /** A new Salesperson with a password of their own, so each test changes only its own user. */
  const newPerson = async (password = 'a-long-enough-password-1', role = 'Salesperson'): Promise<{ id: string; email: string; password: string }> => {
    const email = `person${++serial}.${dialect}@demo.crm.test`;
    const input = { email, fullName: `Person ${serial}`, businessUnitId: units.Sales, password, roleIds: [roles[role]] };
    return { ...ok(await hub.gql(CREATE_USER, { input }, admin)).createUser, password };
  };
  const signIn = (email: string, password: string) => hub.gql(LOGIN, { email, password });
  const tokenOf = async (email: string, password: string): Promise<string> => ok(await signIn(email, password)).login.token;

  beforeAll(async () => {
    hub = await startHub({ dialect });
    admin = await hub.login(ADMIN);
    ids = await userIds(hub, admin);
    const meta = ok(await hub.gql('{ securityRoles { id name } businessUnits { id name } }', {}, admin));
    roles = Object.fromEntries(meta.securityRoles.map((r: { id: string; name: string }) => [r.name, r.id]));
    units = Object.fromEntries(meta.businessUnits.map((u: { id: string; name: string }) => [u.name, u.id]));
  });
  afterAll(() => hub?.close());

  describe('sync-only operations need the Sync Service’s API key', () => {
    const CLAIM = 'mutation { claimMailboxes(engineId: "thief", limit: 5) { mailboxId credentials { secret } } }';
    const CLAIM_OUT = 'mutation { claimOutgoingEmails(limit: 5) { emailId } }';
    const TRACK = 'mutation($m: ID!) { trackEmails(mailboxId: $m, input: { items: [], leaseId: "x" }) { items { index } } }';
    const readBlob = async (token: string) => {
      const sha = createHash('sha256').update('hello').digest('hex');
      return (await fetch(`${hub.url}/blobs/${sha}`, { headers: { authorization: `Bearer ${token}` } })).status;
    };

    it('a person given the Sync Service role claims nothing and reads no blob, by session or by API key', async () => {
      const person = await newPerson();
      ok(await hub.gql(ADD_ROLE, { u: person.id, r: roles['Sync Service'] }, admin));
      const session = await tokenOf(person.email, person.password);
      const key = ok(await hub.gql('mutation($u: ID!) { createApiKey(input: { name: "sync?", userId: $u }) { key } }', { u: person.id }, admin)).createApiKey.key;
      const mailboxId = ok(await hub.gql('{ mailboxes { id } }', {}, admin)).mailboxes[0].id;
      for (const token of [session, key, admin]) {
        failed(await hub.gql(CLAIM, {}, token), 'FORBIDDEN');
        failed(await hub.gql(CLAIM_OUT, {}, token), 'FORBIDDEN');
        failed(await hub.gql(TRACK, { m: mailboxId }, token), 'FORBIDDEN');
        expect(await readBlob(token)).toBe(403);
      }
      // The Sync Service's own key still does its work.
      expect(ok(await hub.gql(CLAIM, {}, hub.syncServiceKey)).claimMailboxes).toEqual(expect.any(Array));
      expect(await readBlob(hub.syncServiceKey)).toBe(404);
    });

    it('the Sync Service user cannot sign in with a password, and nobody can give it one', async () => {
      failed(await signIn(SYNC_SERVICE, ''), 'UNAUTHENTICATED');
      failed(await hub.gql(RESET, { u: ids[SYNC_SERVICE] }, admin), 'BAD_USER_INPUT', 'userId');
    });
  });

  describe('the organization keeps an enabled System Administrator', () => {
    it('the only administrator cannot remove their own role; another user with user-write cannot disable them', async () => {
      const refused = failed(await hub.gql(REMOVE_ROLE, { u: ids[ADMIN], r: roles['System Administrator'] }, admin), 'CONFLICT');
      expect(refused.message).toMatch(/without an enabled System Administrator/);
      // A custom role that may change users, given to a Salesperson.
      const role = ok(await hub.gql('mutation { createSecurityRole(input: { name: "User keeper", description: "" }) { id } }', {}, admin)).createSecurityRole.id;
      for (const privilege of ['READ', 'WRITE']) {
        ok(await hub.gql('mutation($r: ID!, $p: Privilege!) { setRolePrivilege(input: { roleId: $r, entity: USER, privilege: $p, depth: ORGANIZATION }) { id } }', { r: role, p: privilege }, admin));
      }
      const keeper = await newPerson();
      ok(await hub.gql(ADD_ROLE, { u: keeper.id, r: role }, admin));
      const keeperToken = await tokenOf(keeper.email, keeper.password);
      failed(await hub.gql(DISABLE, { u: ids[ADMIN], d: true }, keeperToken), 'CONFLICT');
      failed(await hub.gql(REMOVE_ROLE, { u: ids[ADMIN], r: roles['System Administrator'] }, keeperToken), 'CONFLICT');
      expect(ok(await hub.gql(CONTACT_COUNT, {}, admin)).contacts.totalCount).toBe(60);
    });

    it('with two administrators one may step down, never both, even at the same moment', async () => {
      const second = await newPerson('second-admin-password-1', 'System Administrator');
      const secondToken = await tokenOf(second.email, second.password);
      const sysAdmin = roles['System Administrator'];
      const results = await Promise.all([
        hub.gql(REMOVE_ROLE, { u: second.id, r: sysAdmin }, admin),
        hub.gql(REMOVE_ROLE, { u: ids[ADMIN], r: sysAdmin }, secondToken),
      ]);
      // One wins; the other is refused: CONFLICT, or NOT_FOUND when its caller had already lost the role (and with it the users).
      expect(results.filter((r) => r.data?.removeUserRole)).toHaveLength(1);
      expect(results.map((r) => r.errors?.[0].extensions?.code).filter(Boolean)).toEqual([expect.stringMatching(/^(CONFLICT|NOT_FOUND)$/)]);
      // Whoever is still administrator gives the role back, so later tests run as before.
      const adminWon = Boolean(results[0].data?.removeUserRole);
      ok(await hub.gql(ADD_ROLE, { u: adminWon ? second.id : ids[ADMIN], r: sysAdmin }, adminWon ? admin : secondToken));
      // Disabling the other one is fine while one stays enabled; the last one cannot be disabled.
      ok(await hub.gql(DISABLE, { u: second.id, d: true }, admin));
      const demoted = await newPerson('third-admin-password-1', 'System Administrator');
      ok(await hub.gql(REMOVE_ROLE, { u: demoted.id, r: sysAdmin }, admin));
      failed(await hub.gql(REMOVE_ROLE, { u: ids[ADMIN], r: sysAdmin }, admin), 'CONFLICT');
      expect(ok(await hub.gql('{ viewer { roles { name } } }', {}, admin)).viewer.roles).toEqual([{ name: 'System Administrator' }]);
    });
  });

  describe('passwords', () => {
    let weakling: { email: string; password: string; token: string } | undefined;
    it.each([
      ['too short', 'Xk9#mq2$', /at least 12 characters/],
      ['a breached password', '1qaz2wsx3edc', /breached/],
      ['easy to guess', 'sunshinesunshine', /too easy to guess/],
      ['the user’s own name and address', 'personpersonperson', /too easy|breached/],
    ])('changePassword refuses a new password that is %s, naming the field', async (_, weak, reason) => {
      weakling ??= await newPerson().then(async (p) => ({ ...p, token: await tokenOf(p.email, p.password) }));
      const refused = failed(await hub.gql(CHANGE, { c: weakling.password, n: weak }, weakling.token), 'BAD_USER_INPUT', 'newPassword');
      expect(refused.message).toMatch(reason);
    });

    it('createUser applies the same policy', async () => {
      const input = { email: `weak.${dialect}@demo.crm.test`, fullName: 'Weak', businessUnitId: units.Sales, password: 'qwerty123456', roleIds: [] };
      expect(failed(await hub.gql(CREATE_USER, { input }, admin), 'BAD_USER_INPUT', 'input.password').message).toMatch(/breached/);
    });

    it('changePassword needs the current password, ends the other sessions and keeps this one', async () => {
      const person = await newPerson();
      const phone = await tokenOf(person.email, person.password);
      const laptop = await tokenOf(person.email, person.password);
      failed(await hub.gql(CHANGE, { c: 'not-my-password-at-all', n: 'vX7#pQ2m!Lw9zR-new' }, laptop), 'BAD_USER_INPUT', 'currentPassword');
      expect(ok(await hub.gql(CHANGE, { c: person.password, n: 'vX7#pQ2m!Lw9zR-new' }, laptop)).changePassword.email).toBe(person.email);
      ok(await hub.gql(CONTACT_COUNT, {}, laptop));
      expect((await hub.gql(CONTACT_COUNT, {}, phone)).status).toBe(401);
      failed(await signIn(person.email, person.password), 'UNAUTHENTICATED');
      await tokenOf(person.email, 'vX7#pQ2m!Lw9zR-new');
    });

    it('an API key cannot change its user’s password', async () => {
      const person = await newPerson();
      const key = ok(await hub.gql('mutation($u: ID!) { createApiKey(input: { name: "k", userId: $u }) { key } }', { u: person.id }, admin)).createApiKey.key;
      failed(await hub.gql(CHANGE, { c: person.password, n: 'vX7#pQ2m!Lw9zR-key' }, key), 'FORBIDDEN');
    });

    it('an administrator’s reset ends the user’s sessions; the temporary password only lets them choose a new one', async () => {
      const person = await newPerson();
      const before = await tokenOf(person.email, person.password);
      failed(await hub.gql(RESET, { u: person.id }, await hub.login('maria.manager@demo.crm.test')), 'FORBIDDEN');
      const { temporaryPassword } = ok(await hub.gql(RESET, { u: person.id }, admin)).resetUserPassword;
      expect(temporaryPassword).toMatch(/^[\w-]{16}$/);
      expect((await hub.gql(CONTACT_COUNT, {}, before)).status).toBe(401);
      failed(await signIn(person.email, person.password), 'UNAUTHENTICATED');

      const signedIn = ok(await signIn(person.email, temporaryPassword)).login;
      expect(signedIn.mustChangePassword).toBe(true);
      failed(await hub.gql(CONTACT_COUNT, {}, signedIn.token), 'PASSWORD_CHANGE_REQUIRED');
      failed(await hub.gql('{ users { email } }', {}, signedIn.token), 'PASSWORD_CHANGE_REQUIRED');
      expect(ok(await hub.gql('{ viewer { email } }', {}, signedIn.token)).viewer.email).toBe(person.email);
      failed(await hub.gql(CHANGE, { c: temporaryPassword, n: temporaryPassword }, signedIn.token), 'BAD_USER_INPUT', 'newPassword');
      ok(await hub.gql(CHANGE, { c: temporaryPassword, n: 'my-own-Secret-phrase-42' }, signedIn.token));
      ok(await hub.gql(CONTACT_COUNT, {}, signedIn.token));
      expect(ok(await signIn(person.email, 'my-own-Secret-phrase-42')).login.mustChangePassword).toBe(false);
    });

    it('an administrator lifts the pause that five wrong passwords put on a user', async () => {
      const person = await newPerson();
      for (let i = 0; i < 5; i++) failed(await signIn(person.email, `wrong-${i}`), 'UNAUTHENTICATED');
      failed(await signIn(person.email, person.password), 'UNAUTHENTICATED');
      failed(await hub.gql(UNLOCK, { u: person.id }, await hub.login('sam.sales@demo.crm.test')), 'FORBIDDEN');
      expect(ok(await hub.gql(UNLOCK, { u: person.id }, admin)).unlockUser.email).toBe(person.email);
      await tokenOf(person.email, person.password);
    });
  });
});
