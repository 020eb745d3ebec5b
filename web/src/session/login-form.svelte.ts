import { GraphQLRequestError } from '../graphql/graphql-client';
import { messageOf, type Session } from './session.svelte';

/** The login screen's fields and outcome. */
export class LoginForm {
  email = $state('');
  password = $state('');
  error = $state<string | null>(null);
  submitting = $state(false);

  constructor(private readonly session: Session) {}

  /** Resolves true when signed in; false with `error` set when the server said no. */
  async submit(): Promise<boolean> {
    if (this.submitting) return false;
    if (!this.email.trim() || !this.password) {
      this.error = 'Enter your email and password.';
      return false;
    }
    this.submitting = true;
    this.error = null;
    try {
      await this.session.login(this.email.trim(), this.password);
      this.password = '';
      return true;
    } catch (error) {
      this.error = explain(error);
      this.password = '';
      return false;
    } finally {
      this.submitting = false;
    }
  }
}

function explain(error: unknown): string {
  if (error instanceof GraphQLRequestError && error.code === 'UNAUTHENTICATED') {
    return 'The email or password is not right. Check both and try again. After 5 wrong tries, sign-in pauses for 15 minutes.';
  }
  return messageOf(error);
}
