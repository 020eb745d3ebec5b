import { describe, expect, it } from 'vitest';
import { contentTypeOf } from '../../web/src/compose/attachment-uploads.svelte';
import { draftFrom, forwardSubject, isEmailAddress, replySubject, sendActions, type OriginalEmail, type QuoteWords } from '../../web/src/compose/compose';

// What a reply, reply to all or forward starts with, and which send actions a status offers.

const VIEWER = 'user-sam';
const WORDS: QuoteWords = { from: 'From', sent: 'Sent', to: 'To', subject: 'Subject', forwarded: '-- Forwarded --', wrote: (who, when) => `On ${when}, ${who} wrote:` };
const party = (role: string, address: string, displayName: string | null, userId?: string) => ({
  role,
  address,
  displayName,
  record: userId ? { __typename: 'User' as const, id: userId } : { __typename: 'Contact' as const },
});

const incoming = {
  __typename: 'Email',
  id: 'email-1',
  subject: 'Offer for 2027',
  direction: 'INCOMING',
  occurredAt: '2026-12-01T10:00:00.000Z',
  textBody: 'Hi Sam,\nplease send the offer.',
  htmlBody: null,
  parties: [
    party('FROM', 'Ann@Customer.example', 'Ann Ek'),
    party('TO', 'sam.sales@demo.crm.test', 'Sam Sales', VIEWER),
    party('TO', 'bo@customer.example', null),
    party('CC', 'ann@customer.example', 'Ann Ek'),
    party('CC', 'cy@customer.example', 'Cy'),
  ],
  attachments: [
    { fileName: 'spec.pdf', contentType: 'application/pdf', size: 1200, sha256: 'a'.repeat(64), stored: true },
    { fileName: 'huge.iso', contentType: 'application/octet-stream', size: 9e9, sha256: null, stored: false },
  ],
} as unknown as OriginalEmail;

describe('answering an email', () => {
  it('a reply goes to the sender, quotes the original and answers it', () => {
    const draft = draftFrom('reply', incoming, VIEWER, WORDS, 'Monday');
    expect(draft).toMatchObject({ mode: 'reply', to: [{ address: 'ann@customer.example', name: 'Ann Ek' }], cc: [], subject: 'RE: Offer for 2027', inReplyToId: 'email-1', forwardOfId: null, files: [] });
    expect(draft.body).toBe('\n\nOn Monday, Ann Ek <ann@customer.example> wrote:\n> Hi Sam,\n> please send the offer.');
  });

  it('a reply to all adds everyone else once, never the viewer', () => {
    const draft = draftFrom('replyAll', incoming, VIEWER, WORDS, 'Monday');
    expect(draft.to.map((r) => r.address)).toEqual(['ann@customer.example']);
    expect(draft.cc.map((r) => r.address)).toEqual(['bo@customer.example', 'cy@customer.example']);
  });

  it('a reply to the viewer\'s own email goes to its recipients', () => {
    const own = { ...incoming, parties: [party('FROM', 'sam.sales@demo.crm.test', 'Sam Sales', VIEWER), party('TO', 'ann@customer.example', 'Ann Ek')] } as OriginalEmail;
    expect(draftFrom('reply', own, VIEWER, WORDS, 'Monday').to.map((r) => r.address)).toEqual(['ann@customer.example']);
  });

  it('a forward has no recipients, carries the stored files and quotes the headers', () => {
    const draft = draftFrom('forward', incoming, VIEWER, WORDS, 'Monday');
    expect(draft).toMatchObject({ to: [], cc: [], subject: 'FW: Offer for 2027', inReplyToId: null, forwardOfId: 'email-1' });
    expect(draft.files).toEqual([{ sha256: 'a'.repeat(64), fileName: 'spec.pdf', contentType: 'application/pdf', size: 1200 }]);
    expect(draft.body).toContain('-- Forwarded --\nFrom: Ann Ek <ann@customer.example>\nSent: Monday\nTo: sam.sales@demo.crm.test, bo@customer.example\nSubject: Offer for 2027\n\nHi Sam,');
  });

  it.each([
    ['Offer', 'RE: Offer', 'FW: Offer'],
    ['RE: Offer', 'RE: Offer', 'FW: RE: Offer'],
    ['re:Offer', 're:Offer', 'FW: re:Offer'],
    ['Fwd: Offer', 'RE: Fwd: Offer', 'Fwd: Offer'],
  ])('subject %j: reply %j, forward %j', (subject, reply, forward) => {
    expect(replySubject(subject)).toBe(reply);
    expect(forwardSubject(subject)).toBe(forward);
  });
});

describe('addresses and send actions', () => {
  it.each(['ann@example.com', 'ann.ek+crm@sub.example.co', 'åsa@exempel.se'])('%s is an address', (text) => expect(isEmailAddress(text)).toBe(true));
  it.each(['anna', 'anna at example', 'a@b', '@example.com', 'a@@example.com', 'a b@example.com', 'a@example.', '<a@example.com>'])('%s is not', (text) => expect(isEmailAddress(text)).toBe(false));

  it.each([
    ['PENDING_SEND', { retry: false, cancel: true }],
    ['SENDING', { retry: false, cancel: false }],
    ['SENT', { retry: false, cancel: false }],
    ['FAILED', { retry: true, cancel: false }],
    ['UNCERTAIN', { retry: true, cancel: true }],
    ['CANCELLED', { retry: false, cancel: false }],
    ['RECEIVED', { retry: false, cancel: false }],
  ] as const)('%s offers %j', (status, actions) => expect(sendActions(status)).toEqual(actions));
});

describe('the type a chosen file is sent as', () => {
  it.each([
    ['application/pdf', 'application/pdf'],
    ['Text/Plain; charset=UTF-8', 'text/plain'],
    ['', 'application/octet-stream'],
    ['nonsense', 'application/octet-stream'],
    [`application/${'x'.repeat(200)}`, 'application/octet-stream'],
  ])('%j as %j', (type, sent) => expect(contentTypeOf({ type })).toBe(sent));
});
