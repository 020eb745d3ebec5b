import type { Activity, ActivityKind, Direction, PrivacyLevel } from './activity';

// Words and numbers the timeline shows; pure, so they read the same wherever they are used.

export const KIND_LABEL: Record<ActivityKind, string> = {
  EMAIL: 'Email',
  APPOINTMENT: 'Appointment',
  TASK: 'Task',
  PHONE_CALL: 'Phone call',
};

export const KIND_PLURAL: Record<ActivityKind, string> = {
  EMAIL: 'Emails',
  APPOINTMENT: 'Appointments',
  TASK: 'Tasks',
  PHONE_CALL: 'Phone calls',
};

/** "Received"/"Sent" for email, "Incoming"/"Outgoing" for calls; nothing for kinds without a direction. */
export function directionLabel(kind: ActivityKind, direction: Direction | null): string | null {
  if (!direction) return null;
  if (kind === 'EMAIL') return direction === 'INCOMING' ? 'Received' : 'Sent';
  return direction === 'INCOMING' ? 'Incoming' : 'Outgoing';
}

/** Why part of an activity is hidden, for the tooltip and screen readers; null when the viewer sees it whole. */
export function privacyExplanation(level: PrivacyLevel): string | null {
  switch (level) {
    case 'FULL':
      return null;
    case 'SUBJECT_ONLY':
      return 'Private: the mailbox this was tracked from shares only the subject, participants and time with you.';
    case 'METADATA_ONLY':
      return 'Private: the mailbox this was tracked from shares only the participants and time with you, not the subject or content.';
  }
}

const CORRELATION: Record<string, string> = {
  IN_REPLY_TO: 'It replies to an email already tracked here (In-Reply-To / References headers).',
  TRACKING_TOKEN: 'Its subject carries the tracking token of an email sent from the hub.',
  THREAD_INDEX: 'Outlook marked it as part of a conversation already tracked here (Thread-Index).',
  SMART_MATCHING: 'Same subject and shared recipients as a recent tracked email (smart matching).',
  FOLDER_RULE: 'It was filed in a mailbox folder that is tracked to this record.',
  QUEUE_RULE: 'It reached a queue whose email-to-case rule filed it.',
  MANUAL: 'Someone set what it is regarding by hand.',
  NONE: 'No conversation matched; it is shown on the records of its participants.',
};

export function correlationExplanation(method: string | null): string {
  return (method && CORRELATION[method]) || 'It is shown on the records of its participants.';
}

/** "1 activity", "42 activities". */
export function countLabel(count: number, one: string, many: string): string {
  return `${count.toLocaleString()} ${count === 1 ? one : many}`;
}

/** Bytes as people read them: "820 bytes", "48 KB", "50 MB". */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  const units = ['KB', 'MB', 'GB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value >= 10 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

export function skippedLabel(reason: string | null): string {
  if (reason === 'TOO_LARGE') return 'not stored (too large)';
  return reason ? `not stored (${reason.toLowerCase().replace(/_/g, ' ')})` : 'not stored';
}

/** The local calendar day of a time, as a sortable key. */
export function dayKey(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

const weekdayDate = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
const fullDate = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
const clock = new Intl.DateTimeFormat(undefined, { hour: 'numeric', minute: '2-digit' });
const shortDateTime = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', hour: 'numeric', minute: '2-digit' });
const longDateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'short' });

/** "Today", "Yesterday", "Tomorrow", or the date (with the year when it is not this year's). */
export function dayLabel(date: Date, now: Date): string {
  const offset = Math.round((startOfDay(date).getTime() - startOfDay(now).getTime()) / 86_400_000);
  if (offset === 0) return 'Today';
  if (offset === -1) return 'Yesterday';
  if (offset === 1) return 'Tomorrow';
  return (date.getFullYear() === now.getFullYear() ? weekdayDate : fullDate).format(date);
}

function startOfDay(date: Date): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

export const timeOfDay = (date: Date): string => clock.format(date);
export const dateTime = (date: Date): string => shortDateTime.format(date);
export const fullDateTime = (date: Date): string => longDateTime.format(date);

export interface DayGroup {
  key: string;
  label: string;
  items: Activity[];
}

/** Consecutive activities of the same local day, in the order given (the API's, newest first). */
export function groupByDay(items: readonly Activity[], now: Date): DayGroup[] {
  const groups: DayGroup[] = [];
  for (const item of items) {
    const date = new Date(item.occurredAt);
    const key = dayKey(date);
    const last = groups.at(-1);
    if (last?.key === key) last.items.push(item);
    else groups.push({ key, label: dayLabel(date, now), items: [item] });
  }
  return groups;
}

/** "15 min", "1 h 5 min". */
export function duration(minutes: number): string {
  if (minutes < 60) return `${minutes} min`;
  const rest = minutes % 60;
  return rest ? `${Math.floor(minutes / 60)} h ${rest} min` : `${minutes / 60} h`;
}
