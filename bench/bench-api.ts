// Starting the api in this process on a named MariaDB database, and talking GraphQL to it, as
// test/support/hub.ts does for tests (but on databases the benchmarks keep or recreate by name).
import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mysql from 'mysql2/promise';
import { loadApiConfig } from '../api/src/config';
import { startApi, type RunningApi } from '../api/src/main';
import { createLogger } from '../api/src/platform/logger';

/** The MariaDB server the benchmarks use (root, no password, as the tests). */
export const MARIADB_SERVER_URL = process.env.BENCH_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306';
/** The password of the seeded users in benchmark databases (local throwaway data). */
export const BENCH_PASSWORD = 'crm-bench-demo-password';
export const ADMIN_EMAIL = 'admin@demo.crm.test';

export interface GqlAnswer<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

export interface BenchApi {
  readonly api: RunningApi;
  readonly graphqlUrl: string;
  readonly syncServiceKey: string;
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlAnswer<T>>;
  /** Like gql, but throws on any error and returns the data. */
  data<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<T>;
  login(email: string): Promise<string>;
  close(): Promise<void>;
}

const quote = (name: string) => {
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`unsafe database name "${name}"`);
  return `\`${name}\``;
};

export async function serverConnection(database?: string): Promise<mysql.Connection> {
  return mysql.createConnection({ uri: database ? `${MARIADB_SERVER_URL}/${database}` : MARIADB_SERVER_URL, timezone: 'Z', dateStrings: false });
}

export async function databaseExists(name: string): Promise<boolean> {
  const conn = await serverConnection();
  try {
    const [rows] = await conn.query('SELECT COUNT(*) AS n FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?', [name]);
    return Number((rows as { n: number }[])[0].n) > 0;
  } finally {
    await conn.end();
  }
}

export async function recreateDatabase(name: string): Promise<void> {
  const conn = await serverConnection();
  try {
    await conn.query(`DROP DATABASE IF EXISTS ${quote(name)}`);
    await conn.query(`CREATE DATABASE ${quote(name)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await conn.end();
  }
}

export async function dropDatabase(name: string): Promise<void> {
  const conn = await serverConnection();
  try {
    await conn.query(`DROP DATABASE IF EXISTS ${quote(name)}`);
  } finally {
    await conn.end();
  }
}

/** Starts the api (migrations, first-start seed of the demo organization) on `database`, listening on a free loopback port. */
export async function startBenchApi(database: string): Promise<BenchApi> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'crm-bench-'));
  const syncServiceKey = `crm_key_${randomBytes(32).toString('base64url')}`;
  const config = loadApiConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: `${MARIADB_SERVER_URL}/${database}`,
    DATA_DIR: dataDir,
    WEB_DIST_DIR: path.join(dataDir, 'no-web'),
    LOG_LEVEL: process.env.BENCH_LOG_LEVEL ?? 'silent',
    SYNC_SERVICE_API_KEY: syncServiceKey,
    // The load test's clients all sign in as one user: measure throughput, not the per-caller share (default 8).
    MAX_CONCURRENT_PER_CALLER: '64',
  });
  const api = await startApi(config, createLogger(config.logLevel), { demoPassword: BENCH_PASSWORD });
  const graphqlUrl = `http://127.0.0.1:${api.port}/graphql`;
  const gql = async <T>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlAnswer<T>> => {
    const response = await fetch(graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as object) };
  };
  const data = async <T>(query: string, variables?: Record<string, unknown>, token?: string): Promise<T> => {
    const answer = await gql<T>(query, variables, token);
    if (answer.errors?.length || !answer.data) throw new Error(`GraphQL failed (HTTP ${answer.status}): ${JSON.stringify(answer.errors ?? answer)}`);
    return answer.data;
  };
  return {
    api,
    graphqlUrl,
    syncServiceKey,
    gql,
    data,
    async login(email) {
      const result = await data<{ login: { token: string } }>('mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }', {
        email,
        password: BENCH_PASSWORD,
      });
      return result.login.token;
    },
    async close() {
      await api.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
