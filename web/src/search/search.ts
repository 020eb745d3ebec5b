import { graphql } from '../graphql/graphql-tag';
import type { ActivityKind, GlobalSearchQuery } from '../graphql/operations.generated';
import { activityHref, recordHref } from '../shell/hash-route.svelte.ts';
import type { RecordKind } from '../records/record-kind';
// Global search: the five record lists' search and the activities search, in one request (schema.graphql: Query).

/** How many of each kind the search box shows. */
export const SEARCH_PAGE_SIZE = 5;
/** The API's longest activity search (ActivitySearchFilterInput.search). */
export const SEARCH_MAX_LENGTH = 200;

const REGARDING_NAMES = /* GraphQL */ `... on Account { name } ... on Contact { fullName } ... on Lead { fullName } ... on Opportunity { name } ... on Case { title }`;

export const GLOBAL_SEARCH_QUERY = graphql('GlobalSearch')`
  query GlobalSearch($search: String!, $first: Int!) {
    accounts(first: $first, filter: { search: $search }) { totalCount edges { node { id name primaryEmail } } }
    contacts(first: $first, filter: { search: $search }) { totalCount edges { node { id fullName primaryEmail account { name } } } }
    leads(first: $first, filter: { search: $search }) { totalCount edges { node { id fullName companyName primaryEmail } } }
    opportunities(first: $first, filter: { search: $search }) { totalCount edges { node { id name customer { __typename ... on Account { name } ... on Contact { fullName } } } } }
    cases(first: $first, filter: { search: $search }) { totalCount edges { node { id title ticketNumber } } }
    activities(first: $first, filter: { search: $search }) {
      totalCount
      edges {
        node {
          __typename id kind subject occurredAt
          regarding { __typename ${REGARDING_NAMES} }
        }
      }
    }
  }
`;

export type SearchGroupKind = RecordKind | 'activity';
export const SEARCH_GROUPS: readonly SearchGroupKind[] = ['contact', 'account', 'lead', 'opportunity', 'case', 'activity'];

/** One result: what it is called, a line about it, and where Enter takes the reader (null: nowhere to open). */
export interface SearchHit {
  readonly id: string;
  readonly title: string | null;
  readonly detail: string | null;
  readonly href: string | null;
  /** An activity's kind (EMAIL, TASK…), for its label. */
  readonly activityKind?: ActivityKind;
  /** When an activity occurred (ISO). */
  readonly at?: string;
}

export interface SearchGroup {
  readonly kind: SearchGroupKind;
  readonly hits: readonly SearchHit[];
  readonly total: number;
}

type Activities = GlobalSearchQuery['activities']['edges'][number]['node'];

type SearchedActivity = GlobalSearchQuery['activities']['edges'][number]['node'];

/** What a found activity is about, beside its subject. */
function regardingName(regarding: SearchedActivity['regarding']): string | null {
  if (!regarding) return null;
  return 'name' in regarding ? regarding.name : 'fullName' in regarding ? regarding.fullName : 'title' in regarding ? regarding.title : null;
}

const join = (...parts: (string | null | undefined)[]): string | null => parts.filter(Boolean).join(' · ') || null;

/** The answer as groups in display order, leaving out kinds with nothing found. */
export function searchGroups(answer: GlobalSearchQuery): SearchGroup[] {
  const groups: Record<SearchGroupKind, SearchGroup> = {
    account: {
      kind: 'account',
      total: answer.accounts.totalCount,
      hits: answer.accounts.edges.map(({ node }) => ({ id: node.id, title: node.name, detail: node.primaryEmail ?? null, href: recordHref('account', node.id) })),
    },
    contact: {
      kind: 'contact',
      total: answer.contacts.totalCount,
      hits: answer.contacts.edges.map(({ node }) => ({ id: node.id, title: node.fullName, detail: join(node.primaryEmail, node.account?.name), href: recordHref('contact', node.id) })),
    },
    lead: {
      kind: 'lead',
      total: answer.leads.totalCount,
      hits: answer.leads.edges.map(({ node }) => ({ id: node.id, title: node.fullName, detail: join(node.companyName, node.primaryEmail), href: recordHref('lead', node.id) })),
    },
    opportunity: {
      kind: 'opportunity',
      total: answer.opportunities.totalCount,
      hits: answer.opportunities.edges.map(({ node }) => ({
        id: node.id,
        title: node.name,
        detail: node.customer ? (node.customer.__typename === 'Account' ? node.customer.name : node.customer.fullName) : null,
        href: recordHref('opportunity', node.id),
      })),
    },
    case: {
      kind: 'case',
      total: answer.cases.totalCount,
      hits: answer.cases.edges.map(({ node }) => ({ id: node.id, title: node.title, detail: node.ticketNumber, href: recordHref('case', node.id) })),
    },
    activity: {
      kind: 'activity',
      total: answer.activities.totalCount,
      hits: answer.activities.edges.map(({ node }) => ({ id: node.id, title: node.subject, detail: regardingName(node.regarding), href: activityHref(node.id), activityKind: node.kind, at: node.occurredAt })),
    },
  };
  return SEARCH_GROUPS.map((kind) => groups[kind]).filter((group) => group.hits.length > 0);
}
