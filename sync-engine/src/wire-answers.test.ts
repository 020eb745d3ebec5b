import { describe, expect, it } from 'vitest';
import {
  claimedEmailLeaseOf, leaseEndOnEntry, mailboxWorkOnEntry, outgoingEmailOnEntry, trackedItemOnEntry, trackedItemsOnEntry, undecidedOnEntry, viewerOnEntry, WireShapeError,
} from './wire-answers.js';

const endpoint = { host: 'imap.example.com', port: 993, tls: 'IMPLICIT', allowInvalidCertificates: false };
const work = {
  mailboxId: 'TWFpbGJveDox', leaseId: 'lease-1', leaseUntil: '2026-12-04T10:00:00.000Z', job: 'SYNC', address: 'sam@example.com', kind: 'IMAP_SMTP',
  incoming: endpoint, outgoing: null, ews: null, credentials: null, credentialsStatus: 'NONE',
  incomingEnabled: true, outgoingEnabled: false, actEnabled: false, isForwardMailbox: false, deleteForwardedCopies: false,
  forwardSources: [{ mailboxId: 'TWFpbGJveDoy', address: 'fwd@example.com' }],
  cursor: null, processEmailFrom: '2026-01-01T00:00:00.000Z', resyncFrom: null, sentFolder: 'Sent', trackedFolders: ['Inbox/Contoso'], trackedFolderIds: ['AAMkAGFolder='], pollIntervalSeconds: 60, maxBodyKb: 512, pastExpansionWindowMonths: 3, futureExpansionWindowMonths: 12, timeZone: null,
};
const ews = { url: 'https://mail.example.com/EWS/Exchange.asmx', impersonateAddress: null, allowInvalidCertificates: false, maxConnections: 4 };
const tracked = { index: 0, messageId: '<a@example.com>', outcome: 'TRACKED', activityId: 'RW1haWw6MQ==', errorCode: null, errorMessage: null };

describe('mailboxWorkOnEntry', () => {
  it('keeps a well-formed claim, without the credentials (checked by wire-credentials.ts)', () => {
    const { credentials: _c, credentialsStatus: _s, ...rest } = work;
    expect(mailboxWorkOnEntry(work, 'claimMailboxes[0]')).toEqual(rest);
  });

  it('keeps an EXCHANGE_EWS claim: no incoming endpoint, its EWS connection instead', () => {
    const { credentials: _c, credentialsStatus: _s, ...rest } = { ...work, kind: 'EXCHANGE_EWS', incoming: null, ews: { ...ews, url: null, impersonateAddress: 'sam@example.com' }, actEnabled: true };
    expect(mailboxWorkOnEntry({ ...rest, credentials: null, credentialsStatus: 'NONE' }, 'claimMailboxes[0]')).toEqual(rest);
  });

  it.each([
    [{ ...work, leaseId: undefined }, 'claimMailboxes[0].leaseId: expected a string'],
    [{ ...work, job: 'EXPORT' }, 'claimMailboxes[0].job: "EXPORT" is not one of SYNC, TEST'],
    [{ ...work, kind: 'JMAP' }, 'claimMailboxes[0].kind: "JMAP" is not one of IMAP_SMTP, POP3_SMTP, EXCHANGE_EWS'],
    [{ ...work, kind: 'EXCHANGE_EWS' }, 'claimMailboxes[0].ews: expected an object for an EXCHANGE_EWS mailbox'],
    [{ ...work, incoming: null }, 'claimMailboxes[0].incoming: expected an object for an IMAP_SMTP mailbox'],
    [{ ...work, kind: 'EXCHANGE_EWS', incoming: null, ews: { ...ews, url: 'javascript:alert(1)' } }, 'claimMailboxes[0].ews.url: expected an http(s) URL'],
    [{ ...work, kind: 'EXCHANGE_EWS', incoming: null, ews: { ...ews, maxConnections: 0 } }, 'claimMailboxes[0].ews.maxConnections: expected 1 or more'],
    [{ ...work, kind: 'EXCHANGE_EWS', incoming: null, ews: { ...ews, allowInvalidCertificates: 'yes' } }, 'claimMailboxes[0].ews.allowInvalidCertificates: expected true or false'],
    [{ ...work, actEnabled: undefined }, 'claimMailboxes[0].actEnabled: expected true or false'],
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
    [{ ...tracked, outcome: { long: 'x'.repeat(100) } }, `trackEmails.items[0].outcome: {"long":"${'x'.repeat(31)}… is not one of TRACKED, LINKED, DUPLICATE, FILTERED, REJECTED`],
  ])('refuses a decision of the wrong shape, naming the path (%#)', (value, message) => {
    expect(() => trackedItemOnEntry(value, 'trackEmails.items[0]')).toThrow(new WireShapeError(message));
  });
});

const smtp = { host: 'smtp.example.com', port: 587, tls: 'STARTTLS', allowInvalidCertificates: false };
const sha = 'a'.repeat(64);
const outgoing = {
  emailId: 'RW1haWw6Nw==', leaseId: 'lease-7', leaseUntil: '2026-12-04T10:02:00.000Z', mailboxId: 'TWFpbGJveDox',
  from: { address: 'sam@example.com', name: 'Sam Seller' },
  to: [{ address: 'kim@contoso.example', name: null }], cc: [{ address: 'lee@contoso.example', name: 'Lee' }], bcc: [],
  subject: 'Re: Quote', messageId: 'crm-7@example.com', inReplyTo: 'q-1@contoso.example', references: ['q-0@contoso.example', 'q-1@contoso.example'],
  textBody: 'Hello', htmlBody: null,
  attachments: [{ fileName: 'quote.pdf', contentType: 'application/pdf', size: 1234, sha256: sha }],
  attempt: 1,
  transport: { kind: 'IMAP_SMTP', smtp, imap: endpoint, ews: null, sentFolder: null, credentials: { method: 'PASSWORD', username: 'sam', secret: 'pw' }, credentialsStatus: 'PRESENT' },
};
const path = 'claimOutgoingEmails[0]';

describe('outgoingEmailOnEntry', () => {
  it('keeps a well-formed claimed email, without the transport\'s credentials (checked by wire-credentials.ts)', () => {
    const { credentials: _c, credentialsStatus: _s, ...transport } = outgoing.transport;
    expect(outgoingEmailOnEntry(outgoing, path)).toEqual({ ...outgoing, transport });
  });

  it('keeps a POP3 profile\'s transport without IMAP', () => {
    const pop3 = { ...outgoing, transport: { ...outgoing.transport, kind: 'POP3_SMTP', imap: null, sentFolder: 'Sent' } };
    expect(outgoingEmailOnEntry(pop3, path).transport).toEqual({ kind: 'POP3_SMTP', smtp, imap: null, ews: null, sentFolder: 'Sent' });
  });

  it('keeps an EXCHANGE_EWS transport: no SMTP server, its EWS connection instead', () => {
    const exchange = { ...outgoing, transport: { ...outgoing.transport, kind: 'EXCHANGE_EWS', smtp: null, imap: null, ews } };
    expect(outgoingEmailOnEntry(exchange, path).transport).toEqual({ kind: 'EXCHANGE_EWS', smtp: null, imap: null, ews, sentFolder: null });
  });

  it.each([
    [{ ...outgoing, emailId: undefined }, 'claimOutgoingEmails[0].emailId: expected a string'],
    [{ ...outgoing, leaseId: 7 }, 'claimOutgoingEmails[0].leaseId: expected a string'],
    [{ ...outgoing, leaseUntil: 'soon' }, 'claimOutgoingEmails[0].leaseUntil: expected a date'],
    [{ ...outgoing, mailboxId: null }, 'claimOutgoingEmails[0].mailboxId: expected a string'],
    [{ ...outgoing, from: null }, 'claimOutgoingEmails[0].from: expected an object'],
    [{ ...outgoing, from: { name: 'Sam' } }, 'claimOutgoingEmails[0].from.address: expected a string'],
    [{ ...outgoing, to: { address: 'kim@contoso.example', name: null } }, 'claimOutgoingEmails[0].to: expected a list'],
    [{ ...outgoing, cc: [{ address: 'lee@contoso.example' }] }, 'claimOutgoingEmails[0].cc[0].name: expected a string or null'],
    [{ ...outgoing, bcc: ['x@contoso.example'] }, 'claimOutgoingEmails[0].bcc[0]: expected an object'],
    [{ ...outgoing, subject: undefined }, 'claimOutgoingEmails[0].subject: expected a string'],
    [{ ...outgoing, messageId: null }, 'claimOutgoingEmails[0].messageId: expected a string'],
    [{ ...outgoing, inReplyTo: ['q-1@contoso.example'] }, 'claimOutgoingEmails[0].inReplyTo: expected a string or null'],
    [{ ...outgoing, references: 'q-0@contoso.example q-1@contoso.example' }, 'claimOutgoingEmails[0].references: expected a list of strings'],
    [{ ...outgoing, references: [null] }, 'claimOutgoingEmails[0].references: expected a list of strings'],
    [{ ...outgoing, textBody: undefined }, 'claimOutgoingEmails[0].textBody: expected a string or null'],
    [{ ...outgoing, htmlBody: 0 }, 'claimOutgoingEmails[0].htmlBody: expected a string or null'],
    [{ ...outgoing, attachments: null }, 'claimOutgoingEmails[0].attachments: expected a list'],
    [{ ...outgoing, attachments: [{ ...outgoing.attachments[0], fileName: undefined }] }, 'claimOutgoingEmails[0].attachments[0].fileName: expected a string'],
    [{ ...outgoing, attachments: [{ ...outgoing.attachments[0], contentType: null }] }, 'claimOutgoingEmails[0].attachments[0].contentType: expected a string'],
    [{ ...outgoing, attachments: [{ ...outgoing.attachments[0], size: '1234' }] }, 'claimOutgoingEmails[0].attachments[0].size: expected an integer'],
    [{ ...outgoing, attachments: [{ ...outgoing.attachments[0], size: -1 }] }, 'claimOutgoingEmails[0].attachments[0].size: expected a count (0 or more)'],
    [{ ...outgoing, attachments: [{ ...outgoing.attachments[0], sha256: '../../etc/passwd' }] }, 'claimOutgoingEmails[0].attachments[0].sha256: expected a SHA-256 in hex'],
    [{ ...outgoing, attempt: 1.5 }, 'claimOutgoingEmails[0].attempt: expected an integer'],
    [{ ...outgoing, transport: null }, 'claimOutgoingEmails[0].transport: expected an object'],
    [{ ...outgoing, transport: { ...outgoing.transport, kind: 'JMAP' } }, 'claimOutgoingEmails[0].transport.kind: "JMAP" is not one of IMAP_SMTP, POP3_SMTP, EXCHANGE_EWS'],
    [{ ...outgoing, transport: { ...outgoing.transport, kind: 'EXCHANGE_EWS' } }, 'claimOutgoingEmails[0].transport.ews: expected an object for an EXCHANGE_EWS transport'],
    [{ ...outgoing, transport: { ...outgoing.transport, smtp: undefined } }, 'claimOutgoingEmails[0].transport.smtp: expected an object for an IMAP_SMTP transport'],
    [{ ...outgoing, transport: { ...outgoing.transport, smtp: { ...smtp, port: '587' } } }, 'claimOutgoingEmails[0].transport.smtp.port: expected an integer'],
    [{ ...outgoing, transport: { ...outgoing.transport, smtp: { ...smtp, host: null } } }, 'claimOutgoingEmails[0].transport.smtp.host: expected a string'],
    [{ ...outgoing, transport: { ...outgoing.transport, smtp: { ...smtp, tls: 'SSL' } } }, 'claimOutgoingEmails[0].transport.smtp.tls: "SSL" is not one of NONE, STARTTLS, IMPLICIT'],
    [{ ...outgoing, transport: { ...outgoing.transport, smtp: { ...smtp, allowInvalidCertificates: 'no' } } }, 'claimOutgoingEmails[0].transport.smtp.allowInvalidCertificates: expected true or false'],
    [{ ...outgoing, transport: { ...outgoing.transport, imap: { ...endpoint, tls: undefined } } }, 'claimOutgoingEmails[0].transport.imap.tls: undefined is not one of NONE, STARTTLS, IMPLICIT'],
    [{ ...outgoing, transport: { ...outgoing.transport, sentFolder: 5 } }, 'claimOutgoingEmails[0].transport.sentFolder: expected a string or null'],
    [[outgoing], 'claimOutgoingEmails[0]: expected an object'],
  ])('refuses a claimed email of the wrong shape, naming the path (%#)', (value, message) => {
    expect(() => outgoingEmailOnEntry(value, path)).toThrow(new WireShapeError(message));
  });
});

describe('claimedEmailLeaseOf', () => {
  it('reads the lease of a claim whose other fields are unreadable', () => {
    expect(claimedEmailLeaseOf({ ...outgoing, transport: null })).toEqual({ emailId: outgoing.emailId, leaseId: outgoing.leaseId });
  });

  it.each([null, 'e-1', { emailId: 'e-1' }, { emailId: 1, leaseId: 'l-1' }])('has no lease for %j', (value) => {
    expect(claimedEmailLeaseOf(value)).toBeUndefined();
  });
});

describe('trackedItemsOnEntry', () => {
  it('keeps the items of a well-formed answer', () => {
    expect(trackedItemsOnEntry({ trackEmails: { items: [tracked] } })).toEqual([tracked]);
  });

  it.each([
    [{}, 'trackEmails: expected an object'],
    [{ trackEmails: { items: null } }, 'trackEmails.items: expected a list'],
    [{ trackEmails: { items: [{ ...tracked, outcome: 'IGNORED' }] } }, 'trackEmails.items[0].outcome: "IGNORED" is not one of TRACKED, LINKED, DUPLICATE, FILTERED, REJECTED'],
  ])('refuses %j, naming the path', (data, message) => {
    expect(() => trackedItemsOnEntry(data)).toThrow(new WireShapeError(message));
  });
});

describe('viewerOnEntry', () => {
  const viewer = { id: 'VXNlcjox', fullName: 'Sync Service', roles: [{ name: 'Sync Service' }] };

  it('keeps a well-formed viewer', () => {
    expect(viewerOnEntry(viewer, 'viewer')).toEqual(viewer);
  });

  it.each([
    [undefined, 'viewer: expected an object'],
    [{ ...viewer, id: 1 }, 'viewer.id: expected a string'],
    [{ ...viewer, fullName: null }, 'viewer.fullName: expected a string'],
    [{ ...viewer, roles: 'Sync Service' }, 'viewer.roles: expected a list'],
    [{ ...viewer, roles: [{ name: 7 }] }, 'viewer.roles[0].name: expected a string'],
  ])('refuses %j, naming the path', (value, message) => {
    expect(() => viewerOnEntry(value, 'viewer')).toThrow(new WireShapeError(message));
  });
});

describe('undecidedOnEntry', () => {
  it('keeps a list of sourceRefs', () => {
    expect(undecidedOnEntry({ undecidedMessages: ['INBOX:7:42', 'INBOX:7:43'] })).toEqual(['INBOX:7:42', 'INBOX:7:43']);
  });

  it.each([
    [{}, 'undecidedMessages: expected a list of strings'],
    [{ undecidedMessages: [42] }, 'undecidedMessages: expected a list of strings'],
    [{ undecidedMessages: 'INBOX:7:42' }, 'undecidedMessages: expected a list of strings'],
  ])('refuses %j, naming the field', (data, message) => {
    expect(() => undecidedOnEntry(data)).toThrow(new WireShapeError(message));
  });
});

describe('leaseEndOnEntry', () => {
  it('reads the new lease end as a date', () => {
    expect(leaseEndOnEntry({ renewMailboxLease: '2026-12-04T10:05:00.000Z' })).toEqual(new Date('2026-12-04T10:05:00.000Z'));
  });

  it.each([
    [{}, 'renewMailboxLease: expected a string'],
    [{ renewMailboxLease: 1_796_000_000_000 }, 'renewMailboxLease: expected a string'],
    [{ renewMailboxLease: 'later' }, 'renewMailboxLease: expected a date'],
  ])('refuses %j, naming the field', (data, message) => {
    expect(() => leaseEndOnEntry(data)).toThrow(new WireShapeError(message));
  });
});
