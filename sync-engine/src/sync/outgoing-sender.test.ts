import { describe, expect, it } from 'vitest';
import { HubApiError } from '../api-client.js';
import { MailError } from '../mail/mail-error.js';
import { classifyFailure } from './failure-policy.js';
import { sendFailure } from './outgoing-sender.js';

describe('sendFailure: what a failed send means for the email', () => {
  it.each([
    [new MailError('REJECTED', '550 5.1.1 no such user', { serverResponse: '550 5.1.1 <x@y>: no such user' }), { retryable: false }],
    [new MailError('AUTH_FAILED', 'authentication rejected'), { retryable: true }],
    [new MailError('REFUSED', 'connection refused'), { retryable: true }],
    [new MailError('DNS', 'smtp.example.test does not resolve'), { retryable: true }],
    [new MailError('TEMPORARY', 'try later', { serverResponse: '451 4.3.0 try later' }), { retryable: true }],
  ])('%s → FAILED %o', (error, expected) => {
    expect(sendFailure(error)).toMatchObject(expected);
  });

  it.each([
    new MailError('TEMPORARY', 'connection closed after DATA'),
    new MailError('TIMEOUT', 'no answer to the final dot'),
    new Error('anything unexpected'),
  ])('%s leaves delivery unknown (the lease runs out and the email becomes UNCERTAIN, never sent twice silently)', (error) => {
    expect(sendFailure(error)).toBeUndefined();
  });

  it('keeps the server\'s own words in the reason', () => {
    const error = new MailError('REJECTED', 'recipient refused', { serverResponse: '550 5.7.1 relaying denied' });
    expect(sendFailure(error)?.reason).toContain('550 5.7.1 relaying denied');
  });
});

describe('classifyFailure: what a failed sync means for the mailbox', () => {
  it.each([
    [new MailError('AUTH_FAILED', 'bad password'), 'AUTH_FAILED'],
    [new MailError('TIMEOUT', 'slow'), 'TEMPORARY_FAILURE'],
    [new MailError('TLS', 'certificate does not verify'), 'CONFIG_ERROR'],
    [new MailError('FOLDER_MISSING', 'no folder'), 'CONFIG_ERROR'],
    [new HubApiError('TEMPORARY', 'hub down'), 'TEMPORARY_FAILURE'],
    [new Error('bug'), 'TEMPORARY_FAILURE'],
  ])('%s → %s', (error, outcome) => {
    expect(classifyFailure(error)?.outcome).toBe(outcome);
  });

  it('reports nothing for a lost lease', () => {
    expect(classifyFailure(new HubApiError('CONFLICT', 'lease lost'))).toBeUndefined();
  });
});
