import { describe, expect, it } from 'vitest';
import type { ChannelTestResult, MailboxWork } from '../hub-types.js';
import { createLogger } from '../logger.js';
import type { ServerFolder } from '../mail/mail-source.js';
import type { MailConnectors } from './connectors.js';
import { testMailbox } from './connection-test.js';

const work = (extra: Partial<MailboxWork>): MailboxWork => ({
  mailboxId: 'mbx-1', leaseId: 'lease-1', leaseUntil: new Date(Date.now() + 60_000).toISOString(), job: 'TEST', address: 'sam@example.test', kind: 'IMAP_SMTP',
  incoming: { host: 'imap.example.test', port: 143, tls: 'NONE', allowInvalidCertificates: false },
  outgoing: { host: 'smtp.example.test', port: 25, tls: 'NONE', allowInvalidCertificates: false },
  credentials: { status: 'PRESENT', method: 'PASSWORD', username: 'sam', secret: 'x' },
  ews: null, actEnabled: false, incomingEnabled: true, outgoingEnabled: true, isForwardMailbox: false, deleteForwardedCopies: false, forwardSources: [],
  cursor: null, processEmailFrom: null, resyncFrom: null, sentFolder: null, trackedFolders: [], trackedFolderIds: [], pollIntervalSeconds: 60, maxBodyKb: 1024, pastExpansionWindowMonths: 3, futureExpansionWindowMonths: 12, timeZone: null,
  ...extra,
});

async function tested(w: MailboxWork): Promise<{ incoming: ChannelTestResult; outgoing: ChannelTestResult; act?: ChannelTestResult; smtpChecked: boolean }> {
  let smtpChecked = false;
  const connectors = {
    checkIncoming: async () => ({ ok: true, detail: 'signed in' }),
    checkOutgoing: async () => {
      smtpChecked = true;
      return { ok: true, detail: 'SMTP ready' };
    },
    checkAct: async () => ({ ok: false, code: 'AUTH_FAILED', reason: 'Exchange denies access to folder \'Calendar\'' }),
  } as unknown as MailConnectors;
  let reported: { incoming: ChannelTestResult; outgoing: ChannelTestResult; act?: ChannelTestResult } | undefined;
  const api = {
    reportMailboxTest: async (_m: string, _l: string, incoming: ChannelTestResult, outgoing: ChannelTestResult, act?: ChannelTestResult) => void (reported = { incoming, outgoing, act }),
  };
  await testMailbox(api as never, connectors, createLogger('silent'), w, new AbortController().signal);
  return { ...reported!, smtpChecked };
}

describe('Test & Enable in the engine', () => {
  it('tests SMTP when the mailbox sends', async () => {
    expect(await tested(work({}))).toEqual({ incoming: { status: 'SUCCESS', reason: 'signed in' }, outgoing: { status: 'SUCCESS', reason: 'SMTP ready' }, act: { status: 'NOT_RUN' }, smtpChecked: true });
  });

  it('tests an Exchange mailbox\'s outgoing channel without an SMTP server, and its appointments, contacts and tasks channel', async () => {
    const ews = { url: null, impersonateAddress: null, allowInvalidCertificates: false, maxConnections: 4 };
    const result = await tested(work({ kind: 'EXCHANGE_EWS', incoming: null, outgoing: null, ews, actEnabled: true }));
    expect(result).toEqual({
      incoming: { status: 'SUCCESS', reason: 'signed in' },
      outgoing: { status: 'SUCCESS', reason: 'SMTP ready' },
      act: { status: 'FAILURE', code: 'AUTH_FAILED', reason: 'Exchange denies access to folder \'Calendar\'' },
      smtpChecked: true,
    });
  });

  it('has no outgoing channel to test on a profile without an SMTP server', async () => {
    for (const outgoingEnabled of [false, true]) {
      const result = await tested(work({ outgoing: null, outgoingEnabled }));
      expect(result).toEqual({ incoming: { status: 'SUCCESS', reason: 'signed in' }, outgoing: { status: 'NOT_RUN' }, act: { status: 'NOT_RUN' }, smtpChecked: false });
    }
  });
});

describe('Test & Enable reports the server\'s folders', () => {
  const run = async (paths: readonly string[] | undefined, reportFolders: () => Promise<void>) => {
    const calls: string[] = [];
    const folders = paths?.map((path) => ({ path, folderId: null, underInbox: false }));
    const connectors = { checkIncoming: async () => ({ ok: true, detail: 'signed in', folders }) } as unknown as MailConnectors;
    const api = {
      reportMailboxFolders: async (_m: string, leaseId: string, listed: readonly ServerFolder[]) => {
        calls.push(`folders ${leaseId} ${listed.map((folder) => folder.path).join(',')}`);
        await reportFolders();
      },
      reportMailboxTest: async (_m: string, leaseId: string, incoming: ChannelTestResult) => void calls.push(`test ${leaseId} ${incoming.status}`),
    };
    await testMailbox(api, connectors, createLogger('silent'), work({ outgoingEnabled: false }), new AbortController().signal);
    return calls;
  };

  it('before the test report, which ends the lease', async () => {
    expect(await run(['INBOX', 'Projekt/Åre'], async () => {})).toEqual(['folders lease-1 INBOX,Projekt/Åre', 'test lease-1 SUCCESS']);
  });

  it('reports the test even when the folder report fails, and nothing for a check without folders (POP3)', async () => {
    expect(await run(['INBOX'], async () => Promise.reject(new Error('hub down')))).toEqual(['folders lease-1 INBOX', 'test lease-1 SUCCESS']);
    expect(await run(undefined, async () => {})).toEqual(['test lease-1 SUCCESS']);
  });
});
