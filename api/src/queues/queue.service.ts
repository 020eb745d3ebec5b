import type { DataSource } from 'typeorm';
import { can, holds, type Principal } from '../access/principal';
import { AccessEntity, Privilege } from '../access/privileges';
import { ApiError, forbidden, notFound } from '../common/errors';
import { expectGlobalId, optionalGlobalId } from '../common/global-id';
import { newId } from '../common/ids';
import { User } from '../identity/user.entity';
import { newMailboxDefaults, queueMailbox } from '../mail/mailbox-provisioning';
import { Mailbox } from '../mail/mailbox.entity';
import { validEmail } from '../records/email-addresses';
import { definedOnly, nonNull } from '../records/patch';
import type { CreateQueueInput, UpdateQueueInput } from './queue.inputs';
import { Queue } from './queue.entity';

/** Queues (shared inboxes) and their email-to-case rules; each queue gets a mailbox. */
export class QueueService {
  constructor(private readonly db: DataSource) {}

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
    const taken = await this.db.getRepository(Queue).findOne({ where: [{ emailAddress }, { name: input.name.trim() }] });
    if (taken) throw new ApiError('CONFLICT', 'input.name: a queue with this name or address already exists', 'input.name');
    const id = newId();
    await this.db.transaction(async (em) => {
      await em.insert(Queue, {
        id,
        name: input.name.trim(),
        emailAddress,
        ownerId,
        businessUnitId: owner.businessUnitId,
        createCaseFromEmail: input.createCaseFromEmail,
        createContactForUnknownSender: input.createContactForUnknownSender,
        createContactForLeadSender: input.createContactForLeadSender,
        reopenResolvedWithinHours: input.reopenResolvedWithinHours ?? null,
      });
      await em.insert(Mailbox, queueMailbox({ id, emailAddress, ownerId }, await newMailboxDefaults(em)));
    });
    return this.db.getRepository(Queue).findOneByOrFail({ id });
  }

  async update(principal: Principal, globalId: string, input: UpdateQueueInput): Promise<Queue> {
    const { id } = expectGlobalId('id', globalId, 'Queue');
    const queue = await this.db.getRepository(Queue).findOneBy({ id });
    if (!queue || !holds(principal, AccessEntity.QUEUE, Privilege.READ)) throw notFound('id', globalId);
    if (!can(principal, AccessEntity.QUEUE, Privilege.WRITE, queue)) throw forbidden('you may not change this queue');
    nonNull(input, ['createCaseFromEmail', 'createContactForUnknownSender', 'createContactForLeadSender']);
    await this.db.getRepository(Queue).update({ id }, definedOnly({ ...input }));
    return this.db.getRepository(Queue).findOneByOrFail({ id });
  }
}
