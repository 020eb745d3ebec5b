/**
 * What an email body is shown with: the policy inside the frame's own document. The api already
 * sanitizes the HTML; this is the second wall, so a mistake there still loads and runs nothing
 * (only inline images and inline styles).
 */
export const EMAIL_FRAME_CSP = "default-src 'none'; img-src data:; style-src 'unsafe-inline'";

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

/** The `srcdoc` of the sandboxed frame an email's sanitized HTML body is shown in. */
export function emailFrameDocument(sanitizedHtml: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${EMAIL_FRAME_CSP}"><meta name="referrer" content="no-referrer"><style>${FRAME_STYLE}</style></head><body>${sanitizedHtml}</body></html>`;
}
