import type { GraphQLClient } from '../graphql/graphql-client';
import { problemOf, problemText, type Problem, type Text } from '../shell/i18n/translator';
import { EMAIL_CONTENT_QUERY, type Attachment, type EmailContent } from './activity';
import { emailFrameDocument, imageSources, inlineImageUrl, prepareEmailBody, remoteImageSources } from './email-frame';

/** An HTML body ready for its sandboxed frame, with the inline images that could not be shown. */
export interface EmailFrame {
  readonly srcdoc: string;
  readonly missingInlineImages: number;
}

export type EmailContentState =
  | { readonly status: 'loading' }
  | { readonly status: 'loaded'; readonly email: EmailContent; readonly frame: EmailFrame | null }
  | { readonly status: 'failed'; readonly text: Text };

/** Inline images fetched for one email at most: a newsletter with hundreds of them shows the first ones. */
const MAX_INLINE_IMAGES = 50;

/**
 * The email's remote images: blocked until the reader asks, then fetched through the hub (which
 * only fetches sources of this email's body; the frame itself still loads nothing).
 */
export type RemoteImagesState =
  | { readonly status: 'blocked' }
  | { readonly status: 'loading' }
  | { readonly status: 'shown'; readonly shown: number; readonly failed: number };

/** Where each attachment's download stands; absent when none was asked for. */
export type DownloadState = { readonly status: 'downloading' } | { readonly status: 'failed'; readonly problem: Problem };

/** An opened email: its body, attachments and tracking decision, loaded on demand. */
export class EmailContentLoader {
  state = $state<EmailContentState>({ status: 'loading' });
  downloads = $state<Readonly<Record<string, DownloadState>>>({});
  remoteImages = $state<RemoteImagesState>({ status: 'blocked' });

  #disposed = false;
  /** What the frame was built from, to build it again with the remote images. */
  #body: { html: string; inline: ReadonlyMap<string, string> } | null = null;

  constructor(
    private readonly client: GraphQLClient,
    readonly emailId: string,
    private readonly save: (blob: Blob, fileName: string) => void = saveBlob,
  ) {}

  async load(): Promise<void> {
    this.state = { status: 'loading' };
    this.remoteImages = { status: 'blocked' };
    try {
      const { node } = await this.client.request(EMAIL_CONTENT_QUERY, { id: this.emailId });
      if (this.#disposed) return;
      // An id of something other than an email answers an empty node: as missing as no node at all.
      if (node?.__typename !== 'Email') {
        this.state = { status: 'failed', text: (i18n) => i18n.t.email.notFound };
        return;
      }
      const frame = node.htmlBody === null ? null : await this.#frameFor(node.htmlBody, node.attachments);
      if (!this.#disposed) this.state = { status: 'loaded', email: node, frame };
    } catch (error) {
      if (!this.#disposed) this.state = { status: 'failed', text: problemText(problemOf(error)) };
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
      if (!this.#disposed) this.downloads = { ...this.downloads, [attachment.id]: { status: 'failed', problem: problemOf(error) } };
    }
  }

  /**
   * The frame for an HTML body, its inline images fetched first with the session token (the frame
   * itself can send no credentials and load nothing). Only the email's own attachments are fetched.
   */
  async #frameFor(html: string, attachments: readonly Attachment[]): Promise<EmailFrame> {
    const sources = new Set(imageSources(html));
    const inline = attachments.filter((a) => a.downloadUrl !== null && sources.has(a.downloadUrl)).slice(0, MAX_INLINE_IMAGES);
    const images = await this.#fetchImages(inline.map((a) => a.downloadUrl!), (url) => url);
    this.#body = { html, inline: images };
    return { srcdoc: emailFrameDocument(prepareEmailBody(html, images)), missingInlineImages: inline.length - images.size };
  }

  /** The reader asked: fetches the body's remote images through the hub and shows them in the frame. */
  async showRemoteImages(): Promise<void> {
    const body = this.#body;
    if (!body || this.state.status !== 'loaded' || this.remoteImages.status !== 'blocked') return;
    this.remoteImages = { status: 'loading' };
    const sources = remoteImageSources(body.html).slice(0, MAX_INLINE_IMAGES);
    const proxied = (source: string) => `/emails/${encodeURIComponent(this.emailId)}/remote-image?url=${encodeURIComponent(source)}`;
    const images = await this.#fetchImages(sources, proxied);
    if (this.#disposed || this.state.status !== 'loaded') return;
    const frame: EmailFrame = { ...this.state.frame!, srcdoc: emailFrameDocument(prepareEmailBody(body.html, body.inline, images)) };
    this.state = { ...this.state, frame };
    this.remoteImages = { status: 'shown', shown: images.size, failed: sources.length - images.size };
  }

  /** Fetches each source (at `urlOf(source)`) with the session token, keeping those that are raster images, as data: URLs. */
  async #fetchImages(sources: readonly string[], urlOf: (source: string) => string): Promise<Map<string, string>> {
    const fetched = await Promise.all(
      sources.map(async (source): Promise<[string, string | null]> => {
        try {
          return [source, await inlineImageUrl(await this.client.fetchFile(urlOf(source)))];
        } catch {
          return [source, null];
        }
      }),
    );
    return new Map(fetched.filter((entry): entry is [string, string] => entry[1] !== null));
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
