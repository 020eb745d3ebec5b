// The timeline benchmark's MariaDB dataset: 1,000,000 activities written the way ActivityWriter
// writes them (activity, activity_party, timeline_entry for the regarding record and each party
// that is a record) plus the per-kind detail rows, 100,000 of them on one contact's timeline.
// Generated inside the server from MariaDB's Sequence engine (INSERT … SELECT FROM seq_1_to_N), so
// a million rows load in a few minutes on two cores; every value is a function of the sequence
// number, so a rebuild produces the same data.
import type { Connection } from 'mysql2/promise';

/** How many activities a dataset holds; the store-scale benchmark builds a 1M and a 10M one side by side. */
export interface DatasetShape {
  readonly activities: number;
}
export const DEFAULT_SHAPE: DatasetShape = Object.freeze({ activities: 1_000_000 });
export const ACTIVITIES = DEFAULT_SHAPE.activities;
/** Every tenth activity has the busy contact as a party: 100,000 entries on its timeline (1M at 10M activities). */
const HOT_EVERY = 10;
export const hotEntriesOf = (shape: DatasetShape): number => shape.activities / HOT_EVERY;
export const HOT_ENTRIES = hotEntriesOf(DEFAULT_SHAPE);
/** Other contacts (a prime, so `n * k % OTHER_CONTACTS` spreads evenly). */
const OTHER_CONTACTS = 19_997;
/** Bumped whenever a generator below changes, so an older dataset is rebuilt rather than reused. */
export const DATASET_VERSION = 'timeline-v4';
/** Rows generated per statement: progress is visible and no statement holds a huge transaction. */
const CHUNK = 250_000;

/** The busy contact, a fixed id so reruns find it. */
export const HOT_CONTACT_ID = '0000c0de-0000-7000-8000-000000000000';

const FIRST = ['Ingrid', 'Erik', 'Lena', 'Jonas', 'Åsa', 'Mikael', 'Yuki', 'Hiroshi', 'Chloé', 'Mateo', 'Priya', 'Olu', 'Zoë', 'Björn', 'Fatima', 'Anders', 'Sofia'];
const LAST = ['Lindqvist', 'Öberg', 'Svensson', 'Nakamura', 'Tanaka', 'Dubois', 'García', 'Patel', 'Okafor', 'Müller', 'Johansson', 'Kowalski', 'Nguyen'];

// --- generators: SQL expressions of the sequence number `seq` -------------------------------------

/** A mixer with a full period over 0..10006: kind, owner, regarding and subject are drawn from it. */
const M = '((seq * 7919) % 10007)';
/** UUIDv7-shaped ids (lower-case hex, as the api's global ids require): 48-bit millisecond time from 2023-01-01 plus `seq`, so ids rise with seq (inserts append). */
const uuidOf = (variant: string, number = 'seq') => {
  const time = `LPAD(HEX(1672531200000 + ${number}), 12, '0')`;
  const tail = `LPAD(HEX(${number}), 15, '0')`;
  return `LOWER(CONCAT(SUBSTR(${time}, 1, 8), '-', SUBSTR(${time}, 9, 4), '-7', LPAD(HEX(${number} % 4096), 3, '0'), '-${variant}', SUBSTR(${tail}, 1, 3), '-', SUBSTR(${tail}, 4, 12)))`;
};
const ACTIVITY_ID = uuidOf('8');
/** The contact that is a party of activity `seq`: the busy one, or one of the others. */
const CONTACT_NO = `IF(seq % ${HOT_EVERY} = 0, 0, 1 + (seq * 104729) % ${OTHER_CONTACTS})`;
const contactIdOf = (number: string) => `CONCAT('0000c0de-0000-7000-8000-', LOWER(LPAD(HEX(${number}), 12, '0')))`;
const CONTACT_ID = contactIdOf(CONTACT_NO);
/** 85 % email, 7 % appointments, 5 % tasks, 3 % phone calls. */
const IS_EMAIL = `(${M} % 100 < 85)`;
const IS_APPOINTMENT = `(${M} % 100 BETWEEN 85 AND 91)`;
const IS_TASK = `(${M} % 100 BETWEEN 92 AND 96)`;
const KIND = `CASE WHEN ${IS_EMAIL} THEN 'EMAIL' WHEN ${IS_APPOINTMENT} THEN 'APPOINTMENT' WHEN ${IS_TASK} THEN 'TASK' ELSE 'PHONE_CALL' END`;
/** 0–3: regarding the contact, 4–6: its account, 7: an opportunity, 8–9: nothing. A task (no parties) is always regarding its contact. */
const REGARDING = `IF(${IS_TASK}, 0, (${M} DIV 3) % 10)`;
/** Spread over three years (a bijection of seq onto the seconds of 2023–2025), millisecond stamps. */
const OCCURRED_AT = `(TIMESTAMP'2023-01-01 00:00:00' + INTERVAL ((seq * 2654435761) % 94608000) SECOND + INTERVAL (seq % 1000) * 1000 MICROSECOND)`;
/** Emails and calls: a third outgoing. */
const DIRECTION = `IF(${IS_EMAIL} OR ${M} % 100 >= 97, IF(${M} % 3 = 0, 'OUTGOING', 'INCOMING'), NULL)`;

/** The JS twin of M and REGARDING, to count what the SQL generates. */
const mixer = (seq: number) => (seq * 7919) % 10007;

export interface ExpectedCounts {
  readonly activities: number;
  readonly emails: number;
  readonly timelineEntries: number;
  readonly hotEntries: number;
}

export function expectedCounts(shape: DatasetShape = DEFAULT_SHAPE): ExpectedCounts {
  let emails = 0;
  let regardingOther = 0;
  for (let seq = 1; seq <= shape.activities; seq++) {
    const m = mixer(seq);
    if (m % 100 < 85) emails++;
    const task = m % 100 >= 92 && m % 100 <= 96;
    const r = task ? 0 : Math.floor(m / 3) % 10;
    if (r >= 4 && r <= 7) regardingOther++;
  }
  return { activities: shape.activities, emails, timelineEntries: shape.activities + regardingOther, hotEntries: hotEntriesOf(shape) };
}

async function count(conn: Connection, sql: string, params: unknown[] = []): Promise<number> {
  const [rows] = await conn.query(sql, params);
  return Number((rows as { n: number | string }[])[0].n);
}

const TOTALS = {
  activities: 'SELECT COUNT(*) AS n FROM activity',
  emails: 'SELECT COUNT(*) AS n FROM email_message',
  timelineEntries: 'SELECT COUNT(*) AS n FROM timeline_entry',
  hotEntries: `SELECT COUNT(*) AS n FROM timeline_entry WHERE recordKind = 'contact' AND recordId = '${HOT_CONTACT_ID}'`,
};

async function totals(conn: Connection): Promise<ExpectedCounts> {
  return {
    activities: await count(conn, TOTALS.activities),
    emails: await count(conn, TOTALS.emails),
    timelineEntries: await count(conn, TOTALS.timelineEntries),
    hotEntries: await count(conn, TOTALS.hotEntries),
  };
}

/**
 * Whether the database holds this version's complete dataset: the marker row (written last) with
 * the row counts the build left, and the same counts now. The demo seed may add activities of its
 * own, so the counts are totals, checked against the generated ones when the marker is written.
 */
export async function datasetIsComplete(conn: Connection): Promise<boolean> {
  const [tables] = await conn.query("SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME IN ('bench_dataset', 'activity', 'timeline_entry', 'email_message')");
  if (Number((tables as { n: number }[])[0].n) !== 4) return false;
  let row: { version: string; counts: string } | undefined;
  try {
    const [marker] = await conn.query('SELECT version, counts FROM bench_dataset');
    row = (marker as { version: string; counts: string }[])[0];
  } catch {
    return false; // a marker table of an older layout
  }
  if (row?.version !== DATASET_VERSION) return false;
  return JSON.stringify(await totals(conn)) === row.counts;
}

interface IndexDefinition {
  readonly name: string;
  readonly sql: string;
}

/** The secondary indexes of a table as the migrations created them, to drop before a bulk load and re-add after. */
async function secondaryIndexes(conn: Connection, table: string): Promise<IndexDefinition[]> {
  const [rows] = await conn.query(
    `SELECT INDEX_NAME AS name, NON_UNIQUE AS nonUnique, INDEX_TYPE AS type, COLUMN_NAME AS col, SUB_PART AS sub
       FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME <> 'PRIMARY'
      ORDER BY INDEX_NAME, SEQ_IN_INDEX`,
    [table],
  );
  const byName = new Map<string, { unique: boolean; fulltext: boolean; columns: string[] }>();
  for (const r of rows as { name: string; nonUnique: number; type: string; col: string; sub: number | null }[]) {
    const index = byName.get(r.name) ?? { unique: Number(r.nonUnique) === 0, fulltext: r.type === 'FULLTEXT', columns: [] };
    index.columns.push(`\`${r.col}\`${r.sub ? `(${r.sub})` : ''}`);
    byName.set(r.name, index);
  }
  return [...byName].map(([name, i]) => ({ name, sql: `ADD ${i.unique ? 'UNIQUE ' : i.fulltext ? 'FULLTEXT ' : ''}INDEX \`${name}\` (${i.columns.join(', ')})` }));
}

/** Runs `load` with the tables' secondary indexes dropped, then rebuilds them (a sorted build beats a million random inserts). */
async function withoutSecondaryIndexes(conn: Connection, tables: readonly string[], load: () => Promise<void>, log: (line: string) => void): Promise<void> {
  const saved = new Map<string, IndexDefinition[]>();
  for (const table of tables) {
    const indexes = await secondaryIndexes(conn, table);
    saved.set(table, indexes);
    if (indexes.length) await conn.query(`ALTER TABLE \`${table}\` ${indexes.map((i) => `DROP INDEX \`${i.name}\``).join(', ')}`);
  }
  await load();
  for (const [table, indexes] of saved) {
    if (!indexes.length) continue;
    const started = Date.now();
    await conn.query(`ALTER TABLE \`${table}\` ${indexes.map((i) => i.sql).join(', ')}`);
    log(`  indexes of ${table} rebuilt (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  }
}

const chunks = (activities: number): [number, number][] => Array.from({ length: Math.ceil(activities / CHUNK) }, (_, i) => [i * CHUNK + 1, Math.min(activities, (i + 1) * CHUNK)]);

/** `ELT(index + 1, ?, ?, …)`: picks one of `values` by a SQL index expression. */
const pick = (index: string, values: readonly string[]): { sql: string; params: string[] } => ({ sql: `ELT(${index} + 1, ${values.map(() => '?').join(', ')})`, params: [...values] });

/**
 * Loads the dataset into a freshly migrated and seeded database (the api started once on it).
 * Uses the seeded users as owners (so business-unit scopes filter realistically), the seeded
 * accounts and opportunities as regarding records, and adds the contacts the activities are with.
 */
export async function loadTimelineDataset(conn: Connection, log: (line: string) => void, shape: DatasetShape = DEFAULT_SHAPE): Promise<void> {
  const { activities } = shape;
  const [userRows] = await conn.query('SELECT id, businessUnitId, email FROM app_user WHERE isService = 0 ORDER BY email');
  const users = userRows as { id: string; businessUnitId: string; email: string }[];
  const [syncRows] = await conn.query('SELECT id FROM app_user WHERE isService = 1 ORDER BY email LIMIT 1');
  const syncUserId = (syncRows as { id: string }[])[0].id;
  const [accountRows] = await conn.query('SELECT id, name, ownerId, businessUnitId FROM account ORDER BY name, id');
  const accounts = accountRows as { id: string; name: string; ownerId: string; businessUnitId: string }[];
  const [opportunityRows] = await conn.query('SELECT id FROM opportunity ORDER BY name, id');
  const opportunities = (opportunityRows as { id: string }[]).map((o) => o.id);
  const maria = users.find((u) => u.email.startsWith('maria.manager@'));
  if (!maria || accounts.length === 0 || opportunities.length === 0) throw new Error('the bench database is not seeded with the demo organization');

  await conn.query('CREATE TABLE IF NOT EXISTS bench_dataset (version varchar(40) NOT NULL, builtAt datetime NOT NULL, seconds double NOT NULL, counts text NOT NULL)');
  await conn.query('DELETE FROM bench_dataset');
  await conn.query('SET SESSION unique_checks = 0, foreign_key_checks = 0, sort_buffer_size = 67108864');

  // --- contacts with their addresses -------------------------------------------------------------
  const A = accounts.length;
  const U = users.length;
  const contactNo = 'seq';
  const accountOf = (no: string) => `(${no} % ${A})`;
  const account = pick(accountOf(contactNo), accounts.map((a) => a.id));
  const accountOwner = pick(accountOf(contactNo), accounts.map((a) => a.ownerId));
  const accountUnit = pick(accountOf(contactNo), accounts.map((a) => a.businessUnitId));
  const domains = accounts.map((a) => a.name.normalize('NFKD').replace(/[^\w]+/g, '').toLowerCase() || 'company');
  const domain = pick(accountOf(contactNo), domains);
  const first = pick(`(${contactNo} % ${FIRST.length})`, FIRST);
  const last = pick(`((${contactNo} DIV ${FIRST.length}) % ${LAST.length})`, LAST);
  let started = Date.now();
  await conn.query(
    `INSERT INTO contact (id, ownerId, businessUnitId, createdById, modifiedById, createdAt, updatedAt, firstName, lastName, fullName, jobTitle, telephone, mobilePhone, status, accountId)
     SELECT ${contactIdOf(contactNo)},
            IF(seq = 0, ?, ${accountOwner.sql}), IF(seq = 0, ?, ${accountUnit.sql}), IF(seq = 0, ?, ${accountOwner.sql}), IF(seq = 0, ?, ${accountOwner.sql}),
            TIMESTAMP'2022-12-01 00:00:00', TIMESTAMP'2022-12-01 00:00:00',
            ${first.sql}, ${last.sql}, CONCAT(${first.sql}, ' ', ${last.sql}),
            ELT(seq % 5 + 1, 'Purchasing Manager', 'CTO', 'Office Manager', 'Head of IT', NULL),
            CONCAT('+46 70 ', LPAD(seq, 7, '0')), NULL, 'ACTIVE', ${account.sql}
       FROM seq_0_to_${OTHER_CONTACTS}`,
    [maria.id, ...accountOwner.params, maria.businessUnitId, ...accountUnit.params, maria.id, ...accountOwner.params, maria.id, ...accountOwner.params, ...first.params, ...last.params, ...first.params, ...last.params, ...account.params],
  );
  await conn.query(
    `INSERT INTO email_address (id, address, recordKind, recordId, position)
     SELECT CONCAT('0000e0e0-0000-7000-8000-', LOWER(LPAD(HEX(seq), 12, '0'))),
            LOWER(CONCAT(${first.sql}, '.', ${last.sql}, seq, '@', ${domain.sql}, '.example')), 'contact', ${contactIdOf(contactNo)}, 0
       FROM seq_0_to_${OTHER_CONTACTS}`,
    [...first.params, ...last.params, ...domain.params],
  );
  log(`  ${OTHER_CONTACTS + 1} contacts (${((Date.now() - started) / 1000).toFixed(1)} s)`);

  // --- activities and what ActivityWriter writes with them -----------------------------------------
  const owner = pick(`((${M} DIV 11) % ${U})`, users.map((u) => u.id));
  const ownerUnit = pick(`((${M} DIV 11) % ${U})`, users.map((u) => u.businessUnitId));
  const ownerEmail = pick(`((${M} DIV 11) % ${U})`, users.map((u) => u.email));
  const activityAccount = pick(accountOf(CONTACT_NO), accounts.map((a) => a.id));
  const company = pick(accountOf(CONTACT_NO), accounts.map((a) => a.name));
  const contactFirst = pick(`(${CONTACT_NO} % ${FIRST.length})`, FIRST);
  const contactLast = pick(`((${CONTACT_NO} DIV ${FIRST.length}) % ${LAST.length})`, LAST);
  const contactDomain = pick(accountOf(CONTACT_NO), domains);
  const contactAddress = {
    sql: `LOWER(CONCAT(${contactFirst.sql}, '.', ${contactLast.sql}, ${CONTACT_NO}, '@', ${contactDomain.sql}, '.example'))`,
    params: [...contactFirst.params, ...contactLast.params, ...contactDomain.params],
  };
  const opportunity = pick(`((${M} DIV 30) % ${opportunities.length})`, opportunities);
  const emailSubject = pick(`((${M} DIV 100) % 10)`, ['Re: Offer for', 'Fw: Delivery schedule –', 'Invoice question from', 'Re: Pricing for', 'Contract renewal:', 'Re: Re: Installation at', 'Quote request –', 'SV: Offert till', 'AW: Angebot für', 'Thanks for the meeting,']);
  const otherSubject = pick(`((${M} DIV 100) % 4)`, ['Quarterly review with', 'Follow up with', 'Call about the renewal with', 'Onsite visit at']);

  const activitySelect = `
    SELECT ${ACTIVITY_ID}, ${owner.sql}, ${ownerUnit.sql}, IF(${IS_EMAIL}, ?, ${owner.sql}), IF(${IS_EMAIL}, ?, ${owner.sql}),
           ${OCCURRED_AT} + INTERVAL 90 SECOND, ${OCCURRED_AT} + INTERVAL 90 SECOND,
           ${KIND},
           IF(${IS_EMAIL}, CONCAT(${emailSubject.sql}, ' ', ${company.sql}, ' (ref ', seq % 9973, ')'), CONCAT(${otherSubject.sql}, ' ', ${company.sql})),
           CASE WHEN ${REGARDING} < 4 THEN 'contact' WHEN ${REGARDING} < 7 THEN 'account' WHEN ${REGARDING} = 7 THEN 'opportunity' ELSE NULL END,
           CASE WHEN ${REGARDING} < 4 THEN ${CONTACT_ID} WHEN ${REGARDING} < 7 THEN ${activityAccount.sql} WHEN ${REGARDING} = 7 THEN ${opportunity.sql} ELSE NULL END,
           IF(${IS_TASK} AND ${M} % 4 = 0, 'OPEN', 'COMPLETED'),
           ${DIRECTION}, ${OCCURRED_AT},
           IF(${IS_EMAIL}, NULL, CONCAT('Notes: discussed next steps with ', ${company.sql}, '.')),
           'FULL'`;
  const activityParams = [
    ...owner.params, ...ownerUnit.params, syncUserId, ...owner.params, syncUserId, ...owner.params,
    ...emailSubject.params, ...company.params, ...otherSubject.params, ...company.params,
    ...activityAccount.params, ...opportunity.params, ...company.params,
  ];
  // Parties as tracking writes them: position 0 is the sender (or organizer), 1 the recipient (or
  // attendee); the mailbox owner sent outgoing mail and organizes meetings. Tasks have none.
  const ownerFirst = `(${IS_APPOINTMENT} OR ${M} % 3 = 0)`;
  const party = (position: 0 | 1) => {
    const isUser = position === 0 ? ownerFirst : `NOT ${ownerFirst}`;
    return {
      sql: `INSERT INTO activity_party (id, activityId, role, address, displayName, partyKind, partyId, resolution, candidates, position)
            SELECT ${uuidOf(position === 0 ? '9' : 'a')}, ${ACTIVITY_ID},
                   IF(${IS_APPOINTMENT}, '${position === 0 ? 'ORGANIZER' : 'REQUIRED'}', '${position === 0 ? 'FROM' : 'TO'}'),
                   IF(${isUser}, ${ownerEmail.sql}, ${contactAddress.sql}), NULL,
                   IF(${isUser}, 'user', 'contact'), IF(${isUser}, ${owner.sql}, ${CONTACT_ID}), 'RESOLVED', NULL, ${position}`,
      params: [...ownerEmail.params, ...contactAddress.params, ...owner.params],
    };
  };

  const tables = ['activity', 'activity_party', 'timeline_entry', 'email_message', 'appointment_detail', 'task_detail', 'phone_call_detail'];
  await withoutSecondaryIndexes(
    conn,
    tables,
    async () => {
      for (const [from, to] of chunks(activities)) {
        started = Date.now();
        const seq = `seq_${from}_to_${to}`;
        await conn.query(`INSERT INTO activity (id, ownerId, businessUnitId, createdById, modifiedById, createdAt, updatedAt, kind, subject, regardingKind, regardingId, state, direction, occurredAt, description, visibility) ${activitySelect} FROM ${seq}`, activityParams);
        for (const position of [0, 1] as const) {
          const { sql, params } = party(position);
          await conn.query(`${sql} FROM ${seq} WHERE NOT ${IS_TASK}`, params);
        }
        await conn.query(
          `INSERT INTO email_message (activityId, messageId, messageIdHash, inReplyTo, referenceIds, threadIndex, conversationRoot, trackingToken, subjectHash, status,
                                      sentAt, receivedAt, fromAddress, textBodyBlob, htmlBodyBlob, preview, bodyTruncated, correlationMethod,
                                      trackingDecision, salvage, senderMailboxId, sendLeaseId, sendLeaseUntil, sendAttempts, nextAttemptAt, failureReason)
           SELECT id, mid, SHA2(mid, 256), NULL, NULL, NULL, NULL, NULL, SHA2(LOWER(subject), 256), IF(direction = 'OUTGOING', 'SENT', 'RECEIVED'),
                  occurredAt, IF(direction = 'OUTGOING', NULL, occurredAt), fromAddress, NULL, NULL,
                  CONCAT('Hi, thanks for your message about ', subject, '. We will get back to you with the details before the end of the week. Best regards'),
                  0, IF(regardingKind IS NULL, 'NONE', 'FOLDER_RULE'), NULL, NULL, NULL, NULL, NULL, 0, NULL, NULL
             FROM (SELECT a.*, p.address AS fromAddress, CONCAT('DB9PR07MB', LPAD(HEX(seq), 8, '0'), '.', ${M}, '@DB9PR07MB1234.eurprd07.prod.outlook.com') AS mid
                     FROM ${seq} JOIN activity a ON a.id = ${ACTIVITY_ID} JOIN activity_party p ON p.id = ${uuidOf('9')} WHERE ${IS_EMAIL}) e`,
        );
        await conn.query(
          `INSERT INTO appointment_detail (activityId, startAt, endAt, allDay, location, icalUid)
           SELECT ${ACTIVITY_ID}, ${OCCURRED_AT}, ${OCCURRED_AT} + INTERVAL 1 HOUR, 0, 'Teams meeting', CONCAT(${ACTIVITY_ID}, '@bench.crm.test')
             FROM ${seq} WHERE ${IS_APPOINTMENT}`,
        );
        await conn.query(`INSERT INTO task_detail (activityId, dueAt, priority) SELECT ${ACTIVITY_ID}, ${OCCURRED_AT}, 'NORMAL' FROM ${seq} WHERE ${IS_TASK}`);
        await conn.query(`INSERT INTO phone_call_detail (activityId, phoneNumber, durationMinutes) SELECT ${ACTIVITY_ID}, CONCAT('+46 8 555 ', seq % 10000), 5 + seq % 40 FROM ${seq} WHERE ${M} % 100 >= 97`);
        log(`  activities ${from.toLocaleString('en-US')}–${to.toLocaleString('en-US')} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
      }
      // Timeline entries as timelineTargets() computes them: the contact (a party; also the regarding
      // record for REGARDING 0–3) and the regarding account or opportunity, with the copies of the activity's
      // columns ActivityWriter writes (timeline-copies.ts), read back from the activities just loaded. Sorted by
      // primary key, the page order.
      started = Date.now();
      await conn.query(
        `INSERT INTO timeline_entry (recordKind, recordId, activityId, occurredAt, viaRegarding, viaParty, ownerId, businessUnitId, kind, subject, state, direction, visibility)
         SELECT t.k, t.r, t.a, a.occurredAt, t.vr, t.vp, a.ownerId, a.businessUnitId, a.kind, a.subject, a.state, a.direction, a.visibility FROM (
           SELECT 'contact' AS k, ${CONTACT_ID} AS r, ${ACTIVITY_ID} AS a, ${REGARDING} < 4 AS vr, NOT ${IS_TASK} AS vp
             FROM seq_1_to_${activities}
           UNION ALL
           SELECT IF(${REGARDING} < 7, 'account', 'opportunity'), IF(${REGARDING} < 7, ${activityAccount.sql}, ${opportunity.sql}), ${ACTIVITY_ID}, 1, 0
             FROM seq_1_to_${activities} WHERE ${REGARDING} BETWEEN 4 AND 7
         ) t JOIN activity a ON a.id = t.a ORDER BY t.k, t.r, a.occurredAt, t.a`,
        [...activityAccount.params, ...opportunity.params],
      );
      log(`  timeline entries (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    },
    log,
  );
  started = Date.now();
  await conn.query(`ANALYZE TABLE ${[...tables, 'contact', 'email_address'].join(', ')}`);
  log(`  ANALYZE TABLE (${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

/**
 * Checks that the load added exactly the generated rows to what the seed wrote (`before`), then
 * marks the dataset complete with its totals; `datasetIsComplete` looks for this row.
 */
export async function markDatasetComplete(conn: Connection, before: ExpectedCounts, seconds: number, shape: DatasetShape = DEFAULT_SHAPE): Promise<void> {
  const after = await totals(conn);
  const expected = expectedCounts(shape);
  for (const key of Object.keys(expected) as (keyof ExpectedCounts)[]) {
    if (after[key] - before[key] !== expected[key]) throw new Error(`dataset: ${key} grew by ${after[key] - before[key]}, expected ${expected[key]}`);
  }
  await conn.query('INSERT INTO bench_dataset (version, builtAt, seconds, counts) VALUES (?, UTC_TIMESTAMP(), ?, ?)', [DATASET_VERSION, seconds, JSON.stringify(after)]);
}

/** Row counts before loading (what the api's seed wrote). */
export const countsBeforeLoad = totals;

/**
 * After a benchmark added rows of its own (the store-scale ingest tracks a few thousand emails into
 * the dataset), the marker takes the new totals so the dataset is reused, not rebuilt, next run.
 */
export async function recountDataset(conn: Connection): Promise<void> {
  await conn.query('UPDATE bench_dataset SET counts = ?', [JSON.stringify(await totals(conn))]);
}
