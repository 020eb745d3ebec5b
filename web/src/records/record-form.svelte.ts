import type { GraphQLClient } from '../graphql/graphql-client';
import { graphql } from '../graphql/graphql-tag';
import { toMutationError, type MutationError } from '../shell/mutation-error';
import { KIND_STATUSES, type RecordKind } from './record-kind';
import type { RecordDetails } from './record-summary.svelte.ts';

// Create and edit forms for the five kinds: which fields each has, their values as the form holds them
// (text), and the mutation that saves them. An edit sends only what changed, so a secured field the
// viewer cannot read (shown empty) is never overwritten by accident.

/** A form field, named as the API's input field, so `extensions.field` ("input.<name>") finds it. */
export type FieldSpec =
  | { readonly name: string; readonly type: 'text' | 'textarea' | 'emails' | 'date' | 'amount' | 'currency'; readonly required?: boolean }
  | { readonly name: 'status'; readonly type: 'status'; readonly editOnly?: boolean }
  | { readonly name: 'priority'; readonly type: 'priority' }
  | { readonly name: 'accountId' | 'customerId'; readonly type: 'lookup'; readonly kinds: readonly ('account' | 'contact')[]; readonly required?: boolean };

export const FORM_FIELDS: Record<RecordKind, readonly FieldSpec[]> = {
  account: [
    { name: 'name', type: 'text', required: true },
    { name: 'emails', type: 'emails' },
    { name: 'telephone', type: 'text' },
    { name: 'website', type: 'text' },
    { name: 'status', type: 'status', editOnly: true },
    { name: 'description', type: 'textarea' },
  ],
  contact: [
    { name: 'firstName', type: 'text' },
    { name: 'lastName', type: 'text', required: true },
    { name: 'accountId', type: 'lookup', kinds: ['account'] },
    { name: 'jobTitle', type: 'text' },
    { name: 'emails', type: 'emails' },
    { name: 'telephone', type: 'text' },
    { name: 'mobilePhone', type: 'text' },
    { name: 'status', type: 'status', editOnly: true },
  ],
  lead: [
    { name: 'topic', type: 'text', required: true },
    { name: 'firstName', type: 'text' },
    { name: 'lastName', type: 'text', required: true },
    { name: 'companyName', type: 'text' },
    { name: 'emails', type: 'emails' },
    { name: 'telephone', type: 'text' },
    { name: 'status', type: 'status', editOnly: true },
  ],
  opportunity: [
    { name: 'name', type: 'text', required: true },
    { name: 'customerId', type: 'lookup', kinds: ['account', 'contact'], required: true },
    { name: 'estimatedValue', type: 'amount' },
    { name: 'currency', type: 'currency' },
    { name: 'estimatedCloseDate', type: 'date' },
    { name: 'status', type: 'status', editOnly: true },
  ],
  case: [
    { name: 'title', type: 'text', required: true },
    { name: 'customerId', type: 'lookup', kinds: ['account', 'contact'], required: true },
    { name: 'priority', type: 'priority' },
    { name: 'status', type: 'status', editOnly: true },
    { name: 'description', type: 'textarea' },
  ],
};

/** The record a lookup field points at, with the name it is shown by. */
export interface LookupValue {
  readonly id: string;
  readonly name: string;
  readonly kind: RecordKind;
}

/** The organization's base currency, a new opportunity's default. */
export const BASE_CURRENCY = graphql('BaseCurrency')`query BaseCurrency { organization { baseCurrency } }`;

/** Records of the asked kinds the viewer may read, by name, for a lookup field (a customer, a regarding record). */
export const RECORD_LOOKUP = graphql('RecordLookup')`
  query RecordLookup($search: String!, $accounts: Boolean!, $contacts: Boolean!, $leads: Boolean!, $opportunities: Boolean!, $cases: Boolean!) {
    accounts(first: 8, filter: { search: $search }) @include(if: $accounts) { edges { node { id name } } }
    contacts(first: 8, filter: { search: $search }) @include(if: $contacts) { edges { node { id fullName primaryEmail } } }
    leads(first: 8, filter: { search: $search }) @include(if: $leads) { edges { node { id fullName companyName } } }
    opportunities(first: 8, filter: { search: $search }) @include(if: $opportunities) { edges { node { id name } } }
    cases(first: 8, filter: { search: $search }) @include(if: $cases) { edges { node { id title ticketNumber } } }
  }
`;

/** Deletes a record (the API refuses while opportunities or cases still name it as their customer). */
export const DELETE_RECORD = graphql('DeleteRecord')`mutation DeleteRecord($id: ID!) { deleteRecord(id: $id) }`;

/** People who can own or be given a record: enabled users who are not service accounts. */
export const RECORD_USERS = graphql('RecordUsers')`query RecordUsers { users { id fullName email disabled isService } }`;

export const ASSIGN_RECORD = graphql('AssignRecord')`mutation AssignRecord($id: ID!, $ownerId: ID!) { assignRecord(id: $id, ownerId: $ownerId) { id } }`;

export const SHARE_RECORD = graphql('ShareRecord')`
  mutation ShareRecord($id: ID!, $userId: ID!, $canWrite: Boolean!) { shareRecord(id: $id, userId: $userId, canWrite: $canWrite) { id } }
`;

/** The name of the record a list is narrowed to ("View all" from its page). */
export const RELATED_NAME = graphql('RelatedName')`
  query RelatedName($id: ID!) { node(id: $id) { ... on Account { name } ... on Contact { fullName } } }
`;

const SHARE_FIELDS = 'shares { user { id fullName email } canWrite sharedAt }';

/** Who a record is shared with; null unless the viewer may share it. */
export const RECORD_SHARES = graphql('RecordShares')`
  query RecordShares($id: ID!) {
    node(id: $id) {
      ... on Account { ${SHARE_FIELDS} }
      ... on Contact { ${SHARE_FIELDS} }
      ... on Lead { ${SHARE_FIELDS} }
      ... on Opportunity { ${SHARE_FIELDS} }
      ... on Case { ${SHARE_FIELDS} }
    }
  }
`;

export const UNSHARE_RECORD = graphql('UnshareRecord')`mutation UnshareRecord($id: ID!, $userId: ID!) { unshareRecord(id: $id, userId: $userId) { id } }`;

const SAVE = {
  createAccount: graphql('CreateAccountForm')`mutation CreateAccountForm($input: CreateAccountInput!) { createAccount(input: $input) { id } }`,
  updateAccount: graphql('UpdateAccountForm')`mutation UpdateAccountForm($id: ID!, $input: UpdateAccountInput!) { updateAccount(id: $id, input: $input) { id } }`,
  createContact: graphql('CreateContactForm')`mutation CreateContactForm($input: CreateContactInput!) { createContact(input: $input) { id } }`,
  updateContact: graphql('UpdateContactForm')`mutation UpdateContactForm($id: ID!, $input: UpdateContactInput!) { updateContact(id: $id, input: $input) { id } }`,
  createLead: graphql('CreateLeadForm')`mutation CreateLeadForm($input: CreateLeadInput!) { createLead(input: $input) { id } }`,
  updateLead: graphql('UpdateLeadForm')`mutation UpdateLeadForm($id: ID!, $input: UpdateLeadInput!) { updateLead(id: $id, input: $input) { id } }`,
  createOpportunity: graphql('CreateOpportunityForm')`mutation CreateOpportunityForm($input: CreateOpportunityInput!) { createOpportunity(input: $input) { id } }`,
  updateOpportunity: graphql('UpdateOpportunityForm')`mutation UpdateOpportunityForm($id: ID!, $input: UpdateOpportunityInput!) { updateOpportunity(id: $id, input: $input) { id } }`,
  createCase: graphql('CreateCaseForm')`mutation CreateCaseForm($input: CreateCaseInput!) { createCase(input: $input) { id } }`,
  updateCase: graphql('UpdateCaseForm')`mutation UpdateCaseForm($id: ID!, $input: UpdateCaseInput!) { updateCase(id: $id, input: $input) { id } }`,
};

/** The form's text of each field of an existing record (empty for a new one). */
function initialValues(details: RecordDetails | null): Record<string, string> {
  if (!details) return {};
  const r = details.record as Record<string, unknown>;
  const values: Record<string, string> = {};
  for (const [key, value] of Object.entries(r)) {
    if (typeof value === 'string') values[key] = value;
    else if (typeof value === 'number') values[key] = String(value);
    else if (Array.isArray(value) && key === 'emails') values[key] = value.join(', ');
  }
  return values;
}

function initialLookups(details: RecordDetails | null): Record<string, LookupValue | null> {
  if (details?.kind === 'contact') {
    const account = details.record.account;
    return { accountId: account ? { id: account.id, name: account.name, kind: 'account' } : null };
  }
  if (details?.kind === 'opportunity' || details?.kind === 'case') {
    const customer = details.record.customer;
    if (!customer) return { customerId: null };
    return customer.__typename === 'Account'
      ? { customerId: { id: customer.id, name: customer.name, kind: 'account' } }
      : { customerId: { id: customer.id, name: customer.fullName, kind: 'contact' } };
  }
  return {};
}

/** Addresses as typed: separated by commas, semicolons, spaces or new lines. */
export const emailList = (text: string): string[] => text.split(/[\s,;]+/).filter(Boolean);

/** Whether the API's error names `field`, or an entry of it (`input.emails[1]`). */
export function isAboutField(error: MutationError | null, field: string): boolean {
  const named = error?.field;
  return !!named && (named === `input.${field}` || named.startsWith(`input.${field}[`));
}

/** A create or edit form of one record. */
export class RecordForm {
  values = $state<Record<string, string>>({});
  lookups = $state<Record<string, LookupValue | null>>({});
  saving = $state(false);
  error = $state<MutationError | null>(null);
  /** Errors the form finds before asking the API, by field name. */
  local = $state<Record<string, 'required' | 'notANumber'>>({});

  readonly #initial: Record<string, string>;
  readonly #initialLookups: Record<string, LookupValue | null>;

  constructor(
    private readonly client: GraphQLClient,
    readonly kind: RecordKind,
    /** The record to edit; null for a new one. */
    readonly existing: RecordDetails | null,
    /** The organization's base currency: a new opportunity's default. */
    baseCurrency: string | null = null,
  ) {
    this.#initial = initialValues(existing);
    this.#initialLookups = initialLookups(existing);
    this.values = { ...(existing || !baseCurrency ? {} : { currency: baseCurrency }), ...this.#initial };
    this.lookups = { ...this.#initialLookups };
  }

  get fields(): readonly FieldSpec[] {
    return FORM_FIELDS[this.kind].filter((field) => field.type !== 'status' || !field.editOnly || this.existing);
  }

  get statuses(): readonly string[] {
    return KIND_STATUSES[this.kind];
  }

  /** The API's input: every filled field for a new record; only what changed for an edit (cleared fields as null). */
  #input(): Record<string, unknown> | null {
    const input: Record<string, unknown> = {};
    const local: Record<string, 'required' | 'notANumber'> = {};
    for (const field of this.fields) {
      if (field.type === 'lookup') {
        const chosen = this.lookups[field.name] ?? null;
        if (!chosen && field.required) local[field.name] = 'required';
        if (chosen?.id !== this.#initialLookups[field.name]?.id) input[field.name] = chosen?.id ?? null;
        continue;
      }
      const text = (this.values[field.name] ?? '').trim();
      if (text === (this.#initial[field.name] ?? '').trim() && this.existing) continue;
      if (!text) {
        if ('required' in field && field.required) local[field.name] = 'required';
        else if (this.existing) input[field.name] = field.type === 'emails' ? [] : null;
        continue;
      }
      if (field.type === 'emails') input[field.name] = emailList(text);
      else if (field.type === 'amount') {
        const amount = Number(text.replace(/[\s\u00a0]/g, '').replace(',', '.'));
        if (!Number.isFinite(amount)) local[field.name] = 'notANumber';
        else input[field.name] = amount;
      } else input[field.name] = text;
    }
    this.local = local;
    return Object.keys(local).length ? null : input;
  }

  /** Saves; the saved record's id, or null when the form or the API refused (the errors are then on the form). */
  async save(): Promise<string | null> {
    if (this.saving) return null;
    this.error = null;
    const input = this.#input();
    if (!input) return null;
    this.saving = true;
    try {
      return await this.#send(input);
    } catch (error) {
      this.error = toMutationError(error);
      return null;
    } finally {
      this.saving = false;
    }
  }

  /** The API's error when it is about `field` (or one of its entries, as `input.emails[1]`), for i18n.problem. */
  errorFor(field: string): MutationError | null {
    // The field is shown beside its control: the message drops the "input.emails[0]: " that repeats it.
    return isAboutField(this.error, field) ? { ...this.error!, message: this.error!.message.replace(/^input\.[\w.[\]]+: /i, '') } : null;
  }

  async #send(input: Record<string, unknown>): Promise<string> {
    // The inputs are built from FORM_FIELDS, whose names are the API's: the casts only forgo per-kind literal types.
    const id = this.existing?.record.id;
    const c = this.client;
    switch (this.kind) {
      case 'account':
        return id ? (await c.request(SAVE.updateAccount, { id, input: input as never })).updateAccount.id : (await c.request(SAVE.createAccount, { input: input as never })).createAccount.id;
      case 'contact':
        return id ? (await c.request(SAVE.updateContact, { id, input: input as never })).updateContact.id : (await c.request(SAVE.createContact, { input: input as never })).createContact.id;
      case 'lead':
        return id ? (await c.request(SAVE.updateLead, { id, input: input as never })).updateLead.id : (await c.request(SAVE.createLead, { input: input as never })).createLead.id;
      case 'opportunity':
        return id
          ? (await c.request(SAVE.updateOpportunity, { id, input: input as never })).updateOpportunity.id
          : (await c.request(SAVE.createOpportunity, { input: input as never })).createOpportunity.id;
      case 'case':
        return id ? (await c.request(SAVE.updateCase, { id, input: input as never })).updateCase.id : (await c.request(SAVE.createCase, { input: input as never })).createCase.id;
    }
  }
}
