import { Field, ObjectType, registerEnumType } from 'type-graphql';
import type { SalvageCode } from '../tracking/salvage-code';

/** What tracking repaired in a malformed message so it could be stored (email_message.salvage). */
export enum EmailRepairCode {
  MISSING_MESSAGE_ID = 'MISSING_MESSAGE_ID',
  INVALID_DATE = 'INVALID_DATE',
  INVALID_ADDRESS = 'INVALID_ADDRESS',
  INVALID_CHARACTERS = 'INVALID_CHARACTERS',
  BODY_TRUNCATED = 'BODY_TRUNCATED',
  SUBJECT_TRUNCATED = 'SUBJECT_TRUNCATED',
  FOLDER_TRUNCATED = 'FOLDER_TRUNCATED',
  TOO_MANY_RECIPIENTS = 'TOO_MANY_RECIPIENTS',
  INVALID_CALENDAR = 'INVALID_CALENDAR',
  /** A code this version does not know (stored by a newer one). */
  OTHER = 'OTHER',
}

registerEnumType(EmailRepairCode, { name: 'EmailRepairCode', description: 'What tracking repaired in a malformed message so it could be stored.' });

// Every repair prepare-item.ts can make has a code here (and so a sentence): adding one there without one here fails to compile.
const everySalvageCodeIsNamed: SalvageCode extends `${EmailRepairCode}` ? true : never = true;
void everySalvageCodeIsNamed;

/** One sentence per code, whole, to be translated as a unit; what the repair concerned is in `detail`. */
const MESSAGES: Record<EmailRepairCode, string> = {
  [EmailRepairCode.MISSING_MESSAGE_ID]: 'The message had no Message-ID, so the hub keys it by a hash of its content.',
  [EmailRepairCode.INVALID_DATE]: 'A date in the message could not be read, so the email is dated by its other date or by when it arrived.',
  [EmailRepairCode.INVALID_ADDRESS]: 'Addresses that are not valid email addresses were left out of the participants.',
  [EmailRepairCode.INVALID_CHARACTERS]: 'The message contained characters that cannot be stored (NUL bytes or broken encodings); they were removed or replaced.',
  [EmailRepairCode.BODY_TRUNCATED]: 'The body was longer than the organization allows and was cut, so its end is missing.',
  [EmailRepairCode.SUBJECT_TRUNCATED]: 'The subject was too long and was cut.',
  [EmailRepairCode.FOLDER_TRUNCATED]: 'The name of the folder the message was found in was too long and was cut.',
  [EmailRepairCode.TOO_MANY_RECIPIENTS]: 'The message had more recipients than the hub keeps, so only the first ones were kept.',
  [EmailRepairCode.INVALID_CALENDAR]: 'The meeting invitation in the message could not be used in full.',
  [EmailRepairCode.OTHER]: 'The hub repaired something in this message.',
};

@ObjectType('EmailRepair', { description: 'One repair tracking made to a malformed message so it could be stored.' })
export class EmailRepair {
  @Field(() => EmailRepairCode)
  code: EmailRepairCode;

  @Field({ description: 'What the repair means, as a sentence.' })
  message: string;

  @Field({ description: 'What it concerned, as recorded: the synthetic Message-ID, the unreadable date, the dropped addresses…' })
  detail: string;
}

const KNOWN = new Set<string>(Object.values(EmailRepairCode));

/** The repairs stored with an email (a JSON array of `{ code, detail }`), in the order they were made. */
export function repairsOf(salvage: string | null): EmailRepair[] {
  if (!salvage) return [];
  const entries = JSON.parse(salvage) as { code: string; detail: string }[];
  return entries.map((entry) => {
    const code = KNOWN.has(entry.code) ? (entry.code as EmailRepairCode) : EmailRepairCode.OTHER;
    return Object.assign(new EmailRepair(), { code, message: MESSAGES[code], detail: code === EmailRepairCode.OTHER ? `${entry.code}: ${entry.detail}` : entry.detail });
  });
}
