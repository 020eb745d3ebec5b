import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { outlookMessage, TRACK_EMAILS, type TrackItem } from '../support/mail-fixtures';
import { rawId } from '../support/mail-setup';
import { ADMIN, countRows, failed, ok, uniqueTag } from './gql-helpers';

// Issue 9, "Nobody learns what they may not read": each attempt of the issue, made as a user of
// one business unit against records of another.

const PARTIES = `parties { role address displayName resolution record { __typename ... on Contact { id } ... on User { id } } }`;
const DECISION = `trackingDecision { outcome filterReason correlationMethod correlationEvidence
  parties { role address resolution kind recordId candidates } steps { step outcome detail } }`;
const SEND = `mutation($input: SendEmailInput!) { sendEmail(input: $input) { id ${PARTIES} } }`;
const EMAIL = `query($id: ID!) { node(id: $id) { id ... on Email { ${PARTIES} ${DECISION} } } }`;
const CREATE_CONTACT = `mutation($input: CreateContactInput!) { createContact(input: $input) { id } }`;

const MB = 1024 * 1024;

describe.each(DIALECTS)('privacy oracles on %s', (dialect) => {
  let hub: StartedHub;
  const tokens: Record<string, string> = {};
  const tag = uniqueTag('P').toLowerCase();
  const address = (name: string) => `${name}.${tag}@example.test`;
  /** A Service contact's address, two Service contacts' shared address, and a Sales contact's (Sam's unit). */
  const hidden = address('hidden');
  const shared = address('shared');
  const visible = address('visible');
  const ids: Record<string, string> = {};

  const as = (who: string) => (query: string, variables: Record<string, unknown> = {}) => hub.gql(query, variables, who === 'sync' ? hub.syncServiceKey : tokens[who]);
  const put = (body: Buffer, who: string) =>
    fetch(`${hub.url}/blobs`, { method: 'PUT', body, headers: { authorization: `Bearer ${who === 'sync' ? hub.syncServiceKey : tokens[who]}` } });

  beforeAll(async () => {
    // A small quota, so exceeding it is cheap.
    hub = await startHub({ dialect, env: { BLOB_UPLOAD_QUOTA_MB: '1' } });
    for (const who of ['admin', 'sam.sales', 'sara.sales', 'sven.service', 'maria.manager']) tokens[who] = await hub.login(`${who}@demo.crm.test`);
    const contact = async (who: string, lastName: string, email: string) => ok(await as(who)(CREATE_CONTACT, { input: { lastName, emails: [email] } })).createContact.id as string;
    ids.hidden = await contact('sven.service', `Hidden ${tag}`, hidden);
    ids.sharedA = await contact('sven.service', `Shared A ${tag}`, shared);
    ids.sharedB = await contact('sven.service', `Shared B ${tag}`, shared);
    ids.visible = await contact('sam.sales', `Visible ${tag}`, visible);
  }, 120_000);
  afterAll(() => hub?.close());

  /** A party or decision party with its address (and header name) made neutral, to compare the rest. */
  const shape = (p: { address: string; displayName?: string | null }) => ({ ...p, address: '<address>', ...('displayName' in p ? { displayName: p.displayName === null ? null : '<name>' } : {}) });

  it('sendEmail answers a recipient another unit\'s records carry exactly as it answers an unknown address', async () => {
    const unknown = [address('nobody1'), address('nobody2')];
    const email = ok(await as('sam.sales')(SEND, { input: { to: [hidden, unknown[0], visible], cc: [shared, unknown[1]], subject: `Probe ${tag}`, textBody: 'Hi' } })).sendEmail;
    const [, toHidden, toUnknown, toVisible, ccShared, ccUnknown] = email.parties;
    expect(toUnknown).toEqual({ role: 'TO', address: unknown[0], displayName: null, resolution: 'UNRESOLVED', record: null });
    expect(toHidden).toEqual({ ...toUnknown, address: hidden });
    expect(ccShared).toEqual({ ...ccUnknown, address: shared });
    expect(toVisible).toMatchObject({ resolution: 'RESOLVED', record: { __typename: 'Contact', id: ids.visible } });
    // A readable record names its address (in the header too); a hidden one does not, even in what is stored and sent.
    expect(toVisible.displayName).toContain(`Visible ${tag}`);

    // Read again, and by a colleague of the same unit: the same view.
    for (const who of ['sam.sales', 'sara.sales']) expect(ok(await as(who)(EMAIL, { id: email.id })).node.parties).toEqual(email.parties);
    // The stored truth is intact for those who may read the records.
    const truth = ok(await as('admin')(EMAIL, { id: email.id })).node.parties;
    expect(truth[1]).toMatchObject({ resolution: 'RESOLVED', record: { __typename: 'Contact', id: ids.hidden } });
    expect(truth[1].displayName).toBeNull();
    expect(truth[4]).toMatchObject({ resolution: 'AMBIGUOUS', record: null });

    // Picking the hidden contact as a recipient fails exactly as picking one that does not exist.
    const missing = Buffer.from(`Contact:${'0'.repeat(8)}-0000-7000-8000-${'0'.repeat(12)}`).toString('base64url');
    const errorFor = async (id: string) => {
      const error = failed(await as('sam.sales')(SEND, { input: { toRecordIds: [id], subject: 'x', textBody: 'x' } }), 'NOT_FOUND', 'input.toRecordIds[0]');
      return { ...error, message: error.message.replace(id, '<id>') };
    };
    expect(await errorFor(ids.hidden)).toEqual(await errorFor(missing));
  });

  it('a tracked email shows a reader who may not read a party\'s record a bare address, in its parties and its decision', async () => {
    const mailboxes = ok(await as('sync')('{ mailboxes { id address } }')).mailboxes as { id: string; address: string }[];
    const sara = mailboxes.find((m) => m.address === 'sara.sales@demo.crm.test')!.id;
    ok(await as('admin')('mutation($id: ID!, $input: UpdateMailboxInput!) { updateMailbox(id: $id, input: $input) { id } }', { id: sara, input: { trackingFilter: 'ALL' } }));
    const to = [{ address: 'sara.sales@demo.crm.test', name: 'Sara' }];
    const message = (from: string, cc: string): TrackItem =>
      outlookMessage({ from: { address: from, name: 'Pat Example' }, to, cc: [{ address: cc, name: 'Co Pied' }, { address: visible, name: 'Vis' }], subject: `Hello ${tag}` });
    // The same mail twice: from a hidden contact (cc the shared address), and from unknown addresses.
    const items = [message(hidden, shared), message(address('nobody3'), address('nobody4'))];
    const tracked = ok(await as('sync')(TRACK_EMAILS, { mailboxId: sara, input: { items } })).trackEmails.items;
    expect(tracked.map((i: { outcome: string }) => i.outcome)).toEqual(['TRACKED', 'TRACKED']);

    const [ofHidden, ofUnknown] = await Promise.all(tracked.map(async (i: { activityId: string }) => ok(await as('sam.sales')(EMAIL, { id: i.activityId })).node));
    expect(ofHidden.parties.map(shape)).toEqual(ofUnknown.parties.map(shape));
    expect(ofHidden.parties[0]).toEqual({ role: 'FROM', address: hidden, displayName: 'Pat Example', resolution: 'UNRESOLVED', record: null });
    // Each message has its own Outlook conversation; the rest must match word for word.
    const decision = (d: { parties: { address: string }[]; steps: { detail: string }[] }) => ({
      ...d,
      parties: d.parties.map(shape),
      steps: d.steps.map((s) => ({ ...s, detail: s.detail.replace(/conversation \S+/, 'conversation <id>') })),
    });
    expect(decision(ofHidden.trackingDecision)).toEqual(decision(ofUnknown.trackingDecision));
    expect(JSON.stringify(ofHidden)).not.toContain(ids.hidden);
    expect(JSON.stringify(ofHidden)).not.toContain(rawId(ids.sharedA));

    // The administrator sees what tracking decided.
    const truth = ok(await as('admin')(EMAIL, { id: tracked[0].activityId })).node;
    expect(truth.trackingDecision.parties[0]).toMatchObject({ resolution: 'RESOLVED', kind: 'contact', recordId: ids.hidden });
    expect(truth.trackingDecision.parties[2]).toMatchObject({ resolution: 'AMBIGUOUS', candidates: [ids.sharedA, ids.sharedB] });
  });

  it('PUT /blobs answers bytes another user stored exactly as new bytes', async () => {
    const theirs = randomBytes(2048);
    expect((await put(theirs, 'sven.service')).status).toBe(201);
    const again = await put(theirs, 'sam.sales');
    const fresh = await put(randomBytes(2048), 'sam.sales');
    expect(again.status).toBe(fresh.status);
    expect(Object.keys(await again.json())).toEqual(Object.keys(await fresh.json()));
    // The sync engine's uploads work as before.
    expect((await put(theirs, 'sync')).status).toBe(201);
  });

  it('a person\'s uploads count against their quota in full, stored before or not; the sync engine has none', async () => {
    const someone = randomBytes(0.6 * MB);
    expect((await put(someone, 'admin')).status).toBe(201);
    expect((await put(someone, 'sara.sales')).status).toBe(201);
    const over = await put(someone, 'sara.sales');
    expect(over.status).toBe(413);
    expect(await over.json()).toEqual({ error: { code: 'UPLOAD_QUOTA_EXCEEDED', message: expect.stringContaining(String(MB)), quotaBytes: MB } });
    for (let i = 0; i < 3; i++) expect((await put(randomBytes(0.6 * MB), 'sync')).status).toBe(201);

    // Uploads at the same time cannot pass the quota together.
    const statuses = await Promise.all([0, 1, 2].map(() => put(randomBytes(0.6 * MB), 'maria.manager').then((r) => r.status)));
    expect(statuses.filter((s) => s === 201).length).toBeLessThanOrEqual(1);
    expect(statuses.every((s) => s === 201 || s === 413)).toBe(true);
    expect(Number((await hub.database.dataSource.query(`SELECT COALESCE(SUM(u.size), 0) AS n FROM blob_upload u JOIN app_user a ON a.id = u.userId WHERE a.email = 'maria.manager@demo.crm.test'`))[0].n)).toBeLessThanOrEqual(MB);
  });

  it('collects blobs nothing references after the grace period, keeps referenced ones and those touched since', async () => {
    const sha = async (body: Buffer, who: string) => ((await (await put(body, who)).json()) as { sha256: string }).sha256;
    const stray = await sha(randomBytes(1000), 'sam.sales');
    const attached = await sha(randomBytes(1000), 'sync');
    const mailboxes = ok(await as('sync')('{ mailboxes { id address } }')).mailboxes as { id: string; address: string }[];
    const sara = mailboxes.find((m) => m.address === 'sara.sales@demo.crm.test')!.id;
    const item = { ...outlookMessage({ from: { address: visible, name: 'Vis' }, to: [{ address: 'sara.sales@demo.crm.test', name: 'Sara' }], subject: `Files ${tag}` }) };
    item.attachments = [{ fileName: 'a.bin', size: 1000, sha256: attached }];
    expect(ok(await as('sync')(TRACK_EMAILS, { mailboxId: sara, input: { items: [item] } })).trackEmails.items[0].outcome).toBe('TRACKED');

    const stored = async (s: string) => (await countRows(hub, 'blob_content', `sha256 = '${s}'`)) + (await countRows(hub, 'blob_chunk', `blobKey = '${s}'`));
    // Two blobs from long ago that nothing references; the engine uploads one of them again now
    // (as it does before tracking an email that carries it): that one stays for the email.
    const [again, forgotten] = [randomBytes(1000), randomBytes(1000)];
    const [againSha, forgottenSha] = [await sha(again, 'sync'), await sha(forgotten, 'sync')];
    await hub.database.dataSource.query(`UPDATE blob_content SET createdAt = '2000-01-01 00:00:00.000', touchedAt = NULL WHERE sha256 IN ('${againSha}', '${forgottenSha}')`);
    expect((await put(again, 'sync')).status).toBe(201);

    await hub.services.blobUploads.collect();
    expect(await stored(forgottenSha)).toBe(0);
    expect(await stored(againSha)).toBe(2);
    expect(await stored(stray)).toBe(2);

    // A day and an hour later: what nothing references is gone with its chunks; what an email names stays.
    const { blobsRemoved } = await hub.services.blobUploads.collect(new Date(Date.now() + 25 * 3_600_000));
    expect(blobsRemoved).toBeGreaterThanOrEqual(3);
    for (const gone of [stray, againSha, forgottenSha]) expect(await stored(gone)).toBe(0);
    expect(await stored(attached)).toBe(2);
    const bodies = (await hub.database.dataSource.query(`SELECT textBodyBlob AS sha FROM email_message WHERE textBodyBlob IS NOT NULL`)) as { sha: string }[];
    expect(bodies.length).toBeGreaterThan(0);
    for (const { sha: body } of bodies) expect(await countRows(hub, 'blob_content', `sha256 = '${body}'`)).toBe(1);
    expect(await countRows(hub, 'blob_upload')).toBe(0);
  });

  it('PhoneCall.phoneNumber is null for a role without the field permission', async () => {
    const LOG = `mutation($input: LogPhoneCallInput!) { logPhoneCall(input: $input) { id ... on PhoneCall { phoneNumber } } }`;
    const call = ok(await as('sam.sales')(LOG, { input: { subject: `Call ${tag}`, phoneNumber: '+1 555 0100', partyIds: [ids.visible] } })).logPhoneCall;
    expect(call.phoneNumber).toBe('+1 555 0100');
    const READ = `query($id: ID!) { node(id: $id) { ... on PhoneCall { subject phoneNumber } } }`;
    // The Sync Service reads every activity but has no field permissions.
    expect(ok(await as('sync')(READ, { id: call.id })).node).toEqual({ subject: `Call ${tag}`, phoneNumber: null });
    expect(ok(await as('sara.sales')(READ, { id: call.id })).node.phoneNumber).toBe('+1 555 0100');
  });

  it('User.roles shows a Salesperson the names of others\' roles but not what they grant, as securityRoles does', async () => {
    // Two users by id, not every user: a list of all users with their roles' privileges costs more than the complexity limit allows.
    const ids = Object.fromEntries(ok(await as('admin')('{ users { id email } }')).users.map((u: { id: string; email: string }) => [u.email, u.id]));
    const ROLES = `fragment R on User { roles { name privileges { entity privilege depth } fieldPermissions { entity field } } }
      query($admin: ID!, $sam: ID!) { admin: node(id: $admin) { ...R } sam: node(id: $sam) { ...R } securityRoles { name } }`;
    const vars = { admin: ids[ADMIN], sam: ids['sam.sales@demo.crm.test'] };
    const seen = ok(await as('sam.sales')(ROLES, vars));
    // The same rule in both places: every role to those who may read roles, one's own to everyone.
    expect(seen.securityRoles).toEqual([{ name: 'Salesperson' }]);
    expect(seen.admin.roles).toEqual([{ name: 'System Administrator', privileges: [], fieldPermissions: [] }]);
    const own = seen.sam;
    expect(own.roles[0].privileges.length).toBeGreaterThan(0);

    const asAdmin = ok(await as('admin')(ROLES, vars));
    expect(asAdmin.securityRoles.length).toBeGreaterThan(1);
    const sam = asAdmin.sam;
    expect(sam.roles[0].privileges).toEqual(own.roles[0].privileges);
    expect(sam.roles[0].fieldPermissions).toContainEqual({ entity: 'ACTIVITY', field: 'phoneNumber' });
  });
});
