import { AccessEntity } from '../access/privileges';
import type { GlobalType } from '../common/global-id';

/** The CRM record types that users own, share and attach activities to. */
export type RecordKind = 'account' | 'contact' | 'lead' | 'opportunity' | 'case';

export const RECORD_GLOBAL_TYPE: Record<RecordKind, GlobalType> = {
  account: 'Account',
  contact: 'Contact',
  lead: 'Lead',
  opportunity: 'Opportunity',
  case: 'Case',
};

export const RECORD_ACCESS_ENTITY: Record<RecordKind, AccessEntity> = {
  account: AccessEntity.ACCOUNT,
  contact: AccessEntity.CONTACT,
  lead: AccessEntity.LEAD,
  opportunity: AccessEntity.OPPORTUNITY,
  case: AccessEntity.CASE,
};

export const kindOfGlobalType = (type: GlobalType): RecordKind | undefined =>
  (Object.keys(RECORD_GLOBAL_TYPE) as RecordKind[]).find((kind) => RECORD_GLOBAL_TYPE[kind] === type);
