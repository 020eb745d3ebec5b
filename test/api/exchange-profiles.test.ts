import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { failed, ok, uniqueTag } from './gql-helpers';

// EXCHANGE_EWS server profiles through the GraphQL API: what an administrator may set, what is refused and
// named, and what the sync engine receives in its claims (the EWS connection instead of IMAP/SMTP endpoints).

const PROFILE = 'id name kind incomingHost incomingPort incomingTls outgoingHost ewsUrl useImpersonation authMethod useProfileCredentials hasCredentials sentFolder';
const CREATE = `mutation($input: CreateEmailServerProfileInput!) { createEmailServerProfile(input: $input) { ${PROFILE} } }`;
const UPDATE = `mutation($id: ID!, $input: UpdateEmailServerProfileInput!) { updateEmailServerProfile(id: $id, input: $input) { ${PROFILE} } }`;
const MAILBOX = `id address state outgoingMethod appointmentsContactsTasksMethod
  incomingTest { status } outgoingTest { status } appointmentsContactsTasksTest { status code reason }
  alerts(first: 20) { code message }`;
const CONFIGURE = `mutation($id: ID!, $input: ConfigureMailboxInput!) { configureMailbox(id: $id, input: $input) { ${MAILBOX} } }`;
const CLAIM = `mutation { claimMailboxes(engineId: "ews-profile-test", limit: 20) {
  mailboxId leaseId job address kind incoming { host } outgoing { host } ews { url impersonateAddress allowInvalidCertificates maxConnections }
  credentials { method username secret } credentialsStatus incomingEnabled outgoingEnabled actEnabled } }`;
const REPORT_TEST = `mutation($m: ID!, $l: ID!, $in: ChannelTestInput!, $out: ChannelTestInput!, $act: ChannelTestInput) {
  reportMailboxTest(mailboxId: $m, leaseId: $l, incoming: $in, outgoing: $out, act: $act) { ${MAILBOX} } }`;
const CLAIM_OUT = 'mutation { claimOutgoingEmails(limit: 100) { emailId mailboxId transport { kind smtp { host } imap { host } sentFolder ews { url impersonateAddress } credentials { method username } } } }';

const exchange = (name: string, extra: Record<string, unknown> = {}) => ({ name, kind: 'EXCHANGE_EWS', ...extra });

describe.each(DIALECTS)('Exchange (EWS) server profiles on %s', (dialect) => {
  let hub: StartedHub;
  let admin: string;
  const tag = uniqueTag('Ews');
  const mailboxOf: Record<string, string> = {};
  const gql = (query: string, variables: Record<string, unknown> = {}, token = admin) => hub.gql(query, variables, token);
  const sync = (query: string, variables: Record<string, unknown> = {}) => hub.gql(query, variables, hub.syncServiceKey);

  beforeAll(async () => {
    hub = await startHub({ dialect });
    admin = await hub.login('admin@demo.crm.test');
    for (const m of ok(await gql('{ mailboxes { id address } }')).mailboxes as { id: string; address: string }[]) mailboxOf[m.address.split('@')[0]] = m.id;
  });
  afterAll(() => hub?.close());

  it('an administrator creates one with an EWS URL or with Autodiscover; it has no IMAP, POP3 or SMTP server', async () => {
    const direct = ok(await gql(CREATE, { input: exchange(`${tag} direct`, { ewsUrl: ' https://mail.example.test/EWS/Exchange.asmx ', authMethod: 'NTLM' }) })).createEmailServerProfile;
    expect(direct).toMatchObject({
      kind: 'EXCHANGE_EWS', ewsUrl: 'https://mail.example.test/EWS/Exchange.asmx', authMethod: 'NTLM',
      incomingHost: null, incomingPort: null, incomingTls: null, outgoingHost: null, sentFolder: null, useImpersonation: false,
    });
    const discovered = ok(await gql(CREATE, { input: exchange(`${tag} autodiscover`, { authMethod: 'OAUTH_BEARER' }) })).createEmailServerProfile;
    expect(discovered).toMatchObject({ ewsUrl: null, authMethod: 'OAUTH_BEARER' });
    // Blank means Autodiscover, as when left out.
    expect(ok(await gql(UPDATE, { id: direct.id, input: { ewsUrl: '  ' } })).updateEmailServerProfile.ewsUrl).toBeNull();
  });

  it('refuses what Exchange profiles do not use, and a URL that is not a plain http(s) address, naming the field', async () => {
    const refused: [Record<string, unknown>, string, string | undefined][] = [
      [exchange(`${tag} x1`, { incomingHost: 'imap.example.test', incomingPort: 993, incomingTls: 'IMPLICIT' }), 'input.incomingHost', undefined],
      [exchange(`${tag} x2`, { outgoingHost: 'smtp.example.test', outgoingPort: 587, outgoingTls: 'STARTTLS' }), 'input.outgoingHost', undefined],
      [exchange(`${tag} x3`, { sentFolder: 'Sent' }), 'input.sentFolder', undefined],
      [exchange(`${tag} x4`, { ewsUrl: 'javascript:alert(1)' }), 'input.ewsUrl', 'INVALID_URL'],
      [exchange(`${tag} x5`, { ewsUrl: 'file:///etc/passwd' }), 'input.ewsUrl', 'INVALID_URL'],
      [exchange(`${tag} x6`, { ewsUrl: 'https://svc:Secret1@mail.example.test/EWS/Exchange.asmx' }), 'input.ewsUrl', 'INVALID_URL'],
      [exchange(`${tag} x7`, { ewsUrl: 'mail.example.test/EWS' }), 'input.ewsUrl', 'INVALID_URL'],
      [exchange(`${tag} x7b`, { ewsUrl: 'svc:Secret1@mail.example.test/EWS' }), 'input.ewsUrl', 'INVALID_URL'],
      [exchange(`${tag} x7c`, { ewsUrl: 'https://mail.example.test/EWS Secret1 %zz' }), 'input.ewsUrl', 'INVALID_URL'],
      [exchange(`${tag} x8`, { ewsUrl: `https://mail.example.test/${'a'.repeat(2100)}` }), 'input.ewsUrl', 'TOO_LONG'],
      [exchange(`${tag} x9`, { useImpersonation: true }), 'input.useImpersonation', undefined],
      [{ name: `${tag} x10`, kind: 'IMAP_SMTP', incomingHost: 'imap.example.test', incomingPort: 993, incomingTls: 'IMPLICIT', authMethod: 'NTLM' }, 'input.authMethod', undefined],
      [{ name: `${tag} x11`, kind: 'IMAP_SMTP', incomingHost: 'imap.example.test', incomingPort: 993, incomingTls: 'IMPLICIT', ewsUrl: 'https://mail.example.test/EWS/Exchange.asmx' }, 'input.ewsUrl', undefined],
      [{ name: `${tag} x12`, kind: 'IMAP_SMTP' }, 'input.incomingHost', 'REQUIRED'],
    ];
    for (const [input, field, reason] of refused) {
      const error = failed(await gql(CREATE, { input }), 'BAD_USER_INPUT', field);
      if (reason) expect(error.extensions?.reason).toBe(reason);
      // A refused URL is never echoed whole, nor a password inside it.
      expect(JSON.stringify(error)).not.toContain('Secret1');
    }
    const names = (ok(await gql('{ emailServerProfiles { name } }')).emailServerProfiles as { name: string }[]).map((p) => p.name);
    expect(names.filter((n) => n.startsWith(`${tag} x`))).toEqual([]);
    // Not an administrator: refused before anything is read.
    failed(await gql(CREATE, { input: exchange(`${tag} sam`) }, await hub.login('sam.sales@demo.crm.test')), 'FORBIDDEN');
  });

  it('impersonation signs in with the profile\'s service account and acts as each mailbox; the claim carries the EWS connection', async () => {
    const input = exchange(`${tag} impersonation`, {
      ewsUrl: 'https://exchange.example.test/EWS/Exchange.asmx', authMethod: 'NTLM', useImpersonation: true,
      useProfileCredentials: true, credentialUsername: 'CORP\\svc-crm', password: 'service-account-password', maxConcurrentConnections: 4,
    });
    const profile = ok(await gql(CREATE, { input })).createEmailServerProfile;
    expect(profile).toMatchObject({ useImpersonation: true, useProfileCredentials: true, hasCredentials: true });
    // Turning shared credentials off would leave impersonation without a service account.
    failed(await gql(UPDATE, { id: profile.id, input: { useProfileCredentials: false } }), 'BAD_USER_INPUT', 'input.useImpersonation');

    // Exchange is the only kind whose mailboxes sync appointments, contacts and tasks, and it sends without SMTP.
    const mailbox = ok(await gql(CONFIGURE, { id: mailboxOf['nora.north'], input: { profileId: profile.id, incomingMethod: 'SERVER_SIDE_SYNC', outgoingMethod: 'SERVER_SIDE_SYNC', appointmentsContactsTasksMethod: 'SERVER_SIDE_SYNC' } })).configureMailbox;
    expect(mailbox).toMatchObject({ outgoingMethod: 'SERVER_SIDE_SYNC', appointmentsContactsTasksMethod: 'SERVER_SIDE_SYNC' });
    ok(await gql('mutation($id: ID!) { approveMailboxEmail(id: $id) { id } }', { id: mailboxOf['nora.north'] }));
    const requested = ok(await gql('mutation($id: ID!) { testAndEnableMailbox(id: $id) { appointmentsContactsTasksTest { status } incomingTest { status } outgoingTest { status } } }', { id: mailboxOf['nora.north'] })).testAndEnableMailbox;
    expect(requested).toEqual({ appointmentsContactsTasksTest: { status: 'PENDING' }, incomingTest: { status: 'PENDING' }, outgoingTest: { status: 'PENDING' } });

    const claim = (ok(await sync(CLAIM)).claimMailboxes as any[]).find((w) => w.mailboxId === mailboxOf['nora.north']);
    expect(claim).toMatchObject({
      job: 'TEST', kind: 'EXCHANGE_EWS', incoming: null, outgoing: null,
      ews: { url: 'https://exchange.example.test/EWS/Exchange.asmx', impersonateAddress: 'nora.north@demo.crm.test', allowInvalidCertificates: false, maxConnections: 4 },
      credentials: { method: 'NTLM', username: 'CORP\\svc-crm', secret: 'service-account-password' }, credentialsStatus: 'PRESENT',
      incomingEnabled: true, outgoingEnabled: true, actEnabled: true,
    });

    // The appointments channel failed: the mailbox stays off, with the reason in its alert log.
    const ok_ = { status: 'SUCCESS', code: null, reason: 'signed in' };
    const act = { status: 'FAILURE', code: 'ACCESS_DENIED', reason: 'the Calendar folder cannot be opened: ErrorAccessDenied' };
    const reported = ok(await sync(REPORT_TEST, { m: claim.mailboxId, l: claim.leaseId, in: ok_, out: ok_, act })).reportMailboxTest;
    expect(reported.state).toBe('NOT_ENABLED');
    expect(reported.appointmentsContactsTasksTest).toEqual(act);
    expect(reported.alerts).toContainEqual({ code: 'ACCESS_DENIED', message: 'Test & Enable: appointments, contacts and tasks failed: the Calendar folder cannot be opened: ErrorAccessDenied' });

    // While a mailbox syncs appointments through it, the profile cannot stop being Exchange.
    const conflict = failed(await gql(UPDATE, { id: profile.id, input: { kind: 'IMAP_SMTP', incomingHost: 'imap.example.test', incomingPort: 993, incomingTls: 'IMPLICIT', authMethod: 'PASSWORD', password: 'imap-password' } }), 'CONFLICT', 'input.kind');
    expect(conflict.message).toMatch(/1 mailbox/);
    ok(await gql(CONFIGURE, { id: mailboxOf['nora.north'], input: { profileId: null, outgoingMethod: 'NONE', appointmentsContactsTasksMethod: 'NONE' } }));
  });

  it('an IMAP mailbox cannot sync appointments, and its claim is unchanged: no ews, its IMAP and SMTP endpoints', async () => {
    const imap = ok(await gql(CREATE, { input: { name: `${tag} imap`, kind: 'IMAP_SMTP', incomingHost: 'imap.example.test', incomingPort: 993, incomingTls: 'IMPLICIT', outgoingHost: 'smtp.example.test', outgoingPort: 587, outgoingTls: 'STARTTLS' } })).createEmailServerProfile;
    const refused = failed(await gql(CONFIGURE, { id: mailboxOf['maria.manager'], input: { profileId: imap.id, appointmentsContactsTasksMethod: 'SERVER_SIDE_SYNC' } }), 'BAD_USER_INPUT', 'input.appointmentsContactsTasksMethod');
    expect(refused.message).toContain(`"${tag} imap" is IMAP/POP3`);
    ok(await gql(CONFIGURE, { id: mailboxOf['maria.manager'], input: { profileId: imap.id, incomingMethod: 'SERVER_SIDE_SYNC', outgoingMethod: 'SERVER_SIDE_SYNC' } }));
    ok(await gql('mutation($id: ID!, $input: MailboxCredentialsInput!) { setMailboxCredentials(id: $id, input: $input) { id } }', { id: mailboxOf['maria.manager'], input: { username: 'maria', password: 'imap-password' } }));
    ok(await gql('mutation($id: ID!) { approveMailboxEmail(id: $id) { id } }', { id: mailboxOf['maria.manager'] }));
    ok(await gql('mutation($id: ID!) { testAndEnableMailbox(id: $id) { id } }', { id: mailboxOf['maria.manager'] }));
    const claim = (ok(await sync(CLAIM)).claimMailboxes as any[]).find((w) => w.mailboxId === mailboxOf['maria.manager']);
    expect(claim).toMatchObject({ kind: 'IMAP_SMTP', incoming: { host: 'imap.example.test' }, outgoing: { host: 'smtp.example.test' }, ews: null, actEnabled: false, credentials: { method: 'PASSWORD' } });
    // An engine that knows nothing of the act channel reports two channels, as before.
    const pass = { status: 'SUCCESS', code: null, reason: null };
    const reported = ok(await sync(REPORT_TEST, { m: claim.mailboxId, l: claim.leaseId, in: pass, out: pass })).reportMailboxTest;
    expect(reported).toMatchObject({ state: 'ENABLED', appointmentsContactsTasksTest: { status: 'NOT_RUN' } });
  });

  it('an email from an Exchange mailbox is handed out with the EWS connection and no SMTP server', async () => {
    const profile = ok(await gql(CREATE, { input: exchange(`${tag} send`, { ewsUrl: 'https://send.example.test/EWS/Exchange.asmx' }) })).createEmailServerProfile;
    const sam = await hub.login('sam.sales@demo.crm.test');
    const samsMailbox = (ok(await gql('{ mailboxes { id ownerKind } }', {}, sam)).mailboxes as { id: string; ownerKind: string }[]).find((m) => m.ownerKind === 'USER')!.id;
    ok(await gql(CONFIGURE, { id: samsMailbox, input: { profileId: profile.id, incomingMethod: 'NONE', outgoingMethod: 'SERVER_SIDE_SYNC' } }));
    ok(await gql('mutation($id: ID!, $input: MailboxCredentialsInput!) { setMailboxCredentials(id: $id, input: $input) { id } }', { id: samsMailbox, input: { username: 'sam@corp.example.test', password: 'sams-exchange-password' } }, sam));
    ok(await gql('mutation($id: ID!) { approveMailboxEmail(id: $id) { id } }', { id: samsMailbox }));
    ok(await gql('mutation($id: ID!) { testAndEnableMailbox(id: $id) { id } }', { id: samsMailbox }));
    const test = (ok(await sync(CLAIM)).claimMailboxes as any[]).find((w) => w.mailboxId === samsMailbox);
    expect(test).toMatchObject({ incomingEnabled: false, outgoingEnabled: true, actEnabled: false, ews: { impersonateAddress: null } });
    const pass = { status: 'SUCCESS', code: null, reason: null };
    ok(await sync(REPORT_TEST, { m: test.mailboxId, l: test.leaseId, in: { ...pass, status: 'NOT_RUN' }, out: pass }));

    const contact = ok(await gql('{ contacts(first: 1) { edges { node { id } } } }', {}, sam)).contacts.edges[0].node.id;
    const email = ok(await gql('mutation($input: SendEmailInput!) { sendEmail(input: $input) { id } }', { input: { toRecordIds: [contact], subject: `Through Exchange ${tag}`, textBody: 'Hello' } }, sam)).sendEmail;
    const claimed = (ok(await sync(CLAIM_OUT)).claimOutgoingEmails as any[]).find((o) => o.emailId === email.id);
    expect(claimed.transport).toEqual({
      kind: 'EXCHANGE_EWS', smtp: null, imap: null, sentFolder: null,
      ews: { url: 'https://send.example.test/EWS/Exchange.asmx', impersonateAddress: null },
      credentials: { method: 'PASSWORD', username: 'sam@corp.example.test' },
    });
  });
});
