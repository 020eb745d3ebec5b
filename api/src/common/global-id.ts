import { badInput } from './errors';

/** Relay global ids: base64url("Type:uuid"), so `node(id)` knows where to look without guessing. */
export type GlobalType =
  | 'Account' | 'Contact' | 'Lead' | 'Opportunity' | 'Case'
  | 'User' | 'BusinessUnit' | 'SecurityRole' | 'ApiKey'
  | 'Email' | 'Appointment' | 'Task' | 'PhoneCall' | 'Attachment' | 'Mailbox' | 'Queue'
  | 'EmailServerProfile' | 'MailboxAlert' | 'QuarantinedMessage';

const TYPES = new Set<string>([
  'Account', 'Contact', 'Lead', 'Opportunity', 'Case', 'User', 'BusinessUnit', 'SecurityRole', 'ApiKey',
  'Email', 'Appointment', 'Task', 'PhoneCall', 'Attachment', 'Mailbox', 'Queue', 'EmailServerProfile', 'MailboxAlert', 'QuarantinedMessage',
]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function toGlobalId(type: GlobalType, id: string): string {
  return Buffer.from(`${type}:${id}`).toString('base64url');
}

/** Decodes a global id, or returns undefined when it is not one. */
export function parseGlobalId(globalId: string): { type: GlobalType; id: string } | undefined {
  const decoded = Buffer.from(globalId, 'base64url').toString('utf8');
  const colon = decoded.indexOf(':');
  const type = decoded.slice(0, colon);
  const id = decoded.slice(colon + 1);
  if (colon < 0 || !TYPES.has(type) || !UUID.test(id)) return undefined;
  return { type: type as GlobalType, id };
}

/** Decodes a global id that must be of one of `types`; the error names the input field. */
export function expectGlobalId(field: string, globalId: string, ...types: GlobalType[]): { type: GlobalType; id: string } {
  const parsed = parseGlobalId(globalId);
  if (!parsed || !types.includes(parsed.type)) {
    throw badInput(field, `"${globalId}" is not the id of ${types.map((t) => `a${/^[AEIOU]/.test(t) ? 'n' : ''} ${t}`).join(' or ')}`);
  }
  return parsed;
}

/** Like expectGlobalId for optional inputs: undefined stays undefined (absent), null stays null (clear); "" is an error. */
export function optionalGlobalId<T extends null | undefined>(field: string, globalId: string | T, ...types: GlobalType[]): string | T {
  if (globalId === undefined || globalId === null) return globalId;
  return expectGlobalId(field, globalId, ...types).id;
}
