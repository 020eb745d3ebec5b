import 'reflect-metadata';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { printApiSchema, SCHEMA_FILE } from './schema';

describe('schema.graphql', () => {
  it('is exactly what the code prints (run `npm run schema` and commit the result)', () => {
    expect(fs.readFileSync(SCHEMA_FILE, 'utf8')).toBe(printApiSchema());
  });
});
