import express from 'express';
import { describe, expect, it } from 'vitest';
import { parseTrustProxy, type TrustProxy } from './trust-proxy';

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
