import type { GraphQLClient } from '../../graphql/graphql-client';
import { graphql } from '../../graphql/graphql-tag';
import type { AdminQueuesQuery, Privilege, QueueMailboxesQuery } from '../../graphql/operations.generated';
import type { ViewerRights } from '../../records/record-rights';
import type { Loaded } from '../admin-list';
import { problemOf } from '../../shell/i18n/translator';
import { isAbout, toMutationError, type MutationError } from '../../shell/mutation-error';

const QUEUE_FIELDS = 'id name emailAddress owner { id fullName } createCaseFromEmail createContactForUnknownSender createContactForLeadSender reopenResolvedWithinHours';

const ADMIN_QUEUES = graphql('AdminQueues')`query AdminQueues { queues { ${QUEUE_FIELDS} } }`;

const CREATE_QUEUE = graphql('CreateQueue')`mutation CreateQueue($input: CreateQueueInput!) { createQueue(input: $input) { ${QUEUE_FIELDS} } }`;

const UPDATE_QUEUE = graphql('UpdateQueue')`mutation UpdateQueue($id: ID!, $input: UpdateQueueInput!) { updateQueue(id: $id, input: $input) { ${QUEUE_FIELDS} } }`;

const QUEUE_MAILBOXES = graphql('QueueMailboxes')`query QueueMailboxes { mailboxes { id address ownerKind state approval } }`;

const QUEUE_OWNERS = graphql('QueueOwners')`query QueueOwners { viewer { id } users { id fullName isService disabled } }`;

export type QueueRow = AdminQueuesQuery['queues'][number];
export type QueueMailbox = QueueMailboxesQuery['mailboxes'][number];

/** The mailbox the API made with the queue (same address); null when the viewer may not see it (only administrators see others' mailboxes). */
export async function queueMailbox(client: GraphQLClient, queue: QueueRow): Promise<QueueMailbox | null> {
  const { mailboxes } = await client.request(QUEUE_MAILBOXES);
  return mailboxes.find((m) => m.ownerKind === 'QUEUE' && m.address.toLowerCase() === queue.emailAddress.toLowerCase()) ?? null;
}

/** Who may own a new queue: enabled people (not service accounts), and which of them is the viewer (the default). */
export async function queueOwners(client: GraphQLClient): Promise<{ viewerId: string; users: { id: string; fullName: string }[] }> {
  const { viewer, users } = await client.request(QUEUE_OWNERS);
  return { viewerId: viewer.id, users: users.filter((u) => !u.isService && !u.disabled) };
}

/** What the viewer's roles let them do with queues at all (the API checks the queue's owner and unit again). */
export function queueRights(rights: ViewerRights): { mayCreate: boolean; mayWrite: boolean; mayAssign: boolean } {
  const held = (privilege: Privilege) => rights.roles.some((role) => role.privileges.some((p) => p.entity === 'QUEUE' && p.privilege === privilege && p.depth !== 'NONE'));
  return { mayCreate: held('CREATE'), mayWrite: held('WRITE'), mayAssign: held('ASSIGN') };
}

/** The queues the viewer may see. */
export class QueueList {
  state = $state<Loaded<readonly QueueRow[]>>({ status: 'loading' });

  constructor(private readonly client: GraphQLClient) {}

  async load(): Promise<void> {
    try {
      this.state = { status: 'loaded', value: (await this.client.request(ADMIN_QUEUES)).queues };
    } catch (error) {
      this.state = { status: 'failed', problem: problemOf(error) };
    }
  }
}

/** A problem with one control found before anything is sent. */
export type LocalProblem = 'required' | 'notWholeHours';

/** The fields the form edits. */
export type QueueField = 'name' | 'emailAddress' | 'ownerId' | 'reopenResolvedWithinHours';

/** Hours as written: empty is "never reopen" (null), a whole number is hours, anything else is not a number of hours. */
export function parseHours(text: string): number | null | 'invalid' {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  return /^[-+]?\d{1,9}$/.test(trimmed) ? Number(trimmed) : 'invalid';
}

/** A new queue (no `existing`), or one queue's name, address, owner and email-to-case rules. */
export class QueueForm {
  name = $state('');
  emailAddress = $state('');
  createCaseFromEmail = $state(false);
  createContactForUnknownSender = $state(false);
  createContactForLeadSender = $state(true);
  reopenHours = $state('');
  /** The owner; empty for a new queue: the viewer. */
  ownerId = $state('');
  saving = $state(false);
  saved = $state(false);
  error = $state<MutationError | null>(null);
  local = $state<Partial<Record<QueueField, LocalProblem>>>({});

  constructor(
    private readonly client: GraphQLClient,
    readonly existing: QueueRow | null = null,
  ) {
    if (existing) {
      this.name = existing.name;
      this.emailAddress = existing.emailAddress;
      this.ownerId = existing.owner?.id ?? '';
      this.createCaseFromEmail = existing.createCaseFromEmail;
      this.createContactForUnknownSender = existing.createContactForUnknownSender;
      this.createContactForLeadSender = existing.createContactForLeadSender;
      this.reopenHours = existing.reopenResolvedWithinHours === null ? '' : String(existing.reopenResolvedWithinHours);
    }
  }

  /** What was wrong with `field` when saving was tried, while it still is: fixing the value takes the message away. */
  localProblem(field: QueueField): LocalProblem | null {
    const problem = this.local[field] ?? null;
    if (problem === 'required') return (field === 'name' ? this.name : this.emailAddress).trim() ? null : problem;
    if (problem === 'notWholeHours') return parseHours(this.reopenHours) === 'invalid' ? problem : null;
    return null;
  }

  /** The API's refusal when it is about `field` (shown beside it). */
  errorFor(field: QueueField): MutationError | null {
    return isAbout(this.error, `input.${field}`) ? this.error : null;
  }

  /** A refusal about no one control of this form. */
  get generalError(): MutationError | null {
    return this.error && !(['name', 'emailAddress', 'ownerId', 'reopenResolvedWithinHours'] as const).some((f) => this.errorFor(f)) ? this.error : null;
  }

  /** Saves; the queue as stored, or null when something was refused (said in `local` or `error`). */
  async save(): Promise<QueueRow | null> {
    if (this.saving) return null;
    const hours = parseHours(this.reopenHours);
    const local: Partial<Record<QueueField, LocalProblem>> = {};
    if (!this.name.trim()) local.name = 'required';
    if (!this.emailAddress.trim()) local.emailAddress = 'required';
    if (hours === 'invalid') local.reopenResolvedWithinHours = 'notWholeHours';
    this.local = local;
    this.error = null;
    this.saved = false;
    if (Object.keys(local).length > 0 || hours === 'invalid') return null;
    const rules = {
      createCaseFromEmail: this.createCaseFromEmail,
      createContactForUnknownSender: this.createContactForUnknownSender,
      createContactForLeadSender: this.createContactForLeadSender,
      reopenResolvedWithinHours: hours,
    };
    this.saving = true;
    try {
      if (this.existing) {
        const { updateQueue } = await this.client.request(UPDATE_QUEUE, { id: this.existing.id, input: { ...this.#identityChanges(this.existing), ...rules } });
        this.saved = true;
        return updateQueue;
      }
      const { createQueue } = await this.client.request(CREATE_QUEUE, {
        input: { name: this.name.trim(), emailAddress: this.emailAddress.trim(), ownerId: this.ownerId || null, ...rules },
      });
      return createQueue;
    } catch (error) {
      this.error = toMutationError(error);
      return null;
    } finally {
      this.saving = false;
    }
  }

  /** Name, address and owner, each only when changed: the address resets the mailbox's approval, the owner needs assign rights. */
  #identityChanges(existing: QueueRow): { name?: string; emailAddress?: string; ownerId?: string } {
    const name = this.name.trim();
    const emailAddress = this.emailAddress.trim();
    return {
      ...(name !== existing.name ? { name } : {}),
      ...(emailAddress.toLowerCase() !== existing.emailAddress.toLowerCase() ? { emailAddress } : {}),
      ...(this.ownerId && this.ownerId !== existing.owner?.id ? { ownerId: this.ownerId } : {}),
    };
  }
}
