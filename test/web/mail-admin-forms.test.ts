import { describe, expect, it } from 'vitest';
import { tokenExample } from '../../web/src/admin/email-settings/email-settings';
import { lines, wholeNumber } from '../../web/src/admin/form-values';
import { defaultPort, testResultOf } from '../../web/src/admin/profiles/profiles';

// The pure parts of the mail console's forms: numbers as people type them, lists one a line, the usual ports,
// and the tracking token the settings would write.

describe('the mail console’s forms', () => {
  it('reads whole numbers as typed, with digit grouping, and nothing else', () => {
    const cases: [string, number | null][] = [
      ['993', 993],
      [' 60 ', 60],
      ['86,400', 86400],
      ['86 400', 86400],
      ['131\u00a0072', 131072],
      ['0', 0],
      ['', null],
      ['abc', null],
      ['9.5', null],
      ['1e3', null],
    ];
    for (const [text, expected] of cases) expect(wholeNumber(text), JSON.stringify(text)).toBe(expected);
  });

  it('splits a list one item a line, dropping blank lines and spaces', () => {
    expect(lines(' spam.example \n\n  newsletters.example.org\n')).toEqual(['spam.example', 'newsletters.example.org']);
    expect(lines('')).toEqual([]);
  });

  it('knows the usual port of each protocol and encryption (RFC 8314)', () => {
    expect([defaultPort('IMAP', 'IMPLICIT'), defaultPort('IMAP', 'STARTTLS'), defaultPort('IMAP', 'NONE')]).toEqual([993, 143, 143]);
    expect([defaultPort('POP3', 'IMPLICIT'), defaultPort('POP3', 'NONE')]).toEqual([995, 110]);
    expect([defaultPort('SMTP', 'IMPLICIT'), defaultPort('SMTP', 'STARTTLS')]).toEqual([465, 587]);
  });

  it('writes the tracking token Dynamics would, or none for settings the API refuses', () => {
    const token = (tokenPrefix: string, tokenBaseNumber: string, tokenUserDigits: string, tokenCounterDigits: string) =>
      tokenExample({ tokenPrefix, tokenBaseNumber, tokenUserDigits, tokenCounterDigits });
    expect(token('CRM', '0', '3', '3')).toBe('CRM:0001234');
    expect(token('HUB', '12', '2', '4')).toBe('HUB:12010234');
    expect(token('CRM', '0', '1', '1')).toBe('CRM:014');
    expect(token('CRM', 'x', '3', '3')).toBeNull();
    expect(token('CRM', '0', '11', '3')).toBeNull();
    expect(token('CRM', '0', '3', '0')).toBeNull();
    expect(token('HU B', '0', '3', '3')).toBeNull();
    expect(token('', '0', '3', '3')).toBeNull();
  });
});

describe('a Test & Enable run’s line', () => {
  const channel = (status: string, code: string | null = null, reason: string | null = null) => ({ status, code, reason });

  it('is testing while a channel waits for the engine, failed with each failed channel, else passed', () => {
    expect(testResultOf({ state: 'NOT_ENABLED', incomingTest: channel('PENDING'), outgoingTest: channel('SUCCESS') })).toEqual({ status: 'testing' });
    expect(testResultOf({ state: 'NOT_ENABLED', incomingTest: channel('FAILURE', 'REFUSED', 'no'), outgoingTest: channel('SUCCESS') })).toEqual({
      status: 'failed',
      failures: [{ channel: 'incoming', code: 'REFUSED', reason: 'no' }],
    });
    expect(testResultOf({ state: 'ENABLED', incomingTest: channel('SUCCESS'), outgoingTest: channel('NOT_RUN') })).toEqual({ status: 'passed', enabled: true });
    expect(testResultOf({ state: 'NOT_ENABLED', incomingTest: channel('WARNING'), outgoingTest: channel('SUCCESS') })).toEqual({ status: 'passed', enabled: false });
  });
});
