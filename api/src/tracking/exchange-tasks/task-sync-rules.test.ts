import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ActivityState, TaskPriority } from '../../activities/activity-enums';
import { decideLinkedChange, SyncConflictRule } from '../sync-conflict-rule';
import { ExchangeTaskStatus, shapeOfCrm, shapeOfExchange, taskFingerprint } from './task-shape';

const at = (iso: string) => new Date(iso);

describe('a linked task changed in Exchange: the later change wins', () => {
  const base = { linked: 'L', crmModifiedAt: at('2026-12-05T10:00:00.900Z'), exchangeModifiedAt: at('2026-12-05T10:05:00Z') };

  it('an echo of the hub\'s own write changes nothing', () => {
    expect(decideLinkedChange({ ...base, exchange: 'L', crm: 'L' })).toEqual({ kind: 'UNCHANGED' });
    expect(decideLinkedChange({ ...base, exchange: 'L', crm: 'C' })).toEqual({ kind: 'UNCHANGED' }); // the CRM's change is written out next
  });

  it('changed in Exchange only: the CRM takes it, with no conflict', () => {
    expect(decideLinkedChange({ ...base, exchange: 'E', crm: 'L' })).toEqual({ kind: 'TAKE_EXCHANGE', conflict: null });
  });

  it('the same edit on both sides is no conflict', () => {
    expect(decideLinkedChange({ ...base, exchange: 'X', crm: 'X' })).toEqual({ kind: 'AGREED' });
  });

  it('both changed: the later one wins, compared to the second, and a tie goes to the CRM', () => {
    expect(decideLinkedChange({ ...base, exchange: 'E', crm: 'C' })).toEqual({ kind: 'TAKE_EXCHANGE', conflict: SyncConflictRule.LATER_CHANGE_WINS });
    expect(decideLinkedChange({ ...base, exchange: 'E', crm: 'C', crmModifiedAt: at('2026-12-05T10:06:00Z') })).toEqual({ kind: 'KEEP_CRM', conflict: SyncConflictRule.LATER_CHANGE_WINS });
    // 10:00:00.900 in the CRM and 10:00:00 in Exchange: the same second.
    expect(decideLinkedChange({ ...base, exchange: 'E', crm: 'C', exchangeModifiedAt: at('2026-12-05T10:00:00Z') })).toEqual({ kind: 'KEEP_CRM', conflict: SyncConflictRule.TIE_CRM_WINS });
  });
});

describe('a task\'s shape is the same read from either side', () => {
  const crm = { subject: '  Send the  offer ', description: 'Line one\r\nLine two  \r\n', dueAt: at('2026-12-10T15:00:00Z'), startAt: null, percentComplete: 0, priority: TaskPriority.HIGH, state: ActivityState.OPEN };

  it('Outlook\'s due day at local midnight, its line ends and its open statuses match the CRM task', () => {
    // Midnight in Stockholm is 23:00 UTC the day before; in New York, 05:00 UTC the same day.
    for (const dueAt of [at('2026-12-09T23:00:00Z'), at('2026-12-10T05:00:00Z'), at('2026-12-10T00:00:00Z')]) {
      for (const status of [ExchangeTaskStatus.NOT_STARTED, ExchangeTaskStatus.IN_PROGRESS, ExchangeTaskStatus.WAITING_ON_OTHERS, ExchangeTaskStatus.DEFERRED]) {
        const exchange = shapeOfExchange({ subject: 'Send the offer', notes: 'Line one\nLine two', dueAt, status, importance: TaskPriority.HIGH });
        expect(taskFingerprint(exchange)).toBe(taskFingerprint(shapeOfCrm(crm)));
      }
    }
  });

  it('completed, another day, another priority or other notes is another task', () => {
    const fp = taskFingerprint(shapeOfCrm(crm));
    expect(taskFingerprint(shapeOfCrm({ ...crm, state: ActivityState.COMPLETED }))).not.toBe(fp);
    expect(taskFingerprint(shapeOfCrm({ ...crm, dueAt: at('2026-12-11T15:00:00Z') }))).not.toBe(fp);
    expect(taskFingerprint(shapeOfCrm({ ...crm, dueAt: null }))).not.toBe(fp);
    expect(taskFingerprint(shapeOfCrm({ ...crm, priority: TaskPriority.LOW }))).not.toBe(fp);
    expect(taskFingerprint(shapeOfCrm({ ...crm, description: 'Line one' }))).not.toBe(fp);
    expect(taskFingerprint(shapeOfCrm({ ...crm, startAt: at('2026-12-01T08:00:00Z') }))).not.toBe(fp);
    expect(taskFingerprint(shapeOfCrm({ ...crm, percentComplete: 40 }))).not.toBe(fp);
  });

  it('the start day and progress match across sides; Outlook\'s completed task is 100 % and so is the CRM\'s', () => {
    const started = { ...crm, startAt: at('2026-12-01T08:00:00Z'), percentComplete: 40 };
    const exchange = shapeOfExchange({ subject: 'Send the offer', notes: 'Line one\nLine two', dueAt: at('2026-12-09T23:00:00Z'), startAt: at('2026-11-30T23:00:00Z'), percentComplete: 40.4, status: ExchangeTaskStatus.IN_PROGRESS, importance: TaskPriority.HIGH });
    expect(exchange).toMatchObject({ startDay: '2026-12-01', percentComplete: 40 });
    expect(taskFingerprint(exchange)).toBe(taskFingerprint(shapeOfCrm(started)));
    const done = shapeOfExchange({ subject: 'Send the offer', notes: 'Line one\nLine two', dueAt: at('2026-12-10T00:00:00Z'), percentComplete: 100, status: ExchangeTaskStatus.COMPLETED, importance: TaskPriority.HIGH });
    expect(taskFingerprint(done)).toBe(taskFingerprint(shapeOfCrm({ ...crm, state: ActivityState.COMPLETED, percentComplete: 30 })));
    // Pairs agreed on before the start and progress were synced keep their fingerprints: none and done add nothing.
    const before = (shape: ReturnType<typeof shapeOfCrm>) => createHash('sha256').update(JSON.stringify(['task', shape.subject, shape.notes, shape.dueDay, shape.priority, shape.completed]), 'utf8').digest('hex');
    expect(taskFingerprint(shapeOfCrm(crm))).toBe(before(shapeOfCrm(crm)));
    expect(taskFingerprint(shapeOfCrm({ ...crm, state: ActivityState.COMPLETED }))).toBe(before(shapeOfCrm({ ...crm, state: ActivityState.COMPLETED })));
    expect(shapeOfExchange({ subject: 'x', percentComplete: Number.NaN, status: ExchangeTaskStatus.NOT_STARTED, importance: TaskPriority.NORMAL }).percentComplete).toBe(0);
    expect(shapeOfExchange({ subject: 'x', percentComplete: 250, status: ExchangeTaskStatus.IN_PROGRESS, importance: TaskPriority.NORMAL }).percentComplete).toBe(100);
    // An open CRM task at 100 % is 99 % in Outlook (100 % would complete it there), and read back it is no change.
    expect(shapeOfCrm({ ...crm, percentComplete: 100 }).percentComplete).toBe(99);
  });

  it('an over-long subject is cut the same way on both sides, so a cut copy does not look changed', () => {
    const long = 'x'.repeat(600);
    expect(shapeOfExchange({ subject: long, status: ExchangeTaskStatus.NOT_STARTED, importance: TaskPriority.NORMAL }).subject).toHaveLength(400);
    expect(taskFingerprint(shapeOfExchange({ subject: long, status: ExchangeTaskStatus.NOT_STARTED, importance: TaskPriority.NORMAL }))).toBe(
      taskFingerprint(shapeOfCrm({ subject: long.slice(0, 400), description: null, dueAt: null, startAt: null, percentComplete: 0, priority: TaskPriority.NORMAL, state: ActivityState.OPEN })),
    );
  });
});
