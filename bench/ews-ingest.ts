// Benchmark: mail ingest over EWS end to end. The EWS test server (test/support/ews/, in this process) holds the
// generated mailbox of bench/mail-dataset.ts in its Inbox; the shipped sync engine reads it with SyncFolderItems and
// GetItem into the shipped api on a fresh MariaDB database, configured as an administrator does it (an
// EXCHANGE_EWS profile, tracking ALL mail). Baseline in the same run: a minimal client's raw SyncFolderItems (512
// changes a call) + GetItem MimeContent (100 items a call) fetch of the same mailbox, plain SOAP over fetch().
import fs from 'node:fs';
import path from 'node:path';
import { startEwsTestServer } from '../test/support/ews/ews-server';
import { dropDatabase } from './bench-api';
import { perSecond, type Throughput } from './mail-baselines';
import { prepareDataset } from './mail-dataset';
import { engineEnv, measureEngine, NO_WATCH, type ProtocolRun } from './mail-ingest';
import { ApiProcess, assertBuilt, configureMailbox, EngineProcess, waitForEnabled } from './mail-processes';
import { num, table } from './stats';

const DATABASE = `${process.env.BENCH_MAIL_DATABASE_PREFIX ?? 'crm_bench_mail'}_ews`;
const USER = 'sam.sales@demo.crm.test';
const PASSWORD = 'bench-ews-secret';
const COLLEAGUES = ['maria.manager@demo.crm.test', 'sara.sales@demo.crm.test', 'sven.service@demo.crm.test', 'nora.north@demo.crm.test'];

export interface EwsReport {
  readonly messages: number;
  readonly bytes: number;
  readonly fetch: Throughput;
  readonly run: Omit<ProtocolRun, 'protocol' | 'fetch' | 'parse' | 'e2e'> & { readonly seconds: number };
}

const rawId = (globalId: string) => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];
const soap = (body: string) =>
  '<?xml version="1.0" encoding="utf-8"?><soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types" xmlns:m="http://schemas.microsoft.com/exchange/services/2006/messages">' +
  `<soap:Header><t:RequestServerVersion Version="Exchange2010_SP2"/></soap:Header><soap:Body>${body}</soap:Body></soap:Envelope>`;

/** The raw baseline: SyncFolderItems pages of 512 ids, GetItem MimeContent 100 at a time, decoded to bytes. */
async function rawEwsFetch(url: string): Promise<Throughput> {
  const headers = { 'content-type': 'text/xml; charset=utf-8', authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}` };
  const post = async (body: string) => {
    const response = await fetch(url, { method: 'POST', headers, body: soap(body) });
    if (!response.ok) throw new Error(`raw EWS fetch: HTTP ${response.status}`);
    return response.text();
  };
  const started = performance.now();
  let state = '';
  let messages = 0;
  let bytes = 0;
  for (;;) {
    const page = await post(
      `<m:SyncFolderItems><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape></m:ItemShape><m:SyncFolderId><t:DistinguishedFolderId Id="inbox"/></m:SyncFolderId>${state ? `<m:SyncState>${state}</m:SyncState>` : ''}<m:MaxChangesReturned>512</m:MaxChangesReturned></m:SyncFolderItems>`,
    );
    state = /<m:SyncState>([^<]*)<\/m:SyncState>/.exec(page)![1];
    const ids = [...page.matchAll(/<t:Create><t:Message><t:ItemId Id="([^"]+)"/g)].map((m) => m[1]);
    for (let i = 0; i < ids.length; i += 100) {
      const items = await post(
        `<m:GetItem><m:ItemShape><t:BaseShape>IdOnly</t:BaseShape><t:AdditionalProperties><t:FieldURI FieldURI="item:MimeContent"/></t:AdditionalProperties></m:ItemShape><m:ItemIds>${ids
          .slice(i, i + 100)
          .map((id) => `<t:ItemId Id="${id}"/>`)
          .join('')}</m:ItemIds></m:GetItem>`,
      );
      for (const match of items.matchAll(/<t:MimeContent CharacterSet="UTF-8">([^<]*)<\/t:MimeContent>/g)) {
        bytes += Buffer.from(match[1], 'base64').length;
        messages++;
      }
    }
    if (/<m:IncludesLastItemInRange>true</.test(page)) break;
  }
  return { messages, bytes, seconds: (performance.now() - started) / 1000 };
}

export async function runEwsBenchmark(options: { messages: number; log: (line: string) => void }): Promise<EwsReport> {
  const { log } = options;
  assertBuilt();
  const ews = await startEwsTestServer();
  ews.addUser(USER, { password: PASSWORD });
  const api = await ApiProcess.start(DATABASE, {});
  try {
    const admin = await api.login();
    log('ews: Test & Enable and the first (empty) sync');
    const setup = new EngineProcess(engineEnv(api, 'bench-ews-setup', { POLL_INTERVAL_MS: '200', IDLE_SECONDS: '0', ...NO_WATCH }));
    const mailboxGlobalId = await configureMailbox(api, admin, USER, { kind: 'EXCHANGE_EWS', url: ews.url }, PASSWORD);
    try {
      await waitForEnabled(api, admin, mailboxGlobalId);
      await setup.waitForLine((line) => line.msg === 'mailbox sync finished', { timeoutMs: 60_000 });
    } finally {
      await setup.stop();
    }
    const { contacts } = await api.data<{ contacts: { edges: { node: { fullName: string; emails: string[] } }[] } }>('{ contacts(first: 100) { edges { node { fullName emails } } } }', {}, admin);
    const dataset = prepareDataset(
      {
        count: options.messages,
        owner: { address: USER, name: 'Sam Sales' },
        contacts: contacts.edges.flatMap((e) => e.node.emails.map((address) => ({ address, name: e.node.fullName }))),
        colleagues: COLLEAGUES.map((address) => ({ address, name: null })),
        fileOwner: { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 },
      },
      log,
    );
    log(`ews: ${dataset.messages.length} messages into the test server's Inbox`);
    for (const message of dataset.messages) ews.deliver(USER, 'inbox', fs.readFileSync(path.join(dataset.dir, message.file)));
    log('ews: raw SyncFolderItems + GetItem baseline');
    const rawFetch = await rawEwsFetch(ews.url);
    if (rawFetch.messages !== dataset.messages.length) throw new Error(`raw EWS fetch read ${rawFetch.messages} of ${dataset.messages.length} messages`);
    log('ews: the engine');
    const measured = await measureEngine(api, DATABASE, rawId(mailboxGlobalId), 'EWS', dataset.messages.length, log);
    log(`ews: ${(dataset.messages.length / measured.seconds).toFixed(0)} messages/s`);
    return { messages: dataset.messages.length, bytes: dataset.totalBytes, fetch: rawFetch, run: measured };
  } finally {
    await api.stop();
    await ews.close();
    await dropDatabase(DATABASE);
  }
}

/** The report's lines for BENCHMARKS.md. */
export function ewsText(report: EwsReport, commit: string): string {
  const e2e = report.messages / report.run.seconds;
  const raw = perSecond(report.fetch);
  const share = (100 * e2e) / raw;
  return [
    `## 5. Mail ingest over EWS (commit ${commit})`,
    '',
    `${num(report.messages)} generated messages (${num(report.bytes / 1e6, 1)} MB) in the Inbox of the EWS test server (test/support/ews/, in the benchmark process), read by the shipped engine into the shipped api on MariaDB, tracking all mail.`,
    '',
    table(
      ['', 'messages/s', 'MB/s'],
      [
        ['engine end to end (claim → last message decided)', num(e2e, 1), num(report.bytes / 1e6 / report.run.seconds, 1)],
        ['raw SyncFolderItems (512 a call) + GetItem MimeContent (100 a call), same mailbox, same run', num(raw, 1), num(report.bytes / 1e6 / report.fetch.seconds, 1)],
      ],
    ),
    '',
    table(
      ['target', 'measured', 'wanted', ''],
      [
        ['EWS ingest vs the raw fetch', `${num(e2e, 1)} vs ${num(raw, 1)} msg/s (${share.toFixed(0)} %)`, '≥ 50 %', share >= 50 ? 'met' : 'missed'],
        ['engine peak RSS', `${num(report.run.engine.peakRssMb)} MB`, '< 300 MB', report.run.engine.peakRssMb < 300 ? 'met' : 'missed'],
      ],
    ),
    '',
    `Engine peak RSS is the engine process's own high-water mark (VmHWM), from ${num(report.run.engineStartRssMb)} MB when it started. Its memory at the peaks, sampled every 100 ms: main thread V8 heap ${num(report.run.engine.peakHeapUsedMb)} MB and outside the heap (Buffers…) ${num(report.run.engine.peakExternalMb)} MB; the MIME worker thread ${num(report.run.engine.peakWorkerHeapUsedMb)} MB of heap and ${num(report.run.engine.peakWorkerExternalMb)} MB outside it; the rest is code, V8's reserve beyond the heap in use, and what the allocator keeps. CPU time of the engine ${num(report.run.engine.cpuMs / 1000, 1)} s (${num(report.run.engine.cpuMs / report.messages, 2)} s per 1,000 messages), of the api ${num(report.run.api.cpuMs / 1000, 1)} s (${num(report.run.api.cpuMs / report.messages, 2)} s per 1,000 messages) over ${num(report.run.seconds, 1)} s.`,
    '',
    `Outcomes: ${Object.entries(report.run.outcomes).map(([k, n]) => `${k} ${num(n)}`).join(', ')}; quarantined ${num(report.run.quarantined)}. The reconcile that followed took ${num(report.run.reconcileSeconds, 1)} s.`,
    'The test server parses and writes SOAP in the benchmark process, so the raw fetch measures that server as much as the client; against Exchange both rates would be lower and closer.',
    '',
  ].join('\n');
}
