import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMailboxTimeZone } from '../../sync-engine/src/mail/ews/ews-mailbox-zone.js';
import { EwsServices, type EwsAccount } from '../../sync-engine/src/mail/ews/ews-service.js';
import { MailError } from '../../sync-engine/src/mail/mail-error.js';
import { checkEwsDocument } from '../support/ews/ews-schema';
import { startEwsTestServer, type StartedEwsServer } from '../support/ews/ews-server';

// A mailbox's own time zone read by the engine's adapter (GetUserConfiguration of WorkHours, then OWA.UserOptions),
// against the schema-faithful EWS test server, not Exchange.

let ews: StartedEwsServer;
let services: EwsServices;
let users = 0;

/** A new mailbox of its own per case, and a session on it. */
async function mailbox(): Promise<{ address: string; session: Awaited<ReturnType<EwsServices['session']>> }> {
  const address = `zone${++users}@corp.test`;
  ews.addUser(address, { password: 'pw' });
  const account: EwsAccount = { address, connection: { url: ews.url, impersonateAddress: null, allowInvalidCertificates: false, maxConnections: 4 }, credentials: { method: 'PASSWORD', username: address, password: 'pw' } };
  return { address, session: await services.session(account, 'incoming') };
}

const configurationReads = (address: string) => ews.requests().filter((r) => r.operation === 'GetUserConfiguration' && r.account === address).length;

beforeAll(async () => {
  ews = await startEwsTestServer();
  services = new EwsServices({ timeoutMs: 10_000, maxBackOffMs: 2_000 });
});
afterAll(() => ews?.close());

describe('a mailbox time zone read against the schema-faithful EWS test server (not Exchange)', () => {
  it.each([
    ['W. Europe Standard Time', 'Europe/Berlin'],
    ['Pacific Standard Time', 'America/Los_Angeles'],
    ['FLE Standard Time', 'Europe/Kiev'],
  ])('reads %s from the WorkHours Outlook saved, with one call', async (windowsZone, zone) => {
    const { address, session } = await mailbox();
    ews.setWorkHours(address, windowsZone);
    ews.setOwaTimeZone(address, 'UTC');
    expect(await readMailboxTimeZone(session)).toEqual({ zone, windowsZone, source: 'WORK_HOURS', problem: null });
    expect(configurationReads(address)).toBe(1);
  });

  it('falls back to the zone picked in Outlook on the web when there are no working hours', async () => {
    const { address, session } = await mailbox();
    ews.setOwaTimeZone(address, 'Pacific Standard Time');
    expect(await readMailboxTimeZone(session)).toEqual({ zone: 'America/Los_Angeles', windowsZone: 'Pacific Standard Time', source: 'OWA_OPTIONS', problem: null });
  });

  it('gives null and says why when the mailbox has neither', async () => {
    const { address, session } = await mailbox();
    const read = await readMailboxTimeZone(session);
    expect(read).toEqual({ zone: null, windowsZone: null, source: null, problem: expect.stringContaining(address) });
    expect(read.problem).toMatch(/WorkHours in the Calendar: there is none; OWA\.UserOptions in the mailbox root: there is none/);
  });

  it('keeps a Windows zone the table does not know, with null as the zone', async () => {
    const { address, session } = await mailbox();
    ews.setWorkHours(address, 'Mid-Atlantic Standard Time');
    const read = await readMailboxTimeZone(session);
    expect(read).toEqual({ zone: null, windowsZone: 'Mid-Atlantic Standard Time', source: 'WORK_HOURS', problem: expect.stringContaining("'Mid-Atlantic Standard Time' is not in the engine's Windows→IANA table") });

    // The OWA zone, when the table knows it, is the better answer.
    ews.setOwaTimeZone(address, 'W. Europe Standard Time');
    expect(await readMailboxTimeZone(session)).toEqual({ zone: 'Europe/Berlin', windowsZone: 'W. Europe Standard Time', source: 'OWA_OPTIONS', problem: null });
  });

  it('gives null with the reason when the WorkHours XmlData is not XML, and then reads OWA', async () => {
    const { address, session } = await mailbox();
    ews.setWorkHours(address, null, { xmlData: Buffer.from('\u0000\u0013garbage <TimeZone><Name>W. Europe', 'utf8') });
    const read = await readMailboxTimeZone(session);
    expect(read).toEqual({ zone: null, windowsZone: null, source: null, problem: expect.stringContaining('WorkHours in the Calendar: its XmlData is not well-formed XML') });

    ews.setOwaTimeZone(address, 'FLE Standard Time');
    expect(await readMailboxTimeZone(session)).toEqual({ zone: 'Europe/Kiev', windowsZone: 'FLE Standard Time', source: 'OWA_OPTIONS', problem: null });
  });

  it('does not throw when Exchange denies access to a configuration: the reason is returned and the other one is read', async () => {
    const { address, session } = await mailbox();
    ews.setWorkHours(address, 'W. Europe Standard Time');
    ews.failNext('GetUserConfiguration', 'AccessDenied');
    const denied = await readMailboxTimeZone(session);
    expect(denied).toEqual({ zone: null, windowsZone: null, source: null, problem: expect.stringContaining('WorkHours in the Calendar: Exchange answered ErrorAccessDenied: Access is denied') });
    expect(denied.problem).toContain('OWA.UserOptions in the mailbox root: there is none');

    ews.setOwaTimeZone(address, 'Pacific Standard Time');
    ews.failNext('GetUserConfiguration', 'AccessDenied');
    expect(await readMailboxTimeZone(session)).toEqual({ zone: 'America/Los_Angeles', windowsZone: 'Pacific Standard Time', source: 'OWA_OPTIONS', problem: null });
  });

  it('reads the impersonated mailbox, and a service account refused impersonation gets the reason, not an exception', async () => {
    const { address } = await mailbox();
    ews.setWorkHours(address, 'FLE Standard Time');
    ews.addUser('svc-zone@corp.test', { password: 'pw', canImpersonate: true });
    ews.addUser('intern-zone@corp.test', { password: 'pw' });
    const as = (username: string) =>
      services.session({ address, connection: { url: ews.url, impersonateAddress: address, allowInvalidCertificates: false, maxConnections: 4 }, credentials: { method: 'PASSWORD', username, password: 'pw' } }, 'incoming');
    expect(await readMailboxTimeZone(await as('svc-zone@corp.test'))).toEqual({ zone: 'Europe/Kiev', windowsZone: 'FLE Standard Time', source: 'WORK_HOURS', problem: null });
    const refused = await readMailboxTimeZone(await as('intern-zone@corp.test'));
    expect(refused).toEqual({ zone: null, windowsZone: null, source: null, problem: expect.stringContaining('ApplicationImpersonation') });
  });

  it('throttling and cancellation throw as for every other call', async () => {
    const { address, session } = await mailbox();
    ews.setWorkHours(address, 'W. Europe Standard Time');
    // One ErrorServerBusy is waited out as Exchange asks.
    ews.failNext('GetUserConfiguration', 'ServerBusy', { backOffMs: 20 });
    expect(await readMailboxTimeZone(session)).toEqual(expect.objectContaining({ zone: 'Europe/Berlin' }));
    // A wait longer than the engine allows fails the call for the mailbox to back off.
    ews.failNext('GetUserConfiguration', 'ServerBusy', { backOffMs: 60_000 });
    await expect(readMailboxTimeZone(session)).rejects.toSatisfy((error: unknown) => error instanceof MailError && error.code === 'TEMPORARY' && /ErrorServerBusy/.test(error.message));

    const stop = new AbortController();
    stop.abort();
    await expect(readMailboxTimeZone(session, stop.signal)).rejects.toSatisfy((error: unknown) => error instanceof MailError && /Cancelled/.test(error.message));
  });

  it('answers in the shape the EWS schema gives', () => {
    const answers = ews.documents.filter((xml) => xml.includes('GetUserConfigurationResponse'));
    expect(answers.some((xml) => xml.includes('<t:XmlData>'))).toBe(true);
    expect(answers.some((xml) => xml.includes('<t:Dictionary>'))).toBe(true);
    expect(answers.flatMap((xml) => checkEwsDocument(xml))).toEqual([]);
    const withXmlData = answers.find((xml) => xml.includes('<t:XmlData>'))!;
    const xmlDataFirst = withXmlData.replace(/(<t:UserConfigurationName .*?<\/t:UserConfigurationName>)(<t:XmlData>.*?<\/t:XmlData>)/, '$2$1');
    expect(checkEwsDocument(xmlDataFirst)).toContainEqual(expect.stringContaining('t:UserConfigurationName comes after'));
  });
});
