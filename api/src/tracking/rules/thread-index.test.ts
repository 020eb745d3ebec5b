import { describe, expect, it } from 'vitest';
import { parseThreadIndex } from './thread-index';

// A Thread-Index as Outlook writes it on a new message (22 bytes), then on a reply and a
// reply to that reply (one 5-byte child block each).
const ROOT = 'AcON3CInEwkfLOQsQGeK8VCv3M+ipA==';
const REPLY = 'AcON3CInEwkfLOQsQGeK8VCv3M+ipAAAobLD';
const REPLY_TO_REPLY = 'AcON3CInEwkfLOQsQGeK8VCv3M+ipAAAobLDAAFNXm8=';

describe('parseThreadIndex', () => {
  it.each([
    ['a new Outlook message', ROOT, 0],
    ['a reply', REPLY, 1],
    ['a reply to the reply', REPLY_TO_REPLY, 2],
    ['surrounding whitespace', `  ${REPLY}\r\n`, 1],
    ['a folded header value', 'AcON3CInEwkfLOQsQGeK8VCv3M+ipAAAobLD\r\n AAFNXm8=', 2],
  ])('%s has the conversation root and depth %i', (_name, value, depth) => {
    expect(parseThreadIndex(value)).toEqual({ root: ROOT, depth });
  });

  it('gives every message of a conversation the same root', () => {
    const roots = [ROOT, REPLY, REPLY_TO_REPLY].map((v) => parseThreadIndex(v)?.root);
    expect(new Set(roots).size).toBe(1);
  });

  it.each([
    ['empty', ''],
    ['not base64', 'not a thread index!'],
    ['base64url alphabet', 'AcON3CInEwkfLOQsQGeK8VCv3M-ipA=='],
    ['missing padding', 'AcON3CInEwkfLOQsQGeK8VCv3M+ipA'],
    ['shorter than 22 bytes', 'AcON3CInEwkfLOQsQGeK8VCv3M+i'],
    ['a partial child block', 'AcON3CInEwkfLOQsQGeK8VCv3M+ipAEC'],
    ['a Gmail-style Message-ID by mistake', '<CAH1x8=abc@mail.gmail.com>'],
  ])('is null for %s', (_name, value) => {
    expect(parseThreadIndex(value)).toBeNull();
  });
});
