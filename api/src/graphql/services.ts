import type { DataSource } from 'typeorm';
import type { ActivityEvents } from '../activities/activity-events';
import type { ActivitySearchService } from '../activities/activity-search.service';
import type { ActivityWriter } from '../activities/activity-writer';
import type { ActivityService } from '../activities/activity.service';
import type { EmailComposerService } from '../activities/email-composer.service';
import type { OutgoingEmailActionsService } from '../activities/outgoing-email-actions.service';
import type { OutgoingSendQueueService } from '../activities/outgoing-send-queue.service';
import type { TimelineService } from '../activities/timeline.service';
import type { BlobStore } from '../attachments/blob-store';
import type { BlobUploads } from '../attachments/blob-uploads';
import type { CredentialCipher } from '../mail/credential-cipher';
import type { EmailSettingsService } from '../mail/email-settings.service';
import type { EmailServerProfileService } from '../mail/email-server-profile.service';
import type { MailboxConfigService } from '../mail/mailbox-config.service';
import type { MailboxSyncService } from '../mail/mailbox-sync.service';
import type { MailboxWatchService } from '../mail/mailbox-watch.service';
import type { MailboxService } from '../mail/mailbox.service';
import type { SyncMetricsService } from '../mail/sync-metrics.service';
import type { QueueService } from '../queues/queue.service';
import type { TrackingService } from '../tracking/tracking.service';
import type { CalendarSyncService } from '../tracking/calendar-sync.service';
import type { TaskSyncService } from '../tracking/exchange-tasks/task-sync.service';
import type { ContactSyncService } from '../tracking/exchange-contacts/contact-sync.service';
import type { LiveBus } from '../live/live-bus';
import type { LiveEventLog } from '../live/live-event-log';
import type { LiveSubscriptions } from '../live/live-subscriptions';
import type { LiveTail } from '../live/live-tail';
import type { SecurityRoleService } from '../access/security-role.service';
import type { AuthService } from '../identity/auth.service';
import type { IdentityService } from '../identity/identity.service';
import type { AccountService } from '../records/account.service';
import type { CaseService } from '../records/case.service';
import type { ContactService } from '../records/contact.service';
import type { LeadService } from '../records/lead.service';
import type { LeadQualification } from '../records/lead-qualification';
import type { OpportunityService } from '../records/opportunity.service';
import type { RecordWriter, RecordStores } from '../records/record-writer';

/** The api's services, built once per process over one database. */
export interface Services {
  readonly db: DataSource;
  readonly auth: AuthService;
  readonly identity: IdentityService;
  readonly roles: SecurityRoleService;
  readonly stores: RecordStores;
  readonly writer: RecordWriter;
  readonly accounts: AccountService;
  readonly contacts: ContactService;
  readonly leads: LeadService;
  readonly leadQualification: LeadQualification;
  /** The organization's base currency (BASE_CURRENCY). */
  readonly baseCurrency: string;
  readonly opportunities: OpportunityService;
  readonly cases: CaseService;
  readonly blobs: BlobStore;
  /** People's uploads through PUT /blobs: their quota and how long an unreferenced blob is kept. */
  readonly blobUploads: BlobUploads;
  readonly activityWriter: ActivityWriter;
  readonly events: ActivityEvents;
  /** The live event outbox: services stage changes in their transactions; subscriptions read them in commit order. */
  readonly liveEvents: LiveEventLog;
  /** How this process hears of events other processes committed (Redis with REDIS_URL). */
  readonly bus: LiveBus;
  /** Follows the outbox in commit order for this process's subscriptions; started by startApi. */
  readonly liveTail: LiveTail;
  readonly live: LiveSubscriptions;
  readonly tracking: TrackingService;
  readonly calendarSync: CalendarSyncService;
  readonly taskSync: TaskSyncService;
  readonly contactSync: ContactSyncService;
  readonly timeline: TimelineService;
  readonly activitySearch: ActivitySearchService;
  readonly emailSettings: EmailSettingsService;
  readonly mailboxes: MailboxService;
  readonly queues: QueueService;
  readonly activities: ActivityService;
  /** Users compose email in the hub (sendEmail): queued as PENDING_SEND. */
  readonly emailComposer: EmailComposerService;
  /** The sync engines' side of outgoing email: claims under a lease and their reports. */
  readonly sendQueue: OutgoingSendQueueService;
  /** The sender's retry and cancel of their own queued email. */
  readonly outgoingActions: OutgoingEmailActionsService;
  /** Encrypts mail credentials at rest; decrypts them only for the sync engine's claims. */
  readonly credentials: CredentialCipher;
  /** The sync engine's mailbox claims, leases and reports. */
  readonly mailboxSync: MailboxSyncService;
  /** The sync engine's watch leases: which engine holds each mailbox's push connection. */
  readonly mailboxWatch: MailboxWatchService;
  readonly profiles: EmailServerProfileService;
  readonly mailboxConfig: MailboxConfigService;
  /** The sync dashboard's figures over time, and the prune that bounds their history. */
  readonly syncMetrics: SyncMetricsService;
}
