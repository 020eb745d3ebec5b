import type { EntityManager } from 'typeorm';
import { CorrelationMethod } from '../activities/activity-enums';
import type { TrackingStep } from '../activities/activity.types';
import type { LiveEventLog } from '../live/live-event-log';
import type { Clock } from '../platform/clock';
import { AlertSeverity, AutoCreateRecords } from '../mail/mail-enums';
import { recordAlertOnce } from '../mail/mailbox-alerts';
import type { Mailbox } from '../mail/mailbox.entity';
import type { Queue } from '../queues/queue.entity';
import { CaseStatus, CrmCase } from '../records/case.entity';
import type { PartyDecision } from './decide-item';
import type { PreparedItem } from './prepare-item';
import { contactFromLead, createCaseFromEmail, createContactForSender, createLeadForSender, type Ownership } from './records-for-mail';
import { caseCustomerFor, noCaseAlert, reopensCase, type NoCaseReason } from './rules/email-to-case';
import type { RecordRef } from './rules/correlation';
import type { TrackingFacts } from './tracking-facts';
import { globalIdOf, type RecordSteps, type Tracking } from './tracking-plan';

/** A queue's "could not open a case" line is repeated at most once a day per reason. */
const ALERT_REPEAT_MS = 24 * 3_600_000;

export interface RecordStepsContext {
  readonly mailbox: Mailbox;
  readonly owner: Ownership;
  /** The queue of a queue mailbox whose email-to-case rule is on; null otherwise. */
  readonly caseQueue: Queue | null;
  /** The queue of a queue mailbox (its mail creates no records for unknown senders). */
  readonly queue: Queue | null;
  readonly now: Date;
  /** Stamps the alerts the steps write, when they write them. */
  readonly clock: Clock;
}

/**
 * The record-creating steps of one batch, inside its transaction: records for an unknown sender (user
 * mailboxes; off by default) and email to case (queue mailboxes). What they create resolves for the
 * rest of the batch through the facts.
 */
export class MailRecordSteps implements RecordSteps {
  constructor(
    private readonly em: EntityManager,
    private readonly live: LiveEventLog,
    private readonly facts: TrackingFacts,
    private readonly ctx: RecordStepsContext,
  ) {}

  async apply(item: PreparedItem, tracking: Tracking): Promise<Tracking> {
    const { mailbox, owner } = this.ctx;
    const { steps, parties } = tracking;
    let { regarding, method, evidence } = tracking;
    const sender = parties.find((p) => p.role === 'FROM');
    if (item.direction === 'INCOMING' && sender && sender.resolution.resolution === 'UNRESOLVED' && mailbox.autoCreateRecords !== AutoCreateRecords.NONE && !this.ctx.queue) {
      const kind = mailbox.autoCreateRecords === AutoCreateRecords.LEAD ? 'lead' : 'contact';
      const id = kind === 'lead' ? await createLeadForSender(this.em, sender, item.subject, owner, this.ctx.now) : await createContactForSender(this.em, sender, owner, this.ctx.now);
      this.resolveCreated(parties, [sender.address], id, kind);
      steps.push({ step: 'AUTO_CREATE', outcome: 'CREATED', detail: `${kind} ${globalIdOf(kind, id)} for unknown sender ${sender.address}` });
    }
    const queue = this.ctx.caseQueue;
    if (queue && item.direction === 'INCOMING') {
      const queued = await this.applyQueueRule(queue, item, parties, regarding);
      steps.push(queued.step);
      if (queued.regarding) {
        regarding = queued.regarding;
        if (queued.created) {
          method = CorrelationMethod.QUEUE_RULE;
          evidence = `queue "${queue.name}" opened a case`;
        }
      }
    }
    return { steps, parties, regarding, method, evidence };
  }

  /** A record made during the batch carries these addresses: they resolve to it from now on, in this item's parties too. */
  private resolveCreated(parties: PartyDecision[], addresses: readonly string[], id: string, kind: 'contact' | 'lead' = 'contact'): void {
    for (const address of new Set(addresses)) {
      this.facts.addMatch(address, { kind, id });
      const resolved = this.facts.resolve(address);
      parties.forEach((p, i) => {
        if (p.address === address) parties[i] = { ...p, resolution: resolved };
      });
    }
  }

  /**
   * Dynamics' email-to-case: replies land on their case (reopened if the rule says so); a new conversation
   * opens one for its sender (rules/email-to-case.ts decides who the customer is). When it opens none, the
   * step says why and so, once per reason and day, does the queue mailbox's alert log.
   */
  private async applyQueueRule(queue: Queue, item: PreparedItem, parties: PartyDecision[], regarding: RecordRef | null): Promise<{ step: TrackingStep; regarding: RecordRef | null; created: boolean }> {
    const { em, ctx } = this;
    const owner: Ownership = { ...ctx.owner };
    if (regarding?.kind === 'case') {
      const existingCase = await em.findOneBy(CrmCase, { id: regarding.id });
      const hours = queue.reopenResolvedWithinHours;
      if (existingCase && reopensCase({ resolved: existingCase.status === CaseStatus.RESOLVED, resolvedAt: existingCase.updatedAt }, hours, ctx.now)) {
        await em.update(CrmCase, { id: existingCase.id }, { status: CaseStatus.ACTIVE, modifiedById: owner.actorId, updatedAt: ctx.now });
        return { step: { step: 'QUEUE_RULE', outcome: 'REOPENED', detail: `case ${existingCase.ticketNumber} was resolved less than ${hours} h ago` }, regarding, created: false };
      }
      return { step: { step: 'QUEUE_RULE', outcome: 'EXISTING_CASE', detail: `reply to case ${existingCase?.ticketNumber ?? regarding.id}` }, regarding, created: false };
    }
    if (regarding) return { step: { step: 'QUEUE_RULE', outcome: 'SKIPPED', detail: `already regarding a ${regarding.kind}` }, regarding, created: false };
    const sender = parties.find((p) => p.role === 'FROM') ?? null;
    const decision = caseCustomerFor(sender?.resolution ?? null, queue);
    let customer: { kind: 'contact' | 'account'; id: string };
    let made = '';
    switch (decision.action) {
      case 'NO_CASE': {
        const alert = noCaseAlert(decision.reason);
        await recordAlertOnce(em, this.live, ctx.mailbox.id, AlertSeverity[alert.severity], alert.code, alert.message, ALERT_REPEAT_MS, ctx.clock);
        return { step: { step: 'QUEUE_RULE', outcome: 'NO_CUSTOMER', detail: noCaseDetail(decision.reason, sender) }, regarding: null, created: false };
      }
      case 'CASE_FOR':
        customer = decision.customer;
        break;
      case 'CONTACT_FOR_UNKNOWN': {
        const id = await createContactForSender(em, sender!, owner, ctx.now);
        this.resolveCreated(parties, [sender!.address], id);
        customer = { kind: 'contact', id };
        made = `, a new contact for unknown sender ${sender!.address}`;
        break;
      }
      case 'CONTACT_FROM_LEAD': {
        const { contactId, addresses } = await contactFromLead(em, decision.leadId, owner, ctx.now);
        this.resolveCreated(parties, [sender!.address, ...addresses], contactId);
        customer = { kind: 'contact', id: contactId };
        made = `, made from lead ${globalIdOf('lead', decision.leadId)}`;
        break;
      }
    }
    const caseId = await createCaseFromEmail(em, item.subject, customer, owner, ctx.now);
    return {
      step: { step: 'QUEUE_RULE', outcome: 'CASE_CREATED', detail: `case ${globalIdOf('case', caseId)} for ${customer.kind} ${globalIdOf(customer.kind, customer.id)}${made}` },
      regarding: { kind: 'case', id: caseId },
      created: true,
    };
  }
}

/** The QUEUE_RULE step's detail for a new conversation that opened no case. */
function noCaseDetail(reason: NoCaseReason, sender: PartyDecision | null): string {
  switch (reason) {
    case 'NO_SENDER':
      return 'no valid sender address';
    case 'AMBIGUOUS_SENDER':
      return `sender ${sender!.address} is ambiguous: ${sender!.resolution.candidates.map((c) => `${c.kind} ${globalIdOf(c.kind, c.id)}`).join(', ')}`;
    case 'INTERNAL_SENDER':
      return `sender ${sender!.address} is a ${sender!.resolution.match!.kind} of this organization, not a customer`;
    case 'UNKNOWN_SENDER':
      return `sender ${sender!.address} is unknown; the queue creates no contact for unknown senders`;
    case 'LEAD_SENDER':
      return `sender ${sender!.address} is a lead; the queue creates no contact for leads`;
  }
}
