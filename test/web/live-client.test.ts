import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { TokenStore } from '../../web/src/graphql/graphql-client';
import { LiveClient, type LiveStatus } from '../../web/src/live/live-client';
import { LiveSubscription } from '../../web/src/live/live-subscription';
import { ACTIVITY_CHANGED_SUBSCRIPTION, eventIdentity, type ActivityEvent } from '../../web/src/timeline/activity-events';
import { ok } from '../api/gql-helpers';
import { startHub, type StartedHub } from '../support/hub';

// The web UI's live client and subscription helper against the real api over a real WebSocket, through a TCP
// proxy the test can cut: events committed while the connection is down arrive once, in order, after it is back.

const CREATE_TASK = 'mutation($input: CreateTaskInput!) { createTask(input: $input) { id subject } }';

/** A TCP relay to the api that can drop every connection and refuse new ones, like a network going away. */
class CuttableProxy {
  readonly #sockets = new Set<net.Socket>();
  #server: net.Server | null = null;
  port = 0;

  constructor(private readonly target: number) {}

  async up(): Promise<void> {
    const server = net.createServer((client) => {
      const upstream = net.connect(this.target, '127.0.0.1');
      for (const socket of [client, upstream]) {
        this.#sockets.add(socket);
        socket.on('close', () => this.#sockets.delete(socket));
        socket.on('error', () => {});
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => server.listen(this.port, '127.0.0.1', resolve));
    this.port = (server.address() as net.AddressInfo).port;
    this.#server = server;
  }

  async down(): Promise<void> {
    const server = this.#server;
    this.#server = null;
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) => server?.close(() => resolve()) ?? resolve());
  }
}

/** Resolves when `check` holds, re-checked whenever `poke` is called (by event and status listeners). */
class Watch {
  #waiters: (() => void)[] = [];
  poke = () => this.#waiters.splice(0).forEach((wake) => wake());
  async until(what: string, check: () => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!check()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.#waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }
}

const memoryTokens = (token: string | null): TokenStore => ({
  get: () => token,
  set: (value) => void (token = value),
  clear: () => void (token = null),
});

describe('the web live client against a running api', () => {
  let hub: StartedHub;
  let sam: string;
  let contactId: string;
  const clients: LiveClient[] = [];

  beforeAll(async () => {
    hub = await startHub({ dialect: 'sqlite' });
    sam = await hub.login('sam.sales@demo.crm.test');
    const { viewer } = ok(await hub.gql('{ viewer { id } }', {}, sam));
    const { contacts } = ok(await hub.gql('query($f: ContactFilter) { contacts(first: 1, filter: $f) { edges { node { id } } } }', { f: { ownerId: viewer.id } }, sam));
    contactId = contacts.edges[0].node.id;
  });
  afterAll(async () => {
    // A client whose session ended may already be closed: disposing it again is not what is under test.
    await Promise.allSettled(clients.map((client) => client.dispose()));
    await hub?.close();
  });

  const liveCursor = async () => ok(await hub.gql('{ liveCursor }', {}, sam)).liveCursor as string;
  const task = async (subject: string) => ok(await hub.gql(CREATE_TASK, { input: { subject, regardingId: contactId } }, sam)).createTask.id as string;

  function open(url: string, token: string, watch: Watch) {
    const statuses: LiveStatus[] = [];
    const ended: number[] = [];
    const client = new LiveClient({
      url,
      tokens: memoryTokens(token),
      webSocketImpl: WebSocket,
      onSessionEnded: () => {
        ended.push(Date.now());
        watch.poke();
      },
      online: () => true,
      // The shortest back-off the policy allows: 0.5 s, 1 s, 2 s…
      random: () => 0,
    });
    clients.push(client);
    client.onStatus((status) => {
      statuses.push(status);
      watch.poke();
    });
    return { client, statuses, ended };
  }

  function follow(client: LiveClient, after: string | null, watch: Watch) {
    const subjects: string[] = [];
    const expired: number[] = [];
    const errors: string[] = [];
    const subscription = new LiveSubscription<ActivityEvent>(client, {
      query: ACTIVITY_CHANGED_SUBSCRIPTION,
      field: 'activityChanged',
      variables: { recordId: contactId, includeRelated: false, kinds: null },
      after,
      identity: eventIdentity,
      onEvent: (event) => {
        subjects.push(`${event.change} ${event.activity?.subject ?? event.activityId}`);
        watch.poke();
      },
      onCursorExpired: () => {
        expired.push(subjects.length);
        watch.poke();
      },
      onError: (error) => {
        errors.push(`${error.code}: ${error.message}`);
        watch.poke();
      },
    });
    return { subscription, subjects, expired, errors };
  }

  it('resumes from its cursor after the connection drops: what committed meanwhile arrives once, in order, then live', async () => {
    const proxy = new CuttableProxy(Number(new URL(hub.url).port));
    await proxy.up();
    const watch = new Watch();
    const { client, statuses } = open(`ws://127.0.0.1:${proxy.port}/graphql`, sam, watch);
    const { subscription, subjects } = follow(client, await liveCursor(), watch);

    await task('Resume 1');
    await task('Resume 2');
    await watch.until('two live events', () => subjects.length === 2);
    expect(client.status).toBe('live');

    await proxy.down();
    await watch.until('the status to leave "live"', () => client.status === 'reconnecting' || client.status === 'offline');
    await task('Resume 3 (while away)');
    await task('Resume 4 (while away)');
    await proxy.up();

    await watch.until('the two missed events', () => subjects.length === 4);
    await task('Resume 5');
    await watch.until('the next live event', () => subjects.length === 5);
    expect(subjects).toEqual(['CREATED Resume 1', 'CREATED Resume 2', 'CREATED Resume 3 (while away)', 'CREATED Resume 4 (while away)', 'CREATED Resume 5']);
    expect(statuses.slice(0, 2)).toEqual(['connecting', 'live']);
    expect(statuses).toContain('reconnecting');
    expect(statuses.at(-1)).toBe('live');

    // A page that replaces its subscription (new filters) lets go and takes hold again at once: live again, not stuck idle.
    subscription.stop();
    expect(client.status).toBe('idle');
    const again = follow(client, await liveCursor(), watch);
    await watch.until('live again', () => client.status === 'live');
    again.subscription.stop();
    await watch.until('idle once nothing is live', () => client.status === 'idle');
    await proxy.down();
  });

  it('a cursor older than the kept events asks for a reload; restartFrom the reloaded cursor continues live', async () => {
    const watch = new Watch();
    const { client } = open(`${hub.url.replace('http', 'ws')}/graphql`, sam, watch);
    const old = await liveCursor();
    await task('Pruned away');
    await hub.services.liveEvents.prune(new Date(Date.now() + 60_000));
    // One event newer than the pruning: with none left, liveCursor would read as expired itself (reported to the lead).
    await task('Kept');
    const { subscription, subjects, expired, errors } = follow(client, old, watch);
    await watch.until('CURSOR_EXPIRED', () => expired.length === 1);
    subscription.restartFrom(await liveCursor());
    await task('After the reload');
    await watch.until(`the event after the reload (${JSON.stringify({ expired, errors })})`, () => subjects.length === 1);
    expect([subjects, expired]).toEqual([['CREATED After the reload'], [0]]);
    subscription.stop();
  });

  it('signing out closes the socket with 4401: the session is told once and nothing reconnects', async () => {
    const token = await hub.login('sam.sales@demo.crm.test');
    const watch = new Watch();
    const { client, ended } = open(`${hub.url.replace('http', 'ws')}/graphql`, token, watch);
    const first = follow(client, await liveCursor(), watch);
    const second = follow(client, await liveCursor(), watch);
    await task('Before sign-out');
    await watch.until('both subscriptions live', () => first.subjects.length === 1 && second.subjects.length === 1);
    ok(await hub.gql('mutation { logout }', {}, token));
    await watch.until('the session-ended report', () => ended.length > 0);
    expect(client.status).toBe('offline');
    // Nothing reconnects: an event committed now reaches neither subscription.
    await task('After sign-out');
    const control = follow(open(`${hub.url.replace('http', 'ws')}/graphql`, sam, watch).client, await liveCursor(), watch);
    await task('Seen by a live client');
    await watch.until('a client still signed in to see the last event', () => control.subjects.includes('CREATED Seen by a live client'));
    expect([first.subjects, second.subjects, ended.length]).toEqual([['CREATED Before sign-out'], ['CREATED Before sign-out'], 1]);
    first.subscription.stop();
    second.subscription.stop();
    control.subscription.stop();
  });
});
