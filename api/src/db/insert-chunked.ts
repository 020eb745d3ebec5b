import type { EntityManager } from 'typeorm';

// MySQL caps placeholders per statement at 65,535: 500 rows of up to ~100 columns stay well below.
const ROWS_PER_INSERT = 500;

/** Inserts rows in multi-row INSERTs of at most 500 rows each. */
export async function insertChunked(em: EntityManager, entity: new () => object, rows: readonly object[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) await em.insert(entity, rows.slice(i, i + ROWS_PER_INSERT) as never);
}
