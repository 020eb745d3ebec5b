import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { InProcessBus, LIVE_CHANNELS, type LiveBus } from '../../api/src/live/live-bus';
import { createLiveBus, describeRedisUrl, reconnectDelayMs, RedisBus } from '../../api/src/live/redis-bus';
import { createLogger, type Logger } from '../../api/src/platform/logger';
import { startRedisServer, type StartedRedisServer } from '../support/redis-server';

// Two RedisBus instances stand for two api processes; the server is a private redis-server the tests stop and restart.

const PASSWORD = 'bus-test-s3cret';
const BUILT_BUS = path.resolve(__dirname, '..', '..', 'api', 'dist', 'live', 'redis-bus.js');
const BUILT_LOGGER = path.resolve(__dirname, '..', '..', 'api', 'dist', 'platform', 'logger.js');

/** A logger whose JSON lines the test can read. */
function capturedLogger(): { log: Logger; lines: () => Array<{ level: number; msg: string }>; text: () => string } {
  const written: string[] = [];
  const log = createLogger('debug', 'redis-bus-test', { write: (line: string) => void written.push(line) });
  return { log, lines: () => written.map((line) => JSON.parse(line)), text: () => written.join('') };
}

/** Resolves with the first message on `channel` that `accept` takes. */
function nextMessage(bus: LiveBus, channel: string, accept: (message: string) => boolean = () => true): Promise<string> {
  return new Promise((resolve) => {
    const unsubscribe = bus.subscribe(channel, (message) => {
      if (!accept(message)) return;
      unsubscribe();
      resolve(message);
    });
  });
}

/** Resolves when the bus calls its reconnect hook. */
function reconnected(bus: LiveBus): Promise<void> {
  return new Promise((resolve) => (bus.onReconnect = resolve));
}

const waitUntilReady = (bus: LiveBus, ready = true) => vi.waitFor(() => expect(bus.ready).toBe(ready), { timeout: 10_000, interval: 10 });

/** One publish reaches the other bus: once both are `ready`, their subscriptions are confirmed by Redis. */
async function deliveredBetween(from: LiveBus, to: LiveBus, channel: string, message: string): Promise<void> {
  const arrived = nextMessage(to, channel, (received) => received === message);
  from.publish(channel, message);
  await arrived;
}

describe('RedisBus against a real redis-server', () => {
  let server: StartedRedisServer;
  const buses: LiveBus[] = [];
  const bus = (log: Logger = capturedLogger().log, url = server.url): RedisBus => {
    const created = new RedisBus(url, log);
    buses.push(created);
    return created;
  };

  beforeAll(async () => {
    server = await startRedisServer({ password: PASSWORD });
  });
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((each) => each.close()));
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('carries messages between two processes, and to the publisher itself', async () => {
    const one = bus();
    const two = bus();
    expect(one.kind).toBe('redis');
    const atTwo = nextMessage(two, LIVE_CHANNELS.events);
    const atOne = nextMessage(one, LIVE_CHANNELS.events);
    const accessAtOne = nextMessage(one, LIVE_CHANNELS.access);
    await Promise.all([waitUntilReady(one), waitUntilReady(two)]);

    one.publish(LIVE_CHANNELS.events, '42');
    two.publish(LIVE_CHANNELS.access, 'user-7');
    expect(await atTwo).toBe('42');
    expect(await atOne).toBe('42');
    expect(await accessAtOne).toBe('user-7');
  });

  it('stops delivering to a handler once it unsubscribes', async () => {
    const one = bus();
    const two = bus();
    const kept: string[] = [];
    const dropped: string[] = [];
    two.subscribe(LIVE_CHANNELS.events, (message) => kept.push(message));
    const unsubscribe = two.subscribe(LIVE_CHANNELS.events, (message) => dropped.push(message));
    await Promise.all([waitUntilReady(one), waitUntilReady(two)]);
    unsubscribe();
    const last = nextMessage(two, LIVE_CHANNELS.events, (message) => message === 'b');
    one.publish(LIVE_CHANNELS.events, 'a');
    one.publish(LIVE_CHANNELS.events, 'b');
    await last;
    expect(kept).toEqual(['a', 'b']);
    expect(dropped).toEqual([]);
  });

  it('after Redis restarts, both processes reconnect, resubscribe and call onReconnect', async () => {
    const one = bus();
    const two = bus();
    const heard = { one: [] as string[], two: [] as string[] };
    one.subscribe(LIVE_CHANNELS.events, (message) => heard.one.push(message));
    two.subscribe(LIVE_CHANNELS.events, (message) => heard.two.push(message));
    await Promise.all([waitUntilReady(one), waitUntilReady(two)]);

    const back = Promise.all([reconnected(one), reconnected(two)]);
    const readyAtHook: boolean[] = [];
    void back.then(() => readyAtHook.push(one.ready, two.ready));
    await server.restart();
    await back;
    expect(readyAtHook).toEqual([true, true]);

    // The subscriptions are back (re-sent by the bus on 'ready'): messages flow both ways again.
    await deliveredBetween(one, two, LIVE_CHANNELS.events, 'after-restart-1to2');
    await deliveredBetween(two, one, LIVE_CHANNELS.events, 'after-restart-2to1');
  });

  it('while Redis is down: not ready, publish neither throws nor queues, one warning; then it comes back', async () => {
    const logged = capturedLogger();
    const one = bus(logged.log);
    const two = bus();
    await Promise.all([waitUntilReady(one), waitUntilReady(two)]);
    const subscribedWhileDown: string[] = [];

    await server.stop();
    await Promise.all([waitUntilReady(one, false), waitUntilReady(two, false)]);
    // Several reconnect attempts pass while it is down (a watcher with the bus's own back-off counts them).
    await reconnectAttempts(server.url, 3);

    const heapBefore = process.memoryUsage().heapUsed;
    const message = 'x'.repeat(1024);
    for (let i = 0; i < 200_000; i++) one.publish(LIVE_CHANNELS.events, `${i}:${message}`);
    expect(one.pendingPublishes).toBe(0);
    // 200,000 queued 1 KB messages would hold over 200 MB.
    expect(process.memoryUsage().heapUsed - heapBefore).toBeLessThan(64 * 1024 * 1024);
    // A channel first subscribed during the outage is subscribed once Redis is back.
    two.subscribe('crm-hub:test-late', (late) => subscribedWhileDown.push(late));

    const back = Promise.all([reconnected(one), reconnected(two)]);
    await server.start();
    await back;
    expect(one.ready && two.ready).toBe(true);
    await deliveredBetween(one, two, 'crm-hub:test-late', 'late');
    expect(subscribedWhileDown.length).toBeGreaterThan(0);

    const lines = logged.lines();
    expect(lines.filter((line) => line.level === 40)).toHaveLength(1); // warn: once per outage
    expect(lines.filter((line) => line.level === 20 && /dropping/.test(line.msg))).toHaveLength(1); // debug: once, not per message
    expect(lines.some((line) => /Redis is back/.test(line.msg))).toBe(true);
    expect(logged.text()).not.toContain(PASSWORD);
    expect(logged.text()).toContain(`127.0.0.1:${server.port}`);
  });

  it('close() leaves nothing open: a process that closes its bus exits by itself, Redis up or down', async () => {
    expect(await exitsAfterClose(server.url, 'up')).toEqual({ code: 0, output: 'closed' });
    await server.stop();
    try {
      expect(await exitsAfterClose(server.url, 'down')).toEqual({ code: 0, output: 'closed' });
    } finally {
      await server.start();
    }
  });

  it('createLiveBus picks Redis when a URL is given', async () => {
    const redis = createLiveBus(server.url, capturedLogger().log);
    buses.push(redis);
    expect(redis).toBeInstanceOf(RedisBus);
    const local = createLiveBus(undefined, capturedLogger().log);
    expect(local).toBeInstanceOf(InProcessBus);
    await local.close();
  });
});

describe('InProcessBus', () => {
  it('delivers to every subscriber of the channel, asynchronously', async () => {
    const local = new InProcessBus();
    expect(local.ready).toBe(true);
    expect(local.kind).toBe('in-process');
    const first = nextMessage(local, LIVE_CHANNELS.events);
    const second = nextMessage(local, LIVE_CHANNELS.events);
    const other: string[] = [];
    local.subscribe(LIVE_CHANNELS.access, (message) => other.push(message));
    let inline = false;
    local.subscribe(LIVE_CHANNELS.events, () => (inline = true));
    local.publish(LIVE_CHANNELS.events, '7');
    expect(inline).toBe(false);
    expect(await Promise.all([first, second])).toEqual(['7', '7']);
    expect(other).toEqual([]);
    await local.close();
  });
});

describe('describeRedisUrl', () => {
  it('keeps host, port and database, never the credentials', () => {
    expect(describeRedisUrl('redis://app:pa55@cache.internal:6380/2')).toBe('redis://cache.internal:6380/2');
    expect(describeRedisUrl('rediss://:pa55@127.0.0.1:6379')).toBe('rediss://127.0.0.1:6379');
    expect(describeRedisUrl('not a url :pa55@')).toBe('(unparsable REDIS_URL)');
  });
});

describe('reconnect back-off', () => {
  it('grows by 200 ms an attempt and stays at 2 s', () => {
    expect([1, 2, 5, 10, 11, 1000].map(reconnectDelayMs)).toEqual([200, 400, 1000, 2000, 2000, 2000]);
  });
});

/** Resolves after a client with the bus's back-off has tried (and failed) to reconnect `count` times. */
async function reconnectAttempts(url: string, count: number): Promise<void> {
  const watcher = new Redis(url, { retryStrategy: reconnectDelayMs, maxRetriesPerRequest: 0, enableOfflineQueue: false });
  watcher.on('error', () => {});
  let seen = 0;
  await new Promise<void>((resolve) => watcher.on('reconnecting', () => ++seen >= count && resolve()));
  // 'reconnecting' is emitted just before ioredis arms the next attempt's timer: cancel it after that.
  await new Promise((resolve) => setImmediate(resolve));
  watcher.disconnect();
}

/**
 * Runs the built bus (npm test builds first) in a process of its own that never calls process.exit: up, it waits for
 * its own message; down, for the outage warning. Then it closes the bus, and must exit because nothing is left open.
 */
async function exitsAfterClose(url: string, redis: 'up' | 'down'): Promise<{ code: number | null; output: string }> {
  const script = `
    const { RedisBus } = require(${JSON.stringify(BUILT_BUS)});
    const { createLogger } = require(${JSON.stringify(BUILT_LOGGER)});
    const close = () => bus.close().then(() => process.stdout.write('closed'));
    const log = createLogger('warn', 'child', { write: () => ${redis === 'down' ? 'setImmediate(close)' : '{}'} });
    const bus = new RedisBus(process.env.REDIS_URL, log);
    bus.subscribe('crm-hub:test-exit', () => close());
    const publish = setInterval(() => bus.ready && bus.publish('crm-hub:test-exit', 'bye'), 20);
    const stop = bus.close.bind(bus);
    bus.close = () => (clearInterval(publish), stop());
  `;
  const child = spawn(process.execPath, ['-e', script], { env: { ...process.env, REDIS_URL: url }, stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, 'exit') as Promise<[number | null]>;
  const tooLong = setTimeout(() => child.kill('SIGKILL'), 15_000);
  const [code] = await exited;
  clearTimeout(tooLong);
  return { code, output };
}
