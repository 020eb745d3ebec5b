import { randomBytes } from 'node:crypto';
import { esc, failure, MESSAGES_NS, operationResponse, success, TYPES_NS } from './ews-xml';

// User configurations (MS-OXWSUSRCFG) for the EWS test server (ews-server.ts): the hidden (FAI) messages in which
// Outlook and OWA keep a mailbox's settings, found by folder and name, and GetUserConfiguration answering them as
// Messages.xsd GetUserConfigurationResponseMessageType and Types.xsd UserConfigurationType define it.

/** Types.xsd UserConfigurationDictionaryObjectTypesType, the value types a dictionary entry may hold. */
export type DictionaryValueType = 'DateTime' | 'Boolean' | 'Byte' | 'String' | 'Integer32' | 'UnsignedInteger32' | 'Integer64' | 'UnsignedInteger64' | 'StringArray' | 'ByteArray';

export interface DictionaryEntry {
  readonly key: string;
  readonly type: DictionaryValueType;
  /** One value, or several for StringArray. */
  readonly values: readonly string[];
}

/** What a user configuration holds: any of a dictionary, an XML document, binary data (each a property of the FAI message). */
export interface UserConfigurationData {
  readonly dictionary?: readonly DictionaryEntry[];
  readonly xmlData?: Buffer;
  readonly binaryData?: Buffer;
}

interface StoredConfiguration extends UserConfigurationData {
  readonly itemId: string;
  readonly changeKey: string;
}

/** A folder as GetUserConfiguration names it in its answer. */
export interface ConfigurationFolder {
  readonly id: string;
  readonly changeKey: string;
}

/** The user configurations of every mailbox, by the folder that holds them (folder ids are unique across mailboxes) and name. */
export class UserConfigurationStore {
  private readonly configurations = new Map<string, StoredConfiguration>();

  /** Writes a configuration as a client saves it; null deletes it. */
  set(folderId: string, name: string, data: UserConfigurationData | null): void {
    const key = keyOf(folderId, name);
    if (!data) return void this.configurations.delete(key);
    const itemId = this.configurations.get(key)?.itemId ?? randomBytes(24).toString('base64');
    this.configurations.set(key, { ...data, itemId, changeKey: randomBytes(12).toString('base64') });
  }

  get(folderId: string, name: string): StoredConfiguration | undefined {
    return this.configurations.get(keyOf(folderId, name));
  }
}

const keyOf = (folderId: string, name: string) => `${folderId}\n${name}`;

/**
 * GetUserConfiguration (Messages.xsd GetUserConfigurationType: UserConfigurationName with its folder, then
 * UserConfigurationProperties, a list of Id, Dictionary, XmlData, BinaryData or All). The answer holds what was asked
 * for; a configuration that does not exist is ErrorItemNotFound, as Exchange answers it.
 */
export function getUserConfiguration(store: UserConfigurationStore, request: Element, resolveFolder: (folderElement: Element | undefined) => ConfigurationFolder | null): string {
  const nameElement = request.getElementsByTagNameNS(MESSAGES_NS, 'UserConfigurationName')[0];
  const name = nameElement?.getAttribute('Name') ?? '';
  const folder = resolveFolder(firstChildElement(nameElement));
  if (!folder) return operationResponse('GetUserConfiguration', [failure('GetUserConfiguration', 'ErrorFolderNotFound', 'The specified folder could not be found in the store.')]);
  const stored = store.get(folder.id, name);
  if (!stored) return operationResponse('GetUserConfiguration', [failure('GetUserConfiguration', 'ErrorItemNotFound', 'The specified object was not found in the store.')]);
  const asked = new Set((request.getElementsByTagNameNS(MESSAGES_NS, 'UserConfigurationProperties')[0]?.textContent ?? '').trim().split(/\s+/));
  const wants = (property: string) => asked.has(property) || asked.has('All');
  // Types.xsd UserConfigurationType: UserConfigurationName, ItemId, Dictionary, XmlData, BinaryData, in this order.
  const content =
    `<t:UserConfigurationName Name="${esc(name)}"><t:FolderId Id="${esc(folder.id)}" ChangeKey="${esc(folder.changeKey)}"/></t:UserConfigurationName>` +
    (wants('Id') ? `<t:ItemId Id="${esc(stored.itemId)}" ChangeKey="${esc(stored.changeKey)}"/>` : '') +
    (wants('Dictionary') && stored.dictionary?.length ? `<t:Dictionary>${stored.dictionary.map(dictionaryEntryXml).join('')}</t:Dictionary>` : '') +
    (wants('XmlData') && stored.xmlData ? `<t:XmlData>${stored.xmlData.toString('base64')}</t:XmlData>` : '') +
    (wants('BinaryData') && stored.binaryData ? `<t:BinaryData>${stored.binaryData.toString('base64')}</t:BinaryData>` : '');
  return operationResponse('GetUserConfiguration', [success('GetUserConfiguration', `<m:UserConfiguration>${content}</m:UserConfiguration>`)]);
}

/** Types.xsd UserConfigurationDictionaryEntryType: a String key, then the typed value. */
function dictionaryEntryXml(entry: DictionaryEntry): string {
  const values = entry.values.map((value) => `<t:Value>${esc(value)}</t:Value>`).join('');
  return `<t:DictionaryEntry><t:DictionaryKey><t:Type>String</t:Type><t:Value>${esc(entry.key)}</t:Value></t:DictionaryKey><t:DictionaryValue><t:Type>${entry.type}</t:Type>${values}</t:DictionaryValue></t:DictionaryEntry>`;
}

function firstChildElement(node: Element | undefined): Element | undefined {
  for (let c = node?.firstChild; c; c = c.nextSibling) if (c.nodeType === 1 && (c as Element).namespaceURI === TYPES_NS) return c as Element;
  return undefined;
}

/**
 * Windows time zone rules as the registry holds them (TIME_ZONE_INFORMATION): the bias in minutes (UTC = local +
 * bias), and each change's time, month, week of the month (5: the last) and day of the week (0: Sunday). Written out
 * for the zones the tests use; "Mid-Atlantic Standard Time" is a zone Windows still ships that CLDR has dropped.
 */
const WINDOWS_ZONE_RULES: Readonly<Record<string, { bias: number; standard?: Change; daylight?: Change & { bias: number } }>> = {
  UTC: { bias: 0 },
  'W. Europe Standard Time': { bias: -60, standard: { time: '03:00:00', month: 10, week: 5 }, daylight: { bias: -60, time: '02:00:00', month: 3, week: 5 } },
  'FLE Standard Time': { bias: -120, standard: { time: '04:00:00', month: 10, week: 5 }, daylight: { bias: -60, time: '03:00:00', month: 3, week: 5 } },
  'Pacific Standard Time': { bias: 480, standard: { time: '02:00:00', month: 11, week: 1 }, daylight: { bias: -60, time: '02:00:00', month: 3, week: 2 } },
  'Mid-Atlantic Standard Time': { bias: 120, standard: { time: '02:00:00', month: 9, week: 5 }, daylight: { bias: -60, time: '02:00:00', month: 3, week: 5 } },
};

interface Change {
  readonly time: string;
  readonly month: number;
  readonly week: number;
}

/**
 * The "WorkHours" configuration's XmlData as Outlook writes it (MS-OXOCFG 2.2.5.2.1, WorkingHours.xsd): the time zone
 * (bias, standard and daylight changes, the Windows id in Name), then the working day and the working days.
 */
export function workHoursXml(windowsZone: string): Buffer {
  const rules = WINDOWS_ZONE_RULES[windowsZone];
  if (!rules) throw new Error(`the EWS test server has no time zone rules for ${windowsZone}`);
  // A zone without daylight saving time has no change date (all zero), as SYSTEMTIME leaves it.
  const change = (at: Change | undefined) =>
    `<ChangeDate><Time>${at?.time ?? '00:00:00'}</Time><Date>0000/${String(at?.month ?? 0).padStart(2, '0')}/${String(at?.week ?? 0).padStart(2, '0')}</Date><DayOfWeek>0</DayOfWeek></ChangeDate>`;
  const xml =
    '<?xml version="1.0"?><Root xmlns="WorkingHours.xsd"><WorkHoursVersion1><TimeZone>' +
    `<Bias>${rules.bias}</Bias><Standard><Bias>0</Bias>${change(rules.standard)}</Standard>` +
    `<DaylightSavings><Bias>${rules.daylight?.bias ?? 0}</Bias>${change(rules.daylight)}</DaylightSavings>` +
    `<Name>${esc(windowsZone)}</Name></TimeZone>` +
    '<TimeSlot><Start>08:00:00</Start><End>17:00:00</End></TimeSlot><WorkDays>Monday Tuesday Wednesday Thursday Friday</WorkDays></WorkHoursVersion1></Root>';
  return Buffer.from(xml, 'utf8');
}

/** The "OWA.UserOptions" dictionary as Outlook on the web saves it after the user picks a time zone (some of its entries). */
export function owaUserOptions(windowsZone: string): DictionaryEntry[] {
  return [
    { key: 'timezone', type: 'String', values: [windowsZone] },
    { key: 'timeformat', type: 'String', values: ['HH:mm'] },
    { key: 'dateformat', type: 'String', values: ['yyyy-MM-dd'] },
    { key: 'weekstartday', type: 'Integer32', values: ['1'] },
    { key: 'isoptimizedforaccessibility', type: 'Boolean', values: ['false'] },
  ];
}
