import { randomUUID } from 'node:crypto';
import type { QueryRunner } from 'typeorm';

/**
 * Organizations created before activities and mail existed: give their system roles the new
 * privileges (new organizations get them from the seed). Data, not code: a later change to the
 * system role definitions must not change what this migration did. Rows a role already has are kept.
 */
const GRANTS: readonly (readonly [role: string, entity: string, privilege: string, depth: string])[] = [
  ['System Administrator', 'activity', 'create', 'organization'],
  ['System Administrator', 'activity', 'read', 'organization'],
  ['System Administrator', 'activity', 'write', 'organization'],
  ['System Administrator', 'activity', 'delete', 'organization'],
  ['System Administrator', 'activity', 'append', 'organization'],
  ['System Administrator', 'activity', 'append_to', 'organization'],
  ['System Administrator', 'activity', 'assign', 'organization'],
  ['System Administrator', 'activity', 'share', 'organization'],
  ['System Administrator', 'queue', 'create', 'organization'],
  ['System Administrator', 'queue', 'read', 'organization'],
  ['System Administrator', 'queue', 'write', 'organization'],
  ['System Administrator', 'queue', 'delete', 'organization'],
  ['System Administrator', 'queue', 'append', 'organization'],
  ['System Administrator', 'queue', 'append_to', 'organization'],
  ['System Administrator', 'queue', 'assign', 'organization'],
  ['System Administrator', 'queue', 'share', 'organization'],
  ['System Administrator', 'mailbox', 'create', 'organization'],
  ['System Administrator', 'mailbox', 'read', 'organization'],
  ['System Administrator', 'mailbox', 'write', 'organization'],
  ['System Administrator', 'mailbox', 'delete', 'organization'],
  ['System Administrator', 'mailbox', 'append', 'organization'],
  ['System Administrator', 'mailbox', 'append_to', 'organization'],
  ['System Administrator', 'mailbox', 'assign', 'organization'],
  ['System Administrator', 'mailbox', 'share', 'organization'],
  ['Sales Manager', 'activity', 'create', 'business_unit'],
  ['Sales Manager', 'activity', 'read', 'business_unit'],
  ['Sales Manager', 'activity', 'write', 'business_unit'],
  ['Sales Manager', 'activity', 'delete', 'business_unit'],
  ['Sales Manager', 'activity', 'append', 'business_unit'],
  ['Sales Manager', 'activity', 'append_to', 'business_unit'],
  ['Sales Manager', 'activity', 'assign', 'business_unit'],
  ['Sales Manager', 'activity', 'share', 'business_unit'],
  ['Sales Manager', 'queue', 'read', 'organization'],
  ['Salesperson', 'activity', 'read', 'business_unit'],
  ['Salesperson', 'activity', 'append_to', 'business_unit'],
  ['Salesperson', 'activity', 'create', 'user'],
  ['Salesperson', 'activity', 'write', 'user'],
  ['Salesperson', 'activity', 'delete', 'user'],
  ['Salesperson', 'activity', 'append', 'user'],
  ['Salesperson', 'activity', 'assign', 'user'],
  ['Salesperson', 'activity', 'share', 'user'],
  ['Salesperson', 'queue', 'read', 'organization'],
  ['Sync Service', 'queue', 'read', 'organization'],
  ['Sync Service', 'activity', 'read', 'organization'],
  ['Sync Service', 'mailbox', 'read', 'organization'],
  ['Sync Service', 'mailbox', 'write', 'organization'],
  ['Sync Service', 'mail_sync', 'write', 'organization'],
];

export async function grantActivityPrivileges(queryRunner: QueryRunner): Promise<void> {
  const roles = (await queryRunner.query('SELECT id, name FROM security_role')) as { id: string; name: string }[];
  const roleId = new Map(roles.map((r) => [r.name, r.id]));
  for (const [role, entity, privilege, depth] of GRANTS) {
    const id = roleId.get(role);
    if (!id) continue;
    const existing = (await queryRunner.query('SELECT id FROM role_privilege WHERE roleId = ? AND entity = ? AND privilege = ?', [id, entity, privilege])) as unknown[];
    if (existing.length > 0) continue;
    await queryRunner.query('INSERT INTO role_privilege (id, roleId, entity, privilege, depth) VALUES (?, ?, ?, ?, ?)', [randomUUID(), id, entity, privilege, depth]);
  }
}
