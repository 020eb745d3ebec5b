import type { GraphQLClient } from '../graphql/graphql-client';
import { graphql } from '../graphql/graphql-tag';
import type { ViewerRightsQuery } from '../graphql/operations.generated';
import { KIND_TYPENAMES, type RecordKind } from './record-kind';

/**
 * The viewer's role privileges, read once signed in (not with the session's viewer: until a reset
 * password is changed, the API answers nothing about roles). They decide which "New …" buttons show;
 * what the viewer may do with an existing record, each record says itself (`viewerAccess`).
 */
const VIEWER_RIGHTS = graphql('ViewerRights')`query ViewerRights { viewer { id roles { privileges { entity privilege depth } } } }`;

export type ViewerRights = ViewerRightsQuery['viewer'];

export async function loadViewerRights(client: GraphQLClient): Promise<ViewerRights> {
  return (await client.request(VIEWER_RIGHTS)).viewer;
}

const holdsCreate = (rights: ViewerRights | null, entity: string): boolean =>
  !!rights?.roles.some((role) => role.privileges.some((p) => p.entity === entity && p.privilege === 'CREATE' && p.depth !== 'NONE'));

/** Whether the viewer's roles let them create records of `kind` at all (the API checks the owner's unit again). */
export function mayCreate(rights: ViewerRights | null, kind: RecordKind): boolean {
  return holdsCreate(rights, KIND_TYPENAMES[kind].toUpperCase());
}

/** Whether the viewer's roles let them create activities (log a call, add a task). */
export function mayCreateActivities(rights: ViewerRights | null): boolean {
  return holdsCreate(rights, 'ACTIVITY');
}
