import { randomBytes } from 'node:crypto';
import { expect } from 'vitest';
import type { GqlResult, StartedHub } from '../support/hub';

/** The seeded administrator (System Administrator in the root unit). */
export const ADMIN = 'admin@demo.crm.test';

/** A short random ASCII tag, so a test can find exactly the records it created (search is a substring match). */
export const uniqueTag = (prefix = 'T'): string => `${prefix}${randomBytes(5).toString('hex')}`;

/** Asserts the operation succeeded and returns its data. */
export function ok<T = any>(result: GqlResult<T>): T {
  expect(result.errors, `unexpected errors: ${JSON.stringify(result.errors)}`).toBeUndefined();
  expect(result.status).toBe(200);
  expect(result.data).toBeTruthy();
  return result.data as T;
}

/** Asserts the operation failed with one error of `code` (and, when given, `extensions.field`); returns that error. */
export function failed(result: GqlResult, code: string, field?: string) {
  expect(result.errors, `expected a ${code} error, got data ${JSON.stringify(result.data)}`).toBeDefined();
  expect(result.errors!.length).toBeGreaterThan(0);
  const error = result.errors![0];
  expect(error.extensions?.code, `error was ${JSON.stringify(error)}`).toBe(code);
  if (field !== undefined) {
    expect(error.extensions?.field, `error was ${JSON.stringify(error)}`).toBe(field);
    // A caller reading only the message must also see which field it is about.
    expect(error.message).toContain(field);
  }
  return error;
}

/** Global ids of every seeded user, by email. */
export async function userIds(hub: StartedHub, token: string): Promise<Record<string, string>> {
  const data = ok(await hub.gql<{ users: { id: string; email: string }[] }>('{ users { id email } }', {}, token));
  return Object.fromEntries(data.users.map((u) => [u.email, u.id]));
}

/** Row count of a table, straight from the database (MariaDB answers COUNT(*) as a string). */
export async function countRows(hub: StartedHub, table: string, where = ''): Promise<number> {
  const rows = await hub.database.dataSource.query(`SELECT COUNT(*) AS n FROM ${table}${where ? ` WHERE ${where}` : ''}`);
  return Number(rows[0].n);
}

/** Contact/lead/account fields used by several suites. */
export const CONTACT_FIELDS = `id firstName lastName fullName jobTitle telephone mobilePhone status emails primaryEmail
  account { id name } owner { id email } businessUnit { name } createdBy { email } modifiedBy { email } createdAt updatedAt`;
