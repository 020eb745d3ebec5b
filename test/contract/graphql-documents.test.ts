import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { buildSchema, printSchema } from 'graphql';
import { collectDocuments, loadSchema, sourceFiles, untaggedOperations, violations, type DocumentPackage } from '../support/graphql-documents';

// The wire contract: every operation the sync engine and the UI send is valid against the committed schema.
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const schema = loadSchema(`${repoRoot}schema.graphql`);

const PACKAGES: Record<string, DocumentPackage> = {
  'sync-engine': { root: `${repoRoot}sync-engine/src`, tagModule: `${repoRoot}sync-engine/src/graphql-tag.ts` },
  web: { root: `${repoRoot}web/src`, tagModule: `${repoRoot}web/src/graphql/graphql-tag.ts` },
};

describe.each(Object.entries(PACKAGES))('GraphQL documents of %s', (_, pkg) => {
  it('are all tagged: no operation is written as a plain string', () => {
    expect(untaggedOperations(sourceFiles(pkg.root), repoRoot)).toEqual([]);
  });

  it('validate against schema.graphql, each tag recorded once', async () => {
    const { documents, tagUses } = await collectDocuments(pkg, repoRoot);
    expect(documents.length).toBeGreaterThan(0);
    expect(documents).toHaveLength(tagUses);
    expect(documents.filter((document) => document.file === '(unknown file)').map((document) => document.name)).toEqual([]);
    expect(violations(schema, documents)).toEqual([]);
  });
});

describe('the contract check', () => {
  it('fails on a renamed field, naming the document, its file and the field', async () => {
    const { documents } = await collectDocuments(PACKAGES['sync-engine'], repoRoot);
    const renamed = buildSchema(printSchema(schema).replace(/(type MailboxWork \{[^}]*?\n\s+)leaseId:/, '$1leaseToken:'));
    expect(renamed.getType('MailboxWork')?.toString()).toBe('MailboxWork');

    const found = violations(renamed, documents);
    expect(found).toContainEqual({
      name: 'ClaimMailboxes',
      file: 'sync-engine/src/api-client.ts',
      error: expect.stringContaining('Cannot query field "leaseId" on type "MailboxWork"'),
    });
  });

  it('finds an operation written without the tag', () => {
    const found = untaggedOperations([fileURLToPath(import.meta.url)], repoRoot);
    expect(found).toEqual([expect.stringContaining('query Escaped')]);
  });
});

// Read by the test above as source text; never sent.
export const ESCAPED_FOR_TEST = 'query Escaped { viewer { id } }';
