import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmailServerKind, MailAuthMethod, MailboxState } from '../../api/src/mail/mail-enums';
import { parseGlobalId } from '../../api/src/common/global-id';
import { DIALECTS, startHub, type StartedHub } from '../support/hub';
import { configureMailbox, insertProfile } from '../support/mail-setup';
import { ADMIN, failed, ok, uniqueTag } from './gql-helpers';

// Tasks between the CRM and an Exchange Tasks folder through the GraphQL API, as the sync engine calls it:
// syncMailboxTasks brings Outlook's tasks in, claimTaskWrites / reportTaskWrites carry the CRM's out, and a task
// changed on both sides keeps the later change with the loser in Task.syncConflicts.

const CLAIM = 'mutation { claimMailboxes(engineId: "task-test", limit: 20) { mailboxId leaseId } }';
const SYNC = `mutation($m: ID!, $l: ID!, $t: [ExchangeTaskInput!]!, $d: [String!], $c: String) {
  syncMailboxTasks(mailboxId: $m, leaseId: $l, tasks: $t, deletedItemIds: $d, cursor: $c) { itemId outcome taskId } }`;
const CLAIM_WRITES = 'mutation($m: ID!, $l: ID!, $n: Int!) { claimTaskWrites(mailboxId: $m, leaseId: $l, first: $n) { taskId itemId changeKey remove subject notes dueDay importance completed fingerprint } }';
const REPORT_WRITES = 'mutation($m: ID!, $l: ID!, $w: [TaskWriteInput!]!) { reportTaskWrites(mailboxId: $m, leaseId: $l, writes: $w) }';
const TASK = `query($id: ID!) { node(id: $id) { ... on Task { subject description dueAt priority state owner { email }
  syncConflicts { rule winner crmModifiedAt exchangeModifiedAt losingVersion { subject notes dueDay priority completed } } } } }`;
const SET_STATE = 'mutation($id: ID!, $s: ActivityState!) { setActivityState(activityId: $id, state: $s) { id } }';
const CREATE_TASK = 'mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }';

describe.each(DIALECTS)('tasks between the CRM and an Exchange Tasks folder on %s', (dialect) => {
  let hub: StartedHub;
  let admin: string;
  let sam: string;
  let sara: string;
  let samMailbox: string;
  let saraMailbox: string;
  let lease: string;
  const tag = uniqueTag('Task');
  const engine = (query: string, variables: Record<string, unknown> = {}) => hub.gql(query, variables, hub.syncServiceKey);
  const sync = (tasks: unknown[], variables: Record<string, unknown> = {}, token = hub.syncServiceKey) => hub.gql(SYNC, { m: samMailbox, l: lease, t: tasks, d: [], c: null, ...variables }, token);
  const claim = async () => ok(await engine(CLAIM_WRITES, { m: samMailbox, l: lease, n: 50 })).claimTaskWrites as any[];
  const report = async (writes: unknown[]) => ok(await engine(REPORT_WRITES, { m: samMailbox, l: lease, w: writes }));
  const later = (seconds: number) => new Date(Date.now() + seconds * 1000).toISOString();
  const outlookTask = (itemId: string, extra: Record<string, unknown> = {}) => ({
    itemId, subject: `${tag} Call back Contoso`, notes: 'Ask about the renewal.\r\n', dueAt: '2026-12-09T23:00:00.000Z',
    status: 'NOT_STARTED', importance: 'HIGH', tracked: true, lastModifiedAt: later(0), ...extra,
  });

  beforeAll(async () => {
    hub = await startHub({ dialect });
    admin = await hub.login(ADMIN);
    sam = await hub.login('sam.sales@demo.crm.test');
    sara = await hub.login('sara.sales@demo.crm.test');
    const all = ok(await engine('{ mailboxes { id address } }')).mailboxes as { id: string; address: string }[];
    samMailbox = all.find((m) => m.address === 'sam.sales@demo.crm.test')!.id;
    saraMailbox = all.find((m) => m.address === 'sara.sales@demo.crm.test')!.id;
    const exchange = await insertProfile(hub, { kind: EmailServerKind.EXCHANGE_EWS, incomingHost: null, incomingPort: null, incomingTls: null, outgoingHost: null, outgoingPort: null, outgoingTls: null, ewsUrl: 'https://mail.example.test/EWS/Exchange.asmx', authMethod: MailAuthMethod.PASSWORD });
    for (const other of all.filter((m) => m.id !== samMailbox && m.id !== saraMailbox)) await configureMailbox(hub, other.id, { profileId: exchange, state: MailboxState.DISABLED_BY_ADMIN });
    await configureMailbox(hub, samMailbox, { profileId: exchange, extra: { actMethod: 'SERVER_SIDE_SYNC' as never } });
    await configureMailbox(hub, saraMailbox, { profileId: await insertProfile(hub) });
    lease = (ok(await engine(CLAIM)).claimMailboxes as { mailboxId: string; leaseId: string }[]).find((w) => w.mailboxId === samMailbox)!.leaseId;
    // Sam's older tasks (seeded, made in the CRM) are handed out first; they are not what these tests look at.
    for (let writes = await claim(); writes.length; writes = await claim()) await report(writes.map((w) => ({ taskId: w.taskId, itemId: w.remove ? null : `seed-${w.taskId}`, fingerprint: w.fingerprint })));
  });
  afterAll(() => hub?.close());

  it('a task Sam marked "Tracked to CRM" in Outlook becomes his Task with its notes, due day and priority; an unmarked one stays in Outlook', async () => {
    const results = ok(await sync([outlookTask('AAMkTask1='), outlookTask('AAMkPersonal=', { subject: `${tag} Buy milk`, tracked: false })], { c: '{"v":1,"folders":{}}' })).syncMailboxTasks;
    expect(results.map((r: any) => [r.itemId, r.outcome])).toEqual([['AAMkTask1=', 'CREATED'], ['AAMkPersonal=', 'NOT_TRACKED']]);
    const task = ok(await hub.gql(TASK, { id: results[0].taskId }, sam)).node;
    // Outlook's due day (midnight in Stockholm, 23:00 UTC the day before) is the 10th.
    expect(task).toMatchObject({ subject: `${tag} Call back Contoso`, description: 'Ask about the renewal.', dueAt: '2026-12-10T00:00:00.000Z', priority: 'HIGH', state: 'OPEN', owner: { email: 'sam.sales@demo.crm.test' }, syncConflicts: [] });
    expect(await hub.database.dataSource.query('SELECT subject FROM activity WHERE subject = ?', [`${tag} Buy milk`])).toEqual([]);
    // The same page again (a crash before the engine saw the answer) changes nothing, and the CRM has nothing to write back.
    expect(ok(await sync([outlookTask('AAMkTask1=')])).syncMailboxTasks[0]).toMatchObject({ outcome: 'UNCHANGED', taskId: results[0].taskId });
    expect(await claim()).toEqual([]);
  });

  it('completed, renamed or moved in Outlook, the CRM task follows; reopened, it opens again', async () => {
    const [{ taskId }] = ok(await sync([outlookTask('AAMkTask2=')])).syncMailboxTasks;
    const done = ok(await sync([outlookTask('AAMkTask2=', { status: 'COMPLETED', subject: `${tag} Called Contoso`, dueAt: '2026-12-11T23:00:00.000Z', importance: 'NORMAL' })])).syncMailboxTasks[0];
    expect(done).toMatchObject({ outcome: 'UPDATED', taskId });
    expect(ok(await hub.gql(TASK, { id: taskId }, sam)).node).toMatchObject({ subject: `${tag} Called Contoso`, state: 'COMPLETED', dueAt: '2026-12-12T00:00:00.000Z', priority: 'NORMAL', syncConflicts: [] });
    // In progress is open in the CRM.
    expect(ok(await sync([outlookTask('AAMkTask2=', { status: 'IN_PROGRESS', subject: `${tag} Called Contoso`, dueAt: '2026-12-11T23:00:00.000Z', importance: 'NORMAL' })])).syncMailboxTasks[0].outcome).toBe('UPDATED');
    expect(ok(await hub.gql(TASK, { id: taskId }, sam)).node.state).toBe('OPEN');
    expect(await claim()).toEqual([]);
  });

  it('the start day and progress go both ways; an open CRM task at 100 % shows 99 % in Outlook and stays open; bad values name the field', async () => {
    const PROGRESS = 'query($id: ID!) { node(id: $id) { ... on Task { scheduledStartAt percentComplete state } } }';
    const CLAIM_PROGRESS = 'mutation($m: ID!, $l: ID!, $n: Int!) { claimTaskWrites(mailboxId: $m, leaseId: $l, first: $n) { taskId itemId changeKey startDay percentComplete completed fingerprint } }';
    // Outlook's start day at midnight in Stockholm (23:00 UTC the day before) is the 2nd; 40.4 % is kept as 40.
    const [{ taskId }] = ok(await sync([outlookTask('AAMkStarted=', { startAt: '2026-12-01T23:00:00.000Z', percentComplete: 40.4, status: 'IN_PROGRESS' })])).syncMailboxTasks;
    expect(ok(await hub.gql(PROGRESS, { id: taskId }, sam)).node).toEqual({ scheduledStartAt: '2026-12-02T00:00:00.000Z', percentComplete: 40, state: 'OPEN' });
    expect(await claim()).toEqual([]);

    // Changed in the CRM: handed out with the start day and progress.
    ok(await hub.gql('mutation($id: ID!, $input: UpdateTaskInput!) { updateTask(activityId: $id, input: $input) { id } }', { id: taskId, input: { scheduledStartAt: '2026-12-03T09:00:00.000Z', percentComplete: 100 } }, sam));
    const [write] = ok(await engine(CLAIM_PROGRESS, { m: samMailbox, l: lease, n: 50 })).claimTaskWrites;
    expect(write).toMatchObject({ taskId, itemId: 'AAMkStarted=', startDay: '2026-12-03', percentComplete: 99, completed: false });
    await report([{ taskId, itemId: 'AAMkStarted=', changeKey: 'CK-p', fingerprint: write.fingerprint }]);
    // Read back at 99 % (Exchange would complete a task at 100 %): no change, and the CRM keeps its 100 % and its time.
    expect(ok(await sync([outlookTask('AAMkStarted=', { changeKey: 'CK-p', startAt: '2026-12-02T23:00:00.000Z', percentComplete: 99, status: 'IN_PROGRESS', lastModifiedAt: later(60) })])).syncMailboxTasks[0].outcome).toBe('UNCHANGED');
    // Renamed in Outlook later: taken in, and the CRM's 100 % and start time on the same day stay.
    expect(ok(await sync([outlookTask('AAMkStarted=', { changeKey: 'CK-q', subject: `${tag} Called back`, startAt: '2026-12-02T23:00:00.000Z', percentComplete: 99, status: 'IN_PROGRESS', lastModifiedAt: later(120) })])).syncMailboxTasks[0].outcome).toBe('UPDATED');
    expect(ok(await hub.gql(PROGRESS, { id: taskId }, sam)).node).toEqual({ scheduledStartAt: '2026-12-03T09:00:00.000Z', percentComplete: 100, state: 'OPEN' });
    expect(await claim()).toEqual([]);

    const UPDATE = 'mutation($id: ID!, $input: UpdateTaskInput!) { updateTask(activityId: $id, input: $input) { id } }';
    failed(await hub.gql(CREATE_TASK, { input: { subject: `${tag} Backwards`, scheduledStartAt: '2026-12-10T10:00:00.000Z', dueAt: '2026-12-09T10:00:00.000Z' } }, sam), 'BAD_USER_INPUT', 'input.scheduledStartAt');
    failed(await hub.gql(CREATE_TASK, { input: { subject: `${tag} Too much`, percentComplete: 101 } }, sam), 'BAD_USER_INPUT', 'input.percentComplete');
    failed(await hub.gql(UPDATE, { id: taskId, input: { percentComplete: -1 } }, sam), 'BAD_USER_INPUT', 'input.percentComplete');
    failed(await hub.gql(UPDATE, { id: taskId, input: { percentComplete: null } }, sam), 'BAD_USER_INPUT', 'input.percentComplete');
    failed(await hub.gql(UPDATE, { id: taskId, input: { dueAt: '2026-12-01T00:00:00.000Z' } }, sam), 'BAD_USER_INPUT', 'input.scheduledStartAt');
    // Another user's task cannot be changed through these fields either.
    failed(await hub.gql(UPDATE, { id: taskId, input: { percentComplete: 5 } }, sara), 'FORBIDDEN');
  });

  it('hands the engine Sam\'s open CRM tasks to write, once each; a task written before a crash is found again by its id, not doubled', async () => {
    const made = ok(await hub.gql(CREATE_TASK, { input: { subject: `${tag} Send the offer`, dueAt: '2026-12-15T15:00:00.000Z', priority: 'LOW' } }, sam)).createTask.id;
    ok(await hub.gql(CREATE_TASK, { input: { subject: `${tag} Sara's own` } }, sara));
    ok(await hub.gql(CREATE_TASK, { input: { subject: `${tag} Long overdue`, dueAt: '2020-01-01T00:00:00.000Z' } }, sam));
    const finished = ok(await hub.gql(CREATE_TASK, { input: { subject: `${tag} Already done` } }, sam)).createTask.id;
    ok(await hub.gql(SET_STATE, { id: finished, s: 'COMPLETED' }, sam));

    const writes = await claim();
    // Not Sara's, not one long overdue, not one completed before it was ever written.
    expect(writes.map((w) => w.taskId)).toEqual([made]);
    expect(writes[0]).toMatchObject({ itemId: null, remove: false, subject: `${tag} Send the offer`, dueDay: '2026-12-15', importance: 'LOW', completed: false });
    // The engine wrote it and stopped before reporting: read back with the hub's id on it, it is linked, not a new task.
    const back = ok(await sync([outlookTask('AAMkWritten=', { changeKey: 'CK1', subject: `${tag} Send the offer`, notes: null, dueAt: '2026-12-15T00:00:00.000Z', importance: 'LOW', crmTaskId: made })])).syncMailboxTasks[0];
    expect(back).toMatchObject({ outcome: 'UNCHANGED', taskId: made });
    expect(await claim()).toEqual([]);
    expect(await hub.database.dataSource.query('SELECT id FROM activity WHERE subject = ?', [`${tag} Send the offer`])).toHaveLength(1);

    // Completed in the CRM: handed out again as completed; cancelled: to remove.
    ok(await hub.gql(SET_STATE, { id: made, s: 'COMPLETED' }, sam));
    const completed = await claim();
    // It names the version last read (CK1): the engine writes over that one only.
    expect(completed).toEqual([expect.objectContaining({ taskId: made, itemId: 'AAMkWritten=', changeKey: 'CK1', completed: true, remove: false })]);
    await report([{ taskId: made, itemId: 'AAMkWritten=', changeKey: 'CK2', fingerprint: completed[0].fingerprint }]);
    expect(await claim()).toEqual([]);
    ok(await hub.gql(SET_STATE, { id: made, s: 'CANCELLED' }, sam));
    const removal = await claim();
    expect(removal).toEqual([expect.objectContaining({ taskId: made, itemId: 'AAMkWritten=', changeKey: 'CK2', remove: true })]);
    await report([{ taskId: made, itemId: null, fingerprint: removal[0].fingerprint }]);
    expect(await claim()).toEqual([]);
  });

  it('changed on both sides: the later change wins, the loser is kept in syncConflicts, and a tie goes to the CRM', async () => {
    const [{ taskId }] = ok(await sync([outlookTask('AAMkBoth=', { subject: `${tag} Quarterly review` })])).syncMailboxTasks;
    // Sam completes it in the CRM; later, in Outlook, he renames it: Outlook's version wins.
    ok(await hub.gql(SET_STATE, { id: taskId, s: 'COMPLETED' }, sam));
    const outlookWins = ok(await sync([outlookTask('AAMkBoth=', { subject: `${tag} Quarterly review (Teams)`, lastModifiedAt: later(120) })])).syncMailboxTasks[0];
    expect(outlookWins).toMatchObject({ outcome: 'UPDATED', taskId });
    const afterOutlook = ok(await hub.gql(TASK, { id: taskId }, sam)).node;
    expect(afterOutlook).toMatchObject({ subject: `${tag} Quarterly review (Teams)`, state: 'OPEN' });
    expect(afterOutlook.syncConflicts).toEqual([expect.objectContaining({ rule: 'LATER_CHANGE_WINS', winner: 'EXCHANGE', losingVersion: { subject: `${tag} Quarterly review`, notes: 'Ask about the renewal.', dueDay: '2026-12-10', priority: 'HIGH', completed: true } })]);
    expect(await claim()).toEqual([]);

    // Now the CRM's change is the later one (Outlook's edit is an hour old): the CRM keeps its version and writes it out.
    ok(await hub.gql(SET_STATE, { id: taskId, s: 'COMPLETED' }, sam));
    const seen: string[] = [];
    const stopListening = hub.services.events.subscribe((e) => void (e.type === 'ACTIVITY_UPDATED' && seen.push(e.activityId)));
    const crmWins = ok(await sync([outlookTask('AAMkBoth=', { subject: `${tag} Quarterly review (Room Orion)`, lastModifiedAt: later(-3600) })])).syncMailboxTasks[0];
    expect(crmWins).toMatchObject({ outcome: 'CRM_VERSION_KEPT', taskId });
    // No field changed, but the new conflict reaches open timelines as an update.
    for (let i = 0; i < 100 && !seen.includes(parseGlobalId(taskId)!.id); i++) await new Promise((resolve) => setTimeout(resolve, 20));
    stopListening();
    expect(seen).toContain(parseGlobalId(taskId)!.id);
    const afterCrm = ok(await hub.gql(TASK, { id: taskId }, sam)).node;
    expect(afterCrm).toMatchObject({ subject: `${tag} Quarterly review (Teams)`, state: 'COMPLETED' });
    expect(afterCrm.syncConflicts[0]).toMatchObject({ rule: 'LATER_CHANGE_WINS', winner: 'CRM', losingVersion: { subject: `${tag} Quarterly review (Room Orion)`, completed: false } });
    expect(await claim()).toEqual([expect.objectContaining({ taskId, itemId: 'AAMkBoth=', subject: `${tag} Quarterly review (Teams)`, completed: true })]);

    // The same second on both sides: the CRM wins (TIE_CRM_WINS).
    const crmAt = (await hub.database.dataSource.query('SELECT updatedAt FROM activity WHERE id = ?', [Buffer.from(taskId, 'base64url').toString('utf8').split(':')[1]]))[0].updatedAt;
    const sameSecond = new Date(new Date(typeof crmAt === 'string' ? `${crmAt.replace(' ', 'T')}Z` : crmAt).getTime()).toISOString().replace(/\.\d+Z$/, '.000Z');
    expect(ok(await sync([outlookTask('AAMkBoth=', { subject: `${tag} Tied`, lastModifiedAt: sameSecond })])).syncMailboxTasks[0].outcome).toBe('CRM_VERSION_KEPT');
    expect(ok(await hub.gql(TASK, { id: taskId }, sam)).node.syncConflicts[0].rule).toBe('TIE_CRM_WINS');
    // Whoever may not change the task learns nothing of its conflicts.
    const asSara = ok(await hub.gql(TASK, { id: taskId }, sara)).node;
    expect(asSara?.syncConflicts ?? []).toEqual([]);
    // The engine writes the CRM's version out; read back, it changes nothing.
    const [write] = await claim();
    await report([{ taskId, itemId: 'AAMkBoth=', fingerprint: write.fingerprint }]);
    expect(await claim()).toEqual([]);
  });

  it('deleted in Outlook: an open task unchanged here is cancelled, a completed one only unlinked, one changed here is made again', async () => {
    const results = ok(await sync([outlookTask('AAMkDel1=', { subject: `${tag} Open one` }), outlookTask('AAMkDel2=', { subject: `${tag} Done one`, status: 'COMPLETED' }), outlookTask('AAMkDel3=', { subject: `${tag} Changed here` })])).syncMailboxTasks;
    const [open, done, changed] = results.map((r: any) => r.taskId);
    ok(await hub.gql(SET_STATE, { id: changed, s: 'COMPLETED' }, sam));
    const deleted = ok(await sync([], { d: ['AAMkDel1=', 'AAMkDel2=', 'AAMkDel3=', 'AAMkNeverSeen='] })).syncMailboxTasks;
    expect(deleted.map((r: any) => [r.itemId, r.outcome])).toEqual([['AAMkDel1=', 'CANCELLED'], ['AAMkDel2=', 'UNLINKED'], ['AAMkDel3=', 'RECREATED']]);
    expect(ok(await hub.gql(TASK, { id: open }, sam)).node.state).toBe('CANCELLED');
    expect(ok(await hub.gql(TASK, { id: done }, sam)).node.state).toBe('COMPLETED');
    expect(ok(await hub.gql(TASK, { id: changed }, sam)).node.syncConflicts[0]).toMatchObject({ rule: 'CHANGE_BEATS_DELETE', winner: 'CRM', losingVersion: null });
    // The changed one is written anew; the cancelled one stays out of Outlook.
    expect(await claim()).toEqual([expect.objectContaining({ taskId: changed, itemId: null, completed: true })]);
  });

  it('a task reassigned to someone else, or deleted, leaves Sam\'s Outlook, and changes to the Outlook copy make no new task', async () => {
    const SARA_ID = ok(await hub.gql('{ viewer { id } }', {}, sara)).viewer.id;
    const made = async (subject: string) => {
      const id = ok(await hub.gql(CREATE_TASK, { input: { subject: `${tag} ${subject}` } }, sam)).createTask.id;
      const [write] = await claim();
      expect(write).toMatchObject({ taskId: id, remove: false });
      await report([{ taskId: id, itemId: `AAMk${subject}=`, changeKey: 'ck1', fingerprint: write.fingerprint }]);
      return id;
    };
    const handed = await made('Handed');
    const removed = await made('Removed');
    // The API has no reassigning of activities yet: the owner changes in the database, as an import or an admin tool would.
    // Such a tool keeps the timeline entries' copies in step (docs/deployment.md).
    for (const table of ['activity', 'timeline_entry']) {
      await hub.database.dataSource.query(`UPDATE ${table} SET ownerId = ? WHERE ${table === 'activity' ? 'id' : 'activityId'} = ?`, [parseGlobalId(SARA_ID)!.id, parseGlobalId(handed)!.id]);
    }
    await hub.database.dataSource.query('DELETE FROM timeline_entry WHERE activityId = ?', [parseGlobalId(removed)!.id]);
    await hub.database.dataSource.query('DELETE FROM activity WHERE id = ?', [parseGlobalId(removed)!.id]);
    // Edited in Sam's Outlook before the engine removed it: no new task for Sam, nothing changes for Sara.
    const before = ok(await hub.gql(TASK, { id: handed }, sara)).node.subject;
    expect(ok(await sync([outlookTask('AAMkHanded=', { subject: `${tag} edited by Sam` })])).syncMailboxTasks[0]).toEqual({ itemId: 'AAMkHanded=', outcome: 'HANDED_OVER', taskId: null });
    expect(ok(await hub.gql(TASK, { id: handed }, sara)).node.subject).toBe(before);
    expect(await hub.database.dataSource.query('SELECT id FROM activity WHERE subject = ?', [`${tag} edited by Sam`])).toEqual([]);
    // The engine is told to remove both from Sam's Outlook; reported, the links are gone and nothing more is asked.
    const writes = await claim();
    expect(writes.map((w) => [w.taskId, w.itemId, w.remove])).toEqual(expect.arrayContaining([[handed, 'AAMkHanded=', true], [removed, 'AAMkRemoved=', true]]));
    const removals = writes.filter((w) => w.taskId === handed || w.taskId === removed);
    await report(removals.map((w) => ({ taskId: w.taskId, itemId: null, fingerprint: w.fingerprint })));
    expect((await claim()).filter((w) => w.taskId === handed || w.taskId === removed)).toEqual([]);
    // A removal cannot be reported for a task that was never in Sam's mailbox.
    const saras = ok(await hub.gql(CREATE_TASK, { input: { subject: `${tag} Sara's own` } }, sara)).createTask.id;
    failed(await engine(REPORT_WRITES, { m: samMailbox, l: lease, w: [{ taskId: saras, itemId: null, fingerprint: 'f' }] }), 'NOT_FOUND', 'writes[0].taskId');
  });

  it('only the engine holding the lease writes; a mailbox not syncing tasks with Exchange is refused; bad input names the field', async () => {
    for (const token of [admin, sam]) failed(await sync([outlookTask('AAMkX=')], {}, token), 'FORBIDDEN');
    failed(await sync([outlookTask('AAMkStale=', { subject: `${tag} Stale` })], { l: 'not-the-lease' }), 'CONFLICT', 'leaseId');
    failed(await hub.gql(SYNC, { m: saraMailbox, l: lease, t: [], d: [], c: null }, hub.syncServiceKey), 'CONFLICT', 'mailboxId');
    failed(await sync(Array.from({ length: 201 }, (_, i) => outlookTask(`AAMk${i}=`))), 'BAD_USER_INPUT', 'tasks');
    failed(await sync([outlookTask('x'.repeat(513))]), 'BAD_USER_INPUT', 'tasks[0].itemId');
    failed(await sync([], { d: ['y'.repeat(513)] }), 'BAD_USER_INPUT', 'deletedItemIds');
    failed(await sync([outlookTask('AAMkBad=', { status: 'SOMEDAY' })]), 'BAD_USER_INPUT');
    failed(await sync([], { c: 'x'.repeat(70_000) }), 'BAD_USER_INPUT', 'cursor');
    failed(await engine(CLAIM_WRITES, { m: samMailbox, l: lease, n: 51 }), 'BAD_USER_INPUT', 'first');
    failed(await engine(CLAIM_WRITES, { m: samMailbox, l: lease, n: 0 }), 'BAD_USER_INPUT', 'first');
    failed(await hub.gql(CLAIM_WRITES, { m: samMailbox, l: lease, n: 5 }, sam), 'FORBIDDEN');
    // Another user's task cannot be linked into Sam's mailbox, by a report or by an id on an Outlook task.
    const saras = ok(await hub.gql(CREATE_TASK, { input: { subject: `${tag} Sara's secret` } }, sara)).createTask.id;
    failed(await engine(REPORT_WRITES, { m: samMailbox, l: lease, w: [{ taskId: saras, itemId: 'AAMkSteal=', fingerprint: 'f' }] }), 'NOT_FOUND', 'writes[0].taskId');
    expect(ok(await sync([outlookTask('AAMkSteal=', { tracked: false, crmTaskId: saras })])).syncMailboxTasks[0]).toMatchObject({ outcome: 'NOT_TRACKED', taskId: null });
    // A subject far over the CRM's 400 characters and broken text are repaired and cut, not refused.
    const long = ok(await sync([outlookTask('AAMkLong=', { subject: `${'Å'.repeat(600)}\u0000`, notes: 'n'.repeat(30_000) })])).syncMailboxTasks[0];
    const stored = ok(await hub.gql(TASK, { id: long.taskId }, sam)).node;
    expect(stored.subject).toHaveLength(400);
    expect(stored.description).toHaveLength(20_000);
    // Nothing of the refused calls was written.
    expect(await hub.database.dataSource.query('SELECT subject FROM activity WHERE subject = ?', [`${tag} Stale`])).toEqual([]);
  });

  it('once the engine reports Sam\'s time zone, days go out where he is, and tasks whose days came from Outlook keep their days; only the lease holder reports it, and only a real zone', async () => {
    const REPORT_ZONE = 'mutation($m: ID!, $l: ID!, $z: String) { reportMailboxTimeZone(mailboxId: $m, leaseId: $l, timeZone: $z) { id timeZone } }';
    const DUE = 'query($id: ID!) { node(id: $id) { ... on Task { dueAt occurredAt } } }';
    const CLAIM_DAYS = 'mutation($m: ID!, $l: ID!, $n: Int!) { claimTaskWrites(mailboxId: $m, leaseId: $l, first: $n) { taskId itemId remove dueDay fingerprint } }';
    // While the hub does not know the zone, an Outlook due day is kept as midnight UTC, and a CRM time goes out as its UTC day.
    const [{ taskId: fromOutlook }] = ok(await sync([outlookTask('AAMkZone=', { subject: `${tag} From Outlook`, dueAt: '2027-01-19T23:00:00.000Z' })])).syncMailboxTasks;
    expect(ok(await hub.gql(DUE, { id: fromOutlook }, sam)).node).toEqual({ dueAt: '2027-01-20T00:00:00.000Z', occurredAt: '2027-01-20T00:00:00.000Z' });
    // Typed in the CRM: 00:30 on the 21st in Stockholm, 23:30 UTC on the 20th.
    const typed = ok(await hub.gql(CREATE_TASK, { input: { subject: `${tag} Typed`, dueAt: '2027-01-20T23:30:00.000Z' } }, sam)).createTask.id;
    // (Earlier tests leave writes pending; each is reported written, so that only this test's tasks are handed out below.)
    const claimed = ok(await engine(CLAIM_DAYS, { m: samMailbox, l: lease, n: 50 })).claimTaskWrites as any[];
    expect(claimed.find((w) => w.taskId === typed)).toMatchObject({ dueDay: '2027-01-20' });
    await report(claimed.map((w) => ({ taskId: w.taskId, itemId: w.remove ? null : (w.itemId ?? `AAMk-${w.taskId}`), fingerprint: w.fingerprint })));

    // Refused: a user or an administrator, another lease, a zone that is none (a Windows id, made up, far too long), and nothing changes.
    for (const token of [admin, sam]) failed(await hub.gql(REPORT_ZONE, { m: samMailbox, l: lease, z: 'Europe/Stockholm' }, token), 'FORBIDDEN');
    failed(await engine(REPORT_ZONE, { m: samMailbox, l: 'not-the-lease', z: 'Europe/Stockholm' }), 'CONFLICT', 'leaseId');
    for (const z of ['W. Europe Standard Time', 'Mars/Olympus_Mons', `Europe/${'x'.repeat(80)}`]) {
      expect(failed(await engine(REPORT_ZONE, { m: samMailbox, l: lease, z }), 'BAD_USER_INPUT', 'timeZone').extensions?.reason).toBe('UNKNOWN_TIME_ZONE');
    }
    expect((ok(await engine('{ mailboxes { id timeZone } }')).mailboxes as any[]).find((m) => m.id === samMailbox).timeZone).toBeNull();

    expect(ok(await engine(REPORT_ZONE, { m: samMailbox, l: lease, z: 'Europe/Stockholm' })).reportMailboxTimeZone.timeZone).toBe('Europe/Stockholm');
    // The Outlook task keeps its day, now from midnight in Stockholm (and its place on timelines with it); the typed one keeps its time.
    expect(ok(await hub.gql(DUE, { id: fromOutlook }, sam)).node).toEqual({ dueAt: '2027-01-19T23:00:00.000Z', occurredAt: '2027-01-19T23:00:00.000Z' });
    expect(ok(await hub.gql(DUE, { id: typed }, sam)).node.dueAt).toBe('2027-01-20T23:30:00.000Z');
    // Read again, the Outlook task is unchanged; the typed one now goes out on the 21st, the day it is due where Sam is.
    expect(ok(await sync([outlookTask('AAMkZone=', { subject: `${tag} From Outlook`, dueAt: '2027-01-19T23:00:00.000Z' })])).syncMailboxTasks[0].outcome).toBe('UNCHANGED');
    const again = ok(await engine(CLAIM_DAYS, { m: samMailbox, l: lease, n: 50 })).claimTaskWrites as any[];
    expect(again.map((w) => [w.taskId, w.dueDay])).toEqual([[typed, '2027-01-21']]);
    await report([{ taskId: typed, itemId: again[0].itemId, fingerprint: again[0].fingerprint }]);
    // The same zone again changes nothing.
    expect(ok(await engine(REPORT_ZONE, { m: samMailbox, l: lease, z: 'Europe/Stockholm' })).reportMailboxTimeZone.timeZone).toBe('Europe/Stockholm');
    expect(ok(await hub.gql(DUE, { id: fromOutlook }, sam)).node.dueAt).toBe('2027-01-19T23:00:00.000Z');

    // Sam sets it himself (for a mailbox whose Exchange keeps none): the same rule, the Outlook task keeps its day.
    const SET_ZONE = 'mutation($m: ID!, $z: String) { updateMailbox(id: $m, input: { timeZone: $z }) { timeZone } }';
    expect(ok(await hub.gql(SET_ZONE, { m: samMailbox, z: 'America/New_York' }, sam)).updateMailbox).toEqual({ timeZone: 'America/New_York' });
    expect(ok(await hub.gql(DUE, { id: fromOutlook }, sam)).node.dueAt).toBe('2027-01-20T05:00:00.000Z');
    for (const z of ['Stockholm', 'UTC+1', `Europe/${'x'.repeat(70)}`]) failed(await hub.gql(SET_ZONE, { m: samMailbox, z }, sam), 'BAD_USER_INPUT', 'input.timeZone');
    // Someone else's mailbox is one they may not see.
    failed(await hub.gql(SET_ZONE, { m: samMailbox, z: 'Europe/Oslo' }, sara), 'NOT_FOUND', 'id');
    // Cleared: UTC again, and the day stays the 20th.
    expect(ok(await hub.gql(SET_ZONE, { m: samMailbox, z: null }, sam)).updateMailbox).toEqual({ timeZone: null });
    expect(ok(await hub.gql(DUE, { id: fromOutlook }, sam)).node.dueAt).toBe('2027-01-20T00:00:00.000Z');
  });
});
