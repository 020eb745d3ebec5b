import type { MailboxCredentials } from './hub-types.js';
import { isFields } from './wire-answers.js';

type Method = Extract<MailboxCredentials, { status: 'PRESENT' }>['method'];

// Compared with schema.graphql (CredentialsStatus, MailAuthMethod) by test/contract/wire-answers.test.ts.
export const CREDENTIALS_STATUSES: readonly MailboxCredentials['status'][] = ['NONE', 'UNREADABLE', 'PRESENT'];
export const MAIL_AUTH_METHODS: readonly Method[] = ['PASSWORD', 'NTLM', 'OAUTH_BEARER'];

/** The claim's `credentialsStatus` and `credentials` as one checked value; undefined when they are malformed or disagree. */
export function credentialsOnEntry(status: unknown, credentials: unknown): MailboxCredentials | undefined {
  const known = CREDENTIALS_STATUSES.find((s) => s === status);
  switch (known) {
    case undefined:
      return undefined;
    case 'NONE':
    case 'UNREADABLE':
      return credentials === null ? { status: known } : undefined;
    case 'PRESENT':
      return presentCredentials(credentials);
  }
}

function presentCredentials(credentials: unknown): MailboxCredentials | undefined {
  if (!isFields(credentials)) return undefined;
  const { method, username, secret } = credentials;
  const knownMethod = MAIL_AUTH_METHODS.find((m) => m === method);
  if (!knownMethod || typeof username !== 'string' || typeof secret !== 'string') return undefined;
  return { status: 'PRESENT', method: knownMethod, username, secret };
}
