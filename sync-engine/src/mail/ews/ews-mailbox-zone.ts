import { DOMParser, FolderId, ServiceError, UserConfiguration, UserConfigurationProperties, WellKnownFolderName } from 'ews-javascript-api';
import { ianaZoneOf } from '../../two-way/ews/windows-zones.js';
import { isTransient, MailError } from '../mail-error.js';
import type { EwsSession } from './ews-service.js';

/** Where a mailbox's time zone was read: Outlook's working hours, or the zone picked in Outlook on the web. */
export type MailboxZoneSource = 'WORK_HOURS' | 'OWA_OPTIONS';

/** A mailbox's own time zone. `zone` is null exactly when `problem` says why. */
export interface MailboxTimeZone {
  /** The IANA id. */
  readonly zone: string | null;
  /** The Windows id the mailbox holds, also one the Windows→IANA table does not know. */
  readonly windowsZone: string | null;
  readonly source: MailboxZoneSource | null;
  readonly problem: string | null;
}

/** What one configuration says: a Windows time zone id, or why it gives none. */
export type ZoneReading = { readonly windowsZone: string } | { readonly problem: string };

interface ZoneSource {
  readonly source: MailboxZoneSource;
  readonly label: string;
  read(session: EwsSession, signal: AbortSignal | undefined): Promise<ZoneReading>;
}

// MS-OXOCFG 2.2.5.2.1: Outlook (and OWA) keep the working hours, time zone included, in the Calendar's "WorkHours"
// configuration; OWA also keeps the zone its user picked in "OWA.UserOptions" in the mailbox root.
const SOURCES: readonly ZoneSource[] = [
  {
    source: 'WORK_HOURS',
    label: 'WorkHours in the Calendar',
    async read(session, signal) {
      const bound = await bindConfiguration(session, 'WorkHours', WellKnownFolderName.Calendar, UserConfigurationProperties.XmlData, signal);
      if ('problem' in bound) return bound;
      const xmlData: unknown = bound.configuration.XmlData;
      return typeof xmlData === 'string' && xmlData ? readWorkHoursZone(Buffer.from(xmlData, 'base64')) : { problem: 'it holds no XmlData' };
    },
  },
  {
    source: 'OWA_OPTIONS',
    label: 'OWA.UserOptions in the mailbox root',
    async read(session, signal) {
      const bound = await bindConfiguration(session, 'OWA.UserOptions', WellKnownFolderName.MsgFolderRoot, UserConfigurationProperties.Dictionary, signal);
      if ('problem' in bound) return bound;
      const dictionary = bound.configuration.Dictionary;
      const value: unknown = dictionary.ContainsKey(OWA_TIME_ZONE_KEY) ? dictionary._getItem(OWA_TIME_ZONE_KEY) : null;
      return typeof value === 'string' && value.trim() ? { windowsZone: value.trim() } : { problem: `it has no "${OWA_TIME_ZONE_KEY}" entry` };
    },
  },
];

const OWA_TIME_ZONE_KEY = 'timezone';

/**
 * The time zone the mailbox's owner set in Outlook or OWA, for writing all-day appointments and task days in it:
 * WorkHours first, then OWA.UserOptions; the first zone the Windows→IANA table knows wins. A configuration that is
 * missing, unreadable or refused (access denied or any other error Exchange answers) gives null and the reason, so it
 * never fails the mailbox's sync; cancellation, throttling and other passing failures throw as every EWS call does.
 */
export async function readMailboxTimeZone(session: EwsSession, signal?: AbortSignal): Promise<MailboxTimeZone> {
  const failed: { readonly source: ZoneSource; readonly windowsZone: string | null; readonly problem: string }[] = [];
  for (const source of SOURCES) {
    const reading = await source.read(session, signal);
    if ('problem' in reading) {
      failed.push({ source, windowsZone: null, problem: reading.problem });
      continue;
    }
    const zone = ianaZoneOf(reading.windowsZone);
    if (zone) return { zone, windowsZone: reading.windowsZone, source: source.source, problem: null };
    failed.push({ source, windowsZone: reading.windowsZone, problem: `the Windows time zone '${reading.windowsZone}' is not in the engine's Windows→IANA table` });
  }
  const named = failed.find((f) => f.windowsZone !== null);
  const mailbox = session.context.impersonating ?? session.context.username;
  return {
    zone: null,
    windowsZone: named?.windowsZone ?? null,
    source: named?.source.source ?? null,
    problem: `No usable time zone in the mailbox ${mailbox}: ${failed.map((f) => `${f.source.label}: ${f.problem}`).join('; ')}`,
  };
}

/** GetUserConfiguration of one configuration through the session; what keeps it from being read comes back as a problem. */
async function bindConfiguration(
  session: EwsSession,
  name: string,
  folder: WellKnownFolderName,
  properties: UserConfigurationProperties,
  signal: AbortSignal | undefined,
): Promise<{ readonly configuration: UserConfiguration } | { readonly problem: string }> {
  try {
    return await session.call(
      'GetUserConfiguration',
      async (service) => {
        try {
          return { configuration: await UserConfiguration.Bind(service, name, new FolderId(folder), properties) };
        } catch (error) {
          // A response message with ResponseClass Error is this read's own answer; ErrorServerBusy is the session's to wait out.
          const response = (error as { Response?: { ErrorCode?: unknown; ErrorMessage?: unknown } } | null)?.Response;
          if (typeof response?.ErrorCode !== 'number' || response.ErrorCode === ServiceError.ErrorServerBusy) throw error;
          if (response.ErrorCode === ServiceError.ErrorItemNotFound) return { problem: 'there is none' };
          const said = typeof response.ErrorMessage === 'string' && response.ErrorMessage ? `: ${response.ErrorMessage}` : '';
          return { problem: `Exchange answered ${ServiceError[response.ErrorCode]}${said}` };
        }
      },
      { signal },
    );
  } catch (error) {
    if (error instanceof MailError && !isTransient(error.code)) return { problem: error.message };
    throw error;
  }
}

/**
 * The Windows time zone id in a "WorkHours" XmlData (MS-OXOCFG 2.2.5.2.1, WorkingHours.xsd): Root, WorkHoursVersion1,
 * TimeZone, Name. Elements are found by local name, whatever prefixes the writer chose; a BOM is allowed. A document
 * that is not well-formed, has another shape, or names no zone gives the problem instead.
 */
export function readWorkHoursZone(xmlData: Uint8Array): ZoneReading {
  const parserReports: string[] = [];
  const report = (message: string) => void parserReports.push(message);
  let root: XmlNode | null = null;
  try {
    const parser = new (DOMParser as XmlParserConstructor)({ errorHandler: { warning: report, error: report, fatalError: report } });
    root = parser.parseFromString(textOf(xmlData), 'text/xml').documentElement;
  } catch (error) {
    report(String(error));
  }
  // xmldom recovers from broken markup with only a warning: any report means the stored document is damaged.
  if (!root || parserReports.length) return { problem: 'its XmlData is not well-formed XML' };
  const version = root.localName === 'WorkHoursVersion1' ? root : childNamed(root, 'WorkHoursVersion1');
  if (!version) return { problem: `its XmlData is not a WorkingHours.xsd document (root element ${root.localName})` };
  const name = childNamed(childNamed(version, 'TimeZone'), 'Name')?.textContent?.trim();
  // Name is optional in the schema: Outlook 2007 wrote only the bias and the daylight saving changes.
  return name ? { windowsZone: name } : { problem: 'its time zone has no Name (the Windows zone id)' };
}

/** XML text from stored bytes: UTF-16 when a little-endian BOM says so, else UTF-8 without its BOM. */
function textOf(bytes: Uint8Array): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buffer[0] === 0xff && buffer[1] === 0xfe) return buffer.subarray(2).toString('utf16le');
  return buffer.toString('utf8').replace(/^\uFEFF/, '');
}

/**
 * The xmldom parser (@xmldom/xmldom 0.8) as ews-javascript-api hands it out, typed here by the little this reads:
 * importing xmldom itself would pull its `lib: dom` reference into the engine's types.
 */
type XmlParserConstructor = new (options: { errorHandler: Record<'warning' | 'error' | 'fatalError', (message: string) => void> }) => {
  parseFromString(text: string, mimeType: 'text/xml'): { readonly documentElement: XmlNode | null };
};

interface XmlNode {
  readonly nodeType: number;
  readonly localName: string | null;
  readonly textContent: string | null;
  readonly firstChild: XmlNode | null;
  readonly nextSibling: XmlNode | null;
}

const ELEMENT_NODE = 1;

function childNamed(parent: XmlNode | undefined, localName: string): XmlNode | undefined {
  for (let node = parent?.firstChild; node; node = node.nextSibling) if (node.nodeType === ELEMENT_NODE && node.localName === localName) return node;
  return undefined;
}
