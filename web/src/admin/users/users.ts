import { graphql } from '../../graphql/graphql-tag';
import type { AdminUserFieldsFragment } from '../../graphql/operations.generated';

// What the console's users section asks and changes (api/src/identity/user.resolver.ts).

const USER_FIELDS = `
  fragment AdminUserFields on User {
    id fullName email isService disabled signInLockedUntil createdAt businessUnit { id name } roles { id name }
  }
`;

/** `search` matches name or email on the server: needed only when the list is cut at USER_LIST_LIMIT. */
export const ADMIN_USERS = graphql('AdminUsers')`
  query AdminUsers($search: String) { users(search: $search) { ...AdminUserFields } }
  ${USER_FIELDS}
`;

/** One user, the roles the viewer may give (every role if they may read roles, else their own) and the viewer's own role names. */
export const ADMIN_USER = graphql('AdminUser')`
  query AdminUser($id: ID!) {
    viewer { id roles { id name } }
    securityRoles { id name description }
    node(id: $id) { __typename ...AdminUserFields }
  }
  ${USER_FIELDS}
`;

/** What the new-user form chooses from. */
export const NEW_USER_CHOICES = graphql('NewUserChoices')`
  query NewUserChoices { businessUnits { id name parent { id } } securityRoles { id name } }
`;

export const CREATE_USER = graphql('CreateUser')`
  mutation CreateUser($input: CreateUserInput!) { createUser(input: $input) { id } }
`;

export const ADD_USER_ROLE = graphql('AddUserRole')`
  mutation AddUserRole($userId: ID!, $roleId: ID!) { addUserRole(userId: $userId, roleId: $roleId) { ...AdminUserFields } }
  ${USER_FIELDS}
`;

export const REMOVE_USER_ROLE = graphql('RemoveUserRole')`
  mutation RemoveUserRole($userId: ID!, $roleId: ID!) { removeUserRole(userId: $userId, roleId: $roleId) { ...AdminUserFields } }
  ${USER_FIELDS}
`;

export const SET_USER_DISABLED = graphql('SetUserDisabled')`
  mutation SetUserDisabled($userId: ID!, $disabled: Boolean!) { setUserDisabled(userId: $userId, disabled: $disabled) { ...AdminUserFields } }
  ${USER_FIELDS}
`;

export const UNLOCK_USER = graphql('UnlockUser')`
  mutation UnlockUser($userId: ID!) { unlockUser(userId: $userId) { ...AdminUserFields } }
  ${USER_FIELDS}
`;

export const RESET_USER_PASSWORD = graphql('ResetUserPassword')`
  mutation ResetUserPassword($userId: ID!) { resetUserPassword(userId: $userId) { temporaryPassword user { ...AdminUserFields } } }
  ${USER_FIELDS}
`;

export type AdminUser = AdminUserFieldsFragment;

/** The most users `users` answers with (api/src/identity/identity.service.ts listUsers). */
export const USER_LIST_LIMIT = 500;

/** The role whose holders alone may reset passwords (api/src/access/system-roles.ts, identity.service.ts resetUserPassword). */
export const SYSTEM_ADMINISTRATOR = 'System Administrator';

/** Whether a user matches the list's filter: by name, email, business unit or role, ignoring case. */
export function userMatches(user: AdminUser, filter: string): boolean {
  const text = filter.trim().toLocaleLowerCase();
  if (!text) return true;
  return [user.fullName, user.email, user.businessUnit.name, ...user.roles.map((r) => r.name)].some((value) => value.toLocaleLowerCase().includes(text));
}
