import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { failed, ok, uniqueTag } from './gql-helpers';

/** The database id inside a Relay global id (base64url of "Type:uuid"). */
const rawId = (globalId: string): string => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

const PROFILE = `id name kind incomingHost incomingPort incomingTls outgoingHost outgoingPort outgoingTls authMethod useProfileCredentials
  credentialUsername hasCredentials allowInvalidCertificates pollIntervalSeconds maxConcurrentConnections processEmailFrom sentFolder isDefault`;
const MAILBOX = `id address ownerKind incomingMethod outgoingMethod appointmentsContactsTasksMethod approval isForwardMailbox deleteForwardedCopies
  processEmailFrom hasCredentials credentialUsername state stateReason resyncFrom nextSyncAt failureCount
  profile { id name } incomingTest { status code reason testedAt } outgoingTest { status code reason testedAt }
  coverage { serverCount decidedCount missingCount checkedAt }
  alerts(first: 5) { severity code message createdAt }`;
const CREATE_PROFILE = `mutation($input: CreateEmailServerProfileInput!) { createEmailServerProfile(input: $input) { ${PROFILE} } }`;
const UPDATE_PROFILE = `mutation($id: ID!, $input: UpdateEmailServerProfileInput!) { updateEmailServerProfile(id: $id, input: $input) { ${PROFILE} } }`;
const DELETE_PROFILE = 'mutation($id: ID!) { deleteEmailServerProfile(id: $id) }';
const CONFIGURE = `mutation($id: ID!, $input: ConfigureMailboxInput!) { configureMailbox(id: $id, input: $input) { ${MAILBOX} } }`;
const CREDENTIALS = `mutation($id: ID!, $input: MailboxCredentialsInput!) { setMailboxCredentials(id: $id, input: $input) { ${MAILBOX} } }`;
const APPROVE = `mutation($id: ID!) { approveMailboxEmail(id: $id) { ${MAILBOX} } }`;
const REJECT = `mutation($id: ID!) { rejectMailboxEmail(id: $id) { ${MAILBOX} } }`;
const TEST_ENABLE = `mutation($id: ID!) { testAndEnableMailbox(id: $id) { ${MAILBOX} } }`;
const DISABLE = `mutation($id: ID!) { disableMailbox(id: $id) { ${MAILBOX} } }`;
const RESYNC = `mutation($id: ID!, $from: DateTimeISO!) { resyncMailbox(id: $id, from: $from) { ${MAILBOX} } }`;
const MAILBOX_QUERY = `query($id: ID!) { mailbox(id: $id) { ${MAILBOX} } }`;

/** A time as both databases take it in a hand-written statement (UTC, milliseconds). */
const dbTime = (date: Date): string => date.toISOString().replace('T', ' ').replace('Z', '');

/** A profile input that passes every rule; tests change one field at a time. */
const imapProfile = (name: string, extra: Record<string, unknown> = {}) => ({
  name,
  kind: 'IMAP_SMTP',
  incomingHost: 'imap.example.test',
  incomingPort: 993,
  incomingTls: 'IMPLICIT',
  outgoingHost: 'smtp.example.test',
  outgoingPort: 587,
  outgoingTls: 'STARTTLS',
  ...extra,
});

type IntrospectedType = { kind: string; name: string | null; ofType: IntrospectedType | null };
type IntrospectedField = { name: string; args: { type: IntrospectedType; defaultValue: string | null }[]; type: IntrospectedType };

describe.each(DIALECTS)('mail configuration on %s', (dialect) => {
  let hub: StartedHub;
  const tokens: Record<string, string> = {};
  const mailboxOf: Record<string, string> = {};
  const tag = uniqueTag('Prof');
  let defaultProfileId: string;

  const as = (who: string) => (query: string, variables: Record<string, unknown> = {}) => hub.gql(query, variables, tokens[who]);
  const admin = as('admin');
  const sql = (statement: string, params: unknown[] = []) => hub.database.dataSource.query(statement, params);
  const column = async (table: string, name: string, id: string) => (await sql(`SELECT ${name} AS v FROM ${table} WHERE id = ?`, [id]))[0].v;
  const configure = async (who: string, input: Record<string, unknown>) => ok(await admin(CONFIGURE, { id: mailboxOf[who], input })).configureMailbox;

  /** A selection of every field of a type (nested objects `depth` levels deep), from the schema itself. */
  async function everyField(typeName: string, depth: number): Promise<string> {
    const schema = ok(
      await admin(`{ __schema { types { name kind fields { name args { defaultValue type { kind name ofType { kind name } } }
        type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } } }`),
    ).__schema.types as { name: string; kind: string; fields: IntrospectedField[] | null }[];
    const byName = new Map(schema.map((t) => [t.name, t]));
    const named = (t: IntrospectedType): IntrospectedType => (t.ofType ? named(t.ofType) : t);
    const select = (name: string, level: number): string =>
      byName
        .get(name)!
        .fields!.filter((f) => f.args.every((a) => a.type.kind !== 'NON_NULL' || a.defaultValue !== null))
        .map((f) => {
          const type = byName.get(named(f.type).name!)!;
          if (type.kind === 'SCALAR' || type.kind === 'ENUM') return f.name;
          if (type.kind !== 'OBJECT') return `${f.name} { __typename }`;
          return level > 0 ? `${f.name} { ${select(type.name, level - 1)} }` : '';
        })
        .join(' ');
    return select(typeName, depth);
  }

  beforeAll(async () => {
    hub = await startHub({ dialect });
    for (const who of ['admin', 'sam.sales', 'sara.sales', 'nora.north', 'maria.manager', 'sven.service']) tokens[who] = await hub.login(`${who}@demo.crm.test`);
    const mailboxes = ok(await admin('{ mailboxes { id address } }')).mailboxes as { id: string; address: string }[];
    for (const m of mailboxes) mailboxOf[m.address.split('@')[0]] = m.id;
    defaultProfileId = ok(await admin(CREATE_PROFILE, { input: imapProfile(`${tag} default`, { isDefault: true }) })).createEmailServerProfile.id;
  });
  afterAll(() => hub?.close());

  it('administrators create, change and delete profiles; the rules name the field they concern', async () => {
    const created = ok(await admin(CREATE_PROFILE, { input: imapProfile(`${tag} crud`, { sentFolder: ' Sent Items ', processEmailFrom: '2024-01-01T00:00:00.000Z' }) }))
      .createEmailServerProfile;
    expect(created).toMatchObject({
      name: `${tag} crud`,
      kind: 'IMAP_SMTP',
      authMethod: 'PASSWORD',
      useProfileCredentials: false,
      hasCredentials: false,
      credentialUsername: null,
      allowInvalidCertificates: false,
      pollIntervalSeconds: 60,
      maxConcurrentConnections: 10,
      sentFolder: 'Sent Items',
      processEmailFrom: '2024-01-01T00:00:00.000Z',
      isDefault: false,
    });

    const refused: [Record<string, unknown>, string][] = [
      [{ incomingPort: 0 }, 'input.incomingPort'],
      [{ outgoingPort: 65536 }, 'input.outgoingPort'],
      [{ incomingHost: '   ' }, 'input.incomingHost'],
      [{ outgoingHost: 'smtp example' }, 'input.outgoingHost'],
      [{ pollIntervalSeconds: 4 }, 'input.pollIntervalSeconds'],
      [{ pollIntervalSeconds: 86401 }, 'input.pollIntervalSeconds'],
      [{ maxConcurrentConnections: 0 }, 'input.maxConcurrentConnections'],
      [{ maxConcurrentConnections: 101 }, 'input.maxConcurrentConnections'],
      [{ kind: 'POP3_SMTP', incomingPort: 995, authMethod: 'OAUTH_BEARER' }, 'input.authMethod'],
      [{ useProfileCredentials: true, credentialUsername: 'shared@example.test' }, 'input.password'],
      [{ useProfileCredentials: true, password: 'x-secret' }, 'input.credentialUsername'],
      [{ authMethod: 'OAUTH_BEARER', useProfileCredentials: true, credentialUsername: 'u', password: 'not-a-token' }, 'input.password'],
      [{ password: 'a', accessToken: 'b' }, 'input.accessToken'],
    ];
    for (const [change, field] of refused) failed(await admin(CREATE_PROFILE, { input: imapProfile(`${tag} bad`, change) }), 'BAD_USER_INPUT', field);
    failed(await admin(CREATE_PROFILE, { input: imapProfile(`${tag} crud`) }), 'CONFLICT', 'input.name');
    failed(await admin(UPDATE_PROFILE, { id: created.id, input: { name: `${tag} default` } }), 'CONFLICT', 'input.name');
    failed(await admin(UPDATE_PROFILE, { id: created.id, input: { kind: 'POP3_SMTP', authMethod: 'OAUTH_BEARER' } }), 'BAD_USER_INPUT', 'input.authMethod');
    failed(await admin(UPDATE_PROFILE, { id: created.id, input: { incomingPort: null } }), 'BAD_USER_INPUT', 'input.incomingPort');

    const updated = ok(await admin(UPDATE_PROFILE, { id: created.id, input: { pollIntervalSeconds: 5, outgoingPort: 465, outgoingTls: 'IMPLICIT', sentFolder: null } }))
      .updateEmailServerProfile;
    expect(updated).toMatchObject({ pollIntervalSeconds: 5, outgoingPort: 465, outgoingTls: 'IMPLICIT', sentFolder: null, incomingHost: 'imap.example.test' });

    // At most one default: making this one the default clears the other.
    ok(await admin(UPDATE_PROFILE, { id: created.id, input: { isDefault: true } }));
    const defaults = (ok(await admin(`{ emailServerProfiles { id isDefault } }`)).emailServerProfiles as { id: string; isDefault: boolean }[]).filter((p) => p.isDefault);
    expect(defaults.map((p) => p.id)).toEqual([created.id]);
    ok(await admin(UPDATE_PROFILE, { id: defaultProfileId, input: { isDefault: true } }));

    // In use by a mailbox: refused with how many; free again: deleted.
    await configure('nora.north', { profileId: created.id });
    const inUse = failed(await admin(DELETE_PROFILE, { id: created.id }), 'CONFLICT', 'id');
    expect(inUse.message).toContain('1 mailbox uses');
    await configure('nora.north', { profileId: null });
    expect(ok(await admin(DELETE_PROFILE, { id: created.id })).deleteEmailServerProfile).toBe(created.id);
    failed(await admin(DELETE_PROFILE, { id: created.id }), 'NOT_FOUND', 'id');
  });

  it('profiles are for administrators only', async () => {
    for (const who of ['sam.sales', 'maria.manager']) {
      failed(await as(who)('{ emailServerProfiles { id } }'), 'FORBIDDEN');
      failed(await as(who)(CREATE_PROFILE, { input: imapProfile(`${tag} theirs`) }), 'FORBIDDEN');
      failed(await as(who)(DELETE_PROFILE, { id: defaultProfileId }), 'FORBIDDEN');
    }
  });

  it('secrets are write-only: no field of a profile or mailbox shows them, and they are stored encrypted to their row', async () => {
    const password = `pw-${uniqueTag()}-Ünïcode`;
    const token = `tok-${uniqueTag()}`;
    const profile = ok(
      await admin(CREATE_PROFILE, {
        input: imapProfile(`${tag} shared`, { useProfileCredentials: true, credentialUsername: 'shared@example.test', password }),
      }),
    ).createEmailServerProfile;
    expect(profile).toMatchObject({ hasCredentials: true, credentialUsername: 'shared@example.test' });
    const oauth = ok(
      await admin(CREATE_PROFILE, { input: imapProfile(`${tag} oauth`, { authMethod: 'OAUTH_BEARER', useProfileCredentials: true, credentialUsername: 'o', accessToken: token }) }),
    ).createEmailServerProfile;
    await configure('sven.service', { profileId: profile.id });
    const mailboxPassword = `mb-${uniqueTag()}`;
    ok(await as('sven.service')(CREDENTIALS, { id: mailboxOf['sven.service'], input: { username: 'sven', password: mailboxPassword } }));

    const mailboxFields = await everyField('Mailbox', 2);
    expect(mailboxFields).toMatch(/\bprofile \{ [^}]*hasCredentials/);
    expect(mailboxFields).toMatch(/\bcredentialUsername\b.*\balerts \{/);
    const everything = JSON.stringify([
      ok(await admin(`{ emailServerProfiles { ${await everyField('EmailServerProfile', 2)} } }`)),
      // One mailbox at a time: every field of every mailbox in one query is past the complexity limit (request-limits.test.ts).
      ok(await admin(`query($id: ID!) { mailbox(id: $id) { ${mailboxFields} } }`, { id: mailboxOf['sven.service'] })),
      ok(await as('sven.service')(`query($id: ID!) { mailbox(id: $id) { ${mailboxFields} } }`, { id: mailboxOf['sven.service'] })),
    ]);
    // The queries did reach the rows that hold the secrets.
    expect(everything).toContain('shared@example.test');
    expect(everything).toContain('"credentialUsername":"sven"');
    for (const secret of [password, token, mailboxPassword]) expect(everything).not.toContain(secret);

    for (const [table, id, owner, secret] of [
      ['email_server_profile', rawId(profile.id), `profile:${rawId(profile.id)}`, password],
      ['email_server_profile', rawId(oauth.id), `profile:${rawId(oauth.id)}`, token],
      ['mailbox', rawId(mailboxOf['sven.service']), `mailbox:${rawId(mailboxOf['sven.service'])}`, mailboxPassword],
    ]) {
      const stored = String(await column(table, 'credentialSecret', id));
      expect(stored).not.toContain(secret);
      expect(stored).toMatch(/^v1:/);
      expect(hub.services.credentials.decrypt(stored, owner)).toBe(secret);
      expect(() => hub.services.credentials.decrypt(stored, `mailbox:${rawId(mailboxOf['sam.sales'])}`)).toThrow();
    }
    await configure('sven.service', { profileId: null });
  });

  it('a new user\'s mailbox gets the organization\'s default methods and the default profile, awaiting approval', async () => {
    const units = ok(await admin('{ businessUnits { id name } }')).businessUnits as { id: string; name: string }[];
    const createUser = async (local: string) => {
      const input = { email: `${local}@demo.crm.test`, fullName: local, businessUnitId: units.find((u) => u.name === 'Sales')!.id, password: 'new-user-password-1' };
      ok(await admin('mutation($input: CreateUserInput!) { createUser(input: $input) { id } }', { input }));
      const mailboxes = ok(await admin(`{ mailboxes { ${MAILBOX} } }`)).mailboxes as { address: string }[];
      return mailboxes.find((m) => m.address === input.email) as any;
    };
    const first = await createUser(`u${uniqueTag().toLowerCase()}`);
    expect(first).toMatchObject({
      ownerKind: 'USER',
      incomingMethod: 'SERVER_SIDE_SYNC',
      outgoingMethod: 'SERVER_SIDE_SYNC',
      appointmentsContactsTasksMethod: 'NONE',
      approval: 'PENDING_APPROVAL',
      state: 'NOT_ENABLED',
      profile: { id: defaultProfileId },
      hasCredentials: false,
      incomingTest: { status: 'NOT_RUN' },
      coverage: null,
      alerts: [],
    });

    const SETTINGS = `mutation($input: UpdateEmailSettingsInput!) { updateEmailSettings(input: $input) {
      defaultIncomingMethod defaultOutgoingMethod defaultAppointmentsContactsTasksMethod processEmailOnlyForApprovedMailboxes } }`;
    // Dynamics applies the default where the server can do it: a new mailbox on the (IMAP) default profile gets NONE.
    ok(await admin(SETTINGS, { input: { defaultAppointmentsContactsTasksMethod: 'SERVER_SIDE_SYNC' } }));
    expect(await createUser(`u${uniqueTag().toLowerCase()}`)).toMatchObject({ appointmentsContactsTasksMethod: 'NONE', profile: { id: defaultProfileId } });
    failed(await as('sam.sales')(SETTINGS, { input: { defaultIncomingMethod: 'NONE' } }), 'FORBIDDEN');
    expect(ok(await admin(SETTINGS, { input: { defaultIncomingMethod: 'NONE', defaultOutgoingMethod: 'NONE', defaultAppointmentsContactsTasksMethod: 'NONE' } })).updateEmailSettings).toEqual({
      defaultIncomingMethod: 'NONE',
      defaultOutgoingMethod: 'NONE',
      defaultAppointmentsContactsTasksMethod: 'NONE',
      processEmailOnlyForApprovedMailboxes: true,
    });
    expect(await createUser(`u${uniqueTag().toLowerCase()}`)).toMatchObject({ incomingMethod: 'NONE', outgoingMethod: 'NONE', profile: { id: defaultProfileId } });
    ok(await admin(SETTINGS, { input: { defaultIncomingMethod: 'SERVER_SIDE_SYNC', defaultOutgoingMethod: 'SERVER_SIDE_SYNC' } }));
  });

  it('Test & Enable waits for a profile, the approval and credentials; then it asks the engine to test each channel', async () => {
    const sam = as('sam.sales');
    const id = mailboxOf['sam.sales'];
    await configure('sam.sales', { profileId: null });
    expect(failed(await sam(TEST_ENABLE, { id }), 'BAD_USER_INPUT', 'id').message).toContain('no email server profile');
    await configure('sam.sales', { profileId: defaultProfileId, incomingMethod: 'SERVER_SIDE_SYNC', outgoingMethod: 'SERVER_SIDE_SYNC' });
    expect(failed(await sam(TEST_ENABLE, { id }), 'BAD_USER_INPUT', 'id').message).toContain('approve the email address first');

    failed(await sam(APPROVE, { id }), 'FORBIDDEN');
    const approved = ok(await admin(APPROVE, { id })).approveMailboxEmail;
    expect(approved.approval).toBe('APPROVED');
    expect(approved.alerts[0]).toMatchObject({ severity: 'INFORMATION', code: 'EMAIL_APPROVED' });
    expect(failed(await sam(TEST_ENABLE, { id }), 'BAD_USER_INPUT', 'id').message).toContain('no credentials');

    failed(await sam(CREDENTIALS, { id, input: { username: 'sam', accessToken: 'tok' } }), 'BAD_USER_INPUT', 'input.accessToken');
    failed(await sam(CREDENTIALS, { id, input: { username: 'sam' } }), 'BAD_USER_INPUT', 'input.password');
    failed(await sam(CREDENTIALS, { id, input: { username: ' ', password: 'x' } }), 'BAD_USER_INPUT', 'input.username');
    expect(ok(await sam(CREDENTIALS, { id, input: { username: ' sam ', password: 'sam-password' } })).setMailboxCredentials).toMatchObject({
      hasCredentials: true,
      credentialUsername: 'sam',
      state: 'NOT_ENABLED',
    });

    const requested = ok(await sam(TEST_ENABLE, { id })).testAndEnableMailbox;
    expect(requested).toMatchObject({ incomingTest: { status: 'PENDING', code: null }, outgoingTest: { status: 'PENDING' }, state: 'NOT_ENABLED' });
    expect(requested.alerts[0]).toMatchObject({ code: 'TEST_REQUESTED', message: expect.stringContaining('sam.sales@demo.crm.test') });
    expect(await column('mailbox', 'testRequestedAt', rawId(id))).not.toBeNull();

    // A channel whose method is NONE is not tested.
    await configure('sam.sales', { outgoingMethod: 'NONE' });
    expect(ok(await admin(TEST_ENABLE, { id })).testAndEnableMailbox).toMatchObject({ incomingTest: { status: 'PENDING' }, outgoingTest: { status: 'NOT_RUN' } });

    // Rejected: refused again; the organization may choose not to require approval.
    ok(await admin(REJECT, { id }));
    expect(failed(await sam(TEST_ENABLE, { id }), 'BAD_USER_INPUT', 'id').message).toContain('was rejected');
    const lax = 'mutation($on: Boolean!) { updateEmailSettings(input: { processEmailOnlyForApprovedMailboxes: $on }) { processEmailOnlyForApprovedMailboxes } }';
    ok(await admin(lax, { on: false }));
    try {
      ok(await sam(TEST_ENABLE, { id }));
    } finally {
      ok(await admin(lax, { on: true }));
    }
  });

  it('configureMailbox refuses what IMAP/POP3 cannot do, is for administrators, and a new profile needs Test & Enable again', async () => {
    const id = mailboxOf['maria.manager'];
    const act = failed(await admin(CONFIGURE, { id, input: { appointmentsContactsTasksMethod: 'SERVER_SIDE_SYNC' } }), 'BAD_USER_INPUT', 'input.appointmentsContactsTasksMethod');
    expect(act.message).toMatch(/Exchange/);
    failed(await admin(CONFIGURE, { id, input: { isForwardMailbox: true } }), 'BAD_USER_INPUT', 'input.isForwardMailbox');
    failed(await admin(CONFIGURE, { id, input: { deleteForwardedCopies: true } }), 'BAD_USER_INPUT', 'input.deleteForwardedCopies');
    failed(await admin(CONFIGURE, { id, input: { profileId: mailboxOf['sam.sales'] } }), 'BAD_USER_INPUT', 'input.profileId');
    failed(await admin(CONFIGURE, { id, input: { incomingMethod: null } }), 'BAD_USER_INPUT', 'input.incomingMethod');
    failed(await as('maria.manager')(CONFIGURE, { id, input: { incomingMethod: 'NONE' } }), 'FORBIDDEN');
    failed(await as('sam.sales')(CONFIGURE, { id, input: { incomingMethod: 'NONE' } }), 'NOT_FOUND', 'id');

    // As if Test & Enable had succeeded:
    await sql("UPDATE mailbox SET state = 'ENABLED', incomingTestStatus = 'SUCCESS', outgoingTestStatus = 'SUCCESS', approval = 'APPROVED' WHERE id = ?", [rawId(id)]);
    const other = ok(await admin(CREATE_PROFILE, { input: imapProfile(`${tag} other`) })).createEmailServerProfile;
    const unchanged = await configure('maria.manager', { processEmailFrom: '2025-01-01T00:00:00.000Z', incomingMethod: 'FORWARD_MAILBOX' });
    // Nothing new to test, so its own (sending) state stays ENABLED; what it shows is the true state of its incoming
    // mail, which now arrives through a forward mailbox the organization does not have yet.
    expect(unchanged).toMatchObject({ state: 'NOT_ENABLED', stateReason: expect.stringMatching(/the organization has none/), processEmailFrom: '2025-01-01T00:00:00.000Z', incomingMethod: 'FORWARD_MAILBOX' });
    expect(await sql('SELECT state FROM mailbox WHERE id = ?', [rawId(id)])).toEqual([{ state: 'ENABLED' }]);
    const moved = await configure('maria.manager', { profileId: other.id });
    expect(moved).toMatchObject({
      state: 'NOT_ENABLED',
      stateReason: 'profile changed; run Test & Enable',
      nextSyncAt: null,
      profile: { id: other.id, name: `${tag} other` },
      incomingTest: { status: 'NOT_RUN' },
      outgoingTest: { status: 'NOT_RUN' },
    });
    expect(moved.alerts[0]).toMatchObject({ severity: 'INFORMATION', code: 'CONFIGURATION_CHANGED', message: expect.stringContaining(`server profile "${tag} other"`) });
    await configure('maria.manager', { profileId: null });
  });

  it('new credentials resume a mailbox stopped by a refused password', async () => {
    const id = mailboxOf['sara.sales'];
    await configure('sara.sales', { profileId: defaultProfileId });
    await sql("UPDATE mailbox SET state = 'DISABLED_AUTH', stateReason = 'the server refused the password', failureCount = 3, approval = 'APPROVED' WHERE id = ?", [rawId(id)]);
    const before = Date.now();
    const resumed = ok(await as('sara.sales')(CREDENTIALS, { id, input: { username: 'sara', password: 'new-sara-password' } })).setMailboxCredentials;
    expect(resumed).toMatchObject({ state: 'ENABLED', stateReason: null, failureCount: 0, hasCredentials: true });
    expect(new Date(resumed.nextSyncAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(new Date(resumed.nextSyncAt).getTime()).toBeLessThanOrEqual(Date.now() + 1000);
    expect(resumed.alerts[0]).toMatchObject({ severity: 'INFORMATION', code: 'CREDENTIALS_CHANGED', message: expect.stringContaining('resumes') });

    // Profile credentials resume the profile's stopped mailboxes the same way.
    const shared = ok(await admin(CREATE_PROFILE, { input: imapProfile(`${tag} resume`, { useProfileCredentials: true, credentialUsername: 'svc', password: 'one' }) }))
      .createEmailServerProfile;
    await configure('sara.sales', { profileId: shared.id });
    await sql("UPDATE mailbox SET state = 'DISABLED_AUTH' WHERE id = ?", [rawId(id)]);
    ok(await admin(UPDATE_PROFILE, { id: shared.id, input: { password: 'two' } }));
    expect(ok(await admin(MAILBOX_QUERY, { id })).mailbox).toMatchObject({ state: 'ENABLED' });
    await configure('sara.sales', { profileId: null });
  });

  it('the mailbox owner and administrators read its alerts and quarantine; another salesperson cannot', async () => {
    const id = mailboxOf['sam.sales'];
    await sql(
      `INSERT INTO quarantined_message (id, mailboxId, sourceRef, folder, code, reason, messageId, subject, fromAddress, size, quarantinedAt)
       VALUES (?, ?, 'imap:INBOX:1:7', 'INBOX', 'INVALID_MESSAGE', 'no header/body separator', NULL, 'Broken', 'x@example.test', 12, ?)`,
      ['0190a5c0-0000-7000-8000-000000000001', rawId(id), dbTime(new Date())],
    );
    await sql('UPDATE mailbox SET coverageServerCount = 10, coverageDecidedCount = 7, coverageCheckedAt = ? WHERE id = ?', [dbTime(new Date()), rawId(id)]);
    const LOG = `query($id: ID!) { mailbox(id: $id) { alerts(first: 2) { code createdAt } quarantined { sourceRef code reason subject size } coverage { serverCount decidedCount missingCount } } }`;
    const own = ok(await as('sam.sales')(LOG, { id })).mailbox;
    expect(own.alerts).toHaveLength(2);
    expect(new Date(own.alerts[0].createdAt).getTime()).toBeGreaterThanOrEqual(new Date(own.alerts[1].createdAt).getTime());
    expect(own.quarantined).toEqual([{ sourceRef: 'imap:INBOX:1:7', code: 'INVALID_MESSAGE', reason: 'no header/body separator', subject: 'Broken', size: 12 }]);
    expect(own.coverage).toEqual({ serverCount: 10, decidedCount: 7, missingCount: 3 });
    expect(ok(await admin(LOG, { id })).mailbox.quarantined).toHaveLength(1);

    failed(await as('sara.sales')(LOG, { id }), 'NOT_FOUND', 'id');
    const saras = ok(await as('sara.sales')('{ mailboxes { id alerts { code } } }')).mailboxes as { id: string }[];
    expect(saras.map((m) => m.id)).toEqual([mailboxOf['sara.sales']]);
    failed(await as('sam.sales')('query($id: ID!) { mailbox(id: $id) { alerts(first: 0) { code } } }', { id }), 'BAD_USER_INPUT', 'first');

    // Every mailbox's log in one request (batched), each newest first.
    const all = ok(await admin('{ mailboxes { id alerts(first: 3) { code createdAt } } }')).mailboxes as { id: string; alerts: { createdAt: string }[] }[];
    expect(all.find((m) => m.id === id)!.alerts).toHaveLength(3);
    for (const m of all) {
      const times = m.alerts.map((a) => new Date(a.createdAt).getTime());
      expect(times).toEqual([...times].sort((a, b) => b - a));
    }
  });

  it('administrators disable and resync a mailbox; the owner cannot undo a disable', async () => {
    const id = mailboxOf['sam.sales'];
    failed(await as('sam.sales')(DISABLE, { id }), 'FORBIDDEN');
    const disabled = ok(await admin(DISABLE, { id })).disableMailbox;
    expect(disabled).toMatchObject({ state: 'DISABLED_BY_ADMIN', nextSyncAt: null, stateReason: expect.stringContaining('admin@demo.crm.test') });
    expect(disabled.alerts[0]).toMatchObject({ code: 'DISABLED_BY_ADMIN' });
    expect(await column('mailbox', 'testRequestedAt', rawId(id))).toBeNull();
    failed(await as('sam.sales')(TEST_ENABLE, { id }), 'FORBIDDEN');

    const from = '2025-03-01T00:00:00.000Z';
    failed(await as('sam.sales')(RESYNC, { id, from }), 'FORBIDDEN');
    failed(await admin(RESYNC, { id, from: new Date(Date.now() + 86_400_000).toISOString() }), 'BAD_USER_INPUT', 'from');
    const resync = ok(await admin(RESYNC, { id, from })).resyncMailbox;
    expect(resync).toMatchObject({ resyncFrom: from, state: 'DISABLED_BY_ADMIN' });
    expect(resync.nextSyncAt).not.toBeNull();
    expect(resync.alerts[0]).toMatchObject({ code: 'RESYNC_REQUESTED', message: expect.stringContaining(from) });
  });
});
