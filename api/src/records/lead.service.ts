import type { Principal } from '../access/principal';
import { optionalGlobalId } from '../common/global-id';
import type { Page } from '../common/pagination';
import { Lead, LeadStatus } from './lead.entity';
import type { CreateLeadInput, UpdateLeadInput } from './lead.inputs';
import { definedOnly, nonNull } from './patch';
import { fullNameOf } from './person-name';
import type { ListQuery, RecordStore } from './record-store';
import type { RecordWriter } from './record-writer';

export class LeadService {
  constructor(
    private readonly store: RecordStore<Lead>,
    private readonly writer: RecordWriter,
  ) {}

  list(principal: Principal, query: ListQuery): Promise<Page<Lead>> {
    return this.store.list(principal, query);
  }

  create(principal: Principal, input: CreateLeadInput): Promise<Lead> {
    const ownerId = optionalGlobalId('input.ownerId', input.ownerId, 'User');
    return this.writer.create<Lead>(
      principal,
      'lead',
      {
        topic: input.topic.trim(),
        firstName: input.firstName?.trim() || null,
        lastName: input.lastName.trim(),
        fullName: fullNameOf(input.firstName, input.lastName),
        companyName: input.companyName ?? null,
        telephone: input.telephone,
        status: input.status ?? LeadStatus.NEW,
      },
      ownerId,
      { emails: input.emails },
    );
  }

  async update(principal: Principal, id: string, input: UpdateLeadInput): Promise<Lead> {
    nonNull(input, ['topic', 'lastName', 'status', 'emails']);
    const { emails, ...fields } = input;
    const patch: Partial<Lead> = definedOnly(fields);
    if (input.firstName !== undefined || input.lastName !== undefined) {
      const current = (await this.writer.readable(principal, 'lead', id)) as Lead;
      patch.fullName = fullNameOf(input.firstName === undefined ? current.firstName : input.firstName, input.lastName ?? current.lastName);
    }
    return this.writer.update<Lead>(principal, 'lead', id, patch, { emails });
  }
}
