import {
  getNamedType,
  getNullableType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isLeafType,
  isListType,
  isObjectType,
  isUnionType,
  type GraphQLField,
  type GraphQLSchema,
} from 'graphql';
import type { ComplexityEstimator } from 'graphql-query-complexity';
import { AccessEntity, Privilege, SECURED_FIELDS } from '../access/privileges';
import { MAX_RECIPIENTS } from '../activities/outgoing-email-rules';
import { MAX_SHARES_LISTED } from '../records/record-access.types';
import { DEFAULT_PAGE_SIZE } from '../common/pagination';
import { MAX_PARTIES } from '../tracking/prepare-item';
import { MAX_BATCH } from '../tracking/track-emails.inputs';
import { MAX_CALENDAR_EVENTS, MAX_CALENDAR_SERIES } from '../tracking/calendar-sync.inputs';
import { MAX_TASKS_PER_SYNC } from '../tracking/exchange-tasks/task-sync.inputs';
import { MAX_CONTACTS_PER_SYNC } from '../tracking/exchange-contacts/contact-sync.inputs';
import { MAX_SYNC_CONFLICTS_SHOWN } from '../activities/sync-conflict.types';

// An email's parties: the sender plus the recipients tracking keeps (meeting invites keep as many attendees).
const PARTIES = MAX_PARTIES + 1;

/**
 * The most rows each unpaged list of objects can return, by `Type.field`. Where the service caps the list the
 * bound is that cap; the others are bounds the hub is sized for, and the answer-size limit stops anything beyond.
 * A connection's `edges` costs 1 per row: its paged field already multiplies by `first`.
 */
export const LIST_BOUNDS: Readonly<Record<string, number>> = {
  'Query.users': 500, // IdentityService.listUsers: LIMIT 500
  'Query.apiKeys': 500, // IdentityService.listApiKeys: take 500
  'Query.mailboxes': 1000, // MailboxService.list: take 1000
  'Query.queues': 1000, // QueueService.list: take 1000
  'Query.businessUnits': 1000,
  'Query.securityRoles': 200,
  'Query.emailServerProfiles': 100,
  'User.roles': 50,
  'SecurityRole.privileges': Object.values(AccessEntity).length * Object.values(Privilege).length,
  'SecurityRole.fieldPermissions': Object.values(SECURED_FIELDS).flat().length,
  'Activity.parties': PARTIES,
  'Email.parties': PARTIES,
  'Appointment.parties': PARTIES,
  'Task.parties': PARTIES,
  'PhoneCall.parties': PARTIES,
  'TrackingDecision.parties': PARTIES,
  'TrackingDecision.steps': 50,
  'Email.attachments': 100,
  'Email.repairs': 20, // one per kind of repair prepare-item.ts and meeting invitations can make (about 10)
  'Email.seenIn': 1000, // one sighting per mailbox at most
  'Mailbox.trackingCounts': 32, // one row per outcome (TRACKED, FILTERED) and reason (about 15, tracking-filter.ts and decide-item.ts)
  'Mailbox.folderTrackingRules': 100,
  'MailboxWork.forwardSources': 1000,
  'OutgoingEmail.to': MAX_RECIPIENTS,
  'OutgoingEmail.cc': MAX_RECIPIENTS,
  'OutgoingEmail.bcc': MAX_RECIPIENTS,
  'OutgoingEmail.attachments': 100,
  'Query.securedFields': Object.values(SECURED_FIELDS).flat().length,
  'Account.shares': MAX_SHARES_LISTED,
  'Contact.shares': MAX_SHARES_LISTED,
  'Lead.shares': MAX_SHARES_LISTED,
  'Opportunity.shares': MAX_SHARES_LISTED,
  'Case.shares': MAX_SHARES_LISTED,
  'SyncMetrics.buckets': 168, // RANGE_LAYOUT: WEEK's 168 hourly buckets at most
  'TrackEmailsResult.items': 1, // one per item sent: ROWS_FROM_INPUT multiplies at trackEmails
  'Mutation.syncMailboxCalendar': MAX_CALENDAR_EVENTS + MAX_CALENDAR_SERIES, // one result per event and per series sent
  'CalendarWrite.attendees': 1000, // an appointment's parties, as meeting-invites.ts keeps at most
  'Mutation.syncMailboxTasks': 2 * MAX_TASKS_PER_SYNC, // one result per task and per known deleted id sent
  'Task.syncConflicts': MAX_SYNC_CONFLICTS_SHOWN,
  'Appointment.syncConflicts': MAX_SYNC_CONFLICTS_SHOWN,
  'Contact.syncConflicts': MAX_SYNC_CONFLICTS_SHOWN,
  'Mutation.syncMailboxContacts': 2 * MAX_CONTACTS_PER_SYNC, // one result per contact and per known deleted id sent
};

/** Fields that answer one row per item of an input list: they cost their children times that list's length. */
const ROWS_FROM_INPUT: Readonly<Record<string, (args: Record<string, unknown>) => unknown>> = {
  'Mutation.trackEmails': (args) => (args.input as { items?: unknown } | undefined)?.items,
};

/** For lists not in the table (a new field whose bound nobody set yet): costed as a full page. */
export const UNLISTED_LIST_BOUND = 100;

const isObjectList = (field: GraphQLField<unknown, unknown>): boolean => isListType(getNullableType(field.type)) && !isLeafType(getNamedType(field.type));

/**
 * Introspection lists, from the schema itself. Below `__schema.types` each list costs its average over all
 * types (or fields, or directives), so `types × fields` is the schema's real total: the API explorer's own
 * introspection query is costed at what it returns, and nesting `fields { type { fields … } } }` multiplies.
 */
export function introspectionBounds(schema: GraphQLSchema): Record<string, number> {
  const types = Object.values(schema.getTypeMap());
  const fields = types.flatMap((t) => (isObjectType(t) || isInterfaceType(t) ? Object.values(t.getFields()) : []));
  const directives = schema.getDirectives();
  const average = (total: number, of: number) => Math.max(1, Math.ceil(total / Math.max(of, 1)));
  const sum = (values: number[]) => values.reduce((a, b) => a + b, 0);
  return {
    '__Schema.types': types.length,
    '__Schema.directives': directives.length,
    '__Type.fields': average(fields.length, types.length),
    '__Type.inputFields': average(sum(types.map((t) => (isInputObjectType(t) ? Object.keys(t.getFields()).length : 0))), types.length),
    '__Type.enumValues': average(sum(types.map((t) => (isEnumType(t) ? t.getValues().length : 0))), types.length),
    '__Type.interfaces': average(sum(types.map((t) => (isObjectType(t) || isInterfaceType(t) ? t.getInterfaces().length : 0))), types.length),
    '__Type.possibleTypes': average(sum(types.map((t) => (isUnionType(t) ? t.getTypes().length : isInterfaceType(t) ? schema.getPossibleTypes(t).length : 0))), types.length),
    '__Field.args': average(sum(fields.map((f) => f.args.length)), fields.length),
    '__Directive.args': average(sum(directives.map((d) => d.args.length)), directives.length),
  };
}

/**
 * How many rows a field costs its children for: the items sent to fields that answer one row per item,
 * `first` on paged fields (the default page when not given), `limit` on claims, the table's bound on other
 * lists of objects; undefined for everything else.
 */
export function rowsOf(typeName: string, field: GraphQLField<unknown, unknown>, args: Record<string, unknown>, bounds: Readonly<Record<string, number>> = LIST_BOUNDS): number | undefined {
  const input = ROWS_FROM_INPUT[`${typeName}.${field.name}`]?.(args);
  if (input !== undefined) return Math.max(Array.isArray(input) ? input.length : MAX_BATCH, 1);
  for (const name of ['first', 'limit'] as const) {
    if (!field.args.some((a) => a.name === name)) continue;
    const value = args[name];
    return Math.max(typeof value === 'number' ? value : DEFAULT_PAGE_SIZE, 1);
  }
  if (!isObjectList(field)) return undefined;
  if (typeName.endsWith('Connection') && field.name === 'edges') return 1;
  return bounds[`${typeName}.${field.name}`] ?? UNLISTED_LIST_BOUND;
}

/** A list costs 1 plus its children times the most rows it can return; other fields fall through to the next estimator. */
export function listEstimator(schema: GraphQLSchema): ComplexityEstimator {
  const bounds = { ...LIST_BOUNDS, ...introspectionBounds(schema) };
  return ({ type, field, args, childComplexity }) => {
    const rows = rowsOf(type.name, field, args, bounds);
    return rows === undefined ? undefined : 1 + childComplexity * rows;
  };
}

/** Every unpaged list of objects in the schema that the table does not bound (a test keeps this empty). */
export function unboundedLists(schema: GraphQLSchema): string[] {
  const missing: string[] = [];
  for (const type of Object.values(schema.getTypeMap())) {
    if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
    for (const field of Object.values(type.getFields())) {
      if (!isObjectList(field) || field.args.some((a) => a.name === 'first' || a.name === 'limit')) continue;
      if (type.name.endsWith('Connection') && field.name === 'edges') continue;
      if (LIST_BOUNDS[`${type.name}.${field.name}`] === undefined) missing.push(`${type.name}.${field.name}`);
    }
  }
  return missing;
}
