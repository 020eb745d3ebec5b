import type { ActivityChange } from '../timeline/activity-events';
import type { LiveStatus } from './live-client';

// What the live parts of the UI say, in one place so they can be translated.

/** The header badge: a word for each status (never colour alone), and a sentence for its tooltip and screen readers. */
export const STATUS_TEXT: Record<Exclude<LiveStatus, 'idle'>, { label: string; description: string }> = {
  connecting: { label: 'Connecting…', description: 'Connecting for live updates.' },
  live: { label: 'Live', description: 'Live: this page updates itself as things change.' },
  reconnecting: { label: 'Reconnecting…', description: 'The live connection was lost. Reconnecting; nothing will be missed.' },
  offline: { label: 'Offline', description: 'Offline: this page is not updating. It catches up when the connection is back.' },
};

/** The Live page. */
export const FEED_TEXT = {
  title: 'Live feed',
  intro: 'Activities you can see, as they are created, tracked, changed or removed.',
  kindsLabel: 'Kinds of activity',
  waiting: 'Waiting for activity. New items appear here as they happen.',
  waitingFiltered: 'Waiting for activity of the chosen kinds.',
  /** Before the link to the activity's account or contact. */
  onRecord: 'On',
  noRecord: 'Not linked to an account or contact',
  listLabel: 'Live activity',
  failed: 'Live updates stopped:',
  expired: 'Some events were too old to replay; the feed starts again from now.',
  kept: (count: number) => (count === 1 ? 'Showing the last activity.' : `Showing the last ${count} activities.`),
} as const;

/** What happened to an activity, as the Live page labels it. */
export const CHANGE_LABEL: Record<ActivityChange, string> = {
  TRACKED: 'Tracked',
  CREATED: 'New',
  UPDATED: 'Updated',
  REMOVED: 'Removed',
};

/** The record page's timeline. */
export const TIMELINE_LIVE_TEXT = {
  /** The button shown when new activities arrived above what the reader is looking at. */
  newAbove: (count: number) => `${count} new`,
  newAboveLabel: (count: number) => (count === 1 ? '1 new activity above. Show it.' : `${count} new activities above. Show them.`),
  failed: 'Live updates for this timeline stopped:',
} as const;
