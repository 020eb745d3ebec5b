import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { configureMailbox, insertProfile } from '../support/mail-setup';
import { ADMIN, failed, ok } from './gql-helpers';

const CLAIM = 'mutation { claimMailboxes(engineId: "folders-test", limit: 5) { mailboxId leaseId job } }';
const REPORT = 'mutation($m: ID!, $l: ID!, $f: [String!]!) { reportMailboxFolders(mailboxId: $m, leaseId: $l, folders: $f) { id } }';
const READ = 'query($id: ID!) { mailbox(id: $id) { serverFolders serverFoldersReadAt } }';
const LIST = '{ mailboxes { id address serverFolders serverFoldersReadAt } }';

describe.each(DIALECTS)('the server\'s folder list of a mailbox on %s', (dialect) => {
  let hub: StartedHub;
  let admin: string;
  let sam: string;
  let samMailbox: string;
  let saraMailbox: string;
  let lease: string;
  const engine = (query: string, variables: Record<string, unknown> = {}) => hub.gql(query, variables, hub.syncServiceKey);
  const report = (folders: unknown, leaseId = lease, token = hub.syncServiceKey) => hub.gql(REPORT, { m: samMailbox, l: leaseId, f: folders }, token);

  beforeAll(async () => {
    hub = await startHub({ dialect });
    admin = await hub.login(ADMIN);
    sam = await hub.login('sam.sales@demo.crm.test');
    const all = ok(await engine('{ mailboxes { id address } }')).mailboxes as { id: string; address: string }[];
    samMailbox = all.find((m) => m.address === 'sam.sales@demo.crm.test')!.id;
    saraMailbox = all.find((m) => m.address === 'sara.sales@demo.crm.test')!.id;
    const profileId = await insertProfile(hub);
    await configureMailbox(hub, samMailbox, { profileId });
    await configureMailbox(hub, saraMailbox, { profileId });
    const claimed = ok(await engine(CLAIM)).claimMailboxes as { mailboxId: string; leaseId: string }[];
    lease = claimed.find((w) => w.mailboxId === samMailbox)!.leaseId;
  });
  afterAll(() => hub?.close());

  it('is null until the engine reports it, then lists the folders in the server\'s order to the owner and administrators', async () => {
    expect(ok(await hub.gql(READ, { id: samMailbox }, sam)).mailbox).toEqual({ serverFolders: null, serverFoldersReadAt: null });
    const folders = ['INBOX', 'INBOX/Contoso', 'Projekt/Åre', 'Sent', 'projekt/åre', 'INBOX/Contoso'];
    ok(await report(folders));
    const mine = ok(await hub.gql(READ, { id: samMailbox }, sam)).mailbox;
    // Case matters in IMAP names (RFC 3501 5.1); an exact repeat is listed once.
    expect(mine.serverFolders).toEqual(['INBOX', 'INBOX/Contoso', 'Projekt/Åre', 'Sent', 'projekt/åre']);
    expect(Date.now() - new Date(mine.serverFoldersReadAt).getTime()).toBeLessThan(60_000);
    expect(ok(await hub.gql(READ, { id: samMailbox }, admin)).mailbox.serverFolders).toHaveLength(5);
    // A new report replaces the list.
    ok(await report(['INBOX', 'Archive']));
    expect(ok(await hub.gql(READ, { id: samMailbox }, admin)).mailbox.serverFolders).toEqual(['INBOX', 'Archive']);
  });

  it('only the engine holding the mailbox\'s lease reports', async () => {
    for (const token of [admin, sam]) failed(await report(['INBOX'], lease, token), 'FORBIDDEN');
    failed(await report(['INBOX'], 'not-the-lease'), 'CONFLICT', 'leaseId');
    failed(await hub.gql(REPORT, { m: saraMailbox, l: lease, f: ['INBOX'] }, hub.syncServiceKey), 'CONFLICT', 'leaseId');
    failed(await hub.gql(REPORT, { m: Buffer.from('Mailbox:01900000-0000-7000-8000-000000000000').toString('base64url'), l: lease, f: [] }, hub.syncServiceKey), 'NOT_FOUND', 'mailboxId');
    expect(ok(await hub.gql(READ, { id: samMailbox }, admin)).mailbox.serverFolders).toEqual(['INBOX', 'Archive']);
  });

  it('refuses too many, too long, empty and NUL-containing folder names, naming the field', async () => {
    expect(failed(await report(Array.from({ length: 1001 }, (_, i) => `F${i}`)), 'BAD_USER_INPUT', 'folders').extensions).toMatchObject({ reason: 'TOO_MANY', max: 1000 });
    expect(failed(await report(['INBOX', 'x'.repeat(256)]), 'BAD_USER_INPUT', 'folders[1]').extensions).toMatchObject({ reason: 'TOO_LONG', max: 255 });
    failed(await report(['INBOX', ' ']), 'BAD_USER_INPUT', 'folders[1]');
    failed(await report(['INBOX', 'Bad\u0000Name']), 'BAD_USER_INPUT', 'folders[1]');
    // 1,000 folders of 255 characters fit.
    ok(await report(Array.from({ length: 1000 }, (_, i) => `${String(i).padStart(4, '0')}${'å'.repeat(251)}`)));
    expect(ok(await hub.gql(READ, { id: samMailbox }, admin)).mailbox.serverFolders).toHaveLength(1000);
    ok(await report(['INBOX', 'Archive']));
  });

  it('a salesperson cannot read another user\'s mailbox folders', async () => {
    const sara = await hub.login('sara.sales@demo.crm.test');
    failed(await hub.gql(READ, { id: samMailbox }, sara), 'NOT_FOUND', 'id');
    const seen = ok(await hub.gql(LIST, {}, sara)).mailboxes as { id: string; serverFolders: string[] | null }[];
    expect(seen.map((m) => m.id)).not.toContain(samMailbox);
    expect(seen.every((m) => m.serverFolders === null)).toBe(true);
  });
});
