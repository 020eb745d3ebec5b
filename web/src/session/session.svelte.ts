import { GraphQLRequestError, type GraphQLClient } from '../graphql/graphql-client';
import { graphql } from '../graphql/graphql-tag';
import type { ViewerQuery } from '../graphql/operations.generated';
import { problemOf, problemText, type Text } from '../shell/i18n/translator';

/** The signed-in user, as the Viewer query answers it. */
export type Viewer = ViewerQuery['viewer'];

/** Where the user stands; `notice` explains why they are signed out when it was not their choice. */
export type SessionState =
  | { status: 'restoring' }
  | { status: 'signed-out'; notice: Text | null }
  | { status: 'signed-in'; viewer: Viewer }
  /** Signed in with a temporary password: `currentPassword` is the one just typed (null after a reload). */
  | { status: 'must-change-password'; viewer: Viewer; currentPassword: string | null };

const VIEWER = graphql('Viewer')`
  query Viewer {
    viewer { id fullName email businessUnit { name } roles { name } mustChangePassword }
  }
`;

const LOGIN = graphql('Login')`
  mutation Login($email: String!, $password: String!) {
    login(email: $email, password: $password) { token expiresAt user { id fullName } }
  }
`;

const CHANGE_PASSWORD = graphql('ChangePassword')`
  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {
    changePassword(currentPassword: $currentPassword, newPassword: $newPassword) { id }
  }
`;

const LOGOUT = graphql('Logout')`
  mutation Logout { logout }
`;

/** The signed-in user and their token; the token itself lives in the client's TokenStore. */
export class Session {
  state = $state<SessionState>({ status: 'restoring' });

  constructor(private readonly client: GraphQLClient) {
    client.onUnauthenticated(() => {
      this.client.tokens.clear();
      this.state = { status: 'signed-out', notice: (i18n) => i18n.t.session.sessionEnded };
    });
  }

  /** Picks up a token left in this tab (a reload) and loads the viewer with it. */
  async restore(): Promise<void> {
    if (!this.client.tokens.get()) {
      this.state = { status: 'signed-out', notice: null };
      return;
    }
    try {
      this.state = this.#signedIn(await this.#viewer(), null);
    } catch (error) {
      // UNAUTHENTICATED has already signed us out through the listener; anything else is worth showing.
      if (this.state.status === 'restoring') {
        this.state = { status: 'signed-out', notice: problemText(problemOf(error)) };
      }
    }
  }

  /** Signs in; rejects with a GraphQLRequestError the login form explains to the user. */
  async login(email: string, password: string): Promise<void> {
    // A token left from an earlier session must not ride along and fail the login itself.
    this.client.tokens.clear();
    const { login } = await this.client.request(LOGIN, { email, password });
    this.client.tokens.set(login.token);
    try {
      this.state = this.#signedIn(await this.#viewer(), password);
    } catch (error) {
      this.client.tokens.clear();
      throw error;
    }
  }

  /** Changes the signed-in user's password (their other sessions end); rejects with the API's GraphQLRequestError. */
  async changePassword(currentPassword: string, newPassword: string): Promise<void> {
    await this.client.request(CHANGE_PASSWORD, { currentPassword, newPassword });
    if (this.state.status === 'must-change-password') this.state = this.#signedIn(await this.#viewer(), null);
  }

  async logout(): Promise<void> {
    try {
      await this.client.request(LOGOUT);
    } finally {
      // The user asked to leave: forget the token here even if the server could not be told.
      this.client.tokens.clear();
      this.state = { status: 'signed-out', notice: null };
    }
  }

  #signedIn(viewer: Viewer, currentPassword: string | null): SessionState {
    return viewer.mustChangePassword ? { status: 'must-change-password', viewer, currentPassword } : { status: 'signed-in', viewer };
  }

  async #viewer(): Promise<Viewer> {
    const { viewer } = await this.client.request(VIEWER);
    if (!viewer) throw new GraphQLRequestError('The server did not recognise this session.', 'UNAUTHENTICATED');
    return viewer;
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
