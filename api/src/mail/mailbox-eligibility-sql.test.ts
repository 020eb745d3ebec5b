import 'reflect-metadata';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EmailApproval, IncomingMethod, MailboxState, OutgoingMethod } from './mail-enums';
import { incomingEnabled, isSyncable, outgoingEnabled, type EligibilityMailbox } from './mailbox-eligibility';
import { readsIncomingSql, sendsSql, syncableSql } from './mailbox-eligibility-sql';

/** Every combination of the columns the rule reads. */
const MAILBOXES: (EligibilityMailbox & { id: number })[] = [];
for (const profileId of [null, 'p1'])
  for (const approval of Object.values(EmailApproval))
    for (const state of Object.values(MailboxState))
      for (const incomingMethod of Object.values(IncomingMethod))
        for (const outgoingMethod of Object.values(OutgoingMethod))
          for (const isForwardMailbox of [false, true])
            MAILBOXES.push({ id: MAILBOXES.length, profileId, approval, state, incomingMethod, outgoingMethod, isForwardMailbox, testRequestedAt: null });

const RULES = [
  ['isSyncable', isSyncable, syncableSql],
  ['outgoingEnabled', outgoingEnabled, sendsSql],
  ['incomingEnabled', incomingEnabled, (m: string, onlyApproved: boolean) => `${syncableSql(m, onlyApproved)} AND ${readsIncomingSql(m)}`],
] as const;

describe('the eligibility SQL and its TypeScript twin agree on every mailbox', () => {
  const db = new BetterSqlite3(':memory:');
  beforeAll(() => {
    db.exec('CREATE TABLE mailbox (id INTEGER PRIMARY KEY, profileId TEXT, approval TEXT, state TEXT, incomingMethod TEXT, outgoingMethod TEXT, isForwardMailbox INTEGER)');
    const insert = db.prepare('INSERT INTO mailbox VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (const m of MAILBOXES) insert.run(m.id, m.profileId, m.approval, m.state, m.incomingMethod, m.outgoingMethod, m.isForwardMailbox ? 1 : 0);
  });
  afterAll(() => db.close());

  for (const [name, rule, sql] of RULES) {
    for (const onlyApproved of [false, true]) {
      it(`${name}, processEmailOnlyForApprovedMailboxes ${onlyApproved}`, () => {
        const settings = { processEmailOnlyForApprovedMailboxes: onlyApproved };
        const expected = MAILBOXES.filter((m) => rule(m, settings)).map((m) => m.id);
        const selected = (db.prepare(`SELECT m.id FROM mailbox m WHERE ${sql('m', onlyApproved)} ORDER BY m.id`).all() as { id: number }[]).map((r) => r.id);
        expect(expected.length).toBeGreaterThan(0);
        expect(selected).toEqual(expected);
      });
    }
  }
});
