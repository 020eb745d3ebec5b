import { Not, type DataSource, type EntityManager } from 'typeorm';
import { can, holds, type Principal } from '../access/principal';
import { AccessEntity, Privilege } from '../access/privileges';
import { ApiError, forbidden, notFound } from '../common/errors';
import { expectGlobalId, optionalGlobalId } from '../common/global-id';
import { newId } from '../common/ids';
import { unlessDuplicate } from '../db/database-errors';
import { lockRow } from '../db/row-locks';
import { User } from '../identity/user.entity';
import { newMailboxDefaults, queueMailbox } from '../mail/mailbox-provisioning';
import { Mailbox } from '../mail/mailbox.entity';
import { followQueue } from '../mail/queue-mailbox';
import type { LiveEventLog } from '../live/live-event-log';
import type { Clock } from '../platform/clock';
import { validEmail } from '../records/email-addresses';
import { definedOnly, nonNull } from '../records/patch';
import type { CreateQueueInput, UpdateQueueInput } from './queue.inputs';
import { Queue } from './queue.entity';

/** Queues (shared inboxes) and their email-to-case rules; each queue gets a mailbox. */
export class QueueService {
  constructor(
    private readonly db: DataSource,
    private readonly live: LiveEventLog,
    private readonly clock: Clock,
  ) {}

  list(principal: Principal): Promise<Queue[]> {
    if (!holds(principal, AccessEntity.QUEUE, Privilege.READ)) return Promise.resolve([]);
    return this.db.getRepository(Queue).find({ order: { name: 'ASC' }, take: 1000 });
  }

  async create(principal: Principal, input: CreateQueueInput): Promise<Queue> {
    const ownerId = optionalGlobalId('input.ownerId', input.ownerId, 'User') ?? principal.userId;
    const owner = await this.db.getRepository(User).findOneBy({ id: ownerId });
    if (!owner || owner.disabled) throw notFound('input.ownerId', input.ownerId ?? '');
    if (!can(principal, AccessEntity.QUEUE, Privilege.CREATE, { ownerId, businessUnitId: owner.businessUnitId })) {
      throw forbidden('you may not create queues');
    }
    const emailAddress = validEmail('input.emailAddress', input.emailAddress);
    const name = input.name.trim();
    const id = newId();
    await this.db.transaction(async (em) => {
      if (await em.existsBy(Queue, { name })) throw new ApiError('CONFLICT', `input.name: a queue named "${name}" exists already`, 'input.name');
      // As updateQueue: an address reaches one mailbox, a user's or another queue's.
      await refuseTakenAddress(em, id, emailAddress);
      const inserted = (async () => {
        await em.insert(Queue, {
        id,
        name,
        emailAddress,
        ownerId,
        businessUnitId: owner.businessUnitId,
        createCaseFromEmail: input.createCaseFromEmail,
        createContactForUnknownSender: input.createContactForUnknownSender,
        createContactForLeadSender: input.createContactForLeadSender,
        reopenResolvedWithinHours: input.reopenResolvedWithinHours ?? null,
        });
        await em.insert(Mailbox, queueMailbox({ id, emailAddress, ownerId }, await newMailboxDefaults(em)));
      })();
      // A queue created at the same moment may win the name or the address after the checks above.
      await unlessDuplicate(inserted, () => new ApiError('CONFLICT', 'input.emailAddress: a queue or mailbox with this address was created at the same moment', 'input.emailAddress'));
    });
    return this.db.getRepository(Queue).findOneByOrFail({ id });
  }

  /** The rules, and Dynamics' queue form: name, address (the mailbox follows) and owner (as assigning a record). */
  async update(principal: Principal, globalId: string, input: UpdateQueueInput): Promise<Queue> {
    const { id } = expectGlobalId('id', globalId, 'Queue');
    const queue = await this.db.getRepository(Queue).findOneBy({ id });
    if (!queue || !holds(principal, AccessEntity.QUEUE, Privilege.READ)) throw notFound('id', globalId);
    if (!can(principal, AccessEntity.QUEUE, Privilege.WRITE, queue)) throw forbidden('you may not change this queue');
    nonNull(input, ['name', 'emailAddress', 'ownerId', 'createCaseFromEmail', 'createContactForUnknownSender', 'createContactForLeadSender']);
    const { name: rawName, emailAddress: rawAddress, ownerId: rawOwner, ...rules } = input;
    const name = rawName?.trim();
    const emailAddress = rawAddress === undefined ? undefined : validEmail('input.emailAddress', rawAddress);
    const owner = rawOwner === undefined ? undefined : await this.newOwner(principal, queue, rawOwner);
    await this.db.transaction(async (em) => {
      await lockRow(em, 'queue', id);
      if (name !== undefined && name !== queue.name && (await em.existsBy(Queue, { name, id: Not(id) }))) {
        throw new ApiError('CONFLICT', `input.name: a queue named "${name}" exists already`, 'input.name');
      }
      if (emailAddress !== undefined && emailAddress !== queue.emailAddress) await refuseTakenAddress(em, id, emailAddress);
      // A concurrent update may win the race for the name or the address after the checks above.
      await unlessDuplicate(
        em.update(Queue, { id }, definedOnly({ ...rules, name, emailAddress, ownerId: owner?.id, businessUnitId: owner?.businessUnitId })),
        () => new ApiError('CONFLICT', 'input.name: a queue with this name or address already exists', 'input.name'),
      );
      const actor = await em.findOne(User, { where: { id: principal.userId }, select: { email: true } });
      await followQueue(em, this.live, this.clock, id, { address: emailAddress, ownerUserId: owner?.id }, actor?.email ?? 'an administrator');
    });
    return this.db.getRepository(Queue).findOneByOrFail({ id });
  }

  /** Dynamics' assign (record-writer.ts): QUEUE assign over this queue, and an enabled user to give it to. */
  private async newOwner(principal: Principal, queue: Queue, globalId: string): Promise<User> {
    if (!can(principal, AccessEntity.QUEUE, Privilege.ASSIGN, queue)) throw forbidden('you may not assign this queue');
    const { id } = expectGlobalId('input.ownerId', globalId, 'User');
    const owner = await this.db.getRepository(User).findOneBy({ id });
    if (!owner || owner.disabled) throw notFound('input.ownerId', globalId);
    return owner;
  }
}

/** Each address reaches one mailbox: refuse one another queue, or any user's or queue's mailbox, has. */
async function refuseTakenAddress(em: EntityManager, queueId: string, emailAddress: string): Promise<void> {
  const taken =
    (await em.existsBy(Queue, { emailAddress, id: Not(queueId) })) ||
    (await em.getRepository(Mailbox).createQueryBuilder('m').where('LOWER(m.address) = :emailAddress', { emailAddress }).andWhere('(m.queueId IS NULL OR m.queueId <> :queueId)', { queueId }).getExists());
  if (taken) throw new ApiError('CONFLICT', `input.emailAddress: ${emailAddress} is the address of another mailbox already`, 'input.emailAddress');
}
