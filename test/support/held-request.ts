import http from 'node:http';
import type { StartedHub } from './hub';

export interface RawAnswer {
  status: number;
  contentType: string;
  text: string;
  json: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } | undefined;
}

export const parseJson = (text: string) => {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
};

export const codeOf = (answer: RawAnswer) => answer.json?.errors?.[0]?.extensions?.code;

/**
 * A request whose body arrives only when the test says so: it holds its place in the api (a slow or
 * malicious client) for as long as the test wants, so "at the same moment" needs no timing.
 */
export function heldRequest(hub: StartedHub, token: string | undefined, query: string, headers: Record<string, string> = {}) {
  const body = Buffer.from(JSON.stringify({ query }));
  const url = new URL(hub.graphqlUrl);
  const req = http.request({
    host: url.hostname,
    port: url.port,
    path: url.pathname,
    method: 'POST',
    agent: false,
    headers: { 'content-type': 'application/json', 'content-length': String(body.length), ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
  });
  req.on('error', () => {}); // a refused request's connection may close while its body is unsent
  const state = { answered: false };
  const answer = new Promise<RawAnswer>((resolve, reject) => {
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        state.answered = true;
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text, json: parseJson(text) });
      });
      res.on('error', reject);
    });
  });
  req.write(body.subarray(0, 10));
  return {
    answer,
    get answered() {
      return state.answered;
    },
    finish: () => req.end(body.subarray(10)),
    abandon: () => req.destroy(),
  };
}

/** The first `n` of `promises` to settle, in the order they settle. */
export function firstSettled<T>(promises: Promise<T>[], n: number): Promise<T[]> {
  return new Promise((resolve) => {
    const settled: T[] = [];
    for (const p of promises) {
      void p.then((value) => {
        settled.push(value);
        if (settled.length === n) resolve(settled);
      });
    }
  });
}
