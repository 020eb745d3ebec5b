import pino, { type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * Paths that may hold a secret or a request's content whenever something logs them: credentials by name,
 * an error's request body (body-parser attaches it), and the statement values of a database error (TypeORM's
 * `parameters`, mysql2's `sql` with the values filled in).
 */
export const REDACTED_PATHS = [
  'password',
  '*.password',
  'secret',
  '*.secret',
  'token',
  '*.token',
  'authorization',
  '*.authorization',
  '*.headers.authorization',
  'variables',
  '*.variables',
  'body',
  'err.body',
  'err.parameters',
  'err.sql',
  'err.driverError.sql',
  'err.driverError.parameters',
];

/** JSON logs on stdout (or `destination`), one object a line. */
export function createLogger(level: string, name = 'api', destination?: DestinationStream): Logger {
  const options = { name, level, base: { service: name }, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
