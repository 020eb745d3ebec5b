import mysql from 'mysql2';
import mysqlPromise from 'mysql2/promise';

/**
 * TypeORM's MySQL driver asks each pooled connection for its promise wrapper before every statement, and mysql2's
 * PoolConnection#promise() looks up its wrapper class with require() on every call: module resolution per statement,
 * 6 % of the api's CPU under the timeline benchmark's load. The same class, looked up once.
 */
export function wrapPoolConnectionsWithoutRequire(): void {
  const PoolConnection = (mysql as unknown as { PoolConnection: { prototype: Record<string, unknown> } }).PoolConnection;
  const PromisePoolConnection = (mysqlPromise as unknown as { PromisePoolConnection: new (connection: unknown, promiseImpl: unknown) => unknown }).PromisePoolConnection;
  if (!PoolConnection?.prototype || typeof PromisePoolConnection !== 'function') return;
  PoolConnection.prototype.promise = function promise(this: unknown, promiseImpl?: PromiseConstructor) {
    return new PromisePoolConnection(this, promiseImpl);
  };
}
