import type { EmailServerProfile } from './email-server-profile.entity';
import { EmailServerKind } from './mail-enums';

/** Whether mail is sent through the profile: over its SMTP server, or through Exchange itself (EWS CreateItem). */
export const profileSends = (profile: Pick<EmailServerProfile, 'kind' | 'outgoingHost'>): boolean =>
  profile.kind === EmailServerKind.EXCHANGE_EWS || profile.outgoingHost !== null;

/** Whether the profile's server holds appointments, contacts and tasks to sync with: Exchange only, as in Dynamics. */
export const profileSyncsAct = (profile: Pick<EmailServerProfile, 'kind'>): boolean => profile.kind === EmailServerKind.EXCHANGE_EWS;
