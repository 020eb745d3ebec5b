import { QueryFailedError, type EntityManager, type EntityTarget, type ObjectLiteral } from 'typeorm';
import { locksRows } from './row-locks';

/**
 * Row counts a statement may have: larger inserts are split into these, so each connection prepares a
 * handful of statements, not one per row count (MariaDB caps prepared statements server-wide).
 */
const SHAPES = [64, 16, 4, 1] as const;

interface MysqlConnection {
  execute(sql: string, params: unknown[], callback: (err: Error | null) => void): void;
}

/**
 * Multi-row INSERTs of rows that carry bytes (blob chunks). On MariaDB they go as prepared statements, whose
 * binary protocol sends a Buffer as it is: TypeORM's text statements spell every byte as two hex digits, which
 * doubles what the api writes to the socket and what the server parses. SQLite binds Buffers natively, so
 * there the rows go through TypeORM. Runs in `em`'s transaction when it has one; counted like any statement.
 */
export async function insertByteRows(em: EntityManager, entity: EntityTarget<ObjectLiteral>, columns: readonly string[], rows: readonly (readonly unknown[])[]): Promise<void> {
  if (!rows.length) return;
  if (!locksRows(em)) {
    const values = rows.map((row) => Object.fromEntries(columns.map((c, i) => [c, row[i]])));
    await em.createQueryBuilder().insert().into(entity).values(values).updateEntity(false).execute();
    return;
  }
  const metadata = em.connection.getMetadata(entity);
  const table = metadata.tableName;
  const names = columns.map((c) => metadata.findColumnWithPropertyName(c)!.databaseName);
  const ownRunner = em.queryRunner && !em.queryRunner.isReleased ? null : em.connection.createQueryRunner();
  const runner = ownRunner ?? em.queryRunner!;
  try {
    const conn = (await runner.connect()) as MysqlConnection;
    const head = `INSERT INTO \`${table}\` (${names.map((c) => `\`${c}\``).join(', ')}) VALUES `;
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    for (let at = 0; at < rows.length; ) {
      const size = SHAPES.find((s) => s <= rows.length - at)!;
      const sql = head + Array.from({ length: size }, () => tuple).join(', ');
      const params = rows.slice(at, at + size).flat();
      em.connection.logger.logQuery(sql, [], runner);
      await new Promise<void>((resolve, reject) =>
        // The parameters stay out of the error: they are message bodies and attachments.
        conn.execute(sql, params, (err) => (err ? reject(new QueryFailedError(sql, [], err)) : resolve())),
      );
      at += size;
    }
  } finally {
    await ownRunner?.release();
  }
}
