import 'reflect-metadata';
import { getMetadataStorage as validationMetadata } from 'class-validator';
import { getNamedType, GraphQLString, isInputObjectType, isListType, getNullableType, type GraphQLArgument, type GraphQLInputType } from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { describe, expect, it } from 'vitest';
import { buildApiSchema } from '../graphql/schema';
import { checkArguments, MAX_LIST_ITEMS } from './argument-guard';

const schema = buildApiSchema();
const argsOf = (operation: 'Query' | 'Mutation', field: string): readonly GraphQLArgument[] =>
  (operation === 'Query' ? schema.getQueryType() : schema.getMutationType())!.getFields()[field].args;

/** The field a refusal names, or undefined when the arguments pass. */
function refusal(operation: 'Query' | 'Mutation', field: string, args: Record<string, unknown>): string | undefined {
  try {
    checkArguments(argsOf(operation, field), args);
    return undefined;
  } catch (err) {
    return (err as { extensions: { field: string } }).extensions.field;
  }
}

describe('checkArguments', () => {
  it.each([
    { label: 'a NUL in a top-level string', op: 'Query', field: 'users', args: { search: 'a\u0000' }, refused: 'search' },
    { label: 'a lone surrogate in an input field', op: 'Mutation', field: 'createContact', args: { input: { lastName: 'x\uDC00' } }, refused: 'input.lastName' },
    { label: 'a lone surrogate in the second list item', op: 'Mutation', field: 'createContact', args: { input: { lastName: 'x', emails: ['a@example.com', '\uD800@example.com'] } }, refused: 'input.emails[1]' },
    { label: 'a nested filter field', op: 'Query', field: 'contacts', args: { filter: { search: '\u0000' } }, refused: 'filter.search' },
    { label: 'a list one over the bound', op: 'Query', field: 'timeline', args: { recordId: 'x', filter: { kinds: Array(MAX_LIST_ITEMS + 1).fill('EMAIL') } }, refused: 'filter.kinds' },
    { label: 'a date in year 999', op: 'Mutation', field: 'resyncMailbox', args: { id: 'x', from: new Date('0999-12-31T23:59:59Z') }, refused: 'from' },
    { label: 'a date in year 10000', op: 'Mutation', field: 'resyncMailbox', args: { id: 'x', from: new Date('+010000-01-01T00:00:00Z') }, refused: 'from' },
    { label: 'the first date a DATETIME holds', op: 'Mutation', field: 'resyncMailbox', args: { id: 'x', from: new Date('1000-01-01T00:00:00Z') }, refused: undefined },
    { label: 'the last date a DATETIME holds', op: 'Mutation', field: 'resyncMailbox', args: { id: 'x', from: new Date('9999-12-31T23:59:59.999Z') }, refused: undefined },
    { label: 'emoji and accents', op: 'Mutation', field: 'createContact', args: { input: { lastName: 'Ødegård 🤝', emails: ['a@example.com'] } }, refused: undefined },
    { label: 'a list at the bound', op: 'Query', field: 'timeline', args: { recordId: 'x', filter: { kinds: Array(MAX_LIST_ITEMS).fill('EMAIL') } }, refused: undefined },
    { label: 'a mail server\'s words in a sync report', op: 'Mutation', field: 'releaseMailbox', args: { mailboxId: 'x', leaseId: 'y', report: { outcome: 'SUCCESS', message: 'a\u0000\uD800' } }, refused: undefined },
    {
      label: 'raw mail (trackEmails items and quarantine) with NUL and broken characters',
      op: 'Mutation',
      field: 'trackEmails',
      args: { mailboxId: 'x', input: { items: [{ subject: 'a\u0000', from: { address: '\uD800@x' }, to: [] }], quarantine: [{ sourceRef: 'r', code: 'C', reason: '\u0000' }] } },
      refused: undefined,
    },
    { label: 'the cursor beside raw mail', op: 'Mutation', field: 'trackEmails', args: { mailboxId: 'x', input: { items: [], cursor: '\u0000' } }, refused: 'input.cursor' },
  ] as const)('$label → $refused', ({ op, field, args, refused }) => {
    expect(refusal(op, field, args)).toBe(refused);
  });
});

// Every text an argument carries is bounded, or MariaDB answers "Data too long" (an INTERNAL error)
// and SQLite grows without limit. A new String input field needs MaxLength (or MaxBytes, Matches),
// a new list ArrayMaxSize, a nested input with rules ValidateNested; the few bounded elsewhere are
// listed here with where.
const BOUNDED_ELSEWHERE: Record<string, string> = {
  'SendEmailInput.textBody': "the organization's maxBodyKb, checked when the body is stored",
  'SendEmailInput.htmlBody': "the organization's maxBodyKb, checked when the body is stored",
  'SetRoleFieldPermissionInput.field': 'must be one of the secured field names',
  'after': 'decodeCursor refuses anything longer than a cursor',
  'markEmailFailed.reason': 'cut to fit (outgoing-send-queue.service)',
  'claimMailboxes.engineId': '1 to 100 characters (mailbox-sync.service)',
  'claimMailboxWatches.engineId': '1 to 100 characters (mailbox-watch.service)',
  'renewMailboxWatches.engineId': '1 to 100 characters (mailbox-watch.service)',
  'releaseMailboxWatches.engineId': '1 to 100 characters (mailbox-watch.service)',
  'mailboxesChanged.engineId': '1 to 100 characters (mailbox-watch.service)',
  'renewMailboxWatches.leaseIds': 'at most 1000 of at most 36 characters (mailbox-watch.service)',
  'releaseMailboxWatches.leaseIds': 'at most 1000 of at most 36 characters (mailbox-watch.service)',
  'mailboxesChanged.leaseIds': 'at most 1000 of at most 36 characters (mailbox-watch.service)',
  'reportMailboxTimeZone.timeZone': 'an IANA zone Intl knows, at most MAX_TIME_ZONE characters (mailbox-sync.service)',
  'removeFolderTrackingRule.folder': 'only compared, never stored',
  'login.email': 'only compared, never stored',
  'login.password': 'only compared with the hash, never stored',
  'changePassword.currentPassword': 'only compared with the hash, never stored',
  'changePassword.newPassword': 'the password policy: at most 200 characters (identity/password-policy.ts)',
  'CreateUserInput.password': 'the password policy: at most 200 characters (identity/password-policy.ts)',
  'undecidedMessages.items': 'at most 1000 per call (mailbox-sync.service)',
};
// Lists of strings whose every item is checked by a parser with its own length limit.
const ITEMS_PARSED = /\.(emails|to|cc|bcc|blockedAddresses|blockedDomains)$/;
const BOUNDS = new Set(['maxCodePoints', 'maxBytes', 'matches']);

function unboundedText(): string[] {
  const inputClasses = new Map(getMetadataStorage().inputTypes.map((t) => [t.name, t.target]));
  const constraintsOf = (target: Function, property: string) =>
    validationMetadata()
      .getTargetValidationMetadatas(target, '', true, false)
      .filter((m) => m.propertyName === property)
      .map((m) => m.name ?? m.type);
  const found: string[] = [];
  const seen = new Set<string>();
  /** `constraints` undefined: a whole argument, which type-graphql validates itself. */
  const visit = (owner: string, name: string, type: GraphQLInputType, constraints?: readonly string[]) => {
    const path = `${owner}.${name}`;
    const isList = isListType(getNullableType(type));
    const named = getNamedType(type);
    if (isList && !constraints?.includes('arrayMaxSize') && !BOUNDED_ELSEWHERE[path]) found.push(`${path}: a list without ArrayMaxSize`);
    if (named === GraphQLString && !constraints?.some((c) => BOUNDS.has(c)) && !BOUNDED_ELSEWHERE[path] && !BOUNDED_ELSEWHERE[name] && !(isList && ITEMS_PARSED.test(path))) {
      found.push(`${path}: text without a length bound`);
    }
    if (isInputObjectType(named) && !named.extensions.mailServerText) {
      const target = inputClasses.get(named.name)!;
      // class-validator checks a nested object only when told to.
      const hasRules = validationMetadata().getTargetValidationMetadatas(target, '', true, false).length > 0;
      if (constraints && hasRules && !constraints.includes('nestedValidation')) found.push(`${path}: nested rules that never run (add ValidateNested)`);
      if (seen.has(named.name)) return;
      seen.add(named.name);
      for (const field of Object.values(named.getFields())) visit(named.name, field.name, field.type, constraintsOf(target, field.name));
    }
  };
  const storage = getMetadataStorage();
  for (const handler of [...storage.queries, ...storage.mutations, ...storage.fieldResolvers]) {
    const field = Object.values(schema.getTypeMap())
      .flatMap((t) => ('getFields' in t && !isInputObjectType(t) ? Object.values(t.getFields()) : []))
      .find((f) => f.name === (handler.schemaName ?? handler.methodName) && 'args' in f && f.args.length > 0);
    for (const param of storage.params.filter((p) => p.target === handler.target && p.methodName === handler.methodName)) {
      if (param.kind === 'arg') {
        const argument = field && 'args' in field ? field.args.find((a) => a.name === param.name) : undefined;
        if (argument) visit(handler.schemaName ?? handler.methodName, param.name, argument.type);
      } else if (param.kind === 'args') {
        const argsClass = param.getType() as Function;
        for (const f of storage.fields.filter((m) => m.target === argsClass || argsClass.prototype instanceof (m.target as Function))) {
          const argument = field && 'args' in field ? field.args.find((a) => a.name === f.name) : undefined;
          if (argument) visit(handler.schemaName ?? handler.methodName, f.name, argument.type, constraintsOf(argsClass, f.name));
        }
      }
    }
  }
  return [...new Set(found)].sort();
}

describe('every text and list an argument carries has a bound', () => {
  it('lists nothing unbounded', () => {
    expect(unboundedText()).toEqual([]);
  });
});
