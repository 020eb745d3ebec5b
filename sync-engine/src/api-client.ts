import { Readable } from 'node:stream';
import { graphql, type Operation, type OperationName, type OperationVariables } from './graphql-tag.js';
import { credentialsOnEntry } from './wire-credentials.js';
import {
  calendarWritesOnEntry, contactWritesOnEntry, taskWritesOnEntry, claimedEmailLeaseOf, isFields, leaseEndOnEntry, mailboxWorkOnEntry, outgoingEmailOnEntry, trackedItemsOnEntry, undecidedOnEntry, leaseIdsOnEntry, viewerOnEntry,
  wireCredentialsOf, WireShapeError, type Fields,
} from './wire-answers.js';
import type { SeriesInput } from './mail/ews/ews-calendar-series.js';
import { hubRequest, type HubAnswer } from './hub-http.js';
import { jsonArrayOf, jsonObjectWith, type JsonPieces } from './item-json.js';
import type { CalendarItem, ChannelTestResult, MailboxCredentials, MailboxWork, OutgoingEmail, SyncReport, TrackBatch, TrackedItemResult, Viewer } from './hub-types.js';
import type { CalendarWriteRequest, CalendarWriteResult } from './mail/ews/ews-calendar.js';
import type { ExchangeTaskItem, TaskWriteRequest, TaskWriteResult } from './mail/ews/ews-tasks.js';
import type { ContactWriteRequest, ContactWriteResult, ExchangeContactItem } from './mail/ews/ews-contacts.js';
import type { ServerFolder } from './mail/mail-source.js';

/** Why a hub API call failed; one retry policy (engine.ts) switches on this, never on library errors. */
export type HubApiErrorCode =
  | 'AUTH_FAILED' // the key is unknown, revoked, or its role may not make this call: retrying won't help
  | 'TEMPORARY' // network failure, timeout, or the API says "try again": retry with back-off
  | 'NOT_FOUND'
  | 'CONFLICT' // the lease this call quoted is no longer ours: drop the work, never retry it
  | 'INVALID_REQUEST' // the API rejected our query or arguments: a bug on our side
  | 'TOO_LARGE' // the request body is over the API's limit: the same request never passes, a smaller one may
  | 'INVALID_RESPONSE' // the API answered with something that isn't the shape we asked for
  | 'INTERNAL'; // the API failed in a way it didn't classify

/** The one error type the hub client throws; `serverCode` keeps the API's own `extensions.code` for logs. */
export class HubApiError extends Error {
  constructor(
    readonly code: HubApiErrorCode,
    message: string,
    readonly serverCode?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'HubApiError';
  }
}

/** INVALID_RESPONSE to claimOutgoingEmails, with the leases that could still be read, so the sender can hand those emails back unsent. */
export class UnreadableClaimError extends HubApiError {
  constructor(
    message: string,
    readonly leases: readonly { readonly emailId: string; readonly leaseId: string }[],
  ) {
    super('INVALID_RESPONSE', message);
  }
}

/** What the engine needs from the hub; implemented over GraphQL here and by typed fakes in tests. Every method rejects with HubApiError. */
export interface HubApi {
  /** The key's user; rejects with HubApiError, or with the signal's reason when `signal` aborts. */
  whoAmI(signal?: AbortSignal): Promise<Viewer>;
  claimMailboxes(engineId: string, limit: number, leaseSeconds: number): Promise<MailboxWork[]>;
  /** The new lease end; CONFLICT when the lease was lost. */
  renewMailboxLease(mailboxId: string, leaseId: string, leaseSeconds: number): Promise<Date>;
  /** Watch leases (push connections), apart from work leases: each answer's `leaseId` is the watch lease. */
  claimMailboxWatches(engineId: string, limit: number, leaseSeconds: number): Promise<MailboxWork[]>;
  /** The watch leases among `leaseIds` this engine no longer holds (close their connections). */
  renewMailboxWatches(engineId: string, leaseIds: readonly string[], leaseSeconds: number): Promise<string[]>;
  releaseMailboxWatches(engineId: string, leaseIds: readonly string[]): Promise<void>;
  /** New mail in these watched mailboxes: the hub makes them due now; answers the leases no longer held. */
  mailboxesChanged(engineId: string, leaseIds: readonly string[]): Promise<string[]>;
  releaseMailbox(mailboxId: string, leaseId: string, report: SyncReport): Promise<void>;
  /** `act`: appointments, contacts and tasks (EXCHANGE_EWS); NOT_RUN for the others. */
  reportMailboxTest(mailboxId: string, leaseId: string, incoming: ChannelTestResult, outgoing: ChannelTestResult, act?: ChannelTestResult): Promise<void>;
  trackEmails(mailboxId: string, batch: TrackBatch): Promise<TrackedItemResult[]>;
  /** The sourceRefs among `items` the hub has no decision for. */
  undecidedMessages(mailboxId: string, leaseId: string, items: readonly { sourceRef: string; messageId: string | null }[]): Promise<string[]>;
  reportMailboxCoverage(mailboxId: string, leaseId: string, serverCount: number, decidedCount: number, recovered: number): Promise<void>;
  /** The mailbox's own time zone (IANA) as read from its server: the hub writes task days and all-day appointments in it. */
  reportMailboxTimeZone(mailboxId: string, leaseId: string, timeZone: string): Promise<void>;
  /** The folders the mailbox's server lists, replacing the hub's last list (its folder picker); folder rules follow folder ids. */
  reportMailboxFolders(mailboxId: string, leaseId: string, folders: readonly ServerFolder[]): Promise<void>;
  /** Appointments from the mailbox's Exchange Calendar, committed with the cursor under the lease (nothing to read back). */
  /** `cursor` null: commit nothing of the cursor (a batch's earlier calls, when its series take several). */
  syncMailboxCalendar(mailboxId: string, leaseId: string, batch: { events: readonly CalendarItem[]; series?: readonly SeriesInput[]; deletedItemIds: readonly string[] }, cursor: string | null): Promise<void>;
  /** The owner's appointments to write to the Exchange Calendar, and the report of what was written. */
  claimCalendarWrites(mailboxId: string, leaseId: string, first: number): Promise<CalendarWriteRequest[]>;
  reportCalendarWrites(mailboxId: string, leaseId: string, writes: readonly CalendarWriteResult[]): Promise<void>;
  /** Tasks from the mailbox's Exchange Tasks folder (changed and deleted), committed with the cursor under the lease. */
  syncMailboxTasks(mailboxId: string, leaseId: string, batch: { tasks: readonly ExchangeTaskItem[]; deletedItemIds: readonly string[] }, cursor: string): Promise<void>;
  /** The owner's tasks to write to the Exchange Tasks folder, and the report of what was written. */
  claimTaskWrites(mailboxId: string, leaseId: string, first: number): Promise<TaskWriteRequest[]>;
  reportTaskWrites(mailboxId: string, leaseId: string, writes: readonly TaskWriteResult[]): Promise<void>;
  /** Contacts from the mailbox's Exchange Contacts folder (changed and deleted), committed with the cursor under the lease. */
  syncMailboxContacts(mailboxId: string, leaseId: string, batch: { contacts: readonly ExchangeContactItem[]; deletedItemIds: readonly string[] }, cursor: string): Promise<void>;
  /** The CRM contacts to write to (or release in) the Exchange Contacts folder, and the report of what was written. */
  claimContactWrites(mailboxId: string, leaseId: string, first: number): Promise<ContactWriteRequest[]>;
  reportContactWrites(mailboxId: string, leaseId: string, writes: readonly ContactWriteResult[]): Promise<void>;
  /** Stores bytes in the hub's blob store (PUT /blobs); the sha256 names them in trackEmails. TOO_LARGE as INVALID_REQUEST. */
  uploadBlob(content: Buffer): Promise<string>;
  /** The same from a stream (chunked, no length known up front), so an attachment is never held whole. */
  uploadBlobStream(content: Readable): Promise<string>;
  downloadBlob(sha256: string): Promise<Buffer>;
  claimOutgoingEmails(limit: number, leaseSeconds: number): Promise<OutgoingEmail[]>;
  markEmailSent(emailId: string, leaseId: string, sentAt: Date): Promise<void>;
  markEmailFailed(emailId: string, leaseId: string, reason: string, retryable: boolean): Promise<void>;
}

export interface GraphqlHubApiOptions {
  readonly url: string;
  readonly apiKey: string;
  /** Per-request limit; a hung API then counts as TEMPORARY instead of blocking the engine. */
  readonly timeoutMs?: number;
}

const VIEWER_QUERY = graphql('SyncEngineViewer')`query SyncEngineViewer { viewer { id fullName roles { name } } }`;

const ENDPOINT = 'host port tls allowInvalidCertificates';
const CREDENTIALS = 'method username secret';
const ADDRESS = 'address name';
const EWS = 'url impersonateAddress allowInvalidCertificates maxConnections';

/** Everything a claim (work or watch) answers about a mailbox. */
const MAILBOX_WORK = `mailboxId leaseId leaseUntil job address kind
    incoming { ${ENDPOINT} } outgoing { ${ENDPOINT} } ews { ${EWS} } credentials { ${CREDENTIALS} } credentialsStatus
    incomingEnabled outgoingEnabled actEnabled isForwardMailbox deleteForwardedCopies forwardSources { mailboxId address }
    cursor processEmailFrom resyncFrom sentFolder trackedFolders trackedFolderIds pollIntervalSeconds maxBodyKb pastExpansionWindowMonths futureExpansionWindowMonths timeZone`;

const CLAIM_MAILBOXES = graphql('ClaimMailboxes')`mutation ClaimMailboxes($engineId: String!, $limit: Int!, $leaseSeconds: Int!) {
  claimMailboxes(engineId: $engineId, limit: $limit, leaseSeconds: $leaseSeconds) {
    ${MAILBOX_WORK}
  }
}`;
const CLAIM_WATCHES = graphql('ClaimMailboxWatches')`mutation ClaimMailboxWatches($engineId: String!, $limit: Int!, $leaseSeconds: Int!) {
  claimMailboxWatches(engineId: $engineId, limit: $limit, leaseSeconds: $leaseSeconds) {
    ${MAILBOX_WORK}
  }
}`;
const RENEW_WATCHES = graphql('RenewMailboxWatches')`mutation RenewMailboxWatches($engineId: String!, $leaseIds: [ID!]!, $leaseSeconds: Int!) {
  renewMailboxWatches(engineId: $engineId, leaseIds: $leaseIds, leaseSeconds: $leaseSeconds)
}`;
const RELEASE_WATCHES = graphql('ReleaseMailboxWatches')`mutation ReleaseMailboxWatches($engineId: String!, $leaseIds: [ID!]!) {
  releaseMailboxWatches(engineId: $engineId, leaseIds: $leaseIds)
}`;
const MAILBOXES_CHANGED = graphql('MailboxesChanged')`mutation MailboxesChanged($engineId: String!, $leaseIds: [ID!]!) {
  mailboxesChanged(engineId: $engineId, leaseIds: $leaseIds)
}`;
const RENEW_LEASE = graphql('RenewMailboxLease')`mutation RenewMailboxLease($mailboxId: ID!, $leaseId: ID!, $leaseSeconds: Int!) {
  renewMailboxLease(mailboxId: $mailboxId, leaseId: $leaseId, leaseSeconds: $leaseSeconds)
}`;
const RELEASE = graphql('ReleaseMailbox')`mutation ReleaseMailbox($mailboxId: ID!, $leaseId: ID!, $report: SyncReportInput!) {
  releaseMailbox(mailboxId: $mailboxId, leaseId: $leaseId, report: $report) { id }
}`;
const REPORT_TEST = graphql('ReportMailboxTest')`mutation ReportMailboxTest($mailboxId: ID!, $leaseId: ID!, $incoming: ChannelTestInput!, $outgoing: ChannelTestInput!, $act: ChannelTestInput) {
  reportMailboxTest(mailboxId: $mailboxId, leaseId: $leaseId, incoming: $incoming, outgoing: $outgoing, act: $act) { id }
}`;
const TRACK_EMAILS = graphql('TrackEmails')`mutation TrackEmails($mailboxId: ID!, $input: TrackEmailsInput!) {
  trackEmails(mailboxId: $mailboxId, input: $input) { items { index messageId outcome activityId errorCode errorMessage } }
}`;
const UNDECIDED = graphql('UndecidedMessages')`mutation UndecidedMessages($mailboxId: ID!, $leaseId: ID!, $items: [ServerMessageInput!]!) {
  undecidedMessages(mailboxId: $mailboxId, leaseId: $leaseId, items: $items)
}`;
const COVERAGE = graphql('ReportMailboxCoverage')`mutation ReportMailboxCoverage($mailboxId: ID!, $leaseId: ID!, $serverCount: Int!, $decidedCount: Int!, $recovered: Int!) {
  reportMailboxCoverage(mailboxId: $mailboxId, leaseId: $leaseId, serverCount: $serverCount, decidedCount: $decidedCount, recovered: $recovered) { id }
}`;
const REPORT_TIME_ZONE = graphql('ReportMailboxTimeZone')`mutation ReportMailboxTimeZone($mailboxId: ID!, $leaseId: ID!, $timeZone: String!) {
  reportMailboxTimeZone(mailboxId: $mailboxId, leaseId: $leaseId, timeZone: $timeZone) { id }
}`;
const REPORT_FOLDERS = graphql('ReportMailboxFolders')`mutation ReportMailboxFolders($mailboxId: ID!, $leaseId: ID!, $folders: [ServerFolderInput!]!) {
  reportMailboxFolders(mailboxId: $mailboxId, leaseId: $leaseId, serverFolders: $folders) { id }
}`;
const SYNC_CALENDAR = graphql('SyncMailboxCalendar')`mutation SyncMailboxCalendar($mailboxId: ID!, $leaseId: ID!, $events: [CalendarInput!]!, $series: [CalendarSeriesInput!]!, $deletedItemIds: [String!]!, $cursor: String) {
  syncMailboxCalendar(mailboxId: $mailboxId, leaseId: $leaseId, events: $events, series: $series, deletedItemIds: $deletedItemIds, cursor: $cursor) { uid outcome }
}`;
const CLAIM_CALENDAR_WRITES = graphql('ClaimCalendarWrites')`mutation ClaimCalendarWrites($mailboxId: ID!, $leaseId: ID!, $first: Int!) {
  claimCalendarWrites(mailboxId: $mailboxId, leaseId: $leaseId, first: $first) {
    appointmentId uid itemId changeKey subject startAt endAt allDay location cancelled attendees { address name required } fingerprint createIfMissing
  }
}`;
const REPORT_CALENDAR_WRITES = graphql('ReportCalendarWrites')`mutation ReportCalendarWrites($mailboxId: ID!, $leaseId: ID!, $writes: [CalendarWriteInput!]!) {
  reportCalendarWrites(mailboxId: $mailboxId, leaseId: $leaseId, writes: $writes)
}`;
const SYNC_TASKS = graphql('SyncMailboxTasks')`mutation SyncMailboxTasks($mailboxId: ID!, $leaseId: ID!, $tasks: [ExchangeTaskInput!]!, $deletedItemIds: [String!]!, $cursor: String) {
  syncMailboxTasks(mailboxId: $mailboxId, leaseId: $leaseId, tasks: $tasks, deletedItemIds: $deletedItemIds, cursor: $cursor) { itemId outcome }
}`;
const SYNC_CONTACTS = graphql('SyncMailboxContacts')`mutation SyncMailboxContacts($mailboxId: ID!, $leaseId: ID!, $contacts: [ExchangeContactInput!]!, $deletedItemIds: [String!]!, $cursor: String) {
  syncMailboxContacts(mailboxId: $mailboxId, leaseId: $leaseId, contacts: $contacts, deletedItemIds: $deletedItemIds, cursor: $cursor) { itemId outcome }
}`;
const CLAIM_TASK_WRITES = graphql('ClaimTaskWrites')`mutation ClaimTaskWrites($mailboxId: ID!, $leaseId: ID!, $first: Int!) {
  claimTaskWrites(mailboxId: $mailboxId, leaseId: $leaseId, first: $first) { taskId itemId changeKey remove subject notes dueDay startDay percentComplete importance completed fingerprint }
}`;
const REPORT_TASK_WRITES = graphql('ReportTaskWrites')`mutation ReportTaskWrites($mailboxId: ID!, $leaseId: ID!, $writes: [TaskWriteInput!]!) {
  reportTaskWrites(mailboxId: $mailboxId, leaseId: $leaseId, writes: $writes)
}`;
const CLAIM_CONTACT_WRITES = graphql('ClaimContactWrites')`mutation ClaimContactWrites($mailboxId: ID!, $leaseId: ID!, $first: Int!) {
  claimContactWrites(mailboxId: $mailboxId, leaseId: $leaseId, first: $first) {
    contactId itemId changeKey release givenName surname displayName jobTitle businessPhone mobilePhone emails companyName withheld fingerprint
  }
}`;
const REPORT_CONTACT_WRITES = graphql('ReportContactWrites')`mutation ReportContactWrites($mailboxId: ID!, $leaseId: ID!, $writes: [ContactWriteInput!]!) {
  reportContactWrites(mailboxId: $mailboxId, leaseId: $leaseId, writes: $writes)
}`;
const CLAIM_OUTGOING = graphql('ClaimOutgoingEmails')`mutation ClaimOutgoingEmails($limit: Int!, $leaseSeconds: Int!) {
  claimOutgoingEmails(limit: $limit, leaseSeconds: $leaseSeconds) {
    emailId leaseId leaseUntil mailboxId from { ${ADDRESS} } to { ${ADDRESS} } cc { ${ADDRESS} } bcc { ${ADDRESS} }
    subject messageId inReplyTo references textBody htmlBody attachments { fileName contentType size sha256 } attempt
    transport { kind smtp { ${ENDPOINT} } ews { ${EWS} } imap { ${ENDPOINT} } sentFolder credentials { ${CREDENTIALS} } credentialsStatus }
  }
}`;
const MARK_SENT = graphql('MarkEmailSent')`mutation MarkEmailSent($emailId: ID!, $leaseId: ID!, $sentAt: DateTimeISO) {
  markEmailSent(emailId: $emailId, leaseId: $leaseId, sentAt: $sentAt) { id }
}`;
const MARK_FAILED = graphql('MarkEmailFailed')`mutation MarkEmailFailed($emailId: ID!, $leaseId: ID!, $reason: String!, $retryable: Boolean!) {
  markEmailFailed(emailId: $emailId, leaseId: $leaseId, reason: $reason, retryable: $retryable) { id }
}`;

// Codes the API (or Apollo Server's defaults) puts in `extensions.code`, mapped onto ours.
const CODE_BY_SERVER_CODE: Readonly<Record<string, HubApiErrorCode>> = {
  AUTH_FAILED: 'AUTH_FAILED',
  UNAUTHENTICATED: 'AUTH_FAILED',
  FORBIDDEN: 'AUTH_FAILED',
  TEMPORARY: 'TEMPORARY',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PAYLOAD_TOO_LARGE: 'TOO_LARGE',
  BAD_USER_INPUT: 'INVALID_REQUEST',
  BAD_REQUEST: 'INVALID_REQUEST',
  GRAPHQL_PARSE_FAILED: 'INVALID_REQUEST',
  GRAPHQL_VALIDATION_FAILED: 'INVALID_REQUEST',
  INTERNAL_SERVER_ERROR: 'INTERNAL',
};

// Statuses that mean "the service is there but not ready": a proxy or a starting api.
const RETRYABLE_STATUSES = new Set([408, 429, 502, 503, 504]);

/** GraphQL over HTTP (POST, JSON) with `Authorization: Bearer <key>`, using the global fetch. */
export class GraphqlHubApi implements HubApi {
  constructor(private readonly options: GraphqlHubApiOptions) {}

  async whoAmI(signal?: AbortSignal): Promise<Viewer> {
    const data = await this.request(VIEWER_QUERY, {}, signal);
    if (data.viewer === null) throw new HubApiError('AUTH_FAILED', 'the API key is not linked to any user');
    return onEntry(() => viewerOnEntry(data.viewer, 'viewer'));
  }

  async claimMailboxes(engineId: string, limit: number, leaseSeconds: number): Promise<MailboxWork[]> {
    const data = await this.request(CLAIM_MAILBOXES, { engineId, limit, leaseSeconds });
    return listField(data, 'claimMailboxes').map((work, i) => ({
      ...onEntry(() => mailboxWorkOnEntry(work, `claimMailboxes[${i}]`)),
      credentials: checkedCredentials(work, `claimMailboxes[${i}]`),
    }));
  }

  async claimMailboxWatches(engineId: string, limit: number, leaseSeconds: number): Promise<MailboxWork[]> {
    const data = await this.request(CLAIM_WATCHES, { engineId, limit, leaseSeconds });
    return listField(data, 'claimMailboxWatches').map((work, i) => ({
      ...onEntry(() => mailboxWorkOnEntry(work, `claimMailboxWatches[${i}]`)),
      credentials: checkedCredentials(work, `claimMailboxWatches[${i}]`),
    }));
  }

  async renewMailboxWatches(engineId: string, leaseIds: readonly string[], leaseSeconds: number): Promise<string[]> {
    const data = await this.request(RENEW_WATCHES, { engineId, leaseIds: [...leaseIds], leaseSeconds });
    return onEntry(() => leaseIdsOnEntry(data, 'renewMailboxWatches'));
  }

  async releaseMailboxWatches(engineId: string, leaseIds: readonly string[]): Promise<void> {
    await this.request(RELEASE_WATCHES, { engineId, leaseIds: [...leaseIds] });
  }

  async mailboxesChanged(engineId: string, leaseIds: readonly string[]): Promise<string[]> {
    const data = await this.request(MAILBOXES_CHANGED, { engineId, leaseIds: [...leaseIds] });
    return onEntry(() => leaseIdsOnEntry(data, 'mailboxesChanged'));
  }

  async renewMailboxLease(mailboxId: string, leaseId: string, leaseSeconds: number): Promise<Date> {
    const data = await this.request(RENEW_LEASE, { mailboxId, leaseId, leaseSeconds });
    return onEntry(() => leaseEndOnEntry(data));
  }

  async releaseMailbox(mailboxId: string, leaseId: string, report: SyncReport): Promise<void> {
    await this.request(RELEASE, { mailboxId, leaseId, report });
  }

  async reportMailboxTest(mailboxId: string, leaseId: string, incoming: ChannelTestResult, outgoing: ChannelTestResult, act?: ChannelTestResult): Promise<void> {
    await this.request(REPORT_TEST, { mailboxId, leaseId, incoming, outgoing, act: act ?? null });
  }

  async trackEmails(mailboxId: string, batch: TrackBatch): Promise<TrackedItemResult[]> {
    // The items' JSON is made once (item-json.ts); the request is built around it and sent as its pieces.
    const { items, ...rest } = batch;
    const input = jsonObjectWith(rest, 'items', jsonArrayOf(items));
    const body = jsonObjectWith({ query: TRACK_EMAILS }, 'variables', jsonObjectWith({ mailboxId }, 'input', input));
    // Ingest batches carry whole bodies: give them longer than a control call.
    const data = await this.request(TRACK_EMAILS, { mailboxId, input: batch }, undefined, 120_000, body);
    return onEntry(() => trackedItemsOnEntry(data));
  }

  async undecidedMessages(mailboxId: string, leaseId: string, items: readonly { sourceRef: string; messageId: string | null }[]): Promise<string[]> {
    const data = await this.request(UNDECIDED, { mailboxId, leaseId, items }, undefined, 60_000);
    return onEntry(() => undecidedOnEntry(data));
  }

  async reportMailboxTimeZone(mailboxId: string, leaseId: string, timeZone: string): Promise<void> {
    await this.request(REPORT_TIME_ZONE, { mailboxId, leaseId, timeZone });
  }

  async reportMailboxCoverage(mailboxId: string, leaseId: string, serverCount: number, decidedCount: number, recovered: number): Promise<void> {
    await this.request(COVERAGE, { mailboxId, leaseId, serverCount, decidedCount, recovered });
  }

  async reportMailboxFolders(mailboxId: string, leaseId: string, folders: readonly ServerFolder[]): Promise<void> {
    await this.request(REPORT_FOLDERS, { mailboxId, leaseId, folders: folders.map(({ path, folderId, underInbox }) => ({ path, folderId, underInbox })) });
  }

  async syncMailboxCalendar(mailboxId: string, leaseId: string, batch: { events: readonly CalendarItem[]; series?: readonly SeriesInput[]; deletedItemIds: readonly string[] }, cursor: string | null): Promise<void> {
    const series = (batch.series ?? []).map(({ window, ...s }) => ({ ...s, occurrences: [...s.occurrences], windowFrom: window.from, windowTo: window.to, recurrence: s.recurrence ? { ...s.recurrence, daysOfWeek: [...s.recurrence.daysOfWeek] } : null }));
    await this.request(SYNC_CALENDAR, { mailboxId, leaseId, events: [...batch.events], series, deletedItemIds: [...batch.deletedItemIds], cursor }, undefined, 60_000);
  }

  async claimCalendarWrites(mailboxId: string, leaseId: string, first: number): Promise<CalendarWriteRequest[]> {
    const data = await this.request(CLAIM_CALENDAR_WRITES, { mailboxId, leaseId, first });
    return onEntry(() => calendarWritesOnEntry(data));
  }

  async reportCalendarWrites(mailboxId: string, leaseId: string, writes: readonly CalendarWriteResult[]): Promise<void> {
    await this.request(REPORT_CALENDAR_WRITES, { mailboxId, leaseId, writes: writes.map(({ appointmentId, itemId, changeKey, fingerprint }) => ({ appointmentId, itemId, changeKey, fingerprint })) });
  }

  async syncMailboxTasks(mailboxId: string, leaseId: string, batch: { tasks: readonly ExchangeTaskItem[]; deletedItemIds: readonly string[] }, cursor: string): Promise<void> {
    await this.request(SYNC_TASKS, { mailboxId, leaseId, tasks: [...batch.tasks], deletedItemIds: [...batch.deletedItemIds], cursor }, undefined, 60_000);
  }

  async syncMailboxContacts(mailboxId: string, leaseId: string, batch: { contacts: readonly ExchangeContactItem[]; deletedItemIds: readonly string[] }, cursor: string): Promise<void> {
    await this.request(SYNC_CONTACTS, { mailboxId, leaseId, contacts: batch.contacts.map((c) => ({ ...c, emails: [...c.emails] })), deletedItemIds: [...batch.deletedItemIds], cursor }, undefined, 60_000);
  }

  async claimTaskWrites(mailboxId: string, leaseId: string, first: number): Promise<TaskWriteRequest[]> {
    const data = await this.request(CLAIM_TASK_WRITES, { mailboxId, leaseId, first });
    return onEntry(() => taskWritesOnEntry(data));
  }

  async reportTaskWrites(mailboxId: string, leaseId: string, writes: readonly TaskWriteResult[]): Promise<void> {
    await this.request(REPORT_TASK_WRITES, { mailboxId, leaseId, writes: writes.map(({ taskId, itemId, changeKey, fingerprint }) => ({ taskId, itemId, changeKey, fingerprint })) });
  }

  async claimContactWrites(mailboxId: string, leaseId: string, first: number): Promise<ContactWriteRequest[]> {
    const data = await this.request(CLAIM_CONTACT_WRITES, { mailboxId, leaseId, first });
    return onEntry(() => contactWritesOnEntry(data));
  }

  async reportContactWrites(mailboxId: string, leaseId: string, writes: readonly ContactWriteResult[]): Promise<void> {
    await this.request(REPORT_CONTACT_WRITES, { mailboxId, leaseId, writes: writes.map(({ contactId, itemId, changeKey, fingerprint, companyName }) => ({ contactId, itemId, changeKey, fingerprint, companyName })) });
  }

  async uploadBlob(content: Buffer): Promise<string> {
    const url = new URL('blobs', this.options.url);
    const timeout = AbortSignal.timeout(120_000);
    let answer: HubAnswer;
    try {
      answer = await hubRequest(url, { method: 'PUT', body: content, headers: { 'content-type': 'application/octet-stream', authorization: `Bearer ${this.options.apiKey}` }, signal: timeout });
    } catch (error) {
      throw new HubApiError('TEMPORARY', `hub PUT ${url.pathname} ${timeout.aborted ? 'timed out' : 'failed'}: ${describe(error)}`, undefined, { cause: error });
    }
    const body = parseJson(answer.text);
    if (answer.ok && typeof body?.sha256 === 'string') return body.sha256;
    throw httpError(answer.status, body);
  }

  async uploadBlobStream(content: Readable): Promise<string> {
    // duplex 'half': a request body that is a stream (the Fetch standard's rule for streaming uploads).
    const init = { method: 'PUT', body: Readable.toWeb(content) as ReadableStream, duplex: 'half', headers: { 'content-type': 'application/octet-stream' } };
    const response = await this.http(new URL('blobs', this.options.url), init as RequestInit, 120_000);
    const body = parseJson(await response.text());
    if (response.ok && typeof body?.sha256 === 'string') return body.sha256;
    throw httpError(response.status, body);
  }

  async downloadBlob(sha256: string): Promise<Buffer> {
    const response = await this.http(new URL(`blobs/${encodeURIComponent(sha256)}`, this.options.url), { method: 'GET' }, 120_000);
    if (response.ok) return Buffer.from(await response.arrayBuffer());
    throw httpError(response.status, parseJson(await response.text()));
  }

  async claimOutgoingEmails(limit: number, leaseSeconds: number): Promise<OutgoingEmail[]> {
    const data = await this.request(CLAIM_OUTGOING, { limit, leaseSeconds });
    const claims = listField(data, 'claimOutgoingEmails');
    try {
      return claims.map((claim, i) => outgoingEmail(claim, `claimOutgoingEmails[${i}]`));
    } catch (error) {
      if (!(error instanceof HubApiError)) throw error;
      throw new UnreadableClaimError(error.message, claims.flatMap((claim) => claimedEmailLeaseOf(claim) ?? []));
    }
  }

  async markEmailSent(emailId: string, leaseId: string, sentAt: Date): Promise<void> {
    await this.request(MARK_SENT, { emailId, leaseId, sentAt: sentAt.toISOString() });
  }

  async markEmailFailed(emailId: string, leaseId: string, reason: string, retryable: boolean): Promise<void> {
    await this.request(MARK_FAILED, { emailId, leaseId, reason: reason.slice(0, 1000), retryable });
  }

  /** A plain HTTP call with the key, classified like GraphQL calls when it fails on the way. */
  private async http(url: URL, init: RequestInit, timeoutMs: number): Promise<Response> {
    const timeout = AbortSignal.timeout(timeoutMs);
    try {
      return await fetch(url, { ...init, headers: { ...(init.headers as Record<string, string>), authorization: `Bearer ${this.options.apiKey}` }, signal: timeout });
    } catch (error) {
      throw new HubApiError('TEMPORARY', `hub ${init.method} ${url.pathname} ${timeout.aborted ? 'timed out' : 'failed'}: ${describe(error)}`, undefined, { cause: error });
    }
  }

  /** `body`: the request's JSON already made from `query` and `variables` (trackEmails), else made here. */
  private async request<N extends OperationName>(query: Operation<N>, variables: OperationVariables<N>, signal?: AbortSignal, timeoutMs?: number, body?: JsonPieces): Promise<Fields> {
    const timeout = AbortSignal.timeout(timeoutMs ?? this.options.timeoutMs ?? 30_000);
    let response: HubAnswer;
    try {
      response = await hubRequest(new URL(this.options.url), {
        method: 'POST',
        headers: {
          authorization: `Bearer ${this.options.apiKey}`,
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
        },
        body: body ?? Buffer.from(JSON.stringify({ query, variables }), 'utf8'),
        signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason; // shutdown, not a failure: let the caller see the abort
      const reason = timeout.aborted ? 'timed out' : 'failed';
      throw new HubApiError('TEMPORARY', `hub API request ${reason}: ${describe(error)}`, undefined, { cause: error });
    }

    if (RETRYABLE_STATUSES.has(response.status)) {
      throw new HubApiError('TEMPORARY', `hub API answered HTTP ${response.status}`);
    }
    const answer = parseJson(response.text);
    const firstError = Array.isArray(answer?.errors) ? graphqlError(answer.errors[0]) : undefined;
    if (firstError) {
      const code = (firstError.serverCode && CODE_BY_SERVER_CODE[firstError.serverCode]) || fallbackCode(response.status);
      throw new HubApiError(code, `hub API error: ${firstError.message}`, firstError.serverCode);
    }
    if (response.status === 401 || response.status === 403) {
      throw new HubApiError('AUTH_FAILED', `hub API answered HTTP ${response.status}`);
    }
    if (!response.ok) throw new HubApiError(fallbackCode(response.status), `hub API answered HTTP ${response.status}`);
    if (!isFields(answer?.data)) throw new HubApiError('INVALID_RESPONSE', 'hub API response has neither data nor errors');
    return answer.data;
  }
}

/** A claim's credentials beside their status (in the claim, or in its `transport`), joined into one checked value. */
function checkedCredentials(claim: unknown, path: string): MailboxCredentials {
  const { status, credentials } = onEntry(() => wireCredentialsOf(claim, path));
  const checked = credentialsOnEntry(status, credentials);
  // The status alone, never the credentials: this message reaches logs and the email's failure reason.
  if (!checked) throw new HubApiError('INVALID_RESPONSE', `${path}.credentials: do not match credentialsStatus ${JSON.stringify(status)}`);
  return checked;
}

function outgoingEmail(claim: unknown, path: string): OutgoingEmail {
  const email = onEntry(() => outgoingEmailOnEntry(claim, path));
  const wireTransport = isFields(claim) ? claim.transport : undefined; // outgoingEmailOnEntry proved both are objects
  return { ...email, transport: { ...email.transport, credentials: checkedCredentials(wireTransport, `${path}.transport`) } };
}

/** Runs an entry check; a value of the wrong shape is the api's answer being INVALID_RESPONSE, with the path. */
function onEntry<T>(check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof WireShapeError) throw new HubApiError('INVALID_RESPONSE', `the hub answered an unexpected shape: ${err.message}`);
    throw err;
  }
}

function listField(data: Fields, field: string): unknown[] {
  const value = data[field];
  if (!Array.isArray(value)) throw new HubApiError('INVALID_RESPONSE', `${field} is missing from the API response`);
  return value;
}

/** A blob route's failure, classified; `body` is its JSON `{ error: { code, message } }` when it sent one. */
function httpError(status: number, body: Fields | undefined): HubApiError {
  const error = isFields(body?.error) ? body.error : {};
  const code = typeof error.code === 'string' ? error.code : undefined;
  const text = `hub answered HTTP ${status}${typeof error.message === 'string' ? `: ${error.message}` : ''}`;
  if (RETRYABLE_STATUSES.has(status)) return new HubApiError('TEMPORARY', text);
  if (status === 401 || status === 403) return new HubApiError('AUTH_FAILED', text, code);
  if (status === 404) return new HubApiError('NOT_FOUND', text);
  if (status === 413 || status === 400) return new HubApiError('INVALID_REQUEST', text, code);
  return new HubApiError('INTERNAL', text);
}

/** The first GraphQL error's message and `extensions.code`, whatever shape it came in. */
function graphqlError(value: unknown): { readonly message: string; readonly serverCode: string | undefined } | undefined {
  if (value === undefined) return undefined;
  const error = isFields(value) ? value : {};
  const extensions = isFields(error.extensions) ? error.extensions : {};
  return { message: String(error.message ?? 'no message'), serverCode: typeof extensions.code === 'string' ? extensions.code : undefined };
}

function fallbackCode(status: number): HubApiErrorCode {
  if (status === 413) return 'TOO_LARGE'; // a proxy in front of the api may refuse the body before the api sees it
  return status === 401 || status === 403 ? 'AUTH_FAILED' : 'INTERNAL';
}

function parseJson(text: string): Fields | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isFields(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function describe(error: unknown): string {
  // undici hides the useful part ("ECONNREFUSED 127.0.0.1:4000") in `cause`.
  const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return error instanceof Error ? `${error.message}${cause}` : String(error);
}
