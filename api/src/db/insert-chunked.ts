import type { ColumnMetadata } from 'typeorm/metadata/ColumnMetadata';
import type { EntityMetadata } from 'typeorm/metadata/EntityMetadata';
import type { EntityManager } from 'typeorm';

// MySQL caps placeholders per statement at 65,535: 500 rows of up to ~100 columns stay well below.
const ROWS_PER_INSERT = 500;

/**
 * Inserts rows in multi-row INSERTs of at most 500 rows each. The statement is built here from the entity's
 * columns, with TypeORM's own value conversion (preparePersistentValue: dates, booleans, transformers):
 * its query builder costs more CPU than the insert itself for a batch of tracked mail, and would read every
 * inserted row back (one SELECT per INSERT, for the columns with defaults) to fill in objects that callers
 * build fresh and drop. Entities whose inserts TypeORM computes values for (versions, generated keys) still go
 * through its builder.
 */
export async function insertChunked(em: EntityManager, entity: new () => object, rows: readonly object[]): Promise<void> {
  if (!rows.length) return;
  const metadata = em.connection.getMetadata(entity);
  const columns = insertedColumns(metadata);
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
    const chunk = rows.slice(i, i + ROWS_PER_INSERT);
    if (columns) await em.query(...insertStatement(em, metadata, columns, chunk));
    else await em.createQueryBuilder().insert().into(entity).values(chunk as never).updateEntity(false).execute();
  }
}

/** The columns an INSERT names (as TypeORM's builder chooses them), or null when it must compute values itself. */
function insertedColumns(metadata: EntityMetadata): ColumnMetadata[] | null {
  if (metadata.discriminatorColumn || metadata.columns.some((c) => c.isVersion || c.isGenerated)) return null;
  return metadata.columns.filter((c) => c.isInsert);
}

function insertStatement(em: EntityManager, metadata: EntityMetadata, columns: readonly ColumnMetadata[], rows: readonly object[]): [string, unknown[]] {
  const driver = em.connection.driver;
  // SQLite has no DEFAULT in VALUES: TypeORM's builder writes the column's default there, or NULL.
  const sqlite = em.connection.options.type === 'better-sqlite3';
  const params: unknown[] = [];
  const tuples = rows.map((row) => {
    const values = columns.map((column) => {
      const raw: unknown = column.getEntityValue(row);
      // A function is an SQL expression, as TypeORM's builder takes it.
      if (typeof raw === 'function') return String((raw as () => string)());
      const value: unknown = driver.preparePersistentValue(raw, column);
      if (value !== undefined) {
        params.push(value);
        return '?';
      }
      if (!sqlite) return 'DEFAULT';
      return column.default !== undefined && column.default !== null ? driver.normalizeDefault(column) : 'NULL';
    });
    return `(${values.join(', ')})`;
  });
  const names = columns.map((c) => driver.escape(c.databaseName)).join(', ');
  return [`INSERT INTO ${driver.escape(metadata.tablePath)}(${names}) VALUES ${tuples.join(', ')}`, params];
}
