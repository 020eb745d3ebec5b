import type { GraphQLClient } from '../graphql/graphql-client';
import { graphql } from '../graphql/graphql-tag';
import { toMutationError, type MutationError } from '../shell/mutation-error';
import type { AppointmentActivity, TaskActivity } from '../timeline/activity';
import { allDaySpan, DAY_MS, utcDay } from '../timeline/all-day';

const LOG_PHONE_CALL = graphql('LogPhoneCall')`mutation LogPhoneCall($input: LogPhoneCallInput!) { logPhoneCall(input: $input) { id } }`;
const CREATE_TASK = graphql('CreateTask')`mutation CreateTask($input: CreateTaskInput!) { createTask(input: $input) { id } }`;
const CREATE_APPOINTMENT = graphql('CreateAppointment')`mutation CreateAppointment($input: CreateAppointmentInput!) { createAppointment(input: $input) { id } }`;
const UPDATE_TASK = graphql('UpdateTask')`mutation UpdateTask($id: ID!, $input: UpdateTaskInput!) { updateTask(activityId: $id, input: $input) { id } }`;
const UPDATE_APPOINTMENT = graphql('UpdateAppointment')`mutation UpdateAppointment($id: ID!, $input: UpdateAppointmentInput!) { updateAppointment(activityId: $id, input: $input) { id } }`;

export type LogKind = 'call' | 'task' | 'appointment';

/** A date and time as a datetime-local input writes it (the browser's time zone, to the minute). */
export function localInputValue(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** A new appointment's default: the next full hour, for half an hour. */
export function defaultMeetingTime(now: Date): { startAt: string; endAt: string } {
  const start = new Date(now);
  start.setMinutes(0, 0, 0);
  start.setHours(start.getHours() + 1);
  return { startAt: localInputValue(start), endAt: localInputValue(new Date(start.getTime() + 30 * 60_000)) };
}

/** People on a call or at a meeting: one regarding a contact, lead or account is with them. */
const PARTY_KINDS = new Set(['contact', 'lead', 'account']);

/**
 * "Log a call", "New task" or "New appointment" on a record's page: the activity regards that record (and a call is with
 * it when it is a person or a company). The timeline shows the new activity through its live feed.
 */
export class LogActivityForm {
  subject = $state('');
  description = $state('');
  direction = $state<'OUTGOING' | 'INCOMING'>('OUTGOING');
  durationMinutes = $state('');
  /** A task's due date and time, as a datetime-local input writes it. */
  dueAt = $state('');
  priority = $state<'HIGH' | 'NORMAL' | 'LOW'>('NORMAL');
  /** A task's progress in percent, as typed. */
  percentComplete = $state('0');
  /** An appointment's start and end (a task's start), as datetime-local inputs write them. */
  startAt = $state('');
  endAt = $state('');
  allDay = $state(false);
  location = $state('');
  saving = $state(false);
  error = $state<MutationError | null>(null);
  missing = $state<'subject' | 'duration' | 'progress' | 'startAt' | 'endAt' | null>(null);
  /** The task or appointment being changed; null while making a new activity. */
  editingId: string | null = null;

  constructor(
    private readonly client: GraphQLClient,
    readonly kind: LogKind,
    readonly recordKind: string,
    readonly recordId: string,
    now: Date = new Date(),
  ) {
    if (kind === 'appointment') ({ startAt: this.startAt, endAt: this.endAt } = defaultMeetingTime(now));
  }

  /** "Edit" on a task or appointment: the form starts with what it holds now, in the viewer's time zone. */
  static editing(client: GraphQLClient, activity: TaskActivity | AppointmentActivity): LogActivityForm {
    const form = new LogActivityForm(client, activity.__typename === 'Task' ? 'task' : 'appointment', '', '');
    form.editingId = activity.id;
    form.subject = activity.subject ?? '';
    form.description = activity.description ?? '';
    if (activity.__typename === 'Task') {
      form.dueAt = activity.dueAt ? localInputValue(new Date(activity.dueAt)) : '';
      form.startAt = activity.scheduledStartAt ? localInputValue(new Date(activity.scheduledStartAt)) : '';
      form.percentComplete = String(activity.percentComplete);
      form.priority = activity.priority;
    } else {
      form.allDay = activity.allDay;
      form.location = activity.location ?? '';
      if (activity.allDay) {
        // Whole UTC days (all-day.ts), ending at the midnight after the last day: the form shows the first and last day.
        form.startAt = `${utcDay(Date.parse(activity.startAt))}T00:00`;
        form.endAt = `${utcDay(Date.parse(activity.endAt) - DAY_MS)}T00:00`;
      } else {
        form.startAt = localInputValue(new Date(activity.startAt));
        form.endAt = localInputValue(new Date(activity.endAt));
      }
    }
    return form;
  }

  /** The appointment's times for the API: an all-day one as whole UTC days, the same days wherever it is read. */
  #meetingTimes(): { startAt: string; endAt: string } {
    if (!this.allDay) return { startAt: new Date(this.startAt).toISOString(), endAt: new Date(this.endAt).toISOString() };
    return allDaySpan(this.startAt.slice(0, 10), this.endAt.slice(0, 10));
  }

  /** What is wrong with the form before it is sent, if anything. */
  #check(subject: string, minutes: number | null): LogActivityForm['missing'] {
    if (!subject) return 'subject';
    if (minutes !== null && (!Number.isInteger(minutes) || minutes < 0)) return 'duration';
    if (this.kind === 'task') return this.#progress() === null ? 'progress' : null;
    if (this.kind !== 'appointment') return null;
    // An all-day appointment compares days: its inputs write dates, kept here at midnight.
    const at = (value: string) => Date.parse(this.allDay ? `${value.slice(0, 10)}T00:00` : value);
    const start = at(this.startAt);
    if (Number.isNaN(start)) return 'startAt';
    const end = at(this.endAt);
    return Number.isNaN(end) || end < start ? 'endAt' : null;
  }

  /** The task's progress as a whole percentage from 0 to 100 (empty is none); null when it is not one. */
  #progress(): number | null {
    const text = this.percentComplete.trim().replace(/\s*%$/, '');
    const value = text === '' ? 0 : Number(text);
    return Number.isInteger(value) && value >= 0 && value <= 100 ? value : null;
  }

  /** A task's times and progress for the API. */
  #taskFields(): { dueAt: string | null; scheduledStartAt: string | null; percentComplete: number } {
    const at = (value: string) => (value ? new Date(value).toISOString() : null);
    return { dueAt: at(this.dueAt), scheduledStartAt: at(this.startAt), percentComplete: this.#progress() ?? 0 };
  }

  /** Saves; true when done, false with the errors on the form. */
  async save(): Promise<boolean> {
    if (this.saving) return false;
    this.error = null;
    const subject = this.subject.trim();
    const minutes = this.durationMinutes.trim() === '' ? null : Number(this.durationMinutes);
    this.missing = this.#check(subject, minutes);
    if (this.missing) return false;
    this.saving = true;
    try {
      const description = this.description.trim() || null;
      if (this.kind === 'call') {
        await this.client.request(LOG_PHONE_CALL, {
          input: {
            subject,
            description,
            direction: this.direction,
            durationMinutes: minutes,
            regardingId: this.recordId,
            partyIds: PARTY_KINDS.has(this.recordKind) ? [this.recordId] : [],
          },
        });
      } else if (this.kind === 'appointment' && !this.editingId) {
        await this.client.request(CREATE_APPOINTMENT, {
          input: {
            subject,
            description,
            location: this.location.trim() || null,
            allDay: this.allDay,
            ...this.#meetingTimes(),
            regardingId: this.recordId,
            requiredAttendeeIds: PARTY_KINDS.has(this.recordKind) ? [this.recordId] : [],
          },
        });
      } else if (this.editingId && this.kind === 'appointment') {
        await this.client.request(UPDATE_APPOINTMENT, { id: this.editingId, input: { subject, description, location: this.location.trim() || null, allDay: this.allDay, ...this.#meetingTimes() } });
      } else if (this.editingId) {
        await this.client.request(UPDATE_TASK, { id: this.editingId, input: { subject, description, priority: this.priority, ...this.#taskFields() } });
      } else {
        await this.client.request(CREATE_TASK, { input: { subject, description, priority: this.priority, regardingId: this.recordId, ...this.#taskFields() } });
      }
      return true;
    } catch (error) {
      this.error = toMutationError(error);
      return false;
    } finally {
      this.saving = false;
    }
  }
}
