import path from 'node:path';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { buildSchemaSync } from 'type-graphql';
import { guardArguments } from '../common/argument-guard';
import { DateTimeISO } from './date-time-scalar';
import { plainFields } from './plain-fields';
import { syncTypeResolvers } from './sync-type-resolvers';
import { SecurityRoleResolver } from '../access/security-role.resolver';
import { ActivityPartyResolver } from '../activities/activity-fields.resolver';
import { AppointmentViewResolver, EmailViewResolver, PhoneCallViewResolver, TaskViewResolver } from '../activities/activity-views.resolver';
import { TimelineResolver } from '../activities/timeline.resolver';
import { ActivitySearchResolver } from '../activities/activity-search.resolver';
import { ActivityResolver } from '../activities/activity.resolver';
import { OutgoingEmailResolver } from '../activities/outgoing-email.resolver';
import { EmailServerProfileResolver } from '../mail/email-server-profile.resolver';
import { EmailSettingsResolver } from '../mail/email-settings.resolver';
import { MailboxConfigResolver } from '../mail/mailbox-config.resolver';
import { MailboxSyncResolver } from '../mail/mailbox-sync.resolver';
import { MailboxWatchResolver } from '../mail/mailbox-watch.resolver';
import { FolderTrackingRuleResolver, MailboxResolver } from '../mail/mailbox.resolver';
import { SyncMetricsResolver } from '../mail/sync-metrics.resolver';
import { QueueResolver } from '../queues/queue.resolver';
import { TrackingResolver } from '../tracking/tracking.resolver';
import { ApiKeyResolver } from '../identity/api-key.resolver';
import { AuthResolver } from '../identity/auth.resolver';
import { BusinessUnitResolver } from '../identity/business-unit.resolver';
import { OrganizationResolver } from '../identity/organization.resolver';
import { UserResolver } from '../identity/user.resolver';
import { AccountResolver } from '../records/account.resolver';
import { CaseResolver } from '../records/case.resolver';
import { ContactResolver } from '../records/contact.resolver';
import { LeadResolver } from '../records/lead.resolver';
import { OpportunityResolver } from '../records/opportunity.resolver';
import { RecordActionsResolver } from '../records/record-actions.resolver';
import { LiveResolver } from '../live/live.resolver';

export const RESOLVERS = [
  AuthResolver,
  UserResolver,
  BusinessUnitResolver,
  OrganizationResolver,
  ApiKeyResolver,
  SecurityRoleResolver,
  AccountResolver,
  ContactResolver,
  LeadResolver,
  OpportunityResolver,
  CaseResolver,
  RecordActionsResolver,
  EmailViewResolver,
  AppointmentViewResolver,
  TaskViewResolver,
  PhoneCallViewResolver,
  ActivityPartyResolver,
  TimelineResolver,
  ActivitySearchResolver,
  ActivityResolver,
  OutgoingEmailResolver,
  EmailSettingsResolver,
  MailboxResolver,
  MailboxConfigResolver,
  EmailServerProfileResolver,
  FolderTrackingRuleResolver,
  SyncMetricsResolver,
  QueueResolver,
  TrackingResolver,
  MailboxSyncResolver,
  MailboxWatchResolver,
  LiveResolver,
] as const;

/** The committed public contract: schema.graphql at the repository root. */
export const SCHEMA_FILE = path.resolve(__dirname, '..', '..', '..', 'schema.graphql');

let built: GraphQLSchema | undefined;

/** One schema object per process, shared by HTTP and (later) WebSocket transports; every argument passes guardArguments. */
export function buildApiSchema(): GraphQLSchema {
  built ??= plainFields(syncTypeResolvers(guardArguments(
    buildSchemaSync({
      resolvers: [...RESOLVERS],
      // type-graphql insists on a PubSub once there are subscriptions. Ours bring their own `subscribe`
      // (live/live.resolver.ts reads the live event log), so topic-based subscriptions are refused.
      pubSub: {
        publish: () => {
          throw new Error('topic subscriptions are not used: see live/live.resolver.ts');
        },
        subscribe: () => {
          throw new Error('topic subscriptions are not used: see live/live.resolver.ts');
        },
      },
      validate: { forbidUnknownValues: false },
      scalarsMap: [{ type: Date, scalar: DateTimeISO }],
    }),
  )));
  return built;
}

export function printApiSchema(): string {
  return `${printSchema(lexicographicSortSchema(buildApiSchema()))}\n`;
}
