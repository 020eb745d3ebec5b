import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { GraphQLEnumType, GraphQLObjectType } from 'graphql';
import { loadSchema } from '../support/graphql-documents';
import { MAILBOX_JOBS, SERVER_KINDS, TLS_MODES, TRACKED_OUTCOMES } from '../../sync-engine/src/wire-answers';

// The engine's entry checks accept exactly the values the schema can send: a value added to an enum
// fails here before an engine refuses it in production.
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const schema = loadSchema(`${repoRoot}schema.graphql`);
const enumValues = (name: string) => (schema.getType(name) as GraphQLEnumType).getValues().map((v) => v.value as string).sort();

describe("the sync engine's entry checks against schema.graphql", () => {
  it.each([
    ['EmailServerKind', SERVER_KINDS],
    ['TlsMode', TLS_MODES],
    ['MailboxJob', MAILBOX_JOBS],
  ] as const)('accept every value of %s and nothing else', (name, accepted) => {
    expect([...accepted].sort()).toEqual(enumValues(name));
  });

  it("accept exactly the outcomes TrackedItem.outcome documents (a String on the wire)", () => {
    const field = (schema.getType('TrackedItem') as GraphQLObjectType).getFields().outcome;
    const documented = (field.description ?? '').match(/\b[A-Z][A-Z_]+\b/g) ?? [];
    expect([...TRACKED_OUTCOMES].sort()).toEqual([...new Set(documented)].sort());
  });
});
