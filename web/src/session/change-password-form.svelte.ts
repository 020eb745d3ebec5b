import { isAbout, toMutationError, type MutationError } from '../shell/mutation-error';
import type { Session } from './session.svelte';

/** The change-password form's fields and outcome: after a reset at sign-in, or from the header. */
export class ChangePasswordForm {
  current = $state('');
  next = $state('');
  repeated = $state('');
  error = $state<MutationError | null>(null);
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
    if (!current) return this.refuse('currentPassword', 'Enter your current password.');
    if (!this.next) return this.refuse('newPassword', 'Enter a new password.');
    if (this.next !== this.repeated) return this.refuse('repeatedPassword', 'The two new passwords are not the same. Type the new password again.');
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
  errorFor(field: 'currentPassword' | 'newPassword' | 'repeatedPassword'): string | null {
    return isAbout(this.error, field) ? this.error!.message : null;
  }

  /** An error about no field in particular. */
  get generalError(): string | null {
    return this.error && !isAbout(this.error, 'currentPassword', 'newPassword', 'repeatedPassword') ? this.error.message : null;
  }

  private refuse(field: string, message: string): false {
    this.error = { message, code: 'BAD_USER_INPUT', field };
    return false;
  }
}
