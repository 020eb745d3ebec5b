import type { MailboxDetail } from './mailbox-detail.svelte';
import type { MutationError } from '../shell/mutation-error';
import { problemText, type Text } from '../shell/i18n/translator';

/** Which control an error belongs beside. */
export type CredentialsField = 'username' | 'password' | 'form';

/**
 * The mailbox's sign-in form. Write-only: the password is sent once, cleared from memory whatever the
 * answer, and never read back (the API has no field for it).
 */
export class CredentialsForm {
  username = $state('');
  password = $state('');
  error = $state<{ readonly field: CredentialsField; readonly text: Text } | null>(null);
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
      this.error = { field: 'username', text: (i18n) => i18n.t.mailbox.enterUserName };
      return false;
    }
    if (!this.password) {
      this.error = { field: 'password', text: (i18n) => i18n.t.mailbox.enterPassword };
      return false;
    }
    this.error = null;
    const refusal = await this.detail.setCredentials({ username: this.username.trim(), password: this.password });
    this.password = '';
    if (refusal) {
      this.error = { field: fieldOf(refusal), text: problemText(refusal) };
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
