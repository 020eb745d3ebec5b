import type { ConfigureMailboxInput, UpdateMailboxInput } from '../graphql/operations.generated';
import { inputFieldOf, type MutationError } from '../shell/mutation-error';
import type { MailboxDetailValue } from './mailbox';
import type { MailboxPermissions } from './mailbox-access';
import type { MailboxDetail } from './mailbox-detail.svelte.ts';
import { dateInputValue, fromDateInput } from './mailbox-format';

/** The settings card's values, named as the API's inputs (so `extensions.field` finds the control); '' is "none". */
export interface MailboxSettingsValues {
  profileId: string;
  incomingMethod: MailboxDetailValue['incomingMethod'];
  outgoingMethod: MailboxDetailValue['outgoingMethod'];
  appointmentsContactsTasksMethod: MailboxDetailValue['appointmentsContactsTasksMethod'];
  processEmailFrom: string;
  isForwardMailbox: boolean;
  deleteForwardedCopies: boolean;
  trackingFilter: MailboxDetailValue['trackingFilter'];
  privacyLevel: MailboxDetailValue['privacyLevel'];
  autoCreateRecords: MailboxDetailValue['autoCreateRecords'];
  /** An IANA zone as typed; '' is none. */
  timeZone: string;
}

export type MailboxSettingsField = keyof MailboxSettingsValues;

/** What configureMailbox takes (administrators); the rest is updateMailbox's (the owner too). */
const CONFIGURE_FIELDS = ['profileId', 'incomingMethod', 'outgoingMethod', 'appointmentsContactsTasksMethod', 'processEmailFrom', 'isForwardMailbox', 'deleteForwardedCopies'] as const;
const UPDATE_FIELDS = ['trackingFilter', 'privacyLevel', 'autoCreateRecords', 'timeZone'] as const;

function valuesOf(mailbox: MailboxDetailValue): MailboxSettingsValues {
  return {
    profileId: mailbox.profile?.id ?? '',
    incomingMethod: mailbox.incomingMethod,
    outgoingMethod: mailbox.outgoingMethod,
    appointmentsContactsTasksMethod: mailbox.appointmentsContactsTasksMethod,
    processEmailFrom: mailbox.processEmailFrom ? dateInputValue(new Date(mailbox.processEmailFrom)) : '',
    isForwardMailbox: mailbox.isForwardMailbox,
    deleteForwardedCopies: mailbox.deleteForwardedCopies,
    trackingFilter: mailbox.trackingFilter,
    privacyLevel: mailbox.privacyLevel,
    autoCreateRecords: mailbox.autoCreateRecords,
    timeZone: mailbox.timeZone ?? '',
  };
}

/**
 * Dynamics' mailbox form as one card with one Save: configureMailbox for what administrators set, then
 * updateMailbox for the owner's options, each with only what changed. The page's mailbox follows the answers.
 */
export class MailboxSettingsForm {
  values = $state<MailboxSettingsValues>(null!);
  saved = $state(false);
  #initial: MailboxSettingsValues;

  constructor(
    private readonly detail: MailboxDetail,
    mailbox: MailboxDetailValue,
    readonly can: MailboxPermissions,
  ) {
    this.#initial = valuesOf(mailbox);
    this.values = { ...this.#initial };
  }

  get saving(): boolean {
    return this.detail.running === 'configure' || this.detail.running === 'update';
  }

  get dirty(): boolean {
    return (Object.keys(this.values) as MailboxSettingsField[]).some((f) => this.values[f] !== this.#initial[f]);
  }

  /** The refusal of the last save (configure's or update's). */
  get error(): MutationError | null {
    return this.detail.errors.configure ?? this.detail.errors.update ?? null;
  }

  problemOf(field: MailboxSettingsField): MutationError | null {
    return inputFieldOf(this.error) === field ? this.error : null;
  }

  get generalError(): MutationError | null {
    const named = inputFieldOf(this.error);
    return this.error && (named === null || !(named in this.values)) ? this.error : null;
  }

  async save(): Promise<boolean> {
    if (this.detail.running) return false;
    this.saved = false;
    const configure = this.#changed(CONFIGURE_FIELDS);
    const update = this.#changed(UPDATE_FIELDS);
    if (this.can.admin && Object.keys(configure).length > 0) {
      const input: ConfigureMailboxInput = {
        ...configure,
        ...('profileId' in configure ? { profileId: this.values.profileId || null } : {}),
        ...('processEmailFrom' in configure ? { processEmailFrom: fromDateInput(this.values.processEmailFrom)?.toISOString() ?? null } : {}),
      };
      if (await this.detail.configure(input)) return false;
    }
    const updateInput: UpdateMailboxInput = { ...update, ...('timeZone' in update ? { timeZone: this.values.timeZone.trim() || null } : {}) };
    if (this.can.write && Object.keys(update).length > 0 && (await this.detail.update(updateInput))) return false;
    this.reset();
    this.saved = true;
    return true;
  }

  /** Shows the mailbox as it is now (after a save, or when someone else changed it). */
  reset(): void {
    if (this.detail.state.status !== 'loaded') return;
    this.#initial = valuesOf(this.detail.state.mailbox);
    this.values = { ...this.#initial };
  }

  #changed<F extends MailboxSettingsField>(fields: readonly F[]): Partial<Pick<MailboxSettingsValues, F>> {
    return Object.fromEntries(fields.filter((f) => this.values[f] !== this.#initial[f]).map((f) => [f, this.values[f]])) as Partial<Pick<MailboxSettingsValues, F>>;
  }
}
