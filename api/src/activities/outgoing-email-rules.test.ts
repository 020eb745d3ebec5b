import { describe, expect, it } from 'vitest';
import { DEFAULT_TOKEN_FORMAT, tokenPattern } from '../tracking/rules/tracking-token';
import { PartyRole } from './activity-enums';
import { sanitizeEmailHtml } from './email-html';
import {
  checkRecipientCount,
  fileNameFault,
  htmlForSending,
  MAX_REFERENCES,
  MAX_SUBJECT_LENGTH,
  mediaTypeOf,
  newMessageId,
  previewOf,
  replyReferences,
  replySubject,
  subjectWithToken,
  textOfHtml,
  typedRecipients,
} from './outgoing-email-rules';

describe('recipients', () => {
  it('normalizes, keeps each address once (To before Cc before Bcc) and keeps the order', () => {
    expect(typedRecipients({ to: [' Ann@Example.com', 'bo@example.com'], cc: ['ann@example.com', 'cy@example.com'], bcc: ['BO@example.com', 'di@example.com'] })).toEqual([
      { role: PartyRole.TO, address: 'ann@example.com' },
      { role: PartyRole.TO, address: 'bo@example.com' },
      { role: PartyRole.CC, address: 'cy@example.com' },
      { role: PartyRole.BCC, address: 'di@example.com' },
    ]);
  });

  it.each([
    [{ to: ['a@example.com', 'nope'] }, 'input.to[1]'],
    [{ to: ['a@example.com'], cc: ['b@example.com', 'c@example.com', 'x@'] }, 'input.cc[2]'],
    [{ bcc: ['two@@example.com'] }, 'input.bcc[0]'],
  ])('names the bad item: %j → %s', (lists, field) => {
    expect(() => typedRecipients(lists)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ code: 'BAD_USER_INPUT', field, reason: 'INVALID_EMAIL' }) }));
  });

  it('needs one recipient and allows at most 500', () => {
    expect(() => checkRecipientCount(0)).toThrow(/at least one recipient/);
    expect(() => checkRecipientCount(501)).toThrow(/at most 500/);
    expect(() => checkRecipientCount(500)).not.toThrow();
  });
});

describe('subjects', () => {
  const pattern = tokenPattern(DEFAULT_TOKEN_FORMAT);

  it.each([
    ['Quote', 'RE: Quote'],
    ['RE: Quote', 'RE: Quote'],
    ['re: Quote', 're: Quote'],
    ['Re : Quote', 'Re : Quote'],
    ['  Renewal ', 'RE: Renewal'],
  ])('a reply to %j is %j', (original, reply) => {
    expect(replySubject(original)).toBe(reply);
  });

  it('appends the token, replacing tokens of the same format already in the subject', () => {
    expect(subjectWithToken('Quote', 'CRM:0001002', pattern)).toBe('Quote CRM:0001002');
    expect(subjectWithToken('RE: Quote CRM:0001001', 'CRM:0001002', pattern)).toBe('RE: Quote CRM:0001002');
    expect(subjectWithToken('', 'CRM:0001002', pattern)).toBe('CRM:0001002');
    // Not the configured format: left alone.
    expect(subjectWithToken('Order ABC:123', 'CRM:0001002', pattern)).toBe('Order ABC:123 CRM:0001002');
  });

  it('without a token, only tidies white space', () => {
    expect(subjectWithToken('  Quote\n for   you ', null, pattern)).toBe('Quote for you');
  });

  it('cuts a long subject so the token still fits whole, counting code points', () => {
    const long = '😀'.repeat(MAX_SUBJECT_LENGTH);
    const subject = subjectWithToken(long, 'CRM:0001002', pattern);
    expect([...subject].length).toBe(MAX_SUBJECT_LENGTH);
    expect(subject.endsWith(' CRM:0001002')).toBe(true);
  });
});

describe('Message-ID', () => {
  it('uses the sender’s domain, in ASCII', () => {
    expect(newMessageId('0190-abc', 'sam@demo.crm.test')).toBe('0190-abc@demo.crm.test');
    expect(newMessageId('x', 'info@bücher.example')).toBe('x@xn--bcher-kva.example');
  });
});

describe('preview', () => {
  it('is the start of the text with white space collapsed', () => {
    expect(previewOf('  Hello\n\n  world  ')).toBe('Hello world');
    expect(previewOf('')).toBeNull();
    expect(previewOf(null)).toBeNull();
    expect([...previewOf('å'.repeat(1000))!].length).toBe(300);
  });

  it('of an HTML-only email is its text', () => {
    expect(previewOf(textOfHtml('<style>p{color:red}</style><p>Hello&nbsp;<b>Åsa</b></p><p>Q&amp;A</p>'))).toBe('Hello Åsa Q&A');
  });
});

describe('HTML to send', () => {
  it('gives remote images back their src, after sanitizing', () => {
    const { html, blockedRemoteImages } = sanitizeEmailHtml('<p>Logo <img src="https://cdn.example/logo.png" alt="x"> <script>alert(1)</script></p>');
    expect(blockedRemoteImages).toBe(1);
    const sent = htmlForSending(html);
    expect(sent).toContain('src="https://cdn.example/logo.png"');
    expect(sent).not.toContain('data-remote-src');
    expect(sent).not.toContain('script');
  });

  it('leaves text that merely mentions the attribute alone', () => {
    const { html } = sanitizeEmailHtml('<p>data-remote-src="x"</p><img alt=\'data-remote-src="y"\'>');
    expect(htmlForSending(html)).toBe(html);
  });
});

describe('References of a reply', () => {
  it('are the parent’s References and then its Message-ID', () => {
    expect(replyReferences([], 'a@x')).toEqual(['a@x']);
    expect(replyReferences(['a@x', 'b@x'], 'c@x')).toEqual(['a@x', 'b@x', 'c@x']);
  });

  it('keep the root and the latest ids of a very long thread', () => {
    const long = Array.from({ length: 80 }, (_, i) => `m${i}@x`);
    const refs = replyReferences(long, 'last@x');
    expect(refs).toHaveLength(MAX_REFERENCES);
    expect(refs[0]).toBe('m0@x');
    expect(refs.at(-1)).toBe('last@x');
    expect(refs.at(-2)).toBe('m79@x');
  });
});

describe('attachment names and types', () => {
  it.each(['Offert å.pdf', 'Смета 2026.xlsx', '見積書.pdf', 'a'.repeat(255), 'report.final.v2.PDF', '😀.png'])('keeps %s as it is', (name) => {
    expect(fileNameFault(name)).toBeUndefined();
  });

  it.each([
    ['', 'must not be empty'],
    ['   ', 'must not be empty'],
    ['a'.repeat(256), 'at most 255'],
    ['../etc/passwd', '"/"'],
    ['C:\\boot.ini', '"/"'],
    ['line\nbreak.txt', 'control'],
    ['bell\u0007.txt', 'control'],
    ['del\u007f.txt', 'control'],
    ['invoice\u202efdp.exe', 'text-direction'],
    ['isolate\u2067.pdf', 'text-direction'],
    ['..', 'only dots'],
  ])('refuses %j', (name, words) => {
    expect(fileNameFault(name)).toContain(words);
  });

  it.each([
    ['application/pdf', 'application/pdf'],
    [' Image/PNG ', 'image/png'],
    ['application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
    ['text/plain; charset=utf-8', undefined],
    ['pdf', undefined],
    ['text/', undefined],
    ['/plain', undefined],
    ['text/plain\r\nX-Evil: 1', undefined],
    ['a/b/c', undefined],
    [`application/${'x'.repeat(115)}`, `application/${'x'.repeat(115)}`],
    [`application/${'x'.repeat(116)}`, undefined],
  ])('media type %j is %j', (given, stored) => {
    expect(mediaTypeOf(given)).toBe(stored);
  });
});
