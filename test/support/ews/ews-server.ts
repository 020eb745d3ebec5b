import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { DOMParser } from '@xmldom/xmldom';
import { ADDRESSING_NS, AUTODISCOVER_NS, envelope, esc, failure, MESSAGES_NS, operationResponse, schemaValidationFault, serverBusyFault, SOAP_NS, success, TYPES_NS } from './ews-xml';
import { ntlmChallenge, ntlmMessageType, verifyNtlmAuthenticate } from './ntlm-server';
import type { EwsRecurrence } from '../../../sync-engine/src/two-way/ews/ews-types.js';
import { fromLocal, toLocal } from '../../../sync-engine/src/time/zoned-time.js';
import { patternOccurrences, timeZoneDefinitionXml, zoneOf } from './ews-recurrence';
import { getUserConfiguration, owaUserOptions, UserConfigurationStore, workHoursXml } from './ews-user-config';

/**
 * An EWS test server: not Exchange, but an HTTP server that answers EWS SOAP requests from a real mailbox state
 * (folders, items with ItemId and ChangeKey, a change log per folder behind each SyncState), shaped as Microsoft's
 * EWS schema (Messages.xsd, Types.xsd) defines the responses. Tests drive the engine's real adapter and the built
 * engine against it.
 *
 *   const ews = await startEwsTestServer();
 *   ews.addUser('sam@corp.test', { password: 'pw' });
 *   ews.deliver('sam@corp.test', 'inbox', mimeBuffer);      // or 'Inbox/Customers', made with createFolder
 *   ews.url                                                 // http://127.0.0.1:<port>/EWS/Exchange.asmx
 *   ews.sent('sam@corp.test')                               // what CreateItem sent: raw MIME and recipients
 *   ews.failNext('SyncFolderItems', 'InvalidSyncState')     // ServerBusy | Unauthorized | AccessDenied | DropConnection
 *   ews.requests()                                          // operation, account, mailbox: never passwords or bodies
 *   ews.dropStreams('sam@corp.test')                        // open GetStreamingEvents connections cut; forgetSubscriptions: Exchange restarted
 *
 *   ews.addCalendarItem('sam@corp.test', { uid, subject, start, end, organizer, required })   // then updateCalendarItem
 *   ews.renameFolder / moveFolder / deleteFolder                                            // as in Outlook
 *   ews.addCalendarItem(address, { ..., recurrence, timeZone })   // a recurring series (its master); then
 *   ews.occurrenceId(address, masterId, originalStart), updateOccurrence, deleteOccurrence   // an exception, a deleted occurrence
 *
 * Operations: GetFolder, FindFolder, SyncFolderHierarchy, SyncFolderItems (messages, calendar items, tasks, contacts),
 * GetItem (recurring masters with Recurrence, First/LastOccurrence, Modified/DeletedOccurrences, StartTimeZone; occurrences
 * and exceptions by their own ItemIds), FindItem (CalendarView expands series: exceptions applied, deleted occurrences left
 * out, wall-clock time kept across DST in the series' time zone), CreateItem (Message with MimeContent, CalendarItem, Task, Contact), UpdateItem (calendar items, tasks
 * and contacts, refused over a stale ChangeKey with ErrorIrresolvableConflict), DeleteItem, Subscribe (pull and
 * streaming), GetEvents, GetStreamingEvents, Unsubscribe, GetUserConfiguration (ews-user-config.ts); and SOAP
 * Autodiscover GetUserSettings at /autodiscover/autodiscover.svc. Authentication: HTTP Basic, or an OAuth bearer token
 * given to addUser, or NTLM (NTLMv2, connection-based, as IIS does it; ntlm-server.ts). ExchangeImpersonation for
 * accounts granted it (else ErrorImpersonateUserDenied).
 */

/** How the server handles streaming notifications; tests shorten the times. */
export interface StreamingSettings {
  /** Whether Subscribe grants streaming subscriptions (Exchange 2010 SP1 and later do). */
  offered: boolean;
  /** How often an open GetStreamingEvents connection carries ConnectionStatus OK. */
  heartbeatMs: number;
  /** When a connection is closed (ConnectionStatus Closed); null: after its ConnectionTimeout. */
  lifetimeMs: number | null;
}

interface OpenStream {
  readonly box: Mailbox;
  /** Sends the subscriptions' events since they were last delivered, if any. */
  flush(): void;
  /** Ends the connection without a word, as a restarting server does. */
  drop(): void;
}

export type EwsFailure = 'ServerBusy' | 'Unauthorized' | 'AccessDenied' | 'InvalidSyncState' | 'DropConnection';

interface Folder {
  readonly id: string;
  changeKey: string;
  parentId: string | null;
  name: string;
  readonly distinguished: string | null;
  readonly folderClass: string;
  /** Every change since the folder existed, in order: the SyncState says how far a client read. */
  readonly log: { readonly seq: number; readonly kind: 'Create' | 'Update' | 'Delete'; readonly itemId: string }[];
}

interface Item {
  readonly id: string;
  changeKey: string;
  folderId: string;
  readonly mime: Buffer;
  readonly receivedAt: Date;
  readonly messageId: string | null;
  readonly subject: string;
  /** A calendar item (Types.xsd CalendarItemType) rather than a message. */
  calendar?: EwsCalendarData;
  /** A task (Types.xsd TaskType). */
  task?: EwsTaskData;
  /** A contact (Types.xsd ContactItemType). */
  contact?: EwsContactData;
  lastModified?: Date;
}

/** A contact in a mailbox's Contacts folder, as Outlook keeps it. */
export interface EwsContactData {
  readonly givenName?: string;
  readonly surname?: string;
  readonly displayName?: string;
  readonly companyName?: string;
  readonly jobTitle?: string;
  /** EmailAddress1 to 3, by position (an empty string: that key is unset). */
  readonly emails?: readonly string[];
  readonly businessPhone?: string;
  readonly mobilePhone?: string;
  readonly categories?: readonly string[];
  /** Named properties in PublicStrings, by name (String type). */
  readonly extended?: Readonly<Record<string, string>>;
}

/** A task in a mailbox's Tasks folder, as Outlook keeps it. */
export interface EwsTaskData {
  readonly subject: string;
  /** The body as text. */
  readonly notes?: string | null;
  /** The due day: Exchange keeps midnight of it (this server's mailboxes live in UTC). */
  readonly dueDate?: Date | null;
  /** The start day, kept as the due day is. */
  readonly startDate?: Date | null;
  /** 0 to 100; MS-OXOTASK ties it to the status (not started 0, completed 100). */
  readonly percentComplete?: number;
  /** Types.xsd TaskStatusType. */
  readonly status?: 'NotStarted' | 'InProgress' | 'Completed' | 'WaitingOnOthers' | 'Deferred';
  /** Types.xsd ImportanceChoicesType. */
  readonly importance?: 'Low' | 'Normal' | 'High';
  readonly sensitivity?: 'Normal' | 'Personal' | 'Private' | 'Confidential';
  readonly categories?: readonly string[];
  /** Named properties in PublicStrings, by name (String type). */
  readonly extended?: Readonly<Record<string, string>>;
}

/** An appointment or meeting in a mailbox's Calendar, as Outlook keeps it. */
export interface EwsCalendarData {
  readonly uid: string;
  readonly subject: string;
  readonly start: Date;
  readonly end: Date;
  readonly allDay?: boolean;
  readonly location?: string | null;
  readonly organizer: { readonly name?: string; readonly address: string };
  readonly required?: readonly { readonly name?: string; readonly address: string }[];
  readonly optional?: readonly { readonly name?: string; readonly address: string }[];
  /** Types.xsd SensitivityChoicesType. */
  readonly sensitivity?: 'Normal' | 'Personal' | 'Private' | 'Confidential';
  readonly cancelled?: boolean;
  /** AppointmentSequenceNumber: raised when the organizer changes the time or place. */
  readonly sequence?: number;
  /** MeetingRequestWasSent: the organizer sent the invitations (a meeting made in Outlook and sent). */
  readonly invitationsSent?: boolean;
  /** A recurring series (its master): Types.xsd RecurrenceType; `start`/`end` are its first occurrence's. */
  readonly recurrence?: EwsRecurrence;
  /** The series' time zone, a Windows id (StartTimeZone); UTC when absent. Occurrences keep its wall-clock time. */
  readonly timeZone?: string;
  /** Occurrences changed on their own (exceptions), by their original start. */
  readonly exceptions?: readonly EwsOccurrenceChange[];
  /** Original starts of occurrences deleted from the series. */
  readonly deletedOccurrences?: readonly Date[];
}

/** One occurrence of a series changed on its own (an exception): Types.xsd OccurrenceInfoType plus what changed. */
export interface EwsOccurrenceChange {
  readonly originalStart: Date;
  readonly start: Date;
  readonly end: Date;
  readonly subject?: string;
  readonly location?: string | null;
}

/** An occurrence or exception of a series, as CalendarView and GetItem show it. */
interface Instance {
  readonly id: string;
  readonly type: 'Occurrence' | 'Exception';
  readonly originalStart: Date;
  readonly start: Date;
  readonly end: Date;
  readonly subject: string;
  readonly location: string | null | undefined;
}

/** A pull subscription (GetEvents) or a streaming one (GetStreamingEvents); the watermark is how far its events were delivered. */
interface Subscription {
  readonly folderIds: readonly string[];
  readonly eventTypes: readonly string[];
  readonly streaming: boolean;
  watermark: number;
}

interface Mailbox {
  readonly address: string;
  password: string;
  readonly canImpersonate: boolean;
  /** An OAuth access token that signs this account in (Authorization: Bearer); null: Basic only. */
  readonly accessToken: string | null;
  readonly folders: Map<string, Folder>;
  readonly items: Map<string, Item>;
  readonly subscriptions: Map<string, Subscription>;
  /** Folders created, changed (renamed, moved) and deleted, in order: SyncFolderHierarchy's SyncState says how far a client read. */
  readonly hierarchyLog: { readonly seq: number; readonly kind: 'Create' | 'Update' | 'Delete'; readonly folderId: string }[];
}

export interface SentMessage {
  readonly mime: Buffer;
  readonly recipients: readonly string[];
  readonly savedCopy: boolean;
}

export interface EwsRequestLog {
  readonly operation: string;
  readonly account: string | null;
  readonly mailbox: string | null;
}

export interface StartedEwsServer {
  readonly url: string;
  addUser(address: string, options: { password: string; canImpersonate?: boolean; accessToken?: string }): void;
  deliver(address: string, folderPath: string, mime: Buffer, options?: { receivedAt?: Date }): string;
  createFolder(address: string, parentPath: string, name: string): string;
  /** A folder renamed in Outlook: same FolderId, new DisplayName, new ChangeKey. */
  renameFolder(address: string, folderPath: string, newName: string): void;
  /** A folder dragged under another one in Outlook: same FolderId, new ParentFolderId. */
  moveFolder(address: string, folderPath: string, newParentPath: string): void;
  /** A folder deleted in Outlook: moved into Deleted Items, or gone for good with `hard` (Shift+Delete, or emptied). */
  deleteFolder(address: string, folderPath: string, options?: { hard?: boolean }): void;
  moveItem(address: string, itemId: string, folderPath: string): void;
  /** An appointment or meeting in the mailbox's Calendar (as if made or accepted in Outlook); returns its ItemId. */
  addCalendarItem(address: string, data: EwsCalendarData): string;
  /** The ItemId Exchange gives the occurrence of a series that originally starts at `originalStart`. */
  occurrenceId(address: string, masterId: string, originalStart: Date): string;
  /** One occurrence moved or renamed in Outlook: an exception, and the master gets a new ChangeKey (an Update in the folder's changes). */
  updateOccurrence(address: string, masterId: string, originalStart: Date, patch: Omit<EwsOccurrenceChange, 'originalStart'>): void;
  /** One occurrence deleted in Outlook: a DeletedOccurrence, and the master gets a new ChangeKey. */
  deleteOccurrence(address: string, masterId: string, originalStart: Date): void;
  /** Changes a calendar item as Outlook would (a meeting moved, cancelled): new ChangeKey and LastModifiedTime, an Update in the folder's changes. */
  updateCalendarItem(address: string, itemId: string, patch: Partial<EwsCalendarData>, options?: { modifiedAt?: Date }): void;
  /**
   * The appointments in the mailbox's Calendar now (not Deleted Items), with how CreateItem was asked to invite for them
   * and how the last UpdateItem was asked to tell the attendees (SendMeetingInvitationsOrCancellations; null: never updated).
   */
  calendarItems(address: string): (EwsCalendarData & { itemId: string; changeKey: string; sendMeetingInvitations: string | null; updateSent: string | null })[];
  /** Calendar items (or one occurrence: its original start) deleted with DeleteItem, by UID, with the SendMeetingCancellations the client asked for. */
  calendarDeletions(address: string): { uid: string; mode: string; originalStart?: Date }[];
  /** UpdateItem of single occurrences: the SendMeetingInvitationsOrCancellations asked for, by the series' UID and the occurrence's original start. */
  occurrenceUpdates(address: string): { uid: string; originalStart: Date; mode: string }[];
  /** A task in the mailbox's Tasks folder (as if made in Outlook); returns its ItemId. */
  addTask(address: string, data: EwsTaskData): string;
  /** Changes a task as Outlook would (completed, renamed): new ChangeKey and LastModifiedTime, an Update in the folder's changes. */
  updateTask(address: string, itemId: string, patch: Partial<EwsTaskData>, options?: { modifiedAt?: Date }): void;
  /** The tasks in the mailbox's Tasks folder now (not Deleted Items). */
  tasks(address: string): (EwsTaskData & { itemId: string; changeKey: string; lastModified: Date })[];
  /** A contact in the mailbox's Contacts folder (as if made in Outlook); returns its ItemId. */
  addContact(address: string, data: EwsContactData): string;
  /** Changes a contact as Outlook would: new ChangeKey, an Update in the folder's changes. */
  updateContact(address: string, itemId: string, patch: Partial<EwsContactData>, options?: { modifiedAt?: Date }): void;
  /** The contacts in the mailbox's Contacts folder now (not Deleted Items), their addresses without unset keys. */
  contacts(address: string): (EwsContactData & { itemId: string; changeKey: string; lastModified: Date })[];
  /**
   * The mailbox's time zone as Outlook saves it with its working hours: the "WorkHours" configuration in the Calendar,
   * its XmlData a WorkingHours.xsd document naming the Windows zone; `xmlData` stores other bytes instead. Null deletes it.
   */
  setWorkHours(address: string, windowsZone: string | null, options?: { xmlData?: Buffer }): void;
  /** The time zone picked in Outlook on the web: the "timezone" entry of the "OWA.UserOptions" configuration in the mailbox root. Null deletes it. */
  setOwaTimeZone(address: string, windowsZone: string | null): void;
  /** A task or other item deleted in Outlook: moved to Deleted Items (a Delete in its folder's changes). */
  moveToDeletedItems(address: string, itemId: string): void;
  deleteItem(address: string, itemId: string): void;
  items(address: string, folderPath: string): { itemId: string; messageId: string | null; subject: string }[];
  sent(address: string): SentMessage[];
  /** The next request of `operation` fails as `failure`; with `mailbox`, the next one for that mailbox (others pass). */
  failNext(operation: string, failure: EwsFailure, options?: { backOffMs?: number; mailbox?: string }): void;
  /** Exchange restarted: the mailbox's open streaming connections drop, and its subscriptions are gone (ErrorSubscriptionNotFound). */
  forgetSubscriptions(address: string): void;
  /**
   * The network between client and server broke (a load balancer's idle cut, a proxy restart): the mailbox's open
   * streaming connections drop without ConnectionStatus Closed; its subscriptions stay, and their events wait for the next connection.
   */
  dropStreams(address: string): number;
  /** GetStreamingEvents connections open now for the mailbox. */
  openStreams(address: string): number;
  /** The password was reset (in Active Directory): sign-ins with the old one are refused; connections NTLM signed in already stay so. */
  setPassword(address: string, password: string): void;
  requests(): EwsRequestLog[];
  /** Every response document written, for schema checks. */
  readonly documents: string[];
  /** Streaming notifications: whether they are offered, the heartbeat, how long a connection lasts. */
  readonly streaming: StreamingSettings;
  close(): Promise<void>;
}

const DISTINGUISHED: readonly [name: string, display: string, folderClass: string, parent: string | null][] = [
  ['msgfolderroot', 'Top of Information Store', 'IPF.Note', null],
  ['inbox', 'Inbox', 'IPF.Note', 'msgfolderroot'],
  ['sentitems', 'Sent Items', 'IPF.Note', 'msgfolderroot'],
  ['deleteditems', 'Deleted Items', 'IPF.Note', 'msgfolderroot'],
  ['drafts', 'Drafts', 'IPF.Note', 'msgfolderroot'],
  ['outbox', 'Outbox', 'IPF.Note', 'msgfolderroot'],
  ['calendar', 'Calendar', 'IPF.Appointment', 'msgfolderroot'],
  ['tasks', 'Tasks', 'IPF.Task', 'msgfolderroot'],
  ['contacts', 'Contacts', 'IPF.Contact', 'msgfolderroot'],
];

const newId = () => randomBytes(24).toString('base64');
const newChangeKey = () => randomBytes(12).toString('base64');

export interface EwsTestServerOptions {
  /** Keep every response document in `documents` (default); false for long benchmark runs, where they only cost memory. */
  readonly keepDocuments?: boolean;
}

export async function startEwsTestServer(options: EwsTestServerOptions = {}): Promise<StartedEwsServer> {
  const mailboxes = new Map<string, Mailbox>();
  // NTLM signs in a connection, not a request: the challenge sent on it, then who it proved to be.
  const ntlmChallenges = new WeakMap<object, Buffer>();
  const ntlmSignedIn = new WeakMap<object, Mailbox>();
  const failures = new Map<string, { failure: EwsFailure; backOffMs: number; mailbox: string | null }>();
  const log: EwsRequestLog[] = [];
  const documents: string[] = [];
  const keep = (xml: string) => {
    if (options.keepDocuments !== false) documents.push(xml);
  };
  const userConfigurations = new UserConfigurationStore();
  let seq = 0;
  const streams = new Set<OpenStream>();
  let flushScheduled = false;
  const streaming: StreamingSettings = { offered: true, heartbeatMs: 30_000, lifetimeMs: null };

  const mailboxOf = (address: string): Mailbox => {
    const found = mailboxes.get(address.toLowerCase());
    if (!found) throw new Error(`no EWS test user ${address}`);
    return found;
  };
  const byDistinguished = (box: Mailbox, name: string) => [...box.folders.values()].find((f) => f.distinguished === name);
  const folderAt = (box: Mailbox, path: string): Folder => {
    const direct = byDistinguished(box, path.toLowerCase());
    if (direct) return direct;
    let folder = byDistinguished(box, 'msgfolderroot')!;
    for (const part of path.split('/')) {
      const child = [...box.folders.values()].find((f) => f.parentId === folder.id && f.name.toLowerCase() === part.toLowerCase());
      if (!child) throw new Error(`no folder ${path} in ${box.address}`);
      folder = child;
    }
    return folder;
  };
  const recordFolder = (box: Mailbox, kind: 'Create' | 'Update' | 'Delete', folder: Folder) => {
    if (kind !== 'Create') folder.changeKey = newChangeKey();
    box.hierarchyLog.push({ seq: ++seq, kind, folderId: folder.id });
  };
  const record = (folder: Folder, kind: 'Create' | 'Update' | 'Delete', itemId: string) => {
    folder.log.push({ seq: ++seq, kind, itemId });
    folder.changeKey = newChangeKey();
    // Open streaming connections learn of it once the change that caused it is complete.
    if (!flushScheduled && streams.size) {
      flushScheduled = true;
      setImmediate(() => {
        flushScheduled = false;
        for (const stream of streams) stream.flush();
      });
    }
  };
  /** An occurrence's ItemId: its series and original start (Exchange's encode the same, opaquely). */
  const occurrenceIdOf = (masterId: string, originalStart: Date) => Buffer.from(JSON.stringify({ occ: masterId, at: originalStart.toISOString() })).toString('base64');
  const parseOccurrenceId = (id: string): { masterId: string; originalStart: Date } | null => {
    try {
      const parsed = JSON.parse(Buffer.from(id, 'base64').toString('utf8')) as { occ?: unknown; at?: unknown };
      return typeof parsed.occ === 'string' && typeof parsed.at === 'string' ? { masterId: parsed.occ, originalStart: new Date(parsed.at) } : null;
    } catch {
      return null;
    }
  };
  /** A series' occurrences and exceptions whose time meets [from, to), deleted ones left out, in order of start. */
  const instancesOf = (item: Item, from: Date, to: Date): Instance[] => {
    const data = item.calendar!;
    if (!data.recurrence) return [];
    const deleted = new Set((data.deletedOccurrences ?? []).map((d) => d.getTime()));
    // An exception may have moved into the window from up to a month later.
    const pattern = patternOccurrences(data.recurrence, data, data.timeZone, new Date(to.getTime() + 31 * 86_400_000));
    return pattern
      .filter((o) => !deleted.has(o.start.getTime()))
      .map((o): Instance => {
        const change = data.exceptions?.find((e) => e.originalStart.getTime() === o.start.getTime());
        const id = occurrenceIdOf(item.id, o.start);
        if (!change) return { id, type: 'Occurrence', originalStart: o.start, start: o.start, end: o.end, subject: data.subject, location: data.location };
        return { id, type: 'Exception', originalStart: o.start, start: change.start, end: change.end, subject: change.subject ?? data.subject, location: change.location === undefined ? data.location : change.location };
      })
      .filter((o) => o.start < to && o.end > from)
      .sort((a, b) => a.start.getTime() - b.start.getTime());
  };
  /** The occurrence an occurrence ItemId names, with its series; null when there is none (deleted, never was). */
  const instanceAt = (box: Mailbox, id: string): { master: Item; instance: Instance } | null => {
    const parsed = parseOccurrenceId(id);
    const master = parsed ? box.items.get(parsed.masterId) : undefined;
    if (!parsed || !master?.calendar?.recurrence) return null;
    const at = parsed.originalStart.getTime();
    const instance = instancesOf(master, new Date(0), new Date(8.64e15)).find((o) => o.originalStart.getTime() === at);
    return instance ? { master, instance } : null;
  };
  /** An occurrence changed on its own: it becomes (or stays) an exception, and the master changes. */
  const setException = (box: Mailbox, master: Item, change: EwsOccurrenceChange) => {
    const data = master.calendar!;
    const others = (data.exceptions ?? []).filter((e) => e.originalStart.getTime() !== change.originalStart.getTime());
    master.calendar = { ...data, exceptions: [...others, change] };
    changed(box, master);
  };
  const deleteOccurrenceOf = (box: Mailbox, master: Item, originalStart: Date) => {
    const data = master.calendar!;
    master.calendar = {
      ...data,
      exceptions: (data.exceptions ?? []).filter((e) => e.originalStart.getTime() !== originalStart.getTime()),
      deletedOccurrences: [...(data.deletedOccurrences ?? []), originalStart],
    };
    changed(box, master);
  };
  const place = (box: Mailbox, item: Item, folder: Folder) => {
    item.folderId = folder.id;
    item.changeKey = newChangeKey();
    record(folder, 'Create', item.id);
  };
  /** Into Deleted Items, as Exchange moves an item: under a new ItemId, so the old id is not found any more. */
  const discard = (box: Mailbox, item: Item) => {
    record(box.folders.get(item.folderId)!, 'Delete', item.id);
    box.items.delete(item.id);
    const moved: Item = { ...item, id: newId() };
    box.items.set(moved.id, moved);
    place(box, moved, byDistinguished(box, 'deleteditems')!);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      try {
        if ((req.url ?? '').toLowerCase().startsWith('/autodiscover/autodiscover.svc')) autodiscover(req, res, Buffer.concat(chunks).toString('utf8'));
        else handle(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (error) {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
      }
    });
  });

  /**
   * SOAP Autodiscover (MS-OXWSADISC) GetUserSettings, as Exchange answers it at /autodiscover/autodiscover.svc: the
   * signed-in account asks for a mailbox's settings; this server's own EWS URL is its ExternalEwsUrl and InternalEwsUrl.
   */
  function autodiscover(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
    if (ntlmHandshake(req, res)) return;
    const doc = new DOMParser().parseFromString(body, 'text/xml');
    const account = signedIn(req.headers.authorization) ?? ntlmSignedIn.get(req.socket) ?? null;
    log.push({ operation: 'Autodiscover', account: account?.address ?? null, mailbox: null });
    if (!account) return void res.writeHead(401, { 'www-authenticate': 'Basic realm="EWS test server"' }).end();
    const texts = (name: string) => {
      const list = doc.getElementsByTagNameNS(AUTODISCOVER_NS, name);
      return Array.from({ length: list.length }, (_, i) => list.item(i)?.textContent?.trim() ?? '');
    };
    const users = texts('Mailbox');
    const wanted = texts('Setting');
    const ewsUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/EWS/Exchange.asmx`;
    const settings: Record<string, string> = { ExternalEwsUrl: ewsUrl, InternalEwsUrl: ewsUrl };
    const userResponses = users.map((address) => {
      if (!mailboxes.has(address.toLowerCase())) {
        return '<UserResponse><ErrorCode>InvalidUser</ErrorCode><ErrorMessage>Invalid user.</ErrorMessage><RedirectTarget i:nil="true"/><UserSettingErrors/><UserSettings/></UserResponse>';
      }
      const values = wanted.filter((name) => name in settings).map((name) => `<UserSetting i:type="StringSetting"><Name>${esc(name)}</Name><Value>${esc(settings[name])}</Value></UserSetting>`);
      return `<UserResponse><ErrorCode>NoError</ErrorCode><ErrorMessage>No error.</ErrorMessage><RedirectTarget i:nil="true"/><UserSettingErrors/><UserSettings>${values.join('')}</UserSettings></UserResponse>`;
    });
    const xml =
      `<?xml version="1.0" encoding="utf-8"?><s:Envelope xmlns:s="${SOAP_NS}" xmlns:a="${ADDRESSING_NS}">` +
      '<s:Header><a:Action s:mustUnderstand="1">http://schemas.microsoft.com/exchange/2010/Autodiscover/Autodiscover/GetUserSettingsResponse</a:Action>' +
      `<h:ServerVersionInfo xmlns:h="${AUTODISCOVER_NS}" xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><h:MajorVersion>15</h:MajorVersion><h:MinorVersion>1</h:MinorVersion><h:MajorBuildNumber>2507</h:MajorBuildNumber><h:MinorBuildNumber>6</h:MinorBuildNumber><h:Version>Exchange2015</h:Version></h:ServerVersionInfo></s:Header>` +
      `<s:Body><GetUserSettingsResponseMessage xmlns="${AUTODISCOVER_NS}"><Response xmlns:i="http://www.w3.org/2001/XMLSchema-instance"><ErrorCode>NoError</ErrorCode><ErrorMessage/>` +
      `<UserResponses>${userResponses.join('')}</UserResponses></Response></GetUserSettingsResponseMessage></s:Body></s:Envelope>`;
    keep(xml);
    res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' }).end(xml);
  }

  function handle(req: http.IncomingMessage, res: http.ServerResponse, body: string): void {
    if (ntlmHandshake(req, res)) return;
    // XML 1.0 2.4: an "&" starts a reference. Exchange refuses a request with a bare one, as its parser does (xmldom
    // lets it through), so a client that does not escape "&" in a subject fails here as it would there.
    const bare = /&(?!(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z_][\w.-]*);)/.exec(body);
    if (bare) return reply(res, 500, schemaValidationFault(bare.index + 1));
    const doc = new DOMParser().parseFromString(body, 'text/xml');
    const soapBody = doc.getElementsByTagNameNS(SOAP_NS, 'Body')[0];
    const request = soapBody ? firstElement(soapBody) : null;
    const operation = request?.localName ?? 'unknown';
    const account = signedIn(req.headers.authorization) ?? ntlmSignedIn.get(req.socket) ?? null;
    const impersonated = text(doc.getElementsByTagNameNS(TYPES_NS, 'ExchangeImpersonation')[0], 'PrimarySmtpAddress') ?? text(doc.getElementsByTagNameNS(TYPES_NS, 'ExchangeImpersonation')[0], 'SmtpAddress');
    const mailbox = impersonated ?? account?.address ?? null;
    log.push({ operation, account: account?.address ?? null, mailbox });
    const armed = failures.get(operation);
    if (armed && (armed.mailbox === null || armed.mailbox === mailbox?.toLowerCase())) {
      failures.delete(operation);
      if (armed.failure === 'Unauthorized') return void res.writeHead(401, { 'www-authenticate': 'Basic realm="EWS test server"' }).end();
      if (armed.failure === 'ServerBusy') return reply(res, 500, serverBusyFault(armed.backOffMs));
      if (armed.failure === 'DropConnection') {
        res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
        res.write(envelope('').slice(0, 120));
        return void setTimeout(() => res.socket?.destroy(), 10);
      }
      if (armed.failure === 'AccessDenied') return reply(res, 200, envelope(operationResponse(operation.replace(/Request$/, ''), [failure(operation, 'ErrorAccessDenied', 'Access is denied. Check credentials and try again.')])));
      if (armed.failure === 'InvalidSyncState') return reply(res, 200, envelope(operationResponse(operation, [failure(operation, 'ErrorInvalidSyncStateData', 'Synchronization state data is corrupt or otherwise invalid.', operation === 'SyncFolderHierarchy' ? hierarchyEmpty() : syncEmpty())])));
    }
    if (!account || !request) {
      // Exchange names the scheme the client tried: a refused token is told apart from a refused password.
      // As IIS in front of Exchange offers them: NTLM and Basic (a refused token hears of Bearer alone).
      const challenge = /^Bearer /i.test(req.headers.authorization ?? '') ? ['Bearer realm="EWS test server", error="invalid_token"'] : ['NTLM', 'Basic realm="EWS test server"'];
      return void res.writeHead(401, { 'www-authenticate': challenge }).end();
    }
    let box = account;
    if (impersonated && impersonated.toLowerCase() !== account.address) {
      if (!account.canImpersonate) return reply(res, 500, impersonationFault(account.address, impersonated));
      const target = mailboxes.get(impersonated.toLowerCase());
      if (!target) return reply(res, 200, envelope(operationResponse(operation, [failure(operation, 'ErrorNonExistentMailbox', `The SMTP address has no mailbox associated with it.`)])));
      box = target;
    }
    if (operation === 'GetStreamingEvents') return openStream(box, request, res);
    reply(res, 200, envelope(answer(box, operation, request)));
  }

  function reply(res: http.ServerResponse, status: number, xml: string): void {
    keep(xml);
    res.writeHead(status, { 'content-type': 'text/xml; charset=utf-8' }).end(xml);
  }

  /**
   * NTLM's two round trips (ntlm-server.ts): a NEGOTIATE_MESSAGE gets the challenge, an AUTHENTICATE_MESSAGE on the
   * same connection signs that connection in (or is refused). True when the request was answered here.
   */
  function ntlmHandshake(req: http.IncomingMessage, res: http.ServerResponse): boolean {
    const ntlm = ntlmMessageType(req.headers.authorization);
    if (!ntlm) return false;
    if (ntlm.type === 1) {
      const { header, challenge } = ntlmChallenge();
      ntlmChallenges.set(req.socket, challenge);
      res.writeHead(401, { 'www-authenticate': header, 'content-length': '0' }).end();
      return true;
    }
    const challenge = ntlmChallenges.get(req.socket);
    ntlmChallenges.delete(req.socket);
    // A user signs in as DOMAIN\\user (the address's local part) or as the address itself.
    const boxOf = (user: string) => mailboxes.get(user.toLowerCase()) ?? [...mailboxes.values()].find((box) => box.address.split('@')[0] === user.toLowerCase());
    const user = ntlm.type === 3 && challenge ? verifyNtlmAuthenticate(ntlm.message, challenge, (name) => boxOf(name)?.password) : null;
    const box = user ? boxOf(user) : undefined;
    if (!box) {
      log.push({ operation: 'NTLM', account: null, mailbox: null });
      res.writeHead(401, { 'www-authenticate': ['NTLM', 'Basic realm="EWS test server"'], 'content-length': '0' }).end();
      return true;
    }
    ntlmSignedIn.set(req.socket, box);
    return false; // signed in: the request itself is answered as usual
  }

  /** The account an Authorization header signs in: Basic user and password, or an OAuth bearer token given to addUser. */
  function signedIn(header: string | undefined): Mailbox | null {
    const bearer = /^Bearer (.+)$/i.exec(header ?? '');
    if (bearer) return [...mailboxes.values()].find((box) => box.accessToken !== null && box.accessToken === bearer[1].trim()) ?? null;
    const match = /^Basic (.+)$/i.exec(header ?? '');
    if (!match) return null;
    const decoded = Buffer.from(match[1], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    const box = mailboxes.get(decoded.slice(0, colon).toLowerCase());
    return box && box.password === decoded.slice(colon + 1) ? box : null;
  }

  function resolveFolder(box: Mailbox, element: Element | undefined): Folder | null {
    if (!element) return null;
    const id = element.getAttribute('Id') ?? '';
    return element.localName === 'DistinguishedFolderId' ? byDistinguished(box, id) ?? null : box.folders.get(id) ?? null;
  }

  /**
   * Types.xsd NotificationType's content for a subscription's events since it was last told, as GetEvents and
   * GetStreamingEvents both deliver them; moves its watermark. `count` is how many item events there were.
   */
  function notification(box: Mailbox, id: string, subscription: Subscription, options: { statusWhenEmpty: boolean }): { xml: string; count: number } {
    const previous = subscription.watermark;
    const changes = subscription.folderIds.flatMap((folderId) => (box.folders.get(folderId)?.log ?? []).filter((e) => e.seq > previous).map((e) => ({ ...e, folderId })));
    subscription.watermark = seq;
    const stamp = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
    const wants = (type: string) => subscription.eventTypes.includes(type);
    // Types.xsd BaseObjectChangedEventType: Watermark, TimeStamp, the item's id, its folder's id.
    const event = (element: string, e: (typeof changes)[number]) =>
      `<t:${element}><t:Watermark>${watermarkOf(e.seq)}</t:Watermark><t:TimeStamp>${stamp}</t:TimeStamp><t:ItemId Id="${esc(e.itemId)}" ChangeKey="${esc(box.items.get(e.itemId)?.changeKey ?? newChangeKey())}"/><t:ParentFolderId Id="${esc(e.folderId)}" ChangeKey="${esc(box.folders.get(e.folderId)!.changeKey)}"/></t:${element}>`;
    const written = changes.flatMap((e) => {
      const mail = box.folders.get(e.folderId)!.folderClass === 'IPF.Note';
      if (e.kind === 'Create') return [...(mail && wants('NewMailEvent') ? [event('NewMailEvent', e)] : []), ...(wants('CreatedEvent') ? [event('CreatedEvent', e)] : [])];
      if (e.kind === 'Update') return wants('ModifiedEvent') ? [event('ModifiedEvent', e)] : [];
      return wants('DeletedEvent') ? [event('DeletedEvent', e)] : [];
    });
    if (!written.length && !options.statusWhenEmpty) return { xml: '', count: 0 };
    const events = written.length ? written.join('') : `<t:StatusEvent><t:Watermark>${watermarkOf(seq)}</t:Watermark></t:StatusEvent>`;
    return { xml: `<t:SubscriptionId>${esc(id)}</t:SubscriptionId><t:PreviousWatermark>${watermarkOf(previous)}</t:PreviousWatermark><t:MoreEvents>false</t:MoreEvents>${events}`, count: written.length };
  }

  /**
   * GetStreamingEvents (Messages.xsd GetStreamingEventsType: SubscriptionIds, ConnectionTimeout in minutes): the
   * response stays open and carries one SOAP document after another on the chunked body, as Exchange sends them:
   * notifications when items change, ConnectionStatus OK as a heartbeat, ConnectionStatus Closed when the
   * connection's time is up. Events that happened while no connection was open come at once.
   */
  function openStream(box: Mailbox, request: Element, res: http.ServerResponse): void {
    const ids = childElements(child(request, 'SubscriptionIds')).map((e) => e.textContent?.trim() ?? '');
    const known = ids.filter((id) => box.subscriptions.get(id)?.streaming);
    if (!known.length) return reply(res, 200, envelope(operationResponse('GetStreamingEvents', [failure('GetStreamingEvents', 'ErrorSubscriptionNotFound', 'The specified subscription was not found.')])));
    const minutes = Number(text(request, 'ConnectionTimeout') ?? '0');
    if (!Number.isInteger(minutes) || minutes < 1 || minutes > 30) return reply(res, 200, envelope(operationResponse('GetStreamingEvents', [failure('GetStreamingEvents', 'ErrorInvalidArgument', 'ConnectionTimeout must be from 1 to 30 minutes.')])));
    res.writeHead(200, { 'content-type': 'text/xml; charset=utf-8' });
    const send = (content: string) => {
      const xml = envelope(operationResponse('GetStreamingEvents', [success('GetStreamingEvents', content)]));
      keep(xml);
      res.write(xml);
    };
    const stream: OpenStream = {
      box,
      drop: () => res.socket?.destroy(),
      flush() {
        const parts = known.map((id) => box.subscriptions.get(id)).map((subscription, i) => (subscription ? notification(box, known[i], subscription, { statusWhenEmpty: false }) : { xml: '', count: 0 }));
        const notifications = parts.filter((p) => p.xml).map((p) => `<m:Notification>${p.xml}</m:Notification>`);
        if (notifications.length) send(`<m:Notifications>${notifications.join('')}</m:Notifications>`);
      },
    };
    streams.add(stream);
    const heartbeat = setInterval(() => send('<m:ConnectionStatus>OK</m:ConnectionStatus>'), streaming.heartbeatMs);
    const end = () => {
      clearInterval(heartbeat);
      clearTimeout(lifetime);
      streams.delete(stream);
    };
    const lifetime = setTimeout(() => {
      end();
      send('<m:ConnectionStatus>Closed</m:ConnectionStatus>');
      res.end();
    }, streaming.lifetimeMs ?? minutes * 60_000);
    res.on('close', end);
    stream.flush();
  }

  function answer(box: Mailbox, operation: string, request: Element): string {
    switch (operation) {
      case 'GetFolder': {
        const ids = childElements(child(request, 'FolderIds'));
        return operationResponse('GetFolder', ids.map((element) => {
          const folder = resolveFolder(box, element);
          if (!folder) return failure('GetFolder', 'ErrorFolderNotFound', 'The specified folder could not be found in the store.', '<m:Folders/>');
          return success('GetFolder', `<m:Folders>${folderXml(box, folder)}</m:Folders>`);
        }));
      }
      case 'FindFolder': {
        const parent = resolveFolder(box, childElements(child(request, 'ParentFolderIds'))[0])!;
        const deep = request.getAttribute('Traversal') === 'Deep';
        const found: Folder[] = [];
        const walk = (id: string) => {
          for (const folder of box.folders.values()) if (folder.parentId === id) {
            found.push(folder);
            if (deep) walk(folder.id);
          }
        };
        walk(parent.id);
        const { offset, max } = paging(request, 'IndexedPageFolderView');
        const page = found.slice(offset, offset + max);
        const last = offset + page.length >= found.length;
        return operationResponse('FindFolder', [success('FindFolder', `<m:RootFolder IndexedPagingOffset="${offset + page.length}" TotalItemsInView="${found.length}" IncludesLastItemInRange="${last}"><t:Folders>${page.map((f) => folderXml(box, f)).join('')}</t:Folders></m:RootFolder>`)]);
      }
      case 'SyncFolderHierarchy': {
        // Messages.xsd SyncFolderHierarchyType: FolderShape, SyncFolderId (absent: the whole mailbox), SyncState.
        const syncFolderElement = childElements(child(request, 'SyncFolderId'))[0];
        const root = syncFolderElement ? resolveFolder(box, syncFolderElement) : byDistinguished(box, 'msgfolderroot')!;
        if (!root) return operationResponse('SyncFolderHierarchy', [failure('SyncFolderHierarchy', 'ErrorFolderNotFound', 'The specified folder could not be found in the store.', hierarchyEmpty())]);
        const state = text(request, 'SyncState');
        let from = 0;
        if (state) {
          const parsed = parseSyncState(state);
          if (!parsed || parsed.folderId !== `hierarchy:${root.id}`) return operationResponse('SyncFolderHierarchy', [failure('SyncFolderHierarchy', 'ErrorInvalidSyncStateData', 'Synchronization state data is corrupt or otherwise invalid.', hierarchyEmpty())]);
          from = parsed.seq;
        }
        const below = (folder: Folder) => {
          for (let at = folder.parentId; at; at = box.folders.get(at)?.parentId ?? null) if (at === root.id) return true;
          return false;
        };
        // One change per folder since the state, as Exchange reports them: made and kept (Create), changed (Update), gone (Delete).
        const latest = new Map<string, { created: boolean; deleted: boolean; seq: number }>();
        for (const entry of box.hierarchyLog) {
          if (entry.seq <= from) continue;
          const seen = latest.get(entry.folderId) ?? { created: false, deleted: false, seq: entry.seq };
          latest.set(entry.folderId, { created: seen.created || entry.kind === 'Create', deleted: entry.kind === 'Delete', seq: entry.seq });
        }
        const changes = [...latest.entries()].sort((a, b) => a[1].seq - b[1].seq).map(([id, change]) => {
          const folder = box.folders.get(id);
          if (change.deleted || !folder) return change.created ? '' : `<t:Delete><t:FolderId Id="${esc(id)}"/></t:Delete>`;
          if (!below(folder)) return from === 0 ? '' : `<t:Delete><t:FolderId Id="${esc(id)}" ChangeKey="${esc(folder.changeKey)}"/></t:Delete>`;
          return `<t:${change.created ? 'Create' : 'Update'}>${folderXml(box, folder)}</t:${change.created ? 'Create' : 'Update'}>`;
        });
        const content = `<m:SyncState>${syncStateOf(`hierarchy:${root.id}`, seq)}</m:SyncState><m:IncludesLastFolderInRange>true</m:IncludesLastFolderInRange><m:Changes>${changes.join('')}</m:Changes>`;
        return operationResponse('SyncFolderHierarchy', [success('SyncFolderHierarchy', content)]);
      }
      case 'SyncFolderItems': {
        const folder = resolveFolder(box, childElements(child(request, 'SyncFolderId'))[0]);
        if (!folder) return operationResponse('SyncFolderItems', [failure('SyncFolderItems', 'ErrorFolderNotFound', 'The specified folder could not be found in the store.', syncEmpty())]);
        const state = text(request, 'SyncState');
        let from = 0;
        if (state) {
          const parsed = parseSyncState(state);
          if (!parsed || parsed.folderId !== folder.id) return operationResponse('SyncFolderItems', [failure('SyncFolderItems', 'ErrorInvalidSyncStateData', 'Synchronization state data is corrupt or otherwise invalid.', syncEmpty())]);
          from = parsed.seq;
        }
        const max = Math.min(512, Number(text(request, 'MaxChangesReturned') ?? 512));
        const pending = folder.log.filter((entry) => entry.seq > from);
        const page = pending.slice(0, max);
        const upTo = page.length ? page[page.length - 1].seq : Math.max(from, folder.log.at(-1)?.seq ?? 0);
        const changes = page.map((entry) => {
          const item = box.items.get(entry.itemId);
          // A create whose item has left the folder since: Exchange reports only what is there now.
          if (entry.kind === 'Create') return item && item.folderId === folder.id ? `<t:Create>${itemXml(item, { mime: false, idOnly: true })}</t:Create>` : '';
          if (entry.kind === 'Update') return item && item.folderId === folder.id ? `<t:Update>${itemXml(item, { mime: false, idOnly: true })}</t:Update>` : '';
          return `<t:Delete><t:ItemId Id="${esc(entry.itemId)}"/></t:Delete>`;
        });
        const content = `<m:SyncState>${syncStateOf(folder.id, upTo)}</m:SyncState><m:IncludesLastItemInRange>${page.length === pending.length}</m:IncludesLastItemInRange><m:Changes>${changes.join('')}</m:Changes>`;
        return operationResponse('SyncFolderItems', [success('SyncFolderItems', content)]);
      }
      case 'GetItem': {
        const wantsMime = fieldUris(request).includes('item:MimeContent');
        return operationResponse('GetItem', childElements(child(request, 'ItemIds')).map((element) => {
          const item = box.items.get(element.getAttribute('Id') ?? '');
          const occurrence = item ? null : instanceAt(box, element.getAttribute('Id') ?? '');
          if (occurrence) return success('GetItem', `<m:Items>${calendarItemXml(occurrence.master, occurrence.master.calendar!, false, { instance: occurrence.instance })}</m:Items>`);
          if (!item) return failure('GetItem', 'ErrorItemNotFound', 'The specified object was not found in the store.', '<m:Items/>');
          return success('GetItem', `<m:Items>${itemXml(item, { mime: wantsMime, idOnly: false })}</m:Items>`);
        }));
      }
      case 'FindItem': {
        const folder = resolveFolder(box, childElements(child(request, 'ParentFolderIds'))[0]);
        if (!folder) return operationResponse('FindItem', [failure('FindItem', 'ErrorFolderNotFound', 'The specified folder could not be found in the store.')]);
        const calendarView = childElements(request).find((e) => e.localName === 'CalendarView');
        if (calendarView) return operationResponse('FindItem', [calendarViewOf(box, folder, calendarView)]);
        let found = [...box.items.values()].filter((item) => item.folderId === folder.id);
        const restriction = child(request, 'Restriction');
        if (restriction) found = found.filter((item) => matches(item, firstElement(restriction)!));
        found.sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
        const { offset, max } = paging(request, 'IndexedPageItemView');
        const page = found.slice(offset, offset + max);
        const last = offset + page.length >= found.length;
        return operationResponse('FindItem', [success('FindItem', `<m:RootFolder IndexedPagingOffset="${offset + page.length}" TotalItemsInView="${found.length}" IncludesLastItemInRange="${last}"><t:Items>${page.map((i) => messageXml(i, { mime: false })).join('')}</t:Items></m:RootFolder>`)]);
      }
      case 'CreateItem': {
        const disposition = request.getAttribute('MessageDisposition') ?? 'SaveOnly';
        const messages = childElements(child(request, 'Items'));
        return operationResponse('CreateItem', messages.map((message) => {
          if (message.localName === 'CalendarItem') return success('CreateItem', `<m:Items>${createCalendarItem(box, request, message)}</m:Items>`);
          if (message.localName === 'Task') return success('CreateItem', `<m:Items>${createTask(box, request, message)}</m:Items>`);
          if (message.localName === 'Contact') return success('CreateItem', `<m:Items>${createContact(box, request, message)}</m:Items>`);
          const mime = Buffer.from(text(message, 'MimeContent') ?? '', 'base64');
          if (disposition === 'SendOnly' || disposition === 'SendAndSaveCopy') {
            sentBy(box).push({ mime, recipients: envelopeRecipients(mime), savedCopy: disposition === 'SendAndSaveCopy' });
          }
          if (disposition !== 'SendOnly') {
            const folder = disposition === 'SaveOnly' ? byDistinguished(box, 'drafts')! : byDistinguished(box, 'sentitems')!;
            store(box, folder, mime, new Date());
          }
          // SendAndSaveCopy answers no item (the copy's id is not known when the send is queued).
          return success('CreateItem', '<m:Items/>');
        }));
      }
      case 'DeleteItem': {
        const hard = request.getAttribute('DeleteType') === 'HardDelete';
        return operationResponse('DeleteItem', childElements(child(request, 'ItemIds')).map((element) => {
          const item = box.items.get(element.getAttribute('Id') ?? '');
          const occurrence = item ? null : instanceAt(box, element.getAttribute('Id') ?? '');
          // Deleting one occurrence deletes it from its series: a DeletedOccurrence, and the master changes.
          if (occurrence) {
            const mode = request.getAttribute('SendMeetingCancellations');
            if (!mode) return failure('DeleteItem', 'ErrorSendMeetingCancellationsRequired', 'The SendMeetingCancellations attribute is required for Calendar items.');
            calendarDeletions.push({ address: box.address, uid: occurrence.master.calendar!.uid, mode, originalStart: occurrence.instance.originalStart });
            deleteOccurrenceOf(box, occurrence.master, occurrence.instance.originalStart);
            return success('DeleteItem');
          }
          if (!item) return failure('DeleteItem', 'ErrorItemNotFound', 'The specified object was not found in the store.');
          // Messages.xsd DeleteItemType: a calendar item's deletion must say whom to send cancellations.
          if (item.calendar) {
            const mode = request.getAttribute('SendMeetingCancellations');
            if (!mode) return failure('DeleteItem', 'ErrorSendMeetingCancellationsRequired', 'The SendMeetingCancellations attribute is required for Calendar items.');
            calendarDeletions.push({ address: box.address, uid: item.calendar.uid, mode });
          }
          // Messages.xsd DeleteItemType: a task's deletion must say which occurrences it affects.
          if (item.task && !request.getAttribute('AffectedTaskOccurrences')) return failure('DeleteItem', 'ErrorAffectedTaskOccurrencesRequired', 'AffectedTaskOccurrences attribute is required for Task items.');
          if (hard) {
            record(box.folders.get(item.folderId)!, 'Delete', item.id);
            box.items.delete(item.id);
          } else discard(box, item);
          return success('DeleteItem');
        }));
      }
      case 'UpdateItem': {
        // Messages.xsd UpdateItemType: ItemChanges of ItemChange (ItemId, Updates of SetItemField / DeleteItemField).
        const overwrite = request.getAttribute('ConflictResolution') === 'AlwaysOverwrite';
        return operationResponse('UpdateItem', childElements(child(request, 'ItemChanges')).map((change) => {
          const idElement = childElements(change).find((e) => e.localName === 'ItemId');
          const occurrence = box.items.has(idElement?.getAttribute('Id') ?? '') ? null : instanceAt(box, idElement?.getAttribute('Id') ?? '');
          if (occurrence) return updateOccurrenceItem(box, request, change, occurrence.master, occurrence.instance, overwrite ? null : idElement?.getAttribute('ChangeKey') || null);
          const item = box.items.get(idElement?.getAttribute('Id') ?? '');
          if (!item) return failure('UpdateItem', 'ErrorItemNotFound', 'The specified object was not found in the store.', '<m:Items/><m:ConflictResults><t:Count>0</t:Count></m:ConflictResults>');
          // A client that saw an older version may not overwrite a newer one unless it says so.
          if (!overwrite && idElement?.getAttribute('ChangeKey') && idElement.getAttribute('ChangeKey') !== item.changeKey) {
            return failure('UpdateItem', 'ErrorIrresolvableConflict', 'The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.', '<m:Items/><m:ConflictResults><t:Count>1</t:Count></m:ConflictResults>');
          }
          if (item.calendar) return updateCalendarItem(box, request, change, item);
          if (item.contact) {
            item.contact = updatedContact(item.contact, childElements(child(change, 'Updates')));
            changed(box, item);
            return success('UpdateItem', `<m:Items><t:Contact><t:ItemId Id="${esc(item.id)}" ChangeKey="${esc(item.changeKey)}"/></t:Contact></m:Items><m:ConflictResults><t:Count>0</t:Count></m:ConflictResults>`);
          }
          if (!item.task) return failure('UpdateItem', 'ErrorInvalidRequest', 'The EWS test server updates calendar items, tasks and contacts only.', '<m:Items/><m:ConflictResults><t:Count>0</t:Count></m:ConflictResults>');
          for (const update of childElements(child(change, 'Updates'))) {
            const uri = childElements(update).find((e) => e.localName === 'FieldURI' || e.localName === 'ExtendedFieldURI');
            if (update.localName === 'SetItemField') {
              const holder = childElements(update).find((e) => e.localName === 'Task');
              if (holder) item.task = { ...item.task, ...taskFields(holder, item.task) };
            } else if (update.localName === 'DeleteItemField' && uri?.localName === 'FieldURI') {
              const field = uri.getAttribute('FieldURI');
              if (field === 'task:DueDate') item.task = { ...item.task, dueDate: null };
              if (field === 'task:StartDate') item.task = { ...item.task, startDate: null };
              if (field === 'item:Body') item.task = { ...item.task, notes: null };
              if (field === 'item:Categories') item.task = { ...item.task, categories: [] };
            }
          }
          changed(box, item);
          return success('UpdateItem', `<m:Items><t:Task><t:ItemId Id="${esc(item.id)}" ChangeKey="${esc(item.changeKey)}"/></t:Task></m:Items><m:ConflictResults><t:Count>0</t:Count></m:ConflictResults>`);
        }));
      }
      case 'Subscribe': {
        // Messages.xsd SubscribeType: a choice of PullSubscriptionRequest and StreamingSubscriptionRequest (push is not served here).
        const pull = child(request, 'PullSubscriptionRequest');
        const wanted = pull ?? child(request, 'StreamingSubscriptionRequest');
        if (!wanted || (!pull && !streaming.offered)) return operationResponse('Subscribe', [failure('Subscribe', 'ErrorInvalidSubscriptionRequest', 'The subscription request is invalid.')]);
        const folderIds = childElements(child(wanted, 'FolderIds')).map((e) => resolveFolder(box, e)?.id).filter((id): id is string => !!id);
        const eventTypes = childElements(child(wanted, 'EventTypes')).map((e) => e.textContent?.trim() ?? '');
        const id = newId();
        box.subscriptions.set(id, { folderIds, eventTypes, streaming: !pull, watermark: seq });
        // SubscribeResponseMessageType: a streaming subscription has no watermark to resume from.
        return operationResponse('Subscribe', [success('Subscribe', `<m:SubscriptionId>${id}</m:SubscriptionId>${pull ? `<m:Watermark>${watermarkOf(seq)}</m:Watermark>` : ''}`)]);
      }
      case 'GetEvents': {
        const id = text(request, 'SubscriptionId') ?? '';
        const subscription = box.subscriptions.get(id);
        if (!subscription || subscription.streaming) return operationResponse('GetEvents', [failure('GetEvents', 'ErrorSubscriptionNotFound', 'The specified subscription was not found.')]);
        const { xml } = notification(box, id, subscription, { statusWhenEmpty: true });
        return operationResponse('GetEvents', [success('GetEvents', `<m:Notification>${xml}</m:Notification>`)]);
      }
      case 'GetUserConfiguration':
        return getUserConfiguration(userConfigurations, request, (element) => resolveFolder(box, element));
      case 'Unsubscribe':
        box.subscriptions.delete(text(request, 'SubscriptionId') ?? '');
        return operationResponse('Unsubscribe', [success('Unsubscribe')]);
      default:
        return operationResponse(operation, [failure(operation, 'ErrorInvalidRequest', `The EWS test server does not implement ${operation}.`)]);
    }
  }

  const sentLists = new Map<string, SentMessage[]>();
  /** CreateItem of calendar items: whose, which UID, and the SendMeetingInvitations the client asked for. */
  const invitations: { address: string; uid: string; mode: string }[] = [];
  /** UpdateItem of calendar items: the SendMeetingInvitationsOrCancellations the client last asked for, by ItemId. */
  const updatesSent = new Map<string, string>();
  /** DeleteItem of calendar items: whose, which UID, and the SendMeetingCancellations the client asked for. */
  const occurrenceUpdates: { address: string; uid: string; originalStart: Date; mode: string }[] = [];
  const calendarDeletions: { address: string; uid: string; mode: string; originalStart?: Date }[] = [];
  const sentBy = (box: Mailbox) => {
    let list = sentLists.get(box.address);
    if (!list) sentLists.set(box.address, (list = []));
    return list;
  };

  function store(box: Mailbox, folder: Folder, mime: Buffer, receivedAt: Date): string {
    const headers = mime.toString('latin1').split(/\r?\n\r?\n/)[0];
    const header = (name: string) => new RegExp(`^${name}:[ \\t]*(.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(headers)?.[1].replace(/\r?\n[ \t]+/g, ' ').trim() ?? null;
    const item: Item = { id: newId(), changeKey: newChangeKey(), folderId: folder.id, mime, receivedAt, messageId: header('Message-ID'), subject: header('Subject') ?? '' };
    box.items.set(item.id, item);
    record(folder, 'Create', item.id);
    return item.id;
  }

  function folderXml(box: Mailbox, folder: Folder): string {
    const parent = folder.parentId ? box.folders.get(folder.parentId)! : null;
    const total = [...box.items.values()].filter((i) => i.folderId === folder.id).length;
    const children = [...box.folders.values()].filter((f) => f.parentId === folder.id).length;
    // Types.xsd BaseFolderType: FolderId, ParentFolderId, FolderClass, DisplayName, TotalCount, ChildFolderCount.
    return (
      `<t:Folder><t:FolderId Id="${esc(folder.id)}" ChangeKey="${esc(folder.changeKey)}"/>` +
      (parent ? `<t:ParentFolderId Id="${esc(parent.id)}" ChangeKey="${esc(parent.changeKey)}"/>` : '') +
      `<t:FolderClass>${folder.folderClass}</t:FolderClass><t:DisplayName>${esc(folder.name)}</t:DisplayName>` +
      `<t:TotalCount>${total}</t:TotalCount><t:ChildFolderCount>${children}</t:ChildFolderCount></t:Folder>`
    );
  }

  function messageXml(item: Item, options: { mime: boolean }): string {
    const box = [...mailboxes.values()].find((b) => b.items.get(item.id) === item)!;
    const folder = box.folders.get(item.folderId)!;
    // Types.xsd ItemType then MessageType order: MimeContent, ItemId, ParentFolderId, Subject, DateTimeReceived, Size, InternetMessageId.
    return (
      '<t:Message>' +
      (options.mime ? `<t:MimeContent CharacterSet="UTF-8">${item.mime.toString('base64')}</t:MimeContent>` : '') +
      `<t:ItemId Id="${esc(item.id)}" ChangeKey="${esc(item.changeKey)}"/><t:ParentFolderId Id="${esc(folder.id)}" ChangeKey="${esc(folder.changeKey)}"/>` +
      `<t:Subject>${esc(item.subject)}</t:Subject><t:DateTimeReceived>${item.receivedAt.toISOString().replace(/\.\d+Z$/, 'Z')}</t:DateTimeReceived>` +
      `<t:Size>${item.mime.length}</t:Size>` +
      (item.messageId ? `<t:InternetMessageId>${esc(item.messageId)}</t:InternetMessageId>` : '') +
      '</t:Message>'
    );
  }

  /** CreateItem of a CalendarItem (an appointment a client writes to its Calendar): stored, and its ItemId answered. */
  function createCalendarItem(box: Mailbox, request: Element, element: Element): string {
    const folderElement = childElements(child(request, 'SavedItemFolderId'))[0];
    const folder = (folderElement ? resolveFolder(box, folderElement) : null) ?? byDistinguished(box, 'calendar')!;
    const people = (listName: string) => {
      const list = childElements(element).find((e) => e.localName === listName);
      return childElements(list).map((attendee) => ({ name: text(attendee, 'Name') ?? undefined, address: text(attendee, 'EmailAddress') ?? '' }));
    };
    const data: EwsCalendarData = wholeDays({
      uid: text(element, 'UID') ?? newId(),
      subject: text(element, 'Subject') ?? '',
      start: new Date(text(element, 'Start') ?? ''),
      end: new Date(text(element, 'End') ?? ''),
      allDay: text(element, 'IsAllDayEvent') === 'true',
      location: text(element, 'Location'),
      organizer: { address: box.address },
      required: people('RequiredAttendees'),
      optional: people('OptionalAttendees'),
      ...zoneOfElement(childElements(element).find((e) => e.localName === 'StartTimeZone')),
    });
    const sends = (request.getAttribute('SendMeetingInvitations') ?? 'SendToNone') !== 'SendToNone';
    if (sends && (data.required?.length || data.optional?.length)) Object.assign(data, { invitationsSent: true });
    const item: Item = { id: newId(), changeKey: newChangeKey(), folderId: folder.id, mime: Buffer.alloc(0), receivedAt: new Date(), messageId: null, subject: data.subject, calendar: data, lastModified: new Date() };
    box.items.set(item.id, item);
    record(folder, 'Create', item.id);
    invitations.push({ address: box.address, uid: data.uid, mode: request.getAttribute('SendMeetingInvitations') ?? '' });
    return `<t:CalendarItem><t:ItemId Id="${esc(item.id)}" ChangeKey="${esc(item.changeKey)}"/></t:CalendarItem>`;
  }

  /**
   * UpdateItem of a calendar item (Messages.xsd UpdateItemType): SetItemField of item:Subject, calendar:Start, calendar:End,
   * calendar:IsAllDayEvent and calendar:Location, each holding a <t:CalendarItem> with that one field; DeleteItemField of
   * calendar:Location. Exchange requires SendMeetingInvitationsOrCancellations for calendar items; the mode is remembered.
   */
  function updateCalendarItem(box: Mailbox, request: Element, change: Element, item: Item): string {
    const mode = request.getAttribute('SendMeetingInvitationsOrCancellations');
    if (!mode) return failure('UpdateItem', 'ErrorSendMeetingInvitationsOrCancellationsRequired', 'The SendMeetingInvitationsOrCancellations attribute is required for calendar items.', NO_UPDATED_ITEMS);
    const data = calendarChanges(item.calendar!, change);
    if (typeof data === 'string') return data;
    // An update sent to the attendees is a new version of the meeting for them: Exchange raises its sequence number.
    item.calendar = mode === 'SendToNone' ? data : { ...data, sequence: (data.sequence ?? 0) + 1 };
    updatesSent.set(item.id, mode);
    changed(box, item);
    return success('UpdateItem', `<m:Items><t:CalendarItem><t:ItemId Id="${esc(item.id)}" ChangeKey="${esc(item.changeKey)}"/></t:CalendarItem></m:Items><m:ConflictResults><t:Count>0</t:Count></m:ConflictResults>`);
  }

  /**
   * UpdateItem of one occurrence (its own ItemId): it becomes an exception of its series, and the master gets a new
   * ChangeKey, so SyncFolderItems reports the master as updated. The occurrence's ChangeKey is its master's.
   */
  function updateOccurrenceItem(box: Mailbox, request: Element, change: Element, master: Item, instance: Instance, seenChangeKey: string | null): string {
    const mode = request.getAttribute('SendMeetingInvitationsOrCancellations');
    if (!mode) return failure('UpdateItem', 'ErrorSendMeetingInvitationsOrCancellationsRequired', 'The SendMeetingInvitationsOrCancellations attribute is required for calendar items.', NO_UPDATED_ITEMS);
    if (seenChangeKey && seenChangeKey !== master.changeKey) {
      return failure('UpdateItem', 'ErrorIrresolvableConflict', 'The send or update operation could not be performed because the change key passed in the request does not match the current change key for the item.', '<m:Items/><m:ConflictResults><t:Count>1</t:Count></m:ConflictResults>');
    }
    const current: EwsCalendarData = { ...master.calendar!, start: instance.start, end: instance.end, subject: instance.subject, location: instance.location };
    const data = calendarChanges(current, change);
    if (typeof data === 'string') return data;
    setException(box, master, { originalStart: instance.originalStart, start: data.start, end: data.end, subject: data.subject, location: data.location });
    occurrenceUpdates.push({ address: box.address, uid: master.calendar!.uid, originalStart: instance.originalStart, mode });
    return success('UpdateItem', `<m:Items><t:CalendarItem><t:ItemId Id="${esc(instance.id)}" ChangeKey="${esc(master.changeKey)}"/></t:CalendarItem></m:Items><m:ConflictResults><t:Count>0</t:Count></m:ConflictResults>`);
  }

  /** A StartTimeZone element's Windows id (TimeZoneDefinitionType's Id), as the entry's zone. */
  function zoneOfElement(element: Element | undefined): { timeZone?: string } {
    const id = element?.getAttribute('Id');
    return id ? { timeZone: id } : {};
  }

  /**
   * Exchange keeps an all-day entry from midnight to midnight in its own time zone (StartTimeZone, else UTC): a start
   * within a day moves back to that day's midnight, an end forward to the next one, as Outlook then shows it.
   */
  function wholeDays(data: EwsCalendarData): EwsCalendarData {
    if (!data.allDay || Number.isNaN(data.start.getTime()) || Number.isNaN(data.end.getTime())) return data;
    const zone = zoneOf(data.timeZone);
    const midnight = (at: Date, later: boolean) => {
      const local = toLocal(at, zone);
      const floor = new Date(fromLocal({ ...local, hour: 0, minute: 0, second: 0 }, zone));
      if (!later || floor.getTime() === at.getTime()) return floor;
      const next = new Date(Date.UTC(local.year, local.month - 1, local.day + 1));
      return new Date(fromLocal({ year: next.getUTCFullYear(), month: next.getUTCMonth() + 1, day: next.getUTCDate(), hour: 0, minute: 0, second: 0 }, zone));
    };
    const start = midnight(data.start, false);
    const end = midnight(data.end, true);
    return { ...data, start, end: end > start ? end : midnight(new Date(start.getTime() + 1), true) };
  }

  /** The SetItemField / DeleteItemField changes of one ItemChange applied to a calendar item's data, or the failure to answer. */
  function calendarChanges(current: EwsCalendarData, change: Element): EwsCalendarData | string {
    const noItems = NO_UPDATED_ITEMS;
    let data = current;
    for (const update of childElements(child(change, 'Updates'))) {
      const field = childElements(update).find((e) => e.localName === 'FieldURI')?.getAttribute('FieldURI');
      if (update.localName === 'DeleteItemField') {
        if (field === 'calendar:Location') data = { ...data, location: null };
        continue;
      }
      if (update.localName !== 'SetItemField') continue;
      const holder = childElements(update).find((e) => e.localName === 'CalendarItem');
      if (!holder) return failure('UpdateItem', 'ErrorIncorrectUpdatePropertyCount', 'An object within a change description must contain one and only one property to modify.', noItems);
      const value = childElements(holder)[0]?.textContent ?? '';
      if (field === 'item:Subject') data = { ...data, subject: value };
      else if (field === 'calendar:Start') data = { ...data, start: new Date(value) };
      else if (field === 'calendar:End') data = { ...data, end: new Date(value) };
      else if (field === 'calendar:IsAllDayEvent') data = { ...data, allDay: value === 'true' };
      else if (field === 'calendar:Location') data = { ...data, location: value };
      else if (field === 'calendar:StartTimeZone') data = { ...data, ...zoneOfElement(childElements(holder)[0]) };
    }
    data = wholeDays(data);
    if (Number.isNaN(data.start.getTime()) || Number.isNaN(data.end.getTime())) return failure('UpdateItem', 'ErrorInvalidPropertySet', 'Start and End must be times.', noItems);
    if (data.end < data.start) return failure('UpdateItem', 'ErrorCalendarEndDateIsEarlierThanStartDate', 'EndDate is earlier than StartDate.', noItems);
    return data;
  }

  /**
   * FindItem with a CalendarView (Messages.xsd FindItemType, Types.xsd CalendarViewType: StartDate, EndDate,
   * MaxEntriesReturned): single items and the occurrences and exceptions of series that meet the range, each with its
   * own ItemId, in order of start. More than MaxEntriesReturned: the first ones, IncludesLastItemInRange false.
   */
  function calendarViewOf(box: Mailbox, folder: Folder, view: Element): string {
    const from = new Date(view.getAttribute('StartDate') ?? '');
    const to = new Date(view.getAttribute('EndDate') ?? '');
    if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime()) || to < from) return failure('FindItem', 'ErrorCalendarEndDateIsEarlierThanStartDate', 'EndDate is earlier than StartDate.');
    const max = Number(view.getAttribute('MaxEntriesReturned') ?? Infinity);
    const entries: { start: Date; xml: string }[] = [];
    for (const item of box.items.values()) {
      if (item.folderId !== folder.id || !item.calendar) continue;
      if (item.calendar.recurrence) {
        for (const instance of instancesOf(item, from, to)) entries.push({ start: instance.start, xml: calendarItemXml(item, item.calendar, false, { instance, find: true }) });
      } else if (item.calendar.start < to && item.calendar.end > from) entries.push({ start: item.calendar.start, xml: calendarItemXml(item, item.calendar, false, { find: true }) });
    }
    entries.sort((a, b) => a.start.getTime() - b.start.getTime());
    const page = entries.slice(0, max);
    // A CalendarView is not paged by offset: Exchange's RootFolder has no IndexedPagingOffset for it.
    return success('FindItem', `<m:RootFolder TotalItemsInView="${entries.length}" IncludesLastItemInRange="${page.length === entries.length}"><t:Items>${page.map((e) => e.xml).join('')}</t:Items></m:RootFolder>`);
  }

  /** CreateItem of a Task: stored in the Tasks folder (or the SavedItemFolderId), and its ItemId answered. */
  function createTask(box: Mailbox, request: Element, element: Element): string {
    const folderElement = childElements(child(request, 'SavedItemFolderId'))[0];
    const folder = (folderElement ? resolveFolder(box, folderElement) : null) ?? byDistinguished(box, 'tasks')!;
    const data: EwsTaskData = { subject: '', ...taskFields(element) };
    const item: Item = { id: newId(), changeKey: newChangeKey(), folderId: folder.id, mime: Buffer.alloc(0), receivedAt: new Date(), messageId: null, subject: data.subject, task: data, lastModified: new Date() };
    box.items.set(item.id, item);
    record(folder, 'Create', item.id);
    return `<t:Task><t:ItemId Id="${esc(item.id)}" ChangeKey="${esc(item.changeKey)}"/></t:Task>`;
  }

  /** CreateItem of a Contact: stored in the Contacts folder (or the SavedItemFolderId), and its ItemId answered. */
  function createContact(box: Mailbox, request: Element, element: Element): string {
    const folderElement = childElements(child(request, 'SavedItemFolderId'))[0];
    const folder = (folderElement ? resolveFolder(box, folderElement) : null) ?? byDistinguished(box, 'contacts')!;
    const data = contactFields({}, element);
    const item: Item = { id: newId(), changeKey: newChangeKey(), folderId: folder.id, mime: Buffer.alloc(0), receivedAt: new Date(), messageId: null, subject: data.displayName ?? '', contact: data, lastModified: new Date() };
    box.items.set(item.id, item);
    record(folder, 'Create', item.id);
    return `<t:Contact><t:ItemId Id="${esc(item.id)}" ChangeKey="${esc(item.changeKey)}"/></t:Contact>`;
  }

  /**
   * The contact fields a client wrote in a <t:Contact> (CreateItem, or one field of UpdateItem's SetItemField), over
   * `into`. Types.xsd EmailAddressDictionaryEntryType / PhoneNumberDictionaryEntryType: one Entry per Key.
   */
  function contactFields(into: EwsContactData, element: Element): EwsContactData {
    const fields: { -readonly [K in keyof EwsContactData]?: EwsContactData[K] } = { ...into };
    for (const field of childElements(element)) {
      const value = field.textContent ?? '';
      switch (field.localName) {
        case 'GivenName':
        case 'Surname':
        case 'DisplayName':
        case 'CompanyName':
        case 'JobTitle':
          fields[(field.localName[0].toLowerCase() + field.localName.slice(1)) as 'givenName'] = value;
          break;
        case 'Categories':
          fields.categories = childElements(field).map((c) => c.textContent ?? '');
          break;
        case 'EmailAddresses': {
          const slots = [...(fields.emails ?? [])];
          for (const entry of childElements(field)) slots[Number((entry.getAttribute('Key') ?? '').replace('EmailAddress', '')) - 1] = entry.textContent ?? '';
          fields.emails = Array.from({ length: slots.length }, (_, i) => slots[i] ?? '');
          break;
        }
        case 'PhoneNumbers':
          for (const entry of childElements(field)) {
            if (entry.getAttribute('Key') === 'BusinessPhone') fields.businessPhone = entry.textContent ?? '';
            if (entry.getAttribute('Key') === 'MobilePhone') fields.mobilePhone = entry.textContent ?? '';
          }
          break;
        case 'ExtendedProperty': {
          const name = childElements(field).find((e) => e.localName === 'ExtendedFieldURI')?.getAttribute('PropertyName');
          if (name) fields.extended = { ...(fields.extended ?? {}), [name]: text(field, 'Value') ?? '' };
          break;
        }
      }
    }
    return fields;
  }

  /** Messages.xsd UpdateItemType's changes to a contact: SetItemField of a field or a dictionary entry, DeleteItemField of either. */
  function updatedContact(current: EwsContactData, updates: Element[]): EwsContactData {
    let data: { -readonly [K in keyof EwsContactData]?: EwsContactData[K] } = { ...current };
    for (const update of updates) {
      const uri = childElements(update).find((e) => e.localName === 'FieldURI' || e.localName === 'IndexedFieldURI');
      if (update.localName === 'SetItemField') {
        const holder = childElements(update).find((e) => e.localName === 'Contact');
        if (holder) data = contactFields(data, holder);
      } else if (update.localName === 'DeleteItemField' && uri) {
        const field = uri.getAttribute('FieldURI');
        const index = uri.getAttribute('FieldIndex');
        if (field === 'contacts:EmailAddress' && index) data.emails = (data.emails ?? []).map((e, i) => (`EmailAddress${i + 1}` === index ? '' : e));
        else if (field === 'contacts:PhoneNumber' && index === 'BusinessPhone') delete data.businessPhone;
        else if (field === 'contacts:PhoneNumber' && index === 'MobilePhone') delete data.mobilePhone;
        else if (field === 'item:Categories') data.categories = [];
        else if (field?.startsWith('contacts:')) {
          const name = field.slice('contacts:'.length);
          delete data[(name[0].toLowerCase() + name.slice(1)) as 'givenName'];
        }
      }
    }
    return data;
  }

  /** The task fields a client wrote in a <t:Task> (CreateItem, or one field of UpdateItem's SetItemField over `current`). */
  function taskFields(element: Element, current: Partial<EwsTaskData> = {}): Partial<EwsTaskData> {
    const fields: { -readonly [K in keyof EwsTaskData]?: EwsTaskData[K] } = {};
    for (const field of childElements(element)) {
      const value = field.textContent ?? '';
      switch (field.localName) {
        case 'Subject':
          fields.subject = value;
          break;
        case 'Body':
          fields.notes = value;
          break;
        case 'Importance':
          fields.importance = value as EwsTaskData['importance'];
          break;
        case 'Sensitivity':
          fields.sensitivity = value as EwsTaskData['sensitivity'];
          break;
        case 'Categories':
          fields.categories = childElements(field).map((c) => c.textContent ?? '');
          break;
        case 'Status':
          // The later of Status and PercentComplete wins (the Status element reference): a status sets the progress it implies.
          fields.status = value as EwsTaskData['status'];
          if (value === 'Completed') fields.percentComplete = 100;
          if (value === 'NotStarted') fields.percentComplete = 0;
          break;
        case 'PercentComplete': {
          const percent = Math.min(100, Math.max(0, Number(value) || 0));
          const status = fields.status ?? current.status;
          fields.percentComplete = percent;
          // 100 % completes the task (as CompleteDate and Status Completed do); progress on a task not started, or less
          // than all of a completed one, puts it in progress (MS-OXOTASK PidLidTaskStatus).
          if (percent === 100) fields.status = 'Completed';
          else if (status === 'Completed' || ((status === undefined || status === 'NotStarted') && percent > 0)) fields.status = percent > 0 ? 'InProgress' : 'NotStarted';
          break;
        }
        case 'DueDate':
          // Exchange keeps the day, at midnight where the mailbox is (here: UTC).
          fields.dueDate = new Date(`${new Date(value).toISOString().slice(0, 10)}T00:00:00.000Z`);
          break;
        case 'StartDate':
          fields.startDate = new Date(`${new Date(value).toISOString().slice(0, 10)}T00:00:00.000Z`);
          break;
        case 'ExtendedProperty': {
          const uri = childElements(field).find((e) => e.localName === 'ExtendedFieldURI');
          const name = uri?.getAttribute('PropertyName');
          if (name) fields.extended = { ...(fields.extended ?? {}), [name]: text(field, 'Value') ?? '' };
          break;
        }
      }
    }
    return fields;
  }

  /** A changed item: new ChangeKey and LastModifiedTime, an Update in its folder's changes. */
  function changed(box: Mailbox, item: Item, modifiedAt = new Date()): void {
    item.changeKey = newChangeKey();
    item.lastModified = modifiedAt;
    record(box.folders.get(item.folderId)!, 'Update', item.id);
  }

  /** Types.xsd ItemType then TaskType, in schema order; SyncFolderItems lists only the ItemId (IdOnly). */
  function taskXml(item: Item, data: EwsTaskData, idOnly: boolean): string {
    const box = [...mailboxes.values()].find((b) => b.items.get(item.id) === item)!;
    const folder = box.folders.get(item.folderId)!;
    const time = (date: Date) => date.toISOString().replace(/\.\d+Z$/, 'Z');
    const id = `<t:ItemId Id="${esc(item.id)}" ChangeKey="${esc(item.changeKey)}"/>`;
    if (idOnly) return `<t:Task>${id}</t:Task>`;
    const complete = data.status === 'Completed';
    return (
      `<t:Task>${id}<t:ParentFolderId Id="${esc(folder.id)}" ChangeKey="${esc(folder.changeKey)}"/>` +
      `<t:ItemClass>IPM.Task</t:ItemClass><t:Subject>${esc(data.subject)}</t:Subject><t:Sensitivity>${data.sensitivity ?? 'Normal'}</t:Sensitivity>` +
      `<t:Body BodyType="Text">${esc(data.notes ?? '')}</t:Body>` +
      (data.categories?.length ? `<t:Categories>${data.categories.map((c) => `<t:String>${esc(c)}</t:String>`).join('')}</t:Categories>` : '') +
      `<t:Importance>${data.importance ?? 'Normal'}</t:Importance>` +
      Object.entries(data.extended ?? {}).map(([name, value]) => `<t:ExtendedProperty><t:ExtendedFieldURI DistinguishedPropertySetId="PublicStrings" PropertyName="${esc(name)}" PropertyType="String"/><t:Value>${esc(value)}</t:Value></t:ExtendedProperty>`).join('') +
      `<t:LastModifiedTime>${time(item.lastModified ?? item.receivedAt)}</t:LastModifiedTime>` +
      (data.dueDate ? `<t:DueDate>${time(data.dueDate)}</t:DueDate>` : '') +
      `<t:IsComplete>${complete}</t:IsComplete><t:IsRecurring>false</t:IsRecurring><t:PercentComplete>${complete ? 100 : data.percentComplete ?? 0}</t:PercentComplete>` +
      (data.startDate ? `<t:StartDate>${time(data.startDate)}</t:StartDate>` : '') +
      `<t:Status>${data.status ?? 'NotStarted'}</t:Status>` +
      '</t:Task>'
    );
  }

  /** Types.xsd ItemType then ContactItemType, in schema order; SyncFolderItems lists only the ItemId (IdOnly). */
  function contactXml(item: Item, data: EwsContactData, idOnly: boolean): string {
    const box = [...mailboxes.values()].find((b) => b.items.get(item.id) === item)!;
    const folder = box.folders.get(item.folderId)!;
    const id = `<t:ItemId Id="${esc(item.id)}" ChangeKey="${esc(item.changeKey)}"/>`;
    if (idOnly) return `<t:Contact>${id}</t:Contact>`;
    const element = (name: string, value: string | undefined) => (value ? `<t:${name}>${esc(value)}</t:${name}>` : '');
    const phones = [['BusinessPhone', data.businessPhone], ['MobilePhone', data.mobilePhone]].filter(([, v]) => v);
    const emails = (data.emails ?? []).slice(0, 3).flatMap((e, i) => (e ? [`<t:Entry Key="EmailAddress${i + 1}">${esc(e)}</t:Entry>`] : []));
    return (
      `<t:Contact>${id}<t:ParentFolderId Id="${esc(folder.id)}" ChangeKey="${esc(folder.changeKey)}"/>` +
      `<t:ItemClass>IPM.Contact</t:ItemClass>${element('Subject', data.displayName)}<t:Sensitivity>Normal</t:Sensitivity>` +
      (data.categories?.length ? `<t:Categories>${data.categories.map((c) => `<t:String>${esc(c)}</t:String>`).join('')}</t:Categories>` : '') +
      Object.entries(data.extended ?? {}).map(([name, value]) => `<t:ExtendedProperty><t:ExtendedFieldURI DistinguishedPropertySetId="PublicStrings" PropertyName="${esc(name)}" PropertyType="String"/><t:Value>${esc(value)}</t:Value></t:ExtendedProperty>`).join('') +
      `<t:LastModifiedTime>${(item.lastModified ?? item.receivedAt).toISOString().replace(/\.\d+Z$/, 'Z')}</t:LastModifiedTime>` +
      element('DisplayName', data.displayName) + element('GivenName', data.givenName) + element('CompanyName', data.companyName) +
      (emails.length ? `<t:EmailAddresses>${emails.join('')}</t:EmailAddresses>` : '') +
      (phones.length ? `<t:PhoneNumbers>${phones.map(([k, v]) => `<t:Entry Key="${k}">${esc(v!)}</t:Entry>`).join('')}</t:PhoneNumbers>` : '') +
      element('JobTitle', data.jobTitle) + element('Surname', data.surname) +
      '</t:Contact>'
    );
  }

  function itemXml(item: Item, options: { mime: boolean; idOnly: boolean }): string {
    if (item.task) return taskXml(item, item.task, options.idOnly);
    if (item.contact) return contactXml(item, item.contact, options.idOnly);
    return item.calendar ? calendarItemXml(item, item.calendar, options.idOnly) : messageXml(item, options);
  }

  /**
   * Types.xsd ItemType then CalendarItemType, in schema order; SyncFolderItems lists only the ItemId (IdOnly). With
   * `instance`, one occurrence or exception of the series `item` is; FindItem (`find`) leaves out the attendees, as Exchange does.
   */
  function calendarItemXml(item: Item, master: EwsCalendarData, idOnly: boolean, options: { instance?: Instance; find?: boolean } = {}): string {
    const { instance } = options;
    const data: EwsCalendarData = instance ? { ...master, start: instance.start, end: instance.end, subject: instance.subject, location: instance.location } : master;
    const box = [...mailboxes.values()].find((b) => b.items.get(item.id) === item)!;
    const folder = box.folders.get(item.folderId)!;
    const time = (date: Date) => date.toISOString().replace(/\.\d+Z$/, 'Z');
    const mailbox = (who: { name?: string; address: string }) => `<t:Mailbox>${who.name ? `<t:Name>${esc(who.name)}</t:Name>` : ''}<t:EmailAddress>${esc(who.address)}</t:EmailAddress><t:RoutingType>SMTP</t:RoutingType><t:MailboxType>Mailbox</t:MailboxType></t:Mailbox>`;
    const attendees = (list: readonly { name?: string; address: string }[] | undefined) => (list ?? []).map((who) => `<t:Attendee>${mailbox(who)}<t:ResponseType>Unknown</t:ResponseType></t:Attendee>`).join('');
    const id = `<t:ItemId Id="${esc(instance?.id ?? item.id)}" ChangeKey="${esc(item.changeKey)}"/>`;
    if (idOnly) return `<t:CalendarItem>${id}</t:CalendarItem>`;
    const isMeeting = (data.required?.length ?? 0) + (data.optional?.length ?? 0) > 0;
    const type = instance?.type ?? (data.recurrence ? 'RecurringMaster' : 'Single');
    const occurrenceInfo = (o: Instance) => `<t:ItemId Id="${esc(o.id)}" ChangeKey="${esc(item.changeKey)}"/><t:Start>${time(o.start)}</t:Start><t:End>${time(o.end)}</t:End><t:OriginalStart>${time(o.originalStart)}</t:OriginalStart>`;
    return (
      `<t:CalendarItem>${id}<t:ParentFolderId Id="${esc(folder.id)}" ChangeKey="${esc(folder.changeKey)}"/>` +
      `<t:ItemClass>IPM.Appointment</t:ItemClass><t:Subject>${esc(data.subject)}</t:Subject><t:Sensitivity>${data.sensitivity ?? 'Normal'}</t:Sensitivity>` +
      `<t:LastModifiedTime>${time(item.lastModified ?? item.receivedAt)}</t:LastModifiedTime>` +
      `<t:UID>${esc(data.uid)}</t:UID>` +
      (instance ? `<t:RecurrenceId>${time(instance.originalStart)}</t:RecurrenceId>` : '') +
      `<t:Start>${time(data.start)}</t:Start><t:End>${time(data.end)}</t:End>` +
      (instance ? `<t:OriginalStart>${time(instance.originalStart)}</t:OriginalStart>` : '') +
      `<t:IsAllDayEvent>${data.allDay ?? false}</t:IsAllDayEvent>` +
      (data.location ? `<t:Location>${esc(data.location)}</t:Location>` : '') +
      `<t:IsMeeting>${isMeeting}</t:IsMeeting><t:IsCancelled>${data.cancelled ?? false}</t:IsCancelled><t:IsRecurring>${type !== 'Single'}</t:IsRecurring>` +
      `<t:MeetingRequestWasSent>${data.invitationsSent ?? false}</t:MeetingRequestWasSent><t:CalendarItemType>${type}</t:CalendarItemType>` +
      // Types.xsd ResponseTypeType: the mailbox's own part in the meeting.
      `<t:MyResponseType>${data.organizer.address.toLowerCase() === box.address.toLowerCase() ? 'Organizer' : 'NoResponseReceived'}</t:MyResponseType>` +
      `<t:Organizer>${mailbox(data.organizer)}</t:Organizer>` +
      (!options.find && data.required?.length ? `<t:RequiredAttendees>${attendees(data.required)}</t:RequiredAttendees>` : '') +
      (!options.find && data.optional?.length ? `<t:OptionalAttendees>${attendees(data.optional)}</t:OptionalAttendees>` : '') +
      `<t:AppointmentSequenceNumber>${data.sequence ?? 0}</t:AppointmentSequenceNumber>` +
      (type === 'RecurringMaster' && !options.find ? seriesXml(item, data, occurrenceInfo) : '') +
      // A single entry kept in a zone of its own says which (Types.xsd CalendarItemType StartTimeZone, after DeletedOccurrences).
      (type === 'Single' && data.timeZone && !options.find ? timeZoneDefinitionXml('StartTimeZone', data.timeZone) : '') +
      '</t:CalendarItem>'
    );
  }

  /**
   * A master's Recurrence, FirstOccurrence, LastOccurrence (a series with an end only), ModifiedOccurrences,
   * DeletedOccurrences and StartTimeZone (Types.xsd CalendarItemType, in that order).
   */
  function seriesXml(item: Item, data: EwsCalendarData, occurrenceInfo: (o: Instance) => string): string {
    const recurrence = data.recurrence!;
    const all = instancesOf(item, new Date(0), new Date(8.64e15));
    const ends = Boolean(recurrence.EndDateRecurrence || recurrence.NumberedRecurrence);
    const field = (name: string, value: string | number | undefined) => (value === undefined ? '' : `<t:${name}>${esc(String(value))}</t:${name}>`);
    const patterns: [string, Record<string, string | number | undefined>][] = [
      ['RelativeYearlyRecurrence', { DaysOfWeek: recurrence.RelativeYearlyRecurrence?.DaysOfWeek, DayOfWeekIndex: recurrence.RelativeYearlyRecurrence?.DayOfWeekIndex, Month: recurrence.RelativeYearlyRecurrence?.Month }],
      ['AbsoluteYearlyRecurrence', { DayOfMonth: recurrence.AbsoluteYearlyRecurrence?.DayOfMonth, Month: recurrence.AbsoluteYearlyRecurrence?.Month }],
      ['RelativeMonthlyRecurrence', { Interval: recurrence.RelativeMonthlyRecurrence?.Interval, DaysOfWeek: recurrence.RelativeMonthlyRecurrence?.DaysOfWeek, DayOfWeekIndex: recurrence.RelativeMonthlyRecurrence?.DayOfWeekIndex }],
      ['AbsoluteMonthlyRecurrence', { Interval: recurrence.AbsoluteMonthlyRecurrence?.Interval, DayOfMonth: recurrence.AbsoluteMonthlyRecurrence?.DayOfMonth }],
      ['WeeklyRecurrence', { Interval: recurrence.WeeklyRecurrence?.Interval, DaysOfWeek: recurrence.WeeklyRecurrence?.DaysOfWeek, FirstDayOfWeek: recurrence.WeeklyRecurrence?.FirstDayOfWeek }],
      ['DailyRecurrence', { Interval: recurrence.DailyRecurrence?.Interval }],
    ];
    const pattern = patterns.filter(([name]) => recurrence[name as keyof EwsRecurrence]).map(([name, fields]) => `<t:${name}>${Object.entries(fields).map(([k, v]) => field(k, v)).join('')}</t:${name}>`).join('');
    const startDate = field('StartDate', (recurrence.NoEndRecurrence ?? recurrence.EndDateRecurrence ?? recurrence.NumberedRecurrence)!.StartDate);
    const range = recurrence.NoEndRecurrence
      ? `<t:NoEndRecurrence>${startDate}</t:NoEndRecurrence>`
      : recurrence.EndDateRecurrence
        ? `<t:EndDateRecurrence>${startDate}${field('EndDate', recurrence.EndDateRecurrence.EndDate)}</t:EndDateRecurrence>`
        : `<t:NumberedRecurrence>${startDate}${field('NumberOfOccurrences', recurrence.NumberedRecurrence!.NumberOfOccurrences)}</t:NumberedRecurrence>`;
    const modified = all.filter((o) => o.type === 'Exception');
    const deleted = data.deletedOccurrences ?? [];
    const time = (date: Date) => date.toISOString().replace(/\.\d+Z$/, 'Z');
    return (
      `<t:Recurrence>${pattern}${range}</t:Recurrence>` +
      (all.length ? `<t:FirstOccurrence>${occurrenceInfo(all[0])}</t:FirstOccurrence>` : '') +
      (ends && all.length ? `<t:LastOccurrence>${occurrenceInfo(all[all.length - 1])}</t:LastOccurrence>` : '') +
      (modified.length ? `<t:ModifiedOccurrences>${modified.map((o) => `<t:Occurrence>${occurrenceInfo(o)}</t:Occurrence>`).join('')}</t:ModifiedOccurrences>` : '') +
      (deleted.length ? `<t:DeletedOccurrences>${deleted.map((d) => `<t:DeletedOccurrence><t:Start>${time(d)}</t:Start></t:DeletedOccurrence>`).join('')}</t:DeletedOccurrences>` : '') +
      timeZoneDefinitionXml('StartTimeZone', data.timeZone)
    );
  }

  function matches(item: Item, condition: Element): boolean {
    const field = childElements(condition).find((e) => e.localName === 'FieldURI')?.getAttribute('FieldURI');
    const constant = condition.getElementsByTagNameNS(TYPES_NS, 'Constant')[0]?.getAttribute('Value') ?? '';
    if (field === 'message:InternetMessageId' && condition.localName === 'IsEqualTo') return item.messageId === constant;
    if (field === 'item:DateTimeReceived' && condition.localName === 'IsGreaterThanOrEqualTo') return item.receivedAt.getTime() >= new Date(constant).getTime();
    throw new Error(`the EWS test server does not implement the restriction ${condition.localName} on ${field}`);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/EWS/Exchange.asmx`,
    documents,
    streaming,
    addUser(address, options) {
      const box: Mailbox = { address: address.toLowerCase(), password: options.password, canImpersonate: options.canImpersonate ?? false, accessToken: options.accessToken ?? null, folders: new Map(), items: new Map(), subscriptions: new Map(), hierarchyLog: [] };
      const ids = new Map<string, string>();
      for (const [name, display, folderClass, parent] of DISTINGUISHED) {
        const id = newId();
        ids.set(name, id);
        box.folders.set(id, { id, changeKey: newChangeKey(), parentId: parent ? ids.get(parent)! : null, name: display, distinguished: name, folderClass, log: [] });
        recordFolder(box, 'Create', box.folders.get(id)!);
      }
      mailboxes.set(box.address, box);
    },
    deliver(address, folderPath, mime, options = {}) {
      const box = mailboxOf(address);
      return store(box, folderAt(box, folderPath), mime, options.receivedAt ?? new Date());
    },
    createFolder(address, parentPath, name) {
      const box = mailboxOf(address);
      const parent = folderAt(box, parentPath);
      const id = newId();
      box.folders.set(id, { id, changeKey: newChangeKey(), parentId: parent.id, name, distinguished: null, folderClass: 'IPF.Note', log: [] });
      recordFolder(box, 'Create', box.folders.get(id)!);
      return id;
    },
    renameFolder(address, folderPath, newName) {
      const box = mailboxOf(address);
      const folder = folderAt(box, folderPath);
      folder.name = newName;
      recordFolder(box, 'Update', folder);
    },
    moveFolder(address, folderPath, newParentPath) {
      const box = mailboxOf(address);
      const folder = folderAt(box, folderPath);
      folder.parentId = folderAt(box, newParentPath).id;
      recordFolder(box, 'Update', folder);
    },
    deleteFolder(address, folderPath, options = {}) {
      const box = mailboxOf(address);
      const folder = folderAt(box, folderPath);
      if (!options.hard) {
        folder.parentId = byDistinguished(box, 'deleteditems')!.id;
        recordFolder(box, 'Update', folder);
        return;
      }
      const doomed = new Set([folder.id]);
      for (let grew = true; grew; ) {
        grew = false;
        for (const f of box.folders.values()) if (f.parentId && doomed.has(f.parentId) && !doomed.has(f.id)) doomed.add(f.id), (grew = true);
      }
      for (const id of doomed) {
        recordFolder(box, 'Delete', box.folders.get(id)!);
        box.folders.delete(id);
      }
      for (const item of [...box.items.values()]) if (doomed.has(item.folderId)) box.items.delete(item.id);
    },
    moveItem(address, itemId, folderPath) {
      const box = mailboxOf(address);
      const item = box.items.get(itemId)!;
      record(box.folders.get(item.folderId)!, 'Delete', item.id);
      place(box, item, folderAt(box, folderPath));
    },
    addCalendarItem(address, data) {
      const box = mailboxOf(address);
      const folder = byDistinguished(box, 'calendar')!;
      const item: Item = { id: newId(), changeKey: newChangeKey(), folderId: folder.id, mime: Buffer.alloc(0), receivedAt: new Date(), messageId: null, subject: data.subject, calendar: data, lastModified: new Date() };
      box.items.set(item.id, item);
      record(folder, 'Create', item.id);
      return item.id;
    },
    occurrenceId(address, masterId, originalStart) {
      mailboxOf(address);
      return occurrenceIdOf(masterId, originalStart);
    },
    updateOccurrence(address, masterId, originalStart, patch) {
      const box = mailboxOf(address);
      const found = instanceAt(box, occurrenceIdOf(masterId, originalStart));
      if (!found) throw new Error(`no occurrence at ${originalStart.toISOString()} in the series ${masterId}`);
      setException(box, found.master, { ...patch, originalStart });
    },
    deleteOccurrence(address, masterId, originalStart) {
      const box = mailboxOf(address);
      const found = instanceAt(box, occurrenceIdOf(masterId, originalStart));
      if (!found) throw new Error(`no occurrence at ${originalStart.toISOString()} in the series ${masterId}`);
      deleteOccurrenceOf(box, found.master, originalStart);
    },
    updateCalendarItem(address, itemId, patch, options) {
      const box = mailboxOf(address);
      const item = box.items.get(itemId)!;
      item.calendar = { ...item.calendar!, ...patch };
      changed(box, item, options?.modifiedAt);
    },
    calendarItems(address) {
      const box = mailboxOf(address);
      const calendar = byDistinguished(box, 'calendar')!;
      return [...box.items.values()]
        .filter((item) => item.calendar && item.folderId === calendar.id)
        .map((item) => ({
          ...item.calendar!, itemId: item.id, changeKey: item.changeKey,
          sendMeetingInvitations: invitations.find((i) => i.address === box.address && i.uid === item.calendar!.uid)?.mode ?? null, updateSent: updatesSent.get(item.id) ?? null,
        }));
    },
    occurrenceUpdates(address) {
      const box = mailboxOf(address);
      return occurrenceUpdates.filter((u) => u.address === box.address).map(({ uid, originalStart, mode }) => ({ uid, originalStart, mode }));
    },
    calendarDeletions(address) {
      const box = mailboxOf(address);
      return calendarDeletions.filter((d) => d.address === box.address).map(({ uid, mode, originalStart }) => ({ uid, mode, ...(originalStart ? { originalStart } : {}) }));
    },
    addTask(address, data) {
      const box = mailboxOf(address);
      const folder = byDistinguished(box, 'tasks')!;
      const item: Item = { id: newId(), changeKey: newChangeKey(), folderId: folder.id, mime: Buffer.alloc(0), receivedAt: new Date(), messageId: null, subject: data.subject, task: data, lastModified: new Date() };
      box.items.set(item.id, item);
      record(folder, 'Create', item.id);
      return item.id;
    },
    updateTask(address, itemId, patch, options = {}) {
      const box = mailboxOf(address);
      const item = box.items.get(itemId)!;
      item.task = { ...item.task!, ...patch };
      changed(box, item, options.modifiedAt);
    },
    tasks(address) {
      const box = mailboxOf(address);
      const tasks = byDistinguished(box, 'tasks')!;
      return [...box.items.values()].filter((item) => item.task && item.folderId === tasks.id).map((item) => ({ ...item.task!, itemId: item.id, changeKey: item.changeKey, lastModified: item.lastModified ?? item.receivedAt }));
    },
    addContact(address, data) {
      const box = mailboxOf(address);
      const folder = byDistinguished(box, 'contacts')!;
      const item: Item = { id: newId(), changeKey: newChangeKey(), folderId: folder.id, mime: Buffer.alloc(0), receivedAt: new Date(), messageId: null, subject: data.displayName ?? '', contact: data, lastModified: new Date() };
      box.items.set(item.id, item);
      record(folder, 'Create', item.id);
      return item.id;
    },
    updateContact(address, itemId, patch, options = {}) {
      const box = mailboxOf(address);
      const item = box.items.get(itemId)!;
      item.contact = { ...item.contact!, ...patch };
      changed(box, item, options.modifiedAt);
    },
    contacts(address) {
      const box = mailboxOf(address);
      const folder = byDistinguished(box, 'contacts')!;
      return [...box.items.values()]
        .filter((item) => item.contact && item.folderId === folder.id)
        .map((item) => ({ ...item.contact!, emails: (item.contact!.emails ?? []).filter(Boolean), itemId: item.id, changeKey: item.changeKey, lastModified: item.lastModified ?? item.receivedAt }));
    },
    setWorkHours(address, windowsZone, options = {}) {
      const calendar = byDistinguished(mailboxOf(address), 'calendar')!;
      const xmlData = options.xmlData ?? (windowsZone === null ? null : workHoursXml(windowsZone));
      userConfigurations.set(calendar.id, 'WorkHours', xmlData ? { xmlData } : null);
    },
    setOwaTimeZone(address, windowsZone) {
      const root = byDistinguished(mailboxOf(address), 'msgfolderroot')!;
      userConfigurations.set(root.id, 'OWA.UserOptions', windowsZone === null ? null : { dictionary: owaUserOptions(windowsZone) });
    },
    moveToDeletedItems(address, itemId) {
      const box = mailboxOf(address);
      discard(box, box.items.get(itemId)!);
    },
    deleteItem(address, itemId) {
      const box = mailboxOf(address);
      const item = box.items.get(itemId)!;
      record(box.folders.get(item.folderId)!, 'Delete', item.id);
      box.items.delete(itemId);
    },
    items(address, folderPath) {
      const box = mailboxOf(address);
      const folder = folderAt(box, folderPath);
      return [...box.items.values()].filter((i) => i.folderId === folder.id).map((i) => ({ itemId: i.id, messageId: i.messageId, subject: i.subject }));
    },
    sent: (address) => [...(sentLists.get(address.toLowerCase()) ?? [])],
    failNext(operation, kind, options = {}) {
      failures.set(operation, { failure: kind, backOffMs: options.backOffMs ?? 50, mailbox: options.mailbox?.toLowerCase() ?? null });
    },
    requests: () => [...log],
    forgetSubscriptions(address) {
      const box = mailboxOf(address);
      box.subscriptions.clear();
      for (const stream of streams) if (stream.box === box) stream.drop();
    },
    dropStreams(address) {
      const box = mailboxOf(address);
      const open = [...streams].filter((stream) => stream.box === box);
      for (const stream of open) stream.drop();
      return open.length;
    },
    openStreams: (address) => [...streams].filter((stream) => stream.box === mailboxOf(address)).length,
    setPassword(address, password) {
      mailboxOf(address).password = password;
    },
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close').catch(() => undefined);
    },
  };
}

const NO_UPDATED_ITEMS = '<m:Items/><m:ConflictResults><t:Count>0</t:Count></m:ConflictResults>';

function impersonationFault(account: string, target: string): string {
  return (
    '<?xml version="1.0" encoding="utf-8"?>' +
    `<s:Envelope xmlns:s="${SOAP_NS}"><s:Body><s:Fault>` +
    `<faultcode xmlns:a="${TYPES_NS}">a:ErrorImpersonateUserDenied</faultcode>` +
    `<faultstring xml:lang="en-US">The account ${esc(account)} does not have permission to impersonate the requested user ${esc(target)}.</faultstring>` +
    `<detail><e:ResponseCode xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">ErrorImpersonateUserDenied</e:ResponseCode>` +
    `<e:Message xmlns:e="http://schemas.microsoft.com/exchange/services/2006/errors">The account does not have permission to impersonate the requested user.</e:Message></detail>` +
    '</s:Fault></s:Body></s:Envelope>'
  );
}

/** SyncFolderHierarchy's and SyncFolderItems' own elements when it failed: an empty SyncState and changes (Messages.xsd SyncFolderHierarchyResponseMessageType, SyncFolderItemsResponseMessageType). */
const hierarchyEmpty = () => '<m:SyncState/><m:IncludesLastFolderInRange>true</m:IncludesLastFolderInRange><m:Changes/>';
const syncEmpty = () => '<m:SyncState/><m:IncludesLastItemInRange>true</m:IncludesLastItemInRange><m:Changes/>';
const syncStateOf = (folderId: string, upTo: number) => Buffer.from(JSON.stringify({ f: folderId, s: upTo })).toString('base64');
const watermarkOf = (value: number) => Buffer.from(`wm:${value}`).toString('base64');

function parseSyncState(state: string): { folderId: string; seq: number } | null {
  try {
    const parsed = JSON.parse(Buffer.from(state, 'base64').toString('utf8')) as { f?: unknown; s?: unknown };
    return typeof parsed.f === 'string' && typeof parsed.s === 'number' ? { folderId: parsed.f, seq: parsed.s } : null;
  } catch {
    return null;
  }
}

/** Every address in To, Cc and Bcc: Exchange takes the envelope from the MIME it is given. */
function envelopeRecipients(mime: Buffer): string[] {
  const headers = mime.toString('utf8').split(/\r?\n\r?\n/)[0].replace(/\r?\n[ \t]+/g, ' ');
  const found: string[] = [];
  for (const line of headers.split(/\r?\n/)) {
    if (!/^(to|cc|bcc):/i.test(line)) continue;
    for (const match of line.matchAll(/[\w.+'-]+@[\w.-]+\w/g)) found.push(match[0].toLowerCase());
  }
  return found;
}

function firstElement(node: Element): Element | null {
  return childElements(node)[0] ?? null;
}

function childElements(node: Element | null | undefined): Element[] {
  if (!node) return [];
  const found: Element[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) if (c.nodeType === 1) found.push(c as Element);
  return found;
}

function child(node: Element, localName: string): Element | undefined {
  return childElements(node).find((e) => e.localName === localName) ?? findDeep(node, localName);
}

function findDeep(node: Element, localName: string): Element | undefined {
  for (const ns of [MESSAGES_NS, TYPES_NS]) {
    const found = node.getElementsByTagNameNS(ns, localName)[0];
    if (found) return found as Element;
  }
  return undefined;
}

function text(node: Element | undefined, localName: string): string | null {
  if (!node) return null;
  const found = findDeep(node, localName);
  return found?.textContent ?? null;
}

function fieldUris(request: Element): string[] {
  return Array.from(request.getElementsByTagNameNS(TYPES_NS, 'FieldURI')).map((e) => (e as Element).getAttribute('FieldURI') ?? '');
}

function paging(request: Element, viewName: string): { offset: number; max: number } {
  const view = findDeep(request, viewName);
  return { offset: Number(view?.getAttribute('Offset') ?? 0), max: Number(view?.getAttribute('MaxEntriesReturned') ?? 1000) };
}
