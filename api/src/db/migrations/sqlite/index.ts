import { Initial1795319012915 } from './1795319012915-initial';

/** SQLite migrations, oldest first. */
export const SQLITE_MIGRATIONS: Function[] = [Initial1795319012915];
