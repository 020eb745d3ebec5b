import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { countRows, failed, ok, uniqueTag, userIds } from './gql-helpers';

/** The database id inside a Relay global id (base64url of "Type:uuid"). */
const rawId = (globalId: string): string => Buffer.from(globalId, 'base64url').toString('utf8').split(':')[1];

const ACTIVITY = `
  id kind subject state direction occurredAt description visibleAs
  owner { email }
  regarding { __typename ... on Account { id name } ... on Contact { id fullName } ... on Opportunity { id } }
  parties { role address displayName resolution record { __typename ... on Contact { id } ... on Lead { id } ... on Account { id } ... on User { id email } } }`;

const LOG_CALL = `mutation($input: LogPhoneCallInput!) { logPhoneCall(input: $input) { ${ACTIVITY} phoneNumber durationMinutes } }`;
const CREATE_TASK = `mutation($input: CreateTaskInput!) { createTask(input: $input) { ${ACTIVITY} dueAt priority } }`;
const CREATE_APPOINTMENT = `mutation($input: CreateAppointmentInput!) { createAppointment(input: $input) { ${ACTIVITY} startAt endAt allDay location } }`;
const SET_REGARDING = `mutation($activityId: ID!, $regardingId: ID) { setActivityRegarding(activityId: $activityId, regardingId: $regardingId) { ${ACTIVITY} } }`;
const SET_STATE = `mutation($activityId: ID!, $state: ActivityState!) { setActivityState(activityId: $activityId, state: $state) { id state } }`;
const NODE = `query($id: ID!) { node(id: $id) { id ... on Task { subject state } } }`;

type Rec = { id: string; name?: string; fullName?: string; primaryEmail?: string | null; owner: { email: string }; businessUnit: { name: string } };

describe.each(DIALECTS)('activities made by hand on %s', (dialect) => {
  let hub: StartedHub;
  const tokens: Record<string, string> = {};
  let users: Record<string, string>;
  let salesAccounts: Rec[];
  let salesContacts: Rec[];
  let salesLeads: Rec[];
  let serviceAccount: Rec;
  const tag = uniqueTag('Act');

  const gql = (who: string, query: string, variables: Record<string, unknown> = {}) => hub.gql(query, variables, tokens[who]);
  const entries = (activityId: string, recordId?: string) =>
    countRows(hub, 'timeline_entry', `activityId = '${rawId(activityId)}'${recordId ? ` AND recordId = '${rawId(recordId)}'` : ''}`);

  beforeAll(async () => {
    hub = await startHub({ dialect });
    for (const who of ['admin', 'maria.manager', 'sam.sales', 'sara.sales', 'sven.service']) tokens[who] = await hub.login(`${who}@demo.crm.test`);
    users = await userIds(hub, tokens.admin);
    const list = async (who: string, field: string, fields: string) =>
      ok(await gql(who, `{ ${field}(first: 100) { edges { node { id ${fields} owner { email } businessUnit { name } } } } }`))[field].edges.map((e: { node: Rec }) => e.node) as Rec[];
    salesAccounts = (await list('sam.sales', 'accounts', 'name')).filter((a) => a.businessUnit.name === 'Sales');
    salesContacts = (await list('sam.sales', 'contacts', 'fullName primaryEmail')).filter((c) => c.businessUnit.name === 'Sales');
    salesLeads = (await list('sam.sales', 'leads', 'fullName')).filter((l) => l.businessUnit.name === 'Sales');
    serviceAccount = (await list('sven.service', 'accounts', 'name')).find((a) => a.businessUnit.name === 'Service')!;
    expect(salesAccounts.length).toBeGreaterThan(1);
    expect(salesContacts.length).toBeGreaterThan(1);
    expect(salesLeads.length).toBeGreaterThan(0);
  });
  afterAll(() => hub?.close());

  it('logs an outgoing call: completed, the people called as TO, the caller as FROM, on their timelines', async () => {
    const contact = salesContacts[0];
    const account = salesAccounts[0];
    const occurredAt = '2026-02-03T09:30:00.000Z';
    const call = ok(
      await gql('sam.sales', LOG_CALL, {
        input: {
          subject: `  ${tag} pricing call `,
          description: 'Asked for a quote.',
          regardingId: account.id,
          phoneNumber: '+46 70 123 45 67',
          durationMinutes: 12,
          occurredAt,
          partyIds: [contact.id, users['maria.manager@demo.crm.test']],
        },
      }),
    ).logPhoneCall;
    expect(call).toMatchObject({
      kind: 'PHONE_CALL',
      subject: `${tag} pricing call`,
      state: 'COMPLETED',
      direction: 'OUTGOING',
      occurredAt,
      description: 'Asked for a quote.',
      visibleAs: 'FULL',
      owner: { email: 'sam.sales@demo.crm.test' },
      regarding: { __typename: 'Account', id: account.id, name: account.name },
      phoneNumber: '+46 70 123 45 67',
      durationMinutes: 12,
    });
    expect(call.parties).toEqual([
      { role: 'FROM', address: 'sam.sales@demo.crm.test', displayName: 'Sam Sales', resolution: 'RESOLVED', record: { __typename: 'User', id: users['sam.sales@demo.crm.test'], email: 'sam.sales@demo.crm.test' } },
      { role: 'TO', address: contact.primaryEmail, displayName: contact.fullName, resolution: 'RESOLVED', record: { __typename: 'Contact', id: contact.id } },
      { role: 'TO', address: 'maria.manager@demo.crm.test', displayName: 'Maria Manager', resolution: 'RESOLVED', record: { __typename: 'User', id: users['maria.manager@demo.crm.test'], email: 'maria.manager@demo.crm.test' } },
    ]);
    // On the account's timeline (regarding) and the contact's (party); users have no timeline.
    expect(await entries(call.id)).toBe(2);
    expect(await entries(call.id, account.id)).toBe(1);
    expect(await entries(call.id, contact.id)).toBe(1);
  });

  it('logs an incoming call: the caller is FROM, you are TO; defaults to now', async () => {
    const contact = salesContacts[1];
    const before = Date.now();
    const call = ok(await gql('sam.sales', LOG_CALL, { input: { subject: `${tag} inbound`, direction: 'INCOMING', partyIds: [contact.id] } })).logPhoneCall;
    expect(call.direction).toBe('INCOMING');
    expect(call.parties.map((p: { role: string; record: { id: string } }) => [p.role, p.record.id])).toEqual([
      ['TO', users['sam.sales@demo.crm.test']],
      ['FROM', contact.id],
    ]);
    expect(new Date(call.occurredAt).getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(call.regarding).toBeNull();
    expect(call.phoneNumber).toBeNull();
  });

  it('creates a task: open, at its due time, with its priority', async () => {
    const dueAt = '2026-05-01T08:00:00.000Z';
    const task = ok(await gql('sam.sales', CREATE_TASK, { input: { subject: `${tag} send quote`, dueAt, priority: 'HIGH', regardingId: salesContacts[0].id } })).createTask;
    expect(task).toMatchObject({ kind: 'TASK', state: 'OPEN', direction: null, occurredAt: dueAt, dueAt, priority: 'HIGH', parties: [] });
    expect(task.regarding).toEqual({ __typename: 'Contact', id: salesContacts[0].id, fullName: salesContacts[0].fullName });

    const undated = ok(await gql('sam.sales', CREATE_TASK, { input: { subject: `${tag} call back` } })).createTask;
    expect(undated).toMatchObject({ dueAt: null, priority: 'NORMAL', regarding: null });
    expect(await entries(undated.id)).toBe(0);
  });

  it('creates an appointment: the owner organizes, attendees are REQUIRED or OPTIONAL, it happens at its start', async () => {
    const startAt = '2026-04-10T13:00:00.000Z';
    const endAt = '2026-04-10T14:00:00.000Z';
    const [contact] = salesContacts;
    const [lead] = salesLeads;
    const appointment = ok(
      await gql('sam.sales', CREATE_APPOINTMENT, {
        input: {
          subject: `${tag} demo`,
          startAt,
          endAt,
          location: 'Room 4',
          regardingId: salesAccounts[1].id,
          requiredAttendeeIds: [contact.id],
          // Listed twice: attends once, as required.
          optionalAttendeeIds: [lead.id, contact.id],
        },
      }),
    ).createAppointment;
    expect(appointment).toMatchObject({ kind: 'APPOINTMENT', state: 'OPEN', occurredAt: startAt, startAt, endAt, allDay: false, location: 'Room 4' });
    expect(appointment.parties.map((p: { role: string; record: { id: string } }) => [p.role, p.record.id])).toEqual([
      ['ORGANIZER', users['sam.sales@demo.crm.test']],
      ['REQUIRED', contact.id],
      ['OPTIONAL', lead.id],
    ]);
    expect(await entries(appointment.id)).toBe(3);
  });

  it('an appointment may not end before it starts', async () => {
    const result = await gql('sam.sales', CREATE_APPOINTMENT, { input: { subject: `${tag} bad`, startAt: '2026-04-10T14:00:00Z', endAt: '2026-04-10T13:00:00Z' } });
    failed(result, 'BAD_USER_INPUT', 'input.endAt');
    expect(await countRows(hub, 'activity', `subject = '${tag} bad'`)).toBe(0);
  });

  it.each([
    ['a blank subject', LOG_CALL, { subject: '   ' }, 'input.subject'],
    ['a call of more than a day', LOG_CALL, { subject: 'x', durationMinutes: 1441 }, 'input.durationMinutes'],
    ['a party that is not a person or organization', LOG_CALL, { subject: 'x', partyIds: ['nope'] }, 'input.partyIds[0]'],
    ['a regarding id of the wrong type', CREATE_TASK, { subject: 'x', regardingId: Buffer.from('Mailbox:01900000-0000-7000-8000-000000000000').toString('base64url') }, 'input.regardingId'],
  ])('rejects %s, naming the field', async (_name, mutation, input, field) => {
    failed(await gql('sam.sales', mutation, { input }), 'BAD_USER_INPUT', field);
  });

  it('sets the regarding record, moves the timeline entries, and clears it', async () => {
    const [contact, other] = salesContacts;
    const task = ok(await gql('sam.sales', CREATE_TASK, { input: { subject: `${tag} regarding`, regardingId: contact.id } })).createTask;
    expect(await entries(task.id, contact.id)).toBe(1);

    const moved = ok(await gql('sam.sales', SET_REGARDING, { activityId: task.id, regardingId: other.id })).setActivityRegarding;
    expect(moved.regarding).toEqual({ __typename: 'Contact', id: other.id, fullName: other.fullName });
    expect(await entries(task.id, contact.id)).toBe(0);
    expect(await entries(task.id, other.id)).toBe(1);

    const cleared = ok(await gql('sam.sales', SET_REGARDING, { activityId: task.id, regardingId: null })).setActivityRegarding;
    expect(cleared.regarding).toBeNull();
    expect(await entries(task.id)).toBe(0);

    // A party's timeline entry stays when the regarding record goes.
    const call = ok(await gql('sam.sales', LOG_CALL, { input: { subject: `${tag} both`, regardingId: contact.id, partyIds: [contact.id] } })).logPhoneCall;
    ok(await gql('sam.sales', SET_REGARDING, { activityId: call.id, regardingId: null }));
    expect(await entries(call.id, contact.id)).toBe(1);
  });

  it('changes a task: subject, description, due time and priority; a field left out stays; null clears the due time', async () => {
    const UPDATE_TASK = 'mutation($id: ID!, $input: UpdateTaskInput!) { updateTask(activityId: $id, input: $input) { id subject description dueAt priority occurredAt state } }';
    const task = ok(await gql('sam.sales', CREATE_TASK, { input: { subject: `${tag} to change`, dueAt: '2026-05-01T08:00:00.000Z', regardingId: salesContacts[0].id } })).createTask;
    const changed = ok(await gql('sam.sales', UPDATE_TASK, { id: task.id, input: { subject: `  ${tag} changed `, description: 'Two pages.', dueAt: '2026-05-03T08:00:00.000Z', priority: 'HIGH' } })).updateTask;
    expect(changed).toEqual({ id: task.id, subject: `${tag} changed`, description: 'Two pages.', dueAt: '2026-05-03T08:00:00.000Z', priority: 'HIGH', occurredAt: '2026-05-03T08:00:00.000Z', state: 'OPEN' });
    // The timeline entry moves with the due time.
    const [entry] = await hub.database.dataSource.query('SELECT occurredAt FROM timeline_entry WHERE activityId = ?', [rawId(task.id)]);
    expect(new Date(typeof entry.occurredAt === 'string' ? `${entry.occurredAt.replace(' ', 'T')}Z` : entry.occurredAt).toISOString()).toBe('2026-05-03T08:00:00.000Z');
    const kept = ok(await gql('sam.sales', UPDATE_TASK, { id: task.id, input: { dueAt: null } })).updateTask;
    expect(kept).toMatchObject({ subject: `${tag} changed`, description: 'Two pages.', dueAt: null, priority: 'HIGH' });

    failed(await gql('sam.sales', UPDATE_TASK, { id: task.id, input: { subject: null } }), 'BAD_USER_INPUT', 'input.subject');
    failed(await gql('sam.sales', UPDATE_TASK, { id: task.id, input: { subject: '   ' } }), 'BAD_USER_INPUT', 'input.subject');
    failed(await gql('sam.sales', UPDATE_TASK, { id: task.id, input: { priority: null } }), 'BAD_USER_INPUT', 'input.priority');
    failed(await gql('sam.sales', UPDATE_TASK, { id: task.id, input: { description: 'x'.repeat(20_001) } }), 'BAD_USER_INPUT', 'input.description');
    // The id of something else is refused by its type (readable in the id itself); a task the caller may not see is NOT_FOUND, as for none at all.
    const call = ok(await gql('sam.sales', LOG_CALL, { input: { subject: `${tag} a call` } })).logPhoneCall;
    failed(await gql('sam.sales', UPDATE_TASK, { id: call.id, input: { subject: 'x' } }), 'BAD_USER_INPUT', 'activityId');
    const error = failed(await gql('sven.service', UPDATE_TASK, { id: task.id, input: { subject: `${tag} sven was here` } }), 'NOT_FOUND', 'activityId');
    expect(JSON.stringify(error)).not.toContain(`${tag} changed`);
    expect(ok(await gql('sam.sales', NODE, { id: task.id })).node.subject).toBe(`${tag} changed`);
  });

  it('moves an appointment: its times, place and timeline follow; it may not end before it starts', async () => {
    const UPDATE_APPOINTMENT = 'mutation($id: ID!, $input: UpdateAppointmentInput!) { updateAppointment(activityId: $id, input: $input) { id subject startAt endAt allDay location occurredAt } }';
    const appointment = ok(await gql('sam.sales', CREATE_APPOINTMENT, { input: { subject: `${tag} to move`, startAt: '2026-04-10T13:00:00.000Z', endAt: '2026-04-10T14:00:00.000Z', location: 'Room 4', requiredAttendeeIds: [salesContacts[0].id] } })).createAppointment;
    const moved = ok(await gql('sam.sales', UPDATE_APPOINTMENT, { id: appointment.id, input: { startAt: '2026-04-11T09:00:00.000Z', endAt: '2026-04-11T10:30:00.000Z', location: 'Teams' } })).updateAppointment;
    expect(moved).toEqual({ id: appointment.id, subject: `${tag} to move`, startAt: '2026-04-11T09:00:00.000Z', endAt: '2026-04-11T10:30:00.000Z', allDay: false, location: 'Teams', occurredAt: '2026-04-11T09:00:00.000Z' });
    expect(ok(await gql('sam.sales', UPDATE_APPOINTMENT, { id: appointment.id, input: { location: null, subject: `${tag} moved` } })).updateAppointment).toMatchObject({ location: null, subject: `${tag} moved`, startAt: '2026-04-11T09:00:00.000Z' });

    failed(await gql('sam.sales', UPDATE_APPOINTMENT, { id: appointment.id, input: { endAt: '2026-04-11T08:00:00.000Z' } }), 'BAD_USER_INPUT', 'input.endAt');
    failed(await gql('sam.sales', UPDATE_APPOINTMENT, { id: appointment.id, input: { startAt: '2026-04-12T08:00:00.000Z' } }), 'BAD_USER_INPUT', 'input.startAt');
    failed(await gql('sam.sales', UPDATE_APPOINTMENT, { id: appointment.id, input: { startAt: null } }), 'BAD_USER_INPUT', 'input.startAt');
    failed(await gql('sam.sales', UPDATE_APPOINTMENT, { id: appointment.id, input: { location: 'x'.repeat(401) } }), 'BAD_USER_INPUT', 'input.location');
    failed(await gql('sven.service', UPDATE_APPOINTMENT, { id: appointment.id, input: { subject: 'x' } }), 'NOT_FOUND', 'activityId');
    expect(ok(await gql('sam.sales', `query($id: ID!) { node(id: $id) { ... on Appointment { startAt endAt } } }`, { id: appointment.id })).node).toEqual({ startAt: '2026-04-11T09:00:00.000Z', endAt: '2026-04-11T10:30:00.000Z' });
  });

  it('keeps an all-day appointment as whole UTC days, and refuses times that would name another day elsewhere', async () => {
    const UPDATE_APPOINTMENT = 'mutation($id: ID!, $input: UpdateAppointmentInput!) { updateAppointment(activityId: $id, input: $input) { id startAt endAt allDay occurredAt } }';
    const input = (startAt: string, endAt: string) => ({ input: { subject: `${tag} fair`, startAt, endAt, allDay: true, requiredAttendeeIds: [salesContacts[0].id] } });
    const fair = ok(await gql('sam.sales', CREATE_APPOINTMENT, input('2026-05-20T00:00:00Z', '2026-05-22T00:00:00Z'))).createAppointment;
    expect(fair).toMatchObject({ allDay: true, startAt: '2026-05-20T00:00:00.000Z', endAt: '2026-05-22T00:00:00.000Z', occurredAt: '2026-05-20T00:00:00.000Z' });

    // A browser's local midnight (Stockholm, New York) is another day on the other side of Greenwich: refused, with the field and the reason.
    const local = failed(await gql('sam.sales', CREATE_APPOINTMENT, input('2026-05-19T22:00:00Z', '2026-05-21T22:00:00Z')), 'BAD_USER_INPUT', 'input.startAt');
    expect(local.extensions?.reason).toBe('ALL_DAY_NOT_WHOLE_DAYS');
    failed(await gql('sam.sales', CREATE_APPOINTMENT, input('2026-05-20T00:00:00Z', '2026-05-21T04:00:00Z')), 'BAD_USER_INPUT', 'input.endAt');
    // No day at all: it ends when it starts.
    failed(await gql('sam.sales', CREATE_APPOINTMENT, input('2026-05-20T00:00:00Z', '2026-05-20T00:00:00Z')), 'BAD_USER_INPUT', 'input.endAt');

    // A timed meeting switched to all day keeps its times only if they are whole days; else the switch is what is refused.
    const meeting = ok(await gql('sam.sales', CREATE_APPOINTMENT, { input: { subject: `${tag} workshop`, startAt: '2026-06-01T09:00:00Z', endAt: '2026-06-01T11:00:00Z' } })).createAppointment;
    failed(await gql('sam.sales', UPDATE_APPOINTMENT, { id: meeting.id, input: { allDay: true } }), 'BAD_USER_INPUT', 'input.allDay');
    failed(await gql('sam.sales', UPDATE_APPOINTMENT, { id: meeting.id, input: { allDay: true, startAt: '2026-06-01T00:00:00Z' } }), 'BAD_USER_INPUT', 'input.allDay');
    const whole = ok(await gql('sam.sales', UPDATE_APPOINTMENT, { id: meeting.id, input: { allDay: true, startAt: '2026-06-01T00:00:00Z', endAt: '2026-06-02T00:00:00Z' } })).updateAppointment;
    expect(whole).toEqual({ id: meeting.id, allDay: true, startAt: '2026-06-01T00:00:00.000Z', endAt: '2026-06-02T00:00:00.000Z', occurredAt: '2026-06-01T00:00:00.000Z' });
    // Moving an all-day appointment by a time of day is refused; switching it back to a timed one takes any times.
    failed(await gql('sam.sales', UPDATE_APPOINTMENT, { id: meeting.id, input: { startAt: '2026-06-01T08:00:00Z' } }), 'BAD_USER_INPUT', 'input.startAt');
    expect(ok(await gql('sam.sales', UPDATE_APPOINTMENT, { id: meeting.id, input: { allDay: false, startAt: '2026-06-01T08:00:00Z', endAt: '2026-06-01T09:00:00Z' } })).updateAppointment).toMatchObject({ allDay: false, startAt: '2026-06-01T08:00:00.000Z' });
    expect(ok(await gql('sam.sales', `query($id: ID!) { node(id: $id) { ... on Appointment { startAt endAt allDay } } }`, { id: fair.id })).node).toEqual({ startAt: '2026-05-20T00:00:00.000Z', endAt: '2026-05-22T00:00:00.000Z', allDay: true });
  });

  it('completes, cancels and reopens', async () => {
    const task = ok(await gql('sam.sales', CREATE_TASK, { input: { subject: `${tag} states` } })).createTask;
    for (const state of ['COMPLETED', 'CANCELLED', 'OPEN']) {
      expect(ok(await gql('sam.sales', SET_STATE, { activityId: task.id, state })).setActivityState).toEqual({ id: task.id, state });
    }
    expect(ok(await gql('sam.sales', NODE, { id: task.id })).node).toEqual({ id: task.id, subject: `${tag} states`, state: 'OPEN' });
  });

  it('a record’s timeline shows each change of an activity at once, in its new place', async () => {
    const UPDATE_TASK = 'mutation($id: ID!, $input: UpdateTaskInput!) { updateTask(activityId: $id, input: $input) { id } }';
    // Only the fields a plain list shows: the page that reads timeline entries alone, with their copies of the activity.
    const TIMELINE = 'query($id: ID!) { timeline(recordId: $id, first: 3) { edges { node { id kind subject state occurredAt direction } } } }';
    const contact = salesContacts[1];
    const top = async () => ok(await gql('sam.sales', TIMELINE, { id: contact.id })).timeline.edges.map((e: { node: Rec }) => e.node);
    const later = ok(await gql('sam.sales', CREATE_TASK, { input: { subject: `${tag} later`, dueAt: '2031-01-01T08:00:00.000Z', regardingId: contact.id } })).createTask;
    const task = ok(await gql('sam.sales', CREATE_TASK, { input: { subject: `${tag} copied`, dueAt: '2030-01-01T08:00:00.000Z', regardingId: contact.id } })).createTask;
    const node = (id: string, subject: string, state: string, occurredAt: string) => ({ id, kind: 'TASK', subject, state, occurredAt, direction: null });
    expect((await top()).slice(0, 2)).toEqual([node(later.id, `${tag} later`, 'OPEN', '2031-01-01T08:00:00.000Z'), node(task.id, `${tag} copied`, 'OPEN', '2030-01-01T08:00:00.000Z')]);
    ok(await gql('sam.sales', UPDATE_TASK, { id: task.id, input: { subject: `${tag} renamed`, dueAt: '2032-01-01T08:00:00.000Z' } }));
    ok(await gql('sam.sales', SET_STATE, { activityId: task.id, state: 'COMPLETED' }));
    // Renamed, completed, and moved ahead of the other.
    expect((await top()).slice(0, 2)).toEqual([node(task.id, `${tag} renamed`, 'COMPLETED', '2032-01-01T08:00:00.000Z'), node(later.id, `${tag} later`, 'OPEN', '2031-01-01T08:00:00.000Z')]);
    // Moved off this record, it leaves its timeline.
    ok(await gql('sam.sales', SET_REGARDING, { activityId: task.id, regardingId: salesContacts[2].id }));
    expect((await top())[0].id).toBe(later.id);
  });

  describe('access, as in Dynamics', () => {
    it('a user of another unit cannot link to a record they cannot read, in any way', async () => {
      const salesAccount = salesAccounts[0];
      failed(await gql('sven.service', CREATE_TASK, { input: { subject: `${tag} sven`, regardingId: salesAccount.id } }), 'NOT_FOUND', 'input.regardingId');
      failed(await gql('sven.service', LOG_CALL, { input: { subject: `${tag} sven`, partyIds: [salesContacts[0].id] } }), 'NOT_FOUND', 'input.partyIds[0]');
      const own = ok(await gql('sven.service', CREATE_TASK, { input: { subject: `${tag} sven own`, regardingId: serviceAccount.id } })).createTask;
      const error = failed(await gql('sven.service', SET_REGARDING, { activityId: own.id, regardingId: salesAccount.id }), 'NOT_FOUND', 'regardingId');
      expect(JSON.stringify(error)).not.toContain(salesAccount.name);
      expect(await countRows(hub, 'activity', `subject = '${tag} sven'`)).toBe(0);
    });

    it('activities of another unit are invisible; a colleague’s can be read but not changed', async () => {
      const svens = ok(await gql('sven.service', CREATE_TASK, { input: { subject: `${tag} service only` } })).createTask;
      expect(ok(await gql('sam.sales', NODE, { id: svens.id })).node).toBeNull();
      failed(await gql('sam.sales', SET_STATE, { activityId: svens.id, state: 'COMPLETED' }), 'NOT_FOUND', 'activityId');

      const marias = ok(await gql('maria.manager', CREATE_TASK, { input: { subject: `${tag} maria's` } })).createTask;
      expect(ok(await gql('sam.sales', NODE, { id: marias.id })).node.subject).toBe(`${tag} maria's`);
      failed(await gql('sam.sales', SET_REGARDING, { activityId: marias.id, regardingId: salesAccounts[0].id }), 'FORBIDDEN');
      failed(await gql('sam.sales', SET_STATE, { activityId: marias.id, state: 'CANCELLED' }), 'FORBIDDEN');
    });

    it('a salesperson creates activities only for themselves; a manager for the unit', async () => {
      failed(await gql('sam.sales', CREATE_TASK, { input: { subject: `${tag} for sara`, ownerId: users['sara.sales@demo.crm.test'] } }), 'FORBIDDEN', 'input.ownerId');
      const forSam = ok(await gql('maria.manager', CREATE_TASK, { input: { subject: `${tag} for sam`, ownerId: users['sam.sales@demo.crm.test'] } })).createTask;
      expect(forSam.owner).toEqual({ email: 'sam.sales@demo.crm.test' });
      // Now it is Sam's: he may change it.
      ok(await gql('sam.sales', SET_STATE, { activityId: forSam.id, state: 'COMPLETED' }));
    });

    it('the sync service key creates nothing by hand', async () => {
      failed(await hub.gql(CREATE_TASK, { input: { subject: `${tag} sync` } }, hub.syncServiceKey), 'FORBIDDEN');
    });
  });
});
