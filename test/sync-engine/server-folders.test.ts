import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, ok } from '../api/gql-helpers';
import { startDovecot, type StartedDovecot } from '../support/dovecot';
import { buildEngine, EngineProcess } from '../support/engine-process';
import { startHub, type StartedHub } from '../support/hub';
import { createProfile, eventually, setUpMailbox } from '../support/mailbox-admin';

// The folder picker's list end to end: Dovecot's folders, read by the built sync engine over IMAP, reported to the api,
// read back through GraphQL as the mailbox's owner sees them. POP3 has no folders and reports none.

const SAM = 'sam.sales@demo.crm.test';
const SARA = 'sara.sales@demo.crm.test';
const PASSWORD = 'imap-secret-1';
const FOLDERS = 'query($id: ID!) { mailbox(id: $id) { state serverFolders serverFoldersReadAt } }';

describe('the IMAP server\'s folders reach the mailbox (real Dovecot, api on sqlite)', () => {
  let hub: StartedHub;
  let dovecot: StartedDovecot;
  let engine: EngineProcess;
  let admin: string;
  const mailboxes: Record<string, string> = {};
  const folders = async (token: string, address: string) => ok(await hub.gql(FOLDERS, { id: mailboxes[address] }, token)).mailbox;

  beforeAll(async () => {
    await buildEngine();
    dovecot = await startDovecot({ users: [SAM, SARA].map((address) => ({ address, password: PASSWORD })) });
    hub = await startHub({ dialect: 'sqlite' });
    admin = await hub.login(ADMIN);
    for (const m of ok(await hub.gql('{ mailboxes { id address } }', {}, admin)).mailboxes as { id: string; address: string }[]) mailboxes[m.address] = m.id;
    await dovecot.createFolder(SAM, 'INBOX/Contoso');
    await dovecot.createFolder(SAM, 'Projekt/Åre');
    // SMTP is never reached here: Test & Enable checks incoming only when outgoing is off.
    const imap = await createProfile(hub, admin, 'Dovecot IMAP', { kind: 'IMAP_SMTP', incomingPort: dovecot.imapPort, outgoingPort: 1 });
    const pop = await createProfile(hub, admin, 'Dovecot POP3', { kind: 'POP3_SMTP', incomingPort: dovecot.popPort, outgoingPort: 1 });
    await setUpMailbox(hub, admin, mailboxes[SAM], { profileId: imap, username: SAM, password: PASSWORD, configure: { outgoingMethod: 'NONE' } });
    await setUpMailbox(hub, admin, mailboxes[SARA], { profileId: pop, username: SARA, password: PASSWORD, configure: { outgoingMethod: 'NONE' } });
    engine = new EngineProcess({
      HUB_API_URL: hub.graphqlUrl,
      HUB_API_KEY: hub.syncServiceKey,
      ENGINE_ID: 'folders-engine',
      POLL_INTERVAL_MS: '200',
      LEASE_SECONDS: '6',
      IDLE_SECONDS: '2',
      LOG_LEVEL: 'info',
    });
  }, 180_000);

  afterAll(async () => {
    engine?.signal('SIGKILL');
    await engine?.exited;
    await hub?.close();
    await dovecot?.stop();
  });

  it('lists the folders Dovecot has, Unicode names decoded, to the mailbox owner', async () => {
    const sam = await hub.login(SAM);
    const seen = await eventually(async () => {
      const mailbox = await folders(sam, SAM);
      return mailbox.state === 'ENABLED' && mailbox.serverFolders ? mailbox : undefined;
    }, 60_000, 'Sam\'s mailbox enabled with its folders');
    expect(seen.serverFolders).toEqual(expect.arrayContaining(['INBOX', 'INBOX/Contoso', 'Projekt/Åre', 'Sent']));
    // "Projekt" exists only as the parent of "Projekt/Åre" (\Noselect or \NonExistent): it cannot hold mail.
    expect(seen.serverFolders).not.toContain('Projekt');
    expect(Date.now() - new Date(seen.serverFoldersReadAt).getTime()).toBeLessThan(120_000);
  });

  it('a folder created on the server shows after the next sync', async () => {
    await dovecot.createFolder(SAM, 'Kunder/Ödeshög & Co');
    const seen = await eventually(async () => {
      const mailbox = await folders(admin, SAM);
      return mailbox.serverFolders?.includes('Kunder/Ödeshög & Co') ? mailbox : undefined;
    }, 60_000, 'the new folder in the list');
    expect(seen.serverFolders).toEqual(expect.arrayContaining(['INBOX/Contoso', 'Projekt/Åre']));
  });

  it('a POP3 mailbox reports no folders', async () => {
    await eventually(async () => ((await folders(admin, SARA)).state === 'ENABLED' ? true : undefined), 60_000, 'Sara\'s POP3 mailbox enabled');
    expect(await folders(admin, SARA)).toMatchObject({ serverFolders: null, serverFoldersReadAt: null });
  });
});
