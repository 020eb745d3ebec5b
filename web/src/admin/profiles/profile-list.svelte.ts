import type { GraphQLClient } from '../../graphql/graphql-client';
import { problemOf, type Problem } from '../../shell/i18n/translator';
import { toMutationError, type MutationError } from '../../shell/mutation-error';
import type { LiveClient } from '../../live/live-client';
import { LiveSubscription } from '../../live/live-subscription';
import { MAILBOXES_CHANGED_SUBSCRIPTION, mailboxEventIdentity } from '../../mailboxes/mailbox';
import {
  DELETE_PROFILE,
  EMAIL_SERVER_PROFILES_QUERY,
  LIVE_CURSOR,
  mailboxesOf,
  TEST_AND_ENABLE,
  testResultOf,
  type EmailServerProfile,
  type ProfileMailbox,
  type TestResult,
} from './profiles';

export type ProfileListState =
  | { readonly status: 'loading' }
  | { readonly status: 'loaded'; readonly profiles: readonly EmailServerProfile[]; readonly mailboxes: readonly ProfileMailbox[] }
  | { readonly status: 'failed'; readonly problem: Problem };

/** A delete the API refused because mailboxes use the profile: how many, as its answer says (else as the list counted). */
export interface ProfileInUse {
  readonly count: number;
  readonly name: string;
}

/** The profile the form just saved, for the list it returns to (the console re-creates the section on every address). */
let justSaved: string | null = null;

export const noteSaved = (name: string): void => {
  justSaved = name;
};

/** Once: the name of the profile saved before the list opened, or null. */
export function takeSaved(): string | null {
  const name = justSaved;
  justSaved = null;
  return name;
}

/** The profiles and the mailboxes that use each; answers replace what is shown. */
export class ProfileList {
  state = $state<ProfileListState>({ status: 'loading' });

  constructor(private readonly client: GraphQLClient) {}

  async load(): Promise<void> {
    try {
      const { emailServerProfiles, mailboxes } = await this.client.request(EMAIL_SERVER_PROFILES_QUERY);
      this.state = { status: 'loaded', profiles: emailServerProfiles, mailboxes };
    } catch (error) {
      this.state = { status: 'failed', problem: problemOf(error) };
    }
  }

  mailboxesOf(profile: EmailServerProfile): ProfileMailbox[] {
    return this.state.status === 'loaded' ? mailboxesOf(this.state.mailboxes, profile.id) : [];
  }

  /** Null once deleted; a CONFLICT while mailboxes use it comes back as ProfileInUse, anything else as the refusal. */
  async remove(profile: EmailServerProfile): Promise<ProfileInUse | MutationError | null> {
    try {
      await this.client.request(DELETE_PROFILE, { id: profile.id });
      if (this.state.status === 'loaded') this.state = { ...this.state, profiles: this.state.profiles.filter((p) => p.id !== profile.id) };
      return null;
    } catch (error) {
      const refusal = toMutationError(error);
      if (refusal.code !== 'CONFLICT') return refusal;
      // The API's answer counts under the profile's lock ("2 mailboxes use the profile …"); the list may be older.
      await this.load();
      const counted = /(\d+) mailbox/.exec(refusal.message);
      return { count: counted ? Number(counted[1]) : this.mailboxesOf(profile).length, name: profile.name };
    }
  }
}

/** One mailbox's line in a Test & Enable run. */
export type TestOutcome =
  | { readonly status: 'waiting' }
  | { readonly status: 'running' }
  | { readonly status: 'refused'; readonly error: MutationError }
  | TestResult;

/** The statuses a line is still open in: a request on its way, or an engine's report awaited. */
const OPEN = new Set<TestOutcome['status']>(['waiting', 'running', 'testing']);

/**
 * Dynamics' "Test & Enable Mailboxes" of a profile: testAndEnableMailbox for each of its mailboxes, one after
 * another ("3 of 5"); each line shows the refusal, or follows the mailbox (mailboxChanged) until a sync engine
 * reports whether its channels passed.
 */
export class TestAllRun {
  lines = $state<{ readonly mailbox: ProfileMailbox; readonly outcome: TestOutcome }[]>([]);
  done = $state(0);
  running = $state(false);
  #stopped = false;
  #live: LiveSubscription<'MailboxesChanged', 'mailboxChanged'> | null = null;

  constructor(
    private readonly client: GraphQLClient,
    private readonly liveClient: LiveClient,
    mailboxes: readonly ProfileMailbox[],
  ) {
    this.lines = mailboxes.map((mailbox) => ({ mailbox, outcome: { status: 'waiting' } }));
  }

  get total(): number {
    return this.lines.length;
  }

  get finished(): boolean {
    return !this.running && this.done === this.total && this.total > 0;
  }

  /** How many lines have their answer: refused, passed or failed. */
  get settled(): number {
    return this.lines.filter((line) => !OPEN.has(line.outcome.status)).length;
  }

  async start(): Promise<void> {
    if (this.running || this.done > 0) return;
    this.running = true;
    try {
      this.#follow((await this.client.request(LIVE_CURSOR)).liveCursor);
    } catch {
      // Without the live feed the lines still say whether each test was requested; the mailbox pages show the rest.
    }
    for (let index = 0; index < this.lines.length && !this.#stopped; index++) {
      this.#set(this.lines[index].mailbox.id, { status: 'running' });
      try {
        const { testAndEnableMailbox } = await this.client.request(TEST_AND_ENABLE, { id: this.lines[index].mailbox.id });
        this.#set(testAndEnableMailbox.id, testResultOf(testAndEnableMailbox), true);
      } catch (error) {
        this.#set(this.lines[index].mailbox.id, { status: 'refused', error: toMutationError(error) });
      }
      this.done = index + 1;
    }
    this.running = false;
  }

  /** The dialog closed: the mailboxes not reached yet are left as they are, and the run stops following. */
  stop(): void {
    this.#stopped = true;
    this.#live?.stop();
    this.#live = null;
  }

  #follow(cursor: string): void {
    if (this.#stopped) return;
    this.#live = new LiveSubscription<'MailboxesChanged', 'mailboxChanged'>(this.liveClient, {
      query: MAILBOXES_CHANGED_SUBSCRIPTION,
      field: 'mailboxChanged',
      variables: {},
      after: cursor,
      identity: mailboxEventIdentity,
      onEvent: (event) => {
        const line = this.lines.find((l) => l.mailbox.id === event.mailboxId);
        // TEST: the request itself, or an engine's report (which may come before the request's answer).
        if (event.change === 'TEST' && event.mailbox && (line?.outcome.status === 'running' || line?.outcome.status === 'testing')) {
          this.#set(event.mailboxId, testResultOf(event.mailbox));
        }
      },
      onCursorExpired: () => this.#live?.restartFrom(null),
    });
  }

  /** `answered`: the mutation's own answer, which may be older than an event already shown for the line. */
  #set(mailboxId: string, outcome: TestOutcome, answered = false): void {
    this.lines = this.lines.map((line) => {
      if (line.mailbox.id !== mailboxId) return line;
      if (answered && !OPEN.has(line.outcome.status)) return line;
      return { ...line, outcome };
    });
  }
}
