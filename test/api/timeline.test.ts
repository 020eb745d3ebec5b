import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AccessService } from '../../api/src/access/access.service';
import { ActivityKind, ActivityState, Direction, EmailStatus, PartyResolution, PartyRole, PrivacyLevel } from '../../api/src/activities/activity-enums';
import { ActivityMailbox } from '../../api/src/activities/activity-mailbox.entity';
import { ActivityWriter, type NewActivity, type NewParty } from '../../api/src/activities/activity-writer';
import { Attachment } from '../../api/src/activities/attachment.entity';
import { EmailMessage } from '../../api/src/activities/email-message.entity';
import { LEAN_ACTIVITY_COLUMNS } from '../../api/src/activities/activity-columns';
import { Activity } from '../../api/src/activities/activity.entity';
import { TimelineEntry } from '../../api/src/activities/timeline-entry.entity';
import { TimelinePageStatements } from '../../api/src/activities/timeline-page-statement';
import { preparedRead } from '../../api/src/db/prepared-read';
import { singleRecordPageQuery } from '../../api/src/activities/timeline.service';
import { BlobStore } from '../../api/src/attachments/blob-store';
import { parseGlobalId, toGlobalId } from '../../api/src/common/global-id';
import { newId } from '../../api/src/common/ids';
import { User } from '../../api/src/identity/user.entity';
import type { Principal } from '../../api/src/access/principal';
import { Privilege } from '../../api/src/access/privileges';
import { Account } from '../../api/src/records/account.entity';
import { systemClock } from '../../api/src/platform/clock';
import type { RecordKind } from '../../api/src/records/record-kind';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { failed, ok, uniqueTag } from './gql-helpers';

const TIMELINE = `query($recordId: ID!, $first: Int, $after: String, $filter: TimelineFilter, $includeRelated: Boolean) {
  timeline(recordId: $recordId, first: $first, after: $after, filter: $filter, includeRelated: $includeRelated) {
    totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id kind subject occurredAt } }
  }
}`;

const RICH = `query($recordId: ID!, $first: Int, $includeRelated: Boolean) {
  timeline(recordId: $recordId, first: $first, includeRelated: $includeRelated) { edges { node {
    id subject occurredAt
    parties { role record { ... on Contact { fullName } } }
    regarding { __typename }
    owner { fullName }
    ... on Email { status preview attachments { fileName } }
  } } }
}`;

const EMAIL_VIEW = `query($id: ID!) { node(id: $id) { id ... on Email { subject textBody preview visibleAs attachments { id fileName downloadUrl } } } }`;

type Node = { id: string; kind: ActivityKind; subject: string | null; occurredAt: string };
type Timeline = { totalCount: number; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string | null }; edges: { cursor: string; node: Node }[] };
type Person = { id: string; businessUnitId: string };

const BASE = Date.UTC(2031, 0, 1);
const at = (hours: number) => new Date(BASE + hours * 3_600_000);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const rawId = (globalId: string) => parseGlobalId(globalId)!.id;

describe.each(DIALECTS)('record timelines on %s', (dialect) => {
  let hub: StartedHub;
  const tokens: Record<string, string> = {};
  const people: Record<string, Person> = {};
  const tag = uniqueTag('TL');
  /** Global ids of the records this suite creates. */
  const rec: Record<string, string> = {};
  /** Global ids of seeded activities by name. */
  const act: Record<string, string> = {};
  /** The 60 activities on the bulk account, in timeline order. */
  let bulkOrder: string[] = [];
  let planBytes: Buffer;

  const timeline = async (who: string, recordId: string, variables: Record<string, unknown> = {}): Promise<Timeline> =>
    ok(await hub.gql(TIMELINE, { recordId, first: 100, ...variables }, tokens[who])).timeline;
  const ids = (t: Timeline) => t.edges.map((e) => e.node.id);
  /** The account's entity and the caller's read scope on it, as the timeline service passes them. */
  const recordReadOf = (principal: Principal) => ({ entity: Account, scope: hub.services.stores.account.scopeCondition('r', principal, Privilege.READ, 'recordId') });
  const named = (...names: string[]) => names.map((n) => act[n]);

  const create = async (who: string, mutation: string, inputType: string, input: Record<string, unknown>): Promise<string> =>
    ok(await hub.gql(`mutation($input: ${inputType}!) { ${mutation}(input: $input) { id } }`, { input }, tokens[who]))[mutation].id;

  beforeAll(async () => {
    hub = await startHub({ dialect });
    for (const who of ['admin', 'maria.manager', 'sam.sales', 'sara.sales', 'nora.north', 'sven.service']) {
      tokens[who] = await hub.login(`${who}@demo.crm.test`);
    }
    const users = ok(await hub.gql('{ users { id email businessUnit { id } } }', {}, tokens.admin)).users as { id: string; email: string; businessUnit: { id: string } }[];
    for (const u of users) people[u.email.split('@')[0]] = { id: rawId(u.id), businessUnitId: rawId(u.businessUnit.id) };

    // Acme (Sam's, Sales) with a contact of Sam's, a contact owned by Sven (Service), an opportunity and a case.
    rec.acme = await create('sam.sales', 'createAccount', 'CreateAccountInput', { name: `Acme ${tag}` });
    rec.c1 = await create('sam.sales', 'createContact', 'CreateContactInput', { lastName: `One ${tag}`, accountId: rec.acme });
    rec.c2 = await create('admin', 'createContact', 'CreateContactInput', { lastName: `Two ${tag}`, accountId: rec.acme, ownerId: toGlobalId('User', people['sven.service'].id) });
    rec.o1 = await create('sam.sales', 'createOpportunity', 'CreateOpportunityInput', { name: `Deal ${tag}`, customerId: rec.acme });
    rec.k1 = await create('sam.sales', 'createCase', 'CreateCaseInput', { title: `Case ${tag}`, customerId: rec.acme });
    rec.o2 = await create('sam.sales', 'createOpportunity', 'CreateOpportunityInput', { name: `Personal deal ${tag}`, customerId: rec.c1 });
    rec.bulk = await create('sam.sales', 'createAccount', 'CreateAccountInput', { name: `Bulk ${tag}` });
    rec.bulkContact = await create('sam.sales', 'createContact', 'CreateContactInput', { lastName: `Bulk contact ${tag}`, accountId: rec.bulk });
    rec.privacy = await create('sam.sales', 'createAccount', 'CreateAccountInput', { name: `Privacy ${tag}` });
    const salesContacts = ok(await hub.gql('{ contacts(first: 10) { edges { node { id } } } }', {}, tokens['sam.sales'])).contacts.edges.map(
      (e: { node: { id: string } }) => rawId(e.node.id),
    ) as string[];

    const items: { activity: NewActivity; parties: NewParty[] }[] = [];
    const emails: Partial<EmailMessage>[] = [];
    const attachments: Partial<Attachment>[] = [];
    const add = (
      name: string,
      o: { kind: ActivityKind; subject: string; owner: string; at: Date; regarding?: [RecordKind, string]; direction?: Direction; parties?: NewParty[] },
    ): string => {
      const owner = people[o.owner];
      const id = newId();
      items.push({
        activity: {
          id, kind: o.kind, subject: o.subject, regardingKind: o.regarding?.[0] ?? null, regardingId: o.regarding ? rawId(o.regarding[1]) : null,
          state: ActivityState.COMPLETED, direction: o.direction ?? null, occurredAt: o.at, description: `Notes: ${o.subject}`, visibility: PrivacyLevel.FULL,
          ownerId: owner.id, businessUnitId: owner.businessUnitId, createdById: owner.id, modifiedById: owner.id,
        },
        parties: o.parties ?? [],
      });
      if (o.kind === ActivityKind.EMAIL) {
        emails.push({ activityId: id, messageId: `${id}@test.example`, messageIdHash: sha256(id), status: EmailStatus.RECEIVED, preview: `Preview of ${o.subject}`, receivedAt: o.at });
      }
      const kindName = { EMAIL: 'Email', APPOINTMENT: 'Appointment', TASK: 'Task', PHONE_CALL: 'PhoneCall' } as const;
      act[name] = toGlobalId(kindName[o.kind], id);
      return id;
    };
    const party = (role: PartyRole, kind: string, globalOrRawId: string): NewParty => ({
      role, address: null, displayName: null, partyKind: kind, partyId: parseGlobalId(globalOrRawId)?.id ?? globalOrRawId, resolution: PartyResolution.RESOLVED,
    });

    add('e1', { kind: ActivityKind.EMAIL, subject: `Quote for ${tag}`, owner: 'sam.sales', at: at(10), regarding: ['account', rec.acme], direction: Direction.INCOMING,
      parties: [party(PartyRole.FROM, 'contact', rec.c1), party(PartyRole.TO, 'user', people['sam.sales'].id)] });
    // No regarding record: on C1's timeline only as a party (twice), so on Acme's only through includeRelated.
    add('e2', { kind: ActivityKind.EMAIL, subject: 'Lunch next week', owner: 'sam.sales', at: at(9), direction: Direction.OUTGOING,
      parties: [party(PartyRole.TO, 'contact', rec.c1), party(PartyRole.CC, 'contact', rec.c1)] });
    add('p1', { kind: ActivityKind.PHONE_CALL, subject: 'Call about renewal', owner: 'sam.sales', at: at(8), regarding: ['opportunity', rec.o1], direction: Direction.OUTGOING });
    add('t1', { kind: ActivityKind.TASK, subject: 'Send brochure to Two', owner: 'sam.sales', at: at(7), regarding: ['contact', rec.c2] });
    add('a1', { kind: ActivityKind.APPOINTMENT, subject: 'Servicebesök', owner: 'sven.service', at: at(6), regarding: ['account', rec.acme] });
    add('k1', { kind: ActivityKind.TASK, subject: 'Case follow-up', owner: 'sam.sales', at: at(5), regarding: ['case', rec.k1] });
    add('o2', { kind: ActivityKind.PHONE_CALL, subject: 'Personal deal call', owner: 'sam.sales', at: at(4), regarding: ['opportunity', rec.o2] });
    add('sv', { kind: ActivityKind.TASK, subject: 'Sven checks in', owner: 'sven.service', at: at(3), regarding: ['contact', rec.c2] });

    // 60 on the bulk account, three at a time sharing one occurredAt, so ties are broken by id.
    const kinds = [ActivityKind.EMAIL, ActivityKind.PHONE_CALL, ActivityKind.TASK, ActivityKind.APPOINTMENT];
    const owners = ['sam.sales', 'sara.sales', 'maria.manager'];
    const bulk: { id: string; at: Date }[] = [];
    for (let i = 0; i < 60; i++) {
      const when = at(-Math.floor(i / 3));
      const id = add(`bulk${i}`, {
        kind: kinds[i % 4], subject: `Bulk ${i}`, owner: owners[i % 3], at: when, regarding: ['account', rec.bulk],
        parties: [
          party(PartyRole.TO, 'contact', salesContacts[i % salesContacts.length]),
          party(PartyRole.CC, 'contact', salesContacts[(i + 3) % salesContacts.length]),
          // Every fourth also reaches the account's timeline through its contact: rolled up, it must still appear once.
          ...(i % 4 === 0 ? [party(PartyRole.CC, 'contact', rec.bulkContact)] : []),
        ],
      });
      bulk.push({ id, at: when });
    }
    const globalIds = new Map(Object.values(act).map((g) => [rawId(g), g]));
    bulkOrder = [...bulk].sort((a, b) => b.at.getTime() - a.at.getTime() || (a.id < b.id ? 1 : -1)).map((b) => globalIds.get(b.id)!);

    // Maria's email, tracked from Sam's mailbox: Sam sees it whole as the mailbox owner.
    const blobs = new BlobStore(hub.database.dataSource, systemClock);
    const body = await blobs.putBuffer(`The secret body of ${tag}`, { maxBytes: 1 << 20 });
    planBytes = Buffer.from(`%PDF-1.4 plan of ${tag} ${'x'.repeat(70_000)}`);
    const plan = await blobs.putBuffer(planBytes, { maxBytes: 1 << 20 });
    const html = await blobs.putBuffer('<script>alert(1)</script>', { maxBytes: 1 << 20 });
    if (!('sha256' in body && 'sha256' in plan && 'sha256' in html)) throw new Error('blob store refused a test blob');
    const ep = add('ep', { kind: ActivityKind.EMAIL, subject: `Confidential merger ${tag}`, owner: 'maria.manager', at: at(1), regarding: ['account', rec.privacy], direction: Direction.INCOMING });
    emails[emails.length - 1] = { ...emails[emails.length - 1], textBodyBlob: body.sha256, preview: 'The secret body' };
    attachments.push(
      { id: newId(), activityId: ep, fileName: 'Plan für Ü "2031".pdf', contentType: 'application/pdf', size: planBytes.length, blobSha256: plan.sha256, contentId: null, inline: false, skippedReason: null, position: 0 },
      { id: newId(), activityId: ep, fileName: 'page.html', contentType: 'text/html; charset=utf-8', size: 25, blobSha256: html.sha256, contentId: null, inline: false, skippedReason: null, position: 1 },
    );
    // Some bulk emails carry an attachment too, for the statement-count test.
    for (const e of emails.filter((m) => m.activityId !== ep).slice(0, 10)) {
      attachments.push({ id: newId(), activityId: e.activityId!, fileName: 'notes.txt', contentType: 'text/plain', size: 25, blobSha256: html.sha256, contentId: null, inline: false, skippedReason: null, position: 0 });
    }
    const samMailbox = ok(await hub.gql('{ mailboxes { id } }', {}, tokens['sam.sales'])).mailboxes[0].id as string;
    rec.samMailbox = samMailbox;

    await hub.database.dataSource.transaction(async (em) => {
      await new ActivityWriter(systemClock).insert(em, items);
      await em.insert(EmailMessage, emails);
      await em.insert(Attachment, attachments);
      await em.insert(ActivityMailbox, { activityId: ep, mailboxId: rawId(samMailbox), folder: 'INBOX', seenAt: at(1) });
    });
  });
  afterAll(() => hub?.close());

  it('shows activities regarding a record and those it is a party of, each once', async () => {
    const acme = await timeline('admin', rec.acme);
    expect(ids(acme)).toEqual(named('e1', 'a1'));
    expect(acme.totalCount).toBe(2);
    // e1 regards Acme and has C1 as a party; e2 has C1 as a party twice.
    const c1 = await timeline('sam.sales', rec.c1);
    expect(ids(c1)).toEqual(named('e1', 'e2'));
    expect(c1.totalCount).toBe(2);
    expect(c1.edges[0].node).toMatchObject({ kind: 'EMAIL', subject: `Quote for ${tag}`, occurredAt: at(10).toISOString() });
    expect(ids(await timeline('admin', rec.o1))).toEqual(named('p1'));
  });

  it('includeRelated rolls up contacts, opportunities and cases, each activity once', async () => {
    const acme = await timeline('admin', rec.acme, { includeRelated: true });
    expect(ids(acme)).toEqual(named('e1', 'e2', 'p1', 't1', 'a1', 'k1', 'sv'));
    expect(acme.totalCount).toBe(7);
    // A contact rolls up its own opportunities; an opportunity its customer contact when it has one.
    expect(ids(await timeline('sam.sales', rec.c1, { includeRelated: true }))).toEqual(named('e1', 'e2', 'o2'));
    expect(ids(await timeline('sam.sales', rec.o2, { includeRelated: true }))).toEqual(named('e1', 'e2', 'o2'));
    // Paging a rolled-up timeline: every item once, in order.
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: Timeline = await timeline('admin', rec.acme, { includeRelated: true, first: 2, after });
      seen.push(...ids(page));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(seen).toEqual(ids(acme));
  });

  it('does not roll up related records the caller may not read, nor show activities they may not read', async () => {
    // Sara (Sales) reads Acme but not C2 (Sven's, Service), and not Sven's appointment on Acme.
    const acme = await timeline('sara.sales', rec.acme, { includeRelated: true });
    expect(ids(acme)).toEqual(named('e1', 'e2', 'p1', 'k1'));
    expect(acme.totalCount).toBe(4);
    const plain = await timeline('sara.sales', rec.acme);
    expect(ids(plain)).toEqual(named('e1'));
    expect(plain.totalCount).toBe(1);
  });

  it('a Salesperson in another unit sees none of Sales\' activities, and totalCount agrees', async () => {
    // Sven reads his own contact C2; Sam's task on it belongs to Sales.
    const c2 = await timeline('sven.service', rec.c2);
    expect(ids(c2)).toEqual(named('sv'));
    expect(c2.totalCount).toBe(1);
    expect((await timeline('sven.service', rec.c2, { filter: { search: 'brochure' } })).totalCount).toBe(0);
    for (const who of ['sven.service', 'nora.north']) {
      failed(await hub.gql(TIMELINE, { recordId: rec.acme }, tokens[who]), 'NOT_FOUND', 'recordId');
      expect(ok(await hub.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: act.e1 }, tokens[who])).node).toBeNull();
    }
  });

  it('a record shared with a caller outside its scope shows them its timeline, with only the activities they may read, until unshared', async () => {
    // Sven's own contact (Service), with a task of Sam's (Sales) and one of Sven's on it: Sam reads the contact only
    // through a share, so the page's rows depend on the statement's share test.
    const contact = await create('sven.service', 'createContact', 'CreateContactInput', { lastName: `Shared ${tag}` });
    const task = (owner: string, subject: string, hours: number): NewActivity => ({
      id: newId(), kind: ActivityKind.TASK, subject, regardingKind: 'contact', regardingId: rawId(contact), state: ActivityState.OPEN, direction: null,
      occurredAt: at(hours), description: null, visibility: PrivacyLevel.FULL, ownerId: people[owner].id, businessUnitId: people[owner].businessUnitId,
      createdById: people[owner].id, modifiedById: people[owner].id,
    });
    const sams = task('sam.sales', `Sam on the shared contact ${tag}`, 2);
    const svens = task('sven.service', `Sven on the shared contact ${tag}`, 3);
    await hub.database.dataSource.transaction((em) => new ActivityWriter(systemClock).insert(em, [{ activity: sams, parties: [] }, { activity: svens, parties: [] }]));
    const share = async (mutation: string) =>
      ok(await hub.gql(`mutation($id: ID!, $u: ID!) { ${mutation}(id: $id, userId: $u) { id } }`, { id: contact, u: toGlobalId('User', people['sam.sales'].id) }, tokens['sven.service']));

    failed(await hub.gql(TIMELINE, { recordId: contact }, tokens['sam.sales']), 'NOT_FOUND', 'recordId');
    await share('shareRecord');
    const seen = await timeline('sam.sales', contact);
    expect(ids(seen)).toEqual([toGlobalId('Task', sams.id)]);
    expect(seen.totalCount).toBe(1);
    expect(ids(await timeline('sven.service', contact))).toEqual([toGlobalId('Task', svens.id)]);
    // Sara (Sales) may read Sam's task but not the contact, and the share is Sam's: she is refused, not shown the task.
    failed(await hub.gql(TIMELINE, { recordId: contact }, tokens['sara.sales']), 'NOT_FOUND', 'recordId');
    // The share opens this record only: Sven's other contact stays closed to Sam.
    failed(await hub.gql(TIMELINE, { recordId: rec.c2 }, tokens['sam.sales']), 'NOT_FOUND', 'recordId');
    await share('unshareRecord');
    failed(await hub.gql(TIMELINE, { recordId: contact }, tokens['sam.sales']), 'NOT_FOUND', 'recordId');
  });

  it('pages through every item exactly once, in (occurredAt, id) order', async () => {
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: Timeline = await timeline('sam.sales', rec.bulk, { first: 7, after });
      expect(page.totalCount).toBe(60);
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      seen.push(...ids(page));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      pages++;
    } while (after);
    expect(pages).toBe(9);
    expect(seen).toEqual(bulkOrder);

    const rolledUp: string[] = [];
    do {
      const page: Timeline = await timeline('sam.sales', rec.bulk, { first: 7, after, includeRelated: true });
      expect(page.totalCount).toBe(60);
      rolledUp.push(...ids(page));
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
    } while (after);
    expect(rolledUp).toEqual(bulkOrder);
    const empty = await timeline('sam.sales', rec.bulk, { first: 0 });
    expect(empty.edges).toEqual([]);
    expect(empty.pageInfo.hasNextPage).toBe(true);
  });

  it('filters by kind, direction, time range and subject text', async () => {
    const filtered = async (filter: object, includeRelated = true) => ids(await timeline('admin', rec.acme, { filter, includeRelated }));
    expect(await filtered({ kinds: ['EMAIL'] })).toEqual(named('e1', 'e2'));
    expect(await filtered({ kinds: ['TASK', 'PHONE_CALL'] })).toEqual(named('p1', 't1', 'k1', 'sv'));
    expect(await filtered({ kinds: [] })).toEqual([]);
    expect(await filtered({ kinds: ['APPOINTMENT'] }, false)).toEqual(named('a1'));
    expect(await filtered({ direction: 'INCOMING' })).toEqual(named('e1'));
    expect(await filtered({ direction: 'OUTGOING' })).toEqual(named('e2', 'p1'));
    // from is inclusive, to exclusive.
    expect(await filtered({ from: at(5).toISOString(), to: at(8).toISOString() })).toEqual(named('t1', 'a1', 'k1'));
    expect(await filtered({ from: at(5).toISOString(), to: at(8).toISOString() }, false)).toEqual(named('a1'));
    // Case- and accent-insensitive, anywhere in the subject; LIKE wildcards are literal.
    expect(await filtered({ search: 'quote' })).toEqual(named('e1'));
    expect(await filtered({ search: 'BESOK' })).toEqual(named('a1'));
    expect(await filtered({ search: 'BESOK' }, false)).toEqual(named('a1'));
    expect(await filtered({ search: '%' })).toEqual([]);
    const combined = await timeline('admin', rec.acme, { includeRelated: true, filter: { kinds: ['EMAIL', 'PHONE_CALL'], direction: 'OUTGOING', search: 'l' } });
    expect(ids(combined)).toEqual(named('e2', 'p1'));
    expect(combined.totalCount).toBe(2);
  });

  it('rejects ids of other types and foreign cursors, naming the argument', async () => {
    failed(await hub.gql(TIMELINE, { recordId: toGlobalId('User', people['sam.sales'].id) }, tokens.admin), 'BAD_USER_INPUT', 'recordId');
    const contacts = ok(await hub.gql('{ contacts(first: 1) { pageInfo { endCursor } } }', {}, tokens.admin));
    failed(await hub.gql(TIMELINE, { recordId: rec.acme, after: contacts.contacts.pageInfo.endCursor }, tokens.admin), 'BAD_USER_INPUT', 'after');
    failed(await hub.gql(TIMELINE, { recordId: rec.acme, after: 'garbage' }, tokens.admin), 'BAD_USER_INPUT', 'after');
    failed(await hub.gql(TIMELINE, { recordId: rec.acme }), 'UNAUTHENTICATED');
  });

  it('node(id) returns activities the caller may read, of the type their id names', async () => {
    const email = ok(await hub.gql(EMAIL_VIEW, { id: act.e1 }, tokens['sara.sales'])).node;
    expect(email).toMatchObject({ id: act.e1, subject: `Quote for ${tag}`, preview: `Preview of Quote for ${tag}`, visibleAs: 'FULL' });
    expect(ok(await hub.gql(EMAIL_VIEW, { id: act.a1 }, tokens['sara.sales'])).node).toBeNull();
    expect(ok(await hub.gql(EMAIL_VIEW, { id: act.a1 }, tokens['sven.service'])).node).toMatchObject({ id: act.a1 });
    expect(ok(await hub.gql(EMAIL_VIEW, { id: toGlobalId('Task', rawId(act.e1)) }, tokens.admin)).node).toBeNull();
  });

  it('lists a page of 50 in as many SQL statements as a page of 5', async () => {
    const measure = async (recordId: string, first: number, includeRelated: boolean) => {
      hub.database.queries.reset();
      const result = ok(await hub.gql(RICH, { recordId, first, includeRelated }, tokens.admin));
      const nodes = result.timeline.edges.map((e: { node: unknown }) => e.node);
      return { statements: hub.database.queries.statements, nodes };
    };
    const five = await measure(rec.bulk, 5, false);
    const fifty = await measure(rec.bulk, 50, false);
    // A query that comes again runs compiled (server/compiled-execution.ts): the same statements.
    const again: number[] = [];
    for (let i = 0; i < 4; i++) again.push((await measure(rec.bulk, i % 2 ? 50 : 5, false)).statements);
    expect(again).toEqual([five.statements, fifty.statements, five.statements, fifty.statements]);
    expect(five.nodes).toHaveLength(5);
    expect(fifty.nodes).toHaveLength(50);
    expect(fifty.nodes.some((n: { attachments?: unknown[] }) => n.attachments?.length)).toBe(true);
    expect(fifty.nodes.every((n: { parties: { record: { fullName: string } | null }[] }) => n.parties.every((p) => p.record?.fullName))).toBe(true);
    expect(fifty.statements).toBe(five.statements);
    expect(fifty.statements).toBeLessThanOrEqual(16);

    // Rolled up (the bulk account and its contact): more statements for the related records, still constant.
    const rolledFive = await measure(rec.bulk, 5, true);
    const rolledFifty = await measure(rec.bulk, 50, true);
    expect(rolledFifty.nodes).toEqual(fifty.nodes);
    expect(rolledFifty.statements).toBe(rolledFive.statements);
  });

  it('a page that asks only for fields the lean columns answer shows what a page asking for every field shows, and reads fewer columns', async () => {
    const fields = 'id kind subject state direction occurredAt visibleAs owner { fullName } viewerAccess { write } parties { role address }';
    const lean = `query($recordId: ID!, $after: String) { timeline(recordId: $recordId, first: 7, after: $after) { pageInfo { endCursor } edges { cursor node { ${fields} } } } }`;
    const full = `query($recordId: ID!, $after: String) { timeline(recordId: $recordId, first: 7, after: $after) { pageInfo { endCursor } edges { cursor node { ${fields} description createdAt } } } }`;
    const escape = (name: string) => hub.database.dataSource.driver.escape(name);
    const descriptionColumn = `${escape('a')}.${escape('description')}`;
    const pageStatements = () => hub.database.queries.recent.filter((sql) => sql.includes(escape('timeline_entry'))).join('\n');
    let hidden = 0;
    for (const who of ['admin', 'sam.sales', 'sara.sales', 'nora.north']) {
      for (const recordId of [rec.bulk, rec.privacy]) {
        let after: string | null = null;
        for (let page = 0; page < 2; page++) {
          hub.database.queries.reset();
          const leanResult = await hub.gql(lean, { recordId, after }, tokens[who]);
          if (leanResult.errors) {
            // A record the caller may not read: the same answer either way.
            failed(leanResult, 'NOT_FOUND', 'recordId');
            failed(await hub.gql(full, { recordId, after }, tokens[who]), 'NOT_FOUND', 'recordId');
            hidden++;
            break;
          }
          const leanAnswer = ok(leanResult).timeline;
          const leanStatements = pageStatements();
          hub.database.queries.reset();
          const fullAnswer = ok(await hub.gql(full, { recordId, after }, tokens[who])).timeline;
          const fullStatements = pageStatements();
          const withoutExtra = fullAnswer.edges.map((e: { cursor: string; node: Record<string, unknown> }) => {
            const { description: _description, createdAt: _createdAt, ...node } = e.node;
            return { cursor: e.cursor, node };
          });
          expect(leanAnswer.edges).toEqual(withoutExtra);
          expect(leanAnswer.pageInfo).toEqual(fullAnswer.pageInfo);
          expect(fullStatements).toContain(descriptionColumn);
          expect(leanStatements).not.toContain(descriptionColumn);
          after = leanAnswer.pageInfo.endCursor;
          if (!after) break;
        }
      }
    }
    expect(hidden).toBeGreaterThan(0);
  });

  it('privacy: SUBJECT_ONLY hides content from colleagues, METADATA_ONLY the subject too (also from search); downloads follow', async () => {
    const download = (attachmentId: string, token?: string) => fetch(`${hub.url}/attachments/${attachmentId}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const view = async (who: string) => ok(await hub.gql(EMAIL_VIEW, { id: act.ep }, tokens[who])).node;
    const search = async (who: string) => (await timeline(who, rec.privacy, { filter: { search: 'merger' } })).totalCount;

    const full = await view('sara.sales');
    expect(full).toMatchObject({ subject: `Confidential merger ${tag}`, textBody: `The secret body of ${tag}`, preview: 'The secret body', visibleAs: 'FULL' });
    const [plan, page] = full.attachments as { id: string; fileName: string; downloadUrl: string }[];
    expect(plan.downloadUrl).toBe(`/attachments/${plan.id}`);

    // Full view: any reader of the email downloads it.
    const got = await download(plan.id, tokens['sara.sales']);
    expect(got.status).toBe(200);
    expect(Buffer.from(await got.arrayBuffer()).equals(planBytes)).toBe(true);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('content-length')).toBe(String(planBytes.length));
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('content-disposition')).toBe(`attachment; filename="Plan f_r _ _2031_.pdf"; filename*=UTF-8''Plan%20f%C3%BCr%20%C3%9C%20%222031%22.pdf`);
    const html = await download(page.id, tokens['sara.sales']);
    expect(html.status).toBe(200);
    expect(html.headers.get('content-type')).toBe('application/octet-stream');
    expect(await html.text()).toBe('<script>alert(1)</script>');
    // Not signed in, a bad token, an activity Sven may not read, an id of something else.
    const anonymous = await download(plan.id);
    expect(anonymous.status).toBe(401);
    expect(((await anonymous.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    expect((await download(plan.id, 'crm_ses_nonsense')).status).toBe(401);
    const sven = await download(plan.id, tokens['sven.service']);
    expect(sven.status).toBe(404);
    expect(((await sven.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    expect((await download(act.ep, tokens.admin)).status).toBe(404);

    ok(await hub.gql('mutation($id: ID!) { updateMailbox(id: $id, input: { privacyLevel: SUBJECT_ONLY }) { privacyLevel } }', { id: rec.samMailbox }, tokens['sam.sales']));
    expect(await view('sara.sales')).toMatchObject({ subject: `Confidential merger ${tag}`, textBody: null, preview: null, attachments: [], visibleAs: 'SUBJECT_ONLY' });
    // Sam owns the mailbox it was tracked from, Maria the activity: both see it whole.
    for (const who of ['sam.sales', 'maria.manager']) {
      expect(await view(who)).toMatchObject({ textBody: `The secret body of ${tag}`, visibleAs: 'FULL' });
      expect((await download(plan.id, tokens[who])).status).toBe(200);
    }
    expect((await download(plan.id, tokens['sara.sales'])).status).toBe(404);
    expect(await search('sara.sales')).toBe(1);

    ok(await hub.gql('mutation($id: ID!) { updateMailbox(id: $id, input: { privacyLevel: METADATA_ONLY }) { privacyLevel } }', { id: rec.samMailbox }, tokens['sam.sales']));
    const hidden = await timeline('sara.sales', rec.privacy);
    expect(hidden.edges.map((e) => e.node)).toEqual([expect.objectContaining({ id: act.ep, subject: null })]);
    expect(await search('sara.sales')).toBe(0);
    expect(ids(await timeline('sara.sales', rec.privacy, { filter: { search: 'merger' } }))).toEqual([]);
    expect(await search('sam.sales')).toBe(1);
    expect(await search('maria.manager')).toBe(1);
    expect((await view('sam.sales')).subject).toBe(`Confidential merger ${tag}`);
  });

  it.runIf(dialect === 'mariadb')('a single-record page is a range scan of the entries in primary-key order, with no filesort, and a lean one reads no activity (EXPLAIN)', async () => {
    const db = hub.database.dataSource;
    const user = await db.getRepository(User).findOneByOrFail({ email: 'sam.sales@demo.crm.test' });
    const principal = await new AccessService(db).principalFor(user, 'session');
    // The entries' primary key is the page order.
    expect(db.getMetadata(TimelineEntry).primaryColumns.map((c) => c.propertyName)).toEqual(['recordKind', 'recordId', 'occurredAt', 'activityId']);
    const record = { kind: 'account' as const, id: rawId(rec.bulk) };

    const statements = new TimelinePageStatements(db);
    const later = { occurredAt: at(-5), activityId: rawId(bulkOrder[16]) };
    const recordRead = recordReadOf(principal);
    const plans: [string, unknown[]][] = [
      // Unfiltered pages: the statement written out once per shape, first and later pages.
      statements.page(principal, record, recordRead, undefined, 11),
      statements.page(principal, record, recordRead, later, 11),
      // The same with the lean columns only (a page that asks for no other field).
      statements.page(principal, record, recordRead, undefined, 11, true),
      // Filtered: the query builder's.
      singleRecordPageQuery(db, principal, record, { kinds: [ActivityKind.EMAIL, ActivityKind.TASK], from: at(-30), search: 'bulk' }, later, 11).getQueryAndParameters(),
    ];
    // The written statements apply the salesperson's unit scope to the entry's copies; the joined ones to the activity too.
    for (const [sql] of plans.slice(0, 2)) expect(sql).toMatch(/\(te\.businessUnitId IN \(\?\)\) AND \(a\.businessUnitId IN \(\?\)\)/);
    expect(plans[2][0]).toMatch(/\(te\.businessUnitId IN \(\?\)\)/);
    expect(plans[2][0]).not.toMatch(/`activity`/);
    for (const [i, [sql, parameters]] of plans.entries()) {
      const rows: { table: string; type: string; key: string | null; Extra: string | null }[] = await db.query(`EXPLAIN ${sql}`, parameters);
      expect(rows[0].table).toBe('te');
      expect(rows[0].key).toBe('PRIMARY');
      expect(['ref', 'range']).toContain(rows[0].type);
      const joined = rows.find((r) => r.table === 'a');
      // The lean page (the third) reads the entries alone.
      if (i === 2) expect(joined).toBeUndefined();
      else expect(joined).toMatchObject({ type: 'eq_ref', key: 'PRIMARY' });
      // The record check of the written statements: the record by primary key.
      const checked = rows.find((r) => r.table === 'r');
      if (checked) expect(checked).toMatchObject({ type: 'const', key: 'PRIMARY' });
      for (const row of rows) expect(row.Extra ?? '').not.toMatch(/filesort|temporary/i);
    }

    // The statement EXPLAINed is the one the API issues: lean for TIMELINE's fields, every column for RICH's.
    hub.database.queries.reset();
    ok(await hub.gql(TIMELINE, { recordId: rec.bulk, first: 10 }, tokens['sam.sales']));
    const [issued] = statements.page(principal, record, recordRead, undefined, 11, true);
    expect(hub.database.queries.recent).toContain(issued);
    hub.database.queries.reset();
    ok(await hub.gql(RICH, { recordId: rec.bulk, first: 10 }, tokens['sam.sales']));
    expect(hub.database.queries.recent).toContain(statements.page(principal, record, recordRead, undefined, 11)[0]);
    hub.database.queries.reset();
    ok(await hub.gql(TIMELINE, { recordId: rec.bulk, first: 10 }, tokens['sam.sales']));
    // A page with rows needs no statement apart for the access check: no other statement reads the account.
    const accountTable = `\`${db.getMetadata(Account).tableName}\``;
    expect(hub.database.queries.recent.filter((q) => q.includes(accountTable))).toEqual([issued]);
  });

  it('an unfiltered page written out whole returns what the query builder\'s statement returns, for every scope, and nothing to a caller who may not read the record', async () => {
    const db = hub.database.dataSource;
    const statements = new TimelinePageStatements(db);
    const access = new AccessService(db);
    const record = { kind: 'account' as const, id: rawId(rec.bulk) };
    const later = { occurredAt: at(-5), activityId: rawId(bulkOrder[16]) };
    const seen: number[] = [];
    const readers: boolean[] = [];
    for (const who of ['admin', 'maria.manager', 'sam.sales', 'sara.sales', 'nora.north', 'sven.service']) {
      const email = `${who}@demo.crm.test`;
      const principal = await access.principalFor(await db.getRepository(User).findOneByOrFail({ email }), 'session');
      const mayRead = (await hub.services.stores.account.permitted(principal, await hub.services.stores.account.byIds([record.id]), Privilege.READ)).length === 1;
      readers.push(mayRead);
      for (const cursor of [undefined, later]) {
        const built = await singleRecordPageQuery(db, principal, record, {}, cursor, 11).getRawMany();
        // As the service runs it: prepared on MariaDB (binary rows), through TypeORM on SQLite.
        const written = await preparedRead(db, ...statements.page(principal, record, recordReadOf(principal), cursor, 11));
        expect(written).toEqual(mayRead ? built : []);
        // The lean statement: the same rows, its columns of them.
        const lean = await preparedRead<Record<string, unknown>>(db, ...statements.page(principal, record, recordReadOf(principal), cursor, 11, true));
        const leanKeys = LEAN_ACTIVITY_COLUMNS.map((property) => `a_${db.getMetadata(Activity).findColumnWithPropertyName(property)!.databaseName}`);
        expect(lean).toEqual(written.map((row) => Object.fromEntries(leanKeys.map((key) => [key, (row as Record<string, unknown>)[key]]))));
        seen.push(written.length);
      }
    }
    // Some scopes see a full page, some a part of it or nothing; some may read the record, some not.
    expect(Math.max(...seen)).toBe(11);
    expect(new Set(seen).size).toBeGreaterThan(1);
    expect(new Set(readers).size).toBe(2);
  });

  it('never shows an activity outside the caller\'s scope even if its timeline entries\' copies of owner and unit were wrong', async () => {
    const db = hub.database.dataSource;
    const access = new AccessService(db);
    const users = db.getRepository(User);
    const sam = await users.findOneByOrFail({ email: 'sam.sales@demo.crm.test' });
    const nora = await users.findOneByOrFail({ email: 'nora.north@demo.crm.test' });
    expect(nora.businessUnitId).not.toBe(sam.businessUnitId);
    const principal = await access.principalFor(sam, 'session');
    const record = { kind: 'account' as const, id: rawId(rec.bulk) };
    const statements = new TimelinePageStatements(db);
    const page = async () => (await preparedRead<{ a_id: string }>(db, ...statements.page(principal, record, recordReadOf(principal), undefined, 100))).map((row) => row.a_id);
    const [first] = await page();
    expect(first, 'Sam sees activities on the record').toBeDefined();
    const activities = db.getRepository(Activity);
    const { ownerId, businessUnitId } = await activities.findOneByOrFail({ id: first });
    try {
      // The activity now belongs to another unit, and its entries' copies still say Sam's: the page checks the activity's own.
      await activities.update({ id: first }, { ownerId: nora.id, businessUnitId: nora.businessUnitId });
      expect((await db.getRepository(TimelineEntry).findBy({ activityId: first })).every((entry) => entry.businessUnitId === sam.businessUnitId)).toBe(true);
      const seen = await page();
      expect(seen.length).toBeGreaterThan(0);
      expect(seen).not.toContain(first);
    } finally {
      await activities.update({ id: first }, { ownerId, businessUnitId });
    }
  });
});
