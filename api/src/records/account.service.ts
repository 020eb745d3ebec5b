import type { Principal } from '../access/principal';
import { optionalGlobalId } from '../common/global-id';
import type { Page } from '../common/pagination';
import { Account, AccountStatus } from './account.entity';
import type { CreateAccountInput, UpdateAccountInput } from './account.inputs';
import { definedOnly, nonNull } from './patch';
import type { ListQuery, RecordStore } from './record-store';
import type { RecordWriter } from './record-writer';

export class AccountService {
  constructor(
    private readonly store: RecordStore<Account>,
    private readonly writer: RecordWriter,
  ) {}

  list(principal: Principal, query: ListQuery): Promise<Page<Account>> {
    return this.store.list(principal, query);
  }

  create(principal: Principal, input: CreateAccountInput): Promise<Account> {
    const ownerId = optionalGlobalId('input.ownerId', input.ownerId, 'User');
    return this.writer.create<Account>(
      principal,
      'account',
      {
        name: input.name.trim(),
        status: input.status ?? AccountStatus.ACTIVE,
        telephone: input.telephone,
        website: input.website ?? null,
        description: input.description ?? null,
      },
      ownerId,
      { emails: input.emails },
    );
  }

  update(principal: Principal, id: string, input: UpdateAccountInput): Promise<Account> {
    nonNull(input, ['name', 'status', 'emails']);
    const { emails, ...fields } = input;
    return this.writer.update<Account>(principal, 'account', id, definedOnly({ ...fields, name: fields.name?.trim() }), { emails });
  }
}
