import { createHash, randomBytes } from 'node:crypto';

// Session tokens and API keys carry 256 random bits, so a fast sha256 at rest is enough:
// nobody can brute-force the preimage, and lookups stay one indexed equality.

export const SESSION_TOKEN_PREFIX = 'crm_ses_';
export const API_KEY_PREFIX = 'crm_key_';

export const newSessionToken = (): string => SESSION_TOKEN_PREFIX + randomBytes(32).toString('base64url');
export const newApiKey = (): string => API_KEY_PREFIX + randomBytes(32).toString('base64url');
export const hashToken = (token: string): string => createHash('sha256').update(token).digest('hex');
