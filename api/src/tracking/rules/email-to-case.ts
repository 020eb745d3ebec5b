// Dynamics' email-to-case rule for a queue: who a new conversation's case is for. A case's customer is a
// contact or an account; every other sender either gets one made (an option per queue) or opens no case
// for a reason the queue's alert log states.

import type { PartyMatch, PartyResolution } from './party-resolution';

/** The queue's email-to-case options that decide the customer. */
export interface CaseCustomerOptions {
  /** Make a contact for a sender no record carries. */
  readonly createContactForUnknownSender: boolean;
  /** Make a contact from a lead who writes (the lead stays, linked as the contact's originating lead). */
  readonly createContactForLeadSender: boolean;
}

/** Why a new conversation opened no case. */
export type NoCaseReason = 'NO_SENDER' | 'AMBIGUOUS_SENDER' | 'INTERNAL_SENDER' | 'UNKNOWN_SENDER' | 'LEAD_SENDER';

export type CaseCustomerDecision =
  | { readonly action: 'CASE_FOR'; readonly customer: { readonly kind: 'contact' | 'account'; readonly id: string } }
  | { readonly action: 'CONTACT_FOR_UNKNOWN' }
  | { readonly action: 'CONTACT_FROM_LEAD'; readonly leadId: string }
  | { readonly action: 'NO_CASE'; readonly reason: NoCaseReason };

/** Who the case of a new conversation is for, given how its sender's address resolved (null: no valid sender). */
export function caseCustomerFor(sender: PartyResolution | null, options: CaseCustomerOptions): CaseCustomerDecision {
  if (!sender) return { action: 'NO_CASE', reason: 'NO_SENDER' };
  switch (sender.resolution) {
    case 'AMBIGUOUS':
      // Several records of the same kind share the address: which one is the customer is not ours to guess.
      return { action: 'NO_CASE', reason: 'AMBIGUOUS_SENDER' };
    case 'UNRESOLVED':
      return options.createContactForUnknownSender ? { action: 'CONTACT_FOR_UNKNOWN' } : { action: 'NO_CASE', reason: 'UNKNOWN_SENDER' };
    case 'RESOLVED':
      return forMatch(sender.match!, options);
  }
}

function forMatch(match: PartyMatch, options: CaseCustomerOptions): CaseCustomerDecision {
  switch (match.kind) {
    case 'contact':
    case 'account':
      return { action: 'CASE_FOR', customer: { kind: match.kind, id: match.id } };
    case 'lead':
      return options.createContactForLeadSender ? { action: 'CONTACT_FROM_LEAD', leadId: match.id } : { action: 'NO_CASE', reason: 'LEAD_SENDER' };
    case 'user':
    case 'queue':
      // A colleague (or another queue) writing to the queue is not a customer.
      return { action: 'NO_CASE', reason: 'INTERNAL_SENDER' };
  }
}

/** A reply to a resolved case reopens it when it was resolved less than `withinHours` ago (null: never). */
export function reopensCase(kase: { readonly resolved: boolean; readonly resolvedAt: Date }, withinHours: number | null, now: Date): boolean {
  return kase.resolved && withinHours !== null && kase.resolvedAt.getTime() >= now.getTime() - withinHours * 3_600_000;
}

/** The alert-log line for a queue whose rule could not act: one sentence of what happened and what to change. */
export function noCaseAlert(reason: NoCaseReason): { severity: 'WARNING' | 'INFORMATION'; code: string; message: string } {
  const code = 'CASE_NOT_CREATED';
  switch (reason) {
    case 'NO_SENDER':
      return { severity: 'WARNING', code, message: 'Email to case opened no case for a message without a valid sender address; the email is tracked without a case.' };
    case 'AMBIGUOUS_SENDER':
      return {
        severity: 'WARNING',
        code,
        message: 'Email to case opened no case because the sender\'s address belongs to several records of the same kind and none is chosen by guessing; keep the address on one record. The email is tracked without a case.',
      };
    case 'INTERNAL_SENDER':
      return { severity: 'INFORMATION', code, message: 'Email to case opened no case because the sender is a user or queue of this organization, not a customer; the email is tracked without a case.' };
    case 'UNKNOWN_SENDER':
      return {
        severity: 'WARNING',
        code,
        message: 'Email to case opened no case because no contact, account or lead has the sender\'s address and the queue does not create contacts for unknown senders (createContactForUnknownSender); the email is tracked without a case.',
      };
    case 'LEAD_SENDER':
      return {
        severity: 'WARNING',
        code,
        message: 'Email to case opened no case because the sender is a lead, a case needs a contact or account as its customer, and the queue does not create contacts for leads (createContactForLeadSender); the email is tracked without a case.',
      };
  }
}
