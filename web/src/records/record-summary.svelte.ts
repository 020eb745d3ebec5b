import { GraphQLRequestError, type GraphQLClient } from '../graphql/graphql-client';
import { messageOf } from '../session/session.svelte';
import { graphql } from '../graphql/graphql-tag';

export type RecordKind = 'account' | 'contact';

export interface AccountSummary {
  __typename: 'Account';
  id: string;
  name: string;
  emails: string[];
  telephone: string | null;
  website: string | null;
  status: 'ACTIVE' | 'INACTIVE';
  owner: { fullName: string } | null;
}

export interface ContactSummary {
  __typename: 'Contact';
  id: string;
  fullName: string;
  jobTitle: string | null;
  emails: string[];
  telephone: string | null;
  mobilePhone: string | null;
  status: 'ACTIVE' | 'INACTIVE';
  account: { id: string; name: string } | null;
  owner: { fullName: string } | null;
}

export type RecordSummaryValue = AccountSummary | ContactSummary;

export type RecordSummaryState =
  | { readonly status: 'loading' }
  | { readonly status: 'loaded'; readonly record: RecordSummaryValue }
  | { readonly status: 'missing' }
  | { readonly status: 'failed'; readonly message: string };

const RECORD = graphql`
  query RecordSummary($id: ID!) {
    node(id: $id) {
      __typename
      ... on Account { id name emails telephone website status owner { fullName } }
      ... on Contact { id fullName jobTitle emails telephone mobilePhone contactStatus: status account { id name } owner { fullName } }
    }
  }
`;

// AccountStatus and ContactStatus are different enums: one response field cannot hold both.
type RecordNode = AccountSummary | (Omit<ContactSummary, 'status'> & { contactStatus: ContactSummary['status'] });

function toSummary(node: RecordNode): RecordSummaryValue {
  if (node.__typename === 'Account') return node;
  const { contactStatus, ...contact } = node;
  return { ...contact, status: contactStatus };
}

const TYPENAME: Record<RecordKind, RecordSummaryValue['__typename']> = { account: 'Account', contact: 'Contact' };

/** The header facts of an account or contact page. */
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
      const { node } = await this.client.request<{ node: RecordNode | { __typename: string } | null }>(RECORD, { id: this.id });
      if (this.#disposed) return;
      // An id of another type (or one the viewer may not read) is "not found" to the user.
      this.state = node?.__typename === TYPENAME[this.kind] ? { status: 'loaded', record: toSummary(node as RecordNode) } : { status: 'missing' };
    } catch (error) {
      if (this.#disposed) return;
      // node(id) rejects a malformed id as bad input: to the user that is a link to nothing.
      const malformed = error instanceof GraphQLRequestError && error.code === 'BAD_USER_INPUT';
      this.state = malformed ? { status: 'missing' } : { status: 'failed', message: messageOf(error) };
    }
  }

  dispose(): void {
    this.#disposed = true;
  }
}
