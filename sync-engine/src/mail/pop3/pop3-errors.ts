import { networkMailError } from '../connection-errors.js';
import { MailError } from '../mail-error.js';

export interface Pop3ErrorContext {
  readonly host: string;
  readonly port: number;
  readonly username: string;
  /** The command that failed ("login", "RETR 3", …). */
  readonly command: string;
}

/** The fields node-pop3 puts on its errors. */
interface NodePop3Error {
  eventName?: string;
  /** The command that got "-ERR" ("PASS ***" for the password). */
  command?: string;
  message?: string;
}

/** Translates node-pop3 (and socket) errors into a MailError with a reason a person can act on. */
export function pop3MailError(error: unknown, context: Pop3ErrorContext): MailError {
  if (error instanceof MailError) return error;
  const network = networkMailError(error, { host: context.host, port: context.port, channel: 'incoming' });
  if (network) return network;
  const fields = (typeof error === 'object' && error !== null ? error : {}) as NodePop3Error;
  const where = `${context.host}:${context.port}`;
  const text = typeof fields.message === 'string' ? fields.message : String(error);
  if (fields.eventName === 'timeout') {
    return new MailError('TIMEOUT', `No answer from ${where} in time: check the incoming server name, port and TLS mode, or try again later`, { cause: error });
  }
  if (fields.eventName === 'close' || fields.eventName === 'end') {
    return new MailError('TEMPORARY', `The POP3 server ${where} closed the connection during ${context.command}`, { cause: error });
  }
  if (fields.eventName === 'bad-server-response') {
    return new MailError('PROTOCOL', `The POP3 server ${where} sent a response that cannot be read during ${context.command}`, { cause: error });
  }
  if (fields.eventName === 'error') {
    // RFC 3206 response codes: [SYS/TEMP] and [IN-USE] say "try later", whatever the command.
    if (/\[(SYS\/TEMP|IN-USE|LOGIN-DELAY)\]/i.test(text)) {
      return new MailError('TEMPORARY', `The POP3 server ${where} asks to try again later: ${text}`, { cause: error, serverResponse: text });
    }
    if (fields.command?.startsWith('PASS') || fields.command?.startsWith('USER') || /\[AUTH\]/i.test(text)) {
      return new MailError('AUTH_FAILED', `The server rejected the user name or password for ${context.username}`, { cause: error, serverResponse: text });
    }
    return new MailError('PROTOCOL', `The POP3 server ${where} refused ${context.command}: ${text}`, { cause: error, serverResponse: text });
  }
  return new MailError('TEMPORARY', `POP3 ${context.command} on ${where} failed: ${text}`, { cause: error });
}
