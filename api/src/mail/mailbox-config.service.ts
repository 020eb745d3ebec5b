import type { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../access/principal';
import { Privilege } from '../access/privileges';
import { badInput, forbidden, notFound } from '../common/errors';
import { expectGlobalId, optionalGlobalId } from '../common/global-id';
import { User } from '../identity/user.entity';
import type { LiveEventLog, MailboxChange } from '../live/live-event-log';
import type { Clock } from '../platform/clock';
import { nonNull } from '../records/patch';
import type { CredentialCipher } from './credential-cipher';
import { secretField, secretOf } from './credential-input';
import { EmailServerProfile } from './email-server-profile.entity';
import { profileSends, profileSyncsAct } from './profile-capabilities';
import { AlertSeverity, ChannelTestStatus, EmailApproval, MailboxState } from './mail-enums';
import { recordAlert } from './mailbox-alerts';
import { configurationProblem, reconfiguration, requestedTestStatuses, type MailboxConfig } from './mailbox-config-rules';
import type { ConfigureMailboxInput, MailboxCredentialsInput } from './mailbox-config.inputs';
import { approvalAllows } from './mailbox-eligibility';
import { forwardedStates, stageForwardedStateChanges, stageMailboxChanges } from './mailbox-live-events';
import { Mailbox } from './mailbox.entity';
import { ORGANIZATION_SETTINGS_ID, OrganizationEmailSettings } from './organization-email-settings.entity';
import { isMailAdmin, mayUseMailbox } from './mailbox.service';
import { lockRow, rowLock } from '../db/row-locks';

/** Who may make a change: administrators only, or the mailbox owner too. */
type Access = 'admin' | 'ownerOrAdmin';

/**
 * A change inside the mailbox's locked transaction, at `now`; `actor` names the caller for the alert log. It
 * returns what changed, for the live event (`mailboxChanged`), or null when nothing did.
 */
type Change = (em: EntityManager, mailbox: Mailbox, actor: string, now: Date) => Promise<MailboxChange | null>;

/**
 * Dynamics' mailbox form and its buttons: configuration, credentials, approval, Test & Enable, disable and
 * resync. Each change runs under the mailbox row's lock (the sync engine's reports take it too) and leaves
 * a line in the mailbox's alert log where the owner would want to know.
 */
export class MailboxConfigService {
  constructor(
    private readonly db: DataSource,
    private readonly cipher: CredentialCipher,
    private readonly live: LiveEventLog,
    private readonly clock: Clock,
  ) {}

  configure(principal: Principal, globalId: string, input: ConfigureMailboxInput): Promise<Mailbox> {
    nonNull(input, ['incomingMethod', 'outgoingMethod', 'appointmentsContactsTasksMethod', 'isForwardMailbox', 'deleteForwardedCopies']);
    const profileId = optionalGlobalId('input.profileId', input.profileId, 'EmailServerProfile');
    return this.change(principal, globalId, 'admin', async (em, mailbox, actor, now) => {
      // Shared lock: a concurrent deleteEmailServerProfile (which locks the row exclusively) waits, then counts this mailbox.
      const chosenId = profileId === undefined ? mailbox.profileId : profileId;
      const profile = chosenId ? await em.findOne(EmailServerProfile, { where: { id: chosenId }, lock: rowLock(em, 'pessimistic_read') }) : null;
      if (profileId && !profile) throw notFound('input.profileId', input.profileId!);
      const isForwardMailbox = input.isForwardMailbox ?? mailbox.isForwardMailbox;
      const after: MailboxConfig = {
        ownerKind: mailbox.ownerKind,
        profileId: profileId === undefined ? mailbox.profileId : profileId,
        incomingMethod: input.incomingMethod ?? mailbox.incomingMethod,
        outgoingMethod: input.outgoingMethod ?? mailbox.outgoingMethod,
        actMethod: input.appointmentsContactsTasksMethod ?? mailbox.actMethod,
        isForwardMailbox,
        // No longer the forward mailbox: nothing left to delete.
        deleteForwardedCopies: input.deleteForwardedCopies ?? (isForwardMailbox ? mailbox.deleteForwardedCopies : false),
      };
      const problem = configurationProblem(after, profile && { name: profile.name, sends: profileSends(profile), syncsAct: profileSyncsAct(profile) }, {
        profileId: profileId !== undefined,
        outgoingMethod: input.outgoingMethod !== undefined,
        actMethod: input.appointmentsContactsTasksMethod !== undefined,
      });
      if (problem) throw badInput(problem.field, problem.message);
      const effect = reconfiguration(mailbox, after);
      const { ownerKind: _kind, ...columns } = after;
      await em.update(Mailbox, { id: mailbox.id }, {
        ...columns,
        ...(input.processEmailFrom !== undefined ? { processEmailFrom: input.processEmailFrom } : {}),
        ...(effect.retest ? { state: effect.retest.state, stateReason: effect.retest.reason, nextSyncAt: null } : {}),
        ...(effect.resetIncomingTest ? { incomingTestStatus: ChannelTestStatus.NOT_RUN, incomingTestCode: null, incomingTestReason: null } : {}),
        ...(effect.resetOutgoingTest ? { outgoingTestStatus: ChannelTestStatus.NOT_RUN, outgoingTestCode: null, outgoingTestReason: null } : {}),
        ...(effect.resetActTest ? { actTestStatus: ChannelTestStatus.NOT_RUN, actTestCode: null, actTestReason: null } : {}),
        updatedAt: now,
      });
      const changes = describeChanges(mailbox, after, profile, input.processEmailFrom);
      if (changes.length === 0) return null;
      const next = effect.retest ? ` The mailbox stopped synchronizing (${effect.retest.reason}).` : '';
      await recordAlert(em, this.live, mailbox.id, AlertSeverity.INFORMATION, 'CONFIGURATION_CHANGED', `Configuration changed by ${actor}: ${changes.join('; ')}.${next}`, this.clock);
      return 'CONFIGURATION';
    });
  }

  /** Owner or administrator; new credentials end a stop caused by a refused password. */
  setCredentials(principal: Principal, globalId: string, input: MailboxCredentialsInput): Promise<Mailbox> {
    return this.change(principal, globalId, 'ownerOrAdmin', async (em, mailbox, actor, now) => {
      const profile = mailbox.profileId ? await em.findOneBy(EmailServerProfile, { id: mailbox.profileId }) : null;
      const method = profile?.authMethod ?? null;
      const secret = secretOf(input, method);
      if (secret === undefined) throw badInput(secretField(method), 'is required');
      const resumes = mailbox.state === MailboxState.DISABLED_AUTH;
      const syncing = resumes || mailbox.state === MailboxState.ENABLED || mailbox.state === MailboxState.BACKING_OFF;
      await em.update(Mailbox, { id: mailbox.id }, {
        credentialUsername: input.username.trim(),
        credentialSecret: this.cipher.encrypt(secret, `mailbox:${mailbox.id}`),
        ...(resumes ? { state: MailboxState.ENABLED, stateReason: null, failureCount: 0 } : {}),
        // Try the new credentials at once rather than at the next poll.
        ...(syncing ? { nextSyncAt: now } : {}),
        updatedAt: now,
      });
      const message = resumes ? `Credentials changed by ${actor}; synchronization resumes.` : `Credentials changed by ${actor}.`;
      await recordAlert(em, this.live, mailbox.id, AlertSeverity.INFORMATION, 'CREDENTIALS_CHANGED', message, this.clock);
      return resumes ? 'STATE' : 'CONFIGURATION';
    });
  }

  setApproval(principal: Principal, globalId: string, approval: EmailApproval.APPROVED | EmailApproval.REJECTED): Promise<Mailbox> {
    return this.change(principal, globalId, 'admin', async (em, mailbox, actor, now) => {
      if (mailbox.approval === approval) return null;
      await em.update(Mailbox, { id: mailbox.id }, { approval, updatedAt: now });
      if (approval === EmailApproval.APPROVED) {
        await recordAlert(em, this.live, mailbox.id, AlertSeverity.INFORMATION, 'EMAIL_APPROVED', `Email address ${mailbox.address} approved by ${actor}.`, this.clock);
      } else {
        const effect = (await settingsIn(em)).processEmailOnlyForApprovedMailboxes ? ' Email is not processed for this mailbox.' : '';
        await recordAlert(em, this.live, mailbox.id, AlertSeverity.WARNING, 'EMAIL_REJECTED', `Email address ${mailbox.address} rejected by ${actor}.${effect}`, this.clock);
      }
      return 'STATE';
    });
  }

  /** Asks a sync engine to test each channel; its report enables the mailbox (reportMailboxTest). */
  testAndEnable(principal: Principal, globalId: string): Promise<Mailbox> {
    return this.change(principal, globalId, 'ownerOrAdmin', async (em, mailbox, actor, now) => {
      if (mailbox.state === MailboxState.DISABLED_BY_ADMIN && !isMailAdmin(principal)) {
        throw forbidden('an administrator disabled this mailbox; only an administrator can enable it again');
      }
      const profile = mailbox.profileId ? await em.findOneBy(EmailServerProfile, { id: mailbox.profileId }) : null;
      if (!profile) throw badInput('id', 'the mailbox has no email server profile: an administrator chooses one first (configureMailbox, input.profileId)');
      const settings = await settingsIn(em);
      if (!approvalAllows(mailbox, settings)) {
        const status = mailbox.approval === EmailApproval.REJECTED ? 'was rejected' : 'is not approved yet';
        throw badInput('id', `approve the email address first: ${mailbox.address} ${status}, and the organization processes email only for approved mailboxes (approveMailboxEmail)`);
      }
      if (profile.useProfileCredentials ? !profile.credentialSecret : !mailbox.credentialSecret) {
        throw badInput(
          'id',
          profile.useProfileCredentials
            ? `the server profile "${profile.name}" signs every mailbox in with its own credentials, but has none: set them on the profile first`
            : 'the mailbox has no credentials: set them first (setMailboxCredentials)',
        );
      }
      const statuses = requestedTestStatuses(mailbox);
      if (statuses.incoming === ChannelTestStatus.NOT_RUN && statuses.outgoing === ChannelTestStatus.NOT_RUN) {
        throw badInput('id', 'incoming and outgoing email are both off for this mailbox (methods NONE or FORWARD_MAILBOX): nothing to test');
      }
      await em.update(Mailbox, { id: mailbox.id }, {
        testRequestedAt: now,
        incomingTestStatus: statuses.incoming,
        incomingTestCode: null,
        incomingTestReason: null,
        outgoingTestStatus: statuses.outgoing,
        outgoingTestCode: null,
        outgoingTestReason: null,
        actTestStatus: statuses.act,
        actTestCode: null,
        actTestReason: null,
        updatedAt: now,
      });
      await recordAlert(em, this.live, mailbox.id, AlertSeverity.INFORMATION, 'TEST_REQUESTED', `Test & Enable requested by ${actor}.`, this.clock);
      return 'TEST';
    });
  }

  /** Stops all synchronization until an administrator runs Test & Enable again; a pending test is withdrawn. */
  disable(principal: Principal, globalId: string): Promise<Mailbox> {
    return this.change(principal, globalId, 'admin', async (em, mailbox, actor, now) => {
      if (mailbox.state === MailboxState.DISABLED_BY_ADMIN) return null;
      const withdrawn = (status: ChannelTestStatus) => (status === ChannelTestStatus.PENDING ? ChannelTestStatus.NOT_RUN : status);
      await em.update(Mailbox, { id: mailbox.id }, {
        state: MailboxState.DISABLED_BY_ADMIN,
        stateReason: `disabled by ${actor}`,
        nextSyncAt: null,
        testRequestedAt: null,
        incomingTestStatus: withdrawn(mailbox.incomingTestStatus),
        outgoingTestStatus: withdrawn(mailbox.outgoingTestStatus),
        actTestStatus: withdrawn(mailbox.actTestStatus),
        updatedAt: now,
      });
      await recordAlert(em, this.live, mailbox.id, AlertSeverity.INFORMATION, 'DISABLED_BY_ADMIN', `Mailbox disabled by ${actor}; run Test & Enable to synchronize again.`, this.clock);
      return 'STATE';
    });
  }

  /** Re-reads mail received since `from` at the next sync; what was already decided is recognized, not duplicated. */
  resync(principal: Principal, globalId: string, from: Date): Promise<Mailbox> {
    if (Number.isNaN(from.getTime()) || from.getTime() > this.clock().getTime()) throw badInput('from', 'must be a date in the past', { reason: 'DATE_IN_FUTURE' });
    return this.change(principal, globalId, 'admin', async (em, mailbox, actor, now) => {
      await em.update(Mailbox, { id: mailbox.id }, { resyncFrom: from, nextSyncAt: now, updatedAt: now });
      await recordAlert(em, this.live, mailbox.id, AlertSeverity.INFORMATION, 'RESYNC_REQUESTED', `Resync of mail received since ${from.toISOString()} requested by ${actor}.`, this.clock);
      return 'CONFIGURATION';
    });
  }

  /**
   * Checks access, runs `apply` with the mailbox re-read under its row lock, stages its live event (and
   * STATE for the mailboxes whose shown state follows a forward mailbox it changed), and returns the
   * mailbox as committed.
   */
  private async change(principal: Principal, globalId: string, access: Access, apply: Change): Promise<Mailbox> {
    const { id } = expectGlobalId('id', globalId, 'Mailbox');
    const found = await this.db.getRepository(Mailbox).findOneBy({ id });
    if (!found || !mayUseMailbox(principal, found, Privilege.READ)) throw notFound('id', globalId);
    if (access === 'admin' ? !isMailAdmin(principal) : !mayUseMailbox(principal, found, Privilege.WRITE)) {
      throw forbidden(access === 'admin' ? 'only administrators with organization-wide mailbox privileges may do this' : 'you may not change this mailbox');
    }
    await this.db.transaction(async (em) => {
      // SQLite runs one transaction at a time (db/sqlite-serial.ts); MariaDB needs the row lock.
      await lockRow(em, 'mailbox', id);
      const mailbox = await em.findOneByOrFail(Mailbox, { id });
      const user = await em.findOne(User, { where: { id: principal.userId }, select: { email: true } });
      const forwarded = await forwardedStates(em);
      const changed = await apply(em, mailbox, user?.email ?? 'an administrator', this.clock());
      if (!changed) return;
      await stageMailboxChanges(this.live, em, [id], changed);
      await stageForwardedStateChanges(this.live, em, forwarded);
    });
    return this.db.getRepository(Mailbox).findOneByOrFail({ id });
  }
}

const settingsIn = (em: EntityManager) => em.findOneByOrFail(OrganizationEmailSettings, { id: ORGANIZATION_SETTINGS_ID });

/** The configuration changes in words, for the alert log. */
function describeChanges(before: Mailbox, after: MailboxConfig, profile: EmailServerProfile | null, processEmailFrom: Date | null | undefined): string[] {
  const changes: string[] = [];
  if (before.profileId !== after.profileId) changes.push(profile ? `server profile "${profile.name}"` : 'no server profile');
  if (before.incomingMethod !== after.incomingMethod) changes.push(`incoming ${after.incomingMethod}`);
  if (before.outgoingMethod !== after.outgoingMethod) changes.push(`outgoing ${after.outgoingMethod}`);
  if (before.actMethod !== after.actMethod) changes.push(`appointments, contacts and tasks ${after.actMethod}`);
  if (before.isForwardMailbox !== after.isForwardMailbox) changes.push(after.isForwardMailbox ? 'now the forward mailbox' : 'no longer the forward mailbox');
  if (before.deleteForwardedCopies !== after.deleteForwardedCopies) changes.push(after.deleteForwardedCopies ? 'forwarded copies deleted after processing' : 'forwarded copies kept');
  if (processEmailFrom !== undefined && processEmailFrom?.getTime() !== before.processEmailFrom?.getTime()) {
    changes.push(processEmailFrom ? `process email from ${processEmailFrom.toISOString()}` : 'process email from the profile\'s date');
  }
  return changes;
}
