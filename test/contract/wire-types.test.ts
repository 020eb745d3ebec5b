import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { collectDocuments, loadSchema } from '../support/graphql-documents';
import { printWireTypes } from '../support/wire-types';

// The UI's and the engine's operation types are printed from schema.graphql, so a renamed or retyped field
// is a compile error in the code that reads or sends it. `npm run wire-types` (UPDATE_WIRE_TYPES=1) rewrites them.
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

const PACKAGES = {
  web: { root: `${repoRoot}web/src`, tagModule: `${repoRoot}web/src/graphql/graphql-tag.ts`, generated: `${repoRoot}web/src/graphql/operations.generated.ts` },
  'sync-engine': { root: `${repoRoot}sync-engine/src`, tagModule: `${repoRoot}sync-engine/src/graphql-tag.ts`, generated: `${repoRoot}sync-engine/src/operations.generated.ts` },
};

describe.each(Object.entries(PACKAGES))('the wire types of %s', (name, pkg) => {
  it('are current with schema.graphql and the tagged operations', async () => {
    const { documents } = await collectDocuments(pkg, repoRoot);
    const printed = await printWireTypes(loadSchema(`${repoRoot}schema.graphql`), documents);
    if (process.env.UPDATE_WIRE_TYPES === '1') writeFileSync(pkg.generated, printed);
    expect(readFileSync(pkg.generated, 'utf8'), `${name}'s operations.generated.ts is out of date: run \`npm run wire-types\``).toBe(printed);
  });
});
