import { describe, expect, it } from 'vitest';
import { contentDisposition, downloadContentType } from './attachment-routes';

describe('downloadContentType', () => {
  it.each([
    ['application/pdf', 'application/pdf'],
    ['IMAGE/PNG', 'image/png'],
    ['text/plain; charset=utf-8', 'text/plain'],
    ['application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
    // Scriptable in a browser: served as bytes.
    ['text/html', 'application/octet-stream'],
    ['text/HTML; charset=utf-8', 'application/octet-stream'],
    ['image/svg+xml', 'application/octet-stream'],
    ['application/xhtml+xml', 'application/octet-stream'],
    ['text/xml', 'application/octet-stream'],
    ['application/rss+xml', 'application/octet-stream'],
    ['text/javascript', 'application/octet-stream'],
    ['application/ecmascript', 'application/octet-stream'],
    // Malformed: not a type/subtype pair, or characters a header must not carry.
    ['', 'application/octet-stream'],
    ['pdf', 'application/octet-stream'],
    ['text/plain\r\nSet-Cookie: a=b', 'application/octet-stream'],
    ['image/png/extra', 'application/octet-stream'],
  ])('%j → %s', (stored, served) => {
    expect(downloadContentType(stored)).toBe(served);
  });
});

describe('contentDisposition', () => {
  it.each([
    ['report.pdf', `attachment; filename="report.pdf"; filename*=UTF-8''report.pdf`],
    ['Offert för Åsa.docx', `attachment; filename="Offert f_r _sa.docx"; filename*=UTF-8''Offert%20f%C3%B6r%20%C3%85sa.docx`],
    ['見積書.pdf', `attachment; filename="___.pdf"; filename*=UTF-8''%E8%A6%8B%E7%A9%8D%E6%9B%B8.pdf`],
    // RFC 8187 attr-char excludes ' ( ) * and %; a quote or backslash would end the quoted fallback.
    [`it's (final) *v2* 100%.txt`, `attachment; filename="it's (final) *v2* 100_.txt"; filename*=UTF-8''it%27s%20%28final%29%20%2Av2%2A%20100%25.txt`],
    ['say "hi".txt', `attachment; filename="say _hi_.txt"; filename*=UTF-8''say%20%22hi%22.txt`],
    // No header injection, no paths.
    ['a\r\nb.txt', `attachment; filename="a__b.txt"; filename*=UTF-8''a__b.txt`],
    ['../../etc/passwd', `attachment; filename=".._.._etc_passwd"; filename*=UTF-8''.._.._etc_passwd`],
    ['C:\\temp\\x.exe', `attachment; filename="C:_temp_x.exe"; filename*=UTF-8''C%3A_temp_x.exe`],
    ['   ', `attachment; filename="attachment"; filename*=UTF-8''attachment`],
  ])('%j', (fileName, header) => {
    expect(contentDisposition(fileName)).toBe(header);
  });
});
