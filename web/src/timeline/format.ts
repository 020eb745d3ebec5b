import type { Messages } from '../shell/i18n/en';
import type { Translator } from '../shell/i18n/translator';
import { shownAt } from './all-day';
import type { Activity, ActivityKind, Direction, PrivacyLevel } from './activity';

// Words the timeline shows, from the reader's catalog; pure, so they read the same wherever they are used.

/** "Received"/"Sent" for email, "Incoming"/"Outgoing" for calls; nothing for kinds without a direction. */
export function directionLabel(t: Messages, kind: ActivityKind, direction: Direction | null): string | null {
  if (!direction) return null;
  return (kind === 'EMAIL' ? t.activity.emailDirection : t.activity.callDirection)[direction];
}

/** Why part of an activity is hidden, for the tooltip and screen readers; null when the viewer sees it whole. */
export function privacyExplanation(t: Messages, level: PrivacyLevel): string | null {
  switch (level) {
    case 'FULL':
      return null;
    case 'SUBJECT_ONLY':
      return t.activity.privateSubjectOnly;
    case 'METADATA_ONLY':
      return t.activity.privateMetadataOnly;
  }
}

/** How tracking found the record an email is on, in a sentence. */
export function correlationExplanation(t: Messages, method: string | null): string {
  return (method && t.email.correlation[method]) || t.email.correlationUnknown;
}

/** A code as words when no translation knows it: FOO_BAR → "foo bar". */
const asWords = (code: string) => code.toLowerCase().replace(/_/g, ' ');

/** A tracking step's name in words: "Tracking filter", "Conversation by reply headers"; an unknown code as words. */
export function trackingStepLabel(t: Messages, step: string): string {
  const [name, method] = step.split(':', 2);
  if (name === 'CORRELATION' && method) return t.email.correlationStep(t.email.correlationMethodName[method] ?? asWords(method));
  return t.email.stepName[step] ?? asWords(step);
}

/** A tracking step's outcome in words; an unknown code as words. */
export function trackingOutcomeLabel(t: Messages, outcome: string): string {
  return t.email.stepOutcome[outcome] ?? asWords(outcome);
}

/** Why an attachment was not stored: TOO_LARGE in words, another code as written. */
export function skippedLabel(t: Messages, reason: string | null): string {
  if (reason === 'TOO_LARGE') return t.email.notStoredTooLarge;
  return reason ? t.email.notStoredBecause(asWords(reason)) : t.email.notStored;
}

/** The local calendar day of a time, as a sortable key. */
export function dayKey(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

export interface DayGroup {
  key: string;
  label: string;
  items: Activity[];
}

/**
 * The activities of each local day, labelled "Today", "Yesterday" or the date, days in the order given (the API's,
 * newest first) and activities within a day as given. An all-day appointment is on its own day wherever the reader
 * is, while the timed ones around it follow the reader's clock: west of UTC the evening before sorts on both sides of
 * it, and still makes one heading.
 */
export function groupByDay(items: readonly Activity[], now: Date, i18n: Pick<Translator, 'formatDay'>): DayGroup[] {
  const byKey = new Map<string, DayGroup>();
  for (const item of items) {
    const date = shownAt({ occurredAt: item.occurredAt, allDay: 'allDay' in item ? item.allDay : false });
    const key = dayKey(date);
    const group = byKey.get(key);
    if (group) group.items.push(item);
    else byKey.set(key, { key, label: i18n.formatDay(date, now), items: [item] });
  }
  const groups = [...byKey.values()];
  const newestFirst = items.length < 2 || Date.parse(items[0].occurredAt) >= Date.parse(items[items.length - 1].occurredAt);
  return groups.sort((a, b) => (newestFirst ? b.key.localeCompare(a.key) : a.key.localeCompare(b.key)));
}
