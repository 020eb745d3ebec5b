import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const API = resolve(__dirname, '../../api/src');

/** Every .ts file under `dir` but tests, relative to it. */
function sources(dir: string, root = dir): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path, root);
    return name.endsWith('.ts') && !name.endsWith('.test.ts') ? [relative(root, path)] : [];
  });
}

/**
 * Writes to the activity table that would leave its timeline entries' copies behind (timeline-copies.ts): TypeORM's
 * update, save and insert of Activity (insertChunked's too), the query builder's update(Activity), and SQL naming the table.
 */
const ACTIVITY_WRITE = /\b(update|save|upsert|insert|increment|decrement)\(\s*Activity\b|insertChunked\(\s*\w+\s*,\s*Activity\b|getRepository\(\s*Activity\s*\)\s*\.\s*(update|save|upsert|insert|increment|decrement)\b|\b(UPDATE|INSERT\s+INTO|REPLACE\s+INTO)\s+[`"]?activity[`"]?[\s(]/;
/** Writes to timeline_entry outside the two modules that keep it in step. */
const ENTRY_WRITE = /\b(update|save|upsert|insert|delete|increment|decrement)\(\s*TimelineEntry\b|insertChunked\(\s*\w+\s*,\s*TimelineEntry\b|\b(UPDATE|INSERT\s+INTO|DELETE\s+FROM)\s+[`"]?timeline_entry[`"]?[\s(]/;

/** Migrations rewrite tables as a whole, and the writer and the copies are the code this protects. */
const ALLOWED = new Set(['activities/activity-writer.ts', 'activities/timeline-copies.ts']);
const isMigration = (file: string) => file.startsWith('db/migrations/');

describe('activity writes (timeline entries copy the activity columns a lean page shows)', () => {
  const files = sources(API).filter((file) => !ALLOWED.has(file) && !isMigration(file));

  it('no module but ActivityWriter and changeActivities writes the activity table', () => {
    expect(files.length).toBeGreaterThan(100);
    const offenders = files.filter((file) => ACTIVITY_WRITE.test(readFileSync(join(API, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('no module but ActivityWriter and changeActivities writes timeline_entry', () => {
    const offenders = files.filter((file) => ENTRY_WRITE.test(readFileSync(join(API, file), 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('the patterns find the writes they are for', () => {
    for (const line of [
      'await em.update(Activity, { id }, { state });',
      'await this.db.getRepository(Activity).update({ id }, { subject });',
      'await em.save(Activity, row);',
      'await qb.update(Activity).set({ subject }).execute();',
      'await em.query("UPDATE `activity` SET subject = ? WHERE id = ?", [s, id]);',
      'await insertChunked(em, Activity, rows);',
      'await em.insert(Activity, row);',
    ]) expect(ACTIVITY_WRITE.test(line), line).toBe(true);
    for (const line of ['await em.update(TimelineEntry, { activityId }, { occurredAt });', 'await insertChunked(em, TimelineEntry, entries);', 'await em.query("DELETE FROM timeline_entry WHERE activityId = ?")']) {
      expect(ENTRY_WRITE.test(line), line).toBe(true);
    }
    for (const line of ['await em.update(ActivityParty, { id }, {});', 'em.getRepository(Activity).findOneBy({ id })', 'SELECT * FROM activity_party', 'UPDATE activity_mailbox SET']) {
      expect(ACTIVITY_WRITE.test(line) || ENTRY_WRITE.test(line), line).toBe(false);
    }
  });
});
