import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { configureMailbox, insertProfile, rawId } from '../support/mail-setup';
import { ADMIN, failed, ok, uniqueTag } from './gql-helpers';

// Odd but well-typed input, as an attacker or a careless integrator sends it. Every attempt is
// refused with BAD_USER_INPUT naming the argument path, never INTERNAL_SERVER_ERROR, and writes nothing.

const SAM = 'sam.sales@demo.crm.test';
const NUL = '\u0000';
const LONE_HIGH = '\uD83D';
const LONE_LOW = '\uDE00';
const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** What the attempts could have written: every table's row count and the rows they aim at. */
const TABLES = [
  'account', 'activity', 'activity_attachment', 'activity_mailbox', 'activity_party', 'api_key', 'app_user', 'business_unit',
  'contact', 'crm_case', 'email_address', 'email_message', 'email_server_profile', 'folder_tracking_rule', 'lead', 'mailbox',
  'mailbox_alert', 'mailbox_item', 'opportunity', 'quarantined_message', 'security_role', 'timeline_entry', 'user_role',
];

interface Fixture {
  contact: string;
  account: string;
  mailbox: string;
  leaseId: string;
  profile: string;
  rootUnit: string;
  contactsCursor: string;
}

interface Attempt {
  label: string;
  as?: 'admin' | 'sync';
  query: string;
  variables: (f: Fixture) => Record<string, unknown>;
  field: string;
  /** BAD_USER_INPUT unless told. */
  code?: string;
}

const CREATE_CONTACT = 'mutation($input: CreateContactInput!) { createContact(input: $input) { id } }';
const UPDATE_CONTACT = 'mutation($id: ID!, $input: UpdateContactInput!) { updateContact(id: $id, input: $input) { id } }';
const TIMELINE = 'query($id: ID!, $filter: TimelineFilter, $after: String, $first: Int) { timeline(recordId: $id, filter: $filter, after: $after, first: $first) { edges { cursor } } }';
const CONTACTS = 'query($filter: ContactFilter, $after: String, $first: Int) { contacts(filter: $filter, after: $after, first: $first) { totalCount edges { cursor } } }';
const CREATE_PROFILE = `mutation($input: CreateEmailServerProfileInput!) { createEmailServerProfile(input: $input) { id } }`;
const profile = (overrides: Record<string, unknown>) => ({
  name: 'Hostile', kind: 'IMAP_SMTP', incomingHost: 'imap.example.test', incomingPort: 993, incomingTls: 'IMPLICIT',
  outgoingHost: 'smtp.example.test', outgoingPort: 465, outgoingTls: 'IMPLICIT', ...overrides,
});
const TRACK = 'mutation($m: ID!, $input: TrackEmailsInput!) { trackEmails(mailboxId: $m, input: $input) { cursor } }';

const ATTEMPTS: Attempt[] = [
  // Search texts and other free-text filters: explicit lengths (SQLite refuses LIKE patterns over 50,000 bytes).
  { label: 'users(search) of 50,000 characters', query: 'query($s: String) { users(search: $s) { id } }', variables: () => ({ s: 'x'.repeat(50_000) }), field: 'search' },
  { label: 'contacts(filter.search) of 50,000 characters', query: CONTACTS, variables: () => ({ filter: { search: 'x'.repeat(50_000) } }), field: 'filter.search' },
  { label: 'accounts(filter.search) of 201 characters', query: 'query($s: String) { accounts(filter: { search: $s }) { totalCount } }', variables: () => ({ s: 'x'.repeat(201) }), field: 'filter.search' },
  { label: 'cases(filter.search) of 201 emoji', query: 'query($s: String) { cases(filter: { search: $s }) { totalCount } }', variables: () => ({ s: '😀'.repeat(201) }), field: 'filter.search' },
  { label: 'timeline(filter.search) of 50,000 characters', query: TIMELINE, variables: (f) => ({ id: f.contact, filter: { search: 'x'.repeat(50_000) } }), field: 'filter.search' },
  // Lists.
  { label: 'timeline(filter.kinds) of 40,000 entries', query: TIMELINE, variables: (f) => ({ id: f.contact, filter: { kinds: Array(40_000).fill('EMAIL') } }), field: 'filter.kinds' },
  { label: 'timeline(filter.kinds) with more entries than there are kinds', query: TIMELINE, variables: (f) => ({ id: f.contact, filter: { kinds: Array(5).fill('TASK') } }), field: 'filter.kinds' },
  { label: 'createAppointment with 6,000 attendee ids', query: 'mutation($a: [ID!]) { createAppointment(input: { subject: "x", startAt: "2026-01-01T10:00:00Z", endAt: "2026-01-01T11:00:00Z", requiredAttendeeIds: $a }) { id } }', variables: () => ({ a: Array(6000).fill('x') }), field: 'input.requiredAttendeeIds' },
  { label: 'sendEmail to 501 addresses', query: 'mutation($to: [String!]) { sendEmail(input: { to: $to, subject: "s" }) { id } }', variables: () => ({ to: Array.from({ length: 501 }, (_, i) => `r${i}@example.com`) }), field: 'input.to' },
  { label: 'updateEmailSettings with 40,000 blocked domains', query: 'mutation($d: [String!]) { updateEmailSettings(input: { blockedDomains: $d }) { id: maxBodyKb } }', variables: () => ({ d: Array.from({ length: 40_000 }, (_, i) => `d${i}.example`) }), field: 'input.blockedDomains' },
  { label: 'undecidedMessages with 40,000 items', as: 'sync', query: 'mutation($m: ID!, $l: ID!, $items: [ServerMessageInput!]!) { undecidedMessages(mailboxId: $m, leaseId: $l, items: $items) }', variables: (f) => ({ m: f.mailbox, l: f.leaseId, items: Array(40_000).fill({ sourceRef: 'imap:INBOX:1:1' }) }), field: 'items' },
  // NUL and unpaired surrogates: names, subjects, hosts, folder names, credentials, addresses.
  { label: 'a NUL in a contact\'s last name', query: CREATE_CONTACT, variables: () => ({ input: { lastName: `Smith${NUL}` } }), field: 'input.lastName' },
  { label: 'a lone surrogate in a contact\'s last name', query: CREATE_CONTACT, variables: () => ({ input: { lastName: `Smith${LONE_HIGH}` } }), field: 'input.lastName' },
  { label: 'a lone surrogate in the second email address', query: CREATE_CONTACT, variables: () => ({ input: { lastName: 'Smith', emails: ['ok@example.com', `x${LONE_HIGH}@example.com`] } }), field: 'input.emails[1]' },
  { label: 'a NUL in an email address', query: CREATE_CONTACT, variables: () => ({ input: { lastName: 'Smith', emails: [`x${NUL}@example.com`] } }), field: 'input.emails[0]' },
  { label: 'a lone low surrogate in an update', query: UPDATE_CONTACT, variables: (f) => ({ id: f.contact, input: { jobTitle: `CEO${LONE_LOW}` } }), field: 'input.jobTitle' },
  { label: 'a NUL in an account name', query: 'mutation($n: String!) { createAccount(input: { name: $n }) { id } }', variables: () => ({ n: `Acme${NUL}` }), field: 'input.name' },
  { label: 'a lone surrogate in a user\'s full name', query: 'mutation($u: ID!, $n: String!) { createUser(input: { email: "new.user@example.com", fullName: $n, businessUnitId: $u }) { id } }', variables: (f) => ({ u: f.rootUnit, n: `New${LONE_LOW}User` }), field: 'input.fullName' },
  { label: 'a NUL in an API key\'s name', query: 'mutation($n: String!) { createApiKey(input: { name: $n }) { key } }', variables: () => ({ n: `ERP${NUL}` }), field: 'input.name' },
  { label: 'a NUL in an email subject', query: 'mutation($s: String) { sendEmail(input: { to: ["a@example.com"], subject: $s }) { id } }', variables: () => ({ s: `Offer${NUL}` }), field: 'input.subject' },
  { label: 'a lone surrogate in a task subject', query: 'mutation($s: String!) { createTask(input: { subject: $s }) { id } }', variables: () => ({ s: `Call ${LONE_HIGH}` }), field: 'input.subject' },
  { label: 'a NUL in an IMAP host', query: CREATE_PROFILE, variables: () => ({ input: profile({ incomingHost: `imap.example.test${NUL}.evil.test` }) }), field: 'input.incomingHost' },
  { label: 'a lone surrogate in an SMTP host', query: CREATE_PROFILE, variables: () => ({ input: profile({ outgoingHost: `smtp${LONE_LOW}.example.test` }) }), field: 'input.outgoingHost' },
  { label: 'a NUL in a profile password', query: CREATE_PROFILE, variables: () => ({ input: profile({ useProfileCredentials: true, credentialUsername: 'u', password: `pw${NUL}` }) }), field: 'input.password' },
  { label: 'a NUL in a host of an update', query: 'mutation($id: ID!, $h: String) { updateEmailServerProfile(id: $id, input: { incomingHost: $h }) { id } }', variables: (f) => ({ id: f.profile, h: `imap${NUL}` }), field: 'input.incomingHost' },
  { label: 'a NUL in a mailbox user name', query: 'mutation($id: ID!, $u: String!) { setMailboxCredentials(id: $id, input: { username: $u, password: "secret" }) { id } }', variables: (f) => ({ id: f.mailbox, u: `sam${NUL}` }), field: 'input.username' },
  { label: 'a NUL in a mailbox password', query: 'mutation($id: ID!, $p: String) { setMailboxCredentials(id: $id, input: { username: "sam", password: $p }) { id } }', variables: (f) => ({ id: f.mailbox, p: `secret${NUL}` }), field: 'input.password' },
  { label: 'a NUL in a sign-in password', query: 'mutation($p: String!) { login(email: "admin@demo.crm.test", password: $p) { token } }', variables: () => ({ p: `x${NUL}` }), field: 'password' },
  { label: 'a lone surrogate in a sign-in address', query: 'mutation($e: String!) { login(email: $e, password: "whatever") { token } }', variables: () => ({ e: `admin${LONE_HIGH}@demo.crm.test` }), field: 'email' },
  { label: 'a NUL in a tracked folder name', query: 'mutation($m: ID!, $f: String!) { setFolderTrackingRule(mailboxId: $m, input: { folder: $f }) { folder } }', variables: (f) => ({ m: f.mailbox, f: `INBOX/Contoso${NUL}` }), field: 'input.folder' },
  { label: 'a NUL in an engine id', as: 'sync', query: 'mutation($e: String!) { claimMailboxes(engineId: $e) { mailboxId } }', variables: () => ({ e: `engine${NUL}` }), field: 'engineId' },
  // A mail server's reply quoted in a report is repaired, not refused: only the id is wrong here.
  { label: 'markEmailFailed quoting a reply with NUL, for an id that is no email', as: 'sync', query: 'mutation($r: String!) { markEmailFailed(emailId: "nope", leaseId: "x", reason: $r, retryable: false) { id } }', variables: () => ({ r: `550 rejected${NUL}${LONE_HIGH}` }), field: 'emailId' },
  { label: 'a NUL in the sync cursor beside the mail', as: 'sync', query: TRACK, variables: (f) => ({ m: f.mailbox, input: { items: [], cursor: `{"v":1}${NUL}`, leaseId: f.leaseId } }), field: 'input.cursor' },
  { label: 'a NUL in the afterCursor', as: 'sync', query: TRACK, variables: (f) => ({ m: f.mailbox, input: { items: [], cursor: 'c2', afterCursor: `{"v":1}${NUL}`, leaseId: f.leaseId } }), field: 'input.afterCursor' },
  // Lengths a column cannot hold.
  { label: 'a last name of 101 emoji (4 bytes each)', query: CREATE_CONTACT, variables: () => ({ input: { lastName: '😀'.repeat(101) } }), field: 'input.lastName' },
  { label: 'a business unit name of 161 characters', query: 'mutation($u: ID!, $n: String!) { createBusinessUnit(input: { name: $n, parentId: $u }) { id } }', variables: (f) => ({ u: f.rootUnit, n: 'n'.repeat(161) }), field: 'input.name' },
  { label: 'a sync cursor larger than a TEXT column', as: 'sync', query: TRACK, variables: (f) => ({ m: f.mailbox, input: { items: [], cursor: '😀'.repeat(20_000), leaseId: f.leaseId } }), field: 'input.cursor' },
  { label: 'an afterCursor larger than any sync cursor', as: 'sync', query: TRACK, variables: (f) => ({ m: f.mailbox, input: { items: [], cursor: 'c2', afterCursor: '😀'.repeat(20_000), leaseId: f.leaseId } }), field: 'input.afterCursor' },
  // Numbers.
  { label: 'contacts(first: 101)', query: CONTACTS, variables: () => ({ first: 101 }), field: 'first' },
  { label: 'contacts(first: -1)', query: CONTACTS, variables: () => ({ first: -1 }), field: 'first' },
  { label: 'a mailbox\'s alerts(first: -5)', query: 'query($id: ID!) { mailbox(id: $id) { alerts(first: -5) { id } } }', variables: (f) => ({ id: f.mailbox }), field: 'first' },
  { label: 'claimOutgoingEmails(limit: -1)', as: 'sync', query: 'mutation { claimOutgoingEmails(limit: -1) { emailId } }', variables: () => ({}), field: 'limit' },
  { label: 'renewMailboxLease for 2,147,483,647 seconds', as: 'sync', query: 'mutation($m: ID!, $l: ID!) { renewMailboxLease(mailboxId: $m, leaseId: $l, leaseSeconds: 2147483647) }', variables: (f) => ({ m: f.mailbox, l: f.leaseId }), field: 'leaseSeconds' },
  { label: 'reportMailboxCoverage with a negative count', as: 'sync', query: 'mutation($m: ID!, $l: ID!) { reportMailboxCoverage(mailboxId: $m, leaseId: $l, serverCount: -1, decidedCount: 0, recovered: 0) { id } }', variables: (f) => ({ m: f.mailbox, l: f.leaseId }), field: 'serverCount' },
  { label: 'an opportunity worth 1e300', query: 'mutation($c: ID!) { createOpportunity(input: { name: "Big", customerId: $c, estimatedValue: 1e300 }) { id } }', variables: (f) => ({ c: f.account }), field: 'input.estimatedValue' },
  { label: 'an opportunity worth a trillion', query: 'mutation($c: ID!) { createOpportunity(input: { name: "Big", customerId: $c, estimatedValue: 1000000000000 }) { id } }', variables: (f) => ({ c: f.account }), field: 'input.estimatedValue' },
  { label: 'a phone call of -1 minutes', query: 'mutation { logPhoneCall(input: { subject: "x", durationMinutes: -1 }) { id } }', variables: () => ({}), field: 'input.durationMinutes' },
  { label: 'a server port of 0', query: CREATE_PROFILE, variables: () => ({ input: profile({ incomingPort: 0 }) }), field: 'input.incomingPort' },
  // Ids and cursors.
  { label: 'a malformed global id', query: UPDATE_CONTACT, variables: () => ({ id: 'x'.repeat(10_000), input: { jobTitle: 'x' } }), field: 'id' },
  { label: 'a lone surrogate as an id', query: 'query($id: ID!) { mailbox(id: $id) { id } }', variables: () => ({ id: LONE_HIGH }), field: 'id' },
  { label: 'an account id as the timeline\'s owner filter', query: 'query($o: ID) { contacts(filter: { ownerId: $o }) { totalCount } }', variables: (f) => ({ o: f.account }), field: 'filter.ownerId' },
  { label: 'a cursor that is not base64 JSON', query: CONTACTS, variables: () => ({ after: '!!not a cursor!!' }), field: 'after' },
  { label: 'a cursor of 10,000 characters', query: CONTACTS, variables: () => ({ after: 'A'.repeat(10_000) }), field: 'after' },
  { label: 'a record list\'s cursor on the timeline', query: TIMELINE, variables: (f) => ({ id: f.contact, after: f.contactsCursor }), field: 'after' },
  { label: 'a timeline cursor with an impossible date', query: TIMELINE, variables: (f) => ({ id: f.contact, after: b64(['occurredAt:desc', 'not a date', '01900000-0000-7000-8000-000000000000']) }), field: 'after' },
  // Dates a DATETIME column cannot hold.
  { label: 'timeline from the year 1', query: TIMELINE, variables: (f) => ({ id: f.contact, filter: { from: '0001-01-01T00:00:00Z' } }), field: 'filter.from' },
  { label: 'a task due in the year 999', query: 'mutation($d: DateTimeISO) { createTask(input: { subject: "x", dueAt: $d }) { id } }', variables: () => ({ d: '0999-12-31T00:00:00Z' }), field: 'input.dueAt' },
  { label: 'an appointment in the year 1', query: 'mutation { createAppointment(input: { subject: "x", startAt: "0001-01-01T00:00:00Z", endAt: "0001-01-01T01:00:00Z" }) { id } }', variables: () => ({}), field: 'input.startAt' },
  { label: 'resyncMailbox from the year 1', query: 'mutation($id: ID!) { resyncMailbox(id: $id, from: "0001-01-01T00:00:00Z") { id } }', variables: (f) => ({ id: f.mailbox }), field: 'from' },
  { label: 'a mailbox processing email from the year 500', query: 'mutation($id: ID!) { configureMailbox(id: $id, input: { processEmailFrom: "0500-01-01T00:00:00Z" }) { id } }', variables: (f) => ({ id: f.mailbox }), field: 'input.processEmailFrom' },
];

describe.each(DIALECTS)('hostile inputs on %s', (dialect) => {
  let hub: StartedHub;
  let admin: string;
  const fixture = {} as Fixture;
  const tag = uniqueTag('Hostile');

  const as = (who: 'admin' | 'sync' = 'admin') => (who === 'sync' ? hub.syncServiceKey : admin);
  const row = async (table: string, id: string) => (await hub.database.dataSource.query(`SELECT * FROM ${table} WHERE id = ?`, [id]))[0];
  /** Row counts of every table an attempt could write to, and the rows the attempts aim at. */
  const snapshot = async () => ({
    counts: Object.fromEntries(
      await Promise.all(TABLES.map(async (t) => [t, Number((await hub.database.dataSource.query(`SELECT COUNT(*) AS n FROM ${t}`))[0].n)] as const)),
    ),
    contact: await row('contact', rawId(fixture.contact)),
    mailbox: await row('mailbox', rawId(fixture.mailbox)),
    profile: await row('email_server_profile', rawId(fixture.profile)),
    settings: await hub.database.dataSource.query('SELECT * FROM organization_email_settings'),
  });

  beforeAll(async () => {
    hub = await startHub({ dialect });
    admin = await hub.login(ADMIN);
    const create = async (type: string, input: Record<string, unknown>) =>
      ok(await hub.gql(`mutation($input: Create${type}Input!) { create${type}(input: $input) { id } }`, { input }, admin))[`create${type}`].id as string;
    fixture.account = await create('Account', { name: `${tag} account` });
    fixture.contact = await create('Contact', { lastName: `${tag} contact`, accountId: fixture.account });
    fixture.profile = ok(await hub.gql(CREATE_PROFILE, { input: profile({ name: `${tag} profile` }) }, admin)).createEmailServerProfile.id;
    fixture.rootUnit = ok(await hub.gql('{ viewer { businessUnit { id } } }', {}, admin)).viewer.businessUnit.id;
    fixture.contactsCursor = ok(await hub.gql(CONTACTS, { first: 1 }, admin)).contacts.edges[0].cursor;
    const mailboxes = ok(await hub.gql('{ mailboxes { id address } }', {}, hub.syncServiceKey)).mailboxes as { id: string; address: string }[];
    fixture.mailbox = mailboxes.find((m) => m.address === SAM)!.id;
    ok(await hub.gql('mutation($id: ID!) { updateMailbox(id: $id, input: { trackingFilter: ALL }) { id } }', { id: fixture.mailbox }, admin));
    await configureMailbox(hub, fixture.mailbox, { profileId: await insertProfile(hub) });
    const work = ok(await hub.gql('mutation { claimMailboxes(engineId: "hostile", limit: 50) { mailboxId leaseId } }', {}, hub.syncServiceKey)).claimMailboxes;
    fixture.leaseId = work.find((w: { mailboxId: string }) => w.mailboxId === fixture.mailbox).leaseId;
  });
  afterAll(() => hub?.close());

  it.each(ATTEMPTS)('$label → $field refused, nothing written', async ({ as: who, query, variables, field, code }) => {
    const before = await snapshot();
    const result = await hub.gql(query, variables(fixture), as(who));
    failed(result, code ?? 'BAD_USER_INPUT', field);
    expect(result.data ?? null).toBeNull();
    expect(await snapshot()).toEqual(before);
  });

  it('a huge `first` is refused before anything runs, never as an internal error', async () => {
    const result = await hub.gql(CONTACTS, { first: 2_147_483_647 }, admin);
    expect(['BAD_USER_INPUT', 'QUERY_TOO_COMPLEX']).toContain(result.errors?.[0]?.extensions?.code);
  });

  describe('accepted at the limits', () => {
    it.each([
      { label: 'a last name of 100 emoji', type: 'Contact', field: 'lastName', value: '😀'.repeat(100), base: {} },
      { label: 'an account name of 160 astral letters', type: 'Account', field: 'name', value: '𝔄'.repeat(160), base: {} },
      { label: 'a case title of 200 emoji with skin tones', type: 'Case', field: 'title', value: '👍🏽'.repeat(100), base: () => ({ customerId: fixture.account }) },
      { label: 'a task subject of 400 emoji', type: 'Task', field: 'subject', value: '🤝'.repeat(400), base: {} },
    ])('$label is stored as sent', async ({ type, field, value, base }) => {
      const input = { ...(typeof base === 'function' ? base() : base), [field]: value };
      const created = ok(await hub.gql(`mutation($input: Create${type}Input!) { create${type}(input: $input) { id ${field} } }`, { input }, admin))[`create${type}`];
      expect(created[field]).toBe(value);
    });

    it('an opportunity worth 999,999,999,999.99 keeps its cents', async () => {
      const { id } = ok(await hub.gql('mutation($c: ID!) { createOpportunity(input: { name: "Largest", customerId: $c, estimatedValue: 999999999999.99 }) { id } }', { c: fixture.account }, admin)).createOpportunity;
      const stored = ok(await hub.gql('query($id: ID!) { node(id: $id) { ... on Opportunity { estimatedValue } } }', { id }, admin)).node;
      expect(stored.estimatedValue).toBe(999_999_999_999.99);
    });

    it('dates from the year 1000 to 9999 are taken', async () => {
      const due = ['1000-01-01T00:00:00.000Z', '9999-12-31T23:59:59.000Z'];
      for (const dueAt of due) {
        const task = ok(await hub.gql('mutation($d: DateTimeISO) { createTask(input: { subject: "edge", dueAt: $d }) { id dueAt } }', { d: dueAt }, admin)).createTask;
        expect(task.dueAt).toBe(dueAt);
      }
    });
  });

  describe('search text is matched literally: % and _ and the escape character are no wildcards', () => {
    beforeAll(async () => {
      for (const lastName of [`${tag} 100% pure`, `${tag} 100 pure`, `${tag} a_b`, `${tag} axb`, `${tag} bang!x`]) {
        ok(await hub.gql(CREATE_CONTACT, { input: { lastName } }, admin));
      }
    });
    const names = async (search: string) =>
      (ok(await hub.gql('query($s: String) { contacts(filter: { search: $s }, first: 50) { edges { node { lastName } } } }', { s: search }, admin)).contacts.edges as { node: { lastName: string } }[])
        .map((e) => e.node.lastName)
        .sort();

    it.each([
      { search: `${tag} 100%`, found: [`${tag} 100% pure`] },
      { search: `${tag} a_b`, found: [`${tag} a_b`] },
      { search: 'g!x', found: [`${tag} bang!x`] },
      { search: '0% p', found: [`${tag} 100% pure`] },
    ])('contacts(filter.search: $search) finds only the literal text', async ({ search, found }) => {
      expect(await names(search)).toEqual(found);
    });

    it('users(search) escapes % and _ instead of stripping them (they match no seeded user)', async () => {
      const users = async (search: string) => ok(await hub.gql('query($s: String) { users(search: $s) { email } }', { s: search }, admin)).users as { email: string }[];
      expect(await users('%')).toEqual([]);
      expect(await users('_')).toEqual([]);
      expect(await users('sam%sales')).toEqual([]);
      expect((await users('sam.sales')).map((u) => u.email)).toEqual([SAM]);
      expect((await users('SAM SALES')).map((u) => u.email)).toEqual([SAM]);
    });

    it('the timeline search matches subjects literally', async () => {
      for (const subject of [`${tag} 50% off`, `${tag} 50 off`]) ok(await hub.gql('mutation($s: String!, $r: ID) { createTask(input: { subject: $s, regardingId: $r }) { id } }', { s: subject, r: fixture.contact }, admin));
      const subjects = async (search: string) =>
        (ok(await hub.gql(`query($id: ID!, $s: String) { timeline(recordId: $id, filter: { search: $s }) { edges { node { subject } } } }`, { id: fixture.contact, s: search }, admin)).timeline.edges as { node: { subject: string } }[]).map((e) => e.node.subject);
      expect(await subjects('50% off')).toEqual([`${tag} 50% off`]);
      expect(await subjects('50_off')).toEqual([]);
    });
  });

  describe('real mail is never refused for broken text: it is repaired and the repair recorded', () => {
    const track = async (item: Record<string, unknown>) =>
      ok(await hub.gql('mutation($m: ID!, $input: TrackEmailsInput!) { trackEmails(mailboxId: $m, input: $input) { items { outcome activityId salvaged } } }', { m: fixture.mailbox, input: { items: [item], leaseId: fixture.leaseId } }, hub.syncServiceKey)).trackEmails.items[0] as {
        outcome: string;
        activityId: string;
        salvaged: string[];
      };
    const from = { address: 'sender@customer.example', name: 'Sender' };
    const to = [{ address: SAM, name: 'Sam' }];

    it('NUL bytes and lone surrogates in subject, names, body, headers, attachments and invitation are stored repaired', async () => {
      const item = await track({
        messageId: `<broken.${tag}@customer.example>`,
        subject: `Quote${NUL} ${LONE_HIGH}${tag}`,
        from: { address: 'sender@customer.example', name: `Sen${NUL}der ${LONE_LOW}` },
        to,
        textBody: `Hello${NUL} there ${LONE_HIGH}`,
        headers: [{ name: `X-Odd${NUL}`, value: LONE_LOW }],
        folder: `INBOX${NUL}`,
        attachments: [{ fileName: `quote${LONE_HIGH}.pdf`, contentType: 'application/pdf', size: 1e308, sha256: null }],
        calendar: { method: 'REQUEST', uid: `uid-${tag}${NUL}`, summary: `Meet${LONE_LOW}`, start: '2026-03-01T10:00:00Z', end: '2026-03-01T11:00:00Z' },
      });
      expect(item.outcome).toBe('TRACKED');
      expect(item.salvaged).toContain('INVALID_CHARACTERS: removed NUL characters and replaced broken characters with U+FFFD');
      const email = ok(await hub.gql(`query($id: ID!) { node(id: $id) { ... on Email { subject textBody parties { role address displayName } attachments { fileName size } } } }`, { id: item.activityId }, admin)).node;
      expect(email.subject).toBe(`Quote \uFFFD${tag}`);
      expect(email.textBody).toBe('Hello there \uFFFD');
      expect(email.parties.find((p: { role: string }) => p.role === 'FROM')).toMatchObject({ address: from.address, displayName: 'Sender \uFFFD' });
      expect(email.attachments).toEqual([{ fileName: 'quote\uFFFD.pdf', size: 0 }]);
    });

    it('a lone surrogate in an address drops that address only, as any invalid address', async () => {
      const item = await track({ messageId: `<addr.${tag}@customer.example>`, subject: 'Addresses', from, to: [...to, { address: `x${LONE_HIGH}@customer.example` }] });
      expect(item.outcome).toBe('TRACKED');
      expect(item.salvaged.some((s) => s.startsWith('INVALID_ADDRESS'))).toBe(true);
    });

    it('a folder name longer than the column is cut, not an internal error', async () => {
      const item = await track({ messageId: `<folder.${tag}@customer.example>`, subject: 'Deep folder', from, to, folder: `INBOX/${'Sub/'.repeat(2500)}` });
      expect(item).toMatchObject({ outcome: 'TRACKED', salvaged: ['FOLDER_TRUNCATED: cut to 255 characters'] });
    });

    it('quarantined messages with broken text are recorded repaired', async () => {
      const sourceRef = `imap:INBOX:1:${tag}`;
      ok(await hub.gql(TRACK, { m: fixture.mailbox, input: { items: [], leaseId: fixture.leaseId, quarantine: [{ sourceRef, code: 'INVALID_MESSAGE', reason: `bad${NUL}`, subject: `S${LONE_HIGH}` }] } }, hub.syncServiceKey));
      const [stored] = await hub.database.dataSource.query('SELECT reason, subject FROM quarantined_message WHERE sourceRef = ?', [sourceRef]);
      expect(stored).toEqual({ reason: 'bad', subject: 'S\uFFFD' });
    });

    it('a sync report quoting a server reply with broken text is recorded repaired (and ends the lease, so it comes last)', async () => {
      ok(await hub.gql('mutation($m: ID!, $l: ID!, $msg: String) { releaseMailbox(mailboxId: $m, leaseId: $l, report: { outcome: AUTH_FAILED, message: $msg }) { id } }', { m: fixture.mailbox, l: fixture.leaseId, msg: `NO [AUTHENTICATIONFAILED]${NUL} bad ${LONE_LOW}` }, hub.syncServiceKey));
      const [alert] = await hub.database.dataSource.query('SELECT message FROM mailbox_alert WHERE mailboxId = ? AND code = ?', [rawId(fixture.mailbox), 'AUTH_FAILED']);
      expect(alert).toEqual({ message: 'NO [AUTHENTICATIONFAILED] bad \uFFFD' });
    });
  });
});
