import { ok } from '../api/gql-helpers';
import type { StartedHub } from './hub';

// Mail configuration the way an administrator does it: through the GraphQL API only.

export interface ServerPorts {
  readonly kind: 'IMAP_SMTP' | 'POP3_SMTP';
  readonly incomingPort: number;
  readonly outgoingPort: number;
}

export async function createProfile(hub: StartedHub, admin: string, name: string, ports: ServerPorts, extra: Record<string, unknown> = {}): Promise<string> {
  const input = {
    name,
    kind: ports.kind,
    incomingHost: '127.0.0.1',
    incomingPort: ports.incomingPort,
    incomingTls: 'NONE',
    outgoingHost: '127.0.0.1',
    outgoingPort: ports.outgoingPort,
    outgoingTls: 'NONE',
    pollIntervalSeconds: 5,
    ...extra,
  };
  return ok(await hub.gql('mutation($input: CreateEmailServerProfileInput!) { createEmailServerProfile(input: $input) { id } }', { input }, admin)).createEmailServerProfile.id;
}

/** Profile, methods, credentials, approval, then Test & Enable: the steps of Dynamics' mailbox form. */
export async function setUpMailbox(
  hub: StartedHub,
  admin: string,
  mailboxId: string,
  options: { profileId: string; username: string; password: string; configure?: Record<string, unknown>; testAndEnable?: boolean },
): Promise<void> {
  const configure = { profileId: options.profileId, incomingMethod: 'SERVER_SIDE_SYNC', outgoingMethod: 'SERVER_SIDE_SYNC', ...options.configure };
  ok(await hub.gql('mutation($id: ID!, $input: ConfigureMailboxInput!) { configureMailbox(id: $id, input: $input) { id } }', { id: mailboxId, input: configure }, admin));
  await setCredentials(hub, admin, mailboxId, options.username, options.password);
  ok(await hub.gql('mutation($id: ID!) { approveMailboxEmail(id: $id) { id } }', { id: mailboxId }, admin));
  if (options.testAndEnable !== false) await testAndEnable(hub, admin, mailboxId);
}

export async function setCredentials(hub: StartedHub, token: string, mailboxId: string, username: string, password: string): Promise<void> {
  ok(await hub.gql('mutation($id: ID!, $input: MailboxCredentialsInput!) { setMailboxCredentials(id: $id, input: $input) { id } }', { id: mailboxId, input: { username, password } }, token));
}

export async function testAndEnable(hub: StartedHub, token: string, mailboxId: string): Promise<void> {
  ok(await hub.gql('mutation($id: ID!) { testAndEnableMailbox(id: $id) { id } }', { id: mailboxId }, token));
}

export const MAILBOX_STATUS = `id address state stateReason failureCount lastSyncAt resyncFrom
  incomingTest { status code reason } outgoingTest { status code reason }
  coverage { serverCount decidedCount missingCount }
  alerts(first: 50) { severity code message }
  quarantined(first: 50) { sourceRef code reason subject fromAddress }`;

export async function mailboxStatus(hub: StartedHub, token: string, mailboxId: string): Promise<any> {
  const all = ok(await hub.gql(`{ mailboxes { ${MAILBOX_STATUS} } }`, {}, token)).mailboxes as { id: string }[];
  return all.find((m) => m.id === mailboxId);
}

/**
 * Re-evaluates `probe` until it returns a value (not undefined) or `timeoutMs` passes. For state that
 * lives in another process (the engine, Dovecot) and has no event this process could subscribe to.
 */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 30_000, what = 'condition'): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
