import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessService } from '../../api/src/access/access.service';
import { AppointmentDetail } from '../../api/src/activities/activity-details.entity';
import { ActivityKind, ActivityState, Direction, EmailStatus, PartyResolution, PartyRole, PrivacyLevel } from '../../api/src/activities/activity-enums';
import { ActivityMailbox } from '../../api/src/activities/activity-mailbox.entity';
import { checkActivitySearchFilter, MAX_KINDS } from '../../api/src/activities/activity-search-rules';
import { activitySearchPageQuery } from '../../api/src/activities/activity-search.service';
import { ActivityWriter, type NewActivity, type NewParty } from '../../api/src/activities/activity-writer';
import { EmailMessage } from '../../api/src/activities/email-message.entity';
import { messageIdHash } from '../../api/src/activities/message-id';
import { parseGlobalId, toGlobalId } from '../../api/src/common/global-id';
import { newId } from '../../api/src/common/ids';
import { User } from '../../api/src/identity/user.entity';
import { systemClock } from '../../api/src/platform/clock';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { failed, ok, uniqueTag } from './gql-helpers';

const ACTIVITIES = `query($filter: ActivitySearchFilterInput, $first: Int, $after: String) {
  activities(filter: $filter, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id kind subject visibleAs } }
  }
}`;

const RICH = `query($filter: ActivitySearchFilterInput, $first: Int) {
  activities(filter: $filter, first: $first) { edges { node {
    id subject occurredAt visibleAs
    parties { role address record { ... on Contact { fullName } } }
    regarding { __typename }
    owner { fullName }
    ... on Email { status preview messageId }
    ... on Appointment { icalUid }
  } } }
}`;

type Node = { id: string; kind: ActivityKind; subject: string | null; visibleAs: PrivacyLevel };
type Connection = { totalCount: number; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null }; edges: { cursor: string; node: Node }[] };
type Person = { id: string; businessUnitId: string };

const BASE = Date.UTC(2032, 5, 1);
const at = (hours: number) => new Date(BASE + hours * 3_600_000);
const rawId = (globalId: string) => parseGlobalId(globalId)!.id;
const KIND_TYPE = { EMAIL: 'Email', APPOINTMENT: 'Appointment', TASK: 'Task', PHONE_CALL: 'PhoneCall' } as const;

describe.each(DIALECTS)('activities(filter, first, after) on %s', (dialect) => {
  let hub: StartedHub;
  const tokens: Record<string, string> = {};
  const people: Record<string, Person> = {};
  // Every subject carries the tag, so `search: tag` selects exactly this suite's activities.
  const tag = uniqueTag('AS');
  const act: Record<string, string> = {};
  /** The bulk activities in (occurredAt desc, id desc) order, as global ids. */
  let bulkOrder: string[] = [];
  let samMailbox: string;
  const messageIds = { stranger: `<stranger-${tag}@unknown.example>`, sven: `sven-${tag}@service.example`, private: `private-${tag}@demo.crm.test` };
  const icalUid = `uid-${tag}@calendar.example`;

  const search = async (who: string, filter: Record<string, unknown>, extra: Record<string, unknown> = {}): Promise<Connection> =>
    ok(await hub.gql(ACTIVITIES, { filter, first: 100, ...extra }, tokens[who])).activities;
  const ids = (c: Connection) => c.edges.map((e) => e.node.id);
  const named = (...names: string[]) => names.map((n) => act[n]);

  beforeAll(async () => {
    hub = await startHub({ dialect });
    for (const who of ['admin', 'maria.manager', 'sam.sales', 'sara.sales', 'sven.service']) tokens[who] = await hub.login(`${who}@demo.crm.test`);
    const users = ok(await hub.gql('{ users { id email businessUnit { id } } }', {}, tokens.admin)).users as { id: string; email: string; businessUnit: { id: string } }[];
    for (const u of users) people[u.email.split('@')[0]] = { id: rawId(u.id), businessUnitId: rawId(u.businessUnit.id) };
    samMailbox = ok(await hub.gql('{ mailboxes { id } }', {}, tokens['sam.sales'])).mailboxes[0].id;

    const items: { activity: NewActivity; parties: NewParty[] }[] = [];
    const emails: Partial<EmailMessage>[] = [];
    const add = (name: string, o: { kind: ActivityKind; subject: string; owner: string; at: Date; direction?: Direction; description?: string; parties?: NewParty[] }): string => {
      const owner = people[o.owner];
      const id = newId();
      items.push({
        activity: {
          id, kind: o.kind, subject: o.subject, regardingKind: null, regardingId: null, state: ActivityState.COMPLETED, direction: o.direction ?? null,
          occurredAt: o.at, description: o.description ?? null, visibility: PrivacyLevel.FULL,
          ownerId: owner.id, businessUnitId: owner.businessUnitId, createdById: owner.id, modifiedById: owner.id,
        },
        parties: o.parties ?? [],
      });
      act[name] = toGlobalId(KIND_TYPE[o.kind], id);
      return id;
    };
    const email = (id: string, messageId: string, preview: string | null, receivedAt: Date) =>
      emails.push({ activityId: id, messageId: messageId.replace(/^<|>$/g, ''), messageIdHash: messageIdHash(messageId), status: EmailStatus.RECEIVED, preview, receivedAt });
    const bare = (role: PartyRole, address: string): NewParty => ({ role, address, displayName: null, partyKind: null, partyId: null, resolution: PartyResolution.UNRESOLVED });

    // Mail from a sender with no record: on no timeline at all.
    const stranger = add('stranger', {
      kind: ActivityKind.EMAIL, subject: `Invoice question ${tag}`, owner: 'sam.sales', at: at(20), direction: Direction.INCOMING,
      parties: [bare(PartyRole.FROM, `nobody-${tag}@unknown.example`), bare(PartyRole.TO, 'sam.sales@demo.crm.test')],
    });
    email(stranger, messageIds.stranger, 'Kindly see the attached pro-forma', at(20));
    const sven = add('sven', { kind: ActivityKind.EMAIL, subject: `Service visit report ${tag}`, owner: 'sven.service', at: at(19), direction: Direction.OUTGOING });
    email(sven, messageIds.sven, 'Replaced the pump', at(19));
    add('svenTask', { kind: ActivityKind.TASK, subject: `Order spare parts ${tag}`, owner: 'sven.service', at: at(18) });
    const meeting = add('meeting', { kind: ActivityKind.APPOINTMENT, subject: `Quarterly review ${tag}`, owner: 'sara.sales', at: at(17) });
    add('call', { kind: ActivityKind.PHONE_CALL, subject: `Callback ${tag}`, owner: 'sara.sales', at: at(16), direction: Direction.OUTGOING, description: 'Discussed the zeppelin order' });
    // Maria's email, tracked from Sam's mailbox: its privacy follows that mailbox.
    const privateMail = add('private', { kind: ActivityKind.EMAIL, subject: `Confidential merger ${tag}`, owner: 'maria.manager', at: at(15), direction: Direction.INCOMING });
    email(privateMail, messageIds.private, 'The takeover price is secret', at(15));

    // 25 more, three at a time sharing one occurredAt, so paging breaks ties by id.
    const owners = ['sam.sales', 'sara.sales', 'maria.manager'];
    const bulk: { id: string; at: Date }[] = [];
    for (let i = 0; i < 25; i++) {
      const when = at(-Math.floor(i / 3));
      const kind = [ActivityKind.TASK, ActivityKind.PHONE_CALL][i % 2];
      bulk.push({ id: add(`bulk${i}`, { kind, subject: `Bulk ${i} ${tag}`, owner: owners[i % 3], at: when }), at: when });
    }
    const globalIds = new Map(Object.values(act).map((g) => [rawId(g), g]));
    bulkOrder = [...bulk].sort((a, b) => b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : -1)).map((b) => globalIds.get(b.id)!);

    await hub.database.dataSource.transaction(async (em) => {
      await new ActivityWriter(systemClock).insert(em, items);
      await em.insert(EmailMessage, emails);
      await em.insert(AppointmentDetail, { activityId: meeting, startAt: at(17), endAt: at(18), allDay: false, location: null, icalUid, icalSequence: 0 });
      await em.insert(ActivityMailbox, [
        { activityId: privateMail, mailboxId: rawId(samMailbox), folder: 'INBOX', seenAt: at(15) },
        { activityId: stranger, mailboxId: rawId(samMailbox), folder: 'INBOX', seenAt: at(20) },
      ]);
    });
  });
  afterAll(() => hub?.close());

  it('finds mail from a sender with no record, which no timeline shows, by text and by Message-ID', async () => {
    const byText = await search('admin', { search: `invoice question ${tag}` });
    expect(ids(byText)).toEqual(named('stranger'));
    expect(byText.totalCount).toBe(1);
    // With or without angle brackets, as stored bare.
    for (const messageId of [messageIds.stranger, messageIds.stranger.slice(1, -1)]) {
      expect(ids(await search('sam.sales', { messageId }))).toEqual(named('stranger'));
    }
    // The body's start (preview) and a call's notes match for whoever sees them whole.
    expect(ids(await search('sara.sales', { search: 'pro-forma' }))).toEqual(named('stranger'));
    expect(ids(await search('sara.sales', { search: 'ZEPPELIN' }))).toEqual(named('call'));
    const rich = ok(await hub.gql(RICH, { filter: { messageId: messageIds.stranger } }, tokens.admin)).activities.edges[0].node;
    expect(rich).toMatchObject({ regarding: null, preview: 'Kindly see the attached pro-forma', messageId: messageIds.stranger.slice(1, -1) });
    expect(rich.parties[0]).toMatchObject({ role: 'FROM', address: `nobody-${tag}@unknown.example`, record: null });
  });

  it('filters by kind, direction, time range, iCalendar UID and mailbox', async () => {
    const within = async (filter: Record<string, unknown>, who = 'admin') => ids(await search(who, { search: tag, ...filter }));
    expect(await within({ kinds: ['EMAIL'] })).toEqual(named('stranger', 'sven', 'private'));
    expect(await within({ kinds: ['APPOINTMENT', 'PHONE_CALL'], from: at(10).toISOString() })).toEqual(named('meeting', 'call'));
    expect(await within({ kinds: [] })).toEqual([]);
    expect(await within({ direction: 'OUTGOING' })).toEqual(named('sven', 'call'));
    // from is inclusive, to exclusive.
    expect(await within({ from: at(16).toISOString(), to: at(19).toISOString() })).toEqual(named('svenTask', 'meeting', 'call'));
    expect(ids(await search('admin', { icalUid }))).toEqual(named('meeting'));
    expect(ids(await search('admin', { icalUid: `other-${icalUid}` }))).toEqual([]);
    expect(await within({ mailboxId: samMailbox })).toEqual(named('stranger', 'private'));
    // LIKE wildcards are literal.
    expect(await within({ search: '%' })).toEqual([]);
  });

  it('a Salesperson sees only what their unit may read, and totalCount agrees', async () => {
    const sven = await search('sven.service', { search: tag });
    expect(ids(sven)).toEqual(named('sven', 'svenTask'));
    expect(sven.totalCount).toBe(2);
    // Nor by any other way in: Message-ID, iCalendar UID, mailbox, text of a hidden subject or body.
    for (const filter of [{ messageId: messageIds.stranger }, { messageId: messageIds.private }, { icalUid }, { mailboxId: samMailbox }, { search: 'pro-forma' }, { search: 'Quarterly review' }]) {
      const found = await search('sven.service', filter);
      expect(found.edges, JSON.stringify(filter)).toEqual([]);
      expect(found.totalCount).toBe(0);
    }
    const sara = await search('sara.sales', { search: tag });
    expect(sara.totalCount).toBe(sara.edges.length);
    expect(ids(sara)).not.toContain(act.sven);
    expect(ids((await search('sara.sales', { messageId: messageIds.sven })))).toEqual([]);
  });

  it('pages through every match exactly once, in (occurredAt, id) order', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: Connection = await search('admin', { search: `Bulk`, from: at(-9).toISOString(), to: at(1).toISOString() }, { first: 7, after });
      expect(page.totalCount).toBe(25);
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...ids(page));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(pages).toBe(4);
    expect(seen).toEqual(bulkOrder);
  });

  it('privacy levels: SUBJECT_ONLY hides body and mailbox matches, METADATA_ONLY the subject too; owners still find it', async () => {
    const setPrivacy = async (level: PrivacyLevel) =>
      ok(await hub.gql('mutation($id: ID!, $level: PrivacyLevel!) { updateMailbox(id: $id, input: { privacyLevel: $level }) { privacyLevel } }', { id: samMailbox, level }, tokens['sam.sales']));
    const count = async (who: string, filter: Record<string, unknown>) => {
      const found = await search(who, filter);
      expect(found.totalCount).toBe(found.edges.length);
      return found.totalCount;
    };
    const bodyWord = { search: 'takeover price' };
    const subjectWord = { search: `Confidential merger ${tag}` };
    const inMailbox = { mailboxId: samMailbox, kinds: ['EMAIL'], search: 'merger' };
    try {
      expect(await count('sara.sales', bodyWord)).toBe(1);
      expect(await count('sara.sales', inMailbox)).toBe(1);

      await setPrivacy(PrivacyLevel.SUBJECT_ONLY);
      expect(await count('sara.sales', bodyWord)).toBe(0);
      expect(await count('sara.sales', inMailbox)).toBe(0);
      expect(await count('sara.sales', subjectWord)).toBe(1);
      // Sam owns the mailbox, Maria the email: they see it whole and find it by its body.
      for (const who of ['sam.sales', 'maria.manager']) {
        expect(await count(who, bodyWord)).toBe(1);
        expect(await count(who, inMailbox)).toBe(1);
      }

      await setPrivacy(PrivacyLevel.METADATA_ONLY);
      expect(await count('sara.sales', subjectWord)).toBe(0);
      expect(await count('sara.sales', bodyWord)).toBe(0);
      expect(await count('sam.sales', subjectWord)).toBe(1);
      // Listed without a filter on what is hidden, it shows as metadata only.
      const listed = await search('sara.sales', { messageId: messageIds.private });
      expect(listed.edges.map((e) => e.node)).toEqual([{ id: act.private, kind: 'EMAIL', subject: null, visibleAs: 'METADATA_ONLY' }]);
    } finally {
      await setPrivacy(PrivacyLevel.FULL);
    }
  });

  it.each([
    ['a search of 50,000 characters', { filter: { search: 'x'.repeat(50_000) } }, 'filter.search'],
    ['more kinds than there are', { filter: { kinds: Array(MAX_KINDS + 1).fill('EMAIL') } }, 'filter.kinds'],
    ['an overlong Message-ID', { filter: { messageId: `<${'m'.repeat(1000)}@x>` } }, 'filter.messageId'],
    ['a Message-ID of empty brackets', { filter: { messageId: '<>' } }, 'filter.messageId'],
    ['an overlong iCalendar UID', { filter: { icalUid: 'u'.repeat(256) } }, 'filter.icalUid'],
    ['the id of something other than a mailbox', { filter: { mailboxId: toGlobalId('User', newId()) } }, 'filter.mailboxId'],
    ['a malformed cursor', { after: 'garbage' }, 'after'],
    ['a cursor that is base64 of nonsense', { after: Buffer.from('["activities",{},"x"]').toString('base64url') }, 'after'],
    ['a page size over the limit', { first: 101 }, 'first'],
    ['a negative page size', { first: -1 }, 'first'],
  ])('refuses %s with BAD_USER_INPUT naming the field', async (_label, variables, field) => {
    failed(await hub.gql(ACTIVITIES, variables, tokens['sara.sales']), 'BAD_USER_INPUT', field);
  });

  it('refuses cursors of other lists, and callers who are not signed in', async () => {
    const contacts = ok(await hub.gql('{ contacts(first: 1) { pageInfo { endCursor } } }', {}, tokens.admin)).contacts.pageInfo.endCursor;
    failed(await hub.gql(ACTIVITIES, { after: contacts }, tokens.admin), 'BAD_USER_INPUT', 'after');
    failed(await hub.gql(ACTIVITIES, {}), 'UNAUTHENTICATED');
  });

  it('lists a page of 50 in as many SQL statements as a page of 5', async () => {
    const measure = async (first: number) => {
      hub.database.queries.reset();
      const nodes = ok(await hub.gql(RICH, { filter: { search: tag }, first }, tokens.admin)).activities.edges;
      return { statements: hub.database.queries.statements, nodes };
    };
    const five = await measure(5);
    const fifty = await measure(50);
    expect(five.nodes).toHaveLength(5);
    expect(fifty.nodes).toHaveLength(31);
    expect(fifty.statements).toBe(five.statements);
    expect(fifty.statements).toBeLessThanOrEqual(14);
  });

  it.runIf(dialect === 'mariadb')('each common filter reads an index of activity, never the whole table (EXPLAIN)', async () => {
    const db = hub.database.dataSource;
    // A table of realistic size (with 31 rows a full scan is cheapest, and MariaDB rightly takes it), spread over units and owners.
    const owners = ['sam.sales', 'sara.sales', 'maria.manager', 'sven.service', 'nora.north', 'admin'].map((who) => people[who] ?? people.admin);
    const filler = Array.from({ length: 3000 }, (_, i) => {
      const owner = owners[i % owners.length];
      const activity: NewActivity = {
        id: newId(), kind: [ActivityKind.TASK, ActivityKind.PHONE_CALL, ActivityKind.APPOINTMENT][i % 3], subject: `Filler ${i}`, regardingKind: null, regardingId: null,
        state: ActivityState.OPEN, direction: i % 2 ? Direction.OUTGOING : null, occurredAt: at(-100 - i), description: null, visibility: PrivacyLevel.FULL,
        ownerId: owner.id, businessUnitId: owner.businessUnitId, createdById: owner.id, modifiedById: owner.id,
      };
      return { activity, parties: [] };
    });
    await db.transaction((em) => new ActivityWriter(systemClock).insert(em, filler));
    await db.query('ANALYZE TABLE activity');
    const access = new AccessService(db);
    const principalOf = async (email: string) => access.principalFor(await db.getRepository(User).findOneByOrFail({ email }), 'session');
    const filters = [
      {},
      { kinds: [ActivityKind.EMAIL] },
      { direction: Direction.INCOMING },
      { from: at(-5), to: at(30) },
      { messageId: messageIds.stranger },
      { icalUid },
      { mailboxId: rawId(samMailbox) },
    ];
    const cursor = { occurredAt: at(0), activityId: rawId(bulkOrder[2]) };
    for (const email of ['admin@demo.crm.test', 'sara.sales@demo.crm.test']) {
      const principal = await principalOf(email);
      for (const filter of filters) {
        for (const after of [undefined, cursor]) {
          const [sql, parameters] = activitySearchPageQuery(db, principal, checkActivitySearchFilter(filter), after, 21).getQueryAndParameters();
          const rows: { table: string; type: string; key: string | null }[] = await db.query(`EXPLAIN ${sql}`, parameters);
          const label = `${email} ${JSON.stringify(filter)} ${after ? 'after' : 'first page'}: ${JSON.stringify(rows)}`;
          for (const row of rows) expect(row.type, label).not.toBe('ALL');
          const scan = rows.find((r) => r.table === 'a');
          // A unique look-up that the cursor rules out is settled before any table is read.
          if (scan) expect(scan.key, label).toBeTruthy();
          else expect((rows[0] as { Extra?: string }).Extra, label).toMatch(/Impossible WHERE/);
        }
      }
    }

    // The statement EXPLAINed is the one the API issues.
    const sara = await principalOf('sara.sales@demo.crm.test');
    hub.database.queries.reset();
    ok(await hub.gql(ACTIVITIES, { filter: { kinds: ['EMAIL'] }, first: 10 }, tokens['sara.sales']));
    const [issued] = activitySearchPageQuery(db, sara, checkActivitySearchFilter({ kinds: [ActivityKind.EMAIL] }), undefined, 11).getQueryAndParameters();
    expect(hub.database.queries.recent).toContain(issued);
  });
});
