import { describe, expect, it } from 'vitest';
import { InvalidSyncItemError } from '../limits.js';
import type { TaskFields } from '../model.js';
import type { EwsTask } from './ews-types.js';
import { taskFromEws, taskToEws } from './task.js';

const options = { timeZone: 'Europe/Stockholm' };

const ews: EwsTask = {
  ItemId: { Id: 'AAMkAD-task', ChangeKey: 'EwAAABYAAA1' },
  LastModifiedTime: '2026-03-02T10:15:00Z',
  Categories: [],
  Subject: 'Send the revised quote',
  Body: { BodyType: 'Text', Value: 'Include the service level.' },
  // Outlook keeps dates as local midnight: 00:00 CET is 23:00 UTC the day before; after 29 March, 22:00 UTC.
  StartDate: '2026-03-01T23:00:00Z',
  DueDate: '2026-04-09T22:00:00Z',
  Status: 'InProgress',
  PercentComplete: 40,
  Importance: 'High',
};

describe('Task ↔ neutral task', () => {
  it('reads dates as the owner’s local days, across DST', () => {
    const { item, ref, markedForSync } = taskFromEws(ews, options);
    expect(ref.changeKey).toBe('EwAAABYAAA1');
    expect(markedForSync).toBe(false);
    expect(item.fields).toEqual<TaskFields>({
      subject: 'Send the revised quote',
      body: 'Include the service level.',
      due: '2026-04-10',
      start: '2026-03-02',
      status: 'IN_PROGRESS',
      priority: 'HIGH',
      percentComplete: 40,
    });
  });

  it('writes back what it read', () => {
    const { item } = taskFromEws(ews, options);
    const { ItemId: _i, LastModifiedTime: _t, Categories: _c, ...content } = ews;
    expect(taskToEws(item.fields as TaskFields, options)).toEqual({ ...content, StartDate: '2026-03-01T23:00:00.000Z', DueDate: '2026-04-09T22:00:00.000Z' });
  });

  it.each<[EwsTask['Status'], TaskFields['status']]>([
    ['NotStarted', 'NOT_STARTED'],
    ['Completed', 'COMPLETED'],
    ['WaitingOnOthers', 'WAITING_ON_OTHERS'],
    ['Deferred', 'DEFERRED'],
  ])('maps Status %s to %s', (status, neutral) => {
    const fields = taskFromEws({ ...ews, Status: status }, options).item.fields as TaskFields;
    expect(fields.status).toBe(neutral);
    expect(taskToEws(fields, options).Status).toBe(status);
  });

  it('counts a completed task as 100 % done, as Exchange does', () => {
    expect((taskFromEws({ ...ews, Status: 'Completed', PercentComplete: 40 }, options).item.fields as TaskFields).percentComplete).toBe(100);
  });

  it('reads a task without dates, status or importance', () => {
    const { item } = taskFromEws({ ItemId: ews.ItemId, LastModifiedTime: ews.LastModifiedTime, Subject: 'Call back' }, options);
    expect(item.fields).toMatchObject({ due: null, start: null, status: 'NOT_STARTED', priority: 'NORMAL', percentComplete: 0, body: null });
  });

  it('refuses a percentage outside 0–100', () => {
    expect(() => taskFromEws({ ...ews, PercentComplete: 140 }, options)).toThrow(InvalidSyncItemError);
    expect(() => taskToEws({ ...(taskFromEws(ews, options).item.fields as TaskFields), due: '10 April' }, options)).toThrow(/due is not a date/);
  });
});
