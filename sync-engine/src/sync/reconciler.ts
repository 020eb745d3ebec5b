import type { HubApi } from '../api-client.js';
import type { MailboxWork } from '../hub-types.js';
import type { MailSource, RawMessage } from '../mail/mail-source.js';
import type { MessagePipeline } from './message-pipeline.js';
import type { TrackSender } from './track-sender.js';

/** What one comparison of server and hub found. */
export interface Coverage {
  readonly serverCount: number;
  readonly decidedCount: number;
  readonly recovered: number;
}

const CHECK_CHUNK = 1000; // the hub's limit per undecidedMessages call

/**
 * Completeness: every message the server holds since "process email from" must have a decision in
 * the hub (tracked, filtered or quarantined). Whatever has none is fetched and tracked again, and
 * the coverage is reported, so a mailbox never looks healthy while mail goes missing.
 */
export async function reconcileMailbox(
  api: Pick<HubApi, 'undecidedMessages' | 'reportMailboxCoverage'>,
  pipeline: MessagePipeline,
  sender: TrackSender,
  source: MailSource,
  work: MailboxWork,
  options: { batchSize: number; signal: AbortSignal },
): Promise<Coverage> {
  const notBefore = work.processEmailFrom ? new Date(work.processEmailFrom) : null;
  let serverCount = 0;
  const missing: string[] = [];
  for await (const chunk of source.inventory(notBefore, options.signal)) {
    serverCount += chunk.length;
    for (let i = 0; i < chunk.length; i += CHECK_CHUNK) {
      const slice = chunk.slice(i, i + CHECK_CHUNK).map((m) => ({ sourceRef: m.sourceRef, messageId: m.messageId }));
      missing.push(...(await api.undecidedMessages(work.mailboxId, work.leaseId, slice)));
    }
  }

  let decidedNow = 0;
  let recovered = 0;
  let pending: RawMessage[] = [];
  const flush = async () => {
    if (!pending.length) return;
    const prepared = await pipeline.prepare(work, pending);
    const quarantine = [...prepared.quarantine];
    let forwarded = 0;
    for (const [mailboxId, entries] of prepared.forwarded) {
      const { refused } = await sender.send(mailboxId, entries, { cursor: null, leaseId: null });
      quarantine.push(...refused);
      forwarded += entries.length - refused.length;
    }
    const { results, refused } = await sender.send(work.mailboxId, prepared.items, { cursor: null, leaseId: work.leaseId, quarantine });
    // A message is decided once the hub stored a decision for it; REJECTED items stay missing and are tried again next time.
    const decided = results.filter((r) => r.outcome !== 'REJECTED').length + quarantine.length + refused.length + forwarded;
    decidedNow += decided;
    recovered += results.filter((r) => r.outcome === 'TRACKED' || r.outcome === 'LINKED' || r.outcome === 'FILTERED').length;
    pending = [];
  };
  for await (const message of source.fetchRefs(missing, options.signal)) {
    pending.push(message);
    if (pending.length >= options.batchSize) await flush();
  }
  await flush();

  const coverage = { serverCount, decidedCount: serverCount - missing.length + Math.min(decidedNow, missing.length), recovered };
  await api.reportMailboxCoverage(work.mailboxId, work.leaseId, coverage.serverCount, coverage.decidedCount, coverage.recovered);
  return coverage;
}
