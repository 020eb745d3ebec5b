// What one held push connection costs the engine: Dovecot on loopback with N users, and in a child process of its
// own the engine's built watchInbox (sync-engine/dist/mail/imap/imap-watch.js) on each user's INBOX. Prints the
// child's memory before the first connection and once all N idle (after a full GC), and the difference per
// connection. Not part of `npm run bench`; run it alone:
//   tsc -p bench && node bench/dist/bench/watch-cost.js [N] [engine dist dir]
// WATCH_COST_COMPRESS=1 has Dovecot offer COMPRESS=DEFLATE. WATCH_COST_SNAPSHOT=file.heapsnapshot also writes a heap snapshot of the child with every connection open.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { startDovecot } from '../test/support/dovecot';

const PASSWORD = 'watch-cost-secret';
const ROOT = path.resolve(__dirname, '..', '..', '..');

async function main(): Promise<void> {
  const n = Number(process.argv[2] ?? 300);
  const dist = path.resolve(process.argv[3] ?? path.join(ROOT, 'sync-engine', 'dist'));
  const addresses = Array.from({ length: n }, (_, i) => `cost${String(i).padStart(4, '0')}@bench.crm.test`);
  const dovecot = await startDovecot({ users: addresses.map((address) => ({ address, password: PASSWORD })), sentFolder: false, connections: n * 2 + 200 });
  try {
    // WATCH_COST_COMPRESS=1: Dovecot offers COMPRESS=DEFLATE (RFC 4978), as many production servers do.
    if (process.env.WATCH_COST_COMPRESS === '1') {
      fs.appendFileSync(dovecot.configPath, 'protocol imap {\n  mail_plugins = $mail_plugins imap_zlib\n}\n');
      await dovecot.doveadm(['reload']);
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    await Promise.all(addresses.map((address) => dovecot.deliver(address, `From: a@bench.crm.test\r\nTo: ${address}\r\nSubject: seed\r\nMessage-ID: <seed-${address}>\r\n\r\nseed\r\n`)));
    const child = spawn(process.execPath, ['--expose-gc', path.join(__dirname, 'watch-cost-child.js'), dist, String(dovecot.imapPort), PASSWORD, ...addresses], { stdio: ['ignore', 'pipe', 'inherit'], env: process.env });
    for await (const line of createInterface({ input: child.stdout! })) process.stdout.write(`${line}\n`);
  } finally {
    await dovecot.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error instanceof Error ? error.stack : error)}\n`);
  process.exitCode = 1;
});
