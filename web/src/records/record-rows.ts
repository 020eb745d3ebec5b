import type { GraphQLClient } from '../graphql/graphql-client';
import { graphql } from '../graphql/graphql-tag';
import type {
  AccountRowFieldsFragment,
  CasePriority,
  CaseRowFieldsFragment,
  ContactRowFieldsFragment,
  CustomerFieldsFragment,
  LeadRowFieldsFragment,
  OpportunityRowFieldsFragment,
  RecordOrder,
} from '../graphql/operations.generated';
import type { Connection } from '../graphql/paged-list.svelte';
import { recordHref } from '../shell/hash-route.svelte.ts';
import { orderOf, type ListView } from './list-view';
import { statusOf, type ColumnId, type RecordKind } from './record-kind';

// What each kind's list shows, and how one record becomes a row of cells. The rows are plain data; the table
// writes them in the reader's language (labels, dates, amounts) when it shows them.

/** The fields of a customer (an opportunity's or a case's), named by their link. */
export const CUSTOMER_FRAGMENT = /* GraphQL */ `fragment CustomerFields on Customer { __typename ... on Account { id name } ... on Contact { id fullName } }`;

/** The fields each kind's list row shows; record pages select the same for their related records. */
export const ROW_FRAGMENTS = {
  account: /* GraphQL */ `fragment AccountRowFields on Account { id name emails primaryEmail telephone status owner { id fullName } }`,
  contact: /* GraphQL */ `fragment ContactRowFields on Contact {
    id fullName jobTitle emails primaryEmail telephone status account { id name } owner { id fullName }
  }`,
  lead: /* GraphQL */ `fragment LeadRowFields on Lead { id fullName topic companyName emails primaryEmail telephone status owner { id fullName } }`,
  opportunity: /* GraphQL */ `fragment OpportunityRowFields on Opportunity {
    id name estimatedValue currency estimatedCloseDate status customer { ...CustomerFields } owner { id fullName }
  } ${CUSTOMER_FRAGMENT}`,
  case: /* GraphQL */ `fragment CaseRowFields on Case {
    id ticketNumber title priority status customer { ...CustomerFields } owner { id fullName }
  } ${CUSTOMER_FRAGMENT}`,
} satisfies Record<RecordKind, string>;

const PAGE_INFO = 'totalCount pageInfo { hasNextPage endCursor }';

const ACCOUNTS = graphql('Accounts')`
  query Accounts($first: Int, $after: String, $filter: AccountFilter, $orderBy: RecordOrder) {
    accounts(first: $first, after: $after, filter: $filter, orderBy: $orderBy) { ${PAGE_INFO} edges { node { ...AccountRowFields } } }
  }
  ${ROW_FRAGMENTS.account}
`;
const CONTACTS = graphql('Contacts')`
  query Contacts($first: Int, $after: String, $filter: ContactFilter, $orderBy: RecordOrder) {
    contacts(first: $first, after: $after, filter: $filter, orderBy: $orderBy) { ${PAGE_INFO} edges { node { ...ContactRowFields } } }
  }
  ${ROW_FRAGMENTS.contact}
`;
const LEADS = graphql('Leads')`
  query Leads($first: Int, $after: String, $filter: LeadFilter, $orderBy: RecordOrder) {
    leads(first: $first, after: $after, filter: $filter, orderBy: $orderBy) { ${PAGE_INFO} edges { node { ...LeadRowFields } } }
  }
  ${ROW_FRAGMENTS.lead}
`;
const OPPORTUNITIES = graphql('Opportunities')`
  query Opportunities($first: Int, $after: String, $filter: OpportunityFilter, $orderBy: RecordOrder) {
    opportunities(first: $first, after: $after, filter: $filter, orderBy: $orderBy) { ${PAGE_INFO} edges { node { ...OpportunityRowFields } } }
  }
  ${ROW_FRAGMENTS.opportunity}
`;
const CASES = graphql('Cases')`
  query Cases($first: Int, $after: String, $filter: CaseFilter, $orderBy: RecordOrder) {
    cases(first: $first, after: $after, filter: $filter, orderBy: $orderBy) { ${PAGE_INFO} edges { node { ...CaseRowFields } } }
  }
  ${ROW_FRAGMENTS.case}
`;

export type AccountRow = AccountRowFieldsFragment;
export type ContactRow = ContactRowFieldsFragment;
export type LeadRow = LeadRowFieldsFragment;
export type OpportunityRow = OpportunityRowFieldsFragment;
export type CaseRow = CaseRowFieldsFragment;
export type Customer = CustomerFieldsFragment;

export type { ColumnId } from './record-kind';

/** One cell, as data: the table writes it for the reader (a status in their language, a date their way). */
export type Cell =
  | { readonly type: 'link'; readonly text: string; readonly href: string }
  | { readonly type: 'text'; readonly text: string | null }
  | { readonly type: 'email'; readonly address: string | null; readonly others: readonly string[] }
  | { readonly type: 'status'; readonly kind: RecordKind; readonly value: string }
  | { readonly type: 'priority'; readonly value: CasePriority }
  | { readonly type: 'money'; readonly value: number | null; readonly currency: string }
  | { readonly type: 'date'; readonly value: string | null };

/** A record as a table row: its id and one cell per column of its kind (KIND_COLUMNS), the first the row's heading. */
export interface TableRow {
  readonly id: string;
  readonly cells: Readonly<Partial<Record<ColumnId, Cell>>>;
}

/** The columns of each kind's table, in order; the first names the record and links to its page. */
export const KIND_COLUMNS = {
  account: ['name', 'email', 'telephone', 'owner'],
  contact: ['name', 'account', 'email', 'telephone', 'owner'],
  lead: ['name', 'topic', 'company', 'email', 'status', 'owner'],
  opportunity: ['name', 'customer', 'estimatedValue', 'closeDate', 'status', 'owner'],
  case: ['ticketNumber', 'title', 'customer', 'priority', 'status', 'owner'],
} as const satisfies Record<RecordKind, readonly ColumnId[]>;

const text = (value: string | null | undefined): Cell => ({ type: 'text', text: value ?? null });
const email = (row: { emails: readonly string[]; primaryEmail?: string | null }): Cell => {
  const address = row.primaryEmail ?? row.emails[0] ?? null;
  return { type: 'email', address, others: row.emails.filter((other) => other !== address) };
};
const owner = (row: { owner?: { fullName: string } | null }): Cell => text(row.owner?.fullName);

/** The name a customer goes by. */
export const customerName = (customer: Customer): string => (customer.__typename === 'Account' ? customer.name : customer.fullName);
/** The page of a customer. */
export const customerHref = (customer: Customer): string => recordHref(customer.__typename === 'Account' ? 'account' : 'contact', customer.id);
const customer = (value: Customer | null | undefined): Cell =>
  value ? { type: 'link', text: customerName(value), href: customerHref(value) } : text(null);

export function accountRow(row: AccountRow): TableRow {
  return { id: row.id, cells: { name: { type: 'link', text: row.name, href: recordHref('account', row.id) }, email: email(row), telephone: text(row.telephone), owner: owner(row) } };
}

export function contactRow(row: ContactRow): TableRow {
  return {
    id: row.id,
    cells: {
      name: { type: 'link', text: row.fullName, href: recordHref('contact', row.id) },
      account: row.account ? { type: 'link', text: row.account.name, href: recordHref('account', row.account.id) } : text(null),
      email: email(row),
      telephone: text(row.telephone),
      owner: owner(row),
    },
  };
}

export function leadRow(row: LeadRow): TableRow {
  return {
    id: row.id,
    cells: {
      name: { type: 'link', text: row.fullName, href: recordHref('lead', row.id) },
      topic: text(row.topic),
      company: text(row.companyName),
      email: email(row),
      status: { type: 'status', kind: 'lead', value: row.status },
      owner: owner(row),
    },
  };
}

export function opportunityRow(row: OpportunityRow): TableRow {
  return {
    id: row.id,
    cells: {
      name: { type: 'link', text: row.name, href: recordHref('opportunity', row.id) },
      customer: customer(row.customer),
      estimatedValue: { type: 'money', value: row.estimatedValue ?? null, currency: row.currency },
      closeDate: { type: 'date', value: row.estimatedCloseDate ?? null },
      status: { type: 'status', kind: 'opportunity', value: row.status },
      owner: owner(row),
    },
  };
}

export function caseRow(row: CaseRow): TableRow {
  const href = recordHref('case', row.id);
  return {
    id: row.id,
    cells: {
      ticketNumber: { type: 'link', text: row.ticketNumber, href },
      title: { type: 'link', text: row.title, href },
      customer: customer(row.customer),
      priority: { type: 'priority', value: row.priority },
      status: { type: 'status', kind: 'case', value: row.status },
      owner: owner(row),
    },
  };
}

/** One page request of a list: its view, the viewer (for "mine"), and the record it is related to, if any. */
export interface PageRequest {
  readonly view: ListView;
  /** The viewer's user id: the owner when the view asks for their own records. */
  readonly viewerId: string;
  /** An account for contacts; an account or contact (the customer) for opportunities and cases; null for a whole list. */
  readonly parentId: string | null;
  readonly first: number;
  readonly after: string | null;
}

const common = (request: PageRequest) => ({
  first: request.first,
  after: request.after,
  orderBy: orderOf(request.view.sort) satisfies RecordOrder,
});
const baseFilter = (request: PageRequest) => ({
  search: request.view.search || null,
  ownerId: request.view.owner === 'me' ? request.viewerId : request.view.owner,
});
const rowsOf = <Node>(connection: Connection<Node>, toRow: (node: Node) => TableRow): Connection<TableRow> => ({
  totalCount: connection.totalCount,
  pageInfo: connection.pageInfo,
  edges: connection.edges.map((edge) => ({ node: toRow(edge.node) })),
});

/** One page of `kind`'s records the viewer may read, as table rows. */
export async function fetchRows(client: GraphQLClient, kind: RecordKind, request: PageRequest): Promise<Connection<TableRow>> {
  switch (kind) {
    case 'account': {
      const filter = { ...baseFilter(request), status: statusOf('account', request.view.status) };
      return rowsOf((await client.request(ACCOUNTS, { ...common(request), filter })).accounts, accountRow);
    }
    case 'contact': {
      const filter = { ...baseFilter(request), status: statusOf('contact', request.view.status), accountId: request.parentId };
      return rowsOf((await client.request(CONTACTS, { ...common(request), filter })).contacts, contactRow);
    }
    case 'lead': {
      const filter = { ...baseFilter(request), status: statusOf('lead', request.view.status) };
      return rowsOf((await client.request(LEADS, { ...common(request), filter })).leads, leadRow);
    }
    case 'opportunity': {
      const filter = { ...baseFilter(request), status: statusOf('opportunity', request.view.status), customerId: request.parentId };
      return rowsOf((await client.request(OPPORTUNITIES, { ...common(request), filter })).opportunities, opportunityRow);
    }
    case 'case': {
      const filter = { ...baseFilter(request), status: statusOf('case', request.view.status), customerId: request.parentId };
      return rowsOf((await client.request(CASES, { ...common(request), filter })).cases, caseRow);
    }
  }
}
