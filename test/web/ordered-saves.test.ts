import { describe, expect, it } from 'vitest';
import { OrderedSaves } from '../../web/src/admin/roles/ordered-saves';

// The role page's saves (web/src/admin/roles/ordered-saves.ts): one cell's changes are sent one after another in the
// order asked, and only the last one asked decides what a refused cell shows.

/** A save the test settles by hand, recording when it started. */
function heldSave(log: string[], name: string) {
  let settle!: { resolve: () => void; reject: (error: Error) => void };
  const save = () => {
    log.push(`start ${name}`);
    return new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  };
  return { save, settle: () => settle };
}

function recorder(log: string[], name: string) {
  return {
    failed: (error: unknown, latest: boolean) => log.push(`failed ${name} ${(error as Error).message}${latest ? ' (latest)' : ''}`),
    settled: (latest: boolean) => log.push(`settled ${name}${latest ? ' (latest)' : ''}`),
  };
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('ordered saves', () => {
  it('runs one key’s saves one after another, in the order asked', async () => {
    const log: string[] = [];
    const saves = new OrderedSaves();
    const a = heldSave(log, 'a');
    const b = heldSave(log, 'b');
    void saves.run('ACCOUNT:READ', a.save, recorder(log, 'a'));
    const last = saves.run('ACCOUNT:READ', b.save, recorder(log, 'b'));
    await tick();
    expect(log).toEqual(['start a']);
    a.settle().resolve();
    await tick();
    expect(log).toEqual(['start a', 'settled a', 'start b']);
    b.settle().resolve();
    await last;
    expect(log).toEqual(['start a', 'settled a', 'start b', 'settled b (latest)']);
  });

  it('does not hold one key’s save behind another key’s', async () => {
    const log: string[] = [];
    const saves = new OrderedSaves();
    void saves.run('ACCOUNT:READ', heldSave(log, 'a').save, recorder(log, 'a'));
    void saves.run('CONTACT:READ', heldSave(log, 'b').save, recorder(log, 'b'));
    await tick();
    expect(log).toEqual(['start a', 'start b']);
  });

  it('says whether a refused save was the last one asked, and goes on with the next', async () => {
    const log: string[] = [];
    const saves = new OrderedSaves();
    const a = heldSave(log, 'a');
    const b = heldSave(log, 'b');
    const first = saves.run('k', a.save, recorder(log, 'a'));
    const second = saves.run('k', b.save, recorder(log, 'b'));
    await tick();
    a.settle().reject(new Error('busy'));
    await first;
    await tick();
    b.settle().reject(new Error('FORBIDDEN'));
    await second;
    expect(log).toEqual(['start a', 'failed a busy', 'settled a', 'start b', 'failed b FORBIDDEN (latest)', 'settled b (latest)']);
  });
});
