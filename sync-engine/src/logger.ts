import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.js';

/** The part of a logger the engine uses, so tests can pass a recording fake. */
export type Log = Pick<Logger, 'debug' | 'info' | 'warn' | 'error' | 'fatal'>;

/** JSON lines on stdout; the `service` field tells engine lines from api lines in shared log stores. */
export function createLogger(level: LogLevel): Logger {
  // Synchronous writes: the fatal line explaining a non-zero exit must reach stdout before the process ends.
  const stdout = pino.destination({ dest: 1, sync: true });
  return pino({ level, base: { service: 'sync-engine', pid: process.pid }, timestamp: pino.stdTimeFunctions.isoTime }, stdout);
}
