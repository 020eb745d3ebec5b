import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { describe, expect, it } from 'vitest';
import { clientAddress, clientAddressResolver, parseTrustProxy, type TrustProxy } from './trust-proxy';

describe('parseTrustProxy', () => {
  it.each<[string | undefined, TrustProxy]>([
    [undefined, false],
    ['', false],
    ['false', false],
    ['0', false],
    ['1', 1],
    [' 2 ', 2],
    ['loopback', ['loopback']],
    ['10.0.0.5', ['10.0.0.5']],
    ['loopback, 10.0.0.0/8, fd00::/8, uniquelocal', ['loopback', '10.0.0.0/8', 'fd00::/8', 'uniquelocal']],
    ['192.168.1.7/32,::1', ['192.168.1.7/32', '::1']],
  ])('%j trusts %j, and Express accepts it', (raw, value) => {
    expect(parseTrustProxy(raw)).toEqual({ value });
    expect(() => express().set('trust proxy', value)).not.toThrow();
  });

  it.each([
    ['true', /would believe any X-Forwarded-For/],
    ['11', /hop count from 1 to 10/],
    ['-1', /"-1" is none of these/],
    ['yes', /"yes" is none of these/],
    ['10.0.0.0/33', /"10.0.0.0\/33" is none of these/],
    ['fd00::/129', /"fd00::\/129" is none of these/],
    ['10.0.0.0/255.0.0.0', /is none of these/],
    ['10.0.0.0/8/1', /is none of these/],
    ['loopback,,10.0.0.1', /"" is none of these/],
    ['example.com', /"example.com" is none of these/],
    ['1.5', /"1.5" is none of these/],
  ])('%j is refused', (raw, problem) => {
    const result = parseTrustProxy(raw);
    expect('problem' in result && result.problem).toMatch(problem);
  });
});

describe('clientAddressResolver', () => {
  /** What Express's req.ip (through clientAddress) and the resolver each make of one request over a real socket. */
  async function bothViews(trust: TrustProxy, forwardedFor: string | undefined): Promise<{ express: string; resolver: string }> {
    const resolver = clientAddressResolver(trust);
    const app = express().set('trust proxy', trust);
    app.get('/', (req, res) => {
      res.json({ express: clientAddress(req), resolver: resolver(req) });
    });
    const server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const response = await fetch(`http://127.0.0.1:${port}/`, { headers: forwardedFor === undefined ? {} : { 'x-forwarded-for': forwardedFor } });
      return (await response.json()) as { express: string; resolver: string };
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  }

  it.each<[TrustProxy, string | undefined, string]>([
    [false, '198.51.100.7', '127.0.0.1'],
    [false, undefined, '127.0.0.1'],
    [1, '198.51.100.7', '198.51.100.7'],
    [1, '203.0.113.9, 198.51.100.7', '198.51.100.7'],
    [2, '203.0.113.9, 198.51.100.7', '203.0.113.9'],
    [['loopback'], '203.0.113.9, 198.51.100.7', '198.51.100.7'],
    [['loopback', '198.51.100.0/24'], '203.0.113.9, 198.51.100.7', '203.0.113.9'],
    [['10.0.0.1'], '198.51.100.7', '127.0.0.1'],
    [['loopback'], 'not-an-address', '127.0.0.1'],
    [['loopback'], '', '127.0.0.1'],
  ])('trust %j with X-Forwarded-For %j gives %s, as Express does', async (trust, forwardedFor, expected) => {
    const views = await bothViews(trust, forwardedFor);
    expect(views).toEqual({ express: expected, resolver: expected });
  });
});
