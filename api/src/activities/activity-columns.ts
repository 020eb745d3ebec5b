import { Kind, type FieldNode, type GraphQLResolveInfo, type SelectionSetNode } from 'graphql';
import type { Activity } from './activity.entity';

/**
 * The activity columns a list of activities needs when it is asked for as an integration usually asks (ids, kinds,
 * subjects, times): the id and kind (node type, global id), occurredAt (the cursor), the owner and business unit
 * (access checks), the visibility (privacy), and the subject, state and direction. A page read with these alone
 * costs the database and the api less per row than one that reads every column.
 */
export const LEAN_ACTIVITY_COLUMNS = ['id', 'kind', 'occurredAt', 'ownerId', 'businessUnitId', 'visibility', 'subject', 'state', 'direction'] as const satisfies readonly (keyof Activity)[];

/**
 * The fields of an activity answered from LEAN_ACTIVITY_COLUMNS alone, as their resolvers read the row
 * (activity.types.ts, activity-fields.resolver.ts: owner, parties and access read the owner, unit, id and kind).
 * Any other field, one of a single activity type or one added later, makes the page read every column.
 */
const LEAN_FIELDS: ReadonlySet<string> = new Set(['__typename', 'id', 'kind', 'occurredAt', 'subject', 'state', 'direction', 'owner', 'visibleAs', 'viewerAccess', 'parties']);

/** Keyed by the connection field's first node: a cached query document repeats its nodes, so each is walked once. */
const verdicts = new WeakMap<FieldNode, boolean>();

/**
 * Whether the activity nodes a connection field returns (`edges { node { … } }`) ask only for fields of LEAN_FIELDS,
 * counting every fragment whatever its type condition or directives (a superset of what runs, so never too few).
 */
export function nodesNeedOnlyLeanColumns(info: Pick<GraphQLResolveInfo, 'fieldNodes' | 'fragments'>): boolean {
  const key = info.fieldNodes[0];
  const known = key ? verdicts.get(key) : undefined;
  if (known !== undefined) return known;
  const edges = fieldsNamed(info, info.fieldNodes.map((node) => node.selectionSet), 'edges');
  const nodes = fieldsNamed(info, edges.map((edge) => edge.selectionSet), 'node');
  const verdict = nodes.every((node) => everyField(info, node.selectionSet, (name) => LEAN_FIELDS.has(name)));
  if (key) verdicts.set(key, verdict);
  return verdict;
}

/** The fields called `name` in these selection sets, through fragments. */
function fieldsNamed(info: Pick<GraphQLResolveInfo, 'fragments'>, sets: readonly (SelectionSetNode | undefined)[], name: string): FieldNode[] {
  const found: FieldNode[] = [];
  for (const set of sets) everyField(info, set, (fieldName, field) => (fieldName === name && found.push(field), true));
  return found;
}

/** Whether `test` holds for every field of a selection set, its fragments' fields included. */
function everyField(info: Pick<GraphQLResolveInfo, 'fragments'>, set: SelectionSetNode | undefined, test: (name: string, field: FieldNode) => boolean, seen = new Set<string>()): boolean {
  if (!set) return true;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      if (!test(selection.name.value, selection)) return false;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      if (!everyField(info, selection.selectionSet, test, seen)) return false;
    } else {
      const name = selection.name.value;
      // Validation refuses fragment cycles; the set keeps a malformed document from looping all the same.
      if (seen.has(name)) continue;
      seen.add(name);
      const fragment = info.fragments[name];
      // A spread whose fragment is missing cannot be judged: read every column.
      if (!fragment || !everyField(info, fragment.selectionSet, test, seen)) return false;
    }
  }
  return true;
}
