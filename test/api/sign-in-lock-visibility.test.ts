import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHub, type StartedHub } from '../support/hub';
import { ADMIN, failed, ok, uniqueTag } from './gql-helpers';

// User.signInLockedUntil tells the console that wrong passwords paused a user's sign-in, so it can offer unlockUser.
// Only who may change that user learns it: for anyone else a lock-out would say someone is guessing that password.

const LOGIN = 'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }';
const CREATE_USER = 'mutation($input: CreateUserInput!) { createUser(input: $input) { id email } }';
const LOCKS = 'query($q: String) { users(search: $q) { id signInLockedUntil } }';
const SAM = 'sam.sales@demo.crm.test';

describe('who sees that a user’s sign-in is paused', () => {
  let hub: StartedHub;
  let admin: string;
  let sam: string;
  let locked: { id: string; email: string };

  beforeAll(async () => {
    hub = await startHub({ dialect: 'sqlite' });
    admin = await hub.login(ADMIN);
    sam = await hub.login(SAM);
    const meta = ok(await hub.gql('{ securityRoles { id name } businessUnits { id name } }', {}, admin));
    const unit = meta.businessUnits.find((u: { name: string }) => u.name === 'Sales').id;
    const role = meta.securityRoles.find((r: { name: string }) => r.name === 'Salesperson').id;
    const email = `locked.${uniqueTag().toLowerCase()}@demo.crm.test`;
    const input = { email, fullName: 'Lena Locked', businessUnitId: unit, password: 'a-long-enough-password-1', roleIds: [role] };
    locked = ok(await hub.gql(CREATE_USER, { input }, admin)).createUser;
    // LOCKOUT (api/src/identity/auth.service.ts): five wrong passwords pause password sign-in.
    for (let attempt = 0; attempt < 5; attempt++) failed(await hub.gql(LOGIN, { email, password: `wrong ${attempt}` }), 'UNAUTHENTICATED');
  });
  afterAll(() => hub?.close());

  const lockOf = async (token: string): Promise<string | null | undefined> =>
    ok(await hub.gql(LOCKS, { q: locked.email }, token)).users.find((u: { id: string }) => u.id === locked.id)?.signInLockedUntil;

  it('an administrator, who may unlock them, sees until when', async () => {
    const until = await lockOf(admin);
    expect(until).toBeTruthy();
    expect(new Date(until!).getTime()).toBeGreaterThan(Date.now());
  });

  it('a salesperson, who reads users but may not change them, sees null', async () => {
    expect(await lockOf(sam)).toBeNull();
    // Through the node of the user and an API key as well.
    const byNode = ok(await hub.gql('query($id: ID!) { node(id: $id) { ... on User { signInLockedUntil } } }', { id: locked.id }, sam)).node;
    expect(byNode.signInLockedUntil).toBeNull();
    const key = ok(await hub.gql('mutation { createApiKey(input: { name: "reader" }) { key } }', {}, admin)).createApiKey.key;
    // The admin's key may see it (it acts as the admin); the salesperson cannot make one.
    expect(await lockOf(key)).toBeTruthy();
    failed(await hub.gql('mutation { createApiKey(input: { name: "mine" }) { key } }', {}, sam), 'FORBIDDEN');
  });

  it('the salesperson cannot lift the pause; the administrator can, and then it is null', async () => {
    failed(await hub.gql('mutation($u: ID!) { unlockUser(userId: $u) { signInLockedUntil } }', { u: locked.id }, sam), 'FORBIDDEN');
    const unlocked = ok(await hub.gql('mutation($u: ID!) { unlockUser(userId: $u) { signInLockedUntil } }', { u: locked.id }, admin)).unlockUser;
    expect(unlocked.signInLockedUntil).toBeNull();
    expect(ok(await hub.gql(LOGIN, { email: locked.email, password: 'a-long-enough-password-1' })).login.token).toBeTruthy();
  });

  it('a signed-out caller learns nothing', async () => {
    failed(await hub.gql(LOCKS, { q: locked.email }), 'UNAUTHENTICATED');
  });
});
