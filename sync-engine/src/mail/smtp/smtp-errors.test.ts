import { describe, expect, it } from 'vitest';
import { MailError } from '../mail-error.js';
import { smtpMailError } from './smtp-errors.js';

const at = { host: 'smtp.example.test', port: 587, username: 'alice@example.test' };
const err = (fields: Record<string, unknown>) => Object.assign(new Error(String(fields.message ?? 'failed')), fields);

describe('smtpMailError', () => {
  it('EAUTH is AUTH_FAILED with the server reply', () => {
    const error = smtpMailError(err({ code: 'EAUTH', response: '535 5.7.8 Authentication credentials invalid', responseCode: 535 }), at);
    expect(error).toMatchObject({ code: 'AUTH_FAILED', message: 'The server rejected the user name or password for alice@example.test', serverResponse: '535 5.7.8 Authentication credentials invalid' });
  });

  it('530 without credentials says sign-in is required', () => {
    const error = smtpMailError(err({ code: 'EENVELOPE', response: '530 5.7.0 Authentication required', responseCode: 530 }), { ...at, username: null });
    expect(error.code).toBe('AUTH_FAILED');
    expect(error.message).toContain('requires signing in');
  });

  it('5xx is REJECTED with the reply', () => {
    const error = smtpMailError(err({ code: 'EENVELOPE', response: '550 5.1.1 <x@y>: Recipient address rejected: User unknown', responseCode: 550 }), at);
    expect(error).toMatchObject({ code: 'REJECTED', serverResponse: '550 5.1.1 <x@y>: Recipient address rejected: User unknown' });
    expect(error.message).toBe('The server smtp.example.test:587 refused the message: 550 5.1.1 <x@y>: Recipient address rejected: User unknown');
  });

  it('4xx is TEMPORARY and keeps the reply (a definite "not accepted")', () => {
    const error = smtpMailError(err({ code: 'EMESSAGE', response: '451 4.3.0 Try again later', responseCode: 451 }), at);
    expect(error).toMatchObject({ code: 'TEMPORARY', serverResponse: '451 4.3.0 Try again later' });
  });

  it('503 is a session problem, not a refusal of the message', () => {
    expect(smtpMailError(err({ code: 'EPROTOCOL', response: '503 5.5.1 Bad sequence', responseCode: 503 }), at).code).not.toBe('REJECTED');
  });

  it('a dropped connection is TEMPORARY without a reply (delivery unknown)', () => {
    const error = smtpMailError(err({ code: 'ECONNECTION', message: 'Connection closed unexpectedly' }), at);
    expect(error.code).toBe('TEMPORARY');
    expect(error.serverResponse).toBeUndefined();
  });

  it('socket errors go through the network translation', () => {
    expect(smtpMailError(err({ code: 'ESOCKET', originalCode: 'ECONNREFUSED' }), at).code).toBe('REFUSED');
    expect(smtpMailError(err({ code: 'EDNS', originalCode: 'ENOTFOUND' }), at).message).toBe('Cannot resolve smtp.example.test: check the outgoing server name');
    expect(smtpMailError(err({ code: 'ETLS', message: 'Error initiating TLS' }), at).code).toBe('TLS');
    expect(smtpMailError(err({ code: 'ETIMEDOUT' }), at).code).toBe('TIMEOUT');
  });

  it('passes MailError through', () => {
    const original = new MailError('REJECTED', 'x');
    expect(smtpMailError(original, at)).toBe(original);
  });
});

describe('smtpMailError and STARTTLS', () => {
  it('a refused STARTTLS is TLS, not a rejected message', () => {
    const error = smtpMailError(err({ code: 'ETLS', response: '502 5.5.1 Error: command not recognized', responseCode: 502 }), at);
    expect(error.code).toBe('TLS');
    expect(error.message).toContain('502 5.5.1');
  });
});
