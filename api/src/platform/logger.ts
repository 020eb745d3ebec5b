import pino, { type Logger } from 'pino';

export type { Logger };

/** JSON logs on stdout, one object a line. */
export function createLogger(level: string, name = 'api'): Logger {
  return pino({ name, level, base: { service: name } });
}
