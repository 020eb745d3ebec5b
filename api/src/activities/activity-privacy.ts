import { PrivacyLevel } from './activity-enums';
import type { Activity } from './activity.entity';

/**
 * How much of an activity a viewer sees. The owners of the mailboxes an email was tracked from
 * (and the activity's owner) see it whole; everyone else sees it at `visibility`, the most open
 * privacy level among those mailboxes.
 */
export function privacyFor(viewerId: string, activity: Pick<Activity, 'ownerId' | 'visibility'>, mailboxOwnerIds: readonly string[]): PrivacyLevel {
  if (activity.visibility === PrivacyLevel.FULL) return PrivacyLevel.FULL;
  if (activity.ownerId === viewerId || mailboxOwnerIds.includes(viewerId)) return PrivacyLevel.FULL;
  return activity.visibility;
}

export const showsSubject = (level: PrivacyLevel) => level !== PrivacyLevel.METADATA_ONLY;
export const showsContent = (level: PrivacyLevel) => level === PrivacyLevel.FULL;
