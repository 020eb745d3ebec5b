import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import PostalMime from 'postal-mime';
import './postal-decoders.js'; // before the first parse: body parts are joined without a Blob
import './postal-line-loop.js'; // before the first parse: lines go to their part without a promise each

export type Email = PostalMime.Email;

// Every message/rfc822 part stays an attachment with its raw bytes: the forward mailbox unwraps them,
// and an attached message is kept as the .eml it is rather than merged into the outer body.
const POSTAL_OPTIONS = { forceRfc822Attachments: true, attachmentEncoding: 'arraybuffer' } as const satisfies PostalMime.PostalMimeOptions;

/** Why postal-mime could not parse a message (a limit it enforces, or a crash on this input). */
export class MimeParseError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'MimeParseError';
  }
}

/**
 * Parses on the calling thread: postal-mime never yields, so only for messages small enough to parse in a few ms.
 * Parses asked for at once run one after another, each on its own turn of the event loop.
 */
export function parseHere(source: Uint8Array): Promise<Email> {
  // Several at once would resume in the same turn and run back to back: one stall as long as all of them.
  const turn = inThread.then(() => parseOnItsTurn(source));
  inThread = turn.catch(() => undefined);
  return turn;
}

let inThread: Promise<unknown> = Promise.resolve();

async function parseOnItsTurn(source: Uint8Array): Promise<Email> {
  // postal-mime settles through microtasks only: without this, a batch parsed back to back is one long stall.
  await yieldToEventLoop();
  try {
    return await PostalMime.parse(source, POSTAL_OPTIONS);
  } catch (error) {
    throw new MimeParseError(error instanceof Error ? error.message : String(error), { cause: error });
  }
}
