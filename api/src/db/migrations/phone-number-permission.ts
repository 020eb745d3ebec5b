import type { QueryRunner } from 'typeorm';
import { newId } from '../../common/ids';

// Data step shared by both databases' migration: a logged call's phone number became a secured
// field (ACTIVITY.phoneNumber). Roles that could use a record's telephone numbers keep seeing the
// numbers of calls; roles that could not (the Sync Service, custom roles) stop seeing them.

export async function grantPhoneNumberLikeTelephone(queryRunner: QueryRunner): Promise<void> {
  const roles = (await queryRunner.query(
    `SELECT roleId, MAX(canRead) AS canRead, MAX(canUpdate) AS canUpdate FROM role_field_permission
      WHERE entity IN ('account', 'contact', 'lead') AND field IN ('telephone', 'mobilePhone') GROUP BY roleId`,
  )) as { roleId: string; canRead: number | string | boolean; canUpdate: number | string | boolean }[];
  const flag = (v: number | string | boolean) => (Number(v) ? 1 : 0);
  for (const role of roles) {
    await queryRunner.query(`INSERT INTO role_field_permission (id, roleId, entity, field, canRead, canUpdate) VALUES (?, ?, 'activity', 'phoneNumber', ?, ?)`, [
      newId(),
      role.roleId,
      flag(role.canRead),
      flag(role.canUpdate),
    ]);
  }
}

export async function revokePhoneNumber(queryRunner: QueryRunner): Promise<void> {
  await queryRunner.query(`DELETE FROM role_field_permission WHERE entity = 'activity' AND field = 'phoneNumber'`);
}
