import { EmailApproval, IncomingMethod, OutgoingMethod } from './mail-enums';
import { SYNCING_STATES } from './mailbox-eligibility';

// The rule of mailbox-eligibility.ts written as SQL, so claims filter in the database; the test
// beside this file checks that the two agree on every combination. `m` is the mailbox alias;
// enum values are constants, not input.

/** `state IN (…)` for the states in which the engine syncs. */
export const SYNCING_STATES_SQL = `(${SYNCING_STATES.map((s) => `'${s}'`).join(', ')})`;

/** The mailbox may be worked on at all: it has a profile and, when the organization requires it, approval. */
export function approvedSql(m: string, onlyApproved: boolean): string {
  return `${m}.profileId IS NOT NULL${onlyApproved ? ` AND ${m}.approval = '${EmailApproval.APPROVED}'` : ''}`;
}

/** `isSyncable`: approved as above and ENABLED or BACKING_OFF. */
export function syncableSql(m: string, onlyApproved: boolean): string {
  return `${approvedSql(m, onlyApproved)} AND ${m}.state IN ${SYNCING_STATES_SQL}`;
}

/** `outgoingEnabled`: the mailbox sends its outgoing email over SMTP. */
export function sendsSql(m: string, onlyApproved: boolean): string {
  return `${syncableSql(m, onlyApproved)} AND ${m}.outgoingMethod = '${OutgoingMethod.SERVER_SIDE_SYNC}'`;
}

/** With `syncableSql`, `incomingEnabled`: mail is read from the mailbox's own server, or it is the forward mailbox. */
export const readsIncomingSql = (m: string): string => `(${m}.incomingMethod = '${IncomingMethod.SERVER_SIDE_SYNC}' OR ${m}.isForwardMailbox = 1)`;
