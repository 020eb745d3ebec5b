import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importCycles, importGraph } from './import-cycles';

const REPO = resolve(__dirname, '../..');

// GraphQL depends on the domains, never the reverse: a cycle would tie an entity to every service again.
describe('import cycles', () => {
  for (const tree of ['api/src', 'sync-engine/src', 'web/src']) {
    it(`${tree} has none`, () => {
      const root = join(REPO, tree);
      const graph = importGraph(root);
      expect(graph.size).toBeGreaterThan(10);
      expect(importCycles(graph, root)).toEqual([]);
    });
  }

  it('api/src: domain code (entities, services, domain helpers, live matching) never imports graphql/', () => {
    const root = join(REPO, 'api/src');
    // The GraphQL layer: the schema and request context, resolvers, the HTTP adapters, the entry points that wire it.
    const graphqlSide = (file: string) =>
      /^(graphql|server)\//.test(file) || /\.(resolver|test)\.ts$/.test(file) || ['main.ts', 'composition-root.ts', 'print-schema.ts'].includes(file);
    const offenders = [...importGraph(root)]
      .map(([file, targets]) => [relative(root, file), targets.map((t) => relative(root, t))] as const)
      .filter(([file, targets]) => !graphqlSide(file) && targets.some((t) => t.startsWith('graphql/')))
      .map(([file]) => file);
    expect(offenders).toEqual([]);
  });

  describe('the check itself', () => {
    const dir = mkdtempSync(join(tmpdir(), 'import-cycles-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('finds a cycle made only of type imports, through a .js specifier', () => {
      writeFileSync(join(dir, 'a.ts'), "import type { B } from './b.js';\nexport interface A { b: B }\n");
      writeFileSync(join(dir, 'b.ts'), "import { c } from './c';\nexport interface B { c: typeof c }\n");
      writeFileSync(join(dir, 'c.ts'), "export type { A } from './a';\nexport const c = 1;\n");
      writeFileSync(join(dir, 'd.ts'), "import { c } from './c';\nexport const d = c;\n");
      expect(importCycles(importGraph(dir), dir)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
    });
  });
});
