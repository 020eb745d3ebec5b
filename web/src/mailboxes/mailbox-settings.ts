import { graphql } from '../graphql/graphql-tag';

// What the mailbox page's settings and folder rules send beside the mailbox form's buttons (mailbox.ts MAILBOX_ACTIONS).

/** The profiles an administrator may choose for a mailbox (administrators only: others are not asked). */
export const PROFILE_CHOICES = graphql('EmailServerProfileChoices')`query EmailServerProfileChoices { emailServerProfiles { id name kind outgoingHost isDefault } }`;

export const SET_FOLDER_RULE = graphql('SetFolderTrackingRule')`
  mutation SetFolderTrackingRule($mailboxId: ID!, $input: FolderTrackingRuleInput!) { setFolderTrackingRule(mailboxId: $mailboxId, input: $input) { folder } }
`;

export const REMOVE_FOLDER_RULE = graphql('RemoveFolderTrackingRule')`
  mutation RemoveFolderTrackingRule($mailboxId: ID!, $folder: String!) { removeFolderTrackingRule(mailboxId: $mailboxId, folder: $folder) }
`;
