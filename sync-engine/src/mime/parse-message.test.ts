import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { FolderRole } from '../mail/mail-source.js';
import { SpooledMessage } from '../mail/spooled-message.js';
import { BODY_CUT_SLACK_BYTES, cutBody } from '../sync/body-cut.js';
import { InvalidMessageError, parseRawMessage, type ParsedMessage, type ParseOptions } from './parse-message.js';

const fixture = (name: string): Buffer => readFileSync(join(__dirname, 'fixtures', name));

const parse = (source: Buffer | string, options: Partial<ParseOptions> & { role?: FolderRole; receivedAt?: Date | null } = {}): Promise<ParsedMessage> =>
  parseRawMessage(
    { source: Buffer.isBuffer(source) ? source : Buffer.from(source.replace(/\r?\n/g, '\r\n')), folder: 'INBOX', role: options.role ?? 'INBOX', receivedAt: options.receivedAt ?? null, sourceRef: 'imap:INBOX:1:1' },
    { maxAttachmentBytes: 10 * 1024 * 1024, ...options },
  );

describe('parseRawMessage: charsets and encoded words', () => {
  it.each([
    // fixture, subject, from name, a line of the body
    ['iso-8859-1.eml', 'Angebot für Köln - Größe 3×4', 'Jürgen Weiß', 'anbei das Angebot für Köln. Größe: 3×4 m, Preis 1.200 EUR zzgl. MwSt.'],
    // Outlook's "Latin-1" is Windows-1252: curly quotes, en dash and euro live in 0x80–0x9F
    ['windows-1252.eml', '“Final” price – € 1,250', 'Zoë Clarke', '“Thanks” for the call – the price is €1,250 per seat. That’s final.'],
    ['iso-2022-jp.eml', 'お見積りの件', '佐藤 花子', '見積書を添付いたします。'],
    ['gb2312.eml', '报价单', '李明', '您好！附件是我们的报价单，请查收。'],
    // 镕 is outside GB2312; mailers label GBK text gb2312 and decoders read it as GBK
    ['gbk.eml', '讲话稿', '张伟', '朱镕基同志的讲话稿已收到。'],
    ['koi8-r.eml', 'Договор на подпись', 'Ольга Иванова', 'Высылаю договор на подпись.'],
    // RFC 6532: raw UTF-8 in the header fields
    ['utf-8-8bit.eml', 'Proposta revisada – versão 2 🚀', 'João Silva', 'Segue a proposta revisada. 🚀'],
  ])('%s', async (name, subject, fromName, bodyLine) => {
    const { item } = await parse(fixture(name));
    expect(item.subject).toBe(subject);
    expect(item.from?.name).toBe(fromName);
    expect(item.textBody?.split('\n')).toContain(bodyLine);
    expect(item.textBody).not.toContain('\r');
  });

  it('decodes the HTML body in its own charset too', async () => {
    const { item } = await parse(fixture('windows-1252.eml'));
    expect(item.htmlBody).toContain('<p>“Thanks” for the call – the price is €1,250 per seat. That’s final.</p>');
  });

  it('decodes encoded words in recipient names and joins adjacent encoded words (RFC 2047 6.2)', async () => {
    const { item } = await parse(fixture('nested-multipart.eml'));
    expect(item.subject).toBe('Re: Lieferung – änderungen für Juni');
    expect(item.to).toEqual([
      { address: 'purchasing@contoso.com', name: null },
      { address: 'omer@contoso.com', name: 'Ömer Yıldız' },
    ]);
  });

  it('falls back to windows-1252 for a charset nobody knows, rather than failing', async () => {
    const source = Buffer.from('From: a@example.com\r\nSubject: =?x-unknown?Q?caf=E9?=\r\nContent-Type: text/plain; charset=x-unknown\r\n\r\ncaf\xe9\r\n', 'latin1');
    const { item } = await parse(source);
    expect([item.subject, item.textBody]).toEqual(['café', 'café\n']);
  });
});

describe('parseRawMessage: the fields the hub tracks', () => {
  it('reads ids, addresses, dates and the headers tracking rules need', async () => {
    const { item } = await parse(fixture('nested-multipart.eml'));
    expect(item).toMatchObject({
      messageId: '5e8f1c2a-7b3d-4e9f-a1b2-c3d4e5f6a7b8@northwind.example',
      folder: 'INBOX',
      direction: null,
      from: { address: 'nadia.haddad@northwind.example', name: 'Nadia Haddad' },
      // RFC 5322 3.4: a group stands for its members
      cc: [
        { address: 'lea@northwind.example', name: null },
        { address: 'max@northwind.example', name: null },
      ],
      bcc: [],
      date: 'Wed, 10 Jun 2026 12:00:00 +0200',
      inReplyTo: 'a1b2c3d4@contoso.com',
      references: ['root-0001@contoso.com', 'a1b2c3d4@contoso.com'],
      attachments: [],
    });
    expect(item.headers).toEqual([
      { name: 'List-Unsubscribe', value: '<mailto:unsubscribe@northwind.example>' },
      { name: 'Content-Type', value: 'multipart/mixed; boundary="mixed-7f3a"' },
    ]);
  });

  it("takes Outlook's Thread-Index and Thread-Topic", async () => {
    const { item } = await parse(fixture('outlook-invite.eml'));
    expect(item.threadIndex).toBe('AdqzX1Y2b3VXaW5kb3dzLVRocmVhZA==');
    expect(item.headers).toContainEqual({ name: 'Thread-Topic', value: 'Q3 pricing review' });
  });

  it.each([
    ['SENT', 'OUTGOING'],
    ['INBOX', null],
    ['TRACKED', null],
  ] as const)('a message read from a %s folder has direction %s', async (role, direction) => {
    expect((await parse(fixture('utf-8-8bit.eml'), { role })).item.direction).toBe(direction);
  });

  it("uses the server's INTERNALDATE, else the topmost Received header (POP3 has no INTERNALDATE)", async () => {
    const source = fixture('iso-8859-1.eml');
    expect((await parse(source, { receivedAt: new Date('2026-06-02T07:15:00Z') })).item.receivedAt).toBe('2026-06-02T07:15:00.000Z');
    expect((await parse(source)).item.receivedAt).toBe('2026-06-02T07:14:03.000Z');
    expect((await parse(fixture('koi8-r.eml'))).item.receivedAt).toBeNull();
  });

  it('passes a bounded allow-list of headers: automation markers in, everything else out', async () => {
    const lines = [
      'From: Out Of Office <ooo@example.com>',
      'Auto-Submitted: auto-replied',
      'Precedence: auto_reply',
      'X-Autoreply: yes',
      'X-Autorespond: yes',
      'X-Autogenerated: Reply',
      'X-Auto-Response-Suppress: All',
      'List-Id: <sales.lists.example.com>',
      'Feedback-ID: 1234:campaign:esp',
      'DKIM-Signature: v=1; a=rsa-sha256; d=example.com; b=abc',
      'X-Secret-Token: do-not-forward',
      ...Array.from({ length: 8 }, (_, i) => `Precedence: bulk-${i}`),
      `X-Mailer: ${'x'.repeat(5000)}`,
    ];
    const { item } = await parse(`${lines.join('\n')}\n\nbody\n`);
    const names = item.headers.map((h) => h.name);
    expect(new Set(names)).toEqual(
      new Set(['Auto-Submitted', 'Precedence', 'X-Autoreply', 'X-Autorespond', 'X-Autogenerated', 'X-Auto-Response-Suppress', 'List-Id', 'Feedback-ID', 'X-Mailer']),
    );
    expect(names.filter((n) => n === 'Precedence')).toHaveLength(5);
    expect(item.headers.find((h) => h.name === 'X-Mailer')?.value).toHaveLength(1000);
  });
});

describe('parseRawMessage: structure and attachments', () => {
  it('walks mixed > alternative > related: both bodies, the cid image inline, RFC 2231 names decoded', async () => {
    const { item, attachments } = await parse(fixture('nested-multipart.eml'));
    expect(item.textBody).toBe('Hallo,\n\ndie Änderungen für Juni stehen im Anhang.\n\nNadia\n\n');
    expect(item.htmlBody).toContain('<img src="cid:logo.png@01DAE1F2.3A4B5C60" alt="Northwind">');
    expect(attachments.map(({ content, ...meta }) => ({ ...meta, bytes: content?.length }))).toEqual([
      { fileName: 'logo.png', contentType: 'image/png', size: 70, contentId: 'logo.png@01DAE1F2.3A4B5C60', inline: true, bytes: 70 },
      // filename*=UTF-8''Lieferplan%20%E2%80%93%20%C3%84nderungen.pdf
      { fileName: 'Lieferplan – Änderungen.pdf', contentType: 'application/pdf', size: 125, contentId: null, inline: false, bytes: 125 },
      // filename*0*= / filename*1*= continuations (RFC 2231 3)
      { fileName: 'Preisliste Großkunden 2026.xlsx', contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', size: 1024, contentId: null, inline: false, bytes: 1024 },
    ]);
    expect(attachments[1].content?.subarray(0, 8).toString()).toBe('%PDF-1.4');
    expect([...attachments[2].content!]).toEqual([...Buffer.from(Array.from({ length: 1024 }, (_, i) => i % 256))]);
  });

  it('keeps the name and size of an attachment above the limit, not its bytes', async () => {
    const { attachments } = await parse(fixture('nested-multipart.eml'), { maxAttachmentBytes: 1000 });
    expect(attachments.map((a) => [a.fileName, a.size, a.content === null])).toEqual([
      ['logo.png', 70, false],
      ['Lieferplan – Änderungen.pdf', 125, false],
      ['Preisliste Großkunden 2026.xlsx', 1024, true],
    ]);
  });

  it('strips any directory a client put in a file name and names an unnamed part', async () => {
    const { attachments } = await parse(
      [
        'From: a@example.com',
        'Content-Type: multipart/mixed; boundary="b"',
        '',
        '--b',
        'Content-Type: text/plain',
        '',
        'see attached',
        '--b',
        // a quoted-string escapes each backslash (RFC 5322 3.2.4)
        'Content-Type: application/pdf; name="C:\\\\Users\\\\pat\\\\Documents\\\\offer.pdf"',
        'Content-Disposition: attachment',
        '',
        '%PDF',
        '--b',
        'Content-Type: application/pdf',
        'Content-Disposition: attachment',
        '',
        '%PDF',
        '--b--',
        '',
      ].join('\n'),
    );
    expect(attachments.map((a) => a.fileName)).toEqual(['offer.pdf', 'attachment.pdf']);
  });

  it('keeps an attached message as a .eml named after its subject, and hands over its raw bytes', async () => {
    const { item, attachments, forwarded } = await parse(fixture('exchange-forward.eml'));
    expect(attachments.map((a) => [a.fileName, a.contentType])).toEqual([['Renewal – signed contract.eml', 'message/rfc822']]);
    expect(forwarded).toHaveLength(1);
    expect(forwarded[0].equals(fixture('forwarded-inner.eml'))).toBe(true);
    // the attached message is not merged into the outer body
    expect(item.textBody ?? '').not.toContain('signed contract is attached');
  });

  it('salvages a message cut off in the middle of a part', async () => {
    const { item, attachments } = await parse(
      'From: a@example.com\nContent-Type: multipart/mixed; boundary="x"\n\n--x\nContent-Type: text/plain\n\nhello\n--x\nContent-Type: application/pdf; name=a.pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0',
    );
    expect(item.textBody).toBe('hello\n');
    expect(attachments.map((a) => [a.fileName, a.content?.toString()])).toEqual([['a.pdf', '%PDF-']]);
  });

  it('reads bare LF line ends', async () => {
    const { item } = await parse(Buffer.from('From: a@example.com\nTo: b@example.com\nSubject: lf\n\nbody\n'));
    expect(item).toMatchObject({ subject: 'lf', from: { address: 'a@example.com' }, textBody: 'body\n' });
  });
});

describe('parseRawMessage: calendar parts', () => {
  it('reads an Outlook invitation (text/calendar alternative) and does not list it as an attachment', async () => {
    const { item, attachments } = await parse(fixture('outlook-invite.eml'));
    expect(item.calendar).toMatchObject({ method: 'REQUEST', sequence: 0, summary: 'Q3 pricing review', start: '2026-06-15T08:00:00.000Z', end: '2026-06-15T09:30:00.000Z' });
    expect(item.textBody).toContain("Let's go through the Q3 price list");
    expect(attachments).toEqual([]);
  });

  it("reads a Google invitation once, keeping the invite.ics the sender attached", async () => {
    const { item, attachments } = await parse(fixture('google-invite.eml'));
    expect(item.calendar).toMatchObject({ method: 'REQUEST', uid: '5k3j2h1g0f9e8d7c6b5a4n3m2l@google.com', start: '2026-03-20T18:00:00.000Z' });
    expect(item.subject).toBe('Invitation: Demo call: Contoso × Northwind @ Fri Mar 20, 2026 2pm - 3pm (EDT) (sales@contoso.com)');
    expect(attachments.map((a) => [a.fileName, a.contentType])).toEqual([['invite.ics', 'application/ics']]);
  });

  it('reads an Apple invitation whose top-level type is text/calendar', async () => {
    const { item } = await parse(fixture('apple-invite.eml'));
    expect(item.calendar).toMatchObject({ method: 'REQUEST', allDay: true, start: '2026-07-02T00:00:00.000Z', organizer: { address: 'elodie.martin@icloud.com', name: 'Élodie Martin' } });
    expect(item.textBody).toBeNull();
  });

  it('tracks the message and warns when its calendar part is unreadable', async () => {
    const { item, warnings } = await parse('From: a@example.com\nSubject: invite\nContent-Type: text/calendar; method=REQUEST\n\nBEGIN:VCALENDAR\nBEGIN:VEVENT\nUID:x\n');
    expect(item.subject).toBe('invite');
    expect(item.calendar).toBeNull();
    expect(warnings).toEqual([expect.stringContaining('calendar part ignored')]);
  });
});

describe('parseRawMessage: salvage, or InvalidMessageError when nothing is usable', () => {
  it('salvages a message without Message-ID and with a nonsense Date: the hub repairs those', async () => {
    const { item } = await parse('From: a@example.com\nDate: yesterday-ish\nSubject: hi\n\nbody\n');
    expect(item).toMatchObject({ messageId: null, date: 'yesterday-ish', subject: 'hi' });
  });

  it('reads ids without brackets and drops comments (RFC 5322 3.6.4)', async () => {
    const { item } = await parse('From: a@example.com\nMessage-ID: no-brackets@example.com (comment)\nIn-Reply-To: <a@x> <b@y>\nReferences: a@x, b@y\n\nbody\n');
    expect(item).toMatchObject({ messageId: 'no-brackets@example.com', inReplyTo: 'a@x', references: ['a@x', 'b@y'] });
  });

  it('keeps the first and the latest 99 ids of a runaway References header', async () => {
    const ids = Array.from({ length: 150 }, (_, i) => `<id-${i}@example.com>`);
    const { item } = await parse(`From: a@example.com\nReferences: ${ids.join('\n ')}\n\nbody\n`);
    expect(item.references).toHaveLength(100);
    expect([item.references[0], item.references[1], item.references[99]]).toEqual(['id-0@example.com', 'id-51@example.com', 'id-149@example.com']);
  });

  it('drops addresses that are empty, keeping the rest', async () => {
    const { item } = await parse('From: a@example.com\nTo: undisclosed-recipients:;\nCc: ok@example.com\n\nbody\n');
    expect([item.to, item.cc]).toEqual([[], [{ address: 'ok@example.com', name: null }]]);
  });

  it.each([
    ['empty', Buffer.alloc(0), 'the message is empty'],
    ['text without a header', Buffer.from('garbage without headers'), 'no RFC 5322 header fields'],
    ['binary noise', Buffer.from([0, 1, 2, 255, 254, 0, 13, 10, 13, 10, 9, 9]), 'no RFC 5322 header fields'],
    ['blank lines', Buffer.from('\r\n\r\n\r\n'), 'no RFC 5322 header fields'],
    [
      'multiparts nested 300 deep',
      Buffer.from('From: a@example.com\r\n' + Array.from({ length: 300 }, (_, i) => `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`).join('') + 'Content-Type: text/plain\r\n\r\nx\r\n'),
      'nesting depth',
    ],
    ['3 MiB of header', Buffer.from(`From: a@example.com\r\nX-Big: ${'a'.repeat(3 * 1024 * 1024)}\r\n\r\nbody`), 'header size'],
  ])('throws InvalidMessageError for %s', async (_case, source, reason) => {
    const error = await parse(source).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidMessageError);
    expect(error).toMatchObject({ code: 'INVALID_MESSAGE', reason: expect.stringContaining(reason) });
  });
});

describe('parseRawMessage: damaged copies of real messages', () => {
  it('either reads each one or reports it invalid: no other error, nothing that hangs', async () => {
    // A fixed seed, so a failure reproduces: bytes overwritten, cut short, spliced with themselves.
    let seed = 20260611;
    const random = (below: number) => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) % below);
    const fixtures = ['nested-multipart.eml', 'outlook-invite.eml', 'google-invite.eml', 'gmail-forward.eml', 'iso-2022-jp.eml', 'windows-1252.eml'].map(fixture);
    const outcomes = { read: 0, invalid: 0 };
    for (let n = 0; n < 400; n++) {
      const source = Buffer.from(fixtures[n % fixtures.length]);
      let damaged: Buffer = source;
      if (n % 3 === 0) for (let k = 0; k < 16; k++) source[random(source.length)] = random(256);
      else if (n % 3 === 1) damaged = source.subarray(0, random(source.length));
      else {
        const at = random(source.length);
        damaged = Buffer.concat([source.subarray(0, at), source.subarray(random(source.length)), source.subarray(at)]);
      }
      try {
        await parse(damaged);
        outcomes.read++;
      } catch (error) {
        expect(error).toBeInstanceOf(InvalidMessageError);
        outcomes.invalid++;
      }
    }
    expect(outcomes.read + outcomes.invalid).toBe(400);
  });
});

describe('parseRawMessage: large messages', () => {
  /** A 9 MB attachment and a 2 MB HTML body, base64 as mailers send them (~15 MB on the wire). */
  function largeMessage(): { source: Buffer; attachment: Buffer; html: string } {
    const attachment = randomBytes(9 * 1024 * 1024);
    const paragraph = '<p>Lorem ipsum dolor sit amet, <b>consectetur</b> adipiscing elit — Zürich, €, ñ, 東京.</p>\n';
    const html = paragraph.repeat(Math.ceil((2 * 1024 * 1024) / Buffer.byteLength(paragraph)));
    const wrap = (data: Buffer) => data.toString('base64').replace(/.{76}/g, '$&\r\n');
    const source = Buffer.from(
      [
        'From: Big Sender <big@example.com>',
        'To: crm@contoso.com',
        'Subject: Large drawing set',
        'Message-ID: <large-1@example.com>',
        'Date: Mon, 1 Jun 2026 10:00:00 +0000',
        'MIME-Version: 1.0',
        'Content-Type: multipart/mixed; boundary="B1"',
        '',
        '--B1',
        'Content-Type: text/html; charset=utf-8',
        'Content-Transfer-Encoding: base64',
        '',
        wrap(Buffer.from(html)),
        '--B1',
        'Content-Type: application/octet-stream; name="drawings.bin"',
        'Content-Disposition: attachment; filename="drawings.bin"',
        'Content-Transfer-Encoding: base64',
        '',
        wrap(attachment),
        '--B1--',
        '',
      ].join('\r\n'),
    );
    return { source, attachment, html };
  }

  /** Counts turns of the event loop (macrotasks) until stopped: work that never yields lets none happen. */
  function loopTurns(): { readonly count: () => number; stop(): void } {
    let turns = 0;
    let handle = setImmediate(function turn() {
      turns++;
      handle = setImmediate(turn);
    });
    return { count: () => turns, stop: () => clearImmediate(handle) };
  }

  // How long a stall lasts depends on the machine and its load: these tests check the mechanism that prevents
  // stalls (the loop keeps turning while a parse is in progress), not a time. Times live in `npm run bench`.
  it('parses a 15 MB message off the event loop: the loop keeps turning while it is parsed', async () => {
    const { source, attachment, html } = largeMessage();
    const turns = loopTurns();
    let parsed: ParsedMessage;
    try {
      parsed = await parse(source);
    } finally {
      turns.stop();
    }
    // In-thread, postal-mime settles through microtasks only: the loop would not turn once until it is done.
    expect(turns.count()).toBeGreaterThan(5);
    expect(parsed.item.htmlBody).toBe(html);
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0].content?.equals(attachment)).toBe(true);
  });

  it('yields between messages parsed on the calling thread, so a batch of them never stalls the loop either', async () => {
    // Just under the worker threshold: each is parsed in-thread.
    const body = Buffer.from('Lorem ipsum dolor sit amet, consectetur adipiscing elit. '.repeat(12_000)).toString('base64').replace(/.{76}/g, '$&\r\n');
    const source = Buffer.from(`From: a@example.com\r\nSubject: near the limit\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n${body}`);
    expect(source.length).toBeLessThan(1024 * 1024);
    const turns = loopTurns();
    try {
      for (let i = 0; i < 20; i++) {
        const before = turns.count();
        await parse(source);
        expect(turns.count(), `the loop turned while message ${i + 1} was parsed`).toBeGreaterThan(before);
      }
    } finally {
      turns.stop();
    }
  });

  it('parses asked for at once on the calling thread run one per turn of the loop, not back to back', async () => {
    const body = Buffer.from('Lorem ipsum dolor sit amet. '.repeat(20_000)).toString('base64').replace(/.{76}/g, '$&\r\n');
    const source = (n: number) => Buffer.from(`From: a@example.com\r\nSubject: at once ${n}\r\nContent-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n${body}`);
    const turns = loopTurns();
    const finishedAt: number[] = [];
    try {
      const parsed = await Promise.all([1, 2, 3, 4].map((n) => parse(source(n)).then((result) => (finishedAt.push(turns.count()), result))));
      expect(parsed.map((p) => p.item.subject)).toEqual(['at once 1', 'at once 2', 'at once 3', 'at once 4']);
    } finally {
      turns.stop();
    }
    // The loop turned between any two of them.
    for (let i = 1; i < finishedAt.length; i++) expect(finishedAt[i], `turns before parse ${i + 1} ended`).toBeGreaterThan(finishedAt[i - 1]);
  });

  it('gives the same result streamed as parsed whole', async () => {
    for (const name of readdirSync(join(__dirname, 'fixtures')).filter((n) => n.endsWith('.eml'))) {
      const whole = await parse(fixture(name), { streamThresholdBytes: Number.MAX_SAFE_INTEGER });
      const streamed = await parse(fixture(name), { streamThresholdBytes: 0 });
      expect(streamed, name).toEqual(whole);
    }
  });

  it('streams message after large message, each attachment whole', async () => {
    for (let i = 0; i < 8; i++) {
      const attachment = Buffer.alloc(6 * 1024 * 1024, i + 1);
      const source = Buffer.from(
        `From: a@example.com\r\nSubject: large ${i}\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nsee attached\r\n` +
          `--b\r\nContent-Type: application/octet-stream\r\nContent-Disposition: attachment; filename="part${i}.bin"\r\nContent-Transfer-Encoding: base64\r\n\r\n${attachment.toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n--b--\r\n`,
      );
      const parsed = await parse(source, { streamThresholdBytes: 0 });
      expect(parsed.item.subject).toBe(`large ${i}`);
      expect(parsed.item.textBody).toBe('see attached\n');
      expect(parsed.attachments[0]).toMatchObject({ fileName: `part${i}.bin`, size: attachment.length });
      expect(parsed.attachments[0].content?.equals(attachment), `attachment ${i}`).toBe(true);
    }
  });

  it('uploads the attachments of a streamed message as they are read, and keeps the sha256 the upload answered', async () => {
    const { source, attachment, html } = largeMessage();
    const uploads: Buffer[] = [];
    const upload = async (body: Readable): Promise<string> => {
      const chunks: Buffer[] = [];
      for await (const chunk of body) chunks.push(chunk as Buffer);
      uploads.push(Buffer.concat(chunks));
      return createHash('sha256').update(uploads.at(-1)!).digest('hex');
    };
    const parsed = await parse(source, { upload });
    expect(parsed.item.htmlBody).toBe(html);
    expect(uploads).toHaveLength(1);
    expect(uploads[0].equals(attachment)).toBe(true);
    expect(parsed.attachments).toEqual([
      { fileName: 'drawings.bin', contentType: 'application/octet-stream', size: attachment.length, contentId: null, inline: false, content: null, sha256: createHash('sha256').update(attachment).digest('hex') },
    ]);
  });

  it('records an attachment over the limit with its size and no content, and one the hub refused as skipped', async () => {
    const { source, attachment } = largeMessage();
    const drained = async (body: Readable): Promise<string | null> => {
      for await (const _ of body);
      return null; // the hub's 413
    };
    const refused = await parse(source, { upload: drained });
    expect(refused.attachments[0]).toMatchObject({ size: attachment.length, content: null, sha256: null });
    const reading = async (body: Readable): Promise<string> => {
      for await (const _ of body); // cut short by the engine: this upload fails, as the hub's would
      return 'never';
    };
    const cut = await parse(source, { maxAttachmentBytes: 1024 * 1024, upload: reading });
    expect(cut.attachments[0]).toMatchObject({ size: attachment.length, content: null, sha256: null });
  });

  it('fails the message, not as invalid, when an upload fails', async () => {
    const { source } = largeMessage();
    const error = await parse(source, { upload: async () => Promise.reject(new Error('hub down')) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Error);
    expect(error).not.toBeInstanceOf(InvalidMessageError);
  });

  it('reads a huge text body of a streamed message only so far beyond what the hub keeps, cut as the whole body would be', async () => {
    const line = 'Zürich – € 1,250 per seat, “final” price.\r\n';
    const text = line.repeat(Math.ceil((6 * 1024 * 1024) / Buffer.byteLength(line)));
    for (const encoding of ['base64', 'quoted-printable', '8bit'] as const) {
      const body = encoding === 'base64' ? Buffer.from(text).toString('base64').replace(/.{76}/g, '$&\r\n') : encoding === '8bit' ? text : Buffer.from(text).toString('latin1').replace(/[\x80-\xff=]/g, (c) => `=${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
      const source = Buffer.concat([Buffer.from(`From: a@example.com\r\nSubject: long\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: ${encoding}\r\n\r\n`), Buffer.from(body, encoding === '8bit' ? 'utf8' : 'latin1')]);
      const maxBodyBytes = 64 * 1024;
      const streamed = await parse(source, { maxBodyBytes, streamThresholdBytes: 0 });
      const whole = await parse(source, { streamThresholdBytes: Number.MAX_SAFE_INTEGER });
      expect(Buffer.byteLength(streamed.item.textBody!), encoding).toBeGreaterThan(maxBodyBytes + BODY_CUT_SLACK_BYTES);
      expect(streamed.item.textBody!.length, encoding).toBeLessThan(whole.item.textBody!.length);
      expect(cutBody(streamed.item.textBody, maxBodyBytes), encoding).toBe(cutBody(whole.item.textBody, maxBodyBytes));
    }
  });

  it('reads a spooled message from its file, as a stream', async () => {
    const { source, attachment } = largeMessage();
    const spooled = await SpooledMessage.from(Readable.from([source.subarray(0, 1000), source.subarray(1000)]));
    try {
      expect(spooled.length).toBe(source.length);
      expect(spooled.head.toString('latin1')).toContain('Subject: Large drawing set');
      const parsed = await parseRawMessage({ source: spooled, folder: 'INBOX', role: 'INBOX', receivedAt: null, sourceRef: 'imap:INBOX:1:2' }, { maxAttachmentBytes: 10 * 1024 * 1024 });
      expect(parsed.item.subject).toBe('Large drawing set');
      expect(parsed.attachments[0].content?.equals(attachment)).toBe(true);
    } finally {
      await spooled.dispose();
    }
  });

  it('reports a streamed message whose structure cannot be parsed as invalid, and goes on with the next', async () => {
    const deep = Buffer.from('From: a@example.com\r\n' + Array.from({ length: 300 }, (_, i) => `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`).join(''));
    const [bad, good] = await Promise.allSettled([parse(deep, { streamThresholdBytes: 0 }), parse(fixture('koi8-r.eml'), { streamThresholdBytes: 0 })]);
    expect(bad).toMatchObject({ status: 'rejected', reason: expect.any(InvalidMessageError) });
    expect(good).toMatchObject({ status: 'fulfilled', value: { item: { subject: 'Договор на подпись' } } });
  });
});
