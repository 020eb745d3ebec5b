import { GraphQLRequestError, type GraphQLClient } from '../graphql/graphql-client';
import { graphql } from '../graphql/graphql-tag';
import type {
  AccountDetailFieldsFragment,
  CaseDetailFieldsFragment,
  ContactDetailFieldsFragment,
  LeadDetailFieldsFragment,
  OpportunityDetailFieldsFragment,
} from '../graphql/operations.generated';
import { problemOf, type Problem } from '../shell/i18n/translator';
import type { RecordKind } from './record-kind';
import { CUSTOMER_FRAGMENT } from './record-rows';

export type { RecordKind } from './record-kind';

// The facts each kind's page shows beside its timeline. One operation per kind: their status enums differ, and
// one response field cannot hold two enums.

const STAMPS = 'createdAt updatedAt owner { id fullName } businessUnit { name }';

const ACCOUNT = graphql('AccountRecord')`
  query AccountRecord($id: ID!) { node(id: $id) { __typename ...AccountDetailFields } }
  fragment AccountDetailFields on Account { id name viewerAccess { write delete assign share appendTo } emails telephone website status description ${STAMPS} }
`;
const CONTACT = graphql('ContactRecord')`
  query ContactRecord($id: ID!) { node(id: $id) { __typename ...ContactDetailFields } }
  fragment ContactDetailFields on Contact {
    id fullName firstName lastName viewerAccess { write delete assign share appendTo } jobTitle emails telephone mobilePhone status account { id name } originatingLead { id fullName } ${STAMPS}
    syncConflicts { occurredAt rule winner losingVersion { firstName lastName jobTitle telephone mobilePhone emails } }
  }
`;
const LEAD = graphql('LeadRecord')`
  query LeadRecord($id: ID!) { node(id: $id) { __typename ...LeadDetailFields } }
  fragment LeadDetailFields on Lead { id fullName firstName lastName topic companyName emails telephone status viewerAccess { write delete assign share appendTo } ${STAMPS} }
`;
const OPPORTUNITY = graphql('OpportunityRecord')`
  query OpportunityRecord($id: ID!) { node(id: $id) { __typename ...OpportunityDetailFields } }
  fragment OpportunityDetailFields on Opportunity { id name viewerAccess { write delete assign share appendTo } estimatedValue currency estimatedCloseDate status customer { ...CustomerFields } ${STAMPS} }
  ${CUSTOMER_FRAGMENT}
`;
const CASE = graphql('CaseRecord')`
  query CaseRecord($id: ID!) { node(id: $id) { __typename ...CaseDetailFields } }
  fragment CaseDetailFields on Case { id ticketNumber title viewerAccess { write delete assign share appendTo } description priority status customer { ...CustomerFields } ${STAMPS} }
  ${CUSTOMER_FRAGMENT}
`;

export type AccountDetails = AccountDetailFieldsFragment;
export type ContactDetails = ContactDetailFieldsFragment;
export type LeadDetails = LeadDetailFieldsFragment;
export type OpportunityDetails = OpportunityDetailFieldsFragment;
export type CaseDetails = CaseDetailFieldsFragment;

/** A record as its page shows it, tagged with its kind. */
export type RecordDetails =
  | { readonly kind: 'account'; readonly record: AccountDetails }
  | { readonly kind: 'contact'; readonly record: ContactDetails }
  | { readonly kind: 'lead'; readonly record: LeadDetails }
  | { readonly kind: 'opportunity'; readonly record: OpportunityDetails }
  | { readonly kind: 'case'; readonly record: CaseDetails };

export type RecordSummaryState =
  | { readonly status: 'loading' }
  | { readonly status: 'loaded'; readonly details: RecordDetails }
  | { readonly status: 'missing' }
  | { readonly status: 'failed'; readonly problem: Problem };

/** The record of `kind` with this id, or null when there is none the viewer may read (or the id is of another type). */
async function readDetails(client: GraphQLClient, kind: RecordKind, id: string): Promise<RecordDetails | null> {
  switch (kind) {
    case 'account': {
      const { node } = await client.request(ACCOUNT, { id });
      return node?.__typename === 'Account' ? { kind, record: node } : null;
    }
    case 'contact': {
      const { node } = await client.request(CONTACT, { id });
      return node?.__typename === 'Contact' ? { kind, record: node } : null;
    }
    case 'lead': {
      const { node } = await client.request(LEAD, { id });
      return node?.__typename === 'Lead' ? { kind, record: node } : null;
    }
    case 'opportunity': {
      const { node } = await client.request(OPPORTUNITY, { id });
      return node?.__typename === 'Opportunity' ? { kind, record: node } : null;
    }
    case 'case': {
      const { node } = await client.request(CASE, { id });
      return node?.__typename === 'Case' ? { kind, record: node } : null;
    }
  }
}

/** The name a record's page is titled with. */
export function titleOf(details: RecordDetails): string {
  switch (details.kind) {
    case 'account':
    case 'opportunity':
      return details.record.name;
    case 'contact':
    case 'lead':
      return details.record.fullName;
    case 'case':
      return details.record.title;
  }
}

/** The facts of one record's page. */
export class RecordSummary {
  state = $state<RecordSummaryState>({ status: 'loading' });

  #disposed = false;

  constructor(
    private readonly client: GraphQLClient,
    readonly kind: RecordKind,
    readonly id: string,
  ) {}

  async load(): Promise<void> {
    this.state = { status: 'loading' };
    try {
      const details = await readDetails(this.client, this.kind, this.id);
      if (this.#disposed) return;
      // An id of another type (or one the viewer may not read) is "not found" to the user.
      this.state = details ? { status: 'loaded', details } : { status: 'missing' };
    } catch (error) {
      if (this.#disposed) return;
      // node(id) rejects a malformed id as bad input: to the user that is a link to nothing.
      const malformed = error instanceof GraphQLRequestError && error.code === 'BAD_USER_INPUT';
      this.state = malformed ? { status: 'missing' } : { status: 'failed', problem: problemOf(error) };
    }
  }

  dispose(): void {
    this.#disposed = true;
  }
}
