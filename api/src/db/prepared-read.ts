import { QueryFailedError, type DataSource } from 'typeorm';

interface Mysql2Pool {
  execute(sql: string, params: unknown[], callback: (err: Error | null, rows: unknown) => void): void;
}

/**
 * A read run as a prepared statement on MariaDB/MySQL (binary protocol): the server parses a statement text once
 * per connection instead of once per request, and rows come back as binary values (no date text to parse).
 * For statements written once per shape whose text repeats (the timeline page); each connection keeps the
 * statements it prepared (mysql2's cache), so the shapes must be few. SQLite runs it through TypeORM as before.
 * Counted and logged like any statement; the parameters stay out of errors.
 */
export async function preparedRead<T>(db: DataSource, sql: string, parameters: unknown[]): Promise<T[]> {
  const pool = (db.driver as unknown as { pool?: Mysql2Pool }).pool;
  if ((db.options.type !== 'mysql' && db.options.type !== 'mariadb') || !pool) return db.query<T[]>(sql, parameters);
  db.logger.logQuery(sql, parameters);
  return new Promise<T[]>((resolve, reject) =>
    pool.execute(sql, parameters, (err, rows) => (err ? reject(new QueryFailedError(sql, [], err)) : resolve(rows as T[]))),
  );
}
