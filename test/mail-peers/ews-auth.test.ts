import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkEwsIncoming } from '../../sync-engine/src/mail/ews/ews-check.js';
import { checkEwsDocument } from '../support/ews/ews-schema.js';
import { EwsServices, type EwsAccount } from '../../sync-engine/src/mail/ews/ews-service.js';
import { EwsSource } from '../../sync-engine/src/mail/ews/ews-source.js';
import { MailError } from '../../sync-engine/src/mail/mail-error.js';
import { startEwsTestServer, type StartedEwsServer } from '../support/ews/ews-server';
import { rawMessage } from './raw-messages.js';

// Signing in to Exchange with an OAuth bearer token, and finding it with Autodiscover, against the schema-faithful
// EWS test server (not Exchange).

const TOKEN = 'eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.test-token-for-ann.signature';
let ews: StartedEwsServer;
let services: EwsServices;
const account = (accessToken: string): EwsAccount => ({
  address: 'ann@corp.test',
  connection: { url: ews.url, impersonateAddress: null, allowInvalidCertificates: false, maxConnections: 4 },
  credentials: { method: 'OAUTH_BEARER', username: 'ann@corp.test', accessToken },
});

beforeAll(async () => {
  ews = await startEwsTestServer();
  ews.addUser('ann@corp.test', { password: 'unused-password', accessToken: TOKEN });
  services = new EwsServices({ timeoutMs: 10_000, maxBackOffMs: 2_000 });
});
afterAll(() => ews?.close());

describe('OAuth bearer tokens against the schema-faithful EWS test server (not Exchange)', () => {
  it('a mailbox signed in with its token reads its Inbox', async () => {
    ews.deliver('ann@corp.test', 'inbox', rawMessage({ subject: 'Over OAuth', messageId: 'oauth@corp.test' }).raw);
    const source = new EwsSource({ services, account: account(TOKEN), folders: { sent: null, tracked: [] } });
    await source.open();
    const subjects: string[] = [];
    for await (const batch of source.fetchNew(null, { batchSize: 50, maxBatchBytes: 1 << 20, notBefore: null, resyncFrom: null })) {
      subjects.push(...batch.messages.map((m) => /^Subject: (.*)$/m.exec(m.source.toString('utf8'))?.[1] ?? ''));
    }
    expect(subjects).toEqual(['Over OAuth']);
    await source.close();
    expect(ews.requests().filter((r) => r.account === 'ann@corp.test').length).toBeGreaterThan(0);
  });

  it('an expired or wrong token is AUTH_FAILED, and the token is never repeated in the error or logged by the server', async () => {
    const wrong = 'eyJ0eXAiOiJKV1QifQ.expired-token.sig';
    const check = await checkEwsIncoming(services, account(wrong), { sent: null, tracked: [] });
    expect(check).toMatchObject({ ok: false, code: 'AUTH_FAILED' });
    expect(JSON.stringify(check)).not.toContain('expired-token');
    expect(check.ok === false && check.reason).toMatch(/token/);
    const source = new EwsSource({ services, account: account(wrong), folders: { sent: null, tracked: [] } });
    const error = await source.open().then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(MailError);
    expect((error as MailError).code).toBe('AUTH_FAILED');
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain('expired-token');
    expect(JSON.stringify(ews.requests())).not.toContain(TOKEN);
  });
});

describe('Autodiscover (SOAP GetUserSettings) against the schema-faithful EWS test server (not Exchange)', () => {
  const discovering = (address: string, password: string): EwsAccount => ({
    address,
    connection: { url: null, impersonateAddress: null, allowInvalidCertificates: false, maxConnections: 4 },
    credentials: { method: 'PASSWORD', username: address, password },
  });
  const autodiscoverAt = (port: string) => ews.url.replace(/:\d+\/EWS\/Exchange\.asmx$/, `:${port}/autodiscover/autodiscover.svc`);

  it('finds the EWS URL from the mailbox address, asking the endpoints in turn, and remembers it', async () => {
    ews.addUser('bo@corp.test', { password: 'bo-pw' });
    ews.deliver('bo@corp.test', 'inbox', rawMessage({ subject: 'Found by Autodiscover', messageId: 'autod@corp.test' }).raw);
    const port = new URL(ews.url).port;
    // The first endpoint does not answer at all (nothing listens there); the second is the test server.
    const discovery = new EwsServices({ timeoutMs: 5_000, maxBackOffMs: 1_000, autodiscoverUrls: () => ['http://127.0.0.1:9/autodiscover/autodiscover.svc', autodiscoverAt(port)] });
    const source = new EwsSource({ services: discovery, account: discovering('bo@corp.test', 'bo-pw'), folders: { sent: null, tracked: [] } });
    await source.open();
    const subjects: string[] = [];
    for await (const batch of source.fetchNew(null, { batchSize: 50, maxBatchBytes: 1 << 20, notBefore: null, resyncFrom: null })) subjects.push(...batch.messages.map((m) => /^Subject: (.*)$/m.exec(m.source.toString('utf8'))?.[1] ?? ''));
    expect(subjects).toEqual(['Found by Autodiscover']);
    await source.close();
    const asked = ews.requests().filter((r) => r.operation === 'Autodiscover').length;
    expect(asked).toBe(1);
    // A second session for the same address asks no more.
    await discovery.session(discovering('bo@corp.test', 'bo-pw'), 'incoming');
    expect(ews.requests().filter((r) => r.operation === 'Autodiscover').length).toBe(asked);
  });

  it('a mailbox the server does not know, or no endpoint at all, ends in a sentence telling the administrator to enter the EWS URL', async () => {
    const port = new URL(ews.url).port;
    const discovery = new EwsServices({ timeoutMs: 5_000, maxBackOffMs: 1_000, autodiscoverUrls: () => [autodiscoverAt(port)] });
    ews.addUser('svc-ad@corp.test', { password: 'svc-pw' });
    // Signed in as a known account, asking for a mailbox Exchange does not have: InvalidUser.
    const unknown: EwsAccount = { ...discovering('nobody@corp.test', 'x'), credentials: { method: 'PASSWORD', username: 'svc-ad@corp.test', password: 'svc-pw' } };
    const error = await discovery.session(unknown, 'incoming').then(() => null, (e: unknown) => e);
    expect(error).toBeInstanceOf(MailError);
    // The server answered (InvalidUser), so no failure is appended: only the sentence for the administrator.
    expect((error as MailError).message).toBe('Autodiscover found no EWS URL for nobody@corp.test; enter the EWS URL on the email server profile');
    expect(ews.requests().some((r) => r.operation === 'Autodiscover' && r.account === 'svc-ad@corp.test')).toBe(true);
    // A wrong password is said as such, not as "nothing found".
    const refused = await discovery.session(discovering('bo@corp.test', 'wrong'), 'incoming').then(() => null, (e: unknown) => e);
    expect((refused as MailError).code).toBe('AUTH_FAILED');
  });

  // Last: it reads what the tests above made the server write, Autodiscover answers included.
  it('every answer the EWS test server wrote, Autodiscover (MS-OXWSADISC) included, follows the structure the schemas give it', () => {
    const discovered = ews.documents.filter((xml) => xml.includes('GetUserSettingsResponseMessage'));
    expect(discovered.some((xml) => xml.includes('<ErrorCode>InvalidUser</ErrorCode>'))).toBe(true);
    expect(discovered.some((xml) => xml.includes('<Name>ExternalEwsUrl</Name>'))).toBe(true);
    expect(ews.documents.flatMap((xml) => checkEwsDocument(xml))).toEqual([]);
    // The check knows the Autodiscover shape: a user response with its settings before its error code is caught.
    const reordered = discovered.find((xml) => xml.includes('<UserSettings><UserSetting'))!.replace(/<UserResponse><ErrorCode>NoError<\/ErrorCode>(.*?)(<UserSettings>.*?<\/UserSettings>)/, '<UserResponse>$2<ErrorCode>NoError</ErrorCode>$1');
    expect(checkEwsDocument(reordered)).toContainEqual(expect.stringContaining('comes after'));
  });
});
