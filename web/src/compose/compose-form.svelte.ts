import type { GraphQLClient } from '../graphql/graphql-client';
import { toMutationError, type MutationError } from '../shell/mutation-error';
import { AttachmentList } from './attachment-uploads.svelte';
import { isEmailAddress, SEND_EMAIL, type ComposeDraft, type Recipient } from './compose';

/** One recipient field: the addresses taken, and what is being typed. */
export class RecipientList {
  items = $state<readonly Recipient[]>([]);
  text = $state('');
  /** What was typed and is no email address, shown beside the field. */
  invalid = $state<string | null>(null);

  constructor(initial: readonly Recipient[]) {
    this.items = initial;
  }

  /** Takes every address typed so far (separated by commas, semicolons or spaces); what is not one stays typed and is named. */
  commit(): boolean {
    const words = this.text.split(/[,;\s]+/).filter(Boolean);
    const bad = words.filter((word) => !isEmailAddress(word));
    for (const word of words.filter(isEmailAddress)) this.add({ address: word.toLowerCase(), name: null });
    this.text = bad.join(', ');
    this.invalid = bad[0] ?? null;
    return bad.length === 0;
  }

  add(recipient: Recipient): void {
    const address = recipient.address.toLowerCase();
    if (!this.items.some((r) => r.address === address)) this.items = [...this.items, { ...recipient, address }];
  }

  remove(address: string): void {
    this.items = this.items.filter((r) => r.address !== address);
  }
}

/** An email being written: recipients, subject, body and files, sent with sendEmail. */
export class ComposeForm {
  readonly to: RecipientList;
  readonly cc: RecipientList;
  /** Blind copies: sent to, named to no other recipient. */
  readonly bcc: RecipientList;
  /** Whether the Bcc field is shown (mail clients keep it folded until asked). */
  showBcc = $state(false);
  readonly files: AttachmentList;
  subject = $state('');
  body = $state('');
  sending = $state(false);
  error = $state<MutationError | null>(null);
  missing = $state<'to' | 'files' | null>(null);

  constructor(
    private readonly client: GraphQLClient,
    readonly draft: ComposeDraft,
  ) {
    this.to = new RecipientList(draft.to);
    this.cc = new RecipientList(draft.cc);
    this.bcc = new RecipientList([]);
    this.files = new AttachmentList(client.tokens);
    this.files.addStored(draft.files);
    this.subject = draft.subject;
    this.body = draft.body;
  }

  /** Everyone the email goes to. */
  get recipientCount(): number {
    return this.to.items.length + this.cc.items.length + this.bcc.items.length;
  }

  /** Queues the email; its id when queued, null with the problems on the form. */
  async send(): Promise<string | null> {
    if (this.sending) return null;
    this.error = null;
    const typed = [this.to.commit(), this.cc.commit(), this.bcc.commit()];
    if (typed.includes(false)) return null;
    this.missing = this.recipientCount === 0 ? 'to' : this.files.uploading || this.files.failed ? 'files' : null;
    if (this.missing) return null;
    this.sending = true;
    try {
      const { sendEmail } = await this.client.request(SEND_EMAIL, {
        input: {
          to: this.to.items.map((r) => r.address),
          cc: this.cc.items.map((r) => r.address),
          bcc: this.bcc.items.map((r) => r.address),
          subject: this.subject.trim(),
          textBody: this.body,
          regardingId: this.draft.regardingId,
          inReplyToId: this.draft.inReplyToId,
          forwardOfId: this.draft.forwardOfId,
          attachments: this.files.files.map(({ sha256, fileName, contentType }) => ({ sha256, fileName, contentType })),
        },
      });
      return sendEmail.id;
    } catch (error) {
      this.error = toMutationError(error);
      return null;
    } finally {
      this.sending = false;
    }
  }

  dispose(): void {
    this.files.dispose();
  }
}
