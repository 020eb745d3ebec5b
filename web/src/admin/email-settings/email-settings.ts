import { graphql } from '../../graphql/graphql-tag';
import { wholeNumber } from '../form-values';
import type { EmailSettingsQuery } from '../../graphql/operations.generated';

// The organization's email settings (schema.graphql: OrganizationEmailSettings), read and saved as one form.

const SETTINGS_FIELDS = /* GraphQL */ `
  fragment EmailSettingsFields on OrganizationEmailSettings {
    defaultIncomingMethod defaultOutgoingMethod defaultAppointmentsContactsTasksMethod defaultAutoCreateRecords
    processEmailOnlyForApprovedMailboxes
    trackingTokenEnabled tokenPrefix tokenBaseNumber tokenUserDigits tokenCounterDigits
    correlateByInReplyTo correlateByTrackingToken correlateByThreadIndex
    smartMatchingEnabled smartMatchMinSharedRecipients smartMatchWindowDays
    folderTrackingEnabled queueCaseRulesEnabled
    skipAutoReplies skipBounces skipBulkMail
    blockedAddresses blockedDomains
    maxAttachmentKb maxBodyKb pastExpansionWindowMonths futureExpansionWindowMonths updatedAt
  }
`;

export const EMAIL_SETTINGS_QUERY = graphql('EmailSettings')`query EmailSettings { emailSettings { ...EmailSettingsFields } } ${SETTINGS_FIELDS}`;

export const UPDATE_EMAIL_SETTINGS = graphql('UpdateEmailSettings')`
  mutation UpdateEmailSettings($input: UpdateEmailSettingsInput!) { updateEmailSettings(input: $input) { ...EmailSettingsFields } }
  ${SETTINGS_FIELDS}
`;

export type EmailSettings = EmailSettingsQuery['emailSettings'];

/** The tracking token a setting would put in a subject: Dynamics' prefix:base+user+counter (e.g. CRM:0001234). */
export function tokenExample(values: { readonly tokenPrefix: string; readonly tokenBaseNumber: string; readonly tokenUserDigits: string; readonly tokenCounterDigits: string }): string | null {
  const base = wholeNumber(values.tokenBaseNumber);
  const user = wholeNumber(values.tokenUserDigits);
  const counter = wholeNumber(values.tokenCounterDigits);
  // The API's limits (api/src/tracking/rules/tracking-token.ts): 1–20 letters or digits, 1–10 and 1–9 digits.
  if (!/^[\p{L}\p{N}]{1,20}$/u.test(values.tokenPrefix)) return null;
  if (base === null || user === null || counter === null || user < 1 || counter < 1 || user > 10 || counter > 9) return null;
  return `${values.tokenPrefix}:${base}${'1'.padStart(user, '0')}${'234'.slice(-counter).padStart(counter, '0')}`;
}
