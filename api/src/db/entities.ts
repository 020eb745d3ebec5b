import { RecordShare } from '../access/record-share.entity';
import { RoleFieldPermission, RolePrivilege, SecurityRole, UserRole } from '../access/security-role.entity';
import { ApiKey } from '../identity/api-key.entity';
import { AuthSession } from '../identity/auth-session.entity';
import { BusinessUnit } from '../identity/business-unit.entity';
import { User } from '../identity/user.entity';
import { Account } from '../records/account.entity';
import { CrmCase } from '../records/case.entity';
import { Contact } from '../records/contact.entity';
import { EmailAddress } from '../records/email-address.entity';
import { Lead } from '../records/lead.entity';
import { Opportunity } from '../records/opportunity.entity';

/** Every table the api owns; migrations must create exactly these (a test checks). */
export const ENTITIES = [
  BusinessUnit,
  User,
  AuthSession,
  ApiKey,
  SecurityRole,
  RolePrivilege,
  RoleFieldPermission,
  UserRole,
  RecordShare,
  Account,
  Contact,
  Lead,
  Opportunity,
  CrmCase,
  EmailAddress,
];
