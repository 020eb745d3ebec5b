// imapflow 2.1.2 turns parsed responses back into IMAP text (its `compiler`) in two places the engine pays for per
// message of a FETCH: once per response only to log it (imap-flow.js handleResponse, also when the logger drops it),
// and once per attribute name to read it ("UID", "BODY[]": tools.js formatMessageResponse). Both go through the
// handler module's `compiler` export, looked up at each call, so wrapping that export here skips them for FETCH
// responses and plain names; every other use (commands sent, error text) reaches imapflow's compiler unchanged.

type Compile = (response: Response, options?: { isLogging?: boolean }) => Promise<Buffer[] | Buffer[][]>;

interface Node {
  readonly type?: string;
  readonly value?: unknown;
  readonly section?: readonly unknown[];
  readonly partial?: readonly number[];
}

interface Response {
  readonly tag?: string;
  readonly command?: string;
  readonly attributes?: readonly Node[] | Node;
}

const handler = require('imapflow/lib/handler/imap-handler.js') as { compiler: Compile; parser: unknown; imapflowCompiler?: Compile };

// A name of letters, digits, dots and dashes is an atom written as it is (RFC 3501 9, atom-char).
const PLAIN_NAME = /^[A-Za-z0-9.-]+$/;

/** The text of a plain attribute name (an atom, or an atom with an empty section: BODY[]), or null for anything else. */
export function plainName(response: Response, options: object | undefined): string | null {
  if (options || response.tag !== undefined || response.command !== undefined) return null;
  const attributes = response.attributes;
  if (!Array.isArray(attributes) || attributes.length !== 1) return null;
  const node = attributes[0] as Node;
  if (node?.type !== 'ATOM' || typeof node.value !== 'string' || !PLAIN_NAME.test(node.value) || node.partial) return null;
  if (!node.section) return node.value;
  return node.section.length === 0 ? `${node.value}[]` : null;
}

/** An untagged FETCH response ("* 12 FETCH (…)"), which imapflow compiles only for its log. */
export function isFetchLogLine(response: Response, options: { isLogging?: boolean } | undefined): boolean {
  if (!options?.isLogging || response.tag !== '*') return false;
  const attributes = response.attributes;
  const first = Array.isArray(attributes) ? (attributes[0] as Node | undefined) : undefined;
  return typeof first?.value === 'string' && first.value.toUpperCase() === 'FETCH';
}

/** imapflow's own compiler, for what the wrapper passes on (and for tests to compare with). */
export const imapflowCompiler: Compile = handler.imapflowCompiler ?? handler.compiler;

if (!handler.imapflowCompiler) {
  handler.imapflowCompiler = imapflowCompiler;
  handler.compiler = (response, options) => {
    const name = plainName(response, options);
    if (name !== null) return Promise.resolve([Buffer.from(name)]);
    if (isFetchLogLine(response, options)) return Promise.resolve([Buffer.from(`* ${response.command ?? ''} FETCH (...)`)]);
    return imapflowCompiler(response, options);
  };
}

/** imapflow's response parser (for tests). */
export const imapflowParser = handler.parser as (line: Buffer, options?: { literals?: Buffer[] }) => Promise<Response>;

/** The compiler imapflow calls now. */
export const activeCompiler = (): Compile => handler.compiler;
