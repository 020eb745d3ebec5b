// The Exchange side of the EWS push benchmark (watch-ews.ts), in a process of its own so that its SOAP work is
// neither the engine's nor the benchmark's: the EWS test server (test/support/ews/ews-server.ts, answering SOAP shaped
// as Microsoft's EWS schema defines it) with one user per address on argv (password first). Over the IPC channel:
//   → {"url"} once it listens
//   ← {"id", "deliver": mailbox, "raw": base64}  → {"id", "t"}: the message is in the Inbox (and streaming
//     connections hear of it on the next turn of the loop); t = Date.now() right after
//   ← {"id", "connections": min}                 → {"id", "n"}: users with at least `min` GetStreamingEvents connections open
//   ← {"id", "cpu": true}                        → {"id", "cpuMs", "rssMb"}: this process's CPU time so far and its RSS
//   ← {"id", "operations": true}                 → {"id", "counts"}: the SOAP operations received so far, by name
import { startEwsTestServer } from '../test/support/ews/ews-server';

type Request = { id: number; deliver: number; raw: string } | { id: number; connections: number } | { id: number; operations: true } | { id: number; cpu: true };

async function main(): Promise<void> {
  const [password, ...addresses] = process.argv.slice(2);
  const ews = await startEwsTestServer({ keepDocuments: false });
  for (const address of addresses) ews.addUser(address, { password });
  process.on('message', (received) => {
    const message = received as Request;
    if ('deliver' in message) {
      ews.deliver(addresses[message.deliver], 'inbox', Buffer.from(message.raw, 'base64'));
      process.send!({ id: message.id, t: Date.now() });
    } else if ('connections' in message) {
      process.send!({ id: message.id, n: addresses.filter((address) => ews.openStreams(address) >= message.connections).length });
    } else if ('operations' in message) {
      const counts: Record<string, number> = {};
      for (const { operation } of ews.requests()) counts[operation] = (counts[operation] ?? 0) + 1;
      process.send!({ id: message.id, counts });
    } else {
      const { user, system } = process.cpuUsage();
      process.send!({ id: message.id, cpuMs: (user + system) / 1000, rssMb: process.memoryUsage.rss() / 2 ** 20 });
    }
  });
  // The benchmark ended (or died): so does the server.
  process.on('disconnect', () => process.exit(0));
  process.send!({ url: ews.url });
}

main().catch((error: unknown) => {
  process.stderr.write(`EWS server process failed: ${String(error)}\n`);
  process.exit(1);
});
