import type { Principal } from '../access/principal';
import { optionalGlobalId } from '../common/global-id';
import type { Page } from '../common/pagination';
import { Contact, ContactStatus } from './contact.entity';
import type { CreateContactInput, UpdateContactInput } from './contact.inputs';
import { definedOnly, nonNull } from './patch';
import { fullNameOf } from './person-name';
import type { ListQuery, RecordStore } from './record-store';
import type { Reference, RecordWriter } from './record-writer';

export class ContactService {
  constructor(
    private readonly store: RecordStore<Contact>,
    private readonly writer: RecordWriter,
  ) {}

  list(principal: Principal, query: ListQuery, accountGlobalId?: string): Promise<Page<Contact>> {
    const accountId = optionalGlobalId('filter.accountId', accountGlobalId, 'Account');
    return this.store.list(principal, { ...query, extra: accountId ? { accountId } : undefined });
  }

  create(principal: Principal, input: CreateContactInput): Promise<Contact> {
    const ownerId = optionalGlobalId('input.ownerId', input.ownerId, 'User');
    const accountId = optionalGlobalId('input.accountId', input.accountId, 'Account') ?? null;
    return this.writer.create<Contact>(
      principal,
      'contact',
      {
        firstName: input.firstName?.trim() || null,
        lastName: input.lastName.trim(),
        fullName: fullNameOf(input.firstName, input.lastName),
        jobTitle: input.jobTitle ?? null,
        telephone: input.telephone,
        mobilePhone: input.mobilePhone,
        status: input.status ?? ContactStatus.ACTIVE,
        accountId,
      },
      ownerId,
      { emails: input.emails, references: accountReference(accountId) },
    );
  }

  async update(principal: Principal, id: string, input: UpdateContactInput): Promise<Contact> {
    nonNull(input, ['lastName', 'status', 'emails']);
    const { emails, accountId: accountGlobalId, ...fields } = input;
    const accountId = optionalGlobalId('input.accountId', accountGlobalId, 'Account');
    const patch: Partial<Contact> = definedOnly({ ...fields, accountId });
    if (input.firstName !== undefined || input.lastName !== undefined) {
      const current = (await this.writer.readable(principal, 'contact', id)) as Contact;
      const firstName = input.firstName === undefined ? current.firstName : input.firstName;
      patch.fullName = fullNameOf(firstName, input.lastName ?? current.lastName);
    }
    return this.writer.update<Contact>(principal, 'contact', id, patch, { emails, references: accountReference(accountId ?? null) });
  }
}

const accountReference = (accountId: string | null): Reference[] =>
  accountId ? [{ field: 'input.accountId', kind: 'account', id: accountId }] : [];
