import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { DestinationStream } from 'pino';
import { loadApiConfig } from '../../api/src/config';
import { createMysqlDatabase, dropMysqlDatabase } from '../../api/src/db/mysql-admin';
import type { Database } from '../../api/src/db/data-source';
import type { Services } from '../../api/src/graphql/services';
import { startApi } from '../../api/src/main';
import type { Clock } from '../../api/src/platform/clock';
import { createLogger } from '../../api/src/platform/logger';
import { entriesOutOfStep } from './timeline-copies-check';

export type Dialect = 'sqlite' | 'mariadb';

/** The MariaDB server tests use: the machine's own (see scripts/ensure-test-services.sh). */
export const MARIADB_SERVER_URL = process.env.TEST_MARIADB_URL ?? 'mysql://root@127.0.0.1:3306';

export interface GqlResult<T = any> {
  status: number;
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: Record<string, any> }[];
}

export interface StartedHub {
  readonly dialect: Dialect;
  /** http://127.0.0.1:PORT */
  readonly url: string;
  readonly graphqlUrl: string;
  /** The password of every seeded user: given explicitly, as only tests do (a real first start gives each its own). */
  readonly demoPassword: string;
  /** The key the sync engines use (SYNC_SERVICE_API_KEY). */
  readonly syncServiceKey: string;
  /** The api's database, for statement counts and for checking what was (not) written. */
  readonly database: Database;
  /** The api's services, e.g. `services.events` to observe committed activity changes (read back from the live event log). */
  readonly services: Services;
  /** Resolves once this api's live tail has handed out every event committed so far (to `services.events` listeners too). */
  liveDelivered(): Promise<void>;
  /** Where this api's data lives, for a second api process on the same database (`startHub({ sameDatabaseAs })`). */
  readonly databaseUrl: string;
  readonly dataDir: string;
  gql<T = any>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlResult<T>>;
  /** Signs in a seeded user through the API and returns the session token. */
  login(email: string): Promise<string>;
  close(): Promise<void>;
}

/** Starts a real api (HTTP on a free loopback port) on a fresh database of the given dialect, with the demo organization. */
export async function startHub(options: {
  dialect: Dialect;
  env?: Record<string, string>;
  logDestination?: DestinationStream;
  /** Another api on that hub's database and data directory (as a second replica would be); closing it leaves both in place. */
  sameDatabaseAs?: StartedHub;
  /** "Now" for the api's services (createServices({ clock })), so a test can place what it does at exact times. */
  clock?: Clock;
}): Promise<StartedHub> {
  const peer = options.sameDatabaseAs;
  const dataDir = peer?.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'crm-hub-test-'));
  let databaseUrl = peer?.databaseUrl ?? `sqlite:${path.join(dataDir, 'hub.sqlite')}`;
  let dropDatabase = async () => {};
  if (options.dialect === 'mariadb' && !peer) {
    const name = `crm_test_${process.pid}_${randomBytes(4).toString('hex')}`;
    await createMysqlDatabase(MARIADB_SERVER_URL, name);
    databaseUrl = `${MARIADB_SERVER_URL}/${name}`;
    dropDatabase = () => dropMysqlDatabase(MARIADB_SERVER_URL, name);
  }
  const demoPassword = peer?.demoPassword ?? `demo-${randomBytes(6).toString('hex')}`;
  const syncServiceKey = peer?.syncServiceKey ?? `crm_key_${randomBytes(32).toString('base64url')}`;
  const config = loadApiConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATABASE_URL: databaseUrl,
    DATA_DIR: dataDir,
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    SYNC_SERVICE_API_KEY: syncServiceKey,
    // Tests count what they create; the demo history has its own test (test/api/demo-activities.test.ts).
    SEED_DEMO_ACTIVITIES: 'false',
    // Suites sign in many times a minute from one address; test/api/sign-in-limits.test.ts sets its own limits.
    SIGN_IN_LIMIT_PER_CLIENT: '100000',
    SIGN_IN_LIMIT_TOTAL: '100000',
    ...options.env,
  });
  const api = await startApi(config, createLogger(config.logLevel, 'api', options.logDestination), { demoPassword, clock: options.clock });
  const url = `http://127.0.0.1:${api.port}`;
  const gql = async <T>(query: string, variables?: Record<string, unknown>, token?: string): Promise<GqlResult<T>> => {
    const response = await fetch(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    return { status: response.status, ...((await response.json()) as object) };
  };
  return {
    dialect: options.dialect,
    url,
    graphqlUrl: `${url}/graphql`,
    demoPassword,
    syncServiceKey,
    database: api.database,
    services: api.services,
    databaseUrl,
    dataDir,
    gql,
    async liveDelivered() {
      // A commit wakes the tail; a read already under way may have started before it, so the second read is the one that sees it.
      await api.services.liveTail.wake();
      await api.services.liveTail.wake();
    },
    async login(email) {
      const result = await gql<{ login: { token: string } }>(
        'mutation($email: String!, $password: String!) { login(email: $email, password: $password) { token } }',
        { email, password: demoPassword },
      );
      if (!result.data?.login) throw new Error(`login as ${email} failed: ${JSON.stringify(result.errors)}`);
      return result.data.login.token;
    },
    async close() {
      const outOfStep = peer || !api.database.dataSource.isInitialized ? [] : await entriesOutOfStep(api.database.dataSource);
      await api.close();
      if (peer) return;
      await dropDatabase();
      fs.rmSync(dataDir, { recursive: true, force: true });
      if (outOfStep.length) throw new Error(`timeline entries out of step with their activities: ${JSON.stringify(outOfStep)}`);
    },
  };
}

/** Both databases the hub supports; suites run once per dialect. */
export const DIALECTS: Dialect[] = ['sqlite', 'mariadb'];
