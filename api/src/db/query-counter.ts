import type { Logger as TypeOrmLogger, QueryRunner } from 'typeorm';
import type { Logger } from '../platform/logger';

/** Counts every SQL statement the process sends (tests assert constant statement counts) and logs slow or failed ones. */
export class CountingQueryLogger implements TypeOrmLogger {
  statements = 0;
  /** Statements seen since the last `reset()`, for tests; capped so a long-running process does not grow it. */
  readonly recent: string[] = [];

  constructor(private readonly logger: Logger) {}

  reset(): void {
    this.statements = 0;
    this.recent.length = 0;
  }

  logQuery(query: string, _parameters?: unknown[], _queryRunner?: QueryRunner): void {
    // The realtime tail reads the event log on its own schedule, not for any request.
    if (query.startsWith('/* live-tail */')) return;
    this.statements++;
    if (this.recent.length < 1000) this.recent.push(query);
  }
  logQueryError(error: string | Error, query: string): void {
    this.logger.warn({ err: error, query }, 'query failed');
  }
  logQuerySlow(time: number, query: string): void {
    this.logger.warn({ ms: time, query }, 'slow query');
  }
  logSchemaBuild(): void {}
  logMigration(message: string): void {
    this.logger.info({ migration: message }, 'migration');
  }
  log(level: 'log' | 'info' | 'warn', message: unknown): void {
    if (level === 'warn') this.logger.warn({ message }, 'typeorm');
  }
}
