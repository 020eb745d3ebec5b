import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { loadApiConfig } from '../../api/src/config';
import { MYSQL_MIGRATIONS } from '../../api/src/db/migrations/mysql';
import { createMysqlDatabase, dropMysqlDatabase } from '../../api/src/db/mysql-admin';
import { startApi, type RunningApi } from '../../api/src/main';
import { createLogger } from '../../api/src/platform/logger';
import { MARIADB_SERVER_URL } from '../support/hub';

// Replicas start together (docker-compose runs two): exactly one of them migrates and seeds.
describe('two api processes starting at once on one empty MariaDB database', () => {
  const name = `crm_twin_${randomBytes(4).toString('hex')}`;
  const apis: RunningApi[] = [];
  afterAll(async () => {
    for (const api of apis) await api.close();
    await dropMysqlDatabase(MARIADB_SERVER_URL, name);
  });

  it('both come up, and the organization is created once', async () => {
    await createMysqlDatabase(MARIADB_SERVER_URL, name);
    const config = loadApiConfig({ PORT: '0', HOST: '127.0.0.1', DATABASE_URL: `${MARIADB_SERVER_URL}/${name}`, LOG_LEVEL: 'silent' });
    apis.push(...(await Promise.all([1, 2].map(() => startApi(config, createLogger('silent'), { demoPassword: 'same-for-both' })))));
    const db = apis[0].database.dataSource;
    const count = async (sql: string) => Number((await db.query(sql))[0].n);
    expect(await count('SELECT COUNT(*) AS n FROM business_unit WHERE parentId IS NULL')).toBe(1);
    expect(await count('SELECT COUNT(*) AS n FROM security_role')).toBe(4);
    expect(await count('SELECT COUNT(*) AS n FROM app_user')).toBe(7);
    expect(await count('SELECT COUNT(*) AS n FROM contact')).toBe(60);
    expect(await count('SELECT COUNT(*) AS n FROM migrations')).toBe(MYSQL_MIGRATIONS.length);
    for (const api of apis) {
      const response = await fetch(`http://127.0.0.1:${api.port}/readyz`);
      expect(response.status).toBe(200);
    }
  });
});
