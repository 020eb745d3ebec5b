import { Initial1795319012915 } from './1795319012915-initial';
import { AllDayDaysAndMailboxTimeZone1796500133187 } from './1796500133187-all-day-days-and-mailbox-time-zone';
import { ContactLinkWrittenForOwner1796491331007 } from './1796491331007-contact-link-written-for-owner';
import { TaskStartAndProgress1796490543567 } from './1796490543567-task-start-and-progress';
import { ContactLinkCompany1796489653297 } from './1796489653297-contact-link-company';
import { AppointmentSeries1796491597692 } from './1796491597692-appointment-series';
import { CalendarLinkItemIndex1796481596729 } from './1796481596729-calendar-link-item-index';
import { ContactLinkWrites1796477705083 } from './1796477705083-contact-link-writes';
import { CalendarLinkChangeKey1796478703962 } from './1796478703962-calendar-link-change-key';
import { ExchangeContactLinks1796470386955 } from './1796470386955-exchange-contact-links';
import { ExchangeTaskLinks1796468550701 } from './1796468550701-exchange-task-links';
import { ExchangeCalendarLinks1796457809328 } from './1796457809328-exchange-calendar-links';
import { FolderIdsFollowRenames1796454992866 } from './1796454992866-folder-ids-follow-renames';
import { ExchangeEwsProfiles1796432476501 } from './1796432476501-exchange-ews-profiles';
import { MailboxServerFolders1796422063489 } from './1796422063489-mailbox-server-folders';
import { OpportunityCurrency1796411968805 } from './1796411968805-opportunity-currency';
import { SyncMetricEvents1796401361664 } from './1796401361664-sync-metric-events';
import { LiveEvents1796377836452 } from './1796377836452-live-events';
import { LoginLockout1795319854094 } from './1795319854094-login-lockout';
import { ActivitiesAndMail1795322287691 } from './1795322287691-activities-and-mail';
import { SyncEngineMailConfig1795328171382 } from './1795328171382-sync-engine-mail-config';
import { SignInLimitsAndPasswordChange1796368911513 } from './1796368911513-sign-in-limits-and-password-change';
import { ActivitySearchAndOptionalSmtp1796369053670 } from './1796369053670-activity-search-and-optional-smtp';
import { EmailToCaseAndLeadContacts1796369136128 } from './1796369136128-email-to-case-and-lead-contacts';
import { PrivacyBlobUploads1796369617895 } from './1796369617895-privacy-blob-uploads';

/** MySQL/MariaDB migrations, oldest first. */
export const MYSQL_MIGRATIONS: Function[] = [Initial1795319012915, LoginLockout1795319854094, ActivitiesAndMail1795322287691, SyncEngineMailConfig1795328171382, SignInLimitsAndPasswordChange1796368911513, ActivitySearchAndOptionalSmtp1796369053670, EmailToCaseAndLeadContacts1796369136128, PrivacyBlobUploads1796369617895, LiveEvents1796377836452, SyncMetricEvents1796401361664, OpportunityCurrency1796411968805, MailboxServerFolders1796422063489, ExchangeEwsProfiles1796432476501, FolderIdsFollowRenames1796454992866, ExchangeCalendarLinks1796457809328, ExchangeTaskLinks1796468550701, ExchangeContactLinks1796470386955, ContactLinkWrites1796477705083, CalendarLinkChangeKey1796478703962, CalendarLinkItemIndex1796481596729, ContactLinkCompany1796489653297, TaskStartAndProgress1796490543567, ContactLinkWrittenForOwner1796491331007, AppointmentSeries1796491597692, AllDayDaysAndMailboxTimeZone1796500133187];
