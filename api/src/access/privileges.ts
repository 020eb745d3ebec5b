import { registerEnumType } from 'type-graphql';

/** What a privilege applies to: each CRM record type and the administrative objects. */
export enum AccessEntity {
  ACCOUNT = 'account',
  CONTACT = 'contact',
  LEAD = 'lead',
  OPPORTUNITY = 'opportunity',
  CASE = 'case',
  USER = 'user',
  BUSINESS_UNIT = 'business_unit',
  SECURITY_ROLE = 'security_role',
  API_KEY = 'api_key',
  /** Emails, appointments, tasks and phone calls (Dynamics' activitypointer privileges). */
  ACTIVITY = 'activity',
  QUEUE = 'queue',
  /** Mailboxes and the organization's email settings. */
  MAILBOX = 'mailbox',
  /** The sync engine's own work: track mail, claim and report outgoing email. WRITE at any depth allows it. */
  MAIL_SYNC = 'mail_sync',
}

/** Dynamics' record privileges. APPEND: attach this record to another; APPEND_TO: let others be attached to this one. */
export enum Privilege {
  CREATE = 'create',
  READ = 'read',
  WRITE = 'write',
  DELETE = 'delete',
  APPEND = 'append',
  APPEND_TO = 'append_to',
  ASSIGN = 'assign',
  SHARE = 'share',
}

/** How far a privilege reaches, in Dynamics' order; a larger depth includes every smaller one. */
export enum Depth {
  NONE = 'none',
  USER = 'user',
  BUSINESS_UNIT = 'business_unit',
  PARENT_CHILD = 'parent_child',
  ORGANIZATION = 'organization',
}

export const DEPTH_RANK: Record<Depth, number> = {
  [Depth.NONE]: 0,
  [Depth.USER]: 1,
  [Depth.BUSINESS_UNIT]: 2,
  [Depth.PARENT_CHILD]: 3,
  [Depth.ORGANIZATION]: 4,
};

export const deeper = (a: Depth, b: Depth): Depth => (DEPTH_RANK[a] >= DEPTH_RANK[b] ? a : b);

/** Privileged columns (Dynamics' column security): readable or writable only through a role's field permission. */
export const SECURED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  [AccessEntity.ACCOUNT]: ['telephone'],
  [AccessEntity.CONTACT]: ['telephone', 'mobilePhone'],
  [AccessEntity.LEAD]: ['telephone'],
  // A logged call's number is the customer's telephone number, so it is secured like theirs.
  [AccessEntity.ACTIVITY]: ['phoneNumber'],
};

registerEnumType(AccessEntity, { name: 'AccessEntity', description: 'What a security-role privilege applies to.' });
registerEnumType(Privilege, { name: 'Privilege', description: 'A record privilege, as in Dynamics 365 security roles.' });
registerEnumType(Depth, {
  name: 'AccessDepth',
  description: 'How far a privilege reaches: own records, the business unit, the unit and its children, or everything.',
});
