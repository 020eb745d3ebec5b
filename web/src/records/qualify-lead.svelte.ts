import type { GraphQLClient } from '../graphql/graphql-client';
import { graphql } from '../graphql/graphql-tag';
import { recordHref } from '../shell/hash-route.svelte.ts';
import { toMutationError, type MutationError } from '../shell/mutation-error';

const QUALIFY_LEAD = graphql('QualifyLead')`
  mutation QualifyLead($input: QualifyLeadInput!) {
    qualifyLead(input: $input) { lead { id status } account { id } contact { id } opportunity { id } }
  }
`;

/** A duplicate that stopped the qualification: the existing record, to link to instead, or to ignore. */
export interface Duplicate {
  readonly kind: 'account' | 'contact';
  readonly id: string;
  readonly message: string;
}

/**
 * Dynamics' "Qualify" for one lead: what to make of it, then the call. A duplicate account or contact
 * the API finds is offered as a choice (use it, or create a new one anyway) instead of an error.
 */
export class QualifyLeadForm {
  createAccount = $state(true);
  createContact = $state(true);
  createOpportunity = $state(true);
  existingAccountId = $state<string | null>(null);
  existingContactId = $state<string | null>(null);
  allowDuplicates = $state(false);
  saving = $state(false);
  error = $state<MutationError | null>(null);
  duplicate = $state<Duplicate | null>(null);

  constructor(
    private readonly client: GraphQLClient,
    readonly leadId: string,
    /** A lead without a company cannot become an account. */
    readonly hasCompany: boolean,
  ) {
    this.createAccount = hasCompany;
  }

  /** The duplicate is the record to use: link to it and try again. */
  useExisting(): Promise<string | null> {
    if (this.duplicate?.kind === 'account') this.existingAccountId = this.duplicate.id;
    if (this.duplicate?.kind === 'contact') this.existingContactId = this.duplicate.id;
    return this.submit();
  }

  /** Create the records although a similar one exists. */
  createAnyway(): Promise<string | null> {
    this.allowDuplicates = true;
    return this.submit();
  }

  /** Qualifies the lead; the page to go to (the opportunity, else the contact, else the account, else the lead), or null when refused. */
  async submit(): Promise<string | null> {
    if (this.saving) return null;
    this.saving = true;
    this.error = null;
    this.duplicate = null;
    try {
      const { qualifyLead } = await this.client.request(QUALIFY_LEAD, {
        input: {
          leadId: this.leadId,
          createAccount: this.createAccount && this.existingAccountId === null,
          createContact: this.createContact && this.existingContactId === null,
          createOpportunity: this.createOpportunity,
          existingAccountId: this.existingAccountId,
          existingContactId: this.existingContactId,
          allowDuplicates: this.allowDuplicates,
        },
      });
      const { opportunity, contact, account } = qualifyLead;
      if (opportunity) return recordHref('opportunity', opportunity.id);
      if (contact) return recordHref('contact', contact.id);
      if (account) return recordHref('account', account.id);
      return recordHref('lead', this.leadId);
    } catch (error) {
      const refused = toMutationError(error);
      const kind = refused.field === 'input.existingAccountId' ? 'account' : refused.field === 'input.existingContactId' ? 'contact' : null;
      if (refused.code === 'CONFLICT' && kind && refused.existingId) this.duplicate = { kind, id: refused.existingId, message: refused.message };
      else this.error = refused;
      return null;
    } finally {
      this.saving = false;
    }
  }
}
