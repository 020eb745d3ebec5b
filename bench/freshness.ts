// Freshness with IMAP IDLE: how long after a message lands in the maildir it is queryable in the api and
// shown on the sender's contact page open in Chromium (live over graphql-ws), next to how long a bare IMAP
// client IDLE-ing on the same INBOX takes to hear of it (EXISTS). The engine runs as shipped (IDLE_SECONDS
// default) on a mailbox that is already synced; messages are delivered as a delivery agent does (tmp/,
// then rename into new/) at a steady pace.
import { createHash } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import type { RowDataPacket } from 'mysql2';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, signIn } from '../test/support/browser';
import type { StartedDovecot } from '../test/support/dovecot';
import { BENCH_PASSWORD, serverConnection } from './bench-api';
import type { ApiProcess, EngineProcess } from './mail-processes';
import { percentile } from './stats';

export interface FreshnessOptions {
  readonly api: ApiProcess;
  /** An engine started with IDLE on, whose first claim of the mailbox has begun or is due. */
  readonly engine: EngineProcess;
  readonly dovecot: StartedDovecot;
  readonly address: string;
  readonly password: string;
  readonly samples: number;
  readonly intervalMs: number;
  readonly log: (line: string) => void;
  /** The mailbox owner's name as the UI shows it once signed in (their password is the benchmark's). */
  readonly ownerName: string;
  /** Whether the api serves the built UI (web/dist), so a browser can watch the contact page. */
  readonly servesUi: boolean;
}

export interface FreshnessReport {
  readonly samples: number;
  readonly intervalMs: number;
  /** Delivery → the email row committed (polled every 20 ms), ms. */
  readonly engine: { p50: number; p95: number; max: number; missing: number };
  /** Delivery → the bare client's EXISTS, ms. */
  readonly bare: { p50: number; p95: number; max: number; missing: number };
  /** Delivery → the item shown on the sender's contact page open in Chromium (null: not measured, see screenSkipped). */
  readonly screen: { p50: number; p95: number; max: number; missing: number } | null;
  readonly screenSkipped: string | null;
  /** How long the engine's claim took before it was IDLE-ing (ingest of nothing new, then the reconcile), s. */
  readonly readySeconds: number;
}

const POLL_MS = 20;
const SAMPLE_TIMEOUT_MS = 30_000;

export async function runFreshness(options: FreshnessOptions): Promise<FreshnessReport> {
  const { api, engine, dovecot, address, log } = options;
  const db = await serverConnection(api.database);
  // The messages come from one of the owner's contacts, so each lands on that contact's timeline.
  const owner = await api.login(address);
  const { contacts } = await api.data<{ contacts: { edges: { node: { id: string; fullName: string; primaryEmail: string | null } }[] } }>('{ contacts(first: 50) { edges { node { id fullName primaryEmail } } } }', {}, owner);
  const sender = contacts.edges.map((e) => e.node).find((c) => c.primaryEmail);
  if (!sender) throw new Error(`freshness: ${address} can read no contact with an email address`);
  const from = { address: sender.primaryEmail!, name: sender.fullName };
  let browser: Browser | null = null;
  const bare = new ImapFlow({ host: '127.0.0.1', port: dovecot.imapPort, secure: false, doSTARTTLS: false, auth: { user: address, pass: options.password }, logger: false, disableAutoIdle: true });
  try {
    // The engine's claim reads what is new, reconciles (the first time in this process), then IDLEs.
    const started = Date.now();
    await engine.waitForLine((line) => line.msg === 'mailbox reconciled', { timeoutMs: 300_000 });
    const readySeconds = (Date.now() - started) / 1000;
    const isTracked = async (ids: readonly string[]): Promise<Set<string>> => {
      if (!ids.length) return new Set();
      const [rows] = await db.query<RowDataPacket[]>('SELECT messageIdHash FROM email_message WHERE messageIdHash IN (?)', [ids.map(hashOf)]);
      const found = new Set(rows.map((r) => r.messageIdHash as string));
      return new Set(ids.filter((id) => found.has(hashOf(id))));
    };
    // One delivery first, untimed: it proves the engine is past its reconcile and in IDLE.
    const warm = messageIdOf(-1);
    await dovecot.deliver(address, rawOf(warm, -1, address, from));
    await waitUntil(async () => (await isTracked([warm])).size === 1, SAMPLE_TIMEOUT_MS, 'the warm-up message');

    // The contact page open in Chromium, following its timeline live; a MutationObserver notes when each sample shows.
    let page: Page | null = null;
    let screenSkipped: string | null = options.servesUi ? null : 'the api serves no built UI (web/dist): run `npm run build -w web`';
    if (!screenSkipped) {
      try {
        browser = await launchChromium();
        page = await openContactPage(browser, api.graphqlUrl.replace(/\/graphql$/, ''), address, options.ownerName, sender);
      } catch (error) {
        screenSkipped = `Chromium could not watch the contact page: ${(error as Error).message.split('\n')[0]}`;
        log(`freshness: ${screenSkipped}`);
        page = null;
      }
    }
    let screenCount = 0;

    await bare.connect();
    // imapflow updates its mailbox object in place: keep the count the client started from.
    const initial = (await bare.mailboxOpen('INBOX')).exists;
    const existsAt: number[] = []; // existsAt[k]: when the bare client heard of the (k+1)-th new message
    bare.on('exists', (event: { count: number }) => {
      const now = performance.now();
      while (existsAt.length < event.count - initial) existsAt.push(now);
    });
    // Ends when the client logs out; had it failed before, its samples show as missing, and the log says why.
    void bare.idle().catch((error: unknown) => log(`freshness: the bare client's IDLE ended: ${String(error)}`));
    await waitUntil(async () => bare.idling, 5000, 'the bare client to IDLE');

    const deliveredAt: number[] = [];
    const deliveredWall: number[] = []; // Date.now(), the clock the page reads
    const trackedAt: (number | undefined)[] = [];
    const ids = Array.from({ length: options.samples }, (_, k) => messageIdOf(k));
    let next = 0;
    log(`freshness: ${options.samples} deliveries, one every ${options.intervalMs} ms`);
    const delivering = (async () => {
      for (let k = 0; k < options.samples; k++) {
        const due = (deliveredAt[0] ?? performance.now()) + k * options.intervalMs;
        if (due > performance.now()) await new Promise((resolve) => setTimeout(resolve, due - performance.now()));
        await dovecot.deliver(address, rawOf(ids[k], k, address, from));
        deliveredAt[k] = performance.now(); // the rename into new/ is the delivery
        deliveredWall[k] = Date.now();
        next = k + 1;
      }
    })();
    const deadline = () => (deliveredAt.length ? deliveredAt[deliveredAt.length - 1] : performance.now()) + SAMPLE_TIMEOUT_MS;
    const complete = () => trackedAt.filter((t) => t !== undefined).length === options.samples && existsAt.length >= options.samples && (!page || screenCount >= options.samples);
    while (!complete() && performance.now() < deadline()) {
      if (page) screenCount = (await page.evaluate('Object.keys(window.shownAt).filter((n) => Number(n) >= 1).length')) as number;
      const waiting = ids.slice(0, next).filter((_, k) => trackedAt[k] === undefined);
      const found = await isTracked(waiting);
      const now = performance.now();
      ids.forEach((id, k) => {
        if (found.has(id)) trackedAt[k] = now;
      });
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    await delivering;
    const engineMs = deliveredAt.map((t, k) => (trackedAt[k] === undefined ? undefined : trackedAt[k]! - t)).filter((v): v is number => v !== undefined);
    const bareMs = deliveredAt.map((t, k) => (existsAt[k] === undefined ? undefined : existsAt[k] - t)).filter((v): v is number => v !== undefined);
    let screen: FreshnessReport['screen'] = null;
    if (page) {
      const shownAt = (await page.evaluate('window.shownAt')) as Record<string, number>;
      // Sample k's subject says k + 1 (rawOf).
      const screenMs = deliveredWall.map((t, k) => (shownAt[String(k + 1)] === undefined ? undefined : shownAt[String(k + 1)] - t)).filter((v): v is number => v !== undefined);
      screen = summary(screenMs, options.samples);
    }
    return { samples: options.samples, intervalMs: options.intervalMs, engine: summary(engineMs, options.samples), bare: summary(bareMs, options.samples), screen, screenSkipped, readySeconds };
  } finally {
    await bare.logout().catch(() => bare.close());
    await browser?.close();
    await db.end();
  }
}

/** Run in the page (a string: this code is compiled without the DOM's types). */
const NOTE_SAMPLES_SHOWN = `(() => {
  const shownAt = (window.shownAt = {});
  const scan = () => {
    const now = Date.now();
    for (const item of document.querySelectorAll('[data-testid="timeline-item"]')) {
      const n = /Freshness sample (\\d+)/.exec(item.textContent || '')?.[1];
      if (n !== undefined && !(n in shownAt)) shownAt[n] = now;
    }
  };
  new MutationObserver(scan).observe(document.body, { childList: true, subtree: true, characterData: true });
  scan();
})()`;

/**
 * Signs the owner in, opens the sender's contact page, waits until it is live, and starts noting (in the
 * page, Date.now()) when each "Freshness sample N" first shows among the timeline items: window.shownAt[N].
 */
async function openContactPage(browser: Browser, baseUrl: string, email: string, name: string, contact: { id: string; fullName: string }): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 } })).newPage();
  await page.goto(baseUrl);
  await signIn(page, email, BENCH_PASSWORD, name);
  await page.goto(`${baseUrl}/#/contacts/${encodeURIComponent(contact.id)}`);
  await page.getByRole('heading', { name: contact.fullName, level: 1 }).waitFor({ timeout: 30_000 });
  await page.locator('[data-testid="live-status"][data-status="live"]').waitFor({ timeout: 30_000 });
  await page.evaluate(NOTE_SAMPLES_SHOWN);
  return page;
}

function summary(values: number[], expected: number) {
  return { p50: percentile(values, 50), p95: percentile(values, 95), max: values.length ? Math.max(...values) : NaN, missing: expected - values.length };
}

const hashOf = (messageId: string) => createHash('sha256').update(messageId, 'utf8').digest('hex');
const messageIdOf = (k: number) => `freshness-${process.pid}-${Date.now().toString(36)}-${k + 1}@bench.crm.test`;

function rawOf(messageId: string, k: number, to: string, from: { address: string; name: string }): Buffer {
  const lines = [
    `From: "${from.name.replace(/["\\]/g, '')}" <${from.address}>`,
    `To: <${to}>`,
    `Subject: Freshness sample ${k + 1}`,
    `Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: <${messageId}>`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: 8bit',
    '',
    'Hello, a quick question about the delivery schedule for next week.',
  ];
  return Buffer.from(`${lines.join('\r\n')}\r\n`);
}

async function waitUntil(probe: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`freshness: timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}
