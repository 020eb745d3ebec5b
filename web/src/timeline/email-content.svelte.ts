import type { GraphQLClient } from '../graphql/graphql-client';
import { messageOf } from '../session/session.svelte';
import { EMAIL_CONTENT_QUERY, type Attachment, type EmailContent } from './activity';
import { emailFrameDocument, imageSources, inlineImageUrl, prepareEmailBody } from './email-frame';

/** An HTML body ready for its sandboxed frame, with the inline images that could not be shown. */
export interface EmailFrame {
  readonly srcdoc: string;
  readonly missingInlineImages: number;
}

export type EmailContentState =
  | { readonly status: 'loading' }
  | { readonly status: 'loaded'; readonly email: EmailContent; readonly frame: EmailFrame | null }
  | { readonly status: 'failed'; readonly message: string };

/** Inline images fetched for one email at most: a newsletter with hundreds of them shows the first ones. */
const MAX_INLINE_IMAGES = 50;

/** Where each attachment's download stands; absent when none was asked for. */
export type DownloadState = { readonly status: 'downloading' } | { readonly status: 'failed'; readonly message: string };

/** An opened email: its body, attachments and tracking decision, loaded on demand. */
export class EmailContentLoader {
  state = $state<EmailContentState>({ status: 'loading' });
  downloads = $state<Readonly<Record<string, DownloadState>>>({});

  #disposed = false;

  constructor(
    private readonly client: GraphQLClient,
    readonly emailId: string,
    private readonly save: (blob: Blob, fileName: string) => void = saveBlob,
  ) {}

  async load(): Promise<void> {
    this.state = { status: 'loading' };
    try {
      const { node } = await this.client.request<{ node: EmailContent | null }>(EMAIL_CONTENT_QUERY, { id: this.emailId });
      if (this.#disposed) return;
      if (!node) {
        this.state = { status: 'failed', message: 'This email no longer exists or you may no longer read it.' };
        return;
      }
      const frame = node.htmlBody === null ? null : await this.#frameFor(node.htmlBody, node.attachments);
      if (!this.#disposed) this.state = { status: 'loaded', email: node, frame };
    } catch (error) {
      if (!this.#disposed) this.state = { status: 'failed', message: messageOf(error) };
    }
  }

  /** Fetches a stored attachment with the session token and hands it to the browser as a download. */
  async download(attachment: Attachment): Promise<void> {
    if (!attachment.downloadUrl || this.downloads[attachment.id]?.status === 'downloading') return;
    this.downloads = { ...this.downloads, [attachment.id]: { status: 'downloading' } };
    try {
      const blob = await this.client.fetchFile(attachment.downloadUrl);
      if (this.#disposed) return;
      this.save(blob, attachment.fileName);
      const { [attachment.id]: _done, ...rest } = this.downloads;
      this.downloads = rest;
    } catch (error) {
      if (!this.#disposed) this.downloads = { ...this.downloads, [attachment.id]: { status: 'failed', message: messageOf(error) } };
    }
  }

  /**
   * The frame for an HTML body, its inline images fetched first with the session token (the frame
   * itself can send no credentials and load nothing). Only the email's own attachments are fetched.
   */
  async #frameFor(html: string, attachments: readonly Attachment[]): Promise<EmailFrame> {
    const sources = new Set(imageSources(html));
    const inline = attachments.filter((a) => a.downloadUrl !== null && sources.has(a.downloadUrl)).slice(0, MAX_INLINE_IMAGES);
    const fetched = await Promise.all(
      inline.map(async (a): Promise<[string, string | null]> => {
        try {
          return [a.downloadUrl!, await inlineImageUrl(await this.client.fetchFile(a.downloadUrl!))];
        } catch {
          return [a.downloadUrl!, null];
        }
      }),
    );
    const images = new Map(fetched.filter((entry): entry is [string, string] => entry[1] !== null));
    return { srcdoc: emailFrameDocument(prepareEmailBody(html, images)), missingInlineImages: fetched.length - images.size };
  }

  dispose(): void {
    this.#disposed = true;
  }
}

/** Saves bytes under a file name through a temporary blob: URL (a plain link could not carry the bearer token). */
export function saveBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // The download reads the URL after click() returns; a minute is ample before freeing the bytes.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
