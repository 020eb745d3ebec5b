// The mailbox the sync benchmarks read: N raw RFC 5322 messages, generated deterministically from a seed
// and written once as maildir files (kept in the temp dir between runs), then hard-linked into each Dovecot
// user's maildir, which is much faster than delivering them one by one. Shapes as real clients write them:
// Outlook (multipart/alternative in quoted-printable, Thread-Index, an inline signature logo now and then),
// Gmail, Apple Mail and Thunderbird (format=flowed text only); a third are replies (In-Reply-To, References,
// the quoted original); 10 % carry a document of 10–200 KB and 1 % one of 1–3 MB. Median about 20 KB.
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { random } from './mail-corpus';
import { percentile } from './stats';

export interface Address {
  readonly address: string;
  readonly name?: string | null;
}

export interface DatasetInput {
  readonly count: number;
  /** The mailbox owner: most mail is addressed to them. */
  readonly owner: Address;
  /** Seeded contacts' addresses, so most messages resolve to records. */
  readonly contacts: readonly Address[];
  /** Other users of the organization (internal parties). */
  readonly colleagues: readonly Address[];
  /** uid/gid the files must belong to (the Dovecot mail user). */
  readonly fileOwner: { readonly uid: number; readonly gid: number };
  readonly seed?: number;
}

export interface DatasetMessage {
  /** Maildir file name (cur/, with its ",S=" size and ":2," flags). */
  readonly file: string;
  readonly bytes: number;
  /** Without angle brackets. */
  readonly messageId: string;
  readonly attachmentBytes: number;
}

export interface Dataset {
  readonly dir: string;
  readonly messages: readonly DatasetMessage[];
  readonly totalBytes: number;
  readonly medianBytes: number;
  readonly p90Bytes: number;
  readonly maxBytes: number;
  /** Messages with at least one (non-inline) attachment, and those with one of 1 MB or more. */
  readonly withAttachments: number;
  readonly withLargeAttachments: number;
  readonly replies: number;
  /** Whether this run wrote the files (else they came from an earlier run's cache). */
  readonly builtNow: boolean;
  readonly buildSeconds: number;
}

// Bump when the generator changes, so a cached dataset from older code is not reused.
const GENERATOR_VERSION = 2;
const MANIFEST = 'manifest.json';

const SENTENCES = [
  'Thank you for the meeting on Tuesday, it was good to walk through the rollout plan together.',
  'As discussed, we would like to move the installation to the second week of the month.',
  'Please find the revised offer attached; the prices include delivery and on-site training.',
  'Our purchasing department needs the order confirmation before Friday to release the budget.',
  'Could you confirm that the support contract covers the new warehouse in Malmö as well?',
  'The invoice from last quarter lists twelve licences, but we only activated ten of them.',
  'I have copied my colleague who is responsible for the technical integration on our side.',
  'We tested the new version in our staging environment and found no blocking issues.',
  'Let me know if a call on Thursday afternoon works for you, otherwise early next week.',
  'The delivery was delayed at customs; the forwarder expects it to arrive on Monday.',
  'Vi återkommer med ett reviderat förslag så snart vi har pratat med ekonomiavdelningen.',
  'Wir haben die Unterlagen geprüft und würden gerne mit der Pilotphase im Mai beginnen.',
  'For the renewal we would prefer a three-year term with an annual price review.',
  'Attached you will find the minutes of the steering group and the updated time plan.',
  'Our legal team asked for two changes in the data processing agreement, see section 4.2.',
  'The training for the service technicians is booked for the 14th, twelve participants.',
];
const FIRST = ['Anna', 'Lars', 'Maja', 'Oskar', 'Elin', 'Johan', 'Sara', 'Peter', 'Keiko', 'Luca', 'Amira', 'Tom', 'Zoë', 'Björn'];
const LAST = ['Berg', 'Holm', 'Ek', 'Sandberg', 'Meyer', 'Rossi', 'Ito', 'Haddad', 'Walsh', 'Novak', 'Åström'];
const TOPICS = ['Offer', 'Delivery schedule', 'Support contract', 'Invoice', 'Installation', 'Licence renewal', 'Training dates', 'Data processing agreement', 'Pilot phase', 'Price review', 'Prisförslag', 'Lieferung'];
const DOCUMENTS = [
  ['Offer', 'application/pdf', 'pdf'],
  ['Contract', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'docx'],
  ['Price list', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'xlsx'],
  ['Site photos', 'application/zip', 'zip'],
  ['Minutes', 'application/pdf', 'pdf'],
] as const;

/** Builds the dataset, or reuses the one an earlier run wrote for the same input. */
export function prepareDataset(input: DatasetInput, log: (line: string) => void): Dataset {
  const seed = input.seed ?? 20260601;
  const key = createHash('sha256')
    .update(JSON.stringify({ v: GENERATOR_VERSION, count: input.count, owner: input.owner, contacts: input.contacts, colleagues: input.colleagues, seed, owns: input.fileOwner }))
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(os.tmpdir(), `crm-bench-mail-${input.count}-${key}`);
  const manifestPath = path.join(dir, MANIFEST);
  if (fs.existsSync(manifestPath)) {
    const cached = JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as Dataset;
    log(`mail dataset: reusing ${cached.messages.length} messages in ${dir}`);
    return { ...cached, dir, builtNow: false };
  }
  // A dataset of this size from other code or contacts is never reused: remove it rather than fill the disk.
  for (const old of fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith(`crm-bench-mail-${input.count}-`))) fs.rmSync(path.join(os.tmpdir(), old), { recursive: true, force: true });
  const started = performance.now();
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  const { messages, replies } = generate(input, seed, dir);
  const sizes = messages.map((m) => m.bytes);
  const dataset: Dataset = {
    dir,
    messages,
    totalBytes: sizes.reduce((a, b) => a + b, 0),
    medianBytes: percentile(sizes, 50),
    p90Bytes: percentile(sizes, 90),
    maxBytes: Math.max(...sizes),
    withAttachments: messages.filter((m) => m.attachmentBytes > 0).length,
    withLargeAttachments: messages.filter((m) => m.attachmentBytes >= 1024 * 1024).length,
    replies,
    builtNow: true,
    buildSeconds: (performance.now() - started) / 1000,
  };
  fs.writeFileSync(manifestPath, JSON.stringify(dataset));
  log(`mail dataset: wrote ${messages.length} messages (${(dataset.totalBytes / 1e6).toFixed(0)} MB) to ${dir} in ${dataset.buildSeconds.toFixed(1)} s`);
  return dataset;
}

/**
 * `count` messages of about `bytes` each (one incompressible document, base64 as mailers send it) from `from` to
 * `owner`, for the large-message memory row; written next to the dataset once and reused. Their file names sort
 * after every dataset message, so they get the highest UIDs.
 */
export function largeMessages(dataset: Dataset, input: { count: number; bytes: number; owner: Address; from: Address; fileOwner: { uid: number; gid: number } }): Dataset {
  const out: DatasetMessage[] = [];
  const dir = path.join(dataset.dir, 'large');
  fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
  // Base64 lines of 76 characters and their CRLFs: 4/3 × 78/76 of the document.
  const documentBytes = Math.floor((input.bytes * 3 * 76) / (4 * 78)) - 2048;
  for (let i = 0; i < input.count; i++) {
    const existing = fs.readdirSync(dir).find((name) => name.startsWith(`9999999999.M${String(i).padStart(7, '0')}P1.large,`));
    if (existing) {
      const bytes = fs.statSync(path.join(dir, existing)).size;
      out.push({ file: path.join('large', existing), bytes, messageId: `large-${i}@bench.crm.test`, attachmentBytes: documentBytes });
      continue;
    }
    const document = randomBytes(documentBytes);
    const head = [
      `From: ${input.from.name ?? ''} <${input.from.address}>`,
      `To: ${input.owner.name ?? ''} <${input.owner.address}>`,
      `Subject: Drawing set ${i + 1} (large)`,
      `Date: ${new Date(Date.UTC(2026, 5, 1, 12, i)).toUTCString()}`,
      `Message-ID: <large-${i}@bench.crm.test>`,
      'MIME-Version: 1.0',
      'Content-Type: multipart/mixed; boundary="large-boundary"',
      '',
      '--large-boundary',
      'Content-Type: text/plain; charset=utf-8',
      '',
      'The drawing set is attached.',
      '--large-boundary',
      `Content-Type: application/pdf; name="drawings-${i + 1}.pdf"`,
      `Content-Disposition: attachment; filename="drawings-${i + 1}.pdf"`,
      'Content-Transfer-Encoding: base64',
      '',
      '',
    ].join('\r\n');
    const raw = Buffer.concat([Buffer.from(head), Buffer.from(document.toString('base64').replace(/.{76}/g, '$&\r\n')), Buffer.from('\r\n--large-boundary--\r\n')]);
    const file = `9999999999.M${String(i).padStart(7, '0')}P1.large,S=${raw.length},W=${raw.length}:2,S`;
    fs.writeFileSync(path.join(dir, file), raw, { mode: 0o600 });
    fs.chownSync(path.join(dir, file), input.fileOwner.uid, input.fileOwner.gid);
    out.push({ file: path.join('large', file), bytes: raw.length, messageId: `large-${i}@bench.crm.test`, attachmentBytes: document.length });
  }
  const sizes = out.map((m) => m.bytes);
  return { ...dataset, messages: out, totalBytes: sizes.reduce((a, b) => a + b, 0), medianBytes: percentile(sizes, 50), p90Bytes: percentile(sizes, 90), maxBytes: Math.max(...sizes), withAttachments: out.length, withLargeAttachments: out.length, replies: 0 };
}

/**
 * Reads every message file once (untimed), so that the raw fetch and the engine both find the mailbox in the page
 * cache, as a server holds mail just delivered. The benchmark machine's kernel reclaims file pages left unused
 * for a while: the raw IMAP fetch, run right after the parse baseline had read every file, gave 7,100–10,500 msg/s,
 * and 2,600–3,000 when the parse moved after it.
 */
export function readIntoPageCache(dataset: Dataset): void {
  for (const m of dataset.messages) fs.readFileSync(path.join(dataset.dir, m.file));
}

/**
 * Hard-links every message into `maildir`/cur (one inode, however many users carry it). Dovecot assigns
 * UIDs in file-name order, which is the messages' order.
 */
export function linkInto(dataset: Dataset, maildir: string, owner: { uid: number; gid: number }): void {
  for (const sub of ['', 'cur', 'new', 'tmp']) {
    fs.mkdirSync(path.join(maildir, sub), { recursive: true, mode: 0o700 });
    fs.chownSync(path.join(maildir, sub), owner.uid, owner.gid);
  }
  for (const m of dataset.messages) fs.linkSync(path.join(dataset.dir, m.file), path.join(maildir, 'cur', path.basename(m.file)));
}

function generate(input: DatasetInput, seed: number, dir: string): { messages: DatasetMessage[]; replies: number } {
  const rand = random(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];
  // Attachments are cut from one pool of random bytes (incompressible, like PDFs and ZIPs) at random offsets, each
  // behind its own header, so every file is distinct (no blob is shared) without generating 500 MB of randomness.
  const pool = Buffer.alloc(4 * 1024 * 1024);
  for (let i = 0; i < pool.length; i += 4) pool.writeUInt32LE(Math.floor(rand() * 2 ** 32), i);
  const attachmentBytes = (size: number, label: string): Buffer => {
    const head = Buffer.from(`%PDF-1.7\n% ${label}\n`);
    const out = Buffer.alloc(size);
    head.copy(out);
    let at = head.length;
    let from = Math.floor(rand() * pool.length);
    while (at < size) {
      const n = Math.min(size - at, pool.length - from);
      pool.copy(out, at, from, from + n);
      at += n;
      from = 0;
    }
    return out;
  };
  const unknown = (): Address => {
    const first = pick(FIRST);
    const last = pick(LAST);
    const plain = (s: string) => s.normalize('NFD').replace(/[^A-Za-z]/g, '').toLowerCase();
    return { address: `${plain(first)}.${plain(last)}@partner${Math.floor(rand() * 400)}.example`, name: `${first} ${last}` };
  };
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
  let replies = 0;
  const start = Date.UTC(2026, 2, 2, 7, 0, 0);
  const history: { messageId: string; references: string[]; subject: string; from: Address; threadIndex: string | null; date: string; text: string }[] = [];
  const out: DatasetMessage[] = [];
  let at = start;
  for (let i = 0; i < input.count; i++) {
    at += 20_000 + Math.floor(rand() * 160_000);
    const date = new Date(at);
    // One to five others: mostly seeded contacts, some unknown, now and then a colleague.
    const others: Address[] = [];
    const wanted = 1 + Math.floor(rand() * 5);
    while (others.length < wanted) {
      const r = rand();
      const person = r < 0.6 ? pick(input.contacts) : r < 0.9 ? unknown() : pick(input.colleagues);
      if (person.address !== input.owner.address && !others.some((p) => p.address === person.address)) others.push(person);
    }
    // Mostly incoming; a tenth are the owner's own copies (Bcc to self, a shared inbox).
    const outgoing = rand() < 0.1;
    const from = outgoing ? input.owner : others[0];
    const recipients = outgoing ? others : [input.owner, ...others.slice(1)];
    const toCount = 1 + Math.floor(rand() * Math.min(2, recipients.length));
    const to = recipients.slice(0, toCount);
    const cc = recipients.slice(toCount);
    const parent = history.length > 0 && rand() < 0.35 ? history[Math.max(0, history.length - 1 - Math.floor(rand() * 200))] : undefined;
    if (parent) replies++;
    const subject = parent ? `${rand() < 0.5 ? 'RE' : 'Re'}: ${parent.subject.replace(/^(re: )+/i, '')}` : `${pick(TOPICS)} – ${pick(['Q2', 'order 4471', 'site visit', 'follow-up', 'next steps', 'contract 2026', 'Malmö'])}`;
    const references = parent ? [...parent.references.slice(-9), parent.messageId] : [];
    // Text plus HTML bodies (log-normal spread): with headers and MIME overhead, a median message of about 20 KB.
    const bodyBytes = Math.min(400_000, Math.max(2_000, 14_500 * Math.exp(0.7 * gaussian(rand))));
    const paras = paragraphs(rand, bodyBytes);
    const quote = parent ? `\r\n\r\nFrom: ${display(parent.from)}\r\nSent: ${parent.date}\r\nSubject: ${parent.subject}\r\n\r\n${parent.text.slice(0, 4000).split('\r\n').map((l) => `> ${l}`).join('\r\n')}` : '';
    const text = `${paras.join('\r\n\r\n')}\r\n\r\nBest regards\r\n${from.name ?? from.address}${quote}`;
    const flavour = rand();
    const client = flavour < 0.5 ? 'outlook' : flavour < 0.8 ? 'gmail' : flavour < 0.9 ? 'apple' : 'thunderbird';
    const domain = from.address.split('@')[1];
    const messageId =
      client === 'outlook'
        ? `${hex(4).toUpperCase()}PR07MB${hex(12).toUpperCase()}${i.toString(36).toUpperCase()}@DB9PR07MB${hex(4)}.eurprd07.prod.outlook.com`
        : client === 'gmail'
          ? `CA+${hex(24)}${i.toString(36)}@mail.gmail.com`
          : `${hex(8)}-${hex(4)}-${hex(4)}-${i.toString(36)}@${domain}`;
    const threadIndex = client === 'outlook' ? threadIndexFor(parent?.threadIndex ?? null, rand) : null;
    // Documents: 10 % one of 10–200 KB, 1 % one of 1–3 MB (log-uniform sizes); Outlook signatures carry a logo now and then.
    const r = rand();
    const documents: { name: string; type: string; content: Buffer }[] = [];
    if (r < 0.11) {
      const large = r < 0.01;
      const size = Math.round(large ? 1024 * 1024 * (1 + 2 * rand()) : 10_240 * Math.exp(rand() * Math.log(20)));
      const [label, type, ext] = pick(DOCUMENTS);
      documents.push({ name: `${label} ${i}.${ext}`, type, content: attachmentBytes(size, `${seed}-${i}`) });
    }
    const logo = client === 'outlook' && rand() < 0.1 ? attachmentBytes(4_000 + Math.floor(rand() * 8_000), `logo-${seed}-${i}`) : null;
    const headerLines = [
      `Return-Path: <${from.address}>`,
      `Delivered-To: ${input.owner.address}`,
      `Received: from mx${Math.floor(rand() * 9)}.${domain} (mx.${domain} [203.0.113.${Math.floor(rand() * 250)}])\r\n\tby mx.demo.crm.test (Postfix) with ESMTPS id ${hex(10).toUpperCase()}\r\n\tfor <${input.owner.address}>; ${rfc5322Date(date, 0)}`,
      `Received: from ${client === 'outlook' ? 'DB9PR07MB1234.eurprd07.prod.outlook.com' : `mail.${domain}`} ([10.${Math.floor(rand() * 250)}.1.2])\r\n\tby smtp.${domain} with ESMTPSA id ${hex(16)}; ${rfc5322Date(new Date(at - 2000), 60)}`,
      `DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=${domain}; s=selector1;\r\n\th=From:To:Subject:Date:Message-ID:MIME-Version:Content-Type;\r\n\tbh=${base64Of(hex(64))};\r\n\tb=${wrap(base64Of(hex(512)), 70, '\r\n\t  ')}`,
      `From: ${display(from)}`,
      `To: ${to.map(display).join(',\r\n\t')}`,
      ...(cc.length ? [`CC: ${cc.map(display).join(',\r\n\t')}`] : []),
      `Subject: ${encodedWord(subject)}`,
      `Date: ${rfc5322Date(date, client === 'gmail' ? 0 : client === 'apple' ? 120 : 60)}`,
      `Message-ID: <${messageId}>`,
      ...(parent ? [`In-Reply-To: <${parent.messageId}>`, `References: ${references.map((id) => `<${id}>`).join('\r\n\t')}`] : []),
      ...(threadIndex ? [`Thread-Topic: ${encodedWord(subject.replace(/^re: /i, ''))}`, `Thread-Index: ${threadIndex}`, `X-MS-Has-Attach: ${documents.length ? 'yes' : ''}`, 'X-MS-TNEF-Correlator:', 'Accept-Language: sv-SE, en-US', 'Content-Language: en-US'] : []),
      ...(client === 'apple' ? ['X-Mailer: Apple Mail (2.3774.600.62)'] : client === 'thunderbird' ? ['User-Agent: Mozilla Thunderbird'] : []),
      'MIME-Version: 1.0',
    ];
    const boundary = (n: number) => `_00${n}_${hex(16)}_`;
    let body: string[];
    if (client === 'thunderbird' && !documents.length) {
      body = ['Content-Type: text/plain; charset=UTF-8; format=flowed', 'Content-Transfer-Encoding: 8bit', '', text];
    } else {
      const alt = boundary(0);
      const html = client === 'gmail' ? gmailHtml(paras) : outlookHtml(paras, from, logo ? `image001.png@01DC${hex(4).toUpperCase()}` : null);
      const alternative = [
        `--${alt}`,
        'Content-Type: text/plain; charset="utf-8"',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        quotedPrintable(text),
        `--${alt}`,
        'Content-Type: text/html; charset="utf-8"',
        'Content-Transfer-Encoding: quoted-printable',
        '',
        quotedPrintable(html.body),
        `--${alt}--`,
      ];
      let part = [`Content-Type: multipart/alternative; boundary="${alt}"`, '', ...alternative];
      if (logo && html.cid) {
        const rel = boundary(1);
        part = [
          `Content-Type: multipart/related; boundary="${rel}"; type="multipart/alternative"`,
          '',
          `--${rel}`,
          ...part,
          `--${rel}`,
          'Content-Type: image/png; name="image001.png"',
          'Content-Description: image001.png',
          'Content-Disposition: inline; filename="image001.png"',
          `Content-ID: <${html.cid}>`,
          'Content-Transfer-Encoding: base64',
          '',
          base64Lines(logo),
          `--${rel}--`,
        ];
      }
      if (documents.length) {
        const mixed = boundary(2);
        body = [`Content-Type: multipart/mixed; boundary="${mixed}"`, '', `--${mixed}`, ...part];
        for (const d of documents) {
          body.push(`--${mixed}`, `Content-Type: ${d.type}; name="${d.name}"`, `Content-Description: ${d.name}`, `Content-Disposition: attachment; filename="${d.name}"; size=${d.content.length}`, 'Content-Transfer-Encoding: base64', '', base64Lines(d.content));
        }
        body.push(`--${mixed}--`);
      } else {
        body = part;
      }
    }
    const raw = Buffer.from(`${[...headerLines, ...body].join('\r\n')}\r\n`, 'utf8');
    // Maildir name (dovecot.org/wiki maildir format): time.unique.host, S= physical and W= virtual (CRLF) size, so
    // Dovecot need not stat or read a file for its size; ":2,S" = already seen. Zero-padded so name order is UID order.
    const file = `${Math.floor(at / 1000)}.M${String(i).padStart(7, '0')}P1.bench,S=${raw.length},W=${raw.length}:2,S`;
    const target = path.join(dir, file);
    fs.writeFileSync(target, raw, { mode: 0o600 });
    fs.chownSync(target, input.fileOwner.uid, input.fileOwner.gid);
    fs.utimesSync(target, date, date); // INTERNALDATE
    out.push({ file, bytes: raw.length, messageId, attachmentBytes: documents.reduce((sum, d) => sum + d.content.length, 0) });
    history.push({ messageId, references, subject, from, threadIndex, date: rfc5322Date(date, 60), text: paras.slice(0, 3).join('\r\n\r\n') });
    if (history.length > 400) history.splice(0, 200);
  }
  return { messages: out, replies };
}

function paragraphs(rand: () => number, bytes: number): string[] {
  const out: string[] = [];
  let size = 0;
  // The HTML is about 1.5× the text: the text gets 40 % of the body.
  while (size < bytes * 0.4) {
    const count = 2 + Math.floor(rand() * 4);
    const p = Array.from({ length: count }, () => SENTENCES[Math.floor(rand() * SENTENCES.length)]).join(' ');
    out.push(p);
    size += Buffer.byteLength(p) + 4;
  }
  return out;
}

const escapeHtml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');

/** Outlook's Word HTML: a span per paragraph, a signature table, a remote image, and the logo by cid when there is one. */
function outlookHtml(paras: readonly string[], sender: Address, cid: string | null): { body: string; cid: string | null } {
  const p = (text: string) => `<p class="MsoNormal"><span style="font-size:11.0pt;font-family:&quot;Calibri&quot;,sans-serif;color:#1F3864" lang="EN-US">${escapeHtml(text)}<o:p></o:p></span></p>`;
  return {
    cid,
    body: [
      '<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w="urn:schemas-microsoft-com:office:word" xmlns:m="http://schemas.microsoft.com/office/2004/12/omml" xmlns="http://www.w3.org/TR/REC-html40">',
      '<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><meta name="Generator" content="Microsoft Word 15 (filtered medium)">',
      '<style><!--\r\n@font-face\r\n\t{font-family:"Cambria Math";\r\n\tpanose-1:2 4 5 3 5 4 6 3 2 4;}\r\np.MsoNormal, li.MsoNormal, div.MsoNormal\r\n\t{margin:0cm;\r\n\tfont-size:11.0pt;\r\n\tfont-family:"Calibri",sans-serif;}\r\n--></style></head>',
      '<body lang="SV" link="#0563C1" vlink="#954F72" style="word-wrap:break-word"><div class="WordSection1">',
      ...paras.map(p),
      `<table class="MsoNormalTable" border="0" cellspacing="0" cellpadding="0"><tr><td style="padding:0cm"><p class="MsoNormal"><b>${escapeHtml(sender.name ?? sender.address)}</b><br>Key Account Manager<br><a href="https://www.example.com">www.example.com</a></p></td>`,
      `<td>${cid ? `<img width="120" height="40" src="cid:${cid}">` : '<img src="https://cdn.example.com/logo.png" width="120" height="40">'}</td></tr></table>`,
      '</div></body></html>',
    ].join('\r\n'),
  };
}

function gmailHtml(paras: readonly string[]): { body: string; cid: null } {
  return { cid: null, body: `<div dir="ltr">${paras.map((p) => `<div>${escapeHtml(p)}</div><div><br></div>`).join('\r\n')}</div>\r\n` };
}

function display(a: Address): string {
  if (!a.name) return `<${a.address}>`;
  return /^[\x20-\x7e]*$/.test(a.name) ? `"${a.name}" <${a.address}>` : `${encodedWord(a.name)} <${a.address}>`;
}

/** RFC 2047 encoded-word (B) for non-ASCII header text. */
function encodedWord(text: string): string {
  return /^[\x20-\x7e]*$/.test(text) ? text : `=?utf-8?B?${Buffer.from(text, 'utf8').toString('base64')}?=`;
}

const base64Of = (text: string) => Buffer.from(text, 'hex').toString('base64');
const wrap = (text: string, width: number, joiner: string) => (text.match(new RegExp(`.{1,${width}}`, 'g')) ?? []).join(joiner);
/** RFC 2045 6.8: base64 in lines of at most 76 characters. */
const base64Lines = (content: Buffer) => wrap(content.toString('base64'), 76, '\r\n');

/** Quoted-printable (RFC 2045 6.7) of UTF-8 text with CRLF line ends: lines of at most 76 characters with soft breaks. */
export function quotedPrintable(text: string): string {
  const input = Buffer.from(text, 'utf8');
  const out = Buffer.alloc(input.length * 3 + Math.ceil(input.length / 25) * 3 + 16);
  const HEX = '0123456789ABCDEF';
  let o = 0;
  let column = 0;
  const put = (byte: number) => {
    out[o++] = byte;
  };
  for (let i = 0; i < input.length; i++) {
    const b = input[i];
    if (b === 13 && input[i + 1] === 10) {
      put(13);
      put(10);
      i++;
      column = 0;
      continue;
    }
    const atLineEnd = i + 1 >= input.length || (input[i + 1] === 13 && input[i + 2] === 10);
    const literal = (b >= 33 && b <= 126 && b !== 61) || ((b === 32 || b === 9) && !atLineEnd);
    const width = literal ? 1 : 3;
    if (column + width > 75) {
      put(61);
      put(13);
      put(10);
      column = 0;
    }
    if (literal) put(b);
    else {
      put(61);
      put(HEX.charCodeAt(b >> 4));
      put(HEX.charCodeAt(b & 15));
    }
    column += width;
  }
  return out.subarray(0, o).toString('latin1');
}

/** Outlook's Thread-Index ([MS-OXOMSG] 2.2.1.3): 22 bytes for a new conversation, 5 more per reply. */
function threadIndexFor(parent: string | null, rand: () => number): string {
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => Math.floor(rand() * 256)));
  const head = parent ? Buffer.from(parent, 'base64') : Buffer.concat([Buffer.from([1]), bytes(21)]);
  return Buffer.concat([head, ...(parent ? [bytes(5)] : [])]).toString('base64');
}

/** RFC 5322 3.3 date in the given zone offset (minutes). */
function rfc5322Date(date: Date, offsetMinutes: number): string {
  const local = new Date(date.getTime() + offsetMinutes * 60_000);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const pad = (n: number) => String(n).padStart(2, '0');
  const sign = offsetMinutes >= 0 ? '+' : '-';
  const abs = Math.abs(offsetMinutes);
  return `${days[local.getUTCDay()]}, ${pad(local.getUTCDate())} ${months[local.getUTCMonth()]} ${local.getUTCFullYear()} ${pad(local.getUTCHours())}:${pad(local.getUTCMinutes())}:${pad(local.getUTCSeconds())} ${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`;
}

function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}
