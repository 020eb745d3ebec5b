import type { DataSource } from 'typeorm';
import { newId } from './common/ids';
import { AccessService } from './access/access.service';
import { ActivityEvents } from './activities/activity-events';
import { ActivitySearchService } from './activities/activity-search.service';
import { ActivityWriter } from './activities/activity-writer';
import { ActivityService } from './activities/activity.service';
import { ComposedEmailWriter } from './activities/composed-email-writer';
import { EmailComposerService } from './activities/email-composer.service';
import { EmailRecipients } from './activities/email-recipients';
import { OutgoingAttachments } from './activities/outgoing-attachments';
import { EmailSendTransitions } from './activities/email-send-transitions';
import { OutgoingClaims } from './activities/outgoing-claims';
import { OutgoingEmailActionsService } from './activities/outgoing-email-actions.service';
import { OutgoingEmailPayloads } from './activities/outgoing-email-payloads';
import { OutgoingSendQueueService } from './activities/outgoing-send-queue.service';
import { TimelineService } from './activities/timeline.service';
import { BlobStore } from './attachments/blob-store';
import { blobReferences } from './activities/blob-references';
import { BlobUploads, DEFAULT_UPLOAD_POLICY, type BlobUploadPolicy } from './attachments/blob-uploads';
import { CredentialCipher } from './mail/credential-cipher';
import { EmailSettingsService } from './mail/email-settings.service';
import { EmailServerProfileService } from './mail/email-server-profile.service';
import { MailTransports } from './mail/mail-transport';
import { MailboxConfigService } from './mail/mailbox-config.service';
import { MailboxSyncService } from './mail/mailbox-sync.service';
import { MailboxWatchService } from './mail/mailbox-watch.service';
import { MailboxWorkBuilder } from './mail/mailbox-work';
import { MailboxService } from './mail/mailbox.service';
import { SyncMetricsService } from './mail/sync-metrics.service';
import { QueueService } from './queues/queue.service';
import { TrackingService } from './tracking/tracking.service';
import { CalendarSyncService } from './tracking/calendar-sync.service';
import { TaskSyncService } from './tracking/exchange-tasks/task-sync.service';
import { ContactSyncService } from './tracking/exchange-contacts/contact-sync.service';
import { TrackingWriter } from './tracking/tracking-writer';
import { InProcessBus, LIVE_CHANNELS, type LiveBus } from './live/live-bus';
import { LiveCommitHooks } from './live/live-commit-hooks';
import { LiveEventLog } from './live/live-event-log';
import { LiveFacts } from './live/live-facts';
import { ExchangeActMailboxes } from './live/exchange-act-mailboxes';
import { LiveSubscriptions, type LiveLimits } from './live/live-subscriptions';
import { DEFAULT_TAIL_OPTIONS, LiveTail, type LiveTailOptions } from './live/live-tail';
import { systemClock, type Clock } from './platform/clock';
import type { Logger } from './platform/logger';
import { SecurityRoleService } from './access/security-role.service';
import { AuthService } from './identity/auth.service';
import { IdentityService } from './identity/identity.service';
import { SignInThrottle, type SignInLimits } from './identity/sign-in-throttle';
import { Account } from './records/account.entity';
import { AccountService } from './records/account.service';
import { CrmCase } from './records/case.entity';
import { CaseService } from './records/case.service';
import { Contact } from './records/contact.entity';
import { ContactService } from './records/contact.service';
import { Lead } from './records/lead.entity';
import { LeadService } from './records/lead.service';
import { LeadQualification } from './records/lead-qualification';
import { Opportunity } from './records/opportunity.entity';
import { OpportunityService } from './records/opportunity.service';
import { RecordStore } from './records/record-store';
import { RecordWriter, type RecordChanges, type RecordStores } from './records/record-writer';

import type { Services } from './graphql/services';

/** The composition root's wiring: every service of the api, built once per process over one database. Only main.ts and test harnesses import this. */
export function createServices(
  db: DataSource,
  options: {
    sessionTtlHours: number;
    authCacheSeconds: number;
    signInLimits: SignInLimits;
    log: Logger;
    credentialKey: Buffer;
    uploads?: BlobUploadPolicy;
    bus?: LiveBus;
    tail?: LiveTailOptions;
    liveLimits?: LiveLimits;
    /** "Now" for every service that stamps or compares times; tests may fix it. */
    clock?: Clock;
    /** BASE_CURRENCY; default EUR. */
    baseCurrency?: string;
  },
): Services {
  const baseCurrency = options.baseCurrency ?? 'EUR';
  const clock = options.clock ?? systemClock;
  const throttle = new SignInThrottle(db, options.signInLimits, clock);
  const access = new AccessService(db);
  const auth = new AuthService(db, access, throttle, clock, { sessionTtlHours: options.sessionTtlHours, cacheSeconds: options.authCacheSeconds });
  const stores = {
    account: new RecordStore(db, { kind: 'account', entity: Account, nameColumn: 'name', emailEnabled: true }),
    contact: new RecordStore(db, { kind: 'contact', entity: Contact, nameColumn: 'fullName', emailEnabled: true }),
    lead: new RecordStore(db, { kind: 'lead', entity: Lead, nameColumn: 'fullName', emailEnabled: true }),
    opportunity: new RecordStore(db, { kind: 'opportunity', entity: Opportunity, nameColumn: 'name', emailEnabled: false }),
    case: new RecordStore(db, { kind: 'case', entity: CrmCase, nameColumn: 'title', emailEnabled: false }),
  };
  // RecordStore<Account> is not a RecordStore<OwnedRecord> to TypeScript (the entity class is invariant); the writer only uses OwnedRecord columns.
  const liveEvents = new LiveEventLog(db);
  // Contacts are written to their owners' Exchange: the sync engine hears of their changes (exchangeWritesDue).
  const announceContacts: RecordChanges = async (em, { kind, id, ownerId, change }) => {
    if (kind === 'contact') await liveEvents.stage(em, { topic: 'CONTACT', contactId: id, ownerId, change });
  };
  const writer = new RecordWriter(db, stores as unknown as RecordStores, clock, announceContacts);
  const blobs = new BlobStore(db, clock);
  const activityWriter = new ActivityWriter(clock);
  const bus = options.bus ?? new InProcessBus();
  const liveTail = new LiveTail(liveEvents, bus, options.log, options.tail ?? DEFAULT_TAIL_OPTIONS);
  const events = new ActivityEvents(liveEvents, liveTail);
  // Staged events are written just before COMMIT; after it, this process and the others read them.
  db.subscribers.push(new LiveCommitHooks(() => liveTail.committed(), clock));
  const mailboxes = new MailboxService(db, writer, liveEvents, clock);
  // Credential caches of every api process are dropped when access changes in one of them.
  const processId = newId();
  auth.onAccessChanged((origin) => origin === 'here' && bus.publish(LIVE_CHANNELS.access, processId));
  bus.subscribe(LIVE_CHANNELS.access, (from) => from !== processId && auth.accessChangedElsewhere());
  // The settings' shared copy is dropped in every api process when one of them changes the settings.
  const emailSettings = new EmailSettingsService(db, liveEvents, clock, () => bus.publish(LIVE_CHANNELS.settings, processId));
  bus.subscribe(LIVE_CHANNELS.settings, (from) => from !== processId && emailSettings.changedElsewhere());
  const activities = new ActivityService(db, stores as unknown as RecordStores, activityWriter, events, clock);
  const credentials = new CredentialCipher(options.credentialKey);
  const transports = new MailTransports(db, credentials, options.log, liveEvents, clock);
  const mailboxWork = new MailboxWorkBuilder(db, transports, options.log);
  // Every change of an outgoing email's status goes through these conditional UPDATEs (email-send-state.ts).
  const sendTransitions = new EmailSendTransitions(db, events, clock);
  const uploadPolicy = options.uploads ?? DEFAULT_UPLOAD_POLICY;
  return {
    db,
    auth,
    identity: new IdentityService(db, clock, () => auth.accessChanged()),
    roles: new SecurityRoleService(db, () => auth.accessChanged()),
    stores: stores as unknown as RecordStores,
    writer,
    accounts: new AccountService(stores.account, writer),
    contacts: new ContactService(stores.contact, writer),
    leads: new LeadService(stores.lead, writer),
    leadQualification: new LeadQualification(db, stores as unknown as RecordStores, writer, clock, baseCurrency),
    baseCurrency,
    opportunities: new OpportunityService(stores.opportunity, writer, baseCurrency),
    cases: new CaseService(stores.case, writer, clock),
    blobs,
    blobUploads: new BlobUploads(db, blobs, blobReferences(db), uploadPolicy, clock),
    activityWriter,
    events,
    liveEvents,
    bus,
    liveTail,
    live: new LiveSubscriptions(writer, mailboxes, { tail: liveTail, log: liveEvents, facts: new LiveFacts(db, stores as unknown as RecordStores), exchangeMailboxes: new ExchangeActMailboxes(db) }, options.liveLimits ?? { maxQueued: 1_000 }),
    tracking: new TrackingService(db, emailSettings, new TrackingWriter(activityWriter, events, blobs, clock), options.log, clock),
    calendarSync: new CalendarSyncService(db, activityWriter, events, options.log, clock),
    taskSync: new TaskSyncService(db, activityWriter, events, options.log, clock),
    contactSync: new ContactSyncService(db, writer, access, options.log, clock),
    timeline: new TimelineService(db, writer, stores as unknown as RecordStores),
    activitySearch: new ActivitySearchService(db),
    emailSettings,
    mailboxes,
    queues: new QueueService(db, liveEvents, clock),
    activities,
    emailComposer: new EmailComposerService(db, emailSettings, new EmailRecipients(db, activities), new ComposedEmailWriter(blobs, activityWriter, events, new OutgoingAttachments(db, blobs, uploadPolicy, clock)), clock),
    sendQueue: new OutgoingSendQueueService(
      db,
      new OutgoingClaims(db, emailSettings, sendTransitions, events, clock),
      new OutgoingEmailPayloads(db, blobs, transports),
      sendTransitions,
      clock,
    ),
    outgoingActions: new OutgoingEmailActionsService(db, activities, sendTransitions),
    credentials,
    mailboxSync: new MailboxSyncService(db, emailSettings, mailboxWork, liveEvents, clock),
    mailboxWatch: new MailboxWatchService(db, emailSettings, mailboxWork, clock),
    profiles: new EmailServerProfileService(db, credentials, liveEvents, clock),
    mailboxConfig: new MailboxConfigService(db, credentials, liveEvents, clock),
    syncMetrics: new SyncMetricsService(db, mailboxes, clock),
  };
}
