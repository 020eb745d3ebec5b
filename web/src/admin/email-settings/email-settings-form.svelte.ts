import type { GraphQLClient } from '../../graphql/graphql-client';
import type { UpdateEmailSettingsInput } from '../../graphql/operations.generated';
import { problemOf, type Problem } from '../../shell/i18n/translator';
import { inputFieldOf, toMutationError, type MutationError } from '../../shell/mutation-error';
import { lines, wholeNumber } from '../form-values';
import { EMAIL_SETTINGS_QUERY, UPDATE_EMAIL_SETTINGS, type EmailSettings } from './email-settings';

export const SWITCHES = [
  'processEmailOnlyForApprovedMailboxes',
  'trackingTokenEnabled',
  'correlateByInReplyTo',
  'correlateByTrackingToken',
  'correlateByThreadIndex',
  'smartMatchingEnabled',
  'folderTrackingEnabled',
  'queueCaseRulesEnabled',
  'skipAutoReplies',
  'skipBounces',
  'skipBulkMail',
] as const satisfies readonly (keyof EmailSettings)[];

export const NUMBERS = [
  'tokenBaseNumber',
  'tokenUserDigits',
  'tokenCounterDigits',
  'smartMatchMinSharedRecipients',
  'smartMatchWindowDays',
  'maxAttachmentKb',
  'maxBodyKb',
  'pastExpansionWindowMonths',
  'futureExpansionWindowMonths',
] as const satisfies readonly (keyof EmailSettings)[];

const CHOICES = ['defaultIncomingMethod', 'defaultOutgoingMethod', 'defaultAppointmentsContactsTasksMethod', 'defaultAutoCreateRecords'] as const;
const LISTS = ['blockedAddresses', 'blockedDomains'] as const;

export type SwitchField = (typeof SWITCHES)[number];
export type NumberField = (typeof NUMBERS)[number];
export type ChoiceField = (typeof CHOICES)[number];
export type ListField = (typeof LISTS)[number];

/** The settings as the form's controls hold them: numbers as typed, lists one item a line. */
export type SettingsValues = Pick<EmailSettings, SwitchField | (typeof CHOICES)[number] | 'tokenPrefix'> & Record<NumberField | ListField, string>;
export type SettingsField = keyof SettingsValues;

function valuesOf(settings: EmailSettings): SettingsValues {
  const values: Record<string, unknown> = { tokenPrefix: settings.tokenPrefix };
  for (const f of [...SWITCHES, ...CHOICES]) values[f] = settings[f];
  for (const f of NUMBERS) values[f] = String(settings[f]);
  for (const f of LISTS) values[f] = settings[f].join('\n');
  return values as SettingsValues;
}

export type EmailSettingsState = { readonly status: 'loading' } | { readonly status: 'loaded' } | { readonly status: 'failed'; readonly problem: Problem };

/** The organization's email settings as one form with one Save: only what changed is sent. */
export class EmailSettingsForm {
  state = $state<EmailSettingsState>({ status: 'loading' });
  values = $state<SettingsValues | null>(null);
  local = $state<Partial<Record<SettingsField, 'notANumber'>>>({});
  error = $state<MutationError | null>(null);
  saving = $state(false);
  saved = $state(false);
  updatedAt = $state<string | null>(null);
  #initial: SettingsValues | null = null;

  constructor(private readonly client: GraphQLClient) {}

  async load(): Promise<void> {
    try {
      this.#show((await this.client.request(EMAIL_SETTINGS_QUERY)).emailSettings);
      this.state = { status: 'loaded' };
    } catch (error) {
      this.state = { status: 'failed', problem: problemOf(error) };
    }
  }

  get dirty(): boolean {
    return this.values !== null && Object.keys(this.#changes()).length > 0;
  }

  problemOf(field: SettingsField): 'notANumber' | MutationError | null {
    return this.local[field] ?? (inputFieldOf(this.error) === field ? this.error : null);
  }

  get generalError(): MutationError | null {
    const named = inputFieldOf(this.error);
    return this.error && (named === null || !this.values || !(named in this.values)) ? this.error : null;
  }

  async save(): Promise<boolean> {
    if (this.saving || !this.values) return false;
    this.saved = false;
    const local: typeof this.local = {};
    for (const f of NUMBERS) if (wholeNumber(this.values[f]) === null) local[f] = 'notANumber';
    this.local = local;
    this.error = null;
    if (Object.keys(local).length > 0) return false;
    this.saving = true;
    try {
      this.#show((await this.client.request(UPDATE_EMAIL_SETTINGS, { input: this.#changes() })).updateEmailSettings);
      this.saved = true;
      return true;
    } catch (error) {
      this.error = toMutationError(error);
      return false;
    } finally {
      this.saving = false;
    }
  }

  #show(settings: EmailSettings): void {
    this.#initial = valuesOf(settings);
    this.values = { ...this.#initial };
    this.updatedAt = settings.updatedAt;
  }

  #changes(): UpdateEmailSettingsInput {
    const v = this.values!;
    const before = this.#initial!;
    const input: Record<string, unknown> = {};
    for (const f of [...SWITCHES, ...CHOICES, 'tokenPrefix'] as const) if (v[f] !== before[f]) input[f] = v[f];
    for (const f of NUMBERS) if (v[f] !== before[f]) input[f] = wholeNumber(v[f]);
    for (const f of LISTS) if (lines(v[f]).join('\n') !== lines(before[f]).join('\n')) input[f] = lines(v[f]);
    return input as UpdateEmailSettingsInput;
  }
}
