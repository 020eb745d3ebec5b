import { RecordShare } from '../access/record-share.entity';
import { LiveEvent, LiveEventSequence } from '../live/live-event.entity';
import { AppointmentDetail, AppointmentRecurrence, PhoneCallDetail, TaskDetail } from '../activities/activity-details.entity';
import { ActivityMailbox } from '../activities/activity-mailbox.entity';
import { ActivityParty } from '../activities/activity-party.entity';
import { Activity } from '../activities/activity.entity';
import { Attachment } from '../activities/attachment.entity';
import { EmailMessage } from '../activities/email-message.entity';
import { TimelineEntry } from '../activities/timeline-entry.entity';
import { EmailServerProfile } from '../mail/email-server-profile.entity';
import { FolderTrackingRule } from '../mail/folder-tracking-rule.entity';
import { ExchangeCalendarLink } from '../tracking/exchange-calendar-link.entity';
import { ExchangeTaskLink } from '../tracking/exchange-tasks/exchange-task-link.entity';
import { ExchangeContactLink } from '../tracking/exchange-contacts/exchange-contact-link.entity';
import { ActivitySyncConflict } from '../activities/activity-sync-conflict.entity';
import { ContactSyncConflict } from '../records/contact-sync-conflict.entity';
import { MailboxServerFolder } from '../mail/mailbox-server-folder.entity';
import { WatchEngine } from '../mail/watch-engine.entity';
import { MailboxAlert } from '../mail/mailbox-alert.entity';
import { QuarantinedMessage } from '../mail/quarantined-message.entity';
import { MailboxItem } from '../mail/mailbox-item.entity';
import { Mailbox } from '../mail/mailbox.entity';
import { SyncMetricEvent } from '../mail/sync-metric-event.entity';
import { OrganizationEmailSettings } from '../mail/organization-email-settings.entity';
import { TrackingTokenCounter } from '../mail/tracking-token-counter.entity';
import { Queue } from '../queues/queue.entity';
import { Blob, BlobChunk, BlobUpload } from '../attachments/blob.entity';
import { RoleFieldPermission, RolePrivilege, SecurityRole, UserRole } from '../access/security-role.entity';
import { ApiKey } from '../identity/api-key.entity';
import { AuthSession } from '../identity/auth-session.entity';
import { BusinessUnit } from '../identity/business-unit.entity';
import { SignInCounter } from '../identity/sign-in-counter.entity';
import { User } from '../identity/user.entity';
import { Account } from '../records/account.entity';
import { CrmCase } from '../records/case.entity';
import { Contact } from '../records/contact.entity';
import { EmailAddress } from '../records/email-address.entity';
import { Lead } from '../records/lead.entity';
import { Opportunity } from '../records/opportunity.entity';

/** Every table the api owns; migrations must create exactly these (a test checks). */
export const ENTITIES = [
  LiveEvent,
  LiveEventSequence,
  BusinessUnit,
  User,
  AuthSession,
  SignInCounter,
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
  Activity,
  TimelineEntry,
  ActivityParty,
  EmailMessage,
  AppointmentDetail,
  AppointmentRecurrence,
  TaskDetail,
  PhoneCallDetail,
  Attachment,
  ActivityMailbox,
  Mailbox,
  MailboxItem,
  EmailServerProfile,
  MailboxAlert,
  QuarantinedMessage,
  SyncMetricEvent,
  FolderTrackingRule,
  ExchangeCalendarLink,
  ExchangeTaskLink,
  ExchangeContactLink,
  ActivitySyncConflict,
  ContactSyncConflict,
  MailboxServerFolder,
  WatchEngine,
  OrganizationEmailSettings,
  TrackingTokenCounter,
  Queue,
  Blob,
  BlobChunk,
  BlobUpload,
];
