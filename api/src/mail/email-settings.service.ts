import { domainToASCII } from 'node:url';
import type { DataSource } from 'typeorm';
import type { Principal } from '../access/principal';
import { depthOf } from '../access/principal';
import { AccessEntity, Depth, Privilege } from '../access/privileges';
import { ApiError, badInput, forbidden } from '../common/errors';
import type { LiveEventLog } from '../live/live-event-log';
import type { Clock } from '../platform/clock';
import { validEmail } from '../records/email-addresses';
import { definedOnly, nonNull } from '../records/patch';
import { tokenFormatProblems } from '../tracking/rules/tracking-token';
import type { UpdateEmailSettingsInput } from './email-settings.inputs';
import { forwardedStates, stageForwardedStateChanges } from './mailbox-live-events';
import { ORGANIZATION_SETTINGS_ID, OrganizationEmailSettings } from './organization-email-settings.entity';

const requireOrganizationAdmin = (principal: Principal, privilege: Privilege) => {
  if (depthOf(principal, AccessEntity.MAILBOX, privilege) !== Depth.ORGANIZATION) {
    throw forbidden('only administrators with organization-wide mailbox privileges may do this');
  }
};

/** The organization's email settings: read by tracking on every batch, changed by administrators. */
export class EmailSettingsService {
  constructor(
    private readonly db: DataSource,
    private readonly live: LiveEventLog,
    private readonly clock: Clock,
  ) {}

  current(): Promise<OrganizationEmailSettings> {
    return this.db.getRepository(OrganizationEmailSettings).findOneByOrFail({ id: ORGANIZATION_SETTINGS_ID });
  }

  async read(principal: Principal): Promise<OrganizationEmailSettings> {
    requireOrganizationAdmin(principal, Privilege.READ);
    return this.current();
  }

  async update(principal: Principal, input: UpdateEmailSettingsInput): Promise<OrganizationEmailSettings> {
    requireOrganizationAdmin(principal, Privilege.WRITE);
    nonNull(input, Object.keys(input) as (keyof UpdateEmailSettingsInput)[]);
    const { defaultAppointmentsContactsTasksMethod: defaultActMethod, ...fields } = input;
    const patch = definedOnly({ ...fields, defaultActMethod }) as Partial<OrganizationEmailSettings>;
    if (input.blockedAddresses) patch.blockedAddresses = [...new Set(input.blockedAddresses.map((a, i) => validEmail(`input.blockedAddresses[${i}]`, a)))];
    if (input.blockedDomains) patch.blockedDomains = [...new Set(input.blockedDomains.map((d, i) => validDomain(`input.blockedDomains[${i}]`, d)))];
    const merged = { ...(await this.current()), ...patch };
    const problem = tokenFormatProblems({
      prefix: merged.tokenPrefix,
      baseNumber: merged.tokenBaseNumber,
      userDigits: merged.tokenUserDigits,
      counterDigits: merged.tokenCounterDigits,
    })[0];
    if (problem) throw badInput(`input.${problemField(problem.field)}`, problem.message);
    await this.db.transaction(async (em) => {
      // The approval rule decides what a FORWARD_MAILBOX mailbox shows as its state (forwarded-state.ts).
      const forwarded = patch.processEmailOnlyForApprovedMailboxes !== undefined ? await forwardedStates(em) : null;
      await em.update(OrganizationEmailSettings, { id: ORGANIZATION_SETTINGS_ID }, { ...patch, updatedAt: this.clock() });
      if (forwarded) await stageForwardedStateChanges(this.live, em, forwarded);
    });
    return this.current();
  }
}

const problemField = (field: string) =>
  ({ prefix: 'tokenPrefix', baseNumber: 'tokenBaseNumber', userDigits: 'tokenUserDigits', counterDigits: 'tokenCounterDigits' })[field] ?? field;

/** A domain as users type it ("Example.COM", "bücher.de", "@example.com"), lower-case Unicode, or a named error. */
function validDomain(field: string, raw: string): string {
  const domain = raw.trim().replace(/^@/, '').toLowerCase();
  const ascii = domainToASCII(domain);
  if (!ascii || !/^([a-z0-9-]{1,63}\.)*[a-z0-9-]{1,63}$/.test(ascii)) throw new ApiError('BAD_USER_INPUT', `${field}: "${raw}" is not a domain name`, field);
  return domain;
}
