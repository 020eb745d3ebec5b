import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { gmailMessage, outlookMessage, TRACK_EMAILS, type TrackItem } from '../support/mail-fixtures';
import { createProfile, setCredentials } from '../support/mailbox-admin';
import { rawId } from '../support/mail-setup';
import { ADMIN, failed, ok, uniqueTag } from './gql-helpers';

// What the first real user of the hub ran into with tracked mail (issue 9, "What a first real user hit"),
// each fed in as the Sync Service does and read back through GraphQL as a person would.

const EMAIL = `query($id: ID!) { node(id: $id) { ... on Email { visibleAs textBody htmlBody
  regarding { __typename ... on Case { id title customer { __typename ... on Contact { id fullName } ... on Account { id name } } } }
  parties { role resolution record { __typename ... on Contact { id } ... on Lead { id } } }
  repairs { code message detail }
  attachments { id fileName size sha256 stored downloadUrl }
  trackingDecision { steps { step outcome detail } } } } }`;

describe.each(DIALECTS)('what a first real user hit, on %s', (dialect) => {
  let hub: StartedHub;
  let admin: string;
  let maria: string;
  const sync = () => hub.syncServiceKey;
  const SAM = { address: 'sam.sales@demo.crm.test', name: 'Sam Sales' };

  const mailboxIds = async (): Promise<Record<string, string>> =>
    Object.fromEntries((ok(await hub.gql('{ mailboxes { id address } }', {}, sync())).mailboxes as { id: string; address: string }[]).map((m) => [m.address, m.id]));
  const track = async (mailboxId: string, items: TrackItem[]) =>
    ok(await hub.gql(TRACK_EMAILS, { mailboxId, input: { items } }, sync())).trackEmails.items as { outcome: string; activityId: string | null; salvaged: string[]; decision: any }[];
  const email = async (id: string, token = admin) => ok(await hub.gql(EMAIL, { id }, token)).node;
  const alerts = async (mailboxId: string) =>
    ok(await hub.gql('query($id: ID!) { mailbox(id: $id) { alerts(first: 100) { severity code message } } }', { id: mailboxId }, admin)).mailbox.alerts as { severity: string; code: string; message: string }[];
  const queueStep = (item: { decision: any }) => item.decision.steps.find((s: any) => s.step === 'QUEUE_RULE');

  /** A queue with email to case on, and its mailbox's id. */
  const newQueue = async (options: Record<string, unknown> = {}) => {
    const tag = uniqueTag().toLowerCase();
    const address = `support-${tag}@demo.crm.test`;
    const queue = ok(
      await hub.gql('mutation($input: CreateQueueInput!) { createQueue(input: $input) { id name createContactForUnknownSender createContactForLeadSender } }', {
        input: { name: `Support ${tag}`, emailAddress: address, createCaseFromEmail: true, ...options },
      }, admin),
    ).createQueue;
    return { queue, address, mailboxId: (await mailboxIds())[address] };
  };
  const createLead = async (emails: string[], extra: Record<string, unknown> = {}) =>
    ok(await hub.gql('mutation($input: CreateLeadInput!) { createLead(input: $input) { id fullName } }', { input: { topic: 'Printers', firstName: 'Lena', lastName: `Lead ${uniqueTag()}`, emails, ...extra } }, admin)).createLead as { id: string; fullName: string };

  beforeAll(async () => {
    hub = await startHub({ dialect });
    admin = await hub.login(ADMIN);
    maria = await hub.login('maria.manager@demo.crm.test');
  }, 120_000);
  afterAll(() => hub?.close());

  describe('email to case works for every kind of sender', () => {
    it('opens a case for a contact, an account, a lead (through a contact made from it) and, when the queue says so, an unknown sender', async () => {
      const tag = uniqueTag().toLowerCase();
      const contact = ok(await hub.gql('mutation($input: CreateContactInput!) { createContact(input: $input) { id } }', { input: { lastName: 'Kund', emails: [`kontakt-${tag}@kund.example`] } }, admin)).createContact;
      const account = ok(await hub.gql('mutation($input: CreateAccountInput!) { createAccount(input: $input) { id name } }', { input: { name: `Firma ${tag}`, emails: [`info-${tag}@firma.example`] } }, admin)).createAccount;
      const lead = await createLead([`lead-${tag}@prospect.example`, `lena-${tag}@home.example`], { telephone: '+46 8 123 45' });
      const { queue, address, mailboxId } = await newQueue({ createContactForUnknownSender: true });
      expect(queue).toMatchObject({ createContactForUnknownSender: true, createContactForLeadSender: true });
      const to = [{ address, name: queue.name }];

      const cases: [string, string, (customer: any) => void][] = [
        [`kontakt-${tag}@kund.example`, 'contact', (c) => expect(c).toMatchObject({ __typename: 'Contact', id: contact.id })],
        [`info-${tag}@firma.example`, 'account', (c) => expect(c).toMatchObject({ __typename: 'Account', id: account.id })],
        [`lead-${tag}@prospect.example`, 'lead', (c) => expect(c).toMatchObject({ __typename: 'Contact', fullName: lead.fullName })],
        [`okand-${tag}@nowhere.example`, 'unknown', (c) => expect(c).toMatchObject({ __typename: 'Contact' })],
      ];
      for (const [from, kind, customerIs] of cases) {
        const [item] = await track(mailboxId, [gmailMessage({ from: { address: from, name: 'Lena Lead' }, to, subject: `Help from a ${kind} ${tag}` })]);
        expect(queueStep(item), kind).toMatchObject({ outcome: 'CASE_CREATED' });
        const view = await email(item.activityId!);
        expect(view.regarding.__typename, kind).toBe('Case');
        customerIs(view.regarding.customer);
      }

      // The contact made from the lead carries the lead's name, telephone and every address, and points back at the lead.
      const made = ok(await hub.gql(`{ contacts(first: 5, filter: { search: "lead-${tag}@" }) { edges { node { id fullName telephone emails originatingLead { id } } } } }`, {}, admin)).contacts.edges;
      expect(made).toHaveLength(1);
      expect(made[0].node).toMatchObject({ fullName: lead.fullName, telephone: '+46 8 123 45', emails: [`lead-${tag}@prospect.example`, `lena-${tag}@home.example`], originatingLead: { id: lead.id } });
      // The lead's next conversation, from its other address, resolves to that contact: no second contact.
      const [again] = await track(mailboxId, [gmailMessage({ from: { address: `lena-${tag}@home.example` }, to, subject: `Another question ${tag}` })]);
      expect(again.decision.parties[0]).toMatchObject({ kind: 'contact', recordId: made[0].node.id });
      expect((await email(again.activityId!)).regarding.customer.id).toBe(made[0].node.id);
      expect(await alerts(mailboxId)).toEqual([]);
    });

    it('makes one contact from a lead whose mail reaches two queues at the same moment', async () => {
      const tag = uniqueTag().toLowerCase();
      const lead = await createLead([`twice-${tag}@prospect.example`]);
      const queues = [await newQueue(), await newQueue()];
      // Two engines' batches at once: whichever runs second must reuse the first one's contact (a unique key on originatingLeadId guarantees it if they truly overlap).
      const results = await Promise.all(
        queues.map(({ address, mailboxId }, n) =>
          track(mailboxId, [gmailMessage({ from: { address: `twice-${tag}@prospect.example` }, to: [{ address, name: 'Support' }], subject: `Order ${n} ${tag}` })]),
        ),
      );
      const rows = (await hub.database.dataSource.query('SELECT id FROM contact WHERE originatingLeadId = ?', [rawId(lead.id)])) as { id: string }[];
      expect(rows).toHaveLength(1);
      const made = ok(await hub.gql(`{ contacts(first: 5, filter: { search: "twice-${tag}@" }) { edges { node { id } } } }`, {}, admin)).contacts.edges;
      expect(made).toHaveLength(1);
      // Both cases are for that one contact.
      for (const [item] of results) expect((await email(item.activityId!)).regarding.customer.id).toBe(made[0].node.id);
    });

    it('opens no case when it cannot, says why in the step and once in the queue\'s alert log, however many such messages arrive', async () => {
      const tag = uniqueTag().toLowerCase();
      const { address, mailboxId } = await newQueue({ createContactForLeadSender: false });
      const to = [{ address, name: 'Support' }];
      const leads = [];
      for (const n of [1, 2, 3]) leads.push(await createLead([`flood${n}-${tag}@prospect.example`]));
      const shared = `shared-${tag}@twins.example`;
      for (const lastName of ['Twin A', 'Twin B']) ok(await hub.gql('mutation($input: CreateContactInput!) { createContact(input: $input) { id } }', { input: { lastName, emails: [shared] } }, admin));

      const flood = leads.flatMap((_, n) => [1, 2].map((k) => gmailMessage({ from: { address: `flood${n + 1}-${tag}@prospect.example` }, to, subject: `Lead mail ${n}.${k} ${tag}` })));
      const strangers = [1, 2, 3].map((n) => gmailMessage({ from: { address: `stranger${n}-${tag}@nowhere.example` }, to, subject: `Stranger ${n} ${tag}` }));
      const twins = gmailMessage({ from: { address: shared }, to, subject: `Twins ${tag}` });
      const colleague = gmailMessage({ from: SAM, to, subject: `Internal ${tag}` });
      const items = await track(mailboxId, [...flood, ...strangers, twins, colleague]);
      expect(items.every((i) => i.outcome === 'TRACKED')).toBe(true);
      expect(items.map((i) => queueStep(i).outcome)).toEqual(Array(items.length).fill('NO_CUSTOMER'));
      expect(queueStep(items[0]).detail).toMatch(/is a lead; the queue creates no contact for leads/);
      expect(queueStep(items[6]).detail).toMatch(/is unknown/);
      expect(queueStep(items[9]).detail).toMatch(/is ambiguous: contact .*, contact /);
      expect(queueStep(items[10]).detail).toMatch(/is a user of this organization/);
      // A second flood the same day adds nothing.
      await track(mailboxId, [gmailMessage({ from: { address: `flood1-${tag}@prospect.example` }, to, subject: `Once more ${tag}` })]);

      const log = await alerts(mailboxId);
      expect(log.filter((a) => a.code === 'CASE_NOT_CREATED')).toHaveLength(4);
      expect(log.map((a) => a.message)).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/sender is a lead, .*createContactForLeadSender/),
          expect.stringMatching(/no contact, account or lead has the sender's address .*createContactForUnknownSender/),
          expect.stringMatching(/belongs to several records/),
          expect.stringMatching(/sender is a user or queue of this organization/),
        ]),
      );
      // Nothing was created for the leads: the queue said no.
      const contacts = ok(await hub.gql(`{ contacts(first: 5, filter: { search: "flood1-${tag}@" }) { totalCount } }`, {}, admin)).contacts;
      expect(contacts.totalCount).toBe(0);
    });

    it('refuses a null option and keeps queue options to administrators', async () => {
      const { queue } = await newQueue();
      failed(await hub.gql('mutation($id: ID!) { updateQueue(id: $id, input: { createContactForLeadSender: null }) { id } }', { id: queue.id }, admin), 'BAD_USER_INPUT', 'input.createContactForLeadSender');
      const sam = await hub.login(SAM.address);
      const refused = await hub.gql('mutation($id: ID!) { updateQueue(id: $id, input: { createContactForLeadSender: false }) { id } }', { id: queue.id }, sam);
      expect(refused.errors?.[0].extensions?.code).toMatch(/FORBIDDEN|NOT_FOUND/);
      const off = ok(await hub.gql('mutation($id: ID!) { updateQueue(id: $id, input: { createContactForLeadSender: false }) { createContactForLeadSender } }', { id: queue.id }, admin));
      expect(off.updateQueue.createContactForLeadSender).toBe(false);
    });
  });

  describe('an email says what it is, to those who may read it whole', () => {
    let samMailbox: string;
    let sam: string;
    beforeAll(async () => {
      samMailbox = (await mailboxIds())[SAM.address];
      sam = await hub.login(SAM.address);
      // Maria (Sales Manager) reads Sam's email at business-unit depth; his mailbox shows others the subject only.
      ok(await hub.gql('mutation($id: ID!) { updateMailbox(id: $id, input: { trackingFilter: ALL, privacyLevel: SUBJECT_ONLY }) { id } }', { id: samMailbox }, admin));
    });
    const customer = { address: 'kund@kund.example', name: 'Kund' };

    it('keeps the repairs a malformed message needed, shown as code, sentence and detail', async () => {
      const broken: TrackItem = { ...gmailMessage({ from: customer, to: [SAM, { address: 'not an address' }], subject: `Broken ${uniqueTag()}` }), messageId: null, date: 'Tuesday, sometime' };
      const [item] = await track(samMailbox, [broken]);
      expect(item.outcome).toBe('TRACKED');
      const { repairs } = await email(item.activityId!, sam);
      expect(repairs.map((r: any) => r.code)).toEqual(['INVALID_ADDRESS', 'INVALID_DATE', 'MISSING_MESSAGE_ID']);
      for (const r of repairs) expect(r.message).toMatch(/^[A-Z].*\.$/);
      expect(repairs[0].detail).toContain('"not an address"');
      expect(repairs[1].detail).toContain('Tuesday, sometime');
      expect(repairs[2].detail).toMatch(/^keyed as <synthetic\.[0-9a-f]{64}@crm-hub\.invalid>$/);
      // Sam sees his own email whole; Maria, at SUBJECT_ONLY, sees no repairs (the detail holds addresses).
      expect(await email(item.activityId!, maria)).toMatchObject({ visibleAs: 'SUBJECT_ONLY', repairs: [] });
      // A meeting invitation that could not be used is a repair of its email too.
      const invite = { ...outlookMessage({ from: customer, to: [SAM], subject: `When? ${uniqueTag()}` }), calendar: { method: 'REQUEST', uid: `${uniqueTag()}@calendar.example`, summary: 'When?', start: 'next Tuesday-ish', attendees: [{ address: SAM.address }] } };
      const [invited] = await track(samMailbox, [invite as TrackItem]);
      expect((await email(invited.activityId!, sam)).repairs).toEqual([
        { code: 'INVALID_CALENDAR', message: 'The meeting invitation in the message could not be used in full.', detail: expect.stringMatching(/start "next Tuesday-ish" is not a time/) },
      ]);
      // A well-formed email has none.
      const [clean] = await track(samMailbox, [outlookMessage({ from: customer, to: [SAM], subject: `Clean ${uniqueTag()}` })]);
      expect((await email(clean.activityId!, sam)).repairs).toEqual([]);
    });

    it('gives each stored attachment its sha256 and its real size, the same for the same file, only to those who see attachments', async () => {
      const bytes = Buffer.from(`%PDF-1.7 ${uniqueTag()} `.repeat(500));
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const response = await fetch(`${hub.url}/blobs`, { method: 'PUT', headers: { authorization: `Bearer ${sync()}` }, body: bytes });
      expect(response.status).toBeLessThan(300);
      // The engine's claim of the size is wrong (a MIME size, say): the stored file's size is what counts.
      const attachment = { fileName: 'Offert.pdf', contentType: 'application/pdf', size: bytes.length + 17, sha256 };
      const tag = uniqueTag();
      const [one, two] = await track(samMailbox, [
        { ...outlookMessage({ from: customer, to: [SAM], subject: `PDF one ${tag}` }), attachments: [attachment] },
        { ...gmailMessage({ from: customer, to: [SAM], subject: `PDF two ${tag}` }), attachments: [{ ...attachment, fileName: 'copy.pdf' }] },
      ]);
      const first = (await email(one.activityId!, sam)).attachments[0];
      const second = (await email(two.activityId!, sam)).attachments[0];
      expect(first).toMatchObject({ fileName: 'Offert.pdf', stored: true, size: bytes.length, sha256 });
      expect(second).toMatchObject({ fileName: 'copy.pdf', size: bytes.length, sha256 });
      // An integration verifies its download with them.
      const download = await fetch(`${hub.url}${first.downloadUrl}`, { headers: { authorization: `Bearer ${sam}` } });
      const body = Buffer.from(await download.arrayBuffer());
      expect(body.length).toBe(first.size);
      expect(createHash('sha256').update(body).digest('hex')).toBe(first.sha256);
      // Hidden from a reader who may not see the email's content, in the list and by id.
      expect((await email(one.activityId!, maria)).attachments).toEqual([]);
      expect(ok(await hub.gql('query($id: ID!) { node(id: $id) { ... on Attachment { sha256 size } } }', { id: first.id }, maria)).node).toBeNull();
      expect(ok(await hub.gql('query($id: ID!) { node(id: $id) { ... on Attachment { sha256 size } } }', { id: first.id }, sam)).node).toEqual({ sha256, size: bytes.length });
    });

    it('derives the text of an HTML-only email for those who may read it, and for no one else', async () => {
      const htmlOnly: TrackItem = {
        ...gmailMessage({ from: customer, to: [SAM], subject: `HTML only ${uniqueTag()}` }),
        textBody: null,
        htmlBody: '<html><head><style>p{}</style></head><body><p>Hej Sam,</p><p>the <b>order</b> is <a href="https://shop.example/o/7">here</a>.</p><img src="https://tracker.example/p.gif"></body></html>',
      };
      const [item] = await track(samMailbox, [htmlOnly]);
      const view = await email(item.activityId!, sam);
      expect(view.textBody).toBe('Hej Sam,\n\nthe order is here [https://shop.example/o/7].');
      expect(view.htmlBody).toContain('Hej Sam');
      expect(await email(item.activityId!, maria)).toMatchObject({ visibleAs: 'SUBJECT_ONLY', textBody: null, htmlBody: null });
    });
  });

  it('shows a FORWARD_MAILBOX user the state of the forward mailbox that files their mail', async () => {
    const ids = await mailboxIds();
    const sara = ids['sara.sales@demo.crm.test'];
    const { mailboxId: sink, address: sinkAddress } = await newQueue({ createCaseFromEmail: false });
    const stateOf = async (id: string, token = admin) => ok(await hub.gql('query($id: ID!) { mailbox(id: $id) { state stateReason } }', { id }, token)).mailbox;
    ok(await hub.gql('mutation($id: ID!) { configureMailbox(id: $id, input: { incomingMethod: FORWARD_MAILBOX, outgoingMethod: NONE }) { id } }', { id: sara }, admin));
    ok(await hub.gql('mutation($id: ID!) { approveMailboxEmail(id: $id) { id } }', { id: sara }, admin));
    expect(await stateOf(sara)).toEqual({ state: 'NOT_ENABLED', stateReason: expect.stringMatching(/the organization has none/) });

    // The forward mailbox, set up and tested as an administrator does it; the engine reports the test.
    const profileId = await createProfile(hub, admin, `Forward ${uniqueTag()}`, { kind: 'IMAP_SMTP', incomingPort: 1143, outgoingPort: 1025 });
    ok(await hub.gql('mutation($id: ID!, $p: ID!) { configureMailbox(id: $id, input: { profileId: $p, incomingMethod: SERVER_SIDE_SYNC, outgoingMethod: NONE, isForwardMailbox: true }) { id } }', { id: sink, p: profileId }, admin));
    await setCredentials(hub, admin, sink, 'fwd', 'secret');
    ok(await hub.gql('mutation($id: ID!) { approveMailboxEmail(id: $id) { id } }', { id: sink }, admin));
    expect(await stateOf(sara)).toEqual({ state: 'NOT_ENABLED', stateReason: `The forward mailbox ${sinkAddress} is not enabled yet: run Test & Enable on it.` });
    ok(await hub.gql('mutation($id: ID!) { testAndEnableMailbox(id: $id) { id } }', { id: sink }, admin));
    const [work] = ok(await hub.gql('mutation { claimMailboxes(engineId: "forward-test", limit: 5) { mailboxId leaseId job } }', {}, sync())).claimMailboxes.filter((w: any) => w.mailboxId === sink);
    ok(await hub.gql('mutation($m: ID!, $l: ID!) { reportMailboxTest(mailboxId: $m, leaseId: $l, incoming: { status: SUCCESS }, outgoing: { status: NOT_RUN }) { state } }', { m: sink, l: work.leaseId }, sync()));

    const enabled = await stateOf(sara, await hub.login('sara.sales@demo.crm.test'));
    expect(enabled).toEqual({ state: 'ENABLED', stateReason: `Incoming mail arrives through the forward mailbox ${sinkAddress}.` });
    // It is true: the forward mailbox's claim lists her, and her forwarded mail is filed under her mailbox.
    const [claimed] = ok(await hub.gql('mutation { claimMailboxes(engineId: "forward-test", limit: 5) { mailboxId leaseId forwardSources { mailboxId } } }', {}, sync())).claimMailboxes.filter((w: any) => w.mailboxId === sink);
    expect(claimed.forwardSources.map((s: any) => s.mailboxId)).toContain(sara);
    ok(await hub.gql('mutation($m: ID!, $l: ID!) { releaseMailbox(mailboxId: $m, leaseId: $l, report: { outcome: SUCCESS }) { id } }', { m: sink, l: claimed.leaseId }, sync()));

    ok(await hub.gql('mutation($id: ID!) { disableMailbox(id: $id) { id } }', { id: sink }, admin));
    expect(await stateOf(sara)).toEqual({ state: 'DISABLED_BY_ADMIN', stateReason: expect.stringMatching(/An administrator disabled the forward mailbox/) });
    // The forward mailbox itself and every other mailbox keep their own state.
    expect((await stateOf(sink)).state).toBe('DISABLED_BY_ADMIN');
    expect((await stateOf(ids[SAM.address])).state).toBe('NOT_ENABLED');
  });
});
