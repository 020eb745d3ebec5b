import { GraphQLRequestError } from '../graphql/graphql-client';
import { problemOf, problemText, type Text } from '../shell/i18n/translator';
import type { Session } from './session.svelte';

/** The login screen's fields and outcome. */
export class LoginForm {
  email = $state('');
  password = $state('');
  error = $state<Text | null>(null);
  submitting = $state(false);

  constructor(private readonly session: Session) {}

  /** Resolves true when signed in; false with `error` set when the server said no. */
  async submit(): Promise<boolean> {
    if (this.submitting) return false;
    if (!this.email.trim() || !this.password) {
      this.error = (i18n) => i18n.t.session.enterEmailAndPassword;
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

function explain(error: unknown): Text {
  if (error instanceof GraphQLRequestError && error.code === 'UNAUTHENTICATED') return (i18n) => i18n.t.session.wrongCredentials;
  return problemText(problemOf(error));
}
