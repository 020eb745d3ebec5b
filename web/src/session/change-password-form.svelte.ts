import { isAbout, toMutationError, type MutationError } from '../shell/mutation-error';
import { problemText, type Text } from '../shell/i18n/translator';
import type { Session } from './session.svelte';

/** The change-password form's fields and outcome: after a reset at sign-in, or from the header. */
export class ChangePasswordForm {
  current = $state('');
  next = $state('');
  repeated = $state('');
  /** The refusal: the form's own (BAD_USER_INPUT, `text` set) or the API's. */
  error = $state<(MutationError & { readonly text?: Text }) | null>(null);
  submitting = $state(false);

  /** `knownCurrent`: the temporary password the user just signed in with, so they need not type it twice. */
  constructor(
    private readonly session: Session,
    readonly knownCurrent: string | null = null,
  ) {}

  get asksForCurrent(): boolean {
    return this.knownCurrent === null;
  }

  /** Resolves true when the password changed; false with `error` set otherwise. */
  async submit(): Promise<boolean> {
    if (this.submitting) return false;
    const current = this.knownCurrent ?? this.current;
    if (!current) return this.refuse('currentPassword', (i18n) => i18n.t.session.enterCurrentPassword);
    if (!this.next) return this.refuse('newPassword', (i18n) => i18n.t.session.enterNewPassword);
    if (this.next !== this.repeated) return this.refuse('repeatedPassword', (i18n) => i18n.t.session.passwordsDiffer);
    this.submitting = true;
    this.error = null;
    try {
      await this.session.changePassword(current, this.next);
      this.current = this.next = this.repeated = '';
      return true;
    } catch (error) {
      this.error = toMutationError(error);
      return false;
    } finally {
      this.submitting = false;
    }
  }

  /** The error to show beside a field, when it is about that field. */
  errorFor(field: 'currentPassword' | 'newPassword' | 'repeatedPassword'): Text | null {
    return isAbout(this.error, field) ? this.#text(this.error!) : null;
  }

  /** An error about no field in particular. */
  get generalError(): Text | null {
    return this.error && !isAbout(this.error, 'currentPassword', 'newPassword', 'repeatedPassword') ? this.#text(this.error) : null;
  }

  #text(error: MutationError & { readonly text?: Text }): Text {
    return error.text ?? problemText(error);
  }

  private refuse(field: string, text: Text): false {
    this.error = { message: '', code: 'BAD_USER_INPUT', field, text };
    return false;
  }
}
