import type { StartedHub } from './hub';
import { TRACK_EMAILS, type TrackItem } from './mail-fixtures';
import { configureMailbox } from './mail-setup';

// One sync run as a sync engine reports it, through the engine's own GraphQL calls: claim the mailbox's lease,
// hand its messages to trackEmails, release the lease with the run's outcome. What the dashboard shows (last sync,
// tracking counts, syncMetrics) is then written by the api's normal paths.

const CLAIM = 'mutation { claimMailboxes(engineId: "test-engine", limit: 50) { mailboxId leaseId job } }';
const RELEASE = 'mutation($m: ID!, $l: ID!, $r: SyncReportInput!) { releaseMailbox(mailboxId: $m, leaseId: $l, report: $r) { id } }';

export interface SyncReport {
  outcome: 'SUCCESS' | 'TEMPORARY_FAILURE' | 'AUTH_FAILED' | 'CONFIG_ERROR';
  itemsProcessed?: number;
  code?: string;
  message?: string;
}

async function engine(hub: StartedHub, query: string, variables: Record<string, unknown> = {}) {
  const result = await hub.gql(query, variables, hub.syncServiceKey);
  if (result.errors?.length) throw new Error(`${query.slice(0, 40)}…: ${JSON.stringify(result.errors)}`);
  return result.data;
}

/** Makes the mailbox (a global id) due with every message tracked, then runs it once; the only mailbox due, so the only one claimed. */
export async function syncRun(hub: StartedHub, mailboxId: string, profileId: string, report: SyncReport, items: TrackItem[] = []): Promise<void> {
  await configureMailbox(hub, mailboxId, { profileId, extra: { trackingFilter: 'ALL' as never, nextSyncAt: null } });
  const work = (await engine(hub, CLAIM)).claimMailboxes as { mailboxId: string; leaseId: string }[];
  const mine = work.find((w) => w.mailboxId === mailboxId);
  if (!mine || work.length !== 1) throw new Error(`expected to claim ${mailboxId} alone: ${JSON.stringify(work)}`);
  if (items.length > 0) await engine(hub, TRACK_EMAILS, { mailboxId, input: { items, leaseId: mine.leaseId } });
  await engine(hub, RELEASE, { m: mailboxId, l: mine.leaseId, r: { itemsProcessed: items.length, ...report } });
}
