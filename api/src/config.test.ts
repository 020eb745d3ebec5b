import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadApiConfig } from './config';

describe('caller share settings', () => {
  it('default to the documented values', () => {
    expect(loadApiConfig({}).shares).toEqual({
      concurrentPerCaller: 8,
      concurrentTotal: 64,
      operationTimeoutMs: 30_000,
      responseBytes: 32 * 1024 * 1024,
      syncRequestBytes: 32 * 1024 * 1024,
      syncConcurrent: 64,
      syncOperationTimeoutMs: 120_000,
      syncResponseBytes: 256 * 1024 * 1024,
    });
  });

  it('read each variable', () => {
    const shares = loadApiConfig({ MAX_CONCURRENT_PER_CALLER: '2', OPERATION_TIMEOUT_SECONDS: '5', MAX_RESPONSE_MB: '1', SYNC_MAX_REQUEST_MB: '64' }).shares;
    expect(shares).toMatchObject({ concurrentPerCaller: 2, operationTimeoutMs: 5000, responseBytes: 1024 * 1024, syncRequestBytes: 64 * 1024 * 1024 });
  });

  it('list every bad one in one error', () => {
    let error: unknown;
    try {
      loadApiConfig({ MAX_CONCURRENT_PER_CALLER: '0', SYNC_MAX_REQUEST_MB: '1', MAX_RESPONSE_MB: 'lots' });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.split(' ')[0])).toEqual(['MAX_CONCURRENT_PER_CALLER', 'MAX_RESPONSE_MB', 'SYNC_MAX_REQUEST_MB']);
  });
});

describe('TRUST_PROXY', () => {
  it('trusts no proxy unless set', () => {
    expect(loadApiConfig({}).trustProxy).toBe(false);
    expect(loadApiConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' }).trustProxy).toEqual(['loopback', '10.0.0.0/8']);
  });

  it('is listed with the other bad variables', () => {
    let error: unknown;
    try {
      loadApiConfig({ TRUST_PROXY: 'true', PORT: 'x' });
    } catch (err) {
      error = err;
    }
    expect((error as ConfigError).problems.map((p) => p.split(/[ =]/)[0]).sort()).toEqual(['PORT', 'TRUST_PROXY']);
  });
});

describe('REDIS_URL', () => {
  it('is unset unless given (the in-process bus)', () => {
    expect(loadApiConfig({}).redisUrl).toBeUndefined();
    expect(loadApiConfig({ REDIS_URL: '' }).redisUrl).toBeUndefined();
    expect(loadApiConfig({ REDIS_URL: 'redis://:s3cret@127.0.0.1:6379/2' }).redisUrl).toBe('redis://:s3cret@127.0.0.1:6379/2');
    expect(loadApiConfig({ REDIS_URL: 'rediss://cache.example.com:6380' }).redisUrl).toBe('rediss://cache.example.com:6380');
  });

  it('is listed with the other bad variables, without echoing a password', () => {
    let error: unknown;
    try {
      loadApiConfig({ REDIS_URL: 'http://:s3cret@127.0.0.1:6379', PORT: 'x' });
    } catch (err) {
      error = err;
    }
    const problems = (error as ConfigError).problems;
    expect(problems.map((p) => p.split(/[ =]/)[0]).sort()).toEqual(['PORT', 'REDIS_URL']);
    expect(problems.join('\n')).not.toContain('s3cret');
  });
});

describe('API_PROCESSES', () => {
  it('is one process unless set; auto is one per core', () => {
    expect(loadApiConfig({}).processes).toBe(1);
    expect(loadApiConfig({ API_PROCESSES: '3' }).processes).toBe(3);
    expect(loadApiConfig({ API_PROCESSES: 'auto' }).processes).toBe(os.availableParallelism());
  });

  it.each(['0', '-1', '1.5', 'many', '257'])('refuses %s', (value) => {
    expect(() => loadApiConfig({ API_PROCESSES: value })).toThrow(/API_PROCESSES must be auto or a whole number from 1 to 256/);
  });
});
