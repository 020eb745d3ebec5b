import type { EwsConnection, MailboxWork, OutgoingEmail, ServerKind, TlsMode, TrackedItemResult, Viewer, WireAddress, WireEndpoint } from './hub-types.js';
import type { CalendarWriteRequest } from './mail/ews/ews-calendar.js';
import type { ContactWriteRequest } from './mail/ews/ews-contacts.js';
import type { TaskWriteRequest } from './mail/ews/ews-tasks.js';

// The answers the engine acts on, checked where they enter the process (STYLE 9): a field the api
// renamed or a value it never sent before fails here with its path, not later as `undefined`.
// The enum sets are compared with schema.graphql by test/contract/wire-answers.test.ts.

export const SERVER_KINDS: readonly ServerKind[] = ['IMAP_SMTP', 'POP3_SMTP', 'EXCHANGE_EWS'];
export const TLS_MODES: readonly TlsMode[] = ['NONE', 'STARTTLS', 'IMPLICIT'];
export const MAILBOX_JOBS: readonly MailboxWork['job'][] = ['SYNC', 'TEST'];
export const TRACKED_OUTCOMES: readonly TrackedItemResult['outcome'][] = ['TRACKED', 'LINKED', 'DUPLICATE', 'FILTERED', 'REJECTED'];

// The hub's blob store names content by its SHA-256 in hex (api/src/attachments/blob-routes.ts).
const SHA256_HEX = /^[0-9a-f]{64}$/i;

/** Thrown with the path of the first value that does not have the shape the engine relies on. */
export class WireShapeError extends Error {}

export type Fields = Record<string, unknown>;

/** `path.key`, or `key` alone for a field at the top of an answer. */
const at = (path: string, key: string): string => (path ? `${path}.${key}` : key);

export function isFields(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function object(value: unknown, path: string): Fields {
  if (!isFields(value)) throw new WireShapeError(`${path}: expected an object`);
  return value;
}
function string(o: Fields, key: string, path: string): string {
  const value = o[key];
  if (typeof value !== 'string') throw new WireShapeError(`${at(path, key)}: expected a string`);
  return value;
}
function stringOrNull(o: Fields, key: string, path: string): string | null {
  const value = o[key];
  if (value !== null && typeof value !== 'string') throw new WireShapeError(`${at(path, key)}: expected a string or null`);
  return value;
}
function boolean(o: Fields, key: string, path: string): boolean {
  const value = o[key];
  if (typeof value !== 'boolean') throw new WireShapeError(`${at(path, key)}: expected true or false`);
  return value;
}
function integer(o: Fields, key: string, path: string): number {
  const value = o[key];
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new WireShapeError(`${at(path, key)}: expected an integer`);
  return value;
}
function count(o: Fields, key: string, path: string): number {
  const value = integer(o, key, path);
  if (value < 0) throw new WireShapeError(`${at(path, key)}: expected a count (0 or more)`);
  return value;
}
function oneOf<T extends string>(o: Fields, key: string, allowed: readonly T[], path: string): T {
  const value = o[key];
  if (!isOneOf(value, allowed)) throw new WireShapeError(`${at(path, key)}: ${shown(value)} is not one of ${allowed.join(', ')}`);
  return value;
}
/** An unknown enum value as the message shows it: short, since the message reaches logs and an email's failure reason. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
function isOneOf<T extends string>(value: unknown, allowed: readonly T[]): value is T {
  return allowed.some((a) => a === value);
}
function date(o: Fields, key: string, path: string): string {
  const text = string(o, key, path);
  if (Number.isNaN(Date.parse(text))) throw new WireShapeError(`${at(path, key)}: expected a date`);
  return text;
}
function sha256(o: Fields, key: string, path: string): string {
  const text = string(o, key, path);
  if (!SHA256_HEX.test(text)) throw new WireShapeError(`${at(path, key)}: expected a SHA-256 in hex`);
  return text;
}
function list(o: Fields, key: string, path: string): unknown[] {
  const value = o[key];
  if (!Array.isArray(value)) throw new WireShapeError(`${at(path, key)}: expected a list`);
  return value;
}
function strings(o: Fields, key: string, path: string): string[] {
  const value = o[key];
  if (!Array.isArray(value) || !value.every((s) => typeof s === 'string')) throw new WireShapeError(`${at(path, key)}: expected a list of strings`);
  return value;
}
/** A list whose every item `check` accepts, each checked with its own path (`key[i]`). */
function listOf<T>(o: Fields, key: string, path: string, check: (value: unknown, path: string) => T): T[] {
  return list(o, key, path).map((item, i) => check(item, `${at(path, key)}[${i}]`));
}

function endpoint(value: unknown, path: string): WireEndpoint {
  const o = object(value, path);
  return { host: string(o, 'host', path), port: integer(o, 'port', path), tls: oneOf(o, 'tls', TLS_MODES, path), allowInvalidCertificates: boolean(o, 'allowInvalidCertificates', path) };
}

// The longest EWS URL accepted; an Exchange endpoint is about 50 characters.
const MAX_EWS_URL = 2048;

function ewsConnection(value: unknown, path: string): EwsConnection {
  const o = object(value, path);
  const url = stringOrNull(o, 'url', path);
  if (url !== null && (url.length > MAX_EWS_URL || !/^https?:\/\/[^\s/]+/i.test(url))) throw new WireShapeError(`${at(path, 'url')}: expected an http(s) URL`);
  const maxConnections = integer(o, 'maxConnections', path);
  if (maxConnections < 1) throw new WireShapeError(`${at(path, 'maxConnections')}: expected 1 or more`);
  return { url, impersonateAddress: stringOrNull(o, 'impersonateAddress', path), allowInvalidCertificates: boolean(o, 'allowInvalidCertificates', path), maxConnections };
}

/** The incoming endpoint or the EWS connection the server kind needs: the one it lacks is named by its path. */
function channelsOf(o: Fields, kind: ServerKind, path: string): { incoming: WireEndpoint | null; ews: EwsConnection | null } {
  if (kind === 'EXCHANGE_EWS') {
    if (!isFields(o.ews)) throw new WireShapeError(`${at(path, 'ews')}: expected an object for an EXCHANGE_EWS mailbox`);
    return { incoming: o.incoming == null ? null : endpoint(o.incoming, `${path}.incoming`), ews: ewsConnection(o.ews, `${path}.ews`) };
  }
  if (!isFields(o.incoming)) throw new WireShapeError(`${at(path, 'incoming')}: expected an object for an ${kind} mailbox`);
  return { incoming: endpoint(o.incoming, `${path}.incoming`), ews: o.ews == null ? null : ewsConnection(o.ews, `${path}.ews`) };
}

/** A claimed mailbox without its credentials (wire-credentials.ts checks those). */
export function mailboxWorkOnEntry(value: unknown, path: string): Omit<MailboxWork, 'credentials'> {
  const o = object(value, path);
  const kind = oneOf(o, 'kind', SERVER_KINDS, path);
  return {
    mailboxId: string(o, 'mailboxId', path),
    leaseId: string(o, 'leaseId', path),
    leaseUntil: date(o, 'leaseUntil', path),
    job: oneOf(o, 'job', MAILBOX_JOBS, path),
    address: string(o, 'address', path),
    kind,
    ...channelsOf(o, kind, path),
    outgoing: o.outgoing === null ? null : endpoint(o.outgoing, `${path}.outgoing`),
    incomingEnabled: boolean(o, 'incomingEnabled', path),
    outgoingEnabled: boolean(o, 'outgoingEnabled', path),
    actEnabled: boolean(o, 'actEnabled', path),
    isForwardMailbox: boolean(o, 'isForwardMailbox', path),
    deleteForwardedCopies: boolean(o, 'deleteForwardedCopies', path),
    forwardSources: listOf(o, 'forwardSources', path, forwardSource),
    cursor: stringOrNull(o, 'cursor', path),
    processEmailFrom: stringOrNull(o, 'processEmailFrom', path),
    resyncFrom: stringOrNull(o, 'resyncFrom', path),
    sentFolder: stringOrNull(o, 'sentFolder', path),
    trackedFolders: strings(o, 'trackedFolders', path),
    trackedFolderIds: listOf(o, 'trackedFolderIds', path, (value, at) => {
      if (value !== null && typeof value !== 'string') throw new WireShapeError(`${at}: expected a string or null`);
      return value;
    }),
    pollIntervalSeconds: integer(o, 'pollIntervalSeconds', path),
    maxBodyKb: integer(o, 'maxBodyKb', path),
    pastExpansionWindowMonths: integer(o, 'pastExpansionWindowMonths', path),
    futureExpansionWindowMonths: integer(o, 'futureExpansionWindowMonths', path),
    timeZone: stringOrNull(o, 'timeZone', path),
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

function forwardSource(value: unknown, path: string): MailboxWork['forwardSources'][number] {
  const o = object(value, path);
  return { mailboxId: string(o, 'mailboxId', path), address: string(o, 'address', path) };
}

/** The items of a trackEmails answer. */
export function trackedItemsOnEntry(data: Fields): TrackedItemResult[] {
  return listOf(object(data.trackEmails, 'trackEmails'), 'items', 'trackEmails', trackedItemOnEntry);
}

/** The claim's `credentialsStatus` and `credentials`, unchecked: wire-credentials.ts joins and checks them. */
export function wireCredentialsOf(value: unknown, path: string): { readonly status: unknown; readonly credentials: unknown } {
  const o = object(value, path);
  return { status: o.credentialsStatus, credentials: o.credentials };
}

function mailAddress(value: unknown, path: string): WireAddress {
  const o = object(value, path);
  return { address: string(o, 'address', path), name: stringOrNull(o, 'name', path) };
}

function attachment(value: unknown, path: string): OutgoingEmail['attachments'][number] {
  const o = object(value, path);
  return { fileName: string(o, 'fileName', path), contentType: string(o, 'contentType', path), size: count(o, 'size', path), sha256: sha256(o, 'sha256', path) };
}

/** How to send a claimed email, without its credentials (wire-credentials.ts checks those). */
function transport(value: unknown, path: string): Omit<OutgoingEmail['transport'], 'credentials'> {
  const o = object(value, path);
  const kind = oneOf(o, 'kind', SERVER_KINDS, path);
  if (kind === 'EXCHANGE_EWS' && !isFields(o.ews)) throw new WireShapeError(`${at(path, 'ews')}: expected an object for an EXCHANGE_EWS transport`);
  if (kind !== 'EXCHANGE_EWS' && !isFields(o.smtp)) throw new WireShapeError(`${at(path, 'smtp')}: expected an object for an ${kind} transport`);
  return {
    kind,
    smtp: o.smtp == null ? null : endpoint(o.smtp, `${path}.smtp`),
    ews: o.ews == null ? null : ewsConnection(o.ews, `${path}.ews`),
    imap: o.imap === null ? null : endpoint(o.imap, `${path}.imap`),
    sentFolder: stringOrNull(o, 'sentFolder', path),
  };
}

/** An email claimed for sending, without its transport's credentials (wire-credentials.ts checks those). */
export function outgoingEmailOnEntry(value: unknown, path: string): Omit<OutgoingEmail, 'transport'> & { transport: Omit<OutgoingEmail['transport'], 'credentials'> } {
  const o = object(value, path);
  return {
    emailId: string(o, 'emailId', path),
    leaseId: string(o, 'leaseId', path),
    leaseUntil: date(o, 'leaseUntil', path),
    mailboxId: string(o, 'mailboxId', path),
    from: mailAddress(o.from, `${path}.from`),
    to: listOf(o, 'to', path, mailAddress),
    cc: listOf(o, 'cc', path, mailAddress),
    bcc: listOf(o, 'bcc', path, mailAddress),
    subject: string(o, 'subject', path),
    messageId: string(o, 'messageId', path),
    inReplyTo: stringOrNull(o, 'inReplyTo', path),
    references: strings(o, 'references', path),
    textBody: stringOrNull(o, 'textBody', path),
    htmlBody: stringOrNull(o, 'htmlBody', path),
    attachments: listOf(o, 'attachments', path, attachment),
    attempt: integer(o, 'attempt', path),
    transport: transport(o.transport, `${path}.transport`),
  };
}

/** The lease of a claimed email whose other fields may be unreadable; undefined when even these two are. */
export function claimedEmailLeaseOf(value: unknown): { readonly emailId: string; readonly leaseId: string } | undefined {
  if (!isFields(value) || typeof value.emailId !== 'string' || typeof value.leaseId !== 'string') return undefined;
  return { emailId: value.emailId, leaseId: value.leaseId };
}

/** The key's user; the caller decides what a null viewer means. */
export function viewerOnEntry(value: unknown, path: string): Viewer {
  const o = object(value, path);
  return { id: string(o, 'id', path), fullName: string(o, 'fullName', path), roles: listOf(o, 'roles', path, role) };
}

function role(value: unknown, path: string): Viewer['roles'][number] {
  return { name: string(object(value, path), 'name', path) };
}

/** The sourceRefs an undecidedMessages answer lists. */
export function undecidedOnEntry(data: Fields): string[] {
  return strings(data, 'undecidedMessages', '');
}

/** The watch leases a renewMailboxWatches or mailboxesChanged answer names (those the engine no longer holds). */
export function leaseIdsOnEntry(data: Fields, field: 'renewMailboxWatches' | 'mailboxesChanged'): string[] {
  return strings(data, field, '');
}

/** The new lease end a renewMailboxLease answer gives. */
export function leaseEndOnEntry(data: Fields): Date {
  return new Date(date(data, 'renewMailboxLease', ''));
}

/** The appointments a claimCalendarWrites answer hands out to write to the Exchange Calendar. */
const IMPORTANCES = ['LOW', 'NORMAL', 'HIGH'] as const;

export function taskWritesOnEntry(data: Fields): TaskWriteRequest[] {
  return listOf(data, 'claimTaskWrites', '', (value, path) => {
    const o = object(value, path);
    const day = (key: string) => {
      const value = stringOrNull(o, key, path);
      if (value !== null && !/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new WireShapeError(`${at(path, key)}: ${shown(value)} is not a day (YYYY-MM-DD)`);
      return value;
    };
    const percentComplete = integer(o, 'percentComplete', path);
    if (percentComplete < 0 || percentComplete > 100) throw new WireShapeError(`${at(path, 'percentComplete')}: ${percentComplete} is not from 0 to 100`);
    return {
      taskId: string(o, 'taskId', path),
      itemId: stringOrNull(o, 'itemId', path),
      changeKey: stringOrNull(o, 'changeKey', path),
      remove: boolean(o, 'remove', path),
      subject: string(o, 'subject', path),
      notes: stringOrNull(o, 'notes', path),
      dueDay: day('dueDay'),
      startDay: day('startDay'),
      percentComplete,
      importance: oneOf(o, 'importance', IMPORTANCES, path),
      completed: boolean(o, 'completed', path),
      fingerprint: string(o, 'fingerprint', path),
    };
  });
}

const WITHHELD = ['BUSINESS_PHONE', 'MOBILE_PHONE', 'COMPANY'] as const;

/** The contacts a claimContactWrites answer hands out to write to (or release in) the Exchange Contacts folder. */
export function contactWritesOnEntry(data: Fields): ContactWriteRequest[] {
  return listOf(data, 'claimContactWrites', '', (value, path) => {
    const o = object(value, path);
    const emails = strings(o, 'emails', path);
    if (emails.length > 3) throw new WireShapeError(`${at(path, 'emails')}: ${emails.length} addresses, where Outlook holds three`);
    return {
      contactId: string(o, 'contactId', path),
      itemId: stringOrNull(o, 'itemId', path),
      changeKey: stringOrNull(o, 'changeKey', path),
      release: boolean(o, 'release', path),
      givenName: stringOrNull(o, 'givenName', path),
      surname: stringOrNull(o, 'surname', path),
      displayName: stringOrNull(o, 'displayName', path),
      jobTitle: stringOrNull(o, 'jobTitle', path),
      businessPhone: stringOrNull(o, 'businessPhone', path),
      mobilePhone: stringOrNull(o, 'mobilePhone', path),
      emails,
      companyName: stringOrNull(o, 'companyName', path),
      withheld: listOf(o, 'withheld', path, (field, at) => {
        if (!isOneOf(field, WITHHELD)) throw new WireShapeError(`${at}: ${shown(field)} is not one of ${WITHHELD.join(', ')}`);
        return field;
      }),
      fingerprint: string(o, 'fingerprint', path),
    };
  });
}

export function calendarWritesOnEntry(data: Fields): CalendarWriteRequest[] {
  return listOf(data, 'claimCalendarWrites', '', (value, path) => {
    const o = object(value, path);
    return {
      appointmentId: string(o, 'appointmentId', path),
      uid: string(o, 'uid', path),
      itemId: stringOrNull(o, 'itemId', path),
      changeKey: stringOrNull(o, 'changeKey', path),
      subject: string(o, 'subject', path),
      startAt: date(o, 'startAt', path),
      endAt: date(o, 'endAt', path),
      allDay: boolean(o, 'allDay', path),
      location: stringOrNull(o, 'location', path),
      cancelled: boolean(o, 'cancelled', path),
      attendees: listOf(o, 'attendees', path, (attendee, at) => {
        const a = object(attendee, at);
        return { address: string(a, 'address', at), name: stringOrNull(a, 'name', at), required: boolean(a, 'required', at) };
      }),
      fingerprint: string(o, 'fingerprint', path),
      createIfMissing: boolean(o, 'createIfMissing', path),
    };
  });
}
