import net from 'node:net';
import { Arrivals } from './arrivals.js';

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
  const arrivals = new Arrivals<WireLine>();
  const lines = arrivals.items;
  const sockets = new Set<net.Socket>();
  const record = (from: WireLine['from']) => {
    let pending = '';
    return (chunk: Buffer) => {
      pending += chunk.toString('latin1');
      const parts = pending.split('\r\n');
      pending = parts.pop()!;
      for (const text of parts) arrivals.push({ from, text });
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
    waitForLine(test, { from = 0, timeoutMs = 10_000, what = 'matching line' } = {}) {
      const at = (items: readonly WireLine[]) => {
        const index = items.findIndex((line, i) => i >= from && test(line));
        return index >= 0 ? index : undefined;
      };
      return arrivals.until(at, timeoutMs, `${what} on the wire`).catch((error: Error) => {
        throw new Error(`${error.message}:\n${lines.map((l) => `${l.from}: ${l.text}`).join('\n')}`);
      });
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
