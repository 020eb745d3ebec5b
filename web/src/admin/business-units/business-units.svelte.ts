import type { GraphQLClient } from '../../graphql/graphql-client';
import { toMutationError, type MutationError } from '../../shell/mutation-error';
import { problemOf, type Problem } from '../../shell/i18n/translator';
import { BUSINESS_UNITS, CREATE_BUSINESS_UNIT, UNIT_MEMBERS, USER_LIST_LIMIT, membersPerUnit, unitTree, type BusinessUnit, type UnitNode } from './business-units';

export type BusinessUnitsState =
  | { readonly status: 'loading' }
  | {
      readonly status: 'loaded';
      readonly units: readonly BusinessUnit[];
      readonly tree: readonly UnitNode[];
      /** Users per unit; null when the viewer may not read users, or the list was cut at USER_LIST_LIMIT. */
      readonly members: ReadonlyMap<string, number> | null;
    }
  | { readonly status: 'failed'; readonly problem: Problem };

/** The organization's units as a tree, with how many users each has, and a new unit under a chosen parent. */
export class BusinessUnits {
  state = $state<BusinessUnitsState>({ status: 'loading' });
  parentId = $state('');
  name = $state('');
  creating = $state(false);
  /** Why the new unit was refused: beside its field (input.name, input.parentId) or above the buttons. */
  error = $state<MutationError | null>(null);
  /** The unit just made, named in a notice and marked in the tree. */
  created = $state<{ id: string; name: string } | null>(null);

  constructor(
    private readonly client: GraphQLClient,
    private readonly countMembers: boolean,
  ) {}

  async load(): Promise<void> {
    try {
      const [{ businessUnits }, members] = await Promise.all([
        this.client.request(BUSINESS_UNITS),
        this.countMembers ? this.client.request(UNIT_MEMBERS).then(({ users }) => users) : Promise.resolve(null),
      ]);
      this.state = {
        status: 'loaded',
        units: businessUnits,
        tree: unitTree(businessUnits),
        members: members && members.length < USER_LIST_LIMIT ? membersPerUnit(members) : null,
      };
    } catch (error) {
      this.state = { status: 'failed', problem: problemOf(error) };
    }
  }

  /** Starts a new unit under `parentId` (the root when not given). */
  startCreate(parentId?: string): void {
    const units = this.state.status === 'loaded' ? this.state.units : [];
    this.parentId = parentId ?? units.find((unit) => !unit.parent)?.id ?? units[0]?.id ?? '';
    this.name = '';
    this.error = null;
  }

  /** Resolves true once the unit is made and the tree shows it. */
  async create(): Promise<boolean> {
    if (this.creating) return false;
    this.creating = true;
    this.error = null;
    try {
      const { createBusinessUnit } = await this.client.request(CREATE_BUSINESS_UNIT, { input: { name: this.name, parentId: this.parentId } });
      this.created = createBusinessUnit;
      await this.load();
      return true;
    } catch (error) {
      this.error = toMutationError(error);
      return false;
    } finally {
      this.creating = false;
    }
  }
}
