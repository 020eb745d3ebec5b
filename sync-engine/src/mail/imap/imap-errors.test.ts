import { AuthenticationFailure } from 'imapflow';
import { describe, expect, it } from 'vitest';
import { MailError } from '../mail-error.js';
import { imapMailError } from './imap-errors.js';

// The shapes imapflow 2.1.2 gives its errors (see its errors.d.ts); the real-peer tests cover the live paths.
const at = { host: 'imap.example.test', port: 993, username: 'alice@example.test' };
const flowError = (message: string, fields: Record<string, unknown>) => Object.assign(new Error(message), fields);

describe('imapMailError', () => {
  it('authentication failures are AUTH_FAILED with the server text', () => {
    const failure = Object.assign(new AuthenticationFailure('Authentication failed'), { authenticationFailed: true as const, serverResponseCode: 'AUTHENTICATIONFAILED', response: '[AUTHENTICATIONFAILED] Authentication failed.' });
    expect(imapMailError(failure, at)).toMatchObject({ code: 'AUTH_FAILED', message: 'The server rejected the user name or password for alice@example.test', serverResponse: '[AUTHENTICATIONFAILED] Authentication failed.' });
  });

  it('a missing folder is FOLDER_MISSING naming it', () => {
    const error = flowError('Command failed', { responseStatus: 'NO', serverResponseCode: 'NONEXISTENT', responseText: "Mailbox doesn't exist: Projects/ACME", mailboxMissing: true });
    expect(imapMailError(error, { ...at, folder: 'Projects/ACME' })).toMatchObject({ code: 'FOLDER_MISSING', message: "Folder 'Projects/ACME' does not exist on imap.example.test: check the folder name" });
    expect(imapMailError(flowError('x', { serverResponseCode: 'TRYCREATE' }), { ...at, folder: 'Sent' }).code).toBe('FOLDER_MISSING');
  });

  it('a STARTTLS failure is TLS', () => {
    expect(imapMailError(flowError('Server does not support STARTTLS', { tlsFailed: true }), at).code).toBe('TLS');
  });

  it('connect and greeting timeouts are TIMEOUT', () => {
    expect(imapMailError(flowError('Connection timed out', { code: 'CONNECT_TIMEOUT' }), at).code).toBe('TIMEOUT');
    expect(imapMailError(flowError('Greeting never received', { code: 'GREETING_TIMEOUT' }), at).code).toBe('TIMEOUT');
  });

  it('a closed connection is TEMPORARY with the BYE reason', () => {
    const error = imapMailError(flowError('Connection not available', { code: 'NoConnection', reason: 'Server shutting down.' }), at);
    expect(error).toMatchObject({ code: 'TEMPORARY', message: 'The IMAP connection to imap.example.test:993 was closed: Server shutting down.' });
  });

  it('responses it cannot parse are PROTOCOL', () => {
    expect(imapMailError(flowError('Unexpected char', { code: 'ParserError11' }), at).code).toBe('PROTOCOL');
  });

  it('any other NO is TEMPORARY with the server text', () => {
    const error = imapMailError(flowError('Command failed', { responseStatus: 'NO', responseText: 'Internal error occurred. Refer to server log for more information.' }), { ...at, folder: 'INBOX' });
    expect(error).toMatchObject({ code: 'TEMPORARY', serverResponse: 'Internal error occurred. Refer to server log for more information.' });
    expect(error.message).toContain("(folder 'INBOX')");
  });

  it('passes MailError through', () => {
    const original = new MailError('CURSOR_INVALID', 'x');
    expect(imapMailError(original, at)).toBe(original);
  });
});
