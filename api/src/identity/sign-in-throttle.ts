import { isIPv6 } from 'node:net';
import { LessThanOrEqual, type DataSource } from 'typeorm';
import type { Clock } from '../platform/clock';
import { SignInCounter } from './sign-in-counter.entity';

/** Password sign-in attempts allowed per minute, from one client address and for the whole hub. */
export interface SignInLimits {
  readonly perClient: number;
  readonly total: number;
}

const WINDOW_MS = 60_000;

/**
 * The client a per-client limit counts: an IPv4 address, or the /64 network of an IPv6 address
 * (one subscriber usually holds a whole /64, so single addresses would cost an attacker nothing).
 */
export function clientOf(address: string | undefined): string {
  if (!address) return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1];
  if (!isIPv6(address)) return address;
  const [head, tail = ''] = address.toLowerCase().split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::') ? [...left, ...Array(8 - left.length - right.length).fill('0'), ...right] : left;
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/**
 * Fixed one-minute windows counted in the database, so all api processes share the limits.
 * Every attempt counts, right or wrong: the limit also bounds the scrypt work sign-in costs.
 */
export class SignInThrottle {
  constructor(
    private readonly db: DataSource,
    private readonly limits: SignInLimits,
    private readonly clock: Clock,
  ) {}

  /** Counts one attempt; resolves to the seconds until the window ends when a limit is exceeded, else undefined. */
  async admit(clientAddress: string | undefined): Promise<number | undefined> {
    const now = this.clock();
    const start = Math.floor(now.getTime() / WINDOW_MS) * WINDOW_MS;
    const windowEndsAt = new Date(start + WINDOW_MS);
    const retryAfter = Math.max(1, Math.ceil((windowEndsAt.getTime() - now.getTime()) / 1000));
    // The client's own limit first, so a client already refused does not use up everyone's budget.
    if ((await this.count(`client:${clientOf(clientAddress)}@${start}`, windowEndsAt)) > this.limits.perClient) return retryAfter;
    const total = await this.count(`all@${start}`, windowEndsAt);
    // The first attempt of a window clears the windows before it: one delete a minute, not one per attempt.
    if (total === 1) await this.db.getRepository(SignInCounter).delete({ windowEndsAt: LessThanOrEqual(now) });
    return total > this.limits.total ? retryAfter : undefined;
  }

  private async count(bucket: string, windowEndsAt: Date): Promise<number> {
    const counters = this.db.getRepository(SignInCounter);
    await counters.createQueryBuilder().insert().values({ bucket, attempts: 0, windowEndsAt }).orIgnore().execute();
    await counters.increment({ bucket }, 'attempts', 1);
    return (await counters.findOneByOrFail({ bucket })).attempts;
  }
}
