import { Column, type ColumnOptions } from 'typeorm';

// Column shapes that mean the same on MySQL/MariaDB and SQLite (SQLite rejects enum,
// timestamp and charset options), so one entity definition serves both databases.

export const IdColumn = (options: ColumnOptions = {}) => Column({ type: 'varchar', length: 36, ...options });

/** Millisecond datetimes; stored as DATETIME(3) on MySQL and as text on SQLite. */
export const DateTimeColumn = (options: ColumnOptions = {}) => Column({ type: 'datetime', precision: 3, ...options });

/** Enumerations are stored as short strings, validated by the GraphQL enum on the way in. */
export const EnumColumn = (length = 24, options: ColumnOptions = {}) => Column({ type: 'varchar', length, ...options });
