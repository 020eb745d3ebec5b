import { Arg, Args, Ctx, ID, Mutation, Resolver } from 'type-graphql';
import { principalOf, type RequestContext } from '../graphql/context';
import { CalendarEventResult, CalendarWrite, ClaimCalendarWritesArgs, ReportCalendarWritesArgs, SyncMailboxCalendarArgs } from './calendar-sync.inputs';
import { ContactSyncResult, ContactWrite, ReportContactWritesArgs, SyncMailboxContactsArgs } from './exchange-contacts/contact-sync.inputs';
import { ReportTaskWritesArgs, SyncMailboxTasksArgs, TaskSyncResult, TaskWrite } from './exchange-tasks/task-sync.inputs';
import { ClaimExchangeWritesArgs } from './exchange-writes.inputs';
import { TrackEmailsInput, TrackEmailsResult } from './track-emails.inputs';

@Resolver()
export class TrackingResolver {
  @Mutation(() => TrackEmailsResult, {
    description:
      'The sync engine only: tracks a batch of messages from one mailbox and moves its cursor, in one transaction. Idempotent: a replayed batch reports DUPLICATE items and changes nothing.',
  })
  trackEmails(@Arg('mailboxId', () => ID) mailboxId: string, @Arg('input') input: TrackEmailsInput, @Ctx() ctx: RequestContext): Promise<TrackEmailsResult> {
    return ctx.services.tracking.trackEmails(principalOf(ctx), mailboxId, input);
  }

  @Mutation(() => [CalendarEventResult], {
    description:
      'The sync engine only, under the mailbox\'s lease: appointments from the mailbox\'s Exchange Calendar become or change Appointments keyed by their UID (as meeting invitations in mail do), with the cursor, in one transaction. A meeting enters the CRM when its organizer or an attendee other than the mailbox\'s owner is a contact, account or lead; one already in the CRM follows every change. An appointment made in the CRM and changed both there and in Outlook since they last agreed goes to the later change, and the losing version is kept in Appointment.syncConflicts. Recurring series come as series: the series is an Appointment holding its rule, each occurrence in the window an Appointment of its own linked to it (Appointment.series); an occurrence the list lacks in its window is cancelled, as are all of a cancelled series. One result per event, in order (none for deleted ids), then one per series.',
  })
  syncMailboxCalendar(@Args() { mailboxId, leaseId, events, deletedItemIds, cursor, series }: SyncMailboxCalendarArgs, @Ctx() ctx: RequestContext): Promise<CalendarEventResult[]> {
    return ctx.services.calendarSync.sync(principalOf(ctx), mailboxId, leaseId, events, deletedItemIds, cursor ?? null, series);
  }

  @Mutation(() => [CalendarWrite], {
    description:
      'The sync engine only, under the mailbox\'s lease: the appointments of the mailbox\'s owner made or changed in the CRM that its Exchange Calendar does not show yet (made in the CRM, ending in the last 30 days or later; cancelled ones already written, to be removed). Gives a new one its UID. Report them with reportCalendarWrites once written.',
  })
  claimCalendarWrites(@Args() { mailboxId, leaseId, first }: ClaimCalendarWritesArgs, @Ctx() ctx: RequestContext): Promise<CalendarWrite[]> {
    return ctx.services.calendarSync.claimWrites(principalOf(ctx), mailboxId, leaseId, first);
  }

  @Mutation(() => Boolean, { description: 'The sync engine only, under the mailbox\'s lease: these appointments are now in the Exchange Calendar as claimCalendarWrites gave them (or removed from it).' })
  reportCalendarWrites(@Args() { mailboxId, leaseId, writes }: ReportCalendarWritesArgs, @Ctx() ctx: RequestContext): Promise<boolean> {
    return ctx.services.calendarSync.reportWrites(principalOf(ctx), mailboxId, leaseId, writes);
  }

  @Mutation(() => [TaskSyncResult], {
    description:
      'The sync engine only, under the mailbox\'s lease: tasks from the mailbox\'s Exchange Tasks folder, with the cursor, in one transaction. A linked task takes Exchange\'s change, or, changed on both sides, the later change wins and the losing version is kept in Task.syncConflicts; an unlinked one enters the CRM only with the Outlook category "Tracked to CRM". A task deleted in Outlook is cancelled in the CRM if it was open and unchanged here. One result per task, then per deleted id the hub knew.',
  })
  syncMailboxTasks(@Args() { mailboxId, leaseId, tasks, deletedItemIds, cursor }: SyncMailboxTasksArgs, @Ctx() ctx: RequestContext): Promise<TaskSyncResult[]> {
    return ctx.services.taskSync.sync(principalOf(ctx), mailboxId, leaseId, tasks, deletedItemIds, cursor ?? null);
  }

  @Mutation(() => [TaskWrite], {
    description:
      'The sync engine only, under the mailbox\'s lease: the owner\'s tasks that the Exchange Tasks folder does not show as they are (changed since they last agreed; open and never written, due in the last 30 days or later; cancelled, to remove). Report them with reportTaskWrites once written.',
  })
  claimTaskWrites(@Args() { mailboxId, leaseId, first }: ClaimExchangeWritesArgs, @Ctx() ctx: RequestContext): Promise<TaskWrite[]> {
    return ctx.services.taskSync.claimWrites(principalOf(ctx), mailboxId, leaseId, first);
  }

  @Mutation(() => Boolean, { description: 'The sync engine only, under the mailbox\'s lease: these tasks are now in the Exchange Tasks folder as claimTaskWrites gave them (or removed from it). A write held back because Exchange held a newer version is not reported: the next read settles it.' })
  reportTaskWrites(@Args() { mailboxId, leaseId, writes }: ReportTaskWritesArgs, @Ctx() ctx: RequestContext): Promise<boolean> {
    return ctx.services.taskSync.reportWrites(principalOf(ctx), mailboxId, leaseId, writes);
  }

  @Mutation(() => [ContactSyncResult], {
    description:
      'The sync engine only, under the mailbox\'s lease: contacts from the mailbox\'s Exchange Contacts folder, with the cursor, in one transaction. A contact the user marked "Tracked to CRM" in Outlook creates a CRM contact owned by the mailbox\'s owner, or is paired with one that has one of its addresses; a paired one passes on its changes (what Outlook holds replaces, what it leaves empty stays, addresses are added), or, changed on both sides, the later change wins. The hub acts with the owner\'s roles. A contact deleted in Outlook, or whose mark was taken off, is only unpaired and not written there again. One result per contact, then per deleted id the hub knew.',
  })
  syncMailboxContacts(@Args() { mailboxId, leaseId, contacts, deletedItemIds, cursor }: SyncMailboxContactsArgs, @Ctx() ctx: RequestContext): Promise<ContactSyncResult[]> {
    return ctx.services.contactSync.sync(principalOf(ctx), mailboxId, leaseId, contacts, deletedItemIds, cursor ?? null);
  }

  @Mutation(() => [ContactWrite], {
    description:
      'The sync engine only, under the mailbox\'s lease: the CRM contacts the Exchange Contacts folder does not show as they are: the owner\'s active contacts never written there, paired ones changed since they last agreed, and paired ones to release (deactivated or deleted in the CRM, or no longer readable by the owner). Only what the owner may read. Report them with reportContactWrites once written.',
  })
  claimContactWrites(@Args() { mailboxId, leaseId, first }: ClaimExchangeWritesArgs, @Ctx() ctx: RequestContext): Promise<ContactWrite[]> {
    return ctx.services.contactSync.claimWrites(principalOf(ctx), mailboxId, leaseId, first);
  }

  @Mutation(() => Boolean, { description: 'The sync engine only, under the mailbox\'s lease: these contacts are now in the Exchange Contacts folder as claimContactWrites gave them (itemId null: released, or gone from Outlook, and not written there again). A write held back because Outlook held a newer version is not reported: the next read settles it.' })
  reportContactWrites(@Args() { mailboxId, leaseId, writes }: ReportContactWritesArgs, @Ctx() ctx: RequestContext): Promise<boolean> {
    return ctx.services.contactSync.reportWrites(principalOf(ctx), mailboxId, leaseId, writes);
  }
}
