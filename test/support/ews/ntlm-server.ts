/// <reference path="./js-md4.d.ts" />
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import md4 from 'js-md4';

// The server side of NTLM (MS-NLMP) HTTP authentication for the EWS test server, as IIS does it in front of
// Exchange: a NEGOTIATE_MESSAGE in "Authorization: NTLM …" is answered 401 with a CHALLENGE_MESSAGE; the
// AUTHENTICATE_MESSAGE that follows on the same connection is checked as NTLMv2 (the NT response's NTProofStr,
// HMAC-MD5 over the server challenge and the client's blob, keyed by NTOWFv2 of the user's password), and the
// connection is then signed in. Only NTLMv2 is accepted, as a hardened Exchange Server (LmCompatibilityLevel 5) does.

const SIGNATURE = Buffer.from('NTLMSSP\0', 'ascii');
// MS-NLMP 2.2.2.5: UNICODE, REQUEST_TARGET, NTLM, TARGET_TYPE_DOMAIN, EXTENDED_SESSIONSECURITY, TARGET_INFO, 128, 56.
const FLAGS = (0x00000001 | 0x00000004 | 0x00000200 | 0x00010000 | 0x00080000 | 0x00800000 | 0x20000000 | 0x80000000) >>> 0;

export const NTLM_DOMAIN = 'CORP';
const SERVER = 'EXCH01';

/** The message type of an "NTLM <base64>" header value: 1, 3, or null when it is none. */
export function ntlmMessageType(header: string | undefined): { type: number; message: Buffer } | null {
  const match = /^NTLM\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '');
  if (!match) return null;
  const message = Buffer.from(match[1], 'base64');
  if (message.length < 12 || !message.subarray(0, 8).equals(SIGNATURE)) return null;
  return { type: message.readUInt32LE(8), message };
}

/** A CHALLENGE_MESSAGE (MS-NLMP 2.2.1.2) with a fresh server challenge, for the WWW-Authenticate header. */
export function ntlmChallenge(): { header: string; challenge: Buffer } {
  const challenge = randomBytes(8);
  const target = Buffer.from(NTLM_DOMAIN, 'utf16le');
  const avPair = (id: number, value: string) => {
    const text = Buffer.from(value, 'utf16le');
    const head = Buffer.alloc(4);
    head.writeUInt16LE(id, 0);
    head.writeUInt16LE(text.length, 2);
    return Buffer.concat([head, text]);
  };
  // MsvAvNbDomainName, MsvAvNbComputerName, MsvAvEOL.
  const targetInfo = Buffer.concat([avPair(2, NTLM_DOMAIN), avPair(1, SERVER), Buffer.alloc(4)]);
  const header = Buffer.alloc(48);
  SIGNATURE.copy(header, 0);
  header.writeUInt32LE(2, 8);
  header.writeUInt16LE(target.length, 12);
  header.writeUInt16LE(target.length, 14);
  header.writeUInt32LE(48, 16);
  header.writeUInt32LE(FLAGS, 20);
  challenge.copy(header, 24);
  header.writeUInt16LE(targetInfo.length, 40);
  header.writeUInt16LE(targetInfo.length, 42);
  header.writeUInt32LE(48 + target.length, 44);
  return { header: `NTLM ${Buffer.concat([header, target, targetInfo]).toString('base64')}`, challenge };
}

/**
 * The user an AUTHENTICATE_MESSAGE (MS-NLMP 2.2.1.3) proves to be, or null: the user and domain are read from the
 * message, and its NTLMv2 response must be the one the user's password gives for this challenge.
 */
export function verifyNtlmAuthenticate(message: Buffer, challenge: Buffer, passwordOf: (user: string) => string | undefined): string | null {
  if (message.length < 52 || message.readUInt32LE(8) !== 3) return null;
  const field = (at: number) => {
    const length = message.readUInt16LE(at);
    const offset = message.readUInt32LE(at + 4);
    return offset + length <= message.length ? message.subarray(offset, offset + length) : null;
  };
  const ntResponse = field(20);
  const domain = field(28);
  const user = field(36);
  if (!ntResponse || ntResponse.length <= 16 || !domain || !user) return null;
  const userName = user.toString('utf16le');
  const password = passwordOf(userName);
  if (password === undefined) return null;
  const ntHash = Buffer.from(md4.arrayBuffer(Buffer.from(password, 'utf16le')));
  const ntowfv2 = createHmac('md5', ntHash).update(Buffer.from(userName.toUpperCase() + domain.toString('utf16le'), 'utf16le')).digest();
  const proof = createHmac('md5', ntowfv2).update(Buffer.concat([challenge, ntResponse.subarray(16)])).digest();
  return timingSafeEqual(proof, ntResponse.subarray(0, 16)) ? userName : null;
}
