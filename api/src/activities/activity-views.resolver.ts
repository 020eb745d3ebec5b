import { Ctx, FieldResolver, Int, Resolver, Root, UseMiddleware } from 'type-graphql';
import { securedField } from '../access/secured-field';
import { AccessEntity, Privilege } from '../access/privileges';
import { toGlobalId, type GlobalType } from '../common/global-id';
import { principalOf, type RequestContext } from '../graphql/context';
import { mayOnActivity } from './activity-access';
import { AppointmentInstanceType, RecurrencePattern, RecurrenceWeekday, RecurrenceWeekIndex } from './appointment-recurrence.enums';
import { CorrelationMethod, EmailStatus, TaskPriority } from './activity-enums';
import { activityFieldsResolver, decisionAsSeen, visibleAs } from './activity-fields.resolver';
import { showsContent } from './activity-privacy';
import { displayHtml } from './email-display';
import { EmailRepair, repairsOf } from './email-repairs';
import { displayText } from './email-text';
import { ACTIVITY_TYPE_NAME, type Activity } from './activity.entity';
import { AppointmentRecurrenceView, AppointmentView, AttachmentView, EmailSighting, EmailView, PhoneCallView, TaskView, TrackingDecision } from './activity.types';
import { Attachment } from './attachment.entity';
import type { EmailMessage } from './email-message.entity';
import type { ActivitySyncConflict } from './activity-sync-conflict.entity';
import { AppointmentSyncConflictView, conflictView, MAX_SYNC_CONFLICTS_SHOWN, SyncConflictView, SyncedAppointmentVersion, SyncedTaskVersion } from './sync-conflict.types';
import { writtenFromCrm } from '../tracking/exchange-calendar-writes';

const taskConflictView = (row: ActivitySyncConflict) =>
  conflictView(new SyncConflictView(), row, (loser) => {
    const task = loser as Partial<SyncedTaskVersion>;
    return Object.assign(new SyncedTaskVersion(), { subject: task.subject ?? '', notes: task.notes ?? null, dueDay: task.dueDay ?? null, priority: task.priority, completed: task.completed ?? false });
  });

const appointmentConflictView = (row: ActivitySyncConflict) =>
  conflictView(new AppointmentSyncConflictView(), row, (loser) => {
    const shape = loser as { subject?: string; startAt?: string; endAt?: string; allDay?: boolean; location?: string | null; cancelled?: boolean };
    return Object.assign(new SyncedAppointmentVersion(), { subject: shape.subject ?? '', startAt: new Date(shape.startAt ?? 0), endAt: new Date(shape.endAt ?? 0), allDay: shape.allDay ?? false, location: shape.location ?? null, cancelled: shape.cancelled ?? false });
  });

/** The conflicts of an activity the caller may change, newest first; empty to whoever may not (the loser may say more than they see). */
async function syncConflictRows(ctx: RequestContext, a: Activity): Promise<ActivitySyncConflict[]> {
  if (!mayOnActivity(principalOf(ctx), Privilege.WRITE, a)) return [];
  return (await ctx.loaders.activity.syncConflicts.load(a.id)).slice(0, MAX_SYNC_CONFLICTS_SHOWN);
}

/** What GraphQL shows of a stored (or skipped) attachment. */
export function attachmentView(r: Attachment): AttachmentView {
  const globalId = toGlobalId('Attachment', r.id);
  return Object.assign(new AttachmentView(), {
    globalId,
    fileName: r.fileName,
    contentType: r.contentType,
    size: r.size,
    stored: r.blobSha256 !== null,
    sha256: r.blobSha256,
    skippedReason: r.skippedReason,
    contentId: r.contentId,
    inline: r.inline,
    downloadUrl: r.blobSha256 ? `/attachments/${globalId}` : null,
  });
}

/** An activity by the type and raw id of its global id, if it is of that type and the caller may read it. */
export async function readableActivity(ctx: RequestContext, type: GlobalType, id: string): Promise<Activity | null> {
  const activity = await ctx.loaders.activity.activities.load(id);
  if (!activity || ACTIVITY_TYPE_NAME[activity.kind] !== type) return null;
  return mayOnActivity(principalOf(ctx), Privilege.READ, activity) ? activity : null;
}

/** An attachment, if the caller may read its email and sees that email whole (privacy). */
export async function readableAttachment(ctx: RequestContext, id: string): Promise<AttachmentView | null> {
  const attachment = await ctx.services.db.getRepository(Attachment).findOneBy({ id });
  if (!attachment) return null;
  const activity = await ctx.loaders.activity.activities.load(attachment.activityId);
  if (!activity || !mayOnActivity(principalOf(ctx), Privilege.READ, activity)) return null;
  return showsContent(await visibleAs(ctx, activity)) ? attachmentView(attachment) : null;
}

async function email(ctx: RequestContext, activity: Activity): Promise<EmailMessage> {
  const row = await ctx.loaders.activity.emails.load(activity.id);
  if (!row) throw new Error(`email ${activity.id} has no email_message row`);
  return row;
}

async function fullView(ctx: RequestContext, activity: Activity): Promise<boolean> {
  return showsContent(await visibleAs(ctx, activity));
}

@Resolver(() => EmailView)
export class EmailViewResolver extends activityFieldsResolver(EmailView) {
  @FieldResolver(() => EmailStatus)
  async status(@Root() a: Activity, @Ctx() ctx: RequestContext) {
    return (await email(ctx, a)).status;
  }

  @FieldResolver(() => String)
  async messageId(@Root() a: Activity, @Ctx() ctx: RequestContext) {
    return (await email(ctx, a)).messageId;
  }

  @FieldResolver(() => String, { nullable: true })
  async inReplyTo(@Root() a: Activity, @Ctx() ctx: RequestContext) {
    return (await email(ctx, a)).inReplyTo;
  }

  @FieldResolver(() => String, { nullable: true })
  async trackingToken(@Root() a: Activity, @Ctx() ctx: RequestContext) {
    return (await email(ctx, a)).trackingToken;
  }

  @FieldResolver(() => Date, { nullable: true })
  async sentAt(@Root() a: Activity, @Ctx() ctx: RequestContext) {
    return (await email(ctx, a)).sentAt;
  }

  @FieldResolver(() => Date, { nullable: true })
  async receivedAt(@Root() a: Activity, @Ctx() ctx: RequestContext) {
    return (await email(ctx, a)).receivedAt;
  }

  @FieldResolver(() => String, { nullable: true })
  async textBody(@Root() a: Activity, @Ctx() ctx: RequestContext) {
    if (!(await fullView(ctx, a))) return null;
    return displayText(ctx.loaders.activity, await email(ctx, a));
  }

  @FieldResolver(() => String, { nullable: true })
  async htmlBody(@Root() a: Activity, @Ctx() ctx: RequestContext) {
    if (!(await fullView(ctx, a))) return null;
    return (await displayHtml(ctx.loaders.activity, await email(ctx, a)))?.html ?? null;
  }

  @FieldResolver(() => String, { nullable: true })
  async preview(@Root() a: Activity, @Ctx() ctx: RequestContext) {
    return (await fullView(ctx, a)) ? (await email(ctx, a)).preview : null;
  }

  @FieldResolver(() => Boolean)
  async bodyTruncated(@Root() a: Activity, @Ctx() ctx: RequestContext) {
    return (await email(ctx, a)).bodyTruncated;
  }

  @FieldResolver(() => Int, { description: 'Remote images the displayed HTML does not load (moved to data-remote-src).' })
  async blockedRemoteImages(@Root() a: Activity, @Ctx() ctx: RequestContext) {
    if (!(await fullView(ctx, a))) return 0;
    return (await displayHtml(ctx.loaders.activity, await email(ctx, a)))?.blockedRemoteImages ?? 0;
  }

  @FieldResolver(() => [AttachmentView])
  async attachments(@Root() a: Activity, @Ctx() ctx: RequestContext): Promise<AttachmentView[]> {
    if (!(await fullView(ctx, a))) return [];
    return (await ctx.loaders.activity.attachments.load(a.id)).map(attachmentView);
  }

  @FieldResolver(() => CorrelationMethod, { nullable: true })
  async correlationMethod(@Root() a: Activity, @Ctx() ctx: RequestContext) {
    return (await email(ctx, a)).correlationMethod;
  }

  @FieldResolver(() => TrackingDecision, { nullable: true, description: 'Null for email composed in the hub and when you do not see the whole email. Records you may not read are left out, as from every query.' })
  async trackingDecision(@Root() a: Activity, @Ctx() ctx: RequestContext): Promise<TrackingDecision | null> {
    const row = await email(ctx, a);
    if (!row.trackingDecision || !(await fullView(ctx, a))) return null;
    return decisionAsSeen(ctx, a, JSON.parse(row.trackingDecision) as TrackingDecision);
  }

  @FieldResolver(() => [EmailRepair], { description: 'What tracking repaired in the message to store it (missing Message-ID, unreadable date…), in order; empty unless you see the whole email.' })
  async repairs(@Root() a: Activity, @Ctx() ctx: RequestContext): Promise<EmailRepair[]> {
    const row = await email(ctx, a);
    if (!row.salvage || !(await fullView(ctx, a))) return [];
    return repairsOf(row.salvage);
  }

  @FieldResolver(() => String, { nullable: true })
  async failureReason(@Root() a: Activity, @Ctx() ctx: RequestContext) {
    return (await email(ctx, a)).failureReason;
  }

  @FieldResolver(() => [EmailSighting], { description: 'The mailboxes it was tracked from; empty unless you see the whole email.' })
  async seenIn(@Root() a: Activity, @Ctx() ctx: RequestContext): Promise<EmailSighting[]> {
    if (!(await fullView(ctx, a))) return [];
    return (await ctx.loaders.activity.sightings.load(a.id)).map((s) => Object.assign(new EmailSighting(), { mailboxAddress: s.address, folder: s.folder, seenAt: s.seenAt }));
  }

  @FieldResolver(() => Int)
  async sendAttempts(@Root() a: Activity, @Ctx() ctx: RequestContext) {
    return (await email(ctx, a)).sendAttempts;
  }
}

async function appointment(ctx: RequestContext, a: Activity) {
  const row = await ctx.loaders.activity.appointments.load(a.id);
  if (!row) throw new Error(`appointment ${a.id} has no detail row`);
  return row;
}

/** The owner holds the appointment as their own: made in the CRM, or a meeting, series or occurrence they organized in Outlook. */
async function ownersOwn(ctx: RequestContext, a: Activity): Promise<boolean> {
  const detail = await appointment(ctx, a);
  const entries = await ctx.loaders.activity.ownerCalendarEntries.load(a.id);
  return writtenFromCrm(detail, entries.find((e) => e.organizedHere) ?? null);
}

@Resolver(() => AppointmentView)
export class AppointmentViewResolver extends activityFieldsResolver(AppointmentView) {
  @FieldResolver(() => Date)
  async startAt(@Root() a: Activity, @Ctx() ctx: RequestContext) {
    return (await appointment(ctx, a)).startAt;
  }

  @FieldResolver(() => Date)
  async endAt(@Root() a: Activity, @Ctx() ctx: RequestContext) {
    return (await appointment(ctx, a)).endAt;
  }

  @FieldResolver(() => Boolean)
  async allDay(@Root() a: Activity, @Ctx() ctx: RequestContext) {
    return (await appointment(ctx, a)).allDay;
  }

  @FieldResolver(() => String, { nullable: true })
  async location(@Root() a: Activity, @Ctx() ctx: RequestContext) {
    return (await fullView(ctx, a)) ? (await appointment(ctx, a)).location : null;
  }

  @FieldResolver(() => Boolean, {
    description: 'A meeting someone else organizes, from an invitation or from an Exchange Calendar (a series and its occurrences too): its organizer\'s changes arrive and replace it, and changes made here stay in the CRM (they are not written to Outlook). False for one made in the CRM, and for a meeting, series or occurrence its owner organized in their Outlook, whose changes here are written to Outlook.',
  })
  async followsOrganizer(@Root() a: Activity, @Ctx() ctx: RequestContext) {
    return !(await ownersOwn(ctx, a));
  }

  @FieldResolver(() => Boolean, {
    description: 'Changes saved here are written to the owner\'s Outlook entry and Exchange sends them to the attendees, as the entry\'s invitations were sent (cancelling it sends a cancellation).',
  })
  async changesReachAttendees(@Root() a: Activity, @Ctx() ctx: RequestContext) {
    return (await ownersOwn(ctx, a)) && (await ctx.loaders.activity.ownerCalendarEntries.load(a.id)).some((e) => e.invitationsSent);
  }

  @FieldResolver(() => String, { nullable: true })
  async icalUid(@Root() a: Activity, @Ctx() ctx: RequestContext) {
    return (await appointment(ctx, a)).icalUid;
  }

  @FieldResolver(() => AppointmentRecurrenceView, { nullable: true })
  async recurrence(@Root() a: Activity, @Ctx() ctx: RequestContext): Promise<AppointmentRecurrenceView | null> {
    const row = await ctx.loaders.activity.recurrences.load(a.id);
    if (!row) return null;
    const days = row.daysOfWeek ? (row.daysOfWeek.split(',') as RecurrenceWeekday[]) : [];
    return { ...row, pattern: row.pattern as RecurrencePattern, daysOfWeek: days, weekIndex: row.weekIndex as RecurrenceWeekIndex | null, count: row.occurrenceCount };
  }

  @FieldResolver(() => AppointmentView, { nullable: true })
  async series(@Root() a: Activity, @Ctx() ctx: RequestContext): Promise<Activity | null> {
    const { seriesId } = await appointment(ctx, a);
    // As node() would: a series the caller may not read is not shown, nor that there is one.
    return seriesId ? readableActivity(ctx, 'Appointment', seriesId) : null;
  }

  @FieldResolver(() => AppointmentInstanceType, { nullable: true })
  async instanceType(@Root() a: Activity, @Ctx() ctx: RequestContext) {
    return (await appointment(ctx, a)).instanceType;
  }

  @FieldResolver(() => Date, { nullable: true })
  async originalStart(@Root() a: Activity, @Ctx() ctx: RequestContext) {
    return (await appointment(ctx, a)).originalStartAt;
  }

  @FieldResolver(() => [AppointmentSyncConflictView], {
    description: `Changes made both here and in the owner's Exchange Calendar between two syncs, newest first, at most ${MAX_SYNC_CONFLICTS_SHOWN}, each with the version that lost. Empty to whoever may not change the appointment.`,
  })
  async syncConflicts(@Root() a: Activity, @Ctx() ctx: RequestContext): Promise<AppointmentSyncConflictView[]> {
    return (await syncConflictRows(ctx, a)).map(appointmentConflictView);
  }
}

@Resolver(() => TaskView)
export class TaskViewResolver extends activityFieldsResolver(TaskView) {
  @FieldResolver(() => Date, { nullable: true })
  async dueAt(@Root() a: Activity, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.activity.tasks.load(a.id))?.dueAt ?? null;
  }

  @FieldResolver(() => Date, { nullable: true })
  async scheduledStartAt(@Root() a: Activity, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.activity.tasks.load(a.id))?.startAt ?? null;
  }

  @FieldResolver(() => Int)
  async percentComplete(@Root() a: Activity, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.activity.tasks.load(a.id))?.percentComplete ?? 0;
  }

  @FieldResolver(() => TaskPriority)
  async priority(@Root() a: Activity, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.activity.tasks.load(a.id))?.priority ?? TaskPriority.NORMAL;
  }

  @FieldResolver(() => [SyncConflictView], {
    description: `Changes made both here and in the owner's Exchange Tasks between two syncs, newest first, at most ${MAX_SYNC_CONFLICTS_SHOWN}, each with the version that lost. Empty to whoever may not change the task.`,
  })
  async syncConflicts(@Root() a: Activity, @Ctx() ctx: RequestContext): Promise<SyncConflictView[]> {
    return (await syncConflictRows(ctx, a)).map(taskConflictView);
  }
}

@Resolver(() => PhoneCallView)
export class PhoneCallViewResolver extends activityFieldsResolver(PhoneCallView) {
  @FieldResolver(() => String, { nullable: true, description: 'A secured field (ACTIVITY.phoneNumber): null without a role\'s field permission to read it.' })
  @UseMiddleware(securedField(AccessEntity.ACTIVITY))
  async phoneNumber(@Root() a: Activity, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.activity.phoneCalls.load(a.id))?.phoneNumber ?? null;
  }

  @FieldResolver(() => Int, { nullable: true })
  async durationMinutes(@Root() a: Activity, @Ctx() ctx: RequestContext) {
    return (await ctx.loaders.activity.phoneCalls.load(a.id))?.durationMinutes ?? null;
  }
}
