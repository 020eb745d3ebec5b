import { createUnionType } from 'type-graphql';
import { expectGlobalId } from '../common/global-id';
import type DataLoader from 'dataloader';
import { Account } from './account.entity';
import { Contact } from './contact.entity';
import type { Reference } from './record-writer';

/** An opportunity's or a case's customer: an account or a contact, as in Dynamics. */
export const Customer = createUnionType({
  name: 'Customer',
  types: () => [Account, Contact] as const,
  resolveType: (value) => (value instanceof Contact ? Contact : Account),
});

export interface CustomerColumns {
  customerAccountId: string | null;
  customerContactId: string | null;
}

/** Splits a customer global id into the two lookup columns, plus the APPEND_TO check it needs. */
export function customerColumns(field: string, globalId: string): { columns: CustomerColumns; reference: Reference } {
  const { type, id } = expectGlobalId(field, globalId, 'Account', 'Contact');
  return type === 'Account'
    ? { columns: { customerAccountId: id, customerContactId: null }, reference: { field, kind: 'account', id } }
    : { columns: { customerAccountId: null, customerContactId: id }, reference: { field, kind: 'contact', id } };
}

/** The list filter for "records of this customer". */
export function customerFilter(field: string, globalId: string | null | undefined): Record<string, string> | undefined {
  if (globalId === undefined || globalId === null) return undefined;
  const { columns } = customerColumns(field, globalId);
  return columns.customerAccountId ? { customerAccountId: columns.customerAccountId } : { customerContactId: columns.customerContactId! };
}

/** What loading a customer needs: the request's loaders of accounts and contacts the caller may read. */
export interface CustomerReaders {
  readonly readable: { readonly account: DataLoader<string, object | undefined>; readonly contact: DataLoader<string, object | undefined> };
}

/** The customer if the caller may read it. */
export async function loadCustomer(loaders: CustomerReaders, row: CustomerColumns): Promise<Account | Contact | null> {
  if (row.customerAccountId) return ((await loaders.readable.account.load(row.customerAccountId)) as Account | undefined) ?? null;
  if (row.customerContactId) return ((await loaders.readable.contact.load(row.customerContactId)) as Contact | undefined) ?? null;
  return null;
}
