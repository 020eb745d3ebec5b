import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ActivityEvent } from '../../api/src/activities/activity-events';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { gmailMessage, outlookMessage, TRACK_EMAILS, type Address, type TrackItem } from '../support/mail-fixtures';
import { rawId } from '../support/mail-setup';
import { ADMIN, countRows, ok, uniqueTag } from './gql-helpers';

// Meeting invitations arrive as mail (text/calendar parts, RFC 5546 iTIP); the sync engine parses
// them and hands them to trackEmails beside the message.

interface Calendar {
  method: string;
  uid: string;
  sequence?: number;
  summary?: string | null;
  location?: string | null;
  description?: string | null;
  start?: string | null;
  end?: string | null;
  allDay?: boolean;
  organizer?: Address | null;
  attendees?: { address: string; name?: string; role?: string; partstat?: string }[];
  status?: string | null;
}

const TRACK = TRACK_EMAILS.replace('index messageId outcome', 'index messageId outcome appointmentId');
const APPOINTMENTS = `query($id: ID!) { timeline(recordId: $id, filter: { kinds: [APPOINTMENT] }, first: 100) { edges { node { id
  ... on Appointment { subject state startAt endAt allDay location icalUid description regarding { __typename ... on Account { id } }
    parties { role address resolution record { __typename ... on Contact { id } ... on User { email } } } } } } } }`;

describe.each(DIALECTS)('meeting invitations in mail on %s', (dialect) => {
  let hub: StartedHub;
  let admin: string;
  const mailboxes: Record<string, string> = {};
  let contacts: { id: string; fullName: string; primaryEmail: string }[];
  const events: ActivityEvent[] = [];
  const sam = { address: 'sam.sales@demo.crm.test', name: 'Sam Sales' };
  const sara = { address: 'sara.sales@demo.crm.test', name: 'Sara Säljare' };
  const maria = { address: 'maria.manager@demo.crm.test', name: 'Maria Manager' };
  const asContact = (c: (typeof contacts)[number]) => ({ address: c.primaryEmail, name: c.fullName });

  const track = async (mailbox: string, items: (TrackItem & { calendar?: Calendar })[]) =>
    ok(await hub.gql(TRACK, { mailboxId: mailboxes[mailbox], input: { items } }, hub.syncServiceKey)).trackEmails.items as {
      outcome: string;
      activityId: string | null;
      appointmentId: string | null;
      salvaged: string[];
    }[];
  const appointmentsOf = async (recordId: string) => ok(await hub.gql(APPOINTMENTS, { id: recordId }, admin)).timeline.edges.map((e: { node: unknown }) => e.node) as any[];
  const invitation = (calendar: Calendar, options: { from: Address; to: Address[]; subject?: string }) => ({
    ...outlookMessage({ from: options.from, to: options.to, subject: options.subject ?? calendar.summary ?? 'Invitation' }),
    headers: [{ name: 'Content-Type', value: 'multipart/alternative; boundary="_000_"' }],
    calendar,
  });
  const withUid = (uid: string) => countRows(hub, 'appointment_detail', `icalUid = '${uid}'`);

  beforeAll(async () => {
    hub = await startHub({ dialect });
    hub.services.events.subscribe((e) => events.push(e));
    admin = await hub.login(ADMIN);
    for (const m of ok(await hub.gql('{ mailboxes { id address } }', {}, hub.syncServiceKey)).mailboxes) mailboxes[m.address] = m.id;
    contacts = ok(await hub.gql('{ contacts(first: 12) { edges { node { id fullName primaryEmail } } } }', {}, admin)).contacts.edges.map((e: any) => e.node);
    for (const address of [sam.address, sara.address]) {
      ok(await hub.gql('mutation($id: ID!) { updateMailbox(id: $id, input: { trackingFilter: ALL }) { id } }', { id: mailboxes[address] }, admin));
    }
  });
  afterAll(() => hub?.close());

  it('a REQUEST creates the Appointment; a higher SEQUENCE moves the same one; an older one and a REPLY change nothing; CANCEL cancels it', async () => {
    const uid = `${uniqueTag()}@google.com`;
    const [customer, colleague] = [contacts[0], contacts[1]];
    const request = (sequence: number, start: string, end: string, location: string, attendees: Calendar['attendees']) =>
      invitation(
        { method: 'REQUEST', uid, sequence, summary: 'Quarterly review', location, description: 'Agenda: numbers', start, end, organizer: sam, attendees, status: 'CONFIRMED' },
        { from: sam, to: attendees!.map((a) => ({ address: a.address })) },
      );
    const everyone = [
      { address: sam.address, role: 'CHAIR', partstat: 'ACCEPTED' },
      { address: customer.primaryEmail, name: customer.fullName, role: 'REQ-PARTICIPANT', partstat: 'NEEDS-ACTION' },
      { address: colleague.primaryEmail, role: 'OPT-PARTICIPANT' },
      { address: 'room-1@resources.demo.crm.test', role: 'NON-PARTICIPANT' },
    ];

    const [created] = await track(sam.address, [request(0, '2026-05-04T09:00:00Z', '2026-05-04T10:00:00Z', 'Room 1', everyone)]);
    expect(created).toMatchObject({ outcome: 'TRACKED', appointmentId: expect.any(String) });
    const appointmentId = created.appointmentId!;
    await hub.liveDelivered();
    expect(events).toContainEqual(expect.objectContaining({ type: 'ACTIVITY_CREATED', activityId: rawId(appointmentId) }));
    const [shown] = await appointmentsOf(customer.id);
    expect(shown).toEqual({
      id: appointmentId,
      subject: 'Quarterly review',
      state: 'OPEN',
      startAt: '2026-05-04T09:00:00.000Z',
      endAt: '2026-05-04T10:00:00.000Z',
      allDay: false,
      location: 'Room 1',
      icalUid: uid,
      description: 'Agenda: numbers',
      regarding: null,
      parties: [
        { role: 'ORGANIZER', address: sam.address, resolution: 'RESOLVED', record: { __typename: 'User', email: sam.address } },
        { role: 'REQUIRED', address: customer.primaryEmail, resolution: 'RESOLVED', record: { __typename: 'Contact', id: customer.id } },
        { role: 'OPTIONAL', address: colleague.primaryEmail, resolution: 'RESOLVED', record: { __typename: 'Contact', id: colleague.id } },
      ],
    });
    expect((await appointmentsOf(colleague.id)).map((a) => a.id)).toEqual([appointmentId]);

    // The organizer moves it and drops the optional attendee: the same activity changes, and leaves that timeline.
    const [moved] = await track(sam.address, [request(1, '2026-05-04T11:00:00Z', '2026-05-04T12:30:00Z', 'Room 2', everyone.filter((a) => a.role !== 'OPT-PARTICIPANT'))]);
    expect(moved).toMatchObject({ outcome: 'TRACKED', appointmentId });
    await hub.liveDelivered();
    expect(events).toContainEqual(expect.objectContaining({ type: 'ACTIVITY_UPDATED', activityId: rawId(appointmentId) }));
    expect((await appointmentsOf(customer.id))[0]).toMatchObject({ id: appointmentId, startAt: '2026-05-04T11:00:00.000Z', endAt: '2026-05-04T12:30:00.000Z', location: 'Room 2', state: 'OPEN' });
    expect(await appointmentsOf(colleague.id)).toEqual([]);

    // A copy of the first invitation arriving late (another Message-ID, older SEQUENCE) changes nothing.
    const updates = events.length;
    const [stale] = await track(sam.address, [request(0, '2026-05-04T15:00:00Z', '2026-05-04T16:00:00Z', 'Room 9', everyone)]);
    expect(stale).toMatchObject({ outcome: 'TRACKED', appointmentId });
    expect(stale.salvaged.join(' ')).toMatch(/SEQUENCE 0 is older/);
    expect((await appointmentsOf(customer.id))[0]).toMatchObject({ startAt: '2026-05-04T11:00:00.000Z', location: 'Room 2' });
    await hub.liveDelivered();
    expect(events.slice(updates).filter((e) => e.activityId === rawId(appointmentId))).toEqual([]);

    // The customer's answer is tracked as email and changes nothing.
    const [reply] = await track(sam.address, [
      invitation({ method: 'REPLY', uid, sequence: 1, attendees: [{ address: customer.primaryEmail, partstat: 'DECLINED' }] }, { from: asContact(customer), to: [sam], subject: 'Declined: Quarterly review' }),
    ]);
    expect(reply.outcome).toBe('TRACKED');
    expect((await appointmentsOf(customer.id))[0]).toMatchObject({ state: 'OPEN', location: 'Room 2' });

    const [cancelled] = await track(sam.address, [
      invitation({ method: 'CANCEL', uid, sequence: 2, summary: 'Quarterly review', organizer: sam, attendees: everyone, status: 'CANCELLED' }, { from: sam, to: [asContact(customer)], subject: 'Canceled: Quarterly review' }),
    ]);
    expect(cancelled).toMatchObject({ outcome: 'TRACKED', appointmentId });
    expect((await appointmentsOf(customer.id))[0]).toMatchObject({ id: appointmentId, state: 'CANCELLED', startAt: '2026-05-04T11:00:00.000Z' });
    expect(await withUid(uid)).toBe(1);
  });

  it('a replayed batch and the same invitation seen in two mailboxes make one appointment', async () => {
    const customer = contacts[2];
    const uid = `040000008200E00074C5B7101A82E008000000${uniqueTag().toUpperCase()}`;
    const message = invitation(
      { method: 'REQUEST', uid, sequence: 0, summary: 'Kick-off', start: '2026-06-01T08:00:00Z', end: '2026-06-01T09:00:00Z', organizer: asContact(customer), attendees: [{ address: sam.address }, { address: sara.address }] },
      { from: asContact(customer), to: [sam, sara] },
    );
    const [viaSara] = await track(sara.address, [message]);
    const [viaSam] = await track(sam.address, [{ ...message }]);
    const [replayed] = await track(sam.address, [{ ...message }]);
    expect(viaSara).toMatchObject({ outcome: 'TRACKED', appointmentId: expect.any(String) });
    expect(viaSam).toMatchObject({ outcome: 'LINKED', appointmentId: viaSara.appointmentId });
    expect(replayed).toMatchObject({ outcome: 'DUPLICATE', appointmentId: viaSara.appointmentId });
    expect(await withUid(uid)).toBe(1);
    expect((await appointmentsOf(customer.id)).map((a) => a.id)).toEqual([viaSara.appointmentId]);

    // The organizer's client sent each attendee their own copy (two Message-IDs), tracked at the same moment.
    const second = `${uniqueTag()}@calendar.example`;
    const copy = (to: Address) =>
      invitation({ method: 'REQUEST', uid: second, sequence: 3, summary: 'Workshop', start: '2026-06-02T08:00:00Z', end: '2026-06-02T12:00:00Z', organizer: asContact(customer), attendees: [{ address: sam.address }, { address: sara.address }] }, { from: asContact(customer), to: [to] });
    const [[a], [b]] = await Promise.all([track(sam.address, [copy(sam)]), track(sara.address, [copy(sara)])]);
    expect(a.appointmentId).toBeTruthy();
    expect(b.appointmentId).toBe(a.appointmentId);
    expect(await withUid(second)).toBe(1);
  });

  it('a filtered invitation creates nothing; one without a start is tracked as email with the problem named', async () => {
    // Maria's mailbox keeps the default filter: a stranger's invitation is not a response to CRM email.
    const uid = `${uniqueTag()}@spam.example`;
    const unsolicited = invitation(
      { method: 'REQUEST', uid, summary: 'Webinar', start: '2026-07-01T10:00:00Z', organizer: { address: 'events@spam.example' }, attendees: [{ address: maria.address }] },
      { from: { address: 'events@spam.example' }, to: [maria] },
    );
    const [filtered] = await track(maria.address, [unsolicited]);
    expect(filtered).toMatchObject({ outcome: 'FILTERED', appointmentId: null });
    expect((await track(maria.address, [{ ...unsolicited }]))[0]).toMatchObject({ outcome: 'DUPLICATE', appointmentId: null });
    expect(await withUid(uid)).toBe(0);

    const broken = `${uniqueTag()}@calendar.example`;
    const [noStart] = await track(sam.address, [
      invitation({ method: 'REQUEST', uid: broken, summary: 'When?', start: 'next Tuesday-ish', organizer: { address: 'mailto:not an address' }, attendees: [{ address: sam.address }] }, { from: asContact(contacts[3]), to: [sam] }),
    ]);
    expect(noStart).toMatchObject({ outcome: 'TRACKED', appointmentId: null });
    expect(noStart.salvaged.filter((s) => s.startsWith('INVALID_CALENDAR'))).toEqual([
      expect.stringMatching(/start "next Tuesday-ish" is not a time.*dropped addresses.*no start time/),
    ]);
    expect(await withUid(broken)).toBe(0);
  });

  it('the appointment regards what its email regards', async () => {
    const account = ok(await hub.gql('{ accounts(first: 1) { edges { node { id } } } }', {}, admin)).accounts.edges[0].node;
    const folder = `Customers/${uniqueTag()}`;
    ok(await hub.gql('mutation($m: ID!, $input: FolderTrackingRuleInput!) { setFolderTrackingRule(mailboxId: $m, input: $input) { folder } }', { m: mailboxes[sam.address], input: { folder, regardingId: account.id } }, admin));
    const uid = `${uniqueTag()}@calendar.example`;
    const [filed] = await track(sam.address, [
      { ...invitation({ method: 'PUBLISH', uid, summary: 'Account planning', start: '2026-09-01T13:00:00Z', end: '2026-09-01T14:00:00Z', organizer: sam, attendees: [] }, { from: sam, to: [sara] }), folder },
    ]);
    const [shown] = await appointmentsOf(account.id);
    expect(shown).toMatchObject({ id: filed.appointmentId, subject: 'Account planning', regarding: { __typename: 'Account', id: account.id } });
  });

  it('a cancellation of a meeting never seen creates it cancelled; an all-day event lasts its day', async () => {
    const customer = contacts[4];
    const uid = `${uniqueTag()}@outlook.example`;
    const [cancelled] = await track(sam.address, [
      invitation({ method: 'CANCEL', uid, sequence: 1, summary: 'Site visit', start: '2026-08-10', allDay: true, organizer: asContact(customer), attendees: [{ address: sam.address }] }, { from: asContact(customer), to: [sam] }),
    ]);
    expect(cancelled.appointmentId).toBeTruthy();
    expect((await appointmentsOf(customer.id)).find((a) => a.id === cancelled.appointmentId)).toMatchObject({
      state: 'CANCELLED',
      allDay: true,
      startAt: '2026-08-10T00:00:00.000Z',
      endAt: '2026-08-11T00:00:00.000Z',
    });
    // An older REQUEST does not bring it back; a newer one does.
    const request = (sequence: number) =>
      invitation({ method: 'REQUEST', uid, sequence, summary: 'Site visit', start: '2026-08-12', allDay: true, organizer: asContact(customer), attendees: [{ address: sam.address }] }, { from: asContact(customer), to: [sam] });
    await track(sam.address, [request(0)]);
    expect((await appointmentsOf(customer.id)).find((a) => a.id === cancelled.appointmentId).state).toBe('CANCELLED');
    await track(sam.address, [gmailMessage({ from: asContact(customer), to: [sam], subject: 'unrelated' }), request(2)]);
    expect((await appointmentsOf(customer.id)).find((a) => a.id === cancelled.appointmentId)).toMatchObject({ state: 'OPEN', startAt: '2026-08-12T00:00:00.000Z' });
  });
});
