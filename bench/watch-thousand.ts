// A thousand mailboxes in push mode over IMAP (issue 14, target 3): Dovecot on loopback with 1,000 users, watched
// with IMAP IDLE; the run itself (configuration, engines, deliveries, sharing, takeover) is watch-harness.ts. The
// baseline is a bare imapflow client's delivery → EXISTS (watch-bare-client.ts, its own process), and the server's
// view of "watched twice" is Dovecot's own list of IMAP sessions.
import path from 'node:path';
import { startDovecot, type StartedDovecot } from '../test/support/dovecot';
import { num } from './stats';
import { rawOf, runPushBenchmark, watchTables, type WatchOptions, type WatchReport } from './watch-harness';

export type { WatchOptions, WatchReport } from './watch-harness';

// BENCH_WATCH_DATABASE keeps runs side by side on one server apart.
const DATABASE = process.env.BENCH_WATCH_DATABASE ?? 'push_watch_bench';
const PASSWORD = 'watch-bench-secret';

export async function runWatchBenchmark(options: WatchOptions): Promise<WatchReport> {
  const addresses = Array.from({ length: options.mailboxes }, (_, i) => `watch${String(i).padStart(4, '0')}@bench.crm.test`);
  options.log(`watch: Dovecot with ${addresses.length} users`);
  const dovecot = await startDovecot({ users: addresses.map((address) => ({ address, password: PASSWORD })), sentFolder: false, connections: addresses.length * 2 + 200 });
  try {
    // Each INBOX exists before anyone logs in (a first delivery would otherwise create it under a watcher).
    await Promise.all(addresses.map((address) => dovecot.deliver(address, rawOf(`seed-${address}`, address))));
    return await runPushBenchmark(
      {
        addresses,
        password: PASSWORD,
        profile: { name: 'Dovecot, 1,000 users', kind: 'IMAP_SMTP', incomingHost: '127.0.0.1', incomingPort: dovecot.imapPort, incomingTls: 'NONE', outgoingHost: '127.0.0.1', outgoingPort: 25, outgoingTls: 'NONE', pollIntervalSeconds: 300, maxConcurrentConnections: 100 },
        bareClient: [path.join(__dirname, 'watch-bare-client.js'), String(dovecot.imapPort), PASSWORD, ...addresses],
        async deliver(mailbox, _messageId, raw) {
          await dovecot.deliver(addresses[mailbox], raw);
          return Date.now(); // the rename into new/ is the delivery
        },
        usersWithConnections: (min) => usersWithSessions(dovecot, min),
      },
      DATABASE,
      options,
      'watch',
    );
  } finally {
    await dovecot.stop();
  }
}

/** Users with at least `min` IMAP sessions open, by `doveadm who`. */
async function usersWithSessions(dovecot: StartedDovecot, min: number): Promise<number> {
  const stdout = await dovecot.doveadm(['who', '-1']);
  const count = new Map<string, number>();
  for (const line of stdout.split('\n').slice(1)) {
    const [user, , service] = line.trim().split(/\s+/);
    if (user && service === 'imap') count.set(user, (count.get(user) ?? 0) + 1);
  }
  return [...count.values()].filter((n) => n >= min).length;
}

/** The section for BENCHMARKS.md (written to bench/dist/watch-section.md). */
export function watchText(r: WatchReport, commit: string): string {
  const { latency, targets } = watchTables(r, 'bare imapflow IDLE: delivery → EXISTS');
  return `## 8. A thousand mailboxes in push mode (issue 14, target 3)

Measured on ${commit}: \`npm run bench -- --only=watch\`. Dovecot on loopback with ${r.options.mailboxes} users; ${r.options.mailboxes} mailboxes in a fresh MariaDB database (rows inserted in bulk, credentials set through \`setMailboxCredentials\`: ${r.configureSeconds.toFixed(1)} s); the shipped api and engine (MAX_MAILBOXES ${r.options.slots}, WATCH_MAILBOXES 1000, WATCH_LEASE_SECONDS ${r.options.leaseSeconds}) as processes; the bare client is imapflow IDLE-ing on every INBOX in its own process, in the same run. Deliveries: ${r.options.ratePerSecond}/s for ${r.options.seconds} s into random mailboxes (maildir tmp → new). Every mailbox had been synced once ${r.initialSyncSeconds.toFixed(1)} s after the engine started.

${latency}

Engine while delivering: CPU ${num(r.engineCpuPercent)} % of one core, peak RSS ${num(r.engineRssMb)} MB (RSS while only watching: ${num(r.engineIdleRssMb)} MB; CPU while only watching: ${num(r.engineWatchCpuPercent, 1)} %). Second engine: shared ${r.shared.a} + ${r.shared.b} after ${r.shared.seconds.toFixed(1)} s; Dovecot users with three or more IMAP sessions at that moment (bare + two engines, or a sync running): ${r.shared.twiceOnServer}.

${targets}
`;
}
