import { In, type DataSource, type EntityManager } from 'typeorm';
import { can, depthOf, holds, withinDepth, type OwnedRow, type Principal } from '../access/principal';
import { AccessEntity, Privilege } from '../access/privileges';
import { checkSecuredFieldWrites } from '../access/secured-field';
import { ApiError, badInput, forbidden, notFound } from '../common/errors';
import { expectGlobalId, optionalGlobalId, type GlobalType } from '../common/global-id';
import { newId } from '../common/ids';
import { User } from '../identity/user.entity';
import type { Clock } from '../platform/clock';
import { EmailAddress } from '../records/email-address.entity';
import type { OwnedRecord } from '../records/owned-record';
import { kindOfGlobalType, RECORD_ACCESS_ENTITY, type RecordKind } from '../records/record-kind';
import type { RecordStores } from '../records/record-writer';
import { mayOnActivity } from './activity-access';
import { AppointmentDetail, PhoneCallDetail, TaskDetail } from './activity-details.entity';
import { ActivityKind, ActivityState, CorrelationMethod, Direction, PartyResolution, PartyRole, PrivacyLevel, TaskPriority } from './activity-enums';
import type { ActivityEvents } from './activity-events';
import type { ActivityWriter, NewActivity, NewParty } from './activity-writer';
import { ACTIVITY_GLOBAL_TYPES, ACTIVITY_TYPE_NAME, Activity } from './activity.entity';
import { checkAllDaySpan } from './all-day';
import type { CreateAppointmentInput, CreateTaskInput, LogPhoneCallInput, ManualActivityInput, UpdateAppointmentInput, UpdateTaskInput } from './activity.inputs';
import { EmailMessage } from './email-message.entity';
import { changeActivities } from './timeline-copies';

/** What an activity can be regarding. */
export const REGARDING_TYPES: readonly GlobalType[] = ['Account', 'Contact', 'Lead', 'Opportunity', 'Case'];
/** Who can be a party picked by id (queues take part in email only, by address). */
export const PARTY_TYPES: readonly GlobalType[] = ['Contact', 'Account', 'Lead', 'User'];

export type LinkKind = RecordKind | 'user';

/** A record (or user) an activity is to be linked to, named by the input field that asked for it. */
export interface LinkRequest {
  readonly field: string;
  readonly globalId: string;
  readonly types: readonly GlobalType[];
}

/** A checked link target, with what a party row shows of it. */
export interface LinkTarget {
  readonly field: string;
  readonly kind: LinkKind;
  readonly id: string;
  /** Its primary email address (a user's sign-in address); null when it has none. */
  readonly address: string | null;
  readonly displayName: string | null;
}

const NAME_OF: Record<RecordKind, (record: OwnedRecord) => string | null> = {
  account: (r) => (r as unknown as { name: string }).name,
  contact: (r) => (r as unknown as { fullName: string }).fullName,
  lead: (r) => (r as unknown as { fullName: string }).fullName,
  opportunity: (r) => (r as unknown as { name: string }).name,
  case: (r) => (r as unknown as { title: string }).title,
};

const userRow = (user: User): OwnedRow => ({ ownerId: user.id, businessUnitId: user.businessUnitId });

/** A party row for a record, user or queue taking part in a role. */
export function partyOf(target: Pick<LinkTarget, 'id' | 'address' | 'displayName'> & { kind: LinkKind | 'queue' }, role: PartyRole): NewParty {
  return { role, address: target.address, displayName: target.displayName, partyKind: target.kind, partyId: target.id, resolution: PartyResolution.RESOLVED };
}

/**
 * Activities people make by hand (log a call, create a task or an appointment), their regarding
 * record and state, and the access checks every link from an activity to a record goes through:
 * Dynamics' APPEND on the activity and APPEND_TO on the record.
 */
export class ActivityService {
  constructor(
    private readonly db: DataSource,
    private readonly stores: RecordStores,
    private readonly writer: ActivityWriter,
    private readonly events: ActivityEvents,
    private readonly clock: Clock,
  ) {}

  async logPhoneCall(principal: Principal, input: LogPhoneCallInput): Promise<Activity> {
    checkSecuredFieldWrites(principal, AccessEntity.ACTIVITY, { phoneNumber: input.phoneNumber });
    const direction = input.direction ?? Direction.OUTGOING;
    const [theirRole, ourRole] = direction === Direction.OUTGOING ? [PartyRole.TO, PartyRole.FROM] : [PartyRole.FROM, PartyRole.TO];
    const plan = await this.plan(principal, input, [{ role: theirRole, field: 'input.partyIds', ids: input.partyIds ?? [] }]);
    const caller = await this.user(principal.userId);
    const parties = [partyOf(caller, ourRole), ...plan.parties];
    return this.insert(principal, input, plan, { kind: ActivityKind.PHONE_CALL, state: ActivityState.COMPLETED, direction, occurredAt: input.occurredAt ?? this.clock() }, parties, (em, activityId) =>
      em.insert(PhoneCallDetail, { activityId, phoneNumber: input.phoneNumber?.trim() || null, durationMinutes: input.durationMinutes ?? null }),
    );
  }

  async createTask(principal: Principal, input: CreateTaskInput): Promise<Activity> {
    const dueAt = input.dueAt ?? null;
    startsByDue(input.scheduledStartAt ?? null, dueAt);
    const plan = await this.plan(principal, input, []);
    return this.insert(principal, input, plan, { kind: ActivityKind.TASK, state: ActivityState.OPEN, direction: null, occurredAt: dueAt ?? this.clock() }, [], (em, activityId) =>
      em.insert(TaskDetail, { activityId, dueAt, startAt: input.scheduledStartAt ?? null, percentComplete: input.percentComplete ?? 0, priority: input.priority ?? TaskPriority.NORMAL }),
    );
  }

  async createAppointment(principal: Principal, input: CreateAppointmentInput): Promise<Activity> {
    if (input.endAt.getTime() < input.startAt.getTime()) throw badInput('input.endAt', 'must not be before input.startAt', { reason: 'ENDS_BEFORE_START' });
    if (input.allDay) checkAllDaySpan(input.startAt, input.endAt, { start: 'input.startAt', end: 'input.endAt' });
    const plan = await this.plan(principal, input, [
      { role: PartyRole.REQUIRED, field: 'input.requiredAttendeeIds', ids: input.requiredAttendeeIds ?? [] },
      { role: PartyRole.OPTIONAL, field: 'input.optionalAttendeeIds', ids: input.optionalAttendeeIds ?? [] },
    ]);
    const organizer = partyOf(await this.user(plan.owner.id), PartyRole.ORGANIZER);
    return this.insert(
      principal,
      input,
      plan,
      { kind: ActivityKind.APPOINTMENT, state: ActivityState.OPEN, direction: null, occurredAt: input.startAt },
      [organizer, ...plan.parties],
      (em, activityId) =>
        em.insert(AppointmentDetail, {
          activityId,
          startAt: input.startAt,
          endAt: input.endAt,
          allDay: input.allDay ?? false,
          location: input.location?.trim() || null,
          icalUid: null,
        }),
    );
  }

  /** Changes a task's subject, description, due time, start, progress or priority (a field left out stays as it is). */
  async updateTask(principal: Principal, activityGlobalId: string, input: UpdateTaskInput): Promise<Activity> {
    const activity = await this.activity(principal, 'activityId', activityGlobalId, Privilege.WRITE, ['Task']);
    rejectNull(input, ['subject', 'priority', 'percentComplete']);
    return this.db.transaction(async (em) => {
      const detail = await em.findOneByOrFail(TaskDetail, { activityId: activity.id });
      const dueAt = input.dueAt === undefined ? detail.dueAt : input.dueAt;
      const startAt = input.scheduledStartAt === undefined ? detail.startAt : input.scheduledStartAt;
      startsByDue(startAt, dueAt);
      await em.update(TaskDetail, { activityId: activity.id }, { dueAt, startAt, percentComplete: input.percentComplete ?? detail.percentComplete, priority: input.priority ?? detail.priority });
      // An undated task sits on timelines when it was made; a dated one at its due time.
      return this.changeActivity(em, principal, activity, { subject: input.subject, description: input.description, occurredAt: dueAt ?? activity.createdAt });
    });
  }

  /** Moves, renames or re-places an appointment (a field left out stays as it is); the owner's Exchange Calendar follows. */
  async updateAppointment(principal: Principal, activityGlobalId: string, input: UpdateAppointmentInput): Promise<Activity> {
    const activity = await this.activity(principal, 'activityId', activityGlobalId, Privilege.WRITE, ['Appointment']);
    rejectNull(input, ['subject', 'startAt', 'endAt', 'allDay']);
    return this.db.transaction(async (em) => {
      const detail = await em.findOneByOrFail(AppointmentDetail, { activityId: activity.id });
      const startAt = input.startAt ?? detail.startAt;
      const endAt = input.endAt ?? detail.endAt;
      if (endAt.getTime() < startAt.getTime()) throw badInput(input.endAt ? 'input.endAt' : 'input.startAt', input.endAt ? 'must not be before the start' : 'must not be after the end', { reason: 'ENDS_BEFORE_START' });
      const allDay = input.allDay ?? detail.allDay;
      // A field the caller did not send cannot be the one to correct: the switch that made the stored times wrong is.
      if (allDay) checkAllDaySpan(startAt, endAt, { start: input.startAt ? 'input.startAt' : 'input.allDay', end: input.endAt ? 'input.endAt' : 'input.allDay' });
      const location = input.location === undefined ? detail.location : input.location?.trim() || null;
      await em.update(AppointmentDetail, { activityId: activity.id }, { startAt, endAt, allDay, location });
      return this.changeActivity(em, principal, activity, { subject: input.subject, description: input.description, occurredAt: startAt });
    });
  }

  private async changeActivity(em: EntityManager, principal: Principal, activity: Activity, change: { subject?: string | null; description?: string | null; occurredAt: Date }): Promise<Activity> {
    await changeActivities(em, activity.id, {
      ...(change.subject ? { subject: change.subject.trim() } : {}),
      ...(change.description === undefined ? {} : { description: change.description?.trim() || null }),
      occurredAt: change.occurredAt,
      modifiedById: principal.userId,
      updatedAt: this.clock(),
    });
    await this.events.stage(em, 'UPDATED', activity.id);
    return em.findOneByOrFail(Activity, { id: activity.id });
  }

  /** Sets or (with null) clears what an activity is regarding; its timelines follow. */
  async setRegarding(principal: Principal, activityGlobalId: string, regardingGlobalId: string | null): Promise<Activity> {
    const activity = await this.activity(principal, 'activityId', activityGlobalId, Privilege.WRITE);
    const [target] = regardingGlobalId ? await this.linkTargets(principal, activity, [{ field: 'regardingId', globalId: regardingGlobalId, types: REGARDING_TYPES }]) : [];
    const changed = await this.db.transaction(async (em) => {
      await this.events.stage(em, 'UPDATED', activity.id);
      await this.writer.setRegarding(em, activity, target ? { kind: target.kind as RecordKind, id: target.id } : null, principal.userId);
      // A person chose it: tracking's own reasoning no longer explains the email's regarding record.
      if (activity.kind === ActivityKind.EMAIL) await em.update(EmailMessage, { activityId: activity.id }, { correlationMethod: CorrelationMethod.MANUAL });
      return em.findOneByOrFail(Activity, { id: activity.id });
    });
    return changed;
  }

  /** Opens, completes or cancels a call, task or appointment; an email's state follows its sending or receipt. */
  async setState(principal: Principal, activityGlobalId: string, state: ActivityState): Promise<Activity> {
    const activity = await this.activity(principal, 'activityId', activityGlobalId, Privilege.WRITE);
    if (activity.kind === ActivityKind.EMAIL) {
      throw badInput('activityId', 'an email’s state follows its sending or receipt and cannot be set; retry or resolve the send instead');
    }
    await this.db.transaction(async (em) => {
      await changeActivities(em, activity.id, { state, modifiedById: principal.userId, updatedAt: this.clock() });
      await this.events.stage(em, 'UPDATED', activity.id);
    });
    return this.db.getRepository(Activity).findOneByOrFail({ id: activity.id });
  }

  /**
   * An activity by global id, if the caller may read it (NOT_FOUND naming `field` otherwise, exactly
   * as for one that does not exist) and, for WRITE, change it (FORBIDDEN).
   */
  async activity(principal: Principal, field: string, globalId: string, privilege: Privilege.READ | Privilege.WRITE, types = ACTIVITY_GLOBAL_TYPES): Promise<Activity> {
    const parsed = expectGlobalId(field, globalId, ...types);
    const activity = await this.db.getRepository(Activity).findOneBy({ id: parsed.id });
    if (!activity || ACTIVITY_TYPE_NAME[activity.kind] !== parsed.type || !mayOnActivity(principal, Privilege.READ, activity)) throw notFound(field, globalId);
    if (privilege === Privilege.WRITE && !mayOnActivity(principal, Privilege.WRITE, activity)) {
      throw forbidden(`you may read this ${parsed.type} but not change it`);
    }
    return activity;
  }

  /**
   * Checks that the caller may link `activity` (an existing row, or the owner and unit of one about
   * to be created) to each requested record: APPEND on the activity, READ and APPEND_TO on each
   * record (users: READ). Errors name the field: NOT_FOUND for what the caller cannot read, FORBIDDEN
   * for the rest. Returns the targets in request order, in few statements however many there are.
   */
  async linkTargets(principal: Principal, activity: OwnedRow, requests: readonly LinkRequest[]): Promise<LinkTarget[]> {
    if (requests.length === 0) return [];
    if (!mayOnActivity(principal, Privilege.APPEND, activity)) {
      throw new ApiError('FORBIDDEN', `${requests[0].field}: you may not link this activity to records`, requests[0].field);
    }
    const parsed = requests.map((r) => {
      const { type, id } = expectGlobalId(r.field, r.globalId, ...r.types);
      return { ...r, kind: (type === 'User' ? 'user' : kindOfGlobalType(type)!) as LinkKind, id };
    });
    const found = await this.readableRows(principal, parsed);

    return parsed.map((p) => {
      const target = found.get(`${p.kind}:${p.id}`);
      if (!target) throw notFound(p.field, p.globalId);
      if (p.kind !== 'user' && !withinDepth(principal, depthOf(principal, RECORD_ACCESS_ENTITY[p.kind], Privilege.APPEND_TO), target.row)) {
        throw new ApiError('FORBIDDEN', `${p.field}: you may not link activities to that ${p.kind}`, p.field);
      }
      return { field: p.field, kind: p.kind, id: p.id, address: target.address, displayName: target.name?.slice(0, 200) ?? null };
    });
  }

  /**
   * The names of those of `refs` the caller may read, keyed `kind:id`: what a sender may be told
   * about whom a typed address belongs to (nothing for a record hidden from them).
   */
  async readableNames(principal: Principal, refs: readonly { kind: LinkKind; id: string }[]): Promise<Map<string, string>> {
    const names = new Map<string, string>();
    for (const [key, target] of await this.readableRows(principal, refs)) if (target.name) names.set(key, target.name.slice(0, 200));
    return names;
  }

  /** Users and records among `refs` the caller may read, keyed `kind:id`, in one statement per kind. */
  private async readableRows(principal: Principal, refs: readonly { kind: LinkKind; id: string }[]): Promise<Map<string, { row: OwnedRow; name: string | null; address: string | null }>> {
    const idsOf = (kind: LinkKind) => [...new Set(refs.filter((p) => p.kind === kind).map((p) => p.id))];
    const found = new Map<string, { row: OwnedRow; name: string | null; address: string | null }>();
    const userIds = idsOf('user');
    if (userIds.length) {
      const readUsers = holds(principal, AccessEntity.USER, Privilege.READ);
      for (const user of await this.db.getRepository(User).findBy({ id: In(userIds) })) {
        if (readUsers && can(principal, AccessEntity.USER, Privilege.READ, userRow(user))) {
          found.set(`user:${user.id}`, { row: userRow(user), name: user.fullName, address: user.email });
        }
      }
    }
    for (const kind of Object.keys(this.stores) as RecordKind[]) {
      const ids = idsOf(kind);
      if (ids.length === 0) continue;
      const store = this.stores[kind];
      const readable = await store.permitted(principal, await store.byIds(ids), Privilege.READ);
      const addresses = await this.primaryAddresses(kind, readable.map((r) => r.id));
      for (const record of readable) found.set(`${kind}:${record.id}`, { row: record, name: NAME_OF[kind](record), address: addresses.get(record.id) ?? null });
    }
    return found;
  }

  /** A user as a party target (the caller, an organizer): no access check, they take part by their role in the activity. */
  async user(userId: string): Promise<LinkTarget> {
    const user = await this.db.getRepository(User).findOneByOrFail({ id: userId });
    return { field: '', kind: 'user', id: user.id, address: user.email, displayName: user.fullName };
  }

  private async primaryAddresses(kind: RecordKind, ids: readonly string[]): Promise<Map<string, string>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db.getRepository(EmailAddress).find({ where: { recordKind: kind, recordId: In([...ids]) }, order: { position: 'ASC' } });
    const result = new Map<string, string>();
    for (const row of rows) if (!result.has(row.recordId)) result.set(row.recordId, row.address);
    return result;
  }

  /** Owner, access and links of a new activity, checked before anything is written. */
  private async plan(
    principal: Principal,
    input: ManualActivityInput,
    partyLists: readonly { role: PartyRole; field: string; ids: readonly string[] }[],
  ): Promise<{ owner: User; row: OwnedRow; regarding: LinkTarget | null; parties: NewParty[] }> {
    const ownerId = optionalGlobalId('input.ownerId', input.ownerId, 'User') ?? principal.userId;
    const owner = await this.db.getRepository(User).findOneBy({ id: ownerId });
    if (!owner || owner.disabled) throw notFound('input.ownerId', input.ownerId ?? ownerId);
    const row: OwnedRow = { ownerId: owner.id, businessUnitId: owner.businessUnitId };
    if (owner.id === principal.userId) {
      if (!mayOnActivity(principal, Privilege.CREATE, row)) throw forbidden('you may not create activities');
    } else if (!mayOnActivity(principal, Privilege.CREATE, row) || !mayOnActivity(principal, Privilege.ASSIGN, row)) {
      throw new ApiError('FORBIDDEN', 'input.ownerId: you may not create activities owned by that user', 'input.ownerId');
    }

    const requests: LinkRequest[] = [];
    if (input.regardingId) requests.push({ field: 'input.regardingId', globalId: input.regardingId, types: REGARDING_TYPES });
    // Each record once per activity: the first list that names it decides its role.
    const roles: PartyRole[] = [];
    const seen = new Set<string>();
    for (const { role, field, ids } of partyLists) {
      ids.forEach((globalId, index) => {
        if (seen.has(globalId)) return;
        seen.add(globalId);
        requests.push({ field: `${field}[${index}]`, globalId, types: PARTY_TYPES });
        roles.push(role);
      });
    }
    const targets = await this.linkTargets(principal, row, requests);
    const regarding = input.regardingId ? targets[0] : null;
    const parties = targets.slice(regarding ? 1 : 0).map((t, i) => partyOf(t, roles[i]));
    return { owner, row, regarding, parties };
  }

  private async insert(
    principal: Principal,
    input: ManualActivityInput,
    plan: { row: OwnedRow; regarding: LinkTarget | null },
    kind: Pick<NewActivity, 'kind' | 'state' | 'direction' | 'occurredAt'>,
    parties: readonly NewParty[],
    detail: (em: EntityManager, activityId: string) => Promise<unknown>,
  ): Promise<Activity> {
    const id = newId();
    const activity: NewActivity = {
      id,
      ownerId: plan.row.ownerId,
      businessUnitId: plan.row.businessUnitId,
      createdById: principal.userId,
      modifiedById: principal.userId,
      ...kind,
      subject: input.subject.trim(),
      description: input.description?.trim() || null,
      regardingKind: (plan.regarding?.kind as RecordKind | undefined) ?? null,
      regardingId: plan.regarding?.id ?? null,
      // Made by hand, not tracked from a mailbox: everyone who may read it sees all of it.
      visibility: PrivacyLevel.FULL,
    };
    const created = await this.db.transaction(async (em) => {
      await this.writer.insert(em, [{ activity, parties }]);
      await detail(em, id);
      await this.events.stage(em, 'CREATED', id);
      return em.findOneByOrFail(Activity, { id });
    });
    return created;
  }
}

/** Fields that may be left out but not cleared: null names the field. */
function rejectNull(input: object, fields: readonly string[]): void {
  for (const field of fields) if ((input as Record<string, unknown>)[field] === null) throw badInput(`input.${field}`, 'must not be null (leave it out to keep it)', { reason: 'REQUIRED' });
}

/** A task starts no later than it is due (Outlook holds the two that way). */
function startsByDue(startAt: Date | null, dueAt: Date | null): void {
  if (startAt && dueAt && startAt.getTime() > dueAt.getTime()) throw badInput('input.scheduledStartAt', 'must not be after input.dueAt', { reason: 'STARTS_AFTER_DUE' });
}
