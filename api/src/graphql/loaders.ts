import type { DataSource } from 'typeorm';
import type { Principal } from '../access/principal';
import { createRoleLoaders, type RoleLoaders } from '../access/role-loaders';
import { createActivityLoaders, type ActivityLoaders, type BodyReader } from '../activities/activity-loaders';
import { createIdentityLoaders, type IdentityLoaders } from '../identity/identity-loaders';
import type { IdentityService } from '../identity/identity.service';
import { createMailboxLoaders, type MailboxLoaders } from '../mail/mailbox-loaders';
import type { MailboxService } from '../mail/mailbox.service';
import { createRecordLoaders, type RecordLoaders } from '../records/record-loaders';
import type { RecordStores } from '../records/record-writer';

/** Batched look-ups for field resolvers, one set per request; each domain owns its own. */
export interface Loaders extends IdentityLoaders, RoleLoaders, RecordLoaders, MailboxLoaders {
  readonly activity: ActivityLoaders;
}

/** What the domains' loaders read from. */
interface LoaderSources {
  readonly db: DataSource;
  readonly stores: RecordStores;
  readonly identity: IdentityService;
  readonly blobs: BodyReader;
  readonly mailboxes: MailboxService;
  readonly principal: Principal | undefined;
}

/** Each domain's loaders, by the name of the group; `activity` is one property, the others are spread flat. */
const GROUPS = {
  identity: (s: LoaderSources): object => createIdentityLoaders(s.db, s.identity),
  roles: (s: LoaderSources): object => createRoleLoaders(s.db),
  records: (s: LoaderSources): object => createRecordLoaders(s.db, s.stores, s.principal),
  mailboxes: (s: LoaderSources): object => createMailboxLoaders(s.db, s.mailboxes),
  activity: (s: LoaderSources): object => ({ activity: createActivityLoaders(s.db, s.blobs) }),
};
type Group = keyof typeof GROUPS;

/**
 * A request's loaders, each domain's made when a resolver first asks for one of them: a request such as a timeline
 * page uses none of the thirty, and making them all for every request cost about 1 % of the api's CPU per page. The
 * getters live on the prototype, defined once from the names the domains' sets have.
 */
class RequestLoaders {
  /** Whether the prototype has its getters yet (the first request defines them). */
  private static gettersDefined = false;
  private readonly made: Partial<Record<Group, Record<string, unknown>>> = {};

  constructor(private readonly sources: LoaderSources) {
    if (!RequestLoaders.gettersDefined) RequestLoaders.defineGetters(this);
  }

  group(group: Group): Record<string, unknown> {
    return (this.made[group] ??= GROUPS[group](this.sources) as Record<string, unknown>);
  }

  /** Learns each group's names from this request's own sets (kept, so nothing is made twice). */
  private static defineGetters(first: RequestLoaders): void {
    for (const group of Object.keys(GROUPS) as Group[]) {
      for (const name of Object.keys(first.group(group))) {
        // One of this class's own members, or a name already given a getter, would hide a loader.
        if (name in first) throw new Error(`the loader name "${name}" is taken`);
        Object.defineProperty(RequestLoaders.prototype, name, {
          get(this: RequestLoaders) {
            return this.group(group)[name];
          },
          enumerable: true,
        });
      }
    }
    RequestLoaders.gettersDefined = true;
  }
}

export function createLoaders(
  db: DataSource,
  stores: RecordStores,
  identity: IdentityService,
  blobs: BodyReader,
  mailboxes: MailboxService,
  principal: Principal | undefined,
): Loaders {
  return new RequestLoaders({ db, stores, identity, blobs, mailboxes, principal }) as unknown as Loaders;
}
