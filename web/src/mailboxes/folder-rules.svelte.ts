import type { GraphQLClient } from '../graphql/graphql-client';
import type { LookupValue } from '../records/record-form.svelte.ts';
import { inputFieldOf, toMutationError, type MutationError } from '../shell/mutation-error';
import type { MailboxDetail } from './mailbox-detail.svelte.ts';
import { REMOVE_FOLDER_RULE, SET_FOLDER_RULE } from './mailbox-settings';

/** The picker's value for "a folder the list does not have": then the folder is typed. */
export const OTHER_FOLDER = '\u0000other';

/**
 * Folder-level tracking (Dynamics): mail in a folder is tracked, regarding the record the rule names. The folder is
 * picked from those the sync engine last listed on the server (Mailbox.serverFolders), or typed as the server names
 * it when the list is empty or lacks it. Each change re-reads the mailbox (its live event would too) so the list
 * shows the rules as stored.
 */
export class FolderRules {
  /** The picker's value: a listed folder, OTHER_FOLDER, or '' (nothing picked; the typed name counts then). */
  picked = $state('');
  /** The typed name. */
  folder = $state('');
  regarding = $state<LookupValue | null>(null);
  busy = $state<string | null>(null);
  error = $state<MutationError | null>(null);
  /** The form's own check: a folder name is needed. */
  missingFolder = $state(false);

  constructor(
    private readonly client: GraphQLClient,
    private readonly detail: MailboxDetail,
  ) {}

  /** The refusal shown beside the folder field (the API names `input.folder`), else beside the list. */
  get folderError(): MutationError | null {
    return inputFieldOf(this.error) === 'folder' ? this.error : null;
  }

  get regardingError(): MutationError | null {
    return inputFieldOf(this.error) === 'regardingId' ? this.error : null;
  }

  get otherError(): MutationError | null {
    return this.error && !this.folderError && !this.regardingError ? this.error : null;
  }

  /** The folder the rule is for: the picked one, else the typed one. */
  get chosenFolder(): string {
    return this.picked && this.picked !== OTHER_FOLDER ? this.picked : this.folder.trim();
  }

  async add(): Promise<boolean> {
    if (this.busy) return false;
    const folder = this.chosenFolder;
    this.missingFolder = !folder;
    this.error = null;
    if (this.missingFolder) return false;
    return this.#change('add', async () => {
      await this.client.request(SET_FOLDER_RULE, { mailboxId: this.detail.id, input: { folder, regardingId: this.regarding?.id ?? null } });
      this.picked = '';
      this.folder = '';
      this.regarding = null;
    });
  }

  remove(folder: string): Promise<boolean> {
    return this.#change(folder, () => this.client.request(REMOVE_FOLDER_RULE, { mailboxId: this.detail.id, folder }));
  }

  async #change(what: string, send: () => Promise<unknown>): Promise<boolean> {
    if (this.busy) return false;
    this.busy = what;
    this.error = null;
    try {
      await send();
      await this.detail.refresh();
      return true;
    } catch (error) {
      this.error = toMutationError(error);
      return false;
    } finally {
      this.busy = null;
    }
  }
}
