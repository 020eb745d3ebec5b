import { registerEnumType } from 'type-graphql';
import { TrackingFilter } from '../tracking/rules/tracking-filter';

export { TrackingFilter };

export enum MailboxOwnerKind {
  USER = 'USER',
  QUEUE = 'QUEUE',
}

/** Records created for a sender no record matches (off by default, as in Dynamics). */
export enum AutoCreateRecords {
  NONE = 'NONE',
  CONTACT = 'CONTACT',
  LEAD = 'LEAD',
}

registerEnumType(TrackingFilter, {
  name: 'TrackingFilter',
  description: 'Which email a mailbox tracks (Dynamics\' personal option "Track"); RESPONSES_TO_CRM_EMAIL is the default.',
});
registerEnumType(MailboxOwnerKind, { name: 'MailboxOwnerKind' });
registerEnumType(AutoCreateRecords, { name: 'AutoCreateRecords' });
