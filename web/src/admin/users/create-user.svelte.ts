import type { GraphQLClient } from '../../graphql/graphql-client';
import type { NewUserChoicesQuery } from '../../graphql/operations.generated';
import { toMutationError, type MutationError } from '../../shell/mutation-error';
import { problemOf, type Problem, type Text } from '../../shell/i18n/translator';
import { CREATE_USER, NEW_USER_CHOICES } from './users';

export type NewUserChoices = NewUserChoicesQuery;
export type NewUserField = 'fullName' | 'email' | 'businessUnitId' | 'password' | 'roleIds';

/** How the new user signs in: a person with a password, or a service account with API keys only (createUser without a password). */
export type SignInKind = 'password' | 'apiKeys';

/** The new-user form: its values, what is wrong with them (checked here first, then by the API) and the user made. */
export class CreateUserForm {
  choices = $state<NewUserChoices | null>(null);
  choicesProblem = $state<Problem | null>(null);
  fullName = $state('');
  email = $state('');
  businessUnitId = $state('');
  kind = $state<SignInKind>('password');
  password = $state('');
  roleIds = $state<string[]>([]);
  saving = $state(false);
  /** Why a field was refused, checked here before sending. */
  local = $state<Partial<Record<NewUserField, Text>>>({});
  /** The API's refusal: beside its field when it names one, else above the buttons. */
  error = $state<MutationError | null>(null);

  constructor(private readonly client: GraphQLClient) {}

  async loadChoices(): Promise<void> {
    try {
      const choices = await this.client.request(NEW_USER_CHOICES);
      this.choices = choices;
      // The root unit first: where most people start.
      this.businessUnitId ||= (choices.businessUnits.find((unit) => !unit.parent) ?? choices.businessUnits[0])?.id ?? '';
    } catch (error) {
      this.choicesProblem = problemOf(error);
    }
  }

  /** The API's refusal when it is about `field` (`input.roleIds[0]` counts as roleIds). */
  apiErrorFor(field: NewUserField): MutationError | null {
    const named = this.error?.field;
    return named && (named === `input.${field}` || named.startsWith(`input.${field}[`)) ? this.error : null;
  }

  /** Sends the form; resolves to the new user's id, or null when something was refused. */
  async submit(): Promise<string | null> {
    const local: Partial<Record<NewUserField, Text>> = {};
    if (!this.fullName.trim()) local.fullName = (i18n) => i18n.t.peopleAdmin.required;
    if (!this.email.trim()) local.email = (i18n) => i18n.t.peopleAdmin.required;
    if (!this.businessUnitId) local.businessUnitId = (i18n) => i18n.t.peopleAdmin.required;
    if (this.kind === 'password' && !this.password) local.password = (i18n) => i18n.t.peopleAdmin.required;
    this.local = local;
    this.error = null;
    if (Object.keys(local).length > 0) return null;
    this.saving = true;
    try {
      const input = {
        fullName: this.fullName,
        email: this.email,
        businessUnitId: this.businessUnitId,
        roleIds: this.roleIds,
        ...(this.kind === 'password' ? { password: this.password } : {}),
      };
      return (await this.client.request(CREATE_USER, { input })).createUser.id;
    } catch (error) {
      this.error = toMutationError(error);
      return null;
    } finally {
      this.saving = false;
    }
  }
}
