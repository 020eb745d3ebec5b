import type { FormattedExecutionResult, Sink, SubscribePayload } from 'graphql-ws';
import { describe, expect, it } from 'vitest';
import { backoffDelay, closeCodeOf, endsSession, type LiveTransport } from '../../web/src/live/live-client';
import { LiveSubscription } from '../../web/src/live/live-subscription';

// The subscription helper's rules against a scripted transport (the way imapflow tests against scripted servers):
// which `after` each (re)subscribe sends, what is dropped as a duplicate, what a refusal or a close leads to.
// test/web/live-client.test.ts runs the same helper against the real api over a real WebSocket.

interface Event {
  cursor: string;
  id: string;
}

/** A transport that records every subscribe message as graphql-ws would serialise it, and lets the test answer. */
class ScriptedTransport implements LiveTransport {
  readonly sent: Record<string, unknown>[] = [];
  readonly sinks: Sink<FormattedExecutionResult<Record<string, Event>, unknown>>[] = [];
  retained = 0;
  stopped = 0;
  readonly waits: number[] = [];

  subscribe<Data>(payload: SubscribePayload, sink: Sink<FormattedExecutionResult<Data, unknown>>): () => void {
    // graphql-ws JSON-serialises the payload at every (re)send, getters included.
    this.sent.push(JSON.parse(JSON.stringify(payload)).variables);
    this.sinks.push(sink as never);
    return () => void this.stopped++;
  }
  retain(): () => void {
    this.retained++;
    return () => void this.retained--;
  }
  retryDelay(attempt: number): number {
    this.waits.push(attempt);
    return 0;
  }
  /** graphql-ws re-sending the same payload after a reconnect. */
  resend(payload: SubscribePayload): void {
    this.sent.push(JSON.parse(JSON.stringify(payload)).variables);
  }
  get sink() {
    return this.sinks.at(-1)!;
  }
  deliver(event: Event): void {
    this.sink.next({ data: { changed: event } });
  }
}

function follow(transport: ScriptedTransport, after: string | null = null) {
  const received: string[] = [];
  const expired: number[] = [];
  const errors: string[] = [];
  let lastPayload: SubscribePayload | undefined;
  const original = transport.subscribe.bind(transport);
  transport.subscribe = (payload, sink) => {
    lastPayload = payload;
    return original(payload, sink);
  };
  const subscription = new LiveSubscription<Event>(transport, {
    query: 'subscription($after: String) { changed(after: $after) { cursor id } }',
    variables: { recordId: 'r1' },
    field: 'changed',
    after,
    identity: (event) => event.id,
    onEvent: (event) => received.push(event.cursor),
    onCursorExpired: () => expired.push(received.length),
    onError: (error) => errors.push(`${error.code} ${error.field ?? ''}`.trim()),
  });
  return { subscription, received, expired, errors, payload: () => lastPayload! };
}

describe('LiveSubscription', () => {
  it('asks for events after the cursor it was given, and after the last one delivered when graphql-ws re-sends on reconnect', () => {
    const transport = new ScriptedTransport();
    const { received, payload } = follow(transport, 'c0');
    expect(transport.sent).toEqual([{ recordId: 'r1', after: 'c0' }]);
    transport.deliver({ cursor: 'c1', id: 'a' });
    transport.deliver({ cursor: 'c2', id: 'b' });
    // The socket dropped; graphql-ws serialises the same payload object again for the new socket.
    transport.resend(payload());
    expect(transport.sent.at(-1)).toEqual({ recordId: 'r1', after: 'c2' });
    expect(received).toEqual(['c1', 'c2']);
  });

  it('shows an event once when the same cursor or the same identity arrives again', () => {
    const transport = new ScriptedTransport();
    const { received } = follow(transport);
    transport.deliver({ cursor: 'c1', id: 'a' });
    transport.deliver({ cursor: 'c1', id: 'a' });
    transport.deliver({ cursor: 'c2', id: 'a' }); // a replay under a new cursor: same identity
    transport.deliver({ cursor: 'c3', id: 'b' });
    expect(received).toEqual(['c1', 'c3']);
  });

  it('on CURSOR_EXPIRED asks the owner to reload and waits; restartFrom resumes from the new cursor and forgets what was seen', () => {
    const transport = new ScriptedTransport();
    const { subscription, received, expired } = follow(transport, 'old');
    transport.deliver({ cursor: 'c1', id: 'a' });
    transport.sink.next({ errors: [{ message: 'too old', extensions: { code: 'CURSOR_EXPIRED' } }] });
    expect(expired).toEqual([1]);
    expect(transport.sent).toHaveLength(1);
    // Events from the dropped subscription are ignored.
    transport.sinks[0].next({ data: { changed: { cursor: 'c9', id: 'z' } } });
    subscription.restartFrom('c5');
    expect(transport.sent.at(-1)).toEqual({ recordId: 'r1', after: 'c5' });
    // The reloaded page now holds everything up to c5; what follows is new to it, even an identity seen before.
    transport.deliver({ cursor: 'c6', id: 'a' });
    expect(received).toEqual(['c1', 'c6']);
  });

  it('does not ask for a second reload when the reloaded cursor has expired too: it goes on from now', () => {
    const transport = new ScriptedTransport();
    const { subscription, expired } = follow(transport, 'old');
    transport.sink.next({ errors: [{ message: 'too old', extensions: { code: 'CURSOR_EXPIRED' } }] });
    subscription.restartFrom('reloaded');
    transport.sink.next({ errors: [{ message: 'too old', extensions: { code: 'CURSOR_EXPIRED' } }] });
    expect(expired).toEqual([0]);
    expect(transport.sent.map((variables) => variables.after)).toEqual(['old', 'reloaded', null]);
  });

  it('the same when CURSOR_EXPIRED comes as an error message rather than a result', () => {
    const transport = new ScriptedTransport();
    const { expired } = follow(transport, 'old');
    transport.sink.error([{ message: 'too old', extensions: { code: 'CURSOR_EXPIRED' } }]);
    expect(expired).toEqual([0]);
  });

  it('reports a refusal (BAD_USER_INPUT, NOT_FOUND) once and does not subscribe again', () => {
    const transport = new ScriptedTransport();
    const { errors } = follow(transport);
    transport.sink.next({ errors: [{ message: 'no such record', extensions: { code: 'NOT_FOUND' } }] });
    transport.sink.complete();
    expect(errors).toEqual(['NOT_FOUND']);
    expect(transport.sent).toHaveLength(1);

    const other = new ScriptedTransport();
    const second = follow(other);
    other.sink.error([{ message: 'bad', extensions: { code: 'BAD_USER_INPUT', field: 'after' } }]);
    expect(second.errors).toEqual(['BAD_USER_INPUT after']);
  });

  it('subscribes again from its cursor after a close graphql-ws gives up on (1011), backing off; never after 4401 or 4403', async () => {
    const transport = new ScriptedTransport();
    const { received } = follow(transport);
    transport.deliver({ cursor: 'c1', id: 'a' });
    transport.sink.error({ code: 1011, reason: 'internal error', wasClean: true });
    await new Promise((resolve) => setTimeout(resolve, 0)); // the back-off (0 ms here) is a timer
    expect(transport.waits).toEqual([0]);
    expect(transport.sent.at(-1)).toEqual({ recordId: 'r1', after: 'c1' });
    transport.deliver({ cursor: 'c2', id: 'b' });
    expect(received).toEqual(['c1', 'c2']);

    for (const code of [4401, 4403]) {
      const ended = new ScriptedTransport();
      follow(ended);
      ended.sink.error({ code, reason: 'session ended', wasClean: true });
      await new Promise((resolve) => setTimeout(resolve, 0));
      expect(ended.sent).toHaveLength(1);
    }
  });

  it('holds the connection while it wants to be live, across its own retries, and lets go when stopped', () => {
    const transport = new ScriptedTransport();
    const { subscription } = follow(transport);
    expect(transport.retained).toBe(1);
    subscription.stop();
    subscription.stop();
    expect(transport.retained).toBe(0);
    expect(transport.stopped).toBe(1);
  });
});

describe('back-off and close codes', () => {
  it('doubles from 1 s to at most 30 s, with jitter between half and all of it', () => {
    const low = () => 0;
    const high = () => 0.999999;
    expect([0, 1, 2, 3, 4, 5, 6, 20].map((n) => backoffDelay(n, low))).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000, 15000]);
    expect([0, 1, 5, 20].map((n) => backoffDelay(n, high))).toEqual([1000, 2000, 30000, 30000]);
  });

  it('reads close codes from close events only; 4401 and 4403 end the session, 4499 and 1006 do not', () => {
    expect(closeCodeOf({ code: 4499, reason: 'too slow' })).toBe(4499);
    expect(closeCodeOf(new Error('network'))).toBeNull();
    expect([4401, 4403, 4499, 1001, 1006, 1011].map((code) => endsSession(code))).toEqual([true, true, false, false, false, false]);
  });
});
