import { HubApiError, type HubApi } from '../api-client.js';
import type { QuarantineItem, TrackedItemResult, TrackItem } from '../hub-types.js';
import type { Log } from '../logger.js';
import { itemJson } from '../item-json.js';
import { planBatches } from '../mail/batch-plan.js';

/** Where a message came from: what its quarantine record says if the hub cannot take it. */
export type MessageOrigin = Omit<QuarantineItem, 'code' | 'reason'>;

/** One item for trackEmails with the message it was read from. */
export interface TrackEntry {
  readonly item: TrackItem;
  readonly origin: MessageOrigin;
}

export interface TrackSenderLimits {
  /** The largest request body the hub takes from this engine's key (the api's SYNC_MAX_REQUEST_MB). */
  readonly maxRequestBytes: number;
  /** Items per request (the hub takes at most 200). */
  readonly maxItems: number;
}

export interface SendOptions {
  /** Committed with the last request only, after every item before it. */
  readonly cursor: string | null;
  readonly leaseId: string | null;
  /** Sent with the last request; undefined: items the hub refuses as too large are returned, not recorded here. */
  readonly quarantine?: readonly QuarantineItem[];
  /** The cursor the batch before commits, sent with every request: the hub writes them only after it (CONFLICT otherwise). */
  readonly afterCursor?: string;
}

export interface SendResult {
  readonly results: TrackedItemResult[];
  /** Items the hub cannot take even alone, as quarantine records (recorded with the last request when `quarantine` was given). */
  readonly refused: QuarantineItem[];
}

/** What a request holds besides its items: the query text, ids, a cursor of up to 64 KB. */
const ENVELOPE_BYTES = 80 * 1024;
/** Requests are planned to this share of the limit: the api's count of a body and ours differ by a little. */
const SAFE_SHARE = 0.9;

/**
 * Sends a batch's items to trackEmails in requests the hub takes: planned by their JSON size under the limit,
 * split again in halves when the hub still answers "too large", and an item that is too large alone is
 * quarantined with its reason, so it cannot hold up the mailbox. Any other failure fails the send as it is.
 */
export class TrackSender {
  constructor(
    private readonly api: Pick<HubApi, 'trackEmails'>,
    private readonly log: Log,
    private readonly limits: TrackSenderLimits,
  ) {}

  async send(mailboxId: string, entries: readonly TrackEntry[], options: SendOptions): Promise<SendResult> {
    const state: SendState = {
      mailboxId,
      results: [],
      refused: [],
      records: options.quarantine !== undefined ? [...options.quarantine] : undefined,
      afterCursor: options.afterCursor,
    };
    const sized = entries.map((entry) => ({ entry, size: itemJson(entry.item).length }));
    const sendable: { entry: TrackEntry; size: number }[] = [];
    for (const s of sized) {
      if (s.size + ENVELOPE_BYTES <= this.limits.maxRequestBytes) sendable.push(s);
      else this.refuse(state, s.entry, `it takes ${megabytes(s.size)} as JSON, more than the hub's request limit of ${megabytes(this.limits.maxRequestBytes)} (HUB_MAX_REQUEST_MB), with each body already cut to the organization's limit`);
    }
    const budget = Math.max(1, Math.floor(this.limits.maxRequestBytes * SAFE_SHARE) - ENVELOPE_BYTES - jsonBytes(state.records ?? []));
    const requests = planBatches(sendable, this.limits.maxItems, budget).map((request) => request.map((s) => s.entry));
    if (!requests.length) requests.push([]); // the cursor and the quarantine still commit
    for (const [i, request] of requests.entries()) {
      const last = i === requests.length - 1;
      await this.sendRequest(state, request, { cursor: last ? options.cursor : null, leaseId: options.leaseId }, last);
    }
    return { results: state.results, refused: state.refused };
  }

  /** One request; `last` carries the cursor and the quarantine, so they commit only after every item before them. */
  private async sendRequest(state: SendState, entries: readonly TrackEntry[], commit: { cursor: string | null; leaseId: string | null }, last: boolean): Promise<void> {
    try {
      const after = state.afterCursor !== undefined ? { afterCursor: state.afterCursor } : {};
      const results = await this.api.trackEmails(state.mailboxId, { items: entries.map((e) => e.item), ...commit, quarantine: last ? (state.records ?? []) : [], ...after });
      state.results.push(...results);
    } catch (error) {
      // Only "too large" is about this request's size; anything else (transient or not) fails the batch unchanged.
      if (!(error instanceof HubApiError) || error.code !== 'TOO_LARGE' || entries.length === 0) throw error;
      if (entries.length === 1) {
        this.refuse(state, entries[0], `the hub refuses even a request with this message alone (${error.message.replace(/^hub API error: /, '')})`);
        if (last && (commit.cursor !== null || state.records)) await this.sendRequest(state, [], commit, true); // the cursor and quarantine still commit
        return;
      }
      const half = Math.ceil(entries.length / 2);
      this.log.info({ mailboxId: state.mailboxId, items: entries.length }, 'the hub refused a trackEmails request as too large; sending it in halves');
      await this.sendRequest(state, entries.slice(0, half), { cursor: null, leaseId: commit.leaseId }, false);
      await this.sendRequest(state, entries.slice(half), commit, last);
    }
  }

  private refuse(state: SendState, entry: TrackEntry, why: string): void {
    const record: QuarantineItem = { ...entry.origin, code: 'TOO_LARGE', reason: `the message is too large to track: ${why}`.slice(0, 2000) };
    this.log.warn({ mailboxId: state.mailboxId, sourceRef: record.sourceRef, size: record.size }, 'message quarantined as too large for the hub');
    state.refused.push(record);
    state.records?.push(record);
  }
}

interface SendState {
  readonly mailboxId: string;
  readonly results: TrackedItemResult[];
  readonly refused: QuarantineItem[];
  /** The quarantine the last request carries; undefined when refusals go back to the caller. */
  readonly records: QuarantineItem[] | undefined;
  readonly afterCursor: string | undefined;
}

function jsonBytes(value: unknown): number {
  return Buffer.byteLength(JSON.stringify(value), 'utf8');
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}
