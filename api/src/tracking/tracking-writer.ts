import { In, type EntityManager } from 'typeorm';
import type { ActivityEvents } from '../activities/activity-events';
import { ActivityState, PRIVACY_RANK } from '../activities/activity-enums';
import { ActivityMailbox } from '../activities/activity-mailbox.entity';
import type { ActivityWriter } from '../activities/activity-writer';
import { Activity } from '../activities/activity.entity';
import { Attachment } from '../activities/attachment.entity';
import { EmailMessage } from '../activities/email-message.entity';
import { SEND_TRANSITIONS } from '../activities/email-send-state';
import type { BlobStore } from '../attachments/blob-store';
import { toGlobalId } from '../common/global-id';
import { newId } from '../common/ids';
import { insertChunked } from '../db/insert-chunked';
import { AlertSeverity } from '../mail/mail-enums';
import { recordAlert } from '../mail/mailbox-alerts';
import { MailboxItem } from '../mail/mailbox-item.entity';
import type { Mailbox } from '../mail/mailbox.entity';
import { QuarantinedMessage } from '../mail/quarantined-message.entity';
import { SendMetricOutcome } from '../mail/sync-metric-event.entity';
import { recordSendOutcome } from '../mail/sync-metric-events';
import type { Clock } from '../platform/clock';
import { storeSmallBlobs } from './body-blobs';
import { MeetingInvites, type InviteContext, type InviteRequest, type PreparedInvite } from './meeting-invites';
import type { PreparedItem } from './prepare-item';
import { MailRecordSteps, type RecordStepsContext } from './record-steps';
import type { RecordRef } from './rules/correlation';
import type { QuarantineInput } from './track-emails.inputs';
import type { TrackingFacts } from './tracking-facts';
import type { TrackingPlan } from './tracking-plan';
import { changeActivities } from '../activities/timeline-copies';

/** An activity changed besides the tracked ones (an appointment from an invitation, an UNCERTAIN email found sent). */
export interface OtherChange {
  readonly activityId: string;
  readonly type: 'ACTIVITY_CREATED' | 'ACTIVITY_UPDATED';
}

/**
 * Applies a tracking plan inside the batch's transaction, and writes what follows from it: invitations,
 * emails found sent, quarantine lines and the live events. Statements per batch stay few and fixed:
 * rows go in multi-row INSERTs (insertChunked).
 */
export class TrackingWriter {
  private readonly invites: MeetingInvites;

  constructor(
    private readonly activities: ActivityWriter,
    private readonly events: ActivityEvents,
    private readonly blobs: BlobStore,
    private readonly clock: Clock,
  ) {
    this.invites = new MeetingInvites(activities);
  }

  /** The stored size of each blob that is in the store (before the transaction: attachments are uploaded first). */
  storedSizes(sha256s: readonly string[]): Promise<Map<string, number>> {
    return sha256s.length ? this.blobs.sizes(sha256s) : Promise.resolve(new Map());
  }

  /** One PROGRESS event per batch (cursor, lastBatchAt, counts, quarantine): the alert lines it writes yield to it. */
  progress(em: EntityManager, mailboxId: string): Promise<void> {
    return this.events.log.stage(em, { topic: 'MAILBOX', mailboxId, change: 'PROGRESS' });
  }

  recordSteps(em: EntityManager, facts: TrackingFacts, ctx: RecordStepsContext): MailRecordSteps {
    return new MailRecordSteps(em, this.events.log, facts, ctx);
  }

  /** The plan's rows; returns the linked emails this mailbox already carried. */
  async write(em: EntityManager, plan: TrackingPlan, mailbox: Mailbox): Promise<ReadonlySet<string>> {
    // Bodies: content-addressed blobs written in this transaction (untracked mail stores nothing).
    // Attachments sent inside their items go the same way, in the same statements.
    const contents = [...plan.bodies.flatMap((b) => [b.text, b.html].filter((c): c is Buffer => c !== null)), ...plan.attachmentContents.map((a) => a.content)];
    const shas = await storeSmallBlobs(em, contents, this.clock());
    let next = 0;
    for (const b of plan.bodies) {
      if (b.text) b.row.textBodyBlob = shas[next++];
      if (b.html) b.row.htmlBodyBlob = shas[next++];
    }
    for (const a of plan.attachmentContents) a.row.blobSha256 = shas[next++];
    await this.activities.insert(em, plan.activities);
    await insertChunked(em, EmailMessage, plan.emails);
    await insertChunked(em, Attachment, plan.attachments);
    const alreadyLinked = plan.linkedExisting.length
      ? new Set((await em.findBy(ActivityMailbox, { mailboxId: mailbox.id, activityId: In(plan.linkedExisting) })).map((l) => l.activityId))
      : new Set<string>();
    await insertChunked(em, ActivityMailbox, plan.links.filter((l) => !alreadyLinked.has(l.activityId)));
    await this.raiseVisibility(em, plan.linkedExisting, mailbox);
    await insertChunked(em, MailboxItem, plan.ledger);
    return alreadyLinked;
  }

  /** Stages the batch's activity changes: tracked, other changes, and linked emails whose visibility may have opened up. */
  stageChanges(em: EntityManager, plan: TrackingPlan, changes: readonly OtherChange[], alreadyLinked: ReadonlySet<string>): Promise<void> {
    const changedIds = new Set([...plan.tracked, ...changes.map((c) => c.activityId)]);
    return this.events.stageMany(em, [
      ...plan.tracked.map((activityId) => ({ change: 'TRACKED' as const, activityId })),
      ...changes.map((c) => ({ change: c.type === 'ACTIVITY_CREATED' ? ('CREATED' as const) : ('UPDATED' as const), activityId: c.activityId })),
      ...plan.linkedExisting.filter((id) => !changedIds.has(id) && !alreadyLinked.has(id)).map((activityId) => ({ change: 'UPDATED' as const, activityId })),
    ]);
  }

  /**
   * An email the hub sent that went UNCERTAIN (the engine went quiet after handing it to the server) and now
   * shows up in its sender's own mailbox (the Sent copy, or a server that files sent mail itself) was delivered:
   * SENT, the FOUND_IN_SENT transition of email-send-state.ts, without anyone sending it again.
   */
  async settleUncertain(em: EntityManager, linked: readonly string[], mailboxId: string, now: Date): Promise<OtherChange[]> {
    if (!linked.length) return [];
    const uncertain = await em.find(EmailMessage, {
      where: { activityId: In([...linked]), status: SEND_TRANSITIONS.FOUND_IN_SENT.from[0], senderMailboxId: mailboxId },
      select: { activityId: true, sentAt: true },
    });
    for (const email of uncertain) {
      const sentAt = email.sentAt ?? now;
      await em.update(
        EmailMessage,
        { activityId: email.activityId, status: SEND_TRANSITIONS.FOUND_IN_SENT.from[0] },
        { status: SEND_TRANSITIONS.FOUND_IN_SENT.to, sentAt, failureReason: null, sendLeaseId: null, sendLeaseUntil: null },
      );
      // As when the engine reports it sent: the activity is done, dated when it went out.
      await changeActivities(em, email.activityId, { state: ActivityState.COMPLETED, occurredAt: sentAt, updatedAt: now });
      await recordSendOutcome(em, email.activityId, SendMetricOutcome.SENT, now);
    }
    return uncertain.map((e) => ({ activityId: e.activityId, type: 'ACTIVITY_UPDATED' as const }));
  }

  /** Meeting invitations of kept emails become or change Appointments (meeting-invites.ts); filtered and rejected mail changes nothing. */
  async applyInvites(em: EntityManager, ctx: InviteContext, invites: ReadonlyMap<number, PreparedInvite>, items: readonly PreparedItem[], plan: TrackingPlan): Promise<OtherChange[]> {
    const withInvite = items.filter((i) => invites.has(i.index) && plan.kept.has(i.index));
    if (!withInvite.length) return [];
    // An email seen before: its invitation regards what the email regards now.
    const duplicateIds = withInvite.map((i) => plan.kept.get(i.index)!).flatMap((k) => ('duplicateOf' in k ? [k.duplicateOf] : []));
    const earlier = duplicateIds.length
      ? new Map((await em.find(Activity, { where: { id: In(duplicateIds) }, select: { id: true, regardingKind: true, regardingId: true } })).map((a) => [a.id, a]))
      : new Map<string, Activity>();
    const requests: InviteRequest[] = withInvite.map((item) => {
      const k = plan.kept.get(item.index)!;
      let regarding: RecordRef | null;
      if ('duplicateOf' in k) {
        const a = earlier.get(k.duplicateOf);
        regarding = a?.regardingKind && a.regardingId ? ({ kind: a.regardingKind, id: a.regardingId } as RecordRef) : null;
      } else {
        regarding = k.regarding;
      }
      return { index: item.index, invite: invites.get(item.index)!, regarding, subject: item.subject };
    });
    const outcomes = await this.invites.apply(em, ctx, requests);
    const appointments: OtherChange[] = [];
    for (const outcome of outcomes) {
      const result = plan.results.find((r) => r.index === outcome.index)!;
      result.appointmentId = outcome.appointmentId ? toGlobalId('Appointment', outcome.appointmentId) : null;
      if (outcome.note) {
        result.salvaged = [...result.salvaged, `INVALID_CALENDAR: ${outcome.note}`];
        // Kept with the email too, beside the repairs prepare-item made (a replayed email keeps what it has).
        const row = plan.newEmails.get(outcome.index);
        if (row) {
          const salvage = [...(row.salvage ? (JSON.parse(row.salvage) as unknown[]) : []), { code: 'INVALID_CALENDAR', detail: outcome.note }];
          await em.update(EmailMessage, { activityId: row.activityId }, { salvage: JSON.stringify(salvage) });
        }
      }
      if (outcome.change && outcome.appointmentId && !appointments.some((a) => a.activityId === outcome.appointmentId)) {
        appointments.push({ activityId: outcome.appointmentId, type: outcome.change });
      }
    }
    return appointments;
  }

  /** Messages the engine could not track, recorded once per sourceRef with a warning line each in the alert log; returns how many are new. */
  async quarantine(em: EntityManager, mailboxId: string, entries: readonly QuarantineInput[], now: Date): Promise<number> {
    if (!entries.length) return 0;
    let added = 0;
    const refs = [...new Set(entries.map((q) => q.sourceRef))];
    const known = new Set((await em.find(QuarantinedMessage, { where: { mailboxId, sourceRef: In(refs) }, select: { sourceRef: true } })).map((q) => q.sourceRef));
    for (const q of entries) {
      if (known.has(q.sourceRef)) continue;
      known.add(q.sourceRef);
      const row = {
        id: newId(),
        mailboxId,
        sourceRef: q.sourceRef,
        folder: clip(q.folder, 255),
        code: q.code.trim().slice(0, 48),
        reason: clip(q.reason, 2000) ?? 'no reason given',
        messageId: clip(q.messageId, 998),
        subject: clip(q.subject, 400),
        fromAddress: clip(q.fromAddress, 320),
        size: Number.isInteger(q.size) && q.size! >= 0 ? q.size! : null,
        quarantinedAt: now,
      };
      await em.insert(QuarantinedMessage, row);
      added++;
      const what = `${row.subject ? `"${row.subject}"` : 'a message without subject'}${row.fromAddress ? ` from ${row.fromAddress}` : ''}`;
      await recordAlert(em, this.events.log, mailboxId, AlertSeverity.WARNING, 'MESSAGE_QUARANTINED', `Quarantined ${what} (${row.code}): ${row.reason}. The rest of the mailbox keeps syncing.`, this.clock);
    }
    return added;
  }

  /** An email linked to one more mailbox is as visible as the most open of them. */
  private async raiseVisibility(em: EntityManager, activityIds: readonly string[], mailbox: Mailbox): Promise<void> {
    if (!activityIds.length) return;
    const rows = await em.find(Activity, { where: { id: In([...activityIds]) }, select: { id: true, visibility: true } });
    const lower = rows.filter((r) => PRIVACY_RANK[r.visibility] < PRIVACY_RANK[mailbox.privacyLevel]).map((r) => r.id);
    if (lower.length) await changeActivities(em, lower, { visibility: mailbox.privacyLevel });
  }
}

const clip = (text: string | null | undefined, max: number): string | null => {
  const trimmed = text?.trim();
  return trimmed ? [...trimmed].slice(0, max).join('') : null;
};
