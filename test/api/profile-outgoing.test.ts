import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { failed, ok, uniqueTag } from './gql-helpers';

const PROFILE = 'id name outgoingHost outgoingPort outgoingTls';
const CREATE_PROFILE = `mutation($input: CreateEmailServerProfileInput!) { createEmailServerProfile(input: $input) { ${PROFILE} } }`;
const UPDATE_PROFILE = `mutation($id: ID!, $input: UpdateEmailServerProfileInput!) { updateEmailServerProfile(id: $id, input: $input) { ${PROFILE} } }`;
const MAILBOX = 'id address outgoingMethod state profile { id } incomingTest { status } outgoingTest { status }';
const CONFIGURE = `mutation($id: ID!, $input: ConfigureMailboxInput!) { configureMailbox(id: $id, input: $input) { ${MAILBOX} } }`;
const CLAIM = `mutation { claimMailboxes(engineId: "profile-test", limit: 10) {
  mailboxId leaseId job incoming { host } outgoing { host port tls } incomingEnabled outgoingEnabled } }`;
const REPORT_TEST = `mutation($m: ID!, $l: ID!, $in: ChannelTestInput!, $out: ChannelTestInput!) {
  reportMailboxTest(mailboxId: $m, leaseId: $l, incoming: $in, outgoing: $out) { id state } }`;

/** An IMAP profile for reading only: no outgoing (SMTP) fields at all. */
const readOnlyProfile = (name: string, extra: Record<string, unknown> = {}) => ({
  name, kind: 'IMAP_SMTP', incomingHost: 'imap.example.test', incomingPort: 993, incomingTls: 'IMPLICIT', ...extra,
});
const SMTP = { outgoingHost: 'smtp.example.test', outgoingPort: 587, outgoingTls: 'STARTTLS' };

describe.each(DIALECTS)('email server profiles without an SMTP server on %s', (dialect) => {
  let hub: StartedHub;
  let admin: string;
  const tag = uniqueTag('NoSmtp');
  const mailboxOf: Record<string, string> = {};
  const gql = (query: string, variables: Record<string, unknown> = {}) => hub.gql(query, variables, admin);
  const configure = (who: string, input: Record<string, unknown>) => gql(CONFIGURE, { id: mailboxOf[who], input });

  beforeAll(async () => {
    hub = await startHub({ dialect });
    admin = await hub.login('admin@demo.crm.test');
    for (const m of ok(await gql('{ mailboxes { id address } }')).mailboxes as { id: string; address: string }[]) mailboxOf[m.address.split('@')[0]] = m.id;
  });
  afterAll(() => hub?.close());

  it('a profile needs no outgoing settings; a partial outgoing server is refused naming the missing field', async () => {
    const created = ok(await gql(CREATE_PROFILE, { input: readOnlyProfile(`${tag} read`) })).createEmailServerProfile;
    expect(created).toMatchObject({ outgoingHost: null, outgoingPort: null, outgoingTls: null });
    const refused: [Record<string, unknown>, string][] = [
      [{ outgoingPort: 587 }, 'input.outgoingHost'],
      [{ outgoingTls: 'STARTTLS' }, 'input.outgoingHost'],
      [{ outgoingHost: 'smtp.example.test' }, 'input.outgoingPort'],
      [{ outgoingHost: 'smtp.example.test', outgoingPort: 587 }, 'input.outgoingTls'],
      [{ outgoingHost: '  ', outgoingPort: 587, outgoingTls: 'STARTTLS' }, 'input.outgoingHost'],
    ];
    for (const [change, field] of refused) failed(await gql(CREATE_PROFILE, { input: readOnlyProfile(`${tag} bad`, change) }), 'BAD_USER_INPUT', field);
    failed(await gql(UPDATE_PROFILE, { id: created.id, input: { outgoingHost: 'smtp.example.test' } }), 'BAD_USER_INPUT', 'input.outgoingPort');
    // Added later, and removed again (port and TLS go with the host).
    expect(ok(await gql(UPDATE_PROFILE, { id: created.id, input: SMTP })).updateEmailServerProfile).toMatchObject(SMTP);
    expect(ok(await gql(UPDATE_PROFILE, { id: created.id, input: { outgoingHost: null } })).updateEmailServerProfile).toMatchObject({
      outgoingHost: null, outgoingPort: null, outgoingTls: null,
    });
    failed(await gql(UPDATE_PROFILE, { id: created.id, input: { outgoingHost: null, outgoingPort: 25 } }), 'BAD_USER_INPUT', 'input.outgoingHost');
  });

  it('configureMailbox refuses outgoing SERVER_SIDE_SYNC on it, naming the field the caller changed', async () => {
    const readOnly = ok(await gql(CREATE_PROFILE, { input: readOnlyProfile(`${tag} conf`) })).createEmailServerProfile;
    const sending = ok(await gql(CREATE_PROFILE, { input: readOnlyProfile(`${tag} smtp`, SMTP) })).createEmailServerProfile;

    const chosen = failed(await configure('nora.north', { profileId: readOnly.id, outgoingMethod: 'SERVER_SIDE_SYNC' }), 'BAD_USER_INPUT', 'input.outgoingMethod');
    expect(chosen.message).toContain(`"${tag} conf" has no outgoing (SMTP) server`);
    ok(await configure('nora.north', { profileId: sending.id, outgoingMethod: 'SERVER_SIDE_SYNC' }));
    failed(await configure('nora.north', { profileId: readOnly.id }), 'BAD_USER_INPUT', 'input.profileId');
    // The profile cannot lose its SMTP server while a mailbox sends through it.
    const inUse = failed(await gql(UPDATE_PROFILE, { id: sending.id, input: { outgoingHost: null } }), 'CONFLICT', 'input.outgoingHost');
    expect(inUse.message).toContain('1 mailbox sends');

    expect(ok(await configure('nora.north', { profileId: readOnly.id, outgoingMethod: 'NONE' })).configureMailbox).toMatchObject({ outgoingMethod: 'NONE', profile: { id: readOnly.id } });
    ok(await gql(UPDATE_PROFILE, { id: sending.id, input: { outgoingHost: null } }));
    ok(await configure('nora.north', { profileId: null }));
  });

  it('a new mailbox on a default profile without SMTP does not send; Test & Enable and the engine test incoming only', async () => {
    const profile = ok(await gql(CREATE_PROFILE, { input: readOnlyProfile(`${tag} default`, { isDefault: true }) })).createEmailServerProfile;
    const units = ok(await gql('{ businessUnits { id name } }')).businessUnits as { id: string; name: string }[];
    const email = `${tag.toLowerCase()}@demo.crm.test`;
    const input = { email, fullName: tag, businessUnitId: units.find((u) => u.name === 'Sales')!.id, password: `Wq8!${tag}-lantern-orbit` };
    ok(await gql('mutation($input: CreateUserInput!) { createUser(input: $input) { id } }', { input }));
    const mailbox = (ok(await gql(`{ mailboxes { ${MAILBOX} } }`)).mailboxes as { address: string; id: string }[]).find((m) => m.address === email)!;
    expect(mailbox).toMatchObject({ outgoingMethod: 'NONE', profile: { id: profile.id } });

    const id = mailbox.id;
    ok(await gql(CONFIGURE, { id, input: { incomingMethod: 'SERVER_SIDE_SYNC' } }));
    ok(await gql('mutation($id: ID!) { approveMailboxEmail(id: $id) { id } }', { id }));
    ok(await gql('mutation($id: ID!) { setMailboxCredentials(id: $id, input: { username: "u", password: "p" }) { id } }', { id }));
    const requested = ok(await gql(`mutation($id: ID!) { testAndEnableMailbox(id: $id) { ${MAILBOX} } }`, { id })).testAndEnableMailbox;
    expect(requested).toMatchObject({ incomingTest: { status: 'PENDING' }, outgoingTest: { status: 'NOT_RUN' } });

    const work = (ok(await hub.gql(CLAIM, {}, hub.syncServiceKey)).claimMailboxes as { mailboxId: string; leaseId: string }[]).find((w) => w.mailboxId === id)!;
    expect(work).toMatchObject({ job: 'TEST', incoming: { host: 'imap.example.test' }, outgoing: null, incomingEnabled: true, outgoingEnabled: false });
    const enabled = ok(await hub.gql(REPORT_TEST, { m: id, l: work.leaseId, in: { status: 'SUCCESS', reason: 'signed in' }, out: { status: 'NOT_RUN' } }, hub.syncServiceKey));
    expect(enabled.reportMailboxTest.state).toBe('ENABLED');
    ok(await gql(UPDATE_PROFILE, { id: profile.id, input: { isDefault: false } }));
  });
});
