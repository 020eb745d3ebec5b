import { Not, type DataSource, type EntityManager } from 'typeorm';
import type { Principal } from '../access/principal';
import { ApiError, badInput, notFound } from '../common/errors';
import { expectGlobalId } from '../common/global-id';
import { newId } from '../common/ids';
import { unlessDuplicate } from '../db/database-errors';
import type { LiveEventLog } from '../live/live-event-log';
import type { Clock } from '../platform/clock';
import { nonNull } from '../records/patch';
import type { CredentialCipher } from './credential-cipher';
import { secretField, secretOf } from './credential-input';
import { EmailServerProfile } from './email-server-profile.entity';
import type { CreateEmailServerProfileInput, UpdateEmailServerProfileInput } from './email-server-profile.inputs';
import { ActMethod, AlertSeverity, EmailServerKind, MailAuthMethod, MailboxState, OutgoingMethod } from './mail-enums';
import { recordAlert } from './mailbox-alerts';
import { forwardedStates, stageForwardedStateChanges, stageMailboxChanges, stageProfileMailboxes } from './mailbox-live-events';
import { Mailbox } from './mailbox.entity';
import { requireMailAdmin } from './mailbox.service';
import { lockRow, rowLock } from '../db/row-locks';
import { profileSends } from './profile-capabilities';

const REQUIRED = ['name', 'kind', 'authMethod'] as const;
/** The IMAP or POP3 server: all three on those kinds, none on EXCHANGE_EWS. */
const INCOMING = ['incomingHost', 'incomingPort', 'incomingTls'] as const;
/** The SMTP server: all three set, or none (nothing sends through the profile). */
const OUTGOING = ['outgoingHost', 'outgoingPort', 'outgoingTls'] as const;
const FLAGS = ['useProfileCredentials', 'useImpersonation', 'allowInvalidCertificates', 'pollIntervalSeconds', 'maxConcurrentConnections', 'isDefault'] as const;

/**
 * Email server profiles: administrators only; the secret is encrypted with the profile's id bound in.
 * A mailbox query shows its profile, so a change stages a live event for every mailbox of each profile it changes.
 */
export class EmailServerProfileService {
  constructor(
    private readonly db: DataSource,
    private readonly cipher: CredentialCipher,
    private readonly live: LiveEventLog,
    private readonly clock: Clock,
  ) {}

  list(principal: Principal): Promise<EmailServerProfile[]> {
    requireMailAdmin(principal);
    return this.db.getRepository(EmailServerProfile).find({ order: { name: 'ASC' } });
  }

  async create(principal: Principal, input: CreateEmailServerProfileInput): Promise<EmailServerProfile> {
    requireMailAdmin(principal);
    const id = newId();
    const servers = Object.fromEntries([...INCOMING, ...OUTGOING, 'ewsUrl' as const].map((f) => [f, input[f] ?? null]));
    const profile = this.checked(input, { ...input, ...servers, credentialSecret: null, createdAt: this.clock(), updatedAt: this.clock() } as EmailServerProfile, id);
    await this.db.transaction(async (em) => {
      await this.requireFreeName(em, profile.name, id);
      if (profile.isDefault) await this.clearDefault(em, id);
      await uniqueName(em.insert(EmailServerProfile, profile));
    });
    return this.db.getRepository(EmailServerProfile).findOneByOrFail({ id });
  }

  async update(principal: Principal, globalId: string, input: UpdateEmailServerProfileInput): Promise<EmailServerProfile> {
    requireMailAdmin(principal);
    const current = await this.find(globalId);
    nonNull(input, [...REQUIRED, ...FLAGS]);
    const defined = Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));
    // Removing a host removes its server: its port and TLS mean nothing alone.
    if (input.outgoingHost === null) for (const f of OUTGOING) defined[f] ??= null;
    if (input.incomingHost === null) for (const f of INCOMING) defined[f] ??= null;
    // A profile turned into Exchange drops the IMAP/POP3/SMTP servers it had; one turned away from it drops its EWS settings.
    if (defined.kind === EmailServerKind.EXCHANGE_EWS && current.kind !== EmailServerKind.EXCHANGE_EWS) {
      for (const f of [...INCOMING, ...OUTGOING, 'sentFolder' as const]) defined[f] ??= null;
    }
    if (defined.kind !== undefined && defined.kind !== EmailServerKind.EXCHANGE_EWS && current.kind === EmailServerKind.EXCHANGE_EWS) {
      defined.ewsUrl ??= null;
      defined.useImpersonation ??= false;
    }
    const merged = this.checked(input, { ...current, ...defined, updatedAt: this.clock() } as EmailServerProfile, current.id, current);
    const credentialsChanged = merged.credentialSecret !== current.credentialSecret || merged.credentialUsername !== current.credentialUsername;
    await this.db.transaction(async (em) => {
      await this.requireFreeName(em, merged.name, current.id);
      if (!profileSends(merged) && profileSends(current)) await requireNoSenders(em, current);
      if (merged.kind !== EmailServerKind.EXCHANGE_EWS && current.kind === EmailServerKind.EXCHANGE_EWS) await requireNoActSync(em, current);
      if (merged.isDefault && !current.isDefault) await this.clearDefault(em, current.id);
      const { id: _id, createdAt: _created, ...patch } = merged;
      await uniqueName(em.update(EmailServerProfile, { id: current.id }, patch));
      if (credentialsChanged && merged.useProfileCredentials) await this.resumeStoppedMailboxes(em, current.id);
      await stageProfileMailboxes(this.live, em, [current.id]);
    });
    return this.db.getRepository(EmailServerProfile).findOneByOrFail({ id: current.id });
  }

  /** Refused (CONFLICT) while mailboxes use the profile: they would lose their server silently. */
  async remove(principal: Principal, globalId: string): Promise<string> {
    requireMailAdmin(principal);
    const profile = await this.find(globalId);
    await this.db.transaction(async (em) => {
      // Exclusive lock first: a configureMailbox choosing this profile right now finishes before the count (SQLite runs one transaction at a time).
      await lockRow(em, 'email_server_profile', profile.id);
      const users = await em.countBy(Mailbox, { profileId: profile.id });
      if (users > 0) {
        throw new ApiError('CONFLICT', `id: ${users} mailbox${users === 1 ? ' uses' : 'es use'} the profile "${profile.name}"; give them another profile first`, 'id');
      }
      await em.delete(EmailServerProfile, { id: profile.id });
    });
    return globalId;
  }

  /** The profile that was the default is no longer (a mailbox query shows `profile.isDefault`). */
  private async clearDefault(em: EntityManager, newDefaultId: string): Promise<void> {
    const former = await em.find(EmailServerProfile, { where: { isDefault: true, id: Not(newDefaultId) }, select: { id: true } });
    if (!former.length) return;
    await em.update(EmailServerProfile, former.map((p) => p.id), { isDefault: false });
    await stageProfileMailboxes(this.live, em, former.map((p) => p.id));
  }

  /**
   * Mailboxes stopped by a refused password of this profile try again with its new credentials: STATE for
   * each, staged before the profile's CONFIGURATION so it is the event they get, and STATE for the
   * mailboxes whose shown state follows a forward mailbox among them.
   */
  private async resumeStoppedMailboxes(em: EntityManager, profileId: string): Promise<void> {
    const stopped = await em.find(Mailbox, { where: { profileId, state: MailboxState.DISABLED_AUTH }, select: { id: true } });
    if (stopped.length === 0) return;
    const forwarded = await forwardedStates(em);
    const ids = stopped.map((m) => m.id);
    const now = this.clock();
    await em.update(Mailbox, ids, { state: MailboxState.ENABLED, stateReason: null, nextSyncAt: now, failureCount: 0, updatedAt: now });
    await stageMailboxChanges(this.live, em, ids, 'STATE');
    for (const id of ids) await recordAlert(em, this.live, id, AlertSeverity.INFORMATION, 'CREDENTIALS_CHANGED', 'The server profile\'s credentials changed; synchronization resumes.', this.clock);
    await stageForwardedStateChanges(this.live, em, forwarded);
  }

  private async find(globalId: string): Promise<EmailServerProfile> {
    const { id } = expectGlobalId('id', globalId, 'EmailServerProfile');
    const profile = await this.db.getRepository(EmailServerProfile).findOneBy({ id });
    if (!profile) throw notFound('id', globalId);
    return profile;
  }

  private async requireFreeName(em: EntityManager, name: string, id: string): Promise<void> {
    if (await em.existsBy(EmailServerProfile, { name, id: Not(id) })) throw nameTaken(name);
  }

  /** The profile to store, with the rules no single field states; `current` on update. */
  private checked(input: CreateEmailServerProfileInput | UpdateEmailServerProfileInput, profile: EmailServerProfile, id: string, current?: EmailServerProfile): EmailServerProfile {
    profile.id = id;
    profile.name = profile.name.trim();
    if (profile.kind === EmailServerKind.EXCHANGE_EWS) checkExchange(input, profile);
    else checkInternetMail(input, profile);
    profile.credentialUsername = profile.credentialUsername?.trim() || null;
    profile.sentFolder = profile.sentFolder?.trim() || null;
    // node-pop3 speaks USER/PASS and APOP only: POP3 has no XOAUTH2 there.
    if (profile.kind === EmailServerKind.POP3_SMTP && profile.authMethod === MailAuthMethod.OAUTH_BEARER) {
      throw badInput('input.authMethod', 'OAUTH_BEARER is not available for POP3_SMTP profiles (the POP3 client signs in with a password only)');
    }
    if (profile.useImpersonation && !profile.useProfileCredentials) {
      throw badInput('input.useImpersonation', 'needs useProfileCredentials: the profile\'s service account signs in and acts as each mailbox');
    }
    const secret = secretOf(input, profile.authMethod);
    const methodChanged = current !== undefined && current.authMethod !== profile.authMethod;
    if (secret !== undefined) profile.credentialSecret = this.cipher.encrypt(secret, `profile:${id}`);
    else if (methodChanged) profile.credentialSecret = null; // a password is no access token, nor the reverse
    delete (profile as Partial<typeof input>).password;
    delete (profile as Partial<typeof input>).accessToken;
    if (profile.useProfileCredentials) {
      if (!profile.credentialUsername) throw badInput('input.credentialUsername', 'is required when useProfileCredentials is true');
      if (!profile.credentialSecret) {
        throw badInput(secretField(profile.authMethod), `is required when useProfileCredentials is true${methodChanged ? ' (authMethod changed: give the new secret)' : ''}`);
      }
    }
    return profile;
  }
}

/** An IMAP or POP3 profile: its incoming server complete, its SMTP server complete or absent, no Exchange settings. */
function checkInternetMail(input: CreateEmailServerProfileInput | UpdateEmailServerProfileInput, profile: EmailServerProfile): void {
  const absent = INCOMING.find((f) => profile[f] === null || profile[f] === undefined);
  if (absent) throw badInput(`input.${absent}`, `is required for ${profile.kind} profiles`, { reason: 'REQUIRED' });
  profile.incomingHost = host('input.incomingHost', profile.incomingHost!);
  profile.outgoingHost = profile.outgoingHost === null ? null : host('input.outgoingHost', profile.outgoingHost);
  const missing = outgoingProblem(profile);
  if (missing) throw badInput(missing.field, missing.message);
  if (input.ewsUrl) throw badInput('input.ewsUrl', `is for EXCHANGE_EWS profiles only, not ${profile.kind}`);
  if (input.useImpersonation) throw badInput('input.useImpersonation', `is for EXCHANGE_EWS profiles only, not ${profile.kind}`);
  if (profile.authMethod === MailAuthMethod.NTLM) throw badInput('input.authMethod', `NTLM is for EXCHANGE_EWS profiles only; ${profile.kind} signs in with PASSWORD or OAUTH_BEARER`);
  profile.ewsUrl = null;
  profile.useImpersonation = false;
}

/** An Exchange profile: the EWS URL (or Autodiscover), and none of the IMAP/POP3/SMTP settings, which it has no use for. */
function checkExchange(input: CreateEmailServerProfileInput | UpdateEmailServerProfileInput, profile: EmailServerProfile): void {
  for (const field of [...INCOMING, ...OUTGOING, 'sentFolder' as const]) {
    if (input[field] !== undefined && input[field] !== null) {
      throw badInput(`input.${field}`, 'is not used by EXCHANGE_EWS profiles: they connect to ewsUrl, or find the server by Autodiscover, and Exchange keeps the Sent Items copy itself');
    }
  }
  for (const field of [...INCOMING, ...OUTGOING, 'sentFolder' as const]) profile[field] = null;
  profile.ewsUrl = profile.ewsUrl === null ? null : ewsUrl('input.ewsUrl', profile.ewsUrl);
}

/**
 * An absolute http(s) URL without credentials or fragment: credentials belong in the write-only secret, never in
 * a URL the profile shows to every administrator (and logs print).
 */
function ewsUrl(field: string, value: string): string | null {
  const trimmed = value.trim();
  if (!trimmed) return null; // blank: Autodiscover, as when left out
  let url: URL;
  // The URL parser would quietly percent-encode a space; in a typed server address it is a typo.
  if (/\s/.test(trimmed)) throw badInput(field, 'must not contain spaces', { reason: 'INVALID_URL' });
  try {
    url = new URL(trimmed);
  } catch {
    // The value is not repeated: a mistyped URL may hold a password.
    throw badInput(field, 'is not an absolute URL (write https://mail.example.com/EWS/Exchange.asmx, or leave it out for Autodiscover)', { reason: 'INVALID_URL' });
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw badInput(field, 'must be an http or https URL', { reason: 'INVALID_URL' });
  if (url.username || url.password) throw badInput(field, 'must not hold a user name or password: set them as the profile\'s or mailbox\'s credentials', { reason: 'INVALID_URL' });
  if (url.hash) throw badInput(field, 'must not have a #fragment', { reason: 'INVALID_URL' });
  return url.href;
}

/**
 * Refused (CONFLICT) while mailboxes of an Exchange profile sync appointments, contacts and tasks: no other kind of
 * server holds them.
 */
async function requireNoActSync(em: EntityManager, profile: EmailServerProfile): Promise<void> {
  await lockRow(em, 'email_server_profile', profile.id);
  const syncing = await em.count(Mailbox, { where: { profileId: profile.id, actMethod: ActMethod.SERVER_SIDE_SYNC }, lock: rowLock(em, 'pessimistic_read') });
  if (syncing > 0) {
    const which = syncing === 1 ? '1 mailbox syncs' : `${syncing} mailboxes sync`;
    throw new ApiError('CONFLICT', `input.kind: ${which} appointments, contacts and tasks through "${profile.name}", which only Exchange can; set their method to NONE first`, 'input.kind');
  }
}

/** The outgoing server is all there or all absent: a port or TLS mode without a host (or the reverse) is a mistake. */
export function outgoingProblem(profile: Pick<EmailServerProfile, (typeof OUTGOING)[number]>): { field: string; message: string } | undefined {
  if (profile.outgoingHost === null) {
    const stray = OUTGOING.find((f) => profile[f] !== null);
    return stray && { field: 'input.outgoingHost', message: `is required when ${stray} is given (leave all three outgoing fields out for a profile that sends nothing)` };
  }
  const absent = OUTGOING.find((f) => profile[f] === null);
  return absent && { field: `input.${absent}`, message: 'is required with outgoingHost' };
}

/**
 * Refused (CONFLICT) while mailboxes of the profile send through its SMTP server: their email would
 * wait forever. The lock makes a concurrent configureMailbox (shared lock on the profile) finish first.
 */
async function requireNoSenders(em: EntityManager, profile: EmailServerProfile): Promise<void> {
  await lockRow(em, 'email_server_profile', profile.id);
  // A locking read: the transaction has read before (its name check), and InnoDB's plain SELECT would answer
  // from that snapshot, missing a configureMailbox that committed while this one waited for the lock.
  const senders = await em.count(Mailbox, { where: { profileId: profile.id, outgoingMethod: OutgoingMethod.SERVER_SIDE_SYNC }, lock: rowLock(em, 'pessimistic_read') });
  if (senders > 0) {
    const which = senders === 1 ? '1 mailbox sends' : `${senders} mailboxes send`;
    const field = profile.kind === EmailServerKind.EXCHANGE_EWS ? 'input.kind' : 'input.outgoingHost';
    const through = profile.kind === EmailServerKind.EXCHANGE_EWS ? `through "${profile.name}"` : `through the SMTP server of "${profile.name}"`;
    throw new ApiError('CONFLICT', `${field}: ${which} ${through}; set their outgoing method to NONE first`, field);
  }
}

function host(field: string, value: string): string {
  const trimmed = value.trim();
  if (!trimmed) throw badInput(field, 'must not be empty or blank', { reason: 'REQUIRED' });
  if (/\s|\//.test(trimmed)) throw badInput(field, `"${value}" is not a host name or IP address`);
  return trimmed;
}

const nameTaken = (name: string) => new ApiError('CONFLICT', `input.name: a server profile named "${name}" already exists`, 'input.name');

/** Another administrator took the name between our check and the write (the unique index decides). */
function uniqueName<T>(write: Promise<T>): Promise<T> {
  return unlessDuplicate(write, () => new ApiError('CONFLICT', 'input.name: a server profile with this name already exists', 'input.name'));
}
