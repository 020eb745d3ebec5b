import 'reflect-metadata';
import fs from 'node:fs';
import { printApiSchema, SCHEMA_FILE } from './graphql/schema';

// `npm run schema`: rewrites schema.graphql from the code; the schema test fails until this is committed.
fs.writeFileSync(SCHEMA_FILE, printApiSchema());
console.log(`wrote ${SCHEMA_FILE}`);
