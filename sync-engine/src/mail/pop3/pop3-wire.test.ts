import { describe, expect, it } from 'vitest';
import { DotUnstuffer, joinUnstuffed, messageIdOf, MultilineReader, parseHeaders, PipelinedResponses, receivedDate, unstuffDots, type Pop3Response } from './pop3-wire.js';

const b = (text: string) => Buffer.from(text, 'latin1');

/** Feeds the chunks and returns the body bytes and whether the terminator was found. */
function read(...chunks: string[]): { body: string; done: boolean } {
  const reader = new MultilineReader();
  const parts: Buffer[] = [];
  let done = false;
  for (const chunk of chunks) {
    const result = reader.push(b(chunk));
    parts.push(result.data);
    done = result.done;
  }
  return { body: Buffer.concat(parts).toString('latin1'), done };
}

describe('MultilineReader', () => {
  it('ends at CRLF.CRLF and keeps the last line CRLF', () => {
    expect(read('Subject: x\r\n\r\nbody\r\n.\r\n')).toEqual({ body: 'Subject: x\r\n\r\nbody\r\n', done: true });
  });

  it('reads an empty body', () => {
    expect(read('.\r\n')).toEqual({ body: '', done: true });
  });

  it('finds a terminator split across chunks at every position', () => {
    const whole = 'line one\r\nline two\r\n.\r\n';
    for (let cut = 1; cut < whole.length; cut++) {
      expect(read(whole.slice(0, cut), whole.slice(cut))).toEqual({ body: 'line one\r\nline two\r\n', done: true });
    }
  });

  it('finds it when it comes one byte at a time', () => {
    expect(read(...'a\r\n.\r\n'.split(''))).toEqual({ body: 'a\r\n', done: true });
  });

  it('does not end on a chunk that is just "." or ".\\r\\n" inside the body', () => {
    expect(read('first\r\n', '.', '.\r\n', 'more\r\n.\r\n')).toEqual({ body: 'first\r\n..\r\nmore\r\n', done: true });
    expect(read('x\r\n..\r\n', '.\r\n')).toEqual({ body: 'x\r\n..\r\n', done: true });
  });

  it('is not done while the terminator is incomplete, and holds back only what could start it', () => {
    expect(read('body\r\n.')).toEqual({ body: 'body', done: false });
    expect(read('body\r\n.x')).toEqual({ body: 'body\r\n.x', done: false });
    expect(read('.')).toEqual({ body: '', done: false });
  });

  it('passes a chunk without a terminator on as it is', () => {
    const chunk = b('a line\r\nanother line');
    expect(new MultilineReader().push(chunk).data).toBe(chunk);
  });

  it('finds the same body however the response is cut into chunks', () => {
    // Bodies as they cross the wire: stuffed, each line ended by CRLF.
    const bodies = ['', '..\r\n', 'a\r\n', '\r\n', '\r\n\r\n', 'x\r\n..\r\n.y\r\n', 'a\r\n.\rb\r\n', '\r\n.\rx\r\n', '\r\n..\r\n'];
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const body of bodies) {
      const whole = `${body}.\r\n`;
      for (let trial = 0; trial < 200; trial++) {
        const chunks: string[] = [];
        for (let at = 0; at < whole.length; ) {
          const size = 1 + Math.floor(random() * 4);
          chunks.push(whole.slice(at, at + size));
          at += size;
        }
        expect(read(...chunks), JSON.stringify(chunks)).toEqual({ body, done: true });
      }
    }
  });
});

describe('PipelinedResponses', () => {
  /** Feeds the chunks; returns each response as text (body unstuffed) and whether all expected ones came. */
  function responses(multiline: boolean[], chunks: string[]): { all: string[]; done: boolean } {
    const reader = new PipelinedResponses(multiline);
    const all: string[] = [];
    const show = (r: Pop3Response) => `${r.ok ? '+' : '-'}${r.text}${r.body ? `|${r.body.toString('latin1')}` : ''}`;
    for (const chunk of chunks) all.push(...reader.push(b(chunk)).map(show));
    return { all, done: reader.done };
  }

  // Three RETR answers back to back, as a server that pipelines sends them (one refused, one with stuffed dots, one empty).
  const wire = '+OK 12 octets\r\nSubject: a\r\n\r\n..x\r\n.\r\n-ERR no such message\r\n+OK 0 octets\r\n.\r\n+OK 3\r\nb\r\n.\r\n';
  const expected = ['+12 octets|Subject: a\r\n\r\n.x\r\n', '-no such message', '+0 octets|', '+3|b\r\n'];

  it('reads responses back to back in one chunk, each body unstuffed', () => {
    expect(responses([true, true, true, true], [wire])).toEqual({ all: expected, done: true });
  });

  it('reads the same however the bytes are cut into chunks', () => {
    for (let cut = 1; cut < wire.length; cut++) {
      for (const cut2 of [cut + 1, cut + 7, wire.length - 1]) {
        if (cut2 <= cut || cut2 >= wire.length) continue;
        const chunks = [wire.slice(0, cut), wire.slice(cut, cut2), wire.slice(cut2)];
        expect(responses([true, true, true, true], chunks), JSON.stringify(chunks)).toEqual({ all: expected, done: true });
      }
    }
  });

  it('reads single-line answers without a body', () => {
    expect(responses([false, true], ['+OK done\r\n+OK\r\nPIPELINING\r\nUIDL\r\n.\r\n'])).toEqual({ all: ['+done', '+|PIPELINING\r\nUIDL\r\n'], done: true });
  });

  it('is not done while a response is incomplete', () => {
    expect(responses([true], ['+OK\r\nbody\r\n.'])).toEqual({ all: [], done: false });
  });

  it('refuses bytes no command asked for, and status lines that are not POP3', () => {
    expect(() => responses([false], ['+OK\r\n+OK extra\r\n'])).toThrow(/more than/);
    expect(() => responses([true], ['* 1 EXISTS\r\n'])).toThrow(/neither/);
    expect(() => responses([true], ['+OK' + 'x'.repeat(9000)])).toThrow(/without end/);
  });
});

describe('unstuffDots', () => {
  it('removes the added dot at the start of lines (RFC 1939 3)', () => {
    expect(unstuffDots(b('..\r\n..hidden\r\na.b\r\n...\r\n')).toString('latin1')).toBe('.\r\n.hidden\r\na.b\r\n..\r\n');
  });

  it('handles a dot on the first line', () => {
    expect(unstuffDots(b('..first\r\nsecond\r\n')).toString('latin1')).toBe('.first\r\nsecond\r\n');
  });

  it('agrees with a byte-by-byte reading of RFC 1939 3', () => {
    const reference = (body: Buffer) => {
      const out: number[] = [];
      let lineStart = true;
      for (const byte of body) {
        if (lineStart && byte === 0x2e) {
          lineStart = false;
          continue;
        }
        out.push(byte);
        lineStart = byte === 0x0a;
      }
      return Buffer.from(out);
    };
    let seed = 11;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const alphabet = ['.', '.', '\n', '\r', 'a', '\u00e9'];
    for (let trial = 0; trial < 500; trial++) {
      const body = b(Array.from({ length: Math.floor(random() * 24) }, () => alphabet[Math.floor(random() * alphabet.length)]).join(''));
      expect(unstuffDots(body).toString('latin1'), JSON.stringify(body.toString('latin1'))).toBe(reference(body).toString('latin1'));
      const cut = Math.floor(random() * (body.length + 1));
      const cut2 = cut + Math.floor(random() * (body.length - cut + 1));
      expect(joinUnstuffed([body.subarray(0, cut), body.subarray(cut, cut2), body.subarray(cut2)]).toString('latin1')).toBe(reference(body).toString('latin1'));
    }
  });

  it('leaves bytes without stuffing untouched, 8-bit included', () => {
    const raw = Buffer.from([0x48, 0xe9, 0x0d, 0x0a, 0xfc, 0x2e, 0x0d, 0x0a]);
    expect(unstuffDots(raw).equals(raw)).toBe(true);
  });
});

describe('headers', () => {
  const raw = b(
    [
      'Return-Path: <carol@customer.example.test>',
      'Received: from mx.customer.example.test (mx.customer.example.test [192.0.2.7])',
      '\tby mail.example.test with ESMTPS id 4Xk2; Tue, 03 Nov 2026 09:16:02 +0100 (CET)',
      'Received: from laptop by mx.customer.example.test; Tue, 03 Nov 2026 09:15:30 +0100',
      'Date: Tue, 03 Nov 2026 09:15:00 +0100',
      'Message-ID: <CAF=abc.123@mail.gmail.com>',
      'Subject: folded',
      ' subject',
      '',
      'Date: not a header any more',
    ].join('\r\n'),
  );

  it('unfolds header lines and stops at the body', () => {
    const headers = parseHeaders(raw);
    expect(headers.find((header) => header.name === 'subject')?.value).toBe('folded subject');
    expect(headers.filter((header) => header.name === 'date')).toHaveLength(1);
  });

  it('takes the arrival time from the topmost Received header', () => {
    expect(receivedDate(parseHeaders(raw))?.toISOString()).toBe('2026-11-03T08:16:02.000Z');
  });

  it('falls back to Date, and to null', () => {
    expect(receivedDate(parseHeaders(b('Date: Tue, 03 Nov 2026 09:15:00 +0100\r\n\r\n')))?.toISOString()).toBe('2026-11-03T08:15:00.000Z');
    expect(receivedDate(parseHeaders(b('Received: by x; garbage\r\nDate: nonsense\r\n\r\n')))).toBeNull();
    expect(receivedDate(parseHeaders(b('Subject: none\r\n\r\n')))).toBeNull();
  });

  it('reads the Message-ID without brackets', () => {
    expect(messageIdOf(parseHeaders(raw))).toBe('CAF=abc.123@mail.gmail.com');
    expect(messageIdOf(parseHeaders(b('Message-Id: bare@id\r\n\r\n')))).toBe('bare@id');
    expect(messageIdOf(parseHeaders(b('Subject: none\r\n\r\n')))).toBeNull();
  });
});

describe('DotUnstuffer', () => {
  it('unstuffs as unstuffDots does, whichever way the body is cut into chunks', async () => {
    const body = '..\r\n..hidden\r\na.b\r\n...\r\n.x\r\n';
    for (let cut = 0; cut <= body.length; cut++) {
      const unstuffer = new DotUnstuffer();
      const out: Buffer[] = [];
      unstuffer.on('data', (chunk: Buffer) => out.push(chunk));
      unstuffer.write(b(body.slice(0, cut)));
      unstuffer.end(b(body.slice(cut)));
      await new Promise((resolve) => unstuffer.once('end', resolve));
      expect(Buffer.concat(out).toString('latin1'), `cut at ${cut}`).toBe(unstuffDots(b(body)).toString('latin1'));
    }
  });
});
