import type { MailboxDetail } from './mailbox-detail.svelte';
import type { MutationError } from '../shell/mutation-error';

/** Which control an error belongs beside. */
export type CredentialsField = 'username' | 'password' | 'form';

/**
 * The mailbox's sign-in form. Write-only: the password is sent once, cleared from memory whatever the
 * answer, and never read back (the API has no field for it).
 */
export class CredentialsForm {
  username = $state('');
  password = $state('');
  error = $state<{ readonly field: CredentialsField; readonly message: string } | null>(null);
  saved = $state(false);

  constructor(
    private readonly detail: MailboxDetail,
    username: string | null,
  ) {
    this.username = username ?? '';
  }

  get submitting(): boolean {
    return this.detail.running === 'setCredentials';
  }

  /** Resolves true once stored; false with `error` set beside the field the API or the form named. */
  async submit(): Promise<boolean> {
    if (this.detail.running) return false;
    this.saved = false;
    if (!this.username.trim()) {
      this.error = { field: 'username', message: 'Enter the user name the mail server knows this mailbox by.' };
      return false;
    }
    if (!this.password) {
      this.error = { field: 'password', message: 'Enter the password.' };
      return false;
    }
    this.error = null;
    const refusal = await this.detail.setCredentials({ username: this.username.trim(), password: this.password });
    this.password = '';
    if (refusal) {
      this.error = { field: fieldOf(refusal), message: refusal.message };
      return false;
    }
    this.saved = true;
    return true;
  }
}

function fieldOf(error: MutationError): CredentialsField {
  switch (error.field) {
    case 'input.username':
      return 'username';
    // The API names accessToken when a profile signs in with OAuth; this form only offers a password.
    case 'input.password':
    case 'input.accessToken':
      return 'password';
    default:
      return 'form';
  }
}
