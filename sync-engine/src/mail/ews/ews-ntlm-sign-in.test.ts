import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { MailError } from '../mail-error.js';
import { ntlmSignIn } from './ews-ntlm-sign-in.js';

// A bare HTTP peer answering the NEGOTIATE as told, recording what came and on which socket.
interface Received {
  method: string;
  headers: http.IncomingHttpHeaders;
  socket: Socket;
}
let server: http.Server | undefined;
let agent: http.Agent | undefined;

async function serve(answer: (res: http.ServerResponse) => void): Promise<{ url: URL; received: Received[] }> {
  const received: Received[] = [];
  server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push({ method: req.method ?? '', headers: req.headers, socket: req.socket });
      answer(res);
    });
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  return { url: new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/EWS/Exchange.asmx`), received };
}

const signIn = (url: URL) => {
  agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  return ntlmSignIn(url, { username: 'CORP\\sam', password: 'secret-pw' }, { agent, headers: { 'Content-Type': 'text/xml; charset=utf-8' }, signal: AbortSignal.timeout(5_000) });
};

/** A CHALLENGE_MESSAGE (MS-NLMP 2.2.1.2) with NTLMv2 target information holding only MsvAvEOL. */
function challengeMessage(): string {
  const message = Buffer.alloc(52);
  message.write('NTLMSSP\0', 0, 'ascii');
  message.writeUInt32LE(2, 8);
  message.writeUInt32LE(48, 16); // an empty target name
  message.writeUInt32LE((0x00000001 | 0x00000200 | 0x00080000 | 0x00800000) >>> 0, 20);
  Buffer.from('8bytesCH').copy(message, 24);
  message.writeUInt16LE(4, 40);
  message.writeUInt16LE(4, 42);
  message.writeUInt32LE(48, 44);
  return message.toString('base64');
}

async function stop(): Promise<void> {
  agent?.destroy();
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve) ?? resolve(undefined));
  server = undefined;
}

afterEach(stop);

describe('NTLM sign-in on a connection the engine holds itself', () => {
  it('sends the NEGOTIATE on an empty POST and makes the AUTHENTICATE from the challenge, for the socket it came on', async () => {
    const { url, received } = await serve((res) => res.writeHead(401, { 'www-authenticate': ['Negotiate', `NTLM ${challengeMessage()}`], 'content-length': '0' }).end());
    const result = await signIn(url);
    expect(received).toHaveLength(1);
    expect(received[0].method).toBe('POST');
    expect(received[0].headers['content-length']).toBe('0');
    const negotiate = Buffer.from(/^NTLM (\S+)$/.exec(received[0].headers.authorization ?? '')![1], 'base64');
    expect(negotiate.readUInt32LE(8)).toBe(1);
    const authenticate = Buffer.from(/^NTLM (\S+)$/.exec(result.authorization)![1], 'base64');
    expect(authenticate.readUInt32LE(8)).toBe(3);
    // The domain and user of DOMAIN\user (MS-NLMP 2.2.1.3 DomainNameFields, UserNameFields).
    const field = (at: number) => authenticate.subarray(authenticate.readUInt32LE(at + 4), authenticate.readUInt32LE(at + 4) + authenticate.readUInt16LE(at)).toString('utf16le');
    expect([field(28), field(36)]).toEqual(['CORP', 'sam']);
    expect(result.socket.localPort).toBe(received[0].socket.remotePort);
  });

  it('a server offering no NTLM challenge is a failed connection (a plain Error), not refused credentials; the password is in no message', async () => {
    for (const answer of [
      (res: http.ServerResponse) => res.writeHead(401, { 'www-authenticate': 'Basic realm="EWS"', 'content-length': '0' }).end(),
      (res: http.ServerResponse) => res.writeHead(401, { 'www-authenticate': 'NTLM', 'content-length': '0' }).end(),
      (res: http.ServerResponse) => res.writeHead(200, { 'content-length': '0' }).end(),
    ]) {
      const { url } = await serve(answer);
      const failure = await signIn(url).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(Error);
      expect(failure).not.toBeInstanceOf(MailError);
      expect((failure as Error).message).toMatch(/no NTLM challenge/);
      expect((failure as Error).message).not.toContain('secret-pw');
      await stop();
    }
  });
});
