import { Initial1795319012915 } from './1795319012915-initial';

/** MySQL/MariaDB migrations, oldest first. */
export const MYSQL_MIGRATIONS: Function[] = [Initial1795319012915];
