import type { GraphQLClient } from '../graphql/graphql-client';
import { graphql } from '../graphql/graphql-tag';

const SET_ACTIVITY_STATE = graphql('SetActivityState')`
  mutation SetActivityState($id: ID!, $state: ActivityState!) { setActivityState(activityId: $id, state: $state) { id state } }
`;

/** Marks a task or appointment done or cancelled (or open again); the timeline shows the change through its live feed. */
export async function setActivityState(client: GraphQLClient, id: string, state: 'COMPLETED' | 'CANCELLED' | 'OPEN'): Promise<void> {
  await client.request(SET_ACTIVITY_STATE, { id, state });
}

const SET_ACTIVITY_REGARDING = graphql('SetActivityRegarding')`
  mutation SetActivityRegarding($id: ID!, $regardingId: ID) { setActivityRegarding(activityId: $id, regardingId: $regardingId) { id } }
`;

/** Sets what an activity is regarding, or (with null) clears it; the timelines it leaves and joins follow through their live feeds. */
export async function setActivityRegarding(client: GraphQLClient, id: string, regardingId: string | null): Promise<void> {
  await client.request(SET_ACTIVITY_REGARDING, { id, regardingId });
}
