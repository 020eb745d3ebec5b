import type { GraphQLClient } from '../../graphql/graphql-client';
import { graphql } from '../../graphql/graphql-tag';
import type { AccessDepth, AccessEntity, Privilege, SecurityRoleDetailQuery, SecurityRolesQuery } from '../../graphql/operations.generated';
import { problemOf } from '../../shell/i18n/translator';
import { toMutationError, type MutationError } from '../../shell/mutation-error';
import type { ViewerRights } from '../../records/record-rights';
import type { Loaded } from '../admin-list';
import { OrderedSaves } from './ordered-saves';
import { cellKey, depthsOf } from './privilege-grid';

const SECURITY_ROLES = graphql('SecurityRoles')`query SecurityRoles { securityRoles { id name description editable systemRole } }`;

const SECURITY_ROLE_DETAIL = graphql('SecurityRoleDetail')`
  query SecurityRoleDetail {
    securityRoles { id name description editable systemRole privileges { entity privilege depth } fieldPermissions { entity field canRead canUpdate } }
    securedFields { entity field }
  }
`;

const CREATE_SECURITY_ROLE = graphql('CreateSecurityRole')`
  mutation CreateSecurityRole($input: CreateSecurityRoleInput!) { createSecurityRole(input: $input) { id } }
`;

const UPDATE_SECURITY_ROLE = graphql('UpdateSecurityRole')`
  mutation UpdateSecurityRole($id: ID!, $input: UpdateSecurityRoleInput!) { updateSecurityRole(id: $id, input: $input) { id name description } }
`;

const DELETE_SECURITY_ROLE = graphql('DeleteSecurityRole')`mutation DeleteSecurityRole($id: ID!) { deleteSecurityRole(id: $id) }`;

const SET_ROLE_PRIVILEGE = graphql('SetRolePrivilege')`
  mutation SetRolePrivilege($input: SetRolePrivilegeInput!) { setRolePrivilege(input: $input) { id } }
`;

const SET_ROLE_FIELD_PERMISSION = graphql('SetRoleFieldPermission')`
  mutation SetRoleFieldPermission($input: SetRoleFieldPermissionInput!) { setRoleFieldPermission(input: $input) { id } }
`;

export type RoleRow = SecurityRolesQuery['securityRoles'][number];
type RoleDetails = SecurityRoleDetailQuery['securityRoles'][number];

/** What the viewer's own roles let them do with security roles (the API decides again on every call). */
export function roleRights(rights: ViewerRights): { mayCreate: boolean; mayWrite: boolean; mayDelete: boolean } {
  const held = (privilege: Privilege) =>
    rights.roles.some((role) => role.privileges.some((p) => p.entity === 'SECURITY_ROLE' && p.privilege === privilege && p.depth !== 'NONE'));
  return { mayCreate: held('CREATE'), mayWrite: held('WRITE'), mayDelete: held('DELETE') };
}

/** The roles list and the form that creates one. */
export class RoleList {
  state = $state<Loaded<readonly RoleRow[]>>({ status: 'loading' });
  name = $state('');
  description = $state('');
  saving = $state(false);
  error = $state<MutationError | null>(null);

  constructor(private readonly client: GraphQLClient) {}

  async load(): Promise<void> {
    try {
      this.state = { status: 'loaded', value: (await this.client.request(SECURITY_ROLES)).securityRoles };
    } catch (error) {
      this.state = { status: 'failed', problem: problemOf(error) };
    }
  }

  /** Clears the form for a new role. */
  reset(): void {
    this.name = '';
    this.description = '';
    this.error = null;
  }

  /** Creates the role; its id, or null when refused (the reason in `error`). */
  async create(): Promise<string | null> {
    if (this.saving) return null;
    this.saving = true;
    this.error = null;
    try {
      const { createSecurityRole } = await this.client.request(CREATE_SECURITY_ROLE, { input: { name: this.name, description: this.description.trim() } });
      return createSecurityRole.id;
    } catch (error) {
      this.error = toMutationError(error);
      return null;
    } finally {
      this.saving = false;
    }
  }
}

/** A secured field and what the role may do with it. */
export interface FieldPermissionRow {
  readonly entity: AccessEntity;
  readonly field: string;
  readonly canRead: boolean;
  readonly canUpdate: boolean;
}

/** A change that the API refused: which cell or field it was and why; the cell is back to what is stored. */
export interface RefusedChange {
  readonly what: 'privilege' | 'field';
  readonly error: MutationError;
}

/**
 * One role's page: its privilege grid and field permissions. A change shows at once and is saved in the
 * background; changes to one cell are sent one after another, and a refused one puts back what is stored.
 */
export class RoleEditor {
  state = $state<Loaded<RoleDetails> | { readonly status: 'missing' }>({ status: 'loading' });
  /** What each cell shows: stored depths with the changes being saved. */
  depths = $state<Record<string, AccessDepth>>({});
  fields = $state<readonly FieldPermissionRow[]>([]);
  /** Cells and fields with a save under way. */
  saving = $state<ReadonlySet<string>>(new Set());
  refused = $state<RefusedChange | null>(null);

  /** What the API has stored, to go back to when a change is refused. */
  #storedDepths: Record<string, AccessDepth> = {};
  #storedFields = new Map<string, FieldPermissionRow>();
  #saves = new OrderedSaves();

  constructor(
    private readonly client: GraphQLClient,
    readonly roleId: string,
  ) {}

  async load(): Promise<void> {
    try {
      const { securityRoles, securedFields } = await this.client.request(SECURITY_ROLE_DETAIL);
      const role = securityRoles.find((r) => r.id === this.roleId);
      if (!role) {
        this.state = { status: 'missing' };
        return;
      }
      this.#storedDepths = depthsOf(role.privileges);
      this.depths = { ...this.#storedDepths };
      this.fields = securedFields.map(({ entity, field }) => {
        const granted = role.fieldPermissions.find((p) => p.entity === entity && p.field === field);
        return { entity, field, canRead: granted?.canRead ?? false, canUpdate: granted?.canUpdate ?? false };
      });
      this.#storedFields = new Map(this.fields.map((row) => [fieldKey(row), row]));
      this.state = { status: 'loaded', value: role };
    } catch (error) {
      this.state = { status: 'failed', problem: problemOf(error) };
    }
  }

  /** The role as renamed (updateSecurityRole's answer), without reloading its grid. */
  renamed(change: { name: string; description: string }): void {
    if (this.state.status === 'loaded') this.state = { status: 'loaded', value: { ...this.state.value, ...change } };
  }

  depthOf(entity: AccessEntity, privilege: Privilege): AccessDepth {
    return this.depths[cellKey(entity, privilege)] ?? 'NONE';
  }

  /** Shows `depth` in the cell at once and saves it; a refusal puts back the stored depth and says why. */
  setDepth(entity: AccessEntity, privilege: Privilege, depth: AccessDepth): Promise<void> {
    const key = cellKey(entity, privilege);
    this.depths = { ...this.depths, [key]: depth };
    return this.#enqueue(key, async () => {
      await this.client.request(SET_ROLE_PRIVILEGE, { input: { roleId: this.roleId, entity, privilege, depth } });
      this.#storedDepths = { ...this.#storedDepths, [key]: depth };
    }, () => {
      this.depths = { ...this.depths, [key]: this.#storedDepths[key] ?? 'NONE' };
    }, 'privilege');
  }

  /** Shows the field permission at once and saves it; a refusal puts back the stored one and says why. */
  setField(entity: AccessEntity, field: string, change: { canRead: boolean; canUpdate: boolean }): Promise<void> {
    const wanted: FieldPermissionRow = { entity, field, ...change };
    const key = fieldKey(wanted);
    this.fields = this.fields.map((row) => (fieldKey(row) === key ? wanted : row));
    return this.#enqueue(key, async () => {
      await this.client.request(SET_ROLE_FIELD_PERMISSION, { input: { roleId: this.roleId, entity, field, canRead: wanted.canRead, canUpdate: wanted.canUpdate } });
      this.#storedFields.set(key, wanted);
    }, () => {
      this.fields = this.fields.map((row) => (fieldKey(row) === key ? (this.#storedFields.get(key) ?? row) : row));
    }, 'field');
  }

  #enqueue(key: string, save: () => Promise<void>, rollback: () => void, what: RefusedChange['what']): Promise<void> {
    this.saving = new Set([...this.saving, key]);
    return this.#saves.run(
      key,
      async () => {
        await save();
        if (this.refused?.what === what) this.refused = null;
      },
      {
        failed: (error, latest) => {
          this.refused = { what, error: toMutationError(error) };
          // Only the last change asked for decides what shows; an earlier refusal is said, not shown.
          if (latest) rollback();
        },
        settled: (latest) => {
          if (latest) this.saving = new Set([...this.saving].filter((k) => k !== key));
        },
      },
    );
  }
}

/** Renaming and deleting one role: the rename dialog's fields and what the API said to either. */
export class RoleChanges {
  name = $state('');
  description = $state('');
  busy = $state<'rename' | 'delete' | null>(null);
  error = $state<MutationError | null>(null);

  constructor(
    private readonly client: GraphQLClient,
    readonly roleId: string,
  ) {}

  /** Fills the rename dialog with the role as it is. */
  startRename(role: { name: string; description: string }): void {
    this.name = role.name;
    this.description = role.description;
    this.error = null;
  }

  /** The role as renamed, or null when refused (the reason in `error`). */
  async rename(): Promise<{ name: string; description: string } | null> {
    return this.#run('rename', async () => {
      const { updateSecurityRole } = await this.client.request(UPDATE_SECURITY_ROLE, { id: this.roleId, input: { name: this.name, description: this.description.trim() } });
      return updateSecurityRole;
    });
  }

  /** Whether the role was deleted; refused while users hold it (`error.holders` counts them). */
  async remove(): Promise<boolean> {
    return (await this.#run('delete', () => this.client.request(DELETE_SECURITY_ROLE, { id: this.roleId }).then(() => true))) ?? false;
  }

  async #run<T>(what: 'rename' | 'delete', call: () => Promise<T>): Promise<T | null> {
    if (this.busy) return null;
    this.busy = what;
    this.error = null;
    try {
      return await call();
    } catch (error) {
      this.error = toMutationError(error);
      return null;
    } finally {
      this.busy = null;
    }
  }
}

const fieldKey = (row: { entity: AccessEntity; field: string }) => `${row.entity}.${row.field}`;
