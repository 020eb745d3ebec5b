import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// STYLE.md 2 and 6: collaborators come in through a constructor (at most five), and "now" is one of them.
const MAX_PARAMETERS = 5;
const ROOT = path.resolve(__dirname, '..', '..');
const SOURCE_DIRS = ['api/src', 'sync-engine/src'];
const TIMED_CLASS = /(Service|Store|Writer)$/;

/** The shape rules one source file breaks, each naming the class (or file) and where. */
function shapeProblems(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const serviceFile = file.endsWith('.service.ts');
  const problems: string[] = [];
  const at = (node: ts.Node) => `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node, className: string | undefined) => {
    if (ts.isClassLike(node)) className = node.name?.text ?? '(anonymous class)';
    if (ts.isConstructorDeclaration(node) && node.parameters.length > MAX_PARAMETERS) {
      problems.push(`${className} (${at(node)}): ${node.parameters.length} constructor parameters, at most ${MAX_PARAMETERS}`);
    }
    if (serviceFile || (className && TIMED_CLASS.test(className))) {
      const readsClock =
        (ts.isNewExpression(node) && isDate(node.expression) && !node.arguments?.length) ||
        (ts.isCallExpression(node) && ts.isPropertyAccessExpression(node.expression) && isDate(node.expression.expression) && node.expression.name.text === 'now');
      if (readsClock) problems.push(`${className ?? path.basename(file)} (${at(node)}): ${node.getText(source)} reads the system clock; take a Clock in the constructor`);
    }
    ts.forEachChild(node, (child) => visit(child, className));
  };
  visit(source, undefined);
  return problems;
}

const isDate = (node: ts.Expression) => ts.isIdentifier(node) && node.text === 'Date';

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(relative);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts') ? [relative] : [];
  });
}

describe('service shape', () => {
  it('finds a planted violation of each rule, and leaves measured clocks and helpers alone', () => {
    const planted = [
      'class Crowded { constructor(a: 1, b: 2, c: 3, d: 4, e: 5, f: 6) {} }',
      'class ReportStore { save() { return new Date(); } }',
      'class Outbox { constructor(private readonly clock = () => new Date()) {} }',
      'export function stamp() { return { at: Date.now() }; }',
    ].join('\n');
    expect(shapeProblems('api/src/x/planted.service.ts', planted)).toEqual([
      'Crowded (api/src/x/planted.service.ts:1): 6 constructor parameters, at most 5',
      'ReportStore (api/src/x/planted.service.ts:2): new Date() reads the system clock; take a Clock in the constructor',
      'Outbox (api/src/x/planted.service.ts:3): new Date() reads the system clock; take a Clock in the constructor',
      'planted.service.ts (api/src/x/planted.service.ts:4): Date.now() reads the system clock; take a Clock in the constructor',
    ]);
    // Outside *.service.ts only Service/Store/Writer classes count; a Date built from a value is not a clock read.
    const allowed = 'class Cache { get() { return Date.now(); } }\nclass RecordStore { at(ms: number) { return new Date(ms); } }\nconst now = () => new Date();';
    expect(shapeProblems('api/src/x/helpers.ts', allowed)).toEqual([]);
  });

  it('holds in api/src and sync-engine/src: at most five constructor parameters, no clock reads in services', () => {
    const problems = SOURCE_DIRS.flatMap(sourceFiles).flatMap((file) => shapeProblems(file, fs.readFileSync(path.join(ROOT, file), 'utf8')));
    expect(problems).toEqual([]);
  });
});
