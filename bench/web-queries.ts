// The GraphQL documents the web UI sends, taken from its sources so that a benchmark asks exactly what
// a page asks. web/ is an ES module package compiled by Vite, not by `tsc -p bench`: its few pure
// query modules are transpiled here on load (TypeScript's transpileModule), relative imports included.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const WEB_SRC = path.resolve(__dirname, '..', '..', '..', 'web', 'src');

function loadWebModule(file: string, loaded = new Map<string, Record<string, unknown>>()): Record<string, unknown> {
  const known = loaded.get(file);
  if (known) return known;
  const source = fs.readFileSync(file, 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  const exports: Record<string, unknown> = {};
  loaded.set(file, exports);
  const requireSibling = (specifier: string) => {
    if (!specifier.startsWith('.')) throw new Error(`${path.relative(WEB_SRC, file)} imports ${specifier}: only the UI's own pure modules load here`);
    return loadWebModule(path.resolve(path.dirname(file), specifier.replace(/\.js$/, '')) + '.ts', loaded);
  };
  new Function('exports', 'require', outputText)(exports, requireSibling);
  return exports;
}

/** The subscription an open record page follows (web/src/timeline/activity-events.ts). */
export function recordPageSubscription(): string {
  const text = loadWebModule(path.join(WEB_SRC, 'timeline', 'activity-events.ts')).ACTIVITY_CHANGED_SUBSCRIPTION;
  if (typeof text !== 'string') throw new Error('web/src/timeline/activity-events.ts no longer exports ACTIVITY_CHANGED_SUBSCRIPTION');
  return text;
}
