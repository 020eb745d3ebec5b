import { describe, expect, it } from 'vitest';
import { ewsMailError, soapFaultFacts, type EwsErrorContext } from './ews-errors.js';
import { failureOf } from './ews-service.js';

const context: EwsErrorContext = { server: 'mail.example.com', port: 443, username: 'svc-crm@example.com', channel: 'incoming' };
const impersonating: EwsErrorContext = { ...context, impersonating: 'sam@example.com' };

describe('ewsMailError', () => {
  it.each([
    [{ responseCode: 'ErrorImpersonateUserDenied' }, impersonating, 'AUTH_FAILED', /lacks the ApplicationImpersonation role/],
    [{ responseCode: 'ErrorNonExistentMailbox' }, impersonating, 'AUTH_FAILED', /has no mailbox sam@example.com/],
    [{ responseCode: 'ErrorAccessDenied' }, { ...context, folder: 'Inbox/Customers' }, 'AUTH_FAILED', /denies svc-crm@example.com access to folder 'Inbox\/Customers'/],
    [{ httpStatus: 401 }, context, 'AUTH_FAILED', /rejected the credentials of svc-crm@example.com \(HTTP 401\)/],
    [{ httpStatus: 401, ntlmNotOffered: true }, context, 'AUTH_FAILED', /does not offer NTLM/],
    [{ responseCode: 'ErrorServerBusy', backOffMs: 30_000 }, context, 'TEMPORARY', /throttling .* asked to wait 30 s/],
    [{ responseCode: 'ErrorMailboxStoreUnavailable' }, impersonating, 'TEMPORARY', /mailbox database of sam@example.com is not available/],
    [{ responseCode: 'ErrorInvalidSyncStateData' }, { ...context, folder: 'Inbox' }, 'CURSOR_INVALID', /sync state of folder 'Inbox'/],
    [{ responseCode: 'ErrorFolderNotFound' }, { ...context, folder: 'Inbox/Gone' }, 'FOLDER_MISSING', /'Inbox\/Gone' does not exist/],
    [{ responseCode: 'ErrorInvalidRecipients' }, { ...context, channel: 'outgoing' }, 'REJECTED', /refused the message/],
    [{ responseCode: 'ErrorInvalidServerVersion' }, context, 'PROTOCOL', /Exchange 2010 SP2/],
    [{ httpStatus: 404 }, context, 'PROTOCOL', /check the EWS URL/],
    [{ httpStatus: 503 }, context, 'TEMPORARY', /unavailable \(HTTP 503\)/],
    [{ networkError: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) }, context, 'REFUSED', /Connection refused on mail.example.com:443/],
    [{ networkError: Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }) }, context, 'DNS', /Cannot resolve mail.example.com/],
    [{ networkError: Object.assign(new Error('self-signed'), { code: 'DEPTH_ZERO_SELF_SIGNED_CERT' }) }, context, 'TLS', /self-signed/],
    [{ networkError: Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }) }, context, 'TEMPORARY', /dropped/],
    [{ networkError: Object.assign(new Error('timeout of 1000ms exceeded'), { code: 'ECONNABORTED' }) }, context, 'TIMEOUT', /No answer/],
  ] as const)('%j → %s', (failure, ctx, code, reason) => {
    const error = ewsMailError(failure, ctx);
    expect(error.code).toBe(code);
    expect(error.message).toMatch(reason);
  });

  it('keeps the response code and the server\'s words for the alert, clipped', () => {
    const error = ewsMailError({ responseCode: 'ErrorAccessDenied', serverText: `Access is denied. ${'x'.repeat(1000)}` }, context);
    expect(error.serverResponse?.startsWith('ErrorAccessDenied: Access is denied.')).toBe(true);
    expect(error.serverResponse!.length).toBeLessThan(350);
  });

  it('never puts the password of a Basic header in a reason', () => {
    const error = ewsMailError({ httpStatus: 401, serverText: 'Unauthorized' }, context);
    expect(error.message).not.toMatch(/Basic |secret/);
  });
});

describe('soapFaultFacts', () => {
  it('reads ResponseCode, MessageText and BackOffMilliseconds of an ErrorServerBusy fault', () => {
    const body = `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode xmlns:a="http://schemas.microsoft.com/exchange/services/2006/types">a:ErrorServerBusy</faultcode><faultstring xml:lang="en-US">The server cannot service this request right now. Try again later.</faultstring><detail><e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">ErrorServerBusy</e:ResponseCode><e:Message xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">The server cannot service this request right now.</e:Message><t:MessageXml xmlns:t="http://schemas.microsoft.com/exchange/services/2006/types"><t:Value Name="BackOffMilliseconds">297749</t:Value></t:MessageXml></detail></s:Fault></s:Body></s:Envelope>`;
    expect(soapFaultFacts(body)).toEqual({ responseCode: 'ErrorServerBusy', serverText: 'The server cannot service this request right now. Try again later.', backOffMs: 297_749 });
  });

  it('finds nothing in a body that is not a fault', () => {
    expect(soapFaultFacts('<html>Bad gateway</html>')).toEqual({});
  });
});

describe('failureOf', () => {
  it('takes the code of a response message error (ServiceResponseException) and the back-off in its details', () => {
    const error = { Response: { ErrorCode: 363, ErrorMessage: 'Busy', ErrorDetails: { containsKey: (key: string) => key === 'BackOffMilliseconds', get: () => '1500' } } };
    expect(failureOf(error, {})).toEqual({ responseCode: 'ErrorServerBusy', serverText: 'Busy', backOffMs: 1500 });
  });

  it('joins the HTTP status and fault body the transport saw', () => {
    expect(failureOf({ message: '401 Unauthorized' }, { httpStatus: 401 })).toEqual({ httpStatus: 401, serverText: '401 Unauthorized' });
  });

  it('keeps the network error and not the library\'s wrapper text', () => {
    const network = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
    expect(failureOf({ message: 'wrapped' }, { networkError: network })).toEqual({ networkError: network });
  });
});
