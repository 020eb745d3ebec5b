import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildSchema, parse, validate, type GraphQLSchema } from 'graphql';

/** A package whose GraphQL operations are written with its own `graphql` tag. */
export interface DocumentPackage {
  readonly root: string;
  /** The module exporting `graphql` and `taggedDocuments`. */
  readonly tagModule: string;
}

export interface TaggedDocument {
  readonly name: string;
  readonly file: string;
  readonly text: string;
}

export interface ContractViolation {
  readonly name: string;
  readonly file: string;
  readonly error: string;
}

// Operations are tagged with their name, graphql('Name')`…`, which keys their generated types.
const TAG = /\bgraphql\('\w+'\)`/g;
const OPERATION_NAME = /\b(?:query|mutation|subscription)\s+(\w+)/g;
// An operation that starts a string or template literal, with what stands before the quote.
const OPERATION_LITERAL = /(graphql\('\w+'\)|\w*)\s*(['"`])\s*(?:#[^\n]*\n\s*)*(?:query|mutation|subscription)\b\s*\w*\s*[({]/g;

export function sourceFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((path) => /\.(ts|svelte)$/.test(path) && !/\.test\.ts$/.test(path))
    .map((path) => join(root, path))
    .sort();
}

/** Loads every module of the package that uses the tag, and names each document it recorded after the file it is written in. */
export async function collectDocuments(pkg: DocumentPackage, repoRoot: string): Promise<{ documents: TaggedDocument[]; tagUses: number }> {
  const tagged = sourceFiles(pkg.root).filter((file) => TAG.test(readFileSync(file, 'utf8')) && !(TAG.lastIndex = 0));
  const fileByName = new Map<string, string>();
  let tagUses = 0;
  for (const file of tagged) {
    const source = readFileSync(file, 'utf8');
    tagUses += source.match(TAG)?.length ?? 0;
    for (const match of source.matchAll(OPERATION_NAME)) fileByName.set(match[1], relative(repoRoot, file));
    await import(pathToFileURL(file).href);
  }
  const { taggedDocuments } = (await import(pathToFileURL(pkg.tagModule).href)) as { taggedDocuments: readonly string[] };
  const documents = taggedDocuments.map((text) => {
    const name = /\b(?:query|mutation|subscription)\s+(\w+)/.exec(text)?.[1] ?? '(anonymous)';
    return { name, file: fileByName.get(name) ?? '(unknown file)', text };
  });
  return { documents, tagUses };
}

export function loadSchema(path: string): GraphQLSchema {
  return buildSchema(readFileSync(path, 'utf8'));
}

/** Each document's parse or validation errors against the schema; empty when all pass. */
export function violations(schema: GraphQLSchema, documents: readonly TaggedDocument[]): ContractViolation[] {
  return documents.flatMap(({ name, file, text }) => {
    let errors: readonly { message: string }[];
    try {
      errors = validate(schema, parse(text));
    } catch (error) {
      errors = [error as Error];
    }
    return errors.map((error) => ({ name, file, error: error.message }));
  });
}

/** Operations written as plain strings or under another tag: they would escape the contract test. */
export function untaggedOperations(files: readonly string[], repoRoot: string): string[] {
  return files.flatMap((file) => {
    const source = readFileSync(file, 'utf8');
    return [...source.matchAll(OPERATION_LITERAL)]
      .filter((match) => !(/^graphql\('\w+'\)$/.test(match[1]) && match[2] === '`'))
      .map((match) => `${relative(repoRoot, file)}: ${match[0].trim().slice(0, 60)}`);
  });
}
