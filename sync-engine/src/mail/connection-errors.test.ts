import { describe, expect, it } from 'vitest';
import { errorCodes, networkMailError } from './connection-errors.js';

const at = { host: 'imap.example.test', port: 993, channel: 'incoming' as const };
const err = (code: string, extra: Record<string, unknown> = {}) => Object.assign(new Error(`failed ${code}`), { code, ...extra });

describe('networkMailError', () => {
  it.each([
    ['ENOTFOUND', 'DNS', 'Cannot resolve imap.example.test: check the incoming server name'],
    ['EAI_AGAIN', 'DNS', 'Cannot resolve imap.example.test: check the incoming server name'],
    ['ECONNREFUSED', 'REFUSED', 'Connection refused on imap.example.test:993: check the incoming port and that the server is running'],
    ['EHOSTUNREACH', 'REFUSED', 'Cannot reach imap.example.test:993: check the incoming server name and port'],
    ['CONNECT_TIMEOUT', 'TIMEOUT', expect.stringContaining('No answer from imap.example.test:993 in time')],
    ['ETIMEDOUT', 'TIMEOUT', expect.stringContaining('No answer')],
    ['ECONNRESET', 'TEMPORARY', 'The connection to imap.example.test:993 was dropped (ECONNRESET)'],
    ['DEPTH_ZERO_SELF_SIGNED_CERT', 'TLS', expect.stringContaining('its certificate is self-signed')],
    ['CERT_HAS_EXPIRED', 'TLS', expect.stringContaining('its certificate has expired')],
    ['ERR_TLS_CERT_ALTNAME_INVALID', 'TLS', expect.stringContaining('for another host name')],
    ['ERR_SSL_WRONG_VERSION_NUMBER', 'TLS', expect.stringContaining('does not speak TLS on this port')],
  ])('%s → %s', (code, expected, message) => {
    const error = networkMailError(err(code), at);
    expect(error?.code).toBe(expected);
    expect(error?.message).toEqual(message);
  });

  it('reads codes wrapped by libraries (nodemailer ESOCKET/EDNS with originalCode, causes)', () => {
    expect(networkMailError(err('ESOCKET', { originalCode: 'ECONNREFUSED' }), { ...at, channel: 'outgoing' })?.message).toBe(
      'Connection refused on imap.example.test:993: check the outgoing port and that the server is running',
    );
    expect(networkMailError(err('EDNS', { originalCode: 'ENOTFOUND' }), at)?.code).toBe('DNS');
    expect(networkMailError(new Error('outer', { cause: err('ENOTFOUND') }), at)?.code).toBe('DNS');
  });

  it('leaves protocol errors to the adapter', () => {
    expect(networkMailError(err('EAUTH'), at)).toBeNull();
    expect(networkMailError(new Error('NO [AUTHENTICATIONFAILED]'), at)).toBeNull();
    expect(networkMailError('a string', at)).toBeNull();
  });
});

describe('errorCodes', () => {
  it('walks causes once, even when they loop', () => {
    const outer: Error & { cause?: unknown; code?: string } = err('OUTER');
    const inner = err('INNER', { cause: outer });
    outer.cause = inner;
    expect(errorCodes(outer)).toEqual(['OUTER', 'INNER']);
  });
});
