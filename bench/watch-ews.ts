// A thousand Exchange mailboxes in push mode (issue 14, target 3): the EWS test server (test/support/ews/, SOAP shaped
// as Microsoft's EWS schema defines it) in a process of its own (watch-ews-server.ts) with 1,000 users, each mailbox
// signing in as itself (Basic) on one EXCHANGE_EWS profile; the engine watches them with EWS streaming subscriptions
// outside its work slots. The run itself (configuration, engines, deliveries, sharing, takeover) is watch-harness.ts.
// The baseline is a bare client's delivery → NewMailEvent on its own streaming subscriptions on the same server
// (watch-ews-bare-client.ts, its own process); "watched twice" from the server's side is a user with three open
// GetStreamingEvents connections (the bare client's and two engines').
import { fork, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { num } from './stats';
import { runPushBenchmark, watchTables, type WatchOptions, type WatchReport } from './watch-harness';

// BENCH_WATCH_DATABASE keeps runs side by side on one server apart.
const DATABASE = `${process.env.BENCH_WATCH_DATABASE ?? 'push_watch_bench'}_ews`;
const PASSWORD = 'watch-ews-bench-secret';

export interface EwsWatchReport extends WatchReport {
  /** The EWS server process: its CPU over the delivery minute's run as a whole, and its RSS at the end. */
  readonly server: { readonly cpuSeconds: number; readonly rssMb: number };
  /** The SOAP operations the server received while delivering, by name (the engines' and the bare client's). */
  readonly callsWhileDelivering: Record<string, number>;
}

/** The EWS server process, asked over its IPC channel. */
class EwsServerProcess {
  private next = 0;
  private readonly pending = new Map<number, (answer: Record<string, unknown>) => void>();

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {
    child.on('message', (message) => {
      const answer = message as Record<string, unknown>;
      const resolve = this.pending.get(answer.id as number);
      this.pending.delete(answer.id as number);
      resolve?.(answer);
    });
  }

  static async start(addresses: readonly string[]): Promise<EwsServerProcess> {
    const child = fork(path.join(__dirname, 'watch-ews-server.js'), [PASSWORD, ...addresses], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const [first] = (await Promise.race([once(child, 'message'), once(child, 'exit').then(() => Promise.reject(new Error('the EWS server process exited before it listened')))])) as [{ url: string }];
    return new EwsServerProcess(child, first.url);
  }

  ask(request: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.next++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.child.send({ ...request, id });
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    this.child.kill('SIGTERM');
    await once(this.child, 'exit');
  }
}

export async function runEwsWatchBenchmark(options: WatchOptions): Promise<EwsWatchReport> {
  const addresses = Array.from({ length: options.mailboxes }, (_, i) => `ews${String(i).padStart(4, '0')}@bench.crm.test`);
  options.log(`watch-ews: the EWS test server with ${addresses.length} users, in its own process`);
  const server = await EwsServerProcess.start(addresses);
  let windowFrom = 0;
  let callsFrom: Record<string, number> = {};
  let callsWhileDelivering: Record<string, number> = {};
  const operations = async () => (await server.ask({ operations: true })).counts as Record<string, number>;
  try {
    const report = await runPushBenchmark(
      {
        addresses,
        password: PASSWORD,
        profile: { name: 'EWS test server, 1,000 users', kind: 'EXCHANGE_EWS', ewsUrl: server.url, authMethod: 'PASSWORD', pollIntervalSeconds: 300, maxConcurrentConnections: 100 },
        bareClient: [path.join(__dirname, 'watch-ews-bare-client.js'), server.url, PASSWORD, ...addresses],
        deliver: async (mailbox, _messageId, raw) => (await server.ask({ deliver: mailbox, raw: raw.toString('base64') })).t as number,
        usersWithConnections: async (min) => (await server.ask({ connections: min })).n as number,
        deliveryWindow: async (edge) => {
          const cpuMs = (await server.ask({ cpu: true })).cpuMs as number;
          const calls = await operations();
          if (edge === 'start') callsFrom = calls;
          else callsWhileDelivering = Object.fromEntries(Object.entries(calls).map(([operation, n]) => [operation, n - (callsFrom[operation] ?? 0)]).filter(([, n]) => (n as number) > 0));
          if (edge === 'start') windowFrom = cpuMs;
          return edge === 'end' ? cpuMs - windowFrom : undefined;
        },
      },
      DATABASE,
      options,
      'watch-ews',
    );
    const usage = await server.ask({ cpu: true });
    return { ...report, server: { cpuSeconds: (usage.cpuMs as number) / 1000, rssMb: usage.rssMb as number }, callsWhileDelivering };
  } finally {
    await server.stop();
  }
}

/** The subsection for BENCHMARKS.md §8 (written to bench/dist/watch-ews-section.md). */
export function watchEwsText(r: EwsWatchReport, commit: string): string {
  const { latency, targets } = watchTables(r, 'bare EWS client: delivery → NewMailEvent on its stream');
  const pulled = r.engineLines['Exchange mailbox watched with pull notifications'] ?? 0;
  const failedOpen = r.engineLines['could not open the push connection; retrying'] ?? 0;
  const closed = r.engineLines['push connection closed; reconnecting'] ?? 0;
  const atPeak = r.engineIdleAtPeak;
  const syncs = Math.max(1, r.syncsWhileDelivering);
  // Only the engines ask these; the bare client only subscribes and listens.
  const syncCalls = ['GetFolder', 'SyncFolderHierarchy', 'SyncFolderItems', 'GetItem'].map((operation) => `${operation} ${num((r.callsWhileDelivering[operation] ?? 0) / syncs, 2)}`).join(', ');
  const allCalls = Object.entries(r.callsWhileDelivering).sort(([a], [b]) => a.localeCompare(b)).map(([operation, n]) => `${operation} ${num(n)}`).join(', ');
  const peakParts = atPeak ? ` (at that peak: V8 heap ${num(atPeak.heapUsedMb)} MB used of ${num(atPeak.heapTotalMb)} MB, ArrayBuffers ${num(atPeak.arrayBuffersMb)} MB, the rest ${num(atPeak.rssMb - atPeak.heapTotalMb - atPeak.externalMb)} MB)` : '';
  return `### 1,000 Exchange mailboxes

Measured on ${commit}: \`npm run bench -- --only=watch-ews\`. The EWS test server (test/support/ews/, SOAP shaped as Microsoft's EWS schema defines it) in a process of its own with ${r.options.mailboxes} users; ${r.options.mailboxes} mailboxes on one EXCHANGE_EWS profile, each signing in as itself (Basic), in a fresh MariaDB database (rows inserted in bulk, credentials set through \`setMailboxCredentials\`: ${r.configureSeconds.toFixed(1)} s); the shipped api and engine (MAX_MAILBOXES ${r.options.slots}, WATCH_MAILBOXES 1000, WATCH_LEASE_SECONDS ${r.options.leaseSeconds}) as processes. The engine watches each mailbox with a streaming subscription on the folders it syncs (Inbox, Sent Items) and a GetStreamingEvents connection; the bare client holds its own streaming subscription on each Inbox and a GetStreamingEvents connection per mailbox, plain SOAP over node:http in its own process, in the same run. Deliveries: ${r.options.ratePerSecond}/s for ${r.options.seconds} s into random Inboxes (the server records the item and writes NewMailEvent/CreatedEvent to the open streams). Every mailbox had been synced once ${r.initialSyncSeconds.toFixed(1)} s after the engine started.

${latency}

Engine: peak RSS ${num(r.engineRssMb)} MB; from its start through the watch and every mailbox's first sync ${num(r.engineIdleRssMb)} MB${peakParts}. CPU while only watching (10 s after the first syncs): ${num(r.engineWatchCpuPercent, 1)} % of one core; while delivering: ${num(r.engineCpuPercent)} % (longest event-loop stall ${num(r.engineStallMaxMs)} ms). While delivering, the api used ${num(r.apiCpuPercent)} % of a core and answered ${num(r.apiGraphql.count)} GraphQL requests (mean ${num(r.apiGraphql.ms / Math.max(1, r.apiGraphql.count), 1)} ms), the EWS server process ${num(r.peerCpuPercent ?? NaN)} % (${num(r.server.cpuSeconds, 1)} s of CPU over the whole run, RSS ${num(r.server.rssMb)} MB at the end). Deliveries queryable at the end of the run (after the second engine and the takeover): ${num(r.queryableAtEnd)} of ${num(r.options.ratePerSecond * r.options.seconds)}. EWS calls per sync while delivering (${num(r.syncsWhileDelivering)} syncs of the first engine): ${syncCalls}; all SOAP operations the server received meanwhile: ${allCalls}. Watches that fell back to pull notifications: ${pulled}; push connections that failed to open: ${failedOpen}; closed and reopened: ${closed}. Second engine: shared ${r.shared.a} + ${r.shared.b} after ${r.shared.seconds.toFixed(1)} s; users with three or more GetStreamingEvents connections open at that moment (bare + two engines): ${r.shared.twiceOnServer}.

${targets}
`;
}
