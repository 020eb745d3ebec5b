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
  const crm = { subject: '  Send the  offer ', description: 'Line one\r\nLine two  \r\n', dueAt: at('2026-12-10T15:00:00Z'), priority: TaskPriority.HIGH, state: ActivityState.OPEN };

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
  });

  it('an over-long subject is cut the same way on both sides, so a cut copy does not look changed', () => {
    const long = 'x'.repeat(600);
    expect(shapeOfExchange({ subject: long, status: ExchangeTaskStatus.NOT_STARTED, importance: TaskPriority.NORMAL }).subject).toHaveLength(400);
    expect(taskFingerprint(shapeOfExchange({ subject: long, status: ExchangeTaskStatus.NOT_STARTED, importance: TaskPriority.NORMAL }))).toBe(
      taskFingerprint(shapeOfCrm({ subject: long.slice(0, 400), description: null, dueAt: null, priority: TaskPriority.NORMAL, state: ActivityState.OPEN })),
    );
  });
});
