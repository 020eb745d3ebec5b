import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmailServerKind, MailAuthMethod, MailboxState } from '../../api/src/mail/mail-enums';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { configureMailbox, insertProfile } from '../support/mail-setup';
import { ADMIN, failed, ok } from './gql-helpers';

// Folder tracking rules following the server's folders through the folder reports the sync engine sends: an Exchange
// folder renamed or moved keeps its rule (told by its FolderId), one deleted in Outlook marks its rule missing with a
// warning, and Exchange allows at most 25 rules, each below the Inbox, as Dynamics does.

const CLAIM = 'mutation { claimMailboxes(engineId: "follow-test", limit: 20) { mailboxId leaseId trackedFolders trackedFolderIds } }';
const REPORT = `mutation($m: ID!, $l: ID!, $f: [String!], $s: [ServerFolderInput!]) {
  reportMailboxFolders(mailboxId: $m, leaseId: $l, folders: $f, serverFolders: $s) { id } }`;
const RELEASE = 'mutation($m: ID!, $l: ID!) { releaseMailbox(mailboxId: $m, leaseId: $l, report: { outcome: SUCCESS, itemsProcessed: 0 }) { id } }';
const SET_RULE = 'mutation($m: ID!, $f: String!) { setFolderTrackingRule(mailboxId: $m, input: { folder: $f }) { folder missingSince } }';
const READ = 'query($id: ID!) { mailbox(id: $id) { folderTrackingRules { folder missingSince } alerts(first: 50) { severity code message } } }';

const folder = (path: string, folderId: string | null, underInbox = true) => ({ path, folderId, underInbox });
const INBOX = folder('Inbox', 'AAMkInbox=', false);
const SENT = folder('Sent Items', 'AAMkSent=', false);
const DELETED = folder('Deleted Items', 'AAMkDeleted=', false);

describe.each(DIALECTS)('folder tracking rules follow the server\'s folders on %s', (dialect) => {
  let hub: StartedHub;
  let admin: string;
  let exchangeMailbox: string;
  let imapMailbox: string;
  const engine = (query: string, variables: Record<string, unknown> = {}) => hub.gql(query, variables, hub.syncServiceKey);
  const read = async (mailboxId: string) => ok(await hub.gql(READ, { id: mailboxId }, admin)).mailbox as { folderTrackingRules: { folder: string; missingSince: string | null }[]; alerts: { severity: string; code: string; message: string }[] };
  const alertCodes = async (mailboxId: string) => (await read(mailboxId)).alerts.map((a) => a.code).filter((code) => code.startsWith('FOLDER_RULE'));

  const profileOf = new Map<string, string>();
  type Work = { mailboxId: string; leaseId: string; trackedFolders: string[]; trackedFolderIds: (string | null)[] };
  /** Claims the mailbox (and hands back whatever else the claim took), runs `during` under its lease, then releases it. */
  async function underLease<T>(mailboxId: string, during: (work: Work) => Promise<T>): Promise<{ work: Work; result: T }> {
    const claimed = ok(await engine(CLAIM)).claimMailboxes as Work[];
    try {
      const work = claimed.find((w) => w.mailboxId === mailboxId)!;
      return { work, result: await during(work) };
    } finally {
      for (const w of claimed) {
        ok(await engine(RELEASE, { m: w.mailboxId, l: w.leaseId }));
        await configureMailbox(hub, w.mailboxId, { profileId: profileOf.get(w.mailboxId)! });
      }
    }
  }
  /** Sends this folder report under the mailbox's lease, as the engine does after opening the mailbox. */
  const report = (mailboxId: string, folders: { folders?: string[]; serverFolders?: ReturnType<typeof folder>[] }) =>
    underLease(mailboxId, async (work) => ok(await engine(REPORT, { m: mailboxId, l: work.leaseId, f: folders.folders ?? null, s: folders.serverFolders ?? null })));
  /** What the engine's next claim of the mailbox holds about tracked folders. */
  const nextWork = async (mailboxId: string) => {
    const { work } = await underLease(mailboxId, async () => undefined);
    return { trackedFolders: work.trackedFolders, trackedFolderIds: work.trackedFolderIds };
  };

  beforeAll(async () => {
    hub = await startHub({ dialect });
    admin = await hub.login(ADMIN);
    const all = ok(await engine('{ mailboxes { id address } }')).mailboxes as { id: string; address: string }[];
    exchangeMailbox = all.find((m) => m.address === 'sam.sales@demo.crm.test')!.id;
    imapMailbox = all.find((m) => m.address === 'sara.sales@demo.crm.test')!.id;
    const exchange = await insertProfile(hub, { kind: EmailServerKind.EXCHANGE_EWS, incomingHost: null, incomingPort: null, incomingTls: null, outgoingHost: null, outgoingPort: null, outgoingTls: null, ewsUrl: 'https://mail.example.test/EWS/Exchange.asmx', authMethod: MailAuthMethod.PASSWORD });
    const imap = await insertProfile(hub);
    profileOf.set(exchangeMailbox, exchange).set(imapMailbox, imap);
    for (const [mailbox, profile] of profileOf) await configureMailbox(hub, mailbox, { profileId: profile });
    // Every other mailbox stays out of the claims.
    for (const other of all.filter((m) => !profileOf.has(m.id))) await configureMailbox(hub, other.id, { profileId: imap, state: MailboxState.DISABLED_BY_ADMIN });
  });
  afterAll(() => hub?.close());

  it('a rule set on a listed Exchange folder learns its FolderId, follows it through a rename and a move, and the engine gets both', async () => {
    await report(exchangeMailbox, { serverFolders: [INBOX, folder('Inbox/Contoso', 'AAMkContoso='), folder('Inbox/Projects', 'AAMkProjects='), SENT] });
    // The folder picker offers what a rule may name: on Exchange, the folders below the Inbox.
    expect(ok(await hub.gql('query($id: ID!) { mailbox(id: $id) { serverFolders } }', { id: exchangeMailbox }, admin)).mailbox.serverFolders).toEqual(['Inbox/Contoso', 'Inbox/Projects']);
    ok(await hub.gql(SET_RULE, { m: exchangeMailbox, f: 'Inbox/Contoso' }, admin));
    expect(await nextWork(exchangeMailbox)).toEqual({ trackedFolders: ['Inbox/Contoso'], trackedFolderIds: ['AAMkContoso='] });

    await report(exchangeMailbox, { serverFolders: [INBOX, folder('Inbox/Projects', 'AAMkProjects='), folder('Inbox/Projects/Contoso AB', 'AAMkContoso='), SENT] });
    const after = await read(exchangeMailbox);
    expect(after.folderTrackingRules).toEqual([{ folder: 'Inbox/Projects/Contoso AB', missingSince: null }]);
    expect(after.alerts[0]).toMatchObject({ severity: 'INFORMATION', code: 'FOLDER_RULE_FOLLOWED' });
    expect(after.alerts[0].message).toContain('"Inbox/Contoso" is now "Inbox/Projects/Contoso AB"');
    expect(await nextWork(exchangeMailbox)).toEqual({ trackedFolders: ['Inbox/Projects/Contoso AB'], trackedFolderIds: ['AAMkContoso='] });
    // The same report again changes nothing and says nothing more.
    await report(exchangeMailbox, { serverFolders: [INBOX, folder('Inbox/Projects', 'AAMkProjects='), folder('Inbox/Projects/Contoso AB', 'AAMkContoso='), SENT] });
    expect(await alertCodes(exchangeMailbox)).toEqual(['FOLDER_RULE_FOLLOWED']);
  });

  it('a folder deleted in Outlook (now in Deleted Items) marks its rule missing once, leaves it out of the work, and its return clears it', async () => {
    await report(exchangeMailbox, { serverFolders: [INBOX, folder('Inbox/Projects', 'AAMkProjects='), DELETED, folder('Deleted Items/Contoso AB', 'AAMkContoso=', false), SENT] });
    const gone = await read(exchangeMailbox);
    expect(gone.folderTrackingRules).toEqual([{ folder: 'Inbox/Projects/Contoso AB', missingSince: expect.any(String) }]);
    expect(gone.alerts[0]).toMatchObject({ severity: 'WARNING', code: 'FOLDER_RULE_MISSING' });
    expect(gone.alerts[0].message).toContain('"Inbox/Projects/Contoso AB"');
    expect(await nextWork(exchangeMailbox)).toEqual({ trackedFolders: [], trackedFolderIds: [] });
    await report(exchangeMailbox, { serverFolders: [INBOX, folder('Inbox/Projects', 'AAMkProjects='), SENT] });
    expect(await alertCodes(exchangeMailbox)).toEqual(['FOLDER_RULE_MISSING', 'FOLDER_RULE_FOLLOWED']);

    // Restored from Deleted Items to where it was: the rule is back, with a line saying so.
    await report(exchangeMailbox, { serverFolders: [INBOX, folder('Inbox/Projects', 'AAMkProjects='), folder('Inbox/Projects/Contoso AB', 'AAMkContoso='), SENT] });
    expect((await read(exchangeMailbox)).folderTrackingRules).toEqual([{ folder: 'Inbox/Projects/Contoso AB', missingSince: null }]);
    expect(await alertCodes(exchangeMailbox)).toEqual(['FOLDER_RULE_FOUND', 'FOLDER_RULE_MISSING', 'FOLDER_RULE_FOLLOWED']);
    expect((await nextWork(exchangeMailbox)).trackedFolders).toEqual(['Inbox/Projects/Contoso AB']);
  });

  it('Exchange takes at most 25 rules, each on a folder below the Inbox; IMAP has neither limit', async () => {
    const below = Array.from({ length: 26 }, (_, i) => folder(`Inbox/Kund ${String(i).padStart(2, '0')}`, `AAMkKund${i}=`));
    await report(exchangeMailbox, { serverFolders: [INBOX, folder('Inbox/Projects', 'AAMkProjects='), folder('Inbox/Projects/Contoso AB', 'AAMkContoso='), folder('Archive', 'AAMkArchive=', false), SENT, ...below] });
    expect(failed(await hub.gql(SET_RULE, { m: exchangeMailbox, f: 'Archive' }, admin), 'BAD_USER_INPUT', 'input.folder').extensions).toMatchObject({ reason: 'NOT_UNDER_INBOX' });
    expect(failed(await hub.gql(SET_RULE, { m: exchangeMailbox, f: 'Sent Items' }, admin), 'BAD_USER_INPUT', 'input.folder').extensions).toMatchObject({ reason: 'NOT_UNDER_INBOX' });
    for (const f of below.slice(0, 24)) ok(await hub.gql(SET_RULE, { m: exchangeMailbox, f: f.path }, admin));
    expect((await read(exchangeMailbox)).folderTrackingRules).toHaveLength(25);
    expect(failed(await hub.gql(SET_RULE, { m: exchangeMailbox, f: below[25].path }, admin), 'BAD_USER_INPUT', 'input.folder').extensions).toMatchObject({ reason: 'TOO_MANY', max: 25 });
    // Setting an existing rule again (another record, say) is no 26th rule.
    ok(await hub.gql(SET_RULE, { m: exchangeMailbox, f: below[3].path }, admin));
    // A folder the last report did not list may be new since: it is accepted, and the next report tells.
    ok(await hub.gql('mutation($m: ID!, $f: String!) { removeFolderTrackingRule(mailboxId: $m, folder: $f) }', { m: exchangeMailbox, f: below[0].path }, admin));
    ok(await hub.gql(SET_RULE, { m: exchangeMailbox, f: 'Inbox/Brand new' }, admin));

    await report(imapMailbox, { folders: ['INBOX', 'Archive', ...below.map((f) => f.path)] });
    ok(await hub.gql(SET_RULE, { m: imapMailbox, f: 'Archive' }, admin));
    for (const f of below) ok(await hub.gql(SET_RULE, { m: imapMailbox, f: f.path }, admin));
    expect((await read(imapMailbox)).folderTrackingRules).toHaveLength(27);
  });

  it('an IMAP rule (paths only) is marked missing when its folder is not listed, but not when the list was cut at its limit', async () => {
    await report(imapMailbox, { folders: ['INBOX', 'Archive'] });
    const rules = (await read(imapMailbox)).folderTrackingRules;
    expect(rules.find((r) => r.folder === 'Archive')?.missingSince).toBeNull();
    expect(rules.filter((r) => r.missingSince !== null)).toHaveLength(26);
    // One alert per rule that went missing, not one per report.
    await report(imapMailbox, { folders: ['INBOX', 'Archive'] });
    expect((await alertCodes(imapMailbox)).filter((code) => code === 'FOLDER_RULE_MISSING')).toHaveLength(26);
    // 1,000 folders is the report's limit: a folder past it may exist, so nothing more is marked missing.
    ok(await hub.gql('mutation($m: ID!, $f: String!) { removeFolderTrackingRule(mailboxId: $m, folder: $f) }', { m: imapMailbox, f: 'Archive' }, admin));
    ok(await hub.gql(SET_RULE, { m: imapMailbox, f: 'Zzz/Last' }, admin));
    await report(imapMailbox, { folders: Array.from({ length: 1000 }, (_, i) => `F${i}`) });
    expect((await read(imapMailbox)).folderTrackingRules.find((r) => r.folder === 'Zzz/Last')?.missingSince).toBeNull();
  });

  it('refuses malformed reports, naming the field, and never from anyone but the engine holding the lease', async () => {
    await underLease(exchangeMailbox, async (claimed) => {
      const send = (variables: Record<string, unknown>, token = hub.syncServiceKey) => hub.gql(REPORT, { m: exchangeMailbox, l: claimed.leaseId, f: null, s: null, ...variables }, token);
      failed(await send({}), 'BAD_USER_INPUT', 'folders');
      failed(await send({ f: ['Inbox'], s: [INBOX] }), 'BAD_USER_INPUT', 'serverFolders');
      expect(failed(await send({ s: [INBOX, folder('Inbox/X', 'A'.repeat(513))] }), 'BAD_USER_INPUT').extensions).toMatchObject({ field: expect.stringMatching(/^serverFolders/) });
      failed(await send({ s: [INBOX, folder('Inbox/X', '   ')] }), 'BAD_USER_INPUT', 'serverFolders[1].folderId');
      failed(await send({ s: [INBOX, folder('x'.repeat(256), 'AAMkLong=')] }), 'BAD_USER_INPUT', 'serverFolders[1].path');
      failed(await send({ s: Array.from({ length: 1001 }, (_, i) => folder(`Inbox/F${i}`, `AAMk${i}=`)) }), 'BAD_USER_INPUT', 'serverFolders');
      failed(await send({ s: [INBOX] }, admin), 'FORBIDDEN');
      failed(await send({ s: [INBOX], l: 'not-the-lease' }), 'CONFLICT', 'leaseId');
    });
    // Nothing of the refused reports reached the rules.
    expect((await read(exchangeMailbox)).folderTrackingRules.every((r) => r.missingSince === null)).toBe(true);
  });
});
