/** A repair prepare-item.ts made so a malformed message could be stored; activities/email-repairs.ts names each one. */
export type SalvageCode =
  | 'MISSING_MESSAGE_ID'
  | 'INVALID_DATE'
  | 'INVALID_ADDRESS'
  | 'INVALID_CHARACTERS'
  | 'BODY_TRUNCATED'
  | 'SUBJECT_TRUNCATED'
  | 'FOLDER_TRUNCATED'
  | 'TOO_MANY_RECIPIENTS';
