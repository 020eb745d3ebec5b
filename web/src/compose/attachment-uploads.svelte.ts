import type { TokenStore } from '../graphql/graphql-client';
import type { StoredFile } from './compose';

/** Why an upload did not finish, as PUT /blobs answers it (api/src/attachments/blob-routes.ts), or the network. */
export type UploadProblem =
  | { readonly code: 'ATTACHMENT_TOO_LARGE'; readonly limitBytes: number | null }
  | { readonly code: 'UPLOAD_QUOTA_EXCEEDED'; readonly quotaBytes: number | null }
  | { readonly code: 'UNAUTHENTICATED' | 'NETWORK' }
  | { readonly code: 'OTHER'; readonly message: string };

// RFC 6838 4.2 and at most 127 characters, as the API checks it; anything else goes as opaque bytes.
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/;

/** The type to send a chosen file as: the browser's guess without parameters, or application/octet-stream. */
export function contentTypeOf(file: Pick<File, 'type'>): string {
  const essence = file.type.split(';')[0].trim().toLowerCase();
  return essence.length <= 127 && MEDIA_TYPE.test(essence) ? essence : 'application/octet-stream';
}

let nextKey = 0;

/** One file of the email: uploading with its progress, stored, or failed with the reason. */
export class AttachmentItem {
  readonly key = `file-${++nextKey}`;
  state = $state<'uploading' | 'stored' | 'failed'>('uploading');
  /** Share of the bytes sent, 0 to 1. */
  progress = $state(0);
  problem = $state<UploadProblem | null>(null);
  stored = $state<StoredFile | null>(null);
  #request: XMLHttpRequest | null = null;

  constructor(
    readonly fileName: string,
    readonly contentType: string,
    readonly size: number,
  ) {}

  /** A file the hub stores already (a forwarded email's): nothing to upload. */
  static stored(file: StoredFile): AttachmentItem {
    const item = new AttachmentItem(file.fileName, file.contentType, file.size);
    item.state = 'stored';
    item.progress = 1;
    item.stored = file;
    return item;
  }

  /** Sends `file` to PUT /blobs with the session token; XMLHttpRequest, because fetch reports no upload progress. */
  upload(file: Blob, token: string | null, url: string): void {
    const request = new XMLHttpRequest();
    this.#request = request;
    request.open('PUT', url);
    if (token) request.setRequestHeader('authorization', `Bearer ${token}`);
    request.upload.onprogress = (event) => {
      if (event.lengthComputable && event.total > 0) this.progress = event.loaded / event.total;
    };
    request.onload = () => {
      this.#request = null;
      const body = parsed(request.responseText);
      if (request.status === 201 && typeof body?.sha256 === 'string') {
        this.progress = 1;
        this.stored = { sha256: body.sha256, fileName: this.fileName, contentType: this.contentType, size: typeof body.size === 'number' ? body.size : this.size };
        this.state = 'stored';
        return;
      }
      this.fail(problemOf(request.status, body));
    };
    request.onerror = () => {
      this.#request = null;
      this.fail({ code: 'NETWORK' });
    };
    request.send(file);
  }

  /** Stops an upload still running (the file was removed or the dialog closed). */
  abort(): void {
    this.#request?.abort();
    this.#request = null;
  }

  private fail(problem: UploadProblem): void {
    this.problem = problem;
    this.state = 'failed';
  }
}

interface BlobAnswer {
  sha256?: unknown;
  size?: unknown;
  error?: { code?: unknown; message?: unknown; limitBytes?: unknown; quotaBytes?: unknown };
}

function parsed(text: string): BlobAnswer | null {
  try {
    return JSON.parse(text) as BlobAnswer;
  } catch {
    return null;
  }
}

function problemOf(status: number, body: BlobAnswer | null): UploadProblem {
  const error = body?.error;
  const number = (value: unknown) => (typeof value === 'number' ? value : null);
  if (error?.code === 'ATTACHMENT_TOO_LARGE') return { code: 'ATTACHMENT_TOO_LARGE', limitBytes: number(error.limitBytes) };
  if (error?.code === 'UPLOAD_QUOTA_EXCEEDED') return { code: 'UPLOAD_QUOTA_EXCEEDED', quotaBytes: number(error.quotaBytes) };
  if (status === 401) return { code: 'UNAUTHENTICATED' };
  if (status === 0) return { code: 'NETWORK' };
  return { code: 'OTHER', message: typeof error?.message === 'string' ? error.message : `HTTP ${status}` };
}

/** The files of an email being written: chosen files upload at once, each removable. */
export class AttachmentList {
  items = $state<readonly AttachmentItem[]>([]);

  constructor(
    private readonly tokens: TokenStore,
    private readonly url = '/blobs',
  ) {}

  add(files: Iterable<File>): void {
    const added = [...files].map((file) => {
      const item = new AttachmentItem(file.name, contentTypeOf(file), file.size);
      item.upload(file, this.tokens.get(), this.url);
      return item;
    });
    this.items = [...this.items, ...added];
  }

  addStored(files: readonly StoredFile[]): void {
    this.items = [...this.items, ...files.map((file) => AttachmentItem.stored(file))];
  }

  remove(item: AttachmentItem): void {
    item.abort();
    this.items = this.items.filter((other) => other !== item);
  }

  /** Stops every upload still running. */
  dispose(): void {
    this.items.forEach((item) => item.abort());
  }

  get uploading(): boolean {
    return this.items.some((item) => item.state === 'uploading');
  }

  get failed(): boolean {
    return this.items.some((item) => item.state === 'failed');
  }

  /** The stored files, in order, as sendEmail takes them. */
  get files(): StoredFile[] {
    return this.items.flatMap((item) => (item.stored ? [item.stored] : []));
  }
}
