import { graphql } from '../../graphql/graphql-tag';
import type { ApiKeysQuery } from '../../graphql/operations.generated';

// The console's API keys (api/src/identity/api-key.resolver.ts): never the keys themselves, except once when made.

export const API_KEYS = graphql('ApiKeys')`
  query ApiKeys { viewer { id fullName } apiKeys { id name prefix createdAt lastUsedAt expiresAt revokedAt user { id fullName email isService } } }
`;

/** Whom a key may act as, for who may make keys for others. */
export const KEY_OWNERS = graphql('KeyOwners')`
  query KeyOwners { users { id fullName email isService disabled } }
`;

export const CREATE_API_KEY = graphql('CreateApiKey')`
  mutation CreateApiKey($input: CreateApiKeyInput!) { createApiKey(input: $input) { key apiKey { id } } }
`;

export const REVOKE_API_KEY = graphql('RevokeApiKey')`
  mutation RevokeApiKey($id: ID!) { revokeApiKey(id: $id) { id revokedAt } }
`;

export type ApiKeyRow = ApiKeysQuery['apiKeys'][number];

/** Whether a key still works: not revoked and not past its expiry. */
export const keyWorks = (key: ApiKeyRow, now: number): boolean => !key.revokedAt && (!key.expiresAt || new Date(key.expiresAt).getTime() > now);
