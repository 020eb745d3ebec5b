/**
 * What an email body is shown with: the policy inside the frame's own document. The api already
 * sanitizes the HTML; this is the second wall, so a mistake there still loads and runs nothing
 * (only inline images, handed over as data: URLs, and inline styles). The frame also inherits the
 * page's own policy (api/src/server/security-headers.ts), which allows no more.
 */
export const EMAIL_FRAME_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

/**
 * The frame's sandbox: no scripts, forms or same-origin access; links may open a new tab, and that
 * tab is an ordinary page outside the sandbox (a link to a site must work there).
 */
export const EMAIL_FRAME_SANDBOX = 'allow-popups allow-popups-to-escape-sandbox';

// The frame's document has no stylesheet of ours: a readable default the email's own styles override.
const FRAME_STYLE = `
  html { color-scheme: light; }
  body { margin: 0; padding: 16px 18px; font: 14px/1.55 system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif; color: #1d2430; background: #fff; overflow-wrap: anywhere; }
  img { max-width: 100%; height: auto; }
  img[data-remote-src] { display: inline-block; min-width: 16px; min-height: 16px; background: #eef1f5; outline: 1px dashed #c5cbd4; }
  table { max-width: 100%; }
  pre { white-space: pre-wrap; }
  blockquote { margin: 0 0 0 0.5em; padding-left: 0.75em; border-left: 3px solid #dde1e7; color: #5b6575; }
`;

/**
 * The `srcdoc` of the sandboxed frame an email's body is shown in. Every link opens in a new tab
 * (`<base target>`) and sends no referrer (the meta tag, and `prepareEmailBody` on each link).
 */
export function emailFrameDocument(bodyHtml: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${EMAIL_FRAME_CSP}"><meta name="referrer" content="no-referrer"><base target="_blank"><style>${FRAME_STYLE}</style></head><body>${bodyHtml}</body></html>`;
}

/** The image `src` values of a sanitized body, in document order. Parsing with DOMParser loads and runs nothing. */
export function imageSources(sanitizedHtml: string): string[] {
  const doc = new DOMParser().parseFromString(sanitizedHtml, 'text/html');
  return Array.from(doc.querySelectorAll('img[src]'), (img) => img.getAttribute('src')!);
}

/** The remote image sources of a sanitized body (the api moved them to `data-remote-src`), each once, in document order. */
export function remoteImageSources(sanitizedHtml: string): string[] {
  const doc = new DOMParser().parseFromString(sanitizedHtml, 'text/html');
  return [...new Set(Array.from(doc.querySelectorAll('img[data-remote-src]'), (img) => img.getAttribute('data-remote-src')!))];
}

/** Links that lead out of the hub: to a web site, a mail client or a phone (the schemes the sanitizer keeps). */
const LEAVING_URL = /^(?:https?:|mailto:|tel:|\/\/)/i;

/**
 * The body to put in the frame: inline (`cid:`) images, which the api points at the email's own
 * attachment downloads, replaced by the bytes fetched with the reader's session (`inlineImages`: src
 * to data: URL); remote images the reader asked for likewise (`remoteImages`: data-remote-src to
 * data: URL, fetched through the hub's image proxy); any other non-data: source dropped, so the
 * frame requests nothing; and every link made to open a new tab without opener or referrer,
 * whatever the sanitizer left.
 */
export function prepareEmailBody(sanitizedHtml: string, inlineImages: ReadonlyMap<string, string>, remoteImages: ReadonlyMap<string, string> = new Map()): string {
  const doc = new DOMParser().parseFromString(sanitizedHtml, 'text/html');
  for (const img of doc.querySelectorAll('img[data-remote-src]')) {
    const bytes = remoteImages.get(img.getAttribute('data-remote-src')!);
    if (!bytes) continue;
    img.setAttribute('src', bytes);
    img.removeAttribute('data-remote-src');
  }
  for (const img of doc.querySelectorAll('img[src]')) {
    const src = img.getAttribute('src')!;
    const bytes = inlineImages.get(src);
    if (bytes) img.setAttribute('src', bytes);
    else if (!src.startsWith('data:')) img.removeAttribute('src');
  }
  for (const link of doc.querySelectorAll('a[href]')) {
    // A relative link (`#part`, `page.html`) would resolve against the hub's own address (a srcdoc
    // frame's base URL is its parent's) and open the hub again: it stays as text.
    if (!LEAVING_URL.test(link.getAttribute('href')!.trim())) {
      link.removeAttribute('href');
      link.removeAttribute('target');
      continue;
    }
    link.setAttribute('target', '_blank');
    link.setAttribute('rel', 'noopener noreferrer');
    link.setAttribute('referrerpolicy', 'no-referrer');
  }
  return doc.body.innerHTML;
}

/** Image formats a browser shows from their first bytes; anything else (SVG, which can hold script, included) is not shown inline. */
const IMAGE_SIGNATURES: readonly { type: string; matches: (b: Uint8Array) => boolean }[] = [
  { type: 'image/png', matches: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 },
  { type: 'image/jpeg', matches: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { type: 'image/gif', matches: (b) => b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x38 },
  { type: 'image/webp', matches: (b) => String.fromCharCode(...b.subarray(0, 4)) === 'RIFF' && String.fromCharCode(...b.subarray(8, 12)) === 'WEBP' },
  { type: 'image/bmp', matches: (b) => b[0] === 0x42 && b[1] === 0x4d },
];

/**
 * A data: URL for an inline image's bytes, typed by what they are rather than what the sender
 * declared (mail clients often send inline images as application/octet-stream); null for anything
 * that is not a raster image.
 */
export async function inlineImageUrl(bytes: Blob): Promise<string | null> {
  const head = new Uint8Array(await bytes.slice(0, 12).arrayBuffer());
  const type = IMAGE_SIGNATURES.find((signature) => signature.matches(head))?.type;
  if (!type) return null;
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(reader.result as string);
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(new Blob([bytes], { type }));
  });
}
