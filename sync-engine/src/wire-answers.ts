import type { MailboxWork, ServerKind, TlsMode, TrackedItemResult, WireEndpoint } from './hub-types.js';

// The answers the engine acts on, checked where they enter the process (STYLE 9): a field the api
// renamed or a value it never sent before fails here with its path, not later as `undefined`.
// The enum sets are compared with schema.graphql by test/contract/wire-answers.test.ts.

export const SERVER_KINDS: readonly ServerKind[] = ['IMAP_SMTP', 'POP3_SMTP'];
export const TLS_MODES: readonly TlsMode[] = ['NONE', 'STARTTLS', 'IMPLICIT'];
export const MAILBOX_JOBS: readonly MailboxWork['job'][] = ['SYNC', 'TEST'];
export const TRACKED_OUTCOMES: readonly TrackedItemResult['outcome'][] = ['TRACKED', 'LINKED', 'DUPLICATE', 'FILTERED', 'REJECTED'];

/** Thrown with the path of the first value that does not have the shape the engine relies on. */
export class WireShapeError extends Error {}

type Fields = Record<string, unknown>;

function object(value: unknown, path: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new WireShapeError(`${path}: expected an object`);
  return value as Fields;
}
function string(o: Fields, key: string, path: string): string {
  if (typeof o[key] !== 'string') throw new WireShapeError(`${path}.${key}: expected a string`);
  return o[key] as string;
}
function stringOrNull(o: Fields, key: string, path: string): string | null {
  if (o[key] !== null && typeof o[key] !== 'string') throw new WireShapeError(`${path}.${key}: expected a string or null`);
  return o[key] as string | null;
}
function boolean(o: Fields, key: string, path: string): boolean {
  if (typeof o[key] !== 'boolean') throw new WireShapeError(`${path}.${key}: expected true or false`);
  return o[key] as boolean;
}
function integer(o: Fields, key: string, path: string): number {
  if (!Number.isInteger(o[key])) throw new WireShapeError(`${path}.${key}: expected an integer`);
  return o[key] as number;
}
function oneOf<T extends string>(o: Fields, key: string, allowed: readonly T[], path: string): T {
  if (!allowed.includes(o[key] as T)) throw new WireShapeError(`${path}.${key}: ${JSON.stringify(o[key])} is not one of ${allowed.join(', ')}`);
  return o[key] as T;
}
function date(o: Fields, key: string, path: string): string {
  const text = string(o, key, path);
  if (Number.isNaN(Date.parse(text))) throw new WireShapeError(`${path}.${key}: expected a date`);
  return text;
}
function strings(o: Fields, key: string, path: string): string[] {
  const list = o[key];
  if (!Array.isArray(list) || list.some((s) => typeof s !== 'string')) throw new WireShapeError(`${path}.${key}: expected a list of strings`);
  return list as string[];
}

function endpoint(value: unknown, path: string): WireEndpoint {
  const o = object(value, path);
  return { host: string(o, 'host', path), port: integer(o, 'port', path), tls: oneOf(o, 'tls', TLS_MODES, path), allowInvalidCertificates: boolean(o, 'allowInvalidCertificates', path) };
}

/** A claimed mailbox without its credentials (wire-credentials.ts checks those). */
export function mailboxWorkOnEntry(value: unknown, path: string): Omit<MailboxWork, 'credentials'> {
  const o = object(value, path);
  const sources = o.forwardSources;
  if (!Array.isArray(sources)) throw new WireShapeError(`${path}.forwardSources: expected a list`);
  return {
    mailboxId: string(o, 'mailboxId', path),
    leaseId: string(o, 'leaseId', path),
    leaseUntil: date(o, 'leaseUntil', path),
    job: oneOf(o, 'job', MAILBOX_JOBS, path),
    address: string(o, 'address', path),
    kind: oneOf(o, 'kind', SERVER_KINDS, path),
    incoming: endpoint(o.incoming, `${path}.incoming`),
    outgoing: o.outgoing === null ? null : endpoint(o.outgoing, `${path}.outgoing`),
    incomingEnabled: boolean(o, 'incomingEnabled', path),
    outgoingEnabled: boolean(o, 'outgoingEnabled', path),
    isForwardMailbox: boolean(o, 'isForwardMailbox', path),
    deleteForwardedCopies: boolean(o, 'deleteForwardedCopies', path),
    forwardSources: sources.map((s, i) => {
      const source = object(s, `${path}.forwardSources[${i}]`);
      return { mailboxId: string(source, 'mailboxId', `${path}.forwardSources[${i}]`), address: string(source, 'address', `${path}.forwardSources[${i}]`) };
    }),
    cursor: stringOrNull(o, 'cursor', path),
    processEmailFrom: stringOrNull(o, 'processEmailFrom', path),
    resyncFrom: stringOrNull(o, 'resyncFrom', path),
    sentFolder: stringOrNull(o, 'sentFolder', path),
    trackedFolders: strings(o, 'trackedFolders', path),
    pollIntervalSeconds: integer(o, 'pollIntervalSeconds', path),
    maxBodyKb: integer(o, 'maxBodyKb', path),
  };
}

/** One item of a trackEmails answer: what the hub decided for the message at `index`. */
export function trackedItemOnEntry(value: unknown, path: string): TrackedItemResult {
  const o = object(value, path);
  return {
    index: integer(o, 'index', path),
    messageId: stringOrNull(o, 'messageId', path),
    outcome: oneOf(o, 'outcome', TRACKED_OUTCOMES, path),
    activityId: stringOrNull(o, 'activityId', path),
    errorCode: stringOrNull(o, 'errorCode', path),
    errorMessage: stringOrNull(o, 'errorMessage', path),
  };
}
