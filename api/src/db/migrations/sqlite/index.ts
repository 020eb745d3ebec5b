import { Initial1795318924421 } from './1795318924421-initial';

/** SQLite migrations, oldest first. */
export const SQLITE_MIGRATIONS: Function[] = [Initial1795318924421];
