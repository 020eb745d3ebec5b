import net from 'node:net';

// A loopback TCP relay in front of an IMAP server that records every line each side sends, so a test can
// wait for what happened on the wire (the server's "+ idling") and check where a notification arrived.

export interface WireLine {
  readonly from: 'client' | 'server';
  readonly text: string;
}

export interface ImapWireTap {
  readonly port: number;
  readonly lines: readonly WireLine[];
  /** Resolves with the index of the first line from `from` on that `test` accepts; rejects after `timeoutMs`. */
  waitForLine(test: (line: WireLine) => boolean, options?: { from?: number; timeoutMs?: number; what?: string }): Promise<number>;
  close(): Promise<void>;
}

export async function startImapWireTap(host: string, port: number): Promise<ImapWireTap> {
  const lines: WireLine[] = [];
  let wake: (() => void)[] = [];
  const sockets = new Set<net.Socket>();
  const record = (from: WireLine['from']) => {
    let pending = '';
    return (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      const parts = pending.split('\r\n');
      pending = parts.pop()!;
      for (const text of parts) lines.push({ from, text });
      for (const w of wake.splice(0)) w();
    };
  };
  const server = net.createServer((client) => {
    const upstream = net.connect(port, host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => {});
    }
    client.on('data', record('client'));
    upstream.on('data', record('server'));
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    lines,
    async waitForLine(test, { from = 0, timeoutMs = 10_000, what = 'matching line' } = {}) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const index = lines.findIndex((line, i) => i >= from && test(line));
        if (index >= 0) return index;
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no ${what} on the wire within ${timeoutMs} ms:\n${lines.map((l) => `${l.from}: ${l.text}`).join('\n')}`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake.push(() => {
            clearTimeout(timer);
            resolve();
          });
        });
      }
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      wake = [];
    },
  };
}
