import { describe, expect, it } from 'vitest';
import { mailboxWorkOnEntry, trackedItemOnEntry, WireShapeError } from './wire-answers.js';

const endpoint = { host: 'imap.example.com', port: 993, tls: 'IMPLICIT', allowInvalidCertificates: false };
const work = {
  mailboxId: 'TWFpbGJveDox', leaseId: 'lease-1', leaseUntil: '2026-12-04T10:00:00.000Z', job: 'SYNC', address: 'sam@example.com', kind: 'IMAP_SMTP',
  incoming: endpoint, outgoing: null, credentials: null, credentialsStatus: 'NONE',
  incomingEnabled: true, outgoingEnabled: false, isForwardMailbox: false, deleteForwardedCopies: false,
  forwardSources: [{ mailboxId: 'TWFpbGJveDoy', address: 'fwd@example.com' }],
  cursor: null, processEmailFrom: '2026-01-01T00:00:00.000Z', resyncFrom: null, sentFolder: 'Sent', trackedFolders: ['Inbox/Contoso'], pollIntervalSeconds: 60, maxBodyKb: 512,
};
const tracked = { index: 0, messageId: '<a@example.com>', outcome: 'TRACKED', activityId: 'RW1haWw6MQ==', errorCode: null, errorMessage: null };

describe('mailboxWorkOnEntry', () => {
  it('keeps a well-formed claim, without the credentials (checked by wire-credentials.ts)', () => {
    const { credentials: _c, credentialsStatus: _s, ...rest } = work;
    expect(mailboxWorkOnEntry(work, 'claimMailboxes[0]')).toEqual(rest);
  });

  it.each([
    [{ ...work, leaseId: undefined }, 'claimMailboxes[0].leaseId: expected a string'],
    [{ ...work, job: 'EXPORT' }, 'claimMailboxes[0].job: "EXPORT" is not one of SYNC, TEST'],
    [{ ...work, kind: 'EXCHANGE_EWS' }, 'claimMailboxes[0].kind: "EXCHANGE_EWS" is not one of IMAP_SMTP, POP3_SMTP'],
    [{ ...work, leaseUntil: 'tomorrow' }, 'claimMailboxes[0].leaseUntil: expected a date'],
    [{ ...work, incoming: { ...endpoint, port: '993' } }, 'claimMailboxes[0].incoming.port: expected an integer'],
    [{ ...work, outgoing: { ...endpoint, tls: 'SSL' } }, 'claimMailboxes[0].outgoing.tls: "SSL" is not one of NONE, STARTTLS, IMPLICIT'],
    [{ ...work, forwardSources: [{ address: 'x@example.com' }] }, 'claimMailboxes[0].forwardSources[0].mailboxId: expected a string'],
    [{ ...work, trackedFolders: 'Inbox' }, 'claimMailboxes[0].trackedFolders: expected a list of strings'],
    [null, 'claimMailboxes[0]: expected an object'],
  ])('refuses a claim of the wrong shape, naming the path (%#)', (value, message) => {
    expect(() => mailboxWorkOnEntry(value, 'claimMailboxes[0]')).toThrow(new WireShapeError(message));
  });
});

describe('trackedItemOnEntry', () => {
  it('keeps a well-formed decision', () => {
    expect(trackedItemOnEntry(tracked, 'trackEmails.items[0]')).toEqual(tracked);
  });

  it.each([
    [{ ...tracked, outcome: 'IGNORED' }, 'trackEmails.items[0].outcome: "IGNORED" is not one of TRACKED, LINKED, DUPLICATE, FILTERED, REJECTED'],
    [{ ...tracked, index: 1.5 }, 'trackEmails.items[0].index: expected an integer'],
    [{ ...tracked, activityId: 7 }, 'trackEmails.items[0].activityId: expected a string or null'],
  ])('refuses a decision of the wrong shape, naming the path (%#)', (value, message) => {
    expect(() => trackedItemOnEntry(value, 'trackEmails.items[0]')).toThrow(new WireShapeError(message));
  });
});
