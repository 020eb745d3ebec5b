// The baseline of the watch benchmark, in its own process: a bare imapflow client per mailbox, IDLE-ing on INBOX,
// that prints one JSON line per new message it hears of ({"i": mailbox index, "t": Date.now()}). Input on argv:
// port, password, then the addresses. Prints {"ready": n} once every connection idles.
import { ImapFlow } from 'imapflow';

const [port, password, ...addresses] = process.argv.slice(2);
const CONCURRENCY = 50;

async function watch(index: number): Promise<void> {
  const client = new ImapFlow({ host: '127.0.0.1', port: Number(port), secure: false, doSTARTTLS: false, auth: { user: addresses[index], pass: password }, logger: false, disableAutoIdle: true, maxIdleTime: 240_000 });
  client.on('error', () => undefined);
  await client.connect();
  await client.mailboxOpen('INBOX', { readOnly: true });
  client.on('exists', (event: { count: number; prevCount: number }) => {
    const t = Date.now();
    for (let k = event.prevCount; k < event.count; k++) process.stdout.write(`${JSON.stringify({ i: index, t })}\n`);
  });
  void client.idle().catch(() => undefined);
}

async function main(): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < addresses.length) await watch(next++);
    }),
  );
  process.stdout.write(`${JSON.stringify({ ready: addresses.length })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`bare client failed: ${String(error)}\n`);
  process.exit(1);
});
