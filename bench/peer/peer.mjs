#!/usr/bin/env node
// The timeline benchmark's peer: PostGraphile 5 (its own grafserv HTTP server on node:http) over
// PostgreSQL, with the same data shape as the hub's timeline: 1,000,000 activities, 100,000 of
// them on one record. Started by bench/run.ts as a child process; prints one JSON line
// {"ready":true,"url":…,"recordId":…,"rows":…,"loadedNow":…} on stdout once it serves.
//
//   node bench/peer/peer.mjs [--rebuild]
//   env: PEER_PG_URL (default postgres://postgres@127.0.0.1:5432), PEER_DB (default crm_bench_peer)

// PostGraphile 5 and grafast call Promise.withResolvers (Node 22); this machine runs Node 20.
if (typeof Promise.withResolvers !== 'function') {
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new this((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

import { createServer } from 'node:http';
import pg from 'pg';

const SERVER_URL = process.env.PEER_PG_URL ?? 'postgres://postgres@127.0.0.1:5432';
const DB = process.env.PEER_DB ?? 'crm_bench_peer';
const ROWS = Number(process.env.PEER_ROWS ?? 1_000_000);
/** Every tenth activity is on the one busy record: 100,000 of 1,000,000. */
const HOT_EVERY = 10;
const OTHER_RECORDS = 20_000;
const HOT_RECORD = '00000000-0000-4000-8000-00000000c0de';
const rebuild = process.argv.includes('--rebuild');
/** Bumped whenever the generators change, so an older dataset is rebuilt; kept as the table's comment. */
const DATASET_VERSION = 'peer-v2';

if (!/^[a-z0-9_]+$/.test(DB)) throw new Error(`unsafe database name ${DB}`);

async function serverVersion() {
  const db = new pg.Client({ connectionString: `${SERVER_URL}/${DB}` });
  await db.connect();
  try {
    return (await db.query('SHOW server_version')).rows[0].server_version;
  } finally {
    await db.end();
  }
}

/** Creates and fills the database unless it already holds exactly the expected rows. Returns whether it loaded. */
async function ensureDataset() {
  const admin = new pg.Client({ connectionString: `${SERVER_URL}/postgres` });
  await admin.connect();
  try {
    const exists = (await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DB])).rowCount > 0;
    if (!exists) await admin.query(`CREATE DATABASE ${DB}`);
  } finally {
    await admin.end();
  }
  const db = new pg.Client({ connectionString: `${SERVER_URL}/${DB}` });
  await db.connect();
  try {
    if (!rebuild) {
      const table = (await db.query("SELECT to_regclass('public.activity') AS t")).rows[0].t;
      const version = table ? (await db.query("SELECT obj_description('public.activity'::regclass, 'pg_class') AS v")).rows[0].v : null;
      if (version === DATASET_VERSION) {
        const { total, hot } = (await db.query('SELECT count(*)::int AS total, count(*) FILTER (WHERE record_id = $1)::int AS hot FROM activity', [HOT_RECORD])).rows[0];
        if (total === ROWS && hot === ROWS / HOT_EVERY) return false;
      }
    }
    await db.query('DROP TABLE IF EXISTS activity');
    await db.query(`CREATE TABLE activity (
      id uuid NOT NULL,
      record_id uuid NOT NULL,
      occurred_at timestamptz NOT NULL,
      kind text NOT NULL,
      subject text NOT NULL,
      direction text,
      state text NOT NULL,
      owner_id uuid NOT NULL,
      business_unit_id uuid NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now()
    )`);
    // The generators of the MariaDB dataset (bench/timeline-dataset.ts): time-ordered ids, occurred_at
    // the same bijection of n onto three years, kinds, directions and owners from the same mixer m.
    await db.query(
      `INSERT INTO activity (id, record_id, occurred_at, kind, subject, direction, state, owner_id, business_unit_id)
       SELECT
         (lpad(to_hex(1672531200000 + n), 12, '0') || '7' || lpad(to_hex(n % 4096), 3, '0') || '8' || lpad(to_hex(n), 15, '0'))::uuid,
         CASE WHEN n % $1 = 0 THEN $2::uuid
              ELSE ('00000000-0000-4000-8000-' || lpad(to_hex(1 + n % $3), 12, '0'))::uuid END,
         timestamptz '2023-01-01 00:00:00+00' + ((n::bigint * 2654435761) % 94608000) * interval '1 second' + (n % 1000) * interval '1 millisecond',
         CASE WHEN m % 100 < 85 THEN 'EMAIL' WHEN m % 100 < 92 THEN 'APPOINTMENT' WHEN m % 100 < 97 THEN 'TASK' ELSE 'PHONE_CALL' END,
         (ARRAY['Re: Offer for','Fw: Delivery schedule –','Invoice question from','Re: Pricing for','Contract renewal:','Re: Re: Installation at','Quote request –','SV: Offert till','AW: Angebot für','Thanks for the meeting,'])[1 + (m / 100) % 10]
           || ' ' || (ARRAY['Adventure Works','Alpine Ski House','Blue Yonder Airlines','Café Münster GmbH','Coho Winery','Fabrikam','Fourth Coffee','Litware','Northwind Traders','Åkerlunds Bygg AB','Öresund Logistik','Woodgrove Bank'])[1 + (n::bigint * 104729 % 19997) % 12]
           || ' (ref ' || (n % 9973) || ')',
         CASE WHEN m % 100 < 85 OR m % 100 >= 97 THEN (CASE WHEN m % 3 = 0 THEN 'OUTGOING' ELSE 'INCOMING' END) ELSE NULL END,
         'COMPLETED',
         ('00000000-0000-4000-9000-' || lpad(to_hex(1 + (m / 11) % 6), 12, '0'))::uuid,
         ('00000000-0000-4000-a000-' || lpad(to_hex(1 + (m / 11) % 6 % 4), 12, '0'))::uuid
       FROM (SELECT n, (n::bigint * 7919) % 10007 AS m FROM generate_series(1, $4::int) AS n) AS g`,
      [HOT_EVERY, HOT_RECORD, OTHER_RECORDS, ROWS],
    );
    await db.query('ALTER TABLE activity ADD PRIMARY KEY (id)');
    await db.query('CREATE INDEX activity_record_timeline ON activity (record_id, occurred_at DESC, id DESC)');
    await db.query('VACUUM ANALYZE activity');
    await db.query(`COMMENT ON TABLE activity IS '${DATASET_VERSION}'`);
    return true;
  } finally {
    await db.end();
  }
}

async function serve() {
  const [{ postgraphile }, { PostGraphileAmberPreset }, { makePgService }, { grafserv }] = await Promise.all([
    import('postgraphile'),
    import('postgraphile/presets/amber'),
    import('postgraphile/adaptors/pg'),
    import('postgraphile/grafserv/node'),
  ]);
  const preset = {
    extends: [PostGraphileAmberPreset],
    pgServices: [makePgService({ connectionString: `${SERVER_URL}/${DB}`, schemas: ['public'] })],
    grafserv: { graphqlPath: '/graphql', graphiql: false, watch: false },
    grafast: { explain: false },
  };
  const pgl = postgraphile(preset);
  const serv = pgl.createServ(grafserv);
  const server = createServer();
  server.keepAliveTimeout = 60_000;
  await serv.addTo(server);
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const stop = async () => {
    server.close();
    await pgl.release();
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  process.on('disconnect', stop);
  return `http://127.0.0.1:${server.address().port}/graphql`;
}

try {
  const loadedNow = await ensureDataset();
  const postgres = await serverVersion();
  const url = await serve();
  process.stdout.write(`${JSON.stringify({ ready: true, url, recordId: HOT_RECORD, rows: ROWS, hotRows: ROWS / HOT_EVERY, loadedNow, postgres })}\n`);
} catch (err) {
  process.stderr.write(`${err?.stack ?? err}\n`);
  process.exit(1);
}
