import { describe, expect, it } from 'vitest';
import { activeCompiler, imapflowCompiler, imapflowParser, isFetchLogLine, plainName } from './imapflow-compile.js';

const text = async (compiled: Promise<Buffer[] | Buffer[][]>) => (await compiled).toString();

// FETCH responses as servers send them (RFC 3501 7.4.2; RFC 3516 BINARY; RFC 7162 MODSEQ; Gmail's X-GM-*).
const FETCH_LINES = [
  '* 12 FETCH (UID 345 RFC822.SIZE 21 INTERNALDATE "06-Dec-2026 08:00:00 +0000" BODY[] {21}\r\n)',
  '* 3 FETCH (UID 9 FLAGS (\\Seen $Forwarded) MODSEQ (12345) BODY[HEADER.FIELDS (SUBJECT DATE)] {21}\r\n)',
  '* 4 FETCH (UID 10 BODY[]<0> {21}\r\n BINARY[1] {21}\r\n BODY[1.MIME] {21}\r\n)',
  '* 5 FETCH (UID 11 X-GM-MSGID 1278455344230334865 X-GM-LABELS (\\Inbox "Needs review") EMAILID (M6d99ac3275bb4e))',
  '* 6 FETCH (ENVELOPE ("Tue, 3 Nov 2026 09:15:00 +0100" "Hi" (("Carol" NIL "carol" "example.test")) NIL NIL NIL NIL NIL NIL "<a@b>") BODYSTRUCTURE ("TEXT" "PLAIN" ("CHARSET" "utf-8") NIL NIL "7BIT" 21 1 NIL NIL NIL NIL))',
];

async function parsed(line: string) {
  const literals = (line.match(/\{21\}/g) ?? []).map(() => Buffer.from('Subject: x\r\n\r\nbody\r\n'));
  return imapflowParser(Buffer.from(line), { literals });
}

describe('imapflow compile shortcuts', () => {
  it('names every attribute of a FETCH response as imapflow does', async () => {
    for (const line of FETCH_LINES) {
      const response = await parsed(line);
      const attributes = (response.attributes as unknown[])[1] as object[];
      for (let i = 0; i < attributes.length; i += 2) {
        const name = { attributes: [attributes[i]] };
        expect(await text(activeCompiler()(name)), line).toBe(await text(imapflowCompiler(name)));
      }
    }
  });

  it('takes the shortcut for plain names only', async () => {
    const attributes = ((await parsed(FETCH_LINES[1])).attributes as unknown[])[1] as object[];
    const [uid, , , , , , headerFields] = attributes;
    expect(plainName({ attributes: [uid] }, undefined)).toBe('UID');
    expect(plainName({ attributes: [headerFields] }, undefined)).toBeNull(); // BODY[HEADER.FIELDS (…)]
    expect(plainName({ attributes: [uid] }, { asArray: true })).toBeNull(); // a command being built
    expect(plainName({ tag: 'A1', attributes: [uid] }, undefined)).toBeNull();
  });

  it('skips the log text of FETCH responses only', async () => {
    const fetch = await parsed(FETCH_LINES[0]);
    expect(isFetchLogLine(fetch, { isLogging: true })).toBe(true);
    expect(await text(activeCompiler()(fetch, { isLogging: true }))).toBe('* 12 FETCH (...)');
    for (const line of ['A3 OK [READ-ONLY] EXAMINE completed', '* 172 EXISTS', 'A4 NO [AUTHENTICATIONFAILED] Authentication failed.']) {
      const response = await imapflowParser(Buffer.from(line));
      expect(isFetchLogLine(response, { isLogging: true })).toBe(false);
      expect(await text(activeCompiler()(response, { isLogging: true }))).toBe(await text(imapflowCompiler(response, { isLogging: true })));
      expect(await text(activeCompiler()(response))).toBe(await text(imapflowCompiler(response)));
    }
  });
});
