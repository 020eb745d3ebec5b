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

/**
 * How long this process reuses a read of the settings. A change made through `update` in any api process drops the
 * copy at once (here, and elsewhere over the live bus), so this only bounds how long a lost bus message leaves
 * another process on the old settings.
 */
export const SETTINGS_REUSE_MS = 5_000;

/**
 * The organization's email settings: read on every tracked batch, every attachment upload and every mailbox claim,
 * changed by administrators. Reads share one copy for a few seconds: during ingest the settings read was one
 * statement per upload and about 2.5 % of the api's CPU.
 */
export class EmailSettingsService {
  private cached: { readonly settings: Promise<Readonly<OrganizationEmailSettings>>; readonly until: number } | null = null;

  constructor(
    private readonly db: DataSource,
    private readonly live: LiveEventLog,
    private readonly clock: Clock,
    /** Tells the other api processes that the settings changed (the live bus); they call `changedElsewhere`. */
    private readonly announceChange: () => void = () => undefined,
  ) {}

  /** The settings as of at most SETTINGS_REUSE_MS ago (or the last change made through any api process). Shared: not to be changed. */
  current(): Promise<Readonly<OrganizationEmailSettings>> {
    // performance.now(), not the clock: tests may stop the clock, and a stopped clock must not keep a copy for ever.
    const now = performance.now();
    if (this.cached && this.cached.until > now) return this.cached.settings;
    const entry = { settings: this.readStored().then(freezeSettings), until: now + SETTINGS_REUSE_MS };
    this.cached = entry;
    // A failed read is not reused.
    entry.settings.catch(() => this.cached === entry && (this.cached = null));
    return entry.settings;
  }

  /** Another api process changed the settings (heard on the live bus). */
  changedElsewhere(): void {
    this.cached = null;
  }

  async read(principal: Principal): Promise<OrganizationEmailSettings> {
    requireOrganizationAdmin(principal, Privilege.READ);
    return this.readStored();
  }

  async update(principal: Principal, input: UpdateEmailSettingsInput): Promise<OrganizationEmailSettings> {
    requireOrganizationAdmin(principal, Privilege.WRITE);
    nonNull(input, Object.keys(input) as (keyof UpdateEmailSettingsInput)[]);
    const { defaultAppointmentsContactsTasksMethod: defaultActMethod, ...fields } = input;
    const patch = definedOnly({ ...fields, defaultActMethod }) as Partial<OrganizationEmailSettings>;
    if (input.blockedAddresses) patch.blockedAddresses = [...new Set(input.blockedAddresses.map((a, i) => validEmail(`input.blockedAddresses[${i}]`, a)))];
    if (input.blockedDomains) patch.blockedDomains = [...new Set(input.blockedDomains.map((d, i) => validDomain(`input.blockedDomains[${i}]`, d)))];
    const merged = { ...(await this.readStored()), ...patch };
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
    this.cached = null;
    this.announceChange();
    return this.readStored();
  }

  private readStored(): Promise<OrganizationEmailSettings> {
    return this.db.getRepository(OrganizationEmailSettings).findOneByOrFail({ id: ORGANIZATION_SETTINGS_ID });
  }
}

/** The shared copy cannot be changed by one of its readers. */
function freezeSettings(settings: OrganizationEmailSettings): Readonly<OrganizationEmailSettings> {
  Object.freeze(settings.blockedAddresses);
  Object.freeze(settings.blockedDomains);
  return Object.freeze(settings);
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
