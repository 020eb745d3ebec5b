import type { DataSource } from 'typeorm';

/**
 * Timeline entries whose copies of their activity's columns (api/src/activities/timeline-copies.ts) differ from the
 * activity, or whose activity is gone: a lean timeline page would show them wrong. Every hub checks its database on
 * close, so any test that changes activities, through whatever path, also tests that the copies kept up.
 */
export async function entriesOutOfStep(db: DataSource): Promise<Record<string, unknown>[]> {
  const e = (name: string) => db.driver.escape(name);
  const same = ['kind', 'subject', 'state', 'visibility', 'occurredAt', 'ownerId', 'businessUnitId'].map((c) => `te.${e(c)} = a.${e(c)}`);
  same.push(`(te.${e('direction')} = a.${e('direction')} OR (te.${e('direction')} IS NULL AND a.${e('direction')} IS NULL))`);
  return db.query(
    `SELECT te.${e('recordKind')}, te.${e('recordId')}, te.${e('activityId')}, te.${e('subject')}, a.${e('subject')} AS ${e('activitySubject')}
       FROM ${e('timeline_entry')} te LEFT JOIN ${e('activity')} a ON a.${e('id')} = te.${e('activityId')}
      WHERE a.${e('id')} IS NULL OR NOT (${same.join(' AND ')}) LIMIT 10`,
  );
}
