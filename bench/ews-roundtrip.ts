// Benchmark: the round trip of an appointment, a task and a contact between the CRM and an Exchange mailbox. The shipped engine and api
// (MariaDB) sync a mailbox of the EWS test server (in this process) whose appointments method is server-side sync.
// Each sample makes an appointment in the CRM as the mailbox's owner and times it until the test server's Calendar
// holds it (CRM → Exchange), then moves that entry in the Calendar as Outlook would and times it until the CRM shows
// the new time (Exchange → CRM); then makes a task in the CRM until the Tasks folder holds it, and completes it there
// until the CRM shows it completed; then makes a contact in the CRM until the Contacts folder holds it, and changes its
// job title there until the CRM shows it. Twice: with push (the engine holds the mailbox on an EWS streaming-notification
// connection, and the hub wakes it for what changed in the CRM), and with polling only (every claim reads and hands
// back; the profile polls every 5 s).
import { startEwsTestServer, type StartedEwsServer } from '../test/support/ews/ews-server';
import { dropDatabase } from './bench-api';
import { engineEnv, NO_WATCH } from './mail-ingest';
import { ApiProcess, assertBuilt, configureMailbox, EngineProcess, waitForEnabled } from './mail-processes';
import { ms, num, percentile, table } from './stats';

const DATABASE = 'crm_bench_ews_roundtrip';
const USER = 'sam.sales@demo.crm.test';
const PASSWORD = 'bench-roundtrip-secret';
const TIMEOUT_MS = 120_000;

interface Spread {
  readonly p50: number;
  readonly p95: number;
}

interface ModeReport {
  readonly mode: string;
  readonly settings: string;
  /** What went round: an appointment (made, then moved in Outlook), a task (made, then completed in Outlook) or a contact (made, then retitled in Outlook). */
  readonly kind: Kind;
  readonly toExchange: Spread;
  readonly toCrm: Spread;
  readonly roundTrip: Spread;
}

const KINDS = ['appointment', 'task', 'contact'] as const;
type Kind = (typeof KINDS)[number];

interface Samples {
  readonly toExchange: number[];
  readonly toCrm: number[];
}

const spread = (samples: readonly number[]): Spread => ({ p50: percentile(samples, 50), p95: percentile(samples, 95) });

export interface RoundTripReport {
  readonly samples: number;
  readonly modes: readonly ModeReport[];
}

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + TIMEOUT_MS;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`round trip: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function measureMode(api: ApiProcess, ews: StartedEwsServer, sam: string, contactId: string, mode: string, env: Record<string, string>, samples: number, log: (line: string) => void): Promise<Record<Kind, Samples>> {
  const engine = new EngineProcess(engineEnv(api, `bench-roundtrip-${mode}`, { POLL_INTERVAL_MS: '200', ...env }));
  const appointment: Samples = { toExchange: [], toCrm: [] };
  const task: Samples = { toExchange: [], toCrm: [] };
  const contact: Samples = { toExchange: [], toCrm: [] };
  try {
    // Settled: the engine has claimed the mailbox and read its Calendar once.
    await engine.waitForLine((line) => line.msg === 'mailbox sync finished' || line.msg === 'calendar synchronized' || line.msg === 'mailbox claimed', { timeoutMs: 60_000 }).catch(() => undefined);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    for (let i = 0; i < samples; i++) {
      const subject = `Round trip ${mode} ${i} ${Date.now()}`;
      const start = new Date(Date.UTC(2027, 5, 1 + i, 9));
      let made = performance.now();
      const { createAppointment } = await api.data<{ createAppointment: { id: string } }>(
        'mutation($input: CreateAppointmentInput!) { createAppointment(input: $input) { id } }',
        { input: { subject, startAt: start.toISOString(), endAt: new Date(start.getTime() + 3_600_000).toISOString(), requiredAttendeeIds: [contactId] } },
        sam,
      );
      const entry = await until(() => ews.calendarItems(USER).find((item) => item.subject === subject), `${subject} in the Calendar`);
      appointment.toExchange.push(performance.now() - made);
      const moved = new Date(start.getTime() + 2 * 3_600_000);
      let changed = performance.now();
      ews.updateCalendarItem(USER, entry.itemId, { start: moved, end: new Date(moved.getTime() + 3_600_000), sequence: 1 });
      await until(async () => {
        const { node } = await api.data<{ node: { startAt: string } | null }>('query($id: ID!) { node(id: $id) { ... on Appointment { startAt } } }', { id: createAppointment.id }, sam);
        return node?.startAt === moved.toISOString() ? true : undefined;
      }, `${subject} moved in the CRM`);
      appointment.toCrm.push(performance.now() - changed);

      // A task: made in the CRM until the Tasks folder holds it, then completed in Outlook until the CRM shows it done.
      made = performance.now();
      const { createTask } = await api.data<{ createTask: { id: string } }>('mutation($input: CreateTaskInput!) { createTask(input: $input) { id } }', { input: { subject: `${subject} task` } }, sam);
      const outlookTask = await until(() => ews.tasks(USER).find((item) => item.subject === `${subject} task`), `${subject} task in the Tasks folder`);
      task.toExchange.push(performance.now() - made);
      changed = performance.now();
      ews.updateTask(USER, outlookTask.itemId, { status: 'Completed' });
      await until(async () => {
        const { node } = await api.data<{ node: { state: string } | null }>('query($id: ID!) { node(id: $id) { ... on Task { state } } }', { id: createTask.id }, sam);
        return node?.state === 'COMPLETED' ? true : undefined;
      }, `${subject} task completed in the CRM`);
      task.toCrm.push(performance.now() - changed);

      // A contact: made in the CRM until the Contacts folder holds it, then retitled in Outlook until the CRM shows it.
      made = performance.now();
      const lastName = `Roundtrip ${mode} ${i} ${Date.now()}`;
      const { createContact } = await api.data<{ createContact: { id: string } }>('mutation($input: CreateContactInput!) { createContact(input: $input) { id } }', { input: { firstName: 'Rita', lastName, emails: [`rita.${mode}.${i}.${Date.now()}@customer.test`] } }, sam);
      const outlookContact = await until(() => ews.contacts(USER).find((item) => item.surname === lastName), `${lastName} in the Contacts folder`);
      contact.toExchange.push(performance.now() - made);
      changed = performance.now();
      ews.updateContact(USER, outlookContact.itemId, { jobTitle: 'Buyer' });
      await until(async () => {
        const { node } = await api.data<{ node: { jobTitle: string | null } | null }>('query($id: ID!) { node(id: $id) { ... on Contact { jobTitle } } }', { id: createContact.id }, sam);
        return node?.jobTitle === 'Buyer' ? true : undefined;
      }, `${lastName} retitled in the CRM`);
      contact.toCrm.push(performance.now() - changed);
      log(`roundtrip ${mode} ${i + 1}/${samples}: appointment CRM → Exchange ${appointment.toExchange.at(-1)!.toFixed(0)} ms, Exchange → CRM ${appointment.toCrm.at(-1)!.toFixed(0)} ms; task ${task.toExchange.at(-1)!.toFixed(0)} ms, ${task.toCrm.at(-1)!.toFixed(0)} ms; contact ${contact.toExchange.at(-1)!.toFixed(0)} ms, ${contact.toCrm.at(-1)!.toFixed(0)} ms`);
    }
  } finally {
    await engine.stop();
  }
  return { appointment, task, contact };
}

export async function runRoundTripBenchmark(options: { samples: number; log: (line: string) => void }): Promise<RoundTripReport> {
  const { log } = options;
  assertBuilt();
  const ews = await startEwsTestServer();
  ews.addUser(USER, { password: PASSWORD });
  const api = await ApiProcess.start(DATABASE, {});
  try {
    const admin = await api.login();
    const setup = new EngineProcess(engineEnv(api, 'bench-roundtrip-setup', { POLL_INTERVAL_MS: '200', IDLE_SECONDS: '0', ...NO_WATCH }));
    const mailboxId = await configureMailbox(api, admin, USER, { kind: 'EXCHANGE_EWS', url: ews.url }, PASSWORD, { appointments: true });
    try {
      await waitForEnabled(api, admin, mailboxId);
    } finally {
      await setup.stop();
    }
    const sam = await api.login(USER);
    const { contacts } = await api.data<{ contacts: { edges: { node: { id: string } }[] } }>('{ contacts(first: 1) { edges { node { id } } } }', {}, admin);
    const contactId = contacts.edges[0].node.id;
    const modes: ModeReport[] = [];
    const plans = [
      { mode: 'push', settings: 'IDLE_SECONDS 300 (the default): the engine holds the mailbox on an EWS streaming-notification connection (GetStreamingEvents), and the hub wakes it for appointments, tasks and contacts changed in the CRM (exchangeWritesDue)', env: { IDLE_SECONDS: '300' } },
      { mode: 'polling', settings: 'IDLE_SECONDS 0: each claim reads and writes, then hands back; the profile polls every 5 s', env: { IDLE_SECONDS: '0' } },
    ];
    for (const plan of plans) {
      log(`roundtrip: ${plan.mode}`);
      const measured = await measureMode(api, ews, sam, contactId, plan.mode, plan.env, options.samples, log);
      for (const kind of KINDS) {
        const { toExchange, toCrm } = measured[kind];
        modes.push({ mode: plan.mode, settings: plan.settings, kind, toExchange: spread(toExchange), toCrm: spread(toCrm), roundTrip: spread(toExchange.map((t, i) => t + toCrm[i])) });
      }
    }
    return { samples: options.samples, modes };
  } finally {
    await api.stop();
    await ews.close();
    await dropDatabase(DATABASE);
  }
}

/** The report's lines for BENCHMARKS.md. */
export function roundTripText(report: RoundTripReport, commit: string): string {
  const pushed = report.modes.filter((m) => m.mode === 'push');
  const worst = Math.max(...pushed.map((m) => m.roundTrip.p95));
  const settings = [...new Map(report.modes.map((m) => [m.mode, m.settings])).entries()];
  return [
    `## 6. Appointment, task and contact round trip between the CRM and Exchange (commit ${commit})`,
    '',
    `${report.samples} of each per mode: an appointment made in the CRM by the mailbox's owner until the EWS test server's Calendar holds it, then moved in that Calendar until the CRM shows the new time; a task made in the CRM until the Tasks folder holds it, then completed there until the CRM shows it completed; a contact made in the CRM until the Contacts folder holds it, then given a job title there until the CRM shows it. Shipped engine and api on MariaDB, the test server in the benchmark process.`,
    '',
    table(
      ['mode', 'what', 'CRM → Exchange p50 / p95', 'Exchange → CRM p50 / p95', 'round trip p50 / p95'],
      report.modes.map((m) => [m.mode, m.kind, `${ms(m.toExchange.p50)} / ${ms(m.toExchange.p95)}`, `${ms(m.toCrm.p50)} / ${ms(m.toCrm.p95)}`, `${ms(m.roundTrip.p50)} / ${ms(m.roundTrip.p95)}`]),
    ),
    '',
    ...settings.map(([mode, text]) => `- **${mode}**: ${text}.`),
    '',
    table(['target', 'measured', 'wanted', ''], [['round trip p95 with push (the slowest kind)', `${num(worst / 1000, 1)} s`, '< 5 s', worst < 5000 ? 'met' : 'missed']]),
    '',
  ].join('\n');
}
