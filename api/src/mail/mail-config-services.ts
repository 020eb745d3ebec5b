import type { Services } from '../graphql/services';
import { EmailServerProfileService } from './email-server-profile.service';
import { MailboxConfigService } from './mailbox-config.service';

export interface MailConfigServices {
  readonly profiles: EmailServerProfileService;
  readonly mailboxConfig: MailboxConfigService;
}

const built = new WeakMap<Services, MailConfigServices>();

/**
 * The mail configuration services over the process's services, built once per Services object.
 * (Stand-in for two entries in graphql/services.ts, the composition root, which this change does not own.)
 */
export function mailConfigServices(services: Services): MailConfigServices {
  let found = built.get(services);
  if (!found) {
    found = {
      profiles: new EmailServerProfileService(services.db, services.credentials),
      mailboxConfig: new MailboxConfigService(services.db, services.credentials),
    };
    built.set(services, found);
  }
  return found;
}
