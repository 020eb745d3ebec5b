import { describe, expect, it } from 'vitest';
import { fingerprint } from './fingerprint.js';
import type { AppointmentFields, ContactFields, CrmChange, CrmSnapshot, ExternalChange, ExternalRef, Link, SyncedItem, TaskFields } from './model.js';
import { planSync, type PlanInput, type SyncAction } from './plan.js';

const owner = { userId: 'user-anna', emails: ['Anna@Example.se'] };
const now = '2026-03-01T00:00:00.000Z';

const meetingFields: AppointmentFields = {
  subject: 'Quarterly review',
  body: null,
  location: 'Room Vega',
  start: '2026-03-10T09:00:00.000Z',
  end: '2026-03-10T10:00:00.000Z',
  timeZone: 'Europe/Stockholm',
  allDay: false,
  organizer: { email: 'anna@example.se', name: 'Anna Berg' },
  requiredAttendees: [{ email: 'bjorn@customer.example', name: null }],
  optionalAttendees: [],
  recurrence: null,
  cancelled: false,
  icalUid: null,
};
const meeting = (fields: Partial<AppointmentFields> = {}): SyncedItem => ({ kind: 'APPOINTMENT', fields: { ...meetingFields, ...fields } });
const taskFields: TaskFields = { subject: 'Send the quote', body: null, due: '2026-03-12', start: null, status: 'NOT_STARTED', priority: 'NORMAL', percentComplete: 0 };
const task = (fields: Partial<TaskFields> = {}): SyncedItem => ({ kind: 'TASK', fields: { ...taskFields, ...fields } });
const contactFields: ContactFields = { firstName: 'Björn', lastName: 'Ek', emails: ['bjorn@customer.example'], businessPhone: null, mobilePhone: null, company: 'Customer AB', jobTitle: null, businessAddress: null };
const contact = (fields: Partial<ContactFields> = {}): SyncedItem => ({ kind: 'CONTACT', fields: { ...contactFields, ...fields } });

const ref = (externalId: string, changeKey: string, lastModified: string): ExternalRef => ({ provider: 'EWS', externalId, changeKey, lastModified });
const snapshot = (crmId: string, item: SyncedItem, modifiedAt: string, more: Partial<CrmSnapshot> = {}): CrmSnapshot => ({
  crmId,
  item,
  ownerUserId: 'user-anna',
  modifiedAt,
  state: item.kind === 'CONTACT' ? null : 'OPEN',
  ...more,
});
const linked = (crmId: string, external: ExternalRef, item: SyncedItem, crmModifiedAt: string): Link => ({
  kind: item.kind,
  crmId,
  external,
  crmFingerprint: fingerprint(item),
  externalFingerprint: fingerprint(item),
  crmModifiedAt,
});
const fromExchange = (r: ExternalRef, item: SyncedItem, markedForSync = true): ExternalChange => ({ type: 'UPSERT', ref: r, item, markedForSync });
const deletedInExchange = (kind: SyncedItem['kind'], externalId: string): ExternalChange => ({ type: 'DELETE', kind, provider: 'EWS', externalId });
const fromCrm = (s: CrmSnapshot): CrmChange => ({ type: 'UPSERT', snapshot: s });
const deletedInCrm = (s: CrmSnapshot, deletedAt: string): CrmChange => ({ type: 'DELETE', lastKnown: s, deletedAt });

const input = (parts: Partial<PlanInput>): PlanInput => ({ links: [], externalChanges: [], crmChanges: [], crmRecords: [], owner, now, ...parts });

/** Applies actions as the integrator must (plan.ts SyncAction contracts), with a clock after every input. */
function apply(links: readonly Link[], actions: readonly SyncAction[]): Link[] {
  const byCrm = new Map(links.map((l) => [l.crmId, l]));
  let clock = Date.parse('2026-06-01T00:00:00.000Z');
  const tick = () => new Date((clock += 1000)).toISOString();
  let created = 0;
  for (const action of actions) {
    switch (action.type) {
      case 'CREATE_IN_CRM': {
        const crmId = `crm-created-${++created}`;
        byCrm.set(crmId, { kind: action.item.kind, crmId, external: action.external, crmFingerprint: action.fingerprint, externalFingerprint: action.fingerprint, crmModifiedAt: tick() });
        break;
      }
      case 'UPDATE_IN_CRM':
        byCrm.set(action.crmId, { ...byCrm.get(action.crmId)!, external: action.external, crmFingerprint: action.fingerprint, externalFingerprint: action.fingerprint, crmModifiedAt: tick() });
        break;
      case 'CREATE_IN_EXCHANGE':
        byCrm.set(action.crmId, {
          kind: action.item.kind,
          crmId: action.crmId,
          external: ref(`ews-created-${++created}`, 'ck-created', tick()),
          crmFingerprint: action.fingerprint,
          externalFingerprint: action.fingerprint,
          crmModifiedAt: action.crmModifiedAt,
        });
        break;
      case 'UPDATE_IN_EXCHANGE':
        byCrm.set(action.crmId, {
          ...byCrm.get(action.crmId)!,
          external: { ...action.expected, changeKey: `${action.expected.changeKey}+`, lastModified: tick() },
          crmFingerprint: action.fingerprint,
          externalFingerprint: action.fingerprint,
          crmModifiedAt: action.crmModifiedAt,
        });
        break;
      case 'DELETE_IN_CRM':
      case 'DELETE_IN_EXCHANGE':
      case 'UNLINK':
        byCrm.delete(action.crmId);
        break;
      case 'LINK':
        byCrm.set(action.link.crmId, action.link);
        break;
      case 'RECORD_CONFLICT':
        break;
    }
  }
  return [...byCrm.values()];
}

/** Plans, applies, and plans again with the same changes: the second plan must be empty. */
function planTwice(parts: Partial<PlanInput>): SyncAction[] {
  const first = planSync(input(parts));
  const again = planSync(input({ ...parts, links: apply(parts.links ?? [], first) }));
  expect(again).toEqual([]);
  return first;
}

const types = (actions: readonly SyncAction[]) => actions.map((a) => a.type);

// A meeting linked since 1 February, unchanged on both sides since.
const synced = meeting();
const syncedRef = ref('ews-1', 'ck-1', '2026-02-01T10:00:00.000Z');
const syncedLink = linked('crm-1', syncedRef, synced, '2026-02-01T10:00:00.000Z');

describe('planSync: creating', () => {
  it('creates an Exchange appointment in the CRM, owned by the mailbox owner', () => {
    const r = ref('ews-9', 'ck-9', '2026-02-20T08:00:00.000Z');
    const actions = planTwice({ externalChanges: [fromExchange(r, meeting(), false)] });
    expect(actions).toEqual([{ type: 'CREATE_IN_CRM', item: meeting(), ownerUserId: 'user-anna', external: r, fingerprint: fingerprint(meeting()) }]);
  });

  it('creates an Exchange contact in the CRM only when the user marked it', () => {
    const r = ref('ews-c', 'ck-c', '2026-02-20T08:00:00.000Z');
    expect(planSync(input({ externalChanges: [fromExchange(r, contact(), false)] }))).toEqual([]);
    expect(types(planTwice({ externalChanges: [fromExchange(r, contact(), true)] }))).toEqual(['CREATE_IN_CRM']);
  });

  it('asks the mark of every kind when the policy says so (Dynamics’ tracking category)', () => {
    const r = ref('ews-9', 'ck-9', '2026-02-20T08:00:00.000Z');
    const policy = { markRequiredFor: ['APPOINTMENT', 'TASK', 'CONTACT'] as const };
    expect(planSync(input({ policy: { markRequiredFor: [...policy.markRequiredFor] }, externalChanges: [fromExchange(r, meeting(), false)] }))).toEqual([]);
  });

  it('creates the owner’s CRM appointment, task and contact in Exchange', () => {
    const records = [snapshot('crm-a', meeting(), '2026-02-20T08:00:00.000Z'), snapshot('crm-t', task(), '2026-02-20T08:00:00.000Z'), snapshot('crm-c', contact(), '2026-02-20T08:00:00.000Z')];
    const actions = planTwice({ crmChanges: records.map(fromCrm) });
    expect(actions).toEqual(
      records.map((s) => ({ type: 'CREATE_IN_EXCHANGE', crmId: s.crmId, item: s.item, fingerprint: fingerprint(s.item), crmModifiedAt: s.modifiedAt })),
    );
  });

  it('does not push what another user owns, nor a meeting someone else organizes', () => {
    const bobs = [snapshot('crm-a', meeting(), '2026-02-20T08:00:00.000Z', { ownerUserId: 'user-bob' }), snapshot('crm-t', task(), '2026-02-20T08:00:00.000Z', { ownerUserId: 'user-bob' })];
    const invited = snapshot('crm-i', meeting({ organizer: { email: 'bjorn@customer.example', name: null } }), '2026-02-20T08:00:00.000Z');
    expect(planSync(input({ crmChanges: [...bobs, invited].map(fromCrm) }))).toEqual([]);
  });

  it('ignores a deletion of something never linked', () => {
    expect(planSync(input({ externalChanges: [deletedInExchange('TASK', 'ews-x')], crmChanges: [deletedInCrm(snapshot('crm-x', task(), '2026-02-20T08:00:00.000Z'), '2026-02-21T08:00:00.000Z')] }))).toEqual([]);
  });
});

describe('planSync: updating', () => {
  it('writes an Exchange change to the CRM', () => {
    const moved = meeting({ start: '2026-03-10T10:00:00.000Z', end: '2026-03-10T11:00:00.000Z' });
    const r = ref('ews-1', 'ck-2', '2026-02-20T08:00:00.000Z');
    const actions = planTwice({ links: [syncedLink], externalChanges: [fromExchange(r, moved)] });
    expect(actions).toEqual([{ type: 'UPDATE_IN_CRM', crmId: 'crm-1', item: moved, external: r, fingerprint: fingerprint(moved) }]);
  });

  it('writes a CRM change to Exchange, only over the version it last saw', () => {
    const renamed = meeting({ subject: 'Quarterly review (budget)' });
    const actions = planTwice({ links: [syncedLink], crmChanges: [fromCrm(snapshot('crm-1', renamed, '2026-02-20T08:00:00.000Z'))] });
    expect(actions).toEqual([{ type: 'UPDATE_IN_EXCHANGE', crmId: 'crm-1', expected: syncedRef, item: renamed, fingerprint: fingerprint(renamed), crmModifiedAt: '2026-02-20T08:00:00.000Z' }]);
  });

  it('uses the latest of several changes to one item', () => {
    const first = meeting({ subject: 'First' });
    const second = meeting({ subject: 'Second' });
    const actions = planSync(input({
      links: [syncedLink],
      externalChanges: [fromExchange(ref('ews-1', 'ck-2', '2026-02-20T08:00:00.000Z'), first), fromExchange(ref('ews-1', 'ck-3', '2026-02-20T09:00:00.000Z'), second)],
    }));
    expect(actions).toMatchObject([{ type: 'UPDATE_IN_CRM', item: second }]);
  });
});

describe('planSync: echoes', () => {
  it('does nothing when Exchange reports the version it already has (same ChangeKey)', () => {
    expect(planSync(input({ links: [syncedLink], externalChanges: [fromExchange(syncedRef, synced)] }))).toEqual([]);
  });

  it('only records the new version when Exchange’s content is what we wrote (our own echo)', () => {
    const echo = ref('ews-1', 'ck-2', '2026-02-20T08:00:00.000Z');
    // Same content spelled differently: attendee name from the directory, an offset instead of Z.
    const respelled = meeting({ requiredAttendees: [{ email: 'Bjorn@Customer.example', name: 'Björn Ek' }], start: '2026-03-10T10:00:00+01:00' });
    const actions = planTwice({ links: [syncedLink], externalChanges: [fromExchange(echo, respelled)] });
    expect(actions).toEqual([{ type: 'LINK', link: { ...syncedLink, external: echo } }]);
  });

  it('only records the new time when the CRM’s content is what we wrote', () => {
    const actions = planTwice({ links: [syncedLink], crmChanges: [fromCrm(snapshot('crm-1', synced, '2026-02-20T08:00:00.000Z'))] });
    expect(actions).toEqual([{ type: 'LINK', link: { ...syncedLink, crmModifiedAt: '2026-02-20T08:00:00.000Z' } }]);
  });

  it('ignores an Exchange version older than the one linked (already overwritten)', () => {
    const old = ref('ews-1', 'ck-0', '2026-01-20T08:00:00.000Z');
    expect(planSync(input({ links: [syncedLink], externalChanges: [fromExchange(old, meeting({ subject: 'Old' }))] }))).toEqual([]);
  });

  it('ignores a CRM version not newer than the one linked', () => {
    expect(planSync(input({ links: [syncedLink], crmChanges: [fromCrm(snapshot('crm-1', meeting({ subject: 'Old' }), '2026-02-01T10:00:00.000Z'))] }))).toEqual([]);
  });

  it('only links when both sides changed to the same content', () => {
    const same = meeting({ location: 'Room Orion' });
    const r = ref('ews-1', 'ck-2', '2026-02-20T08:00:00.000Z');
    const actions = planTwice({ links: [syncedLink], externalChanges: [fromExchange(r, same)], crmChanges: [fromCrm(snapshot('crm-1', same, '2026-02-20T09:00:00.000Z'))] });
    expect(actions).toEqual([{ type: 'LINK', link: { ...syncedLink, external: r, crmModifiedAt: '2026-02-20T09:00:00.000Z', crmFingerprint: fingerprint(same), externalFingerprint: fingerprint(same) } }]);
  });
});

describe('planSync: conflicts (both sides changed)', () => {
  const inExchange = meeting({ location: 'Room Orion' });
  const inCrm = meeting({ location: 'Teams' });

  it('lets a later Exchange change win and keeps the CRM’s version for history', () => {
    const r = ref('ews-1', 'ck-2', '2026-02-20T10:05:00.000Z');
    const crm = snapshot('crm-1', inCrm, '2026-02-20T10:00:00.000Z');
    const actions = planTwice({ links: [syncedLink], externalChanges: [fromExchange(r, inExchange)], crmChanges: [fromCrm(crm)] });
    expect(actions).toEqual([
      { type: 'UPDATE_IN_CRM', crmId: 'crm-1', item: inExchange, external: r, fingerprint: fingerprint(inExchange) },
      {
        type: 'RECORD_CONFLICT',
        conflict: { kind: 'APPOINTMENT', crmId: 'crm-1', winner: 'EXCHANGE', rule: 'LATER_CHANGE_WINS', losingVersion: inCrm, losingModifiedAt: crm.modifiedAt, winningModifiedAt: r.lastModified },
      },
    ]);
  });

  it('lets a later CRM change win and keeps Exchange’s version for history', () => {
    const r = ref('ews-1', 'ck-2', '2026-02-20T10:00:00.000Z');
    const crm = snapshot('crm-1', inCrm, '2026-02-20T10:05:00.000Z');
    const actions = planTwice({ links: [syncedLink], externalChanges: [fromExchange(r, inExchange)], crmChanges: [fromCrm(crm)] });
    expect(actions).toEqual([
      { type: 'UPDATE_IN_EXCHANGE', crmId: 'crm-1', expected: r, item: inCrm, fingerprint: fingerprint(inCrm), crmModifiedAt: crm.modifiedAt },
      {
        type: 'RECORD_CONFLICT',
        conflict: { kind: 'APPOINTMENT', crmId: 'crm-1', winner: 'CRM', rule: 'LATER_CHANGE_WINS', losingVersion: inExchange, losingModifiedAt: r.lastModified, winningModifiedAt: crm.modifiedAt },
      },
    ]);
  });

  it('gives a tie within the same second to the CRM, whichever has more milliseconds', () => {
    const r = ref('ews-1', 'ck-2', '2026-02-20T10:00:00.000Z');
    const crm = snapshot('crm-1', inCrm, '2026-02-20T10:00:00.900Z');
    const actions = planTwice({ links: [syncedLink], externalChanges: [fromExchange(r, inExchange)], crmChanges: [fromCrm(crm)] });
    expect(actions).toMatchObject([{ type: 'UPDATE_IN_EXCHANGE' }, { type: 'RECORD_CONFLICT', conflict: { winner: 'CRM', rule: 'TIE_CRM_WINS', losingVersion: inExchange } }]);
    const earlierCrm = snapshot('crm-1', inCrm, '2026-02-20T10:00:00.000Z');
    expect(planSync(input({ links: [syncedLink], externalChanges: [fromExchange({ ...r, lastModified: '2026-02-20T10:00:00.999Z' }, inExchange)], crmChanges: [fromCrm(earlierCrm)] }))).toMatchObject([
      { type: 'UPDATE_IN_EXCHANGE' },
      { type: 'RECORD_CONFLICT', conflict: { winner: 'CRM', rule: 'TIE_CRM_WINS' } },
    ]);
  });

  it('lets the organizer’s version win on an attendee’s copy, even when the CRM’s is later', () => {
    const invited = meeting({ organizer: { email: 'bjorn@customer.example', name: null } });
    const link = linked('crm-1', syncedRef, invited, '2026-02-01T10:00:00.000Z');
    const r = ref('ews-1', 'ck-2', '2026-02-20T10:00:00.000Z');
    const fromOrganizer = { ...invited, fields: { ...(invited.fields as AppointmentFields), location: 'Room Orion' } } as SyncedItem;
    const crmEdit = { ...invited, fields: { ...(invited.fields as AppointmentFields), location: 'Teams' } } as SyncedItem;
    const actions = planTwice({ links: [link], externalChanges: [fromExchange(r, fromOrganizer)], crmChanges: [fromCrm(snapshot('crm-1', crmEdit, '2026-02-20T10:05:00.000Z'))] });
    expect(actions).toMatchObject([{ type: 'UPDATE_IN_CRM', item: fromOrganizer }, { type: 'RECORD_CONFLICT', conflict: { winner: 'EXCHANGE', rule: 'ORGANIZER_COPY_WINS', losingVersion: crmEdit } }]);
  });

  it('keeps a CRM edit of an attendee’s copy in the CRM without pushing it', () => {
    const invited = meeting({ organizer: { email: 'bjorn@customer.example', name: null } });
    const link = linked('crm-1', syncedRef, invited, '2026-02-01T10:00:00.000Z');
    const crmEdit = { ...invited, fields: { ...(invited.fields as AppointmentFields), body: 'My notes' } } as SyncedItem;
    const actions = planTwice({ links: [link], crmChanges: [fromCrm(snapshot('crm-1', crmEdit, '2026-02-20T10:05:00.000Z'))] });
    expect(actions).toEqual([{ type: 'LINK', link: { ...link, crmFingerprint: fingerprint(crmEdit), crmModifiedAt: '2026-02-20T10:05:00.000Z' } }]);
  });
});

describe('planSync: deletions', () => {
  it('recreates in Exchange what Exchange deleted while the CRM changed it (a change beats a deletion)', () => {
    const edited = meeting({ subject: 'Quarterly review (new room)' });
    const crm = snapshot('crm-1', edited, '2026-02-20T10:00:00.000Z');
    const actions = planTwice({ links: [syncedLink], externalChanges: [deletedInExchange('APPOINTMENT', 'ews-1')], crmChanges: [fromCrm(crm)] });
    expect(actions).toEqual([
      { type: 'UNLINK', kind: 'APPOINTMENT', crmId: 'crm-1', external: syncedRef },
      { type: 'CREATE_IN_EXCHANGE', crmId: 'crm-1', item: edited, fingerprint: fingerprint(edited), crmModifiedAt: crm.modifiedAt },
    ]);
  });

  it('recreates in the CRM what the CRM deleted while Exchange changed it', () => {
    const edited = meeting({ subject: 'Quarterly review (new room)' });
    const r = ref('ews-1', 'ck-2', '2026-02-20T10:00:00.000Z');
    const actions = planTwice({ links: [syncedLink], externalChanges: [fromExchange(r, edited)], crmChanges: [deletedInCrm(snapshot('crm-1', synced, '2026-02-01T10:00:00.000Z'), '2026-02-20T11:00:00.000Z')] });
    expect(actions).toEqual([
      { type: 'UNLINK', kind: 'APPOINTMENT', crmId: 'crm-1', external: syncedRef },
      { type: 'CREATE_IN_CRM', item: edited, ownerUserId: 'user-anna', external: r, fingerprint: fingerprint(edited) },
    ]);
  });

  it('only unlinks when both sides deleted', () => {
    const actions = planTwice({ links: [syncedLink], externalChanges: [deletedInExchange('APPOINTMENT', 'ews-1')], crmChanges: [deletedInCrm(snapshot('crm-1', synced, '2026-02-01T10:00:00.000Z'), '2026-02-20T11:00:00.000Z')] });
    expect(types(actions)).toEqual(['UNLINK']);
  });

  describe('deleted in Exchange, unchanged in the CRM (Dynamics’ rules)', () => {
    const cases: [string, Link, CrmSnapshot | null, SyncAction['type']][] = [
      ['a future meeting the owner organizes is deleted', syncedLink, snapshot('crm-1', synced, '2026-02-01T10:00:00.000Z'), 'DELETE_IN_CRM'],
      ['a meeting that already took place stays', syncedLink, snapshot('crm-1', meeting({ start: '2026-02-10T09:00:00.000Z', end: '2026-02-10T10:00:00.000Z' }), '2026-02-01T10:00:00.000Z'), 'UNLINK'],
      ['a completed meeting stays', syncedLink, snapshot('crm-1', synced, '2026-02-01T10:00:00.000Z', { state: 'COMPLETED' }), 'UNLINK'],
      ['a cancelled meeting stays', syncedLink, snapshot('crm-1', meeting({ cancelled: true }), '2026-02-01T10:00:00.000Z'), 'UNLINK'],
      ['a meeting someone else organizes stays', syncedLink, snapshot('crm-1', meeting({ organizer: { email: 'bjorn@customer.example', name: null } }), '2026-02-01T10:00:00.000Z'), 'UNLINK'],
      ['a record the CRM did not hand over stays', syncedLink, null, 'UNLINK'],
      ['a task is deleted', linked('crm-t', ref('ews-t', 'ck', '2026-02-01T10:00:00.000Z'), task(), '2026-02-01T10:00:00.000Z'), snapshot('crm-t', task(), '2026-02-01T10:00:00.000Z'), 'DELETE_IN_CRM'],
      ['a contact stays (the CRM’s is shared data)', linked('crm-c', ref('ews-c', 'ck', '2026-02-01T10:00:00.000Z'), contact(), '2026-02-01T10:00:00.000Z'), snapshot('crm-c', contact(), '2026-02-01T10:00:00.000Z'), 'UNLINK'],
    ];
    it.each(cases)('%s', (_name, link, current, expected) => {
      const actions = planTwice({ links: [link], externalChanges: [deletedInExchange(link.kind, link.external.externalId)], crmRecords: current ? [current] : [] });
      expect(types(actions)).toEqual([expected]);
    });
  });

  describe('deleted in the CRM, unchanged in Exchange (Dynamics’ rules)', () => {
    const cases: [string, Link, CrmSnapshot, SyncAction['type']][] = [
      ['a future meeting the owner organizes is deleted', syncedLink, snapshot('crm-1', synced, '2026-02-01T10:00:00.000Z'), 'DELETE_IN_EXCHANGE'],
      ['a past meeting stays', syncedLink, snapshot('crm-1', meeting({ start: '2026-02-10T09:00:00.000Z', end: '2026-02-10T10:00:00.000Z' }), '2026-02-01T10:00:00.000Z'), 'UNLINK'],
      ['a future series stays deletable even if its first occurrence passed', syncedLink, snapshot('crm-1', meeting({ start: '2026-02-10T09:00:00.000Z', end: '2026-02-10T10:00:00.000Z', recurrence: { rrule: 'FREQ=WEEKLY', exdates: [], overrides: [] } }), '2026-02-01T10:00:00.000Z'), 'DELETE_IN_EXCHANGE'],
      ['an open task is deleted', linked('crm-t', ref('ews-t', 'ck', '2026-02-01T10:00:00.000Z'), task(), '2026-02-01T10:00:00.000Z'), snapshot('crm-t', task(), '2026-02-01T10:00:00.000Z'), 'DELETE_IN_EXCHANGE'],
      ['a completed task stays', linked('crm-t', ref('ews-t', 'ck', '2026-02-01T10:00:00.000Z'), task(), '2026-02-01T10:00:00.000Z'), snapshot('crm-t', task({ status: 'COMPLETED', percentComplete: 100 }), '2026-02-01T10:00:00.000Z'), 'UNLINK'],
      ['a contact is deleted', linked('crm-c', ref('ews-c', 'ck', '2026-02-01T10:00:00.000Z'), contact(), '2026-02-01T10:00:00.000Z'), snapshot('crm-c', contact(), '2026-02-01T10:00:00.000Z'), 'DELETE_IN_EXCHANGE'],
    ];
    it.each(cases)('%s', (_name, link, lastKnown, expected) => {
      const actions = planTwice({ links: [link], crmChanges: [deletedInCrm(lastKnown, '2026-02-20T11:00:00.000Z')] });
      expect(types(actions)).toEqual([expected]);
    });

    it('deletes the Exchange version it last saw, echo included', () => {
      const echo = ref('ews-1', 'ck-2', '2026-02-20T08:00:00.000Z');
      const actions = planSync(input({ links: [syncedLink], externalChanges: [fromExchange(echo, synced)], crmChanges: [deletedInCrm(snapshot('crm-1', synced, '2026-02-01T10:00:00.000Z'), '2026-02-20T11:00:00.000Z')] }));
      expect(actions).toEqual([{ type: 'DELETE_IN_EXCHANGE', kind: 'APPOINTMENT', crmId: 'crm-1', external: echo }]);
    });
  });

  it('unlinks a record reassigned to another user (a logical delete) instead of deleting it', () => {
    const actions = planTwice({ links: [syncedLink], crmChanges: [fromCrm(snapshot('crm-1', synced, '2026-02-20T08:00:00.000Z', { ownerUserId: 'user-bob' }))] });
    expect(actions).toEqual([{ type: 'UNLINK', kind: 'APPOINTMENT', crmId: 'crm-1', external: syncedRef }]);
  });

  it('unlinks a contact the user unmarked in Outlook', () => {
    const link = linked('crm-c', ref('ews-c', 'ck-1', '2026-02-01T10:00:00.000Z'), contact(), '2026-02-01T10:00:00.000Z');
    const actions = planTwice({ links: [link], externalChanges: [fromExchange(ref('ews-c', 'ck-2', '2026-02-20T08:00:00.000Z'), contact(), false)] });
    expect(types(actions)).toEqual(['UNLINK']);
  });
});

describe('planSync: as a whole', () => {
  it('plans a mixed round per item, in the order the changes came, the same way every time', () => {
    const parts: Partial<PlanInput> = {
      links: [syncedLink, linked('crm-t', ref('ews-t', 'ck-1', '2026-02-01T10:00:00.000Z'), task(), '2026-02-01T10:00:00.000Z')],
      externalChanges: [fromExchange(ref('ews-new', 'ck', '2026-02-20T08:00:00.000Z'), task({ subject: 'New from Outlook' })), deletedInExchange('TASK', 'ews-t')],
      crmChanges: [fromCrm(snapshot('crm-1', meeting({ subject: 'Renamed' }), '2026-02-20T08:00:00.000Z')), fromCrm(snapshot('crm-new', contact(), '2026-02-20T08:00:00.000Z'))],
      crmRecords: [snapshot('crm-t', task(), '2026-02-01T10:00:00.000Z')],
    };
    const actions = planTwice(parts);
    expect(types(actions)).toEqual(['CREATE_IN_CRM', 'DELETE_IN_CRM', 'UPDATE_IN_EXCHANGE', 'CREATE_IN_EXCHANGE']);
    expect(planSync(input(parts))).toEqual(actions);
  });

  it('keeps providers apart: a Graph item with an EWS item’s id is another item', () => {
    const graph: ExternalRef = { provider: 'GRAPH', externalId: 'ews-1', changeKey: 'ck-g', lastModified: '2026-02-20T08:00:00.000Z' };
    expect(types(planSync(input({ links: [syncedLink], externalChanges: [fromExchange(graph, meeting({ subject: 'Other' }))] })))).toEqual(['CREATE_IN_CRM']);
  });

  it('acts on an item’s last change when it was changed and then deleted', () => {
    const actions = planSync(input({
      links: [syncedLink],
      externalChanges: [fromExchange(ref('ews-1', 'ck-2', '2026-02-20T08:00:00.000Z'), meeting({ subject: 'Changed first' })), deletedInExchange('APPOINTMENT', 'ews-1')],
      crmRecords: [snapshot('crm-1', synced, '2026-02-01T10:00:00.000Z')],
    }));
    expect(types(actions)).toEqual(['DELETE_IN_CRM']);
  });

  it('plans nothing when nothing changed', () => {
    expect(planSync(input({ links: [syncedLink], crmRecords: [snapshot('crm-1', synced, '2026-02-01T10:00:00.000Z')] }))).toEqual([]);
  });
});
