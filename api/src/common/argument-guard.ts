import type { ValidationError } from 'class-validator';
import {
  defaultFieldResolver,
  getNullableType,
  GraphQLError,
  isInputObjectType,
  isListType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLFieldResolver,
  type GraphQLInputType,
  type GraphQLSchema,
} from 'graphql';
import { ArgumentValidationError, Extensions, getMetadataStorage } from 'type-graphql';
import { badInput, type FieldReason } from './errors';
import { textFault, textFaultMessage } from './text';

// One check over every operation's coerced arguments, before any resolver or validator sees them,
// so no field can forget it: text must be storable, lists and dates must fit what the database
// holds. Each refusal is BAD_USER_INPUT naming the argument path (`input.emails[1]`, `filter.kinds`).

/** The longest list any argument may carry; fields that need fewer say so with ArrayMaxSize. */
export const MAX_LIST_ITEMS = 5000;

/** Dates an argument may carry: what a DATETIME column holds (MySQL: years 1000 to 9999). */
export const DATE_RANGE = { from: new Date(Date.UTC(1000, 0, 1)), until: new Date(Date.UTC(10000, 0, 1)) } as const;

const MAIL_SERVER_TEXT = 'mailServerText';

/**
 * Marks an input type, or a whole field's arguments, as text a mail server wrote: the messages the
 * sync engine read, a server's error replies. Real mail may hold NUL bytes or broken characters and
 * must still be tracked and reported, so this guard does not look inside: the service repairs such
 * text (common/text.ts repairText) and records the repair where it can.
 */
export const MailServerText = (): ClassDecorator & MethodDecorator & PropertyDecorator => Extensions({ [MAIL_SERVER_TEXT]: true });

function checkValue(value: unknown, type: GraphQLInputType, path: string): void {
  if (value === null || value === undefined) return;
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    const items = value as readonly unknown[];
    if (items.length > MAX_LIST_ITEMS) throw badInput(path, `must have at most ${MAX_LIST_ITEMS} items`, { reason: 'TOO_MANY', max: MAX_LIST_ITEMS });
    items.forEach((item, i) => checkValue(item, nullable.ofType as GraphQLInputType, `${path}[${i}]`));
  } else if (isInputObjectType(nullable)) {
    if (nullable.extensions[MAIL_SERVER_TEXT]) return;
    const fields = nullable.getFields();
    for (const [name, item] of Object.entries(value as Record<string, unknown>)) {
      const field = fields[name];
      if (field) checkValue(item, field.type, `${path}.${name}`);
    }
  } else if (typeof value === 'string') {
    const fault = textFault(value);
    if (fault) throw badInput(path, textFaultMessage(fault));
  } else if (value instanceof Date) {
    if (!(value >= DATE_RANGE.from && value < DATE_RANGE.until)) throw badInput(path, 'must be a date between the years 1000 and 9999', { reason: 'DATE_OUT_OF_RANGE' });
  }
}

/** Refuses the first argument value that breaks a rule above. */
export function checkArguments(definitions: readonly GraphQLArgument[], args: Record<string, unknown>): void {
  for (const definition of definitions) checkValue(args[definition.name], definition.type, definition.name);
}

/** A refused field as the API reports it: its path, the English sentence, and why (for clients that translate). */
export interface FieldProblem {
  readonly field: string;
  readonly message: string;
  readonly why?: FieldReason;
}

/** The first whole number in a validator's message: the limit it names ("must be at most 200 characters"). */
const limitIn = (message: string): number => Number(/\d+/.exec(message)?.[0] ?? NaN);

/** Why, by the class-validator constraint that refused (ours in common/validation.ts, and the library's). */
function reasonOf(constraint: string, message: string): FieldReason | undefined {
  switch (constraint) {
    case 'notBlank':
    case 'isNotEmpty':
      return { reason: 'REQUIRED' };
    case 'maxCodePoints':
    case 'maxLength':
      return { reason: 'TOO_LONG', max: limitIn(message) };
    case 'maxBytes':
      return { reason: 'TOO_LONG_BYTES', max: limitIn(message) };
    case 'minLength':
      return { reason: 'TOO_SHORT', min: limitIn(message) };
    case 'arrayMaxSize':
      return { reason: 'TOO_MANY', max: limitIn(message) };
    case 'min':
      return { reason: 'TOO_SMALL', min: limitIn(message) };
    case 'max':
      return { reason: 'TOO_LARGE', max: limitIn(message) };
    case 'isUrl':
      return { reason: 'INVALID_URL' };
    case 'matches':
      return { reason: 'INVALID_FORMAT' };
    default:
      return undefined;
  }
}

/** class-validator's findings as `{ field, message, why }`, with paths as callers write them (`input.emails[1]`). */
export function validationFields(errors: readonly ValidationError[], prefix: string): FieldProblem[] {
  return errors.flatMap((e) => {
    const step = /^\d+$/.test(e.property) ? `[${e.property}]` : `${prefix ? '.' : ''}${e.property}`;
    const field = `${prefix}${step}`;
    const own = Object.entries(e.constraints ?? {}).map(([constraint, text]) => {
      const message = text.replace(new RegExp(`^${e.property} `), '');
      return { field, message, why: reasonOf(constraint, message) };
    });
    return [...own, ...validationFields(e.children ?? [], field)];
  });
}

/** The extensions of a validation refusal: the first field and its reason at the top, every field listed. */
export function validationExtensions(fields: readonly FieldProblem[]): Record<string, unknown> {
  const first = fields[0];
  return { code: 'BAD_USER_INPUT', field: first?.field, ...first?.why, fields: fields.map(({ field, message, why }) => ({ field, message, ...why })) };
}

/**
 * Where the properties class-validator reports on live: an `@Args()` class holds the arguments
 * themselves; an `@Arg()` input class is the value of the argument of that type.
 */
function argumentPrefix(target: object | undefined, definitions: readonly GraphQLArgument[]): string {
  const metadata = getMetadataStorage();
  const owner = target?.constructor;
  if (metadata.argumentTypes.some((t) => t.target === owner)) return '';
  const inputName = metadata.inputTypes.find((t) => t.target === owner)?.name;
  const argument = definitions.find((d) => {
    let type = getNullableType(d.type);
    while (isListType(type)) type = getNullableType(type.ofType);
    return 'name' in type && type.name === inputName;
  });
  return argument?.name ?? 'input';
}

/** type-graphql's validation failure as one BAD_USER_INPUT naming the first field, listing all. */
function namedValidationError(error: ArgumentValidationError, definitions: readonly GraphQLArgument[]): GraphQLError {
  const errors = error.extensions.validationErrors as ValidationError[];
  const fields = validationFields(errors, argumentPrefix(errors[0]?.target, definitions));
  return new GraphQLError(fields.map((f) => `${f.field}: ${f.message}`).join('; '), { extensions: validationExtensions(fields) });
}

function guarded(definitions: readonly GraphQLArgument[], resolve: GraphQLFieldResolver<unknown, unknown>): GraphQLFieldResolver<unknown, unknown> {
  const rename = (err: unknown) => {
    throw err instanceof ArgumentValidationError ? namedValidationError(err, definitions) : err;
  };
  return (root, args, context, info) => {
    checkArguments(definitions, args);
    try {
      const result = resolve(root, args, context, info);
      return result instanceof Promise ? result.catch(rename) : result;
    } catch (err) {
      return rename(err);
    }
  };
}

/** Puts the argument check in front of every field of `schema` that takes arguments (in place). */
export function guardArguments(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      if (!field.args.length || field.extensions[MAIL_SERVER_TEXT]) continue;
      field.resolve = guarded(field.args, field.resolve ?? defaultFieldResolver);
      if (field.subscribe) field.subscribe = guarded(field.args, field.subscribe);
    }
  }
  return schema;
}
