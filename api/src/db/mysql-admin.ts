import mysql from 'mysql2/promise';

// Creating and dropping whole databases: used by the migration generator and the test harness.

const quoteName = (name: string): string => {
  if (!/^[A-Za-z0-9_]+$/.test(name)) throw new Error(`unsafe database name "${name}"`);
  return `\`${name}\``;
};

export async function createMysqlDatabase(serverUrl: string, name: string): Promise<void> {
  const conn = await mysql.createConnection(serverUrl);
  try {
    await conn.query(`CREATE DATABASE ${quoteName(name)} CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await conn.end();
  }
}

export async function dropMysqlDatabase(serverUrl: string, name: string): Promise<void> {
  const conn = await mysql.createConnection(serverUrl);
  try {
    await conn.query(`DROP DATABASE IF EXISTS ${quoteName(name)}`);
  } finally {
    await conn.end();
  }
}
