import { Initial1795319012915 } from './1795319012915-initial';
import { PrivacyBlobUploads1796369617895 } from './1796369617895-privacy-blob-uploads';
import { SyncEngineMailConfig1795328171382 } from './1795328171382-sync-engine-mail-config';
import { ActivitiesAndMail1795322287691 } from './1795322287691-activities-and-mail';
import { LoginLockout1795319854094 } from './1795319854094-login-lockout';

/** SQLite migrations, oldest first. */
export const SQLITE_MIGRATIONS: Function[] = [Initial1795319012915, LoginLockout1795319854094, ActivitiesAndMail1795322287691, SyncEngineMailConfig1795328171382, PrivacyBlobUploads1796369617895];
