import { Initial1795318924421 } from './1795318924421-initial';

/** MySQL/MariaDB migrations, oldest first. */
export const MYSQL_MIGRATIONS: Function[] = [Initial1795318924421];
