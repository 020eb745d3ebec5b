import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { getNamedType, isEnumType, type GraphQLObjectType } from 'graphql';
import { loadSchema } from '../support/graphql-documents';
import { MAILBOX_JOBS, SERVER_KINDS, TLS_MODES, TRACKED_OUTCOMES } from '../../sync-engine/src/wire-answers';
import { CREDENTIALS_STATUSES, MAIL_AUTH_METHODS } from '../../sync-engine/src/wire-credentials';

// The engine's entry checks accept exactly the values the schema can send: a value added to an enum
// fails here before an engine refuses it in production. Each list is checked against the enum of every
// field the engine reads it from, so a field moved to another enum fails here too.
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const schema = loadSchema(`${repoRoot}schema.graphql`);
const fieldOf = (type: string, field: string) => (schema.getType(type) as GraphQLObjectType).getFields()[field];

function enumValuesOf(type: string, field: string): string[] {
  const named = getNamedType(fieldOf(type, field).type);
  if (!isEnumType(named)) throw new Error(`${type}.${field} is ${named.name}, not an enum`);
  return named.getValues().map((v) => String(v.value)).sort();
}

describe("the sync engine's entry checks against schema.graphql", () => {
  it.each([
    ['MailboxWork', 'kind', SERVER_KINDS],
    ['MailTransport', 'kind', SERVER_KINDS],
    ['MailEndpoint', 'tls', TLS_MODES],
    ['MailboxWork', 'job', MAILBOX_JOBS],
    ['MailboxWork', 'credentialsStatus', CREDENTIALS_STATUSES],
    ['MailTransport', 'credentialsStatus', CREDENTIALS_STATUSES],
    ['MailCredentials', 'method', MAIL_AUTH_METHODS],
  ] as const)('accept every value of %s.%s and nothing else', (type, field, accepted) => {
    expect([...accepted].sort()).toEqual(enumValuesOf(type, field));
  });

  it("accept exactly the outcomes TrackedItem.outcome documents (a String on the wire)", () => {
    const documented = (fieldOf('TrackedItem', 'outcome').description ?? '').match(/\b[A-Z][A-Z_]+\b/g) ?? [];
    expect([...TRACKED_OUTCOMES].sort()).toEqual([...new Set(documented)].sort());
  });
});
