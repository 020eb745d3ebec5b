import { AccessEntity, Depth, Privilege, SECURED_FIELDS } from './privileges';

/** A role as data: what a fresh organization starts with. Administrators may change roles later. */
export interface RoleDefinition {
  readonly name: string;
  readonly description: string;
  readonly privileges: readonly { entity: AccessEntity; privilege: Privilege; depth: Depth }[];
  /** Secured fields (SECURED_FIELDS) this role may read and update. */
  readonly securedFields: 'all' | 'none';
}

const RECORDS = [AccessEntity.ACCOUNT, AccessEntity.CONTACT, AccessEntity.LEAD, AccessEntity.OPPORTUNITY, AccessEntity.CASE];
const ALL_PRIVILEGES = Object.values(Privilege);

const grant = (entities: readonly AccessEntity[], privileges: readonly Privilege[], depth: Depth) =>
  entities.flatMap((entity) => privileges.map((privilege) => ({ entity, privilege, depth })));

export const SYSTEM_ADMINISTRATOR = 'System Administrator';
export const SALES_MANAGER = 'Sales Manager';
export const SALESPERSON = 'Salesperson';
export const SYNC_SERVICE = 'Sync Service';

export const SYSTEM_ROLES: readonly RoleDefinition[] = [
  {
    name: SYSTEM_ADMINISTRATOR,
    description: 'Everything, everywhere in the organization.',
    // Not MAIL_SYNC: administrators configure mail, the sync engine's key alone feeds it.
    privileges: grant(Object.values(AccessEntity).filter((e) => e !== AccessEntity.MAIL_SYNC), ALL_PRIVILEGES, Depth.ORGANIZATION),
    securedFields: 'all',
  },
  {
    name: SALES_MANAGER,
    description: 'Every record of the manager’s business unit.',
    privileges: [
      ...grant([...RECORDS, AccessEntity.ACTIVITY], ALL_PRIVILEGES, Depth.BUSINESS_UNIT),
      ...grant([AccessEntity.USER, AccessEntity.BUSINESS_UNIT, AccessEntity.QUEUE], [Privilege.READ], Depth.ORGANIZATION),
    ],
    securedFields: 'all',
  },
  {
    name: SALESPERSON,
    description: 'Reads the business unit’s records; changes, deletes, assigns and shares only their own.',
    privileges: [
      ...grant([...RECORDS, AccessEntity.ACTIVITY], [Privilege.READ, Privilege.APPEND_TO], Depth.BUSINESS_UNIT),
      ...grant([...RECORDS, AccessEntity.ACTIVITY], [Privilege.CREATE, Privilege.WRITE, Privilege.DELETE, Privilege.APPEND, Privilege.ASSIGN, Privilege.SHARE], Depth.USER),
      ...grant([AccessEntity.USER, AccessEntity.BUSINESS_UNIT, AccessEntity.QUEUE], [Privilege.READ], Depth.ORGANIZATION),
    ],
    securedFields: 'all',
  },
  {
    name: SYNC_SERVICE,
    description: 'The sync engine’s service account: tracks mail and sends what users queued; deletes nothing, sees no phone numbers.',
    // Tracking decides on its own (contacts and cases it creates for mail are its work, not the key's):
    // through the API the key reads who is who and feeds mail, nothing more.
    privileges: [
      ...grant(
        [AccessEntity.ACCOUNT, AccessEntity.CONTACT, AccessEntity.LEAD, AccessEntity.USER, AccessEntity.BUSINESS_UNIT, AccessEntity.QUEUE],
        [Privilege.READ],
        Depth.ORGANIZATION,
      ),
      ...grant([AccessEntity.ACTIVITY], [Privilege.READ], Depth.ORGANIZATION),
      ...grant([AccessEntity.MAILBOX], [Privilege.READ, Privilege.WRITE], Depth.ORGANIZATION),
      ...grant([AccessEntity.MAIL_SYNC], [Privilege.WRITE], Depth.ORGANIZATION),
    ],
    securedFields: 'none',
  },
];

export const securedFieldList = (): { entity: AccessEntity; field: string }[] =>
  Object.entries(SECURED_FIELDS).flatMap(([entity, fields]) => fields.map((field) => ({ entity: entity as AccessEntity, field })));
