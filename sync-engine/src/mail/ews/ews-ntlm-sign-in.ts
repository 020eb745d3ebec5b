/// <reference path="./ewsjs-ntlm-client.d.ts" />
import http from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { createType1Message, createType3Message, decodeType2Message } from '@ewsjs/ntlm-client';

export interface NtlmCredentials {
  /** DOMAIN\user or user@domain. */
  readonly username: string;
  readonly password: string;
}

/** What the NEGOTIATE round trip leaves: the header for the request that follows, and the socket it must follow on. */
export interface NtlmSignIn {
  readonly authorization: string;
  readonly socket: Socket;
}

// As @ewsjs/xhr's NtlmProvider sends it for every other call, so the server sees one client.
const WORKSTATION = '.';

/**
 * The first half of NTLM (MS-NLMP) HTTP sign-in on a connection the engine holds itself: the NEGOTIATE_MESSAGE
 * goes out on an empty POST to the URL (as curl sends it, so the body is sent once, signed in), the server answers
 * 401 with its CHALLENGE_MESSAGE, and the AUTHENTICATE_MESSAGE for the real request is made from it. NTLM signs in
 * the connection, not the request: `agent` must keep the socket alive and hold one socket only, so the real
 * request goes on the same socket, which the caller checks against `socket`. Throws a plain Error (a failed
 * connection, not refused credentials) when the server offers no challenge; the password is never in a message.
 */
export function ntlmSignIn(url: URL, credentials: NtlmCredentials, options: { agent: http.Agent; headers: Record<string, string>; rejectUnauthorized?: boolean; signal: AbortSignal }): Promise<NtlmSignIn> {
  const { user, domain } = ntlmIdentity(credentials.username);
  const client = url.protocol === 'https:' ? https : http;
  return new Promise<NtlmSignIn>((resolve, reject) => {
    const req = client.request(url, {
      method: 'POST',
      agent: options.agent,
      signal: options.signal,
      headers: { ...options.headers, Authorization: createType1Message(WORKSTATION, domain), 'Content-Length': '0' },
      ...(options.rejectUnauthorized !== undefined ? { rejectUnauthorized: options.rejectUnauthorized } : {}),
    });
    req.on('response', (res) => {
      const socket = res.socket;
      const challenge = res.statusCode === 401 ? ntlmChallengeOf(res.headers['www-authenticate']) : null;
      // The answer is read to its end, so the socket goes back to the agent for the real request.
      res.resume();
      res.on('error', reject);
      res.on('end', () => {
        if (!challenge) return reject(new Error(`Exchange offered no NTLM challenge on the streaming connection (HTTP ${res.statusCode})`));
        try {
          resolve({ authorization: createType3Message(decodeType2Message(challenge), user, credentials.password, WORKSTATION, domain), socket });
        } catch (error) {
          reject(new Error(`Exchange sent an NTLM challenge that could not be read: ${error instanceof Error ? error.message : String(error)}`));
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** DOMAIN\user is split as @ewsjs/xhr splits it (the domain upper-cased); user@domain goes whole, with no domain. */
function ntlmIdentity(username: string): { user: string; domain: string } {
  const slash = username.indexOf('\\');
  return slash > 0 ? { user: username.slice(slash + 1), domain: username.slice(0, slash).toUpperCase() } : { user: username, domain: '' };
}

/** The "NTLM <base64>" challenge among the WWW-Authenticate values (Node joins repeated headers with ", "). */
function ntlmChallengeOf(header: string | undefined): string | null {
  const match = /(?:^|,)\s*NTLM\s+([A-Za-z0-9+/]+=*)\s*(?:,|$)/i.exec(header ?? '');
  return match ? `NTLM ${match[1]}` : null;
}
