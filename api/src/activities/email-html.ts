import sanitizeHtml from 'sanitize-html';

export interface SanitizedEmailHtml {
  html: string;
  /** Images whose remote `src` was moved to `data-remote-src`, to load only once the reader agrees. */
  blockedRemoteImages: number;
  /** Their sources, each once, in document order: the only URLs the image proxy fetches for this email. */
  remoteImages: string[];
}

export interface SanitizeEmailHtmlOptions {
  /**
   * The URL to show an inline part (`<img src="cid:…">`) from, given its Content-ID without angle
   * brackets; null when the message has no such part (the `src` is then dropped).
   */
  cidUrl?: (contentId: string) => string | null;
}

// Email formatting: text, lists, tables and the presentational tags old mail clients still send.
const ALLOWED_TAGS = [
  ...['p', 'div', 'span', 'br', 'hr', 'pre', 'blockquote', 'address', 'center', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6'],
  ...['b', 'strong', 'i', 'em', 'u', 's', 'strike', 'del', 'ins', 'small', 'big', 'sub', 'sup', 'tt', 'code', 'kbd', 'mark', 'abbr', 'cite', 'q', 'font'],
  ...['ul', 'ol', 'li', 'dl', 'dt', 'dd'],
  ...['table', 'caption', 'colgroup', 'col', 'thead', 'tbody', 'tfoot', 'tr', 'td', 'th'],
  ...['a', 'img'],
];

const TABLE_CELL = ['width', 'height', 'colspan', 'rowspan', 'bgcolor', 'valign', 'nowrap'];
// No id or class: without the message's <style> they do nothing, and ids could clobber the page's DOM.
const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  '*': ['style', 'dir', 'lang', 'title', 'align'],
  a: ['href', 'name', 'target', 'rel'],
  img: ['src', 'data-remote-src', 'alt', 'width', 'height', 'border', 'hspace', 'vspace'],
  table: ['width', 'height', 'border', 'cellpadding', 'cellspacing', 'bgcolor', 'summary'],
  tr: ['height', 'bgcolor', 'valign'],
  td: TABLE_CELL,
  th: TABLE_CELL,
  thead: ['valign'],
  tbody: ['valign'],
  tfoot: ['valign'],
  col: ['span', 'width'],
  colgroup: ['span', 'width'],
  font: ['color', 'face', 'size'],
  ol: ['start', 'type'],
  ul: ['type'],
  li: ['value'],
  hr: ['width', 'size', 'noshade'],
  blockquote: ['cite'],
};

/**
 * A CSS value that loads nothing and runs nothing: no url(), image(), expression() or other function
 * but colour and calc functions, and no backslash (CSS escapes could spell `url(` in disguise).
 */
const SAFE_CSS_VALUE = /^(?:[\w\s#%.,'"/*+-]|\b(?:rgba?|hsla?|calc)\(|\))*$/i;
const DISPLAY_VALUE = /^(?:none|block|inline|inline-block|list-item|table|table-row|table-cell|table-row-group|table-header-group|table-footer-group)$/i;

// Layout and typography only: no position or z-index, so a message cannot cover the page around it.
const STYLE_PROPERTIES = [
  ...['color', 'background', 'background-color'],
  ...['font', 'font-family', 'font-size', 'font-style', 'font-weight', 'font-variant', 'line-height', 'letter-spacing', 'word-spacing'],
  ...['text-align', 'text-decoration', 'text-indent', 'text-transform', 'vertical-align', 'white-space', 'word-break', 'word-wrap', 'overflow-wrap', 'direction'],
  ...['width', 'min-width', 'max-width', 'height', 'min-height', 'max-height', 'float', 'clear'],
  ...['margin', 'margin-top', 'margin-right', 'margin-bottom', 'margin-left', 'padding', 'padding-top', 'padding-right', 'padding-bottom', 'padding-left'],
  ...['border', 'border-top', 'border-right', 'border-bottom', 'border-left', 'border-color', 'border-style', 'border-width', 'border-radius'],
  ...['border-collapse', 'border-spacing', 'table-layout', 'list-style-type', 'list-style-position'],
];
const STYLE_ALLOWED = new Map<string, RegExp>([...STYLE_PROPERTIES.map((property): [string, RegExp] => [property, SAFE_CSS_VALUE]), ['display', DISPLAY_VALUE]]);

/**
 * Keeps the declarations of a style attribute whose property is allowed and whose value is safe.
 * Done here rather than with sanitize-html's allowedStyles, which parses every attribute with
 * postcss: that was most of the time spent tracking a batch of mail. Property names compare
 * case-insensitively (Outlook writes `FONT-SIZE:11.0pt`). A declaration cut wrongly (a `;` inside
 * quotes) only fails the value check and is dropped.
 */
export function safeStyle(style: string): string {
  const kept: string[] = [];
  for (const declaration of style.split(';')) {
    const colon = declaration.indexOf(':');
    if (colon < 0) continue;
    const property = declaration.slice(0, colon).trim().toLowerCase();
    const raw = declaration.slice(colon + 1).trim();
    const important = /\s*!\s*important$/i.test(raw);
    const value = important ? raw.replace(/\s*!\s*important$/i, '') : raw;
    const allowed = STYLE_ALLOWED.get(property);
    if (allowed && value && allowed.test(value)) kept.push(`${property}:${value}${important ? ' !important' : ''}`);
  }
  return kept.join(';');
}

function withSafeStyle(attribs: Record<string, string>): Record<string, string> {
  if (attribs.style === undefined) return attribs;
  const { style, ...rest } = attribs;
  const cleaned = safeStyle(style);
  return cleaned ? { ...rest, style: cleaned } : rest;
}

// Browsers ignore control characters and spaces inside URLs (the `jav&#x09;ascript:` trick); so do we.
const normalizeUrl = (url: string): string => url.replace(/[\x00-\x20]+/g, '');
/** `http:host` and `\\host` load remotely too. */
const REMOTE_URL = /^(?:https?:|[/\\]{2})/i;
const INLINE_IMAGE_URL = /^data:image\/(?:png|jpeg|gif)[;,]/i;
const CID_URL = /^cid:/i;

/** RFC 2392 2: a cid URL is the Content-ID's addr-spec, %-encoded, without the angle brackets. */
function contentIdOf(cidUrl: string): string {
  const encoded = cidUrl.slice('cid:'.length);
  try {
    return decodeURIComponent(encoded);
  } catch {
    return encoded;
  }
}

/**
 * Makes an email's HTML body safe to show inside the app: no scripts, event handlers, forms, frames
 * or dangerous URLs, links open in a new tab without a referrer, and nothing loads from another
 * server (remote images wait in `data-remote-src` for the reader's consent; CSS url() is removed).
 */
export function sanitizeEmailHtml(html: string, options: SanitizeEmailHtmlOptions = {}): SanitizedEmailHtml {
  let blockedRemoteImages = 0;
  const remoteImages = new Set<string>();
  const clean = sanitizeHtml(html, {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: ALLOWED_ATTRIBUTES,
    allowedSchemes: ['http', 'https', 'mailto', 'tel'],
    allowedSchemesByTag: { img: ['http', 'https', 'data'] },
    allowedSchemesAppliedToAttributes: ['href', 'src', 'cite', 'data-remote-src'],
    allowProtocolRelative: true,
    disallowedTagsMode: 'discard',
    // Elements whose text must go with them; <title> would otherwise show the subject in the body.
    nonTextTags: ['script', 'style', 'textarea', 'option', 'xmp', 'title', 'noembed', 'noframes'],
    transformTags: {
      '*': (tagName, attribs) => ({ tagName, attribs: withSafeStyle(attribs) }),
      a: (tagName, attribs) => ({ tagName, attribs: { ...withSafeStyle(attribs), target: '_blank', rel: 'noopener noreferrer nofollow' } }),
      img: (tagName, attribs) => {
        // A data-remote-src sent by the message itself is dropped: only ours may be loaded on consent.
        const { src, srcset: _srcset, 'data-remote-src': _claimed, ...kept } = withSafeStyle(attribs);
        const url = normalizeUrl(src ?? '');
        if (CID_URL.test(url)) {
          const target = options.cidUrl?.(contentIdOf(url));
          if (target) kept.src = target;
        } else if (REMOTE_URL.test(url)) {
          kept['data-remote-src'] = url;
          blockedRemoteImages++;
          remoteImages.add(url);
        } else if (INLINE_IMAGE_URL.test(url)) {
          kept.src = url;
        }
        // Anything else (relative paths, javascript:, data:image/svg+xml, …) leaves the image without a source.
        return { tagName, attribs: kept };
      },
    },
  });
  return { html: clean, blockedRemoteImages, remoteImages: [...remoteImages] };
}
