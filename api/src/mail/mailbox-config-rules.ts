import { ActMethod, ChannelTestStatus, EmailApproval, IncomingMethod, MailboxOwnerKind, MailboxState, OutgoingMethod } from './mail-enums';

/** What an administrator configures on a mailbox (Dynamics' mailbox form), as plain data. */
export interface MailboxConfig {
  readonly ownerKind: MailboxOwnerKind;
  readonly profileId: string | null;
  readonly incomingMethod: IncomingMethod;
  readonly outgoingMethod: OutgoingMethod;
  readonly actMethod: ActMethod;
  readonly isForwardMailbox: boolean;
  readonly deleteForwardedCopies: boolean;
}

/** What the rules need of the mailbox's server profile. */
export interface ProfileFacts {
  readonly name: string;
  /** Mail can be sent through it (an SMTP server, which is optional on IMAP/POP3 profiles, or Exchange). */
  readonly sends: boolean;
  /** It holds appointments, contacts and tasks (Exchange). */
  readonly syncsAct: boolean;
}

/**
 * The first rule a configuration breaks, with the input field to name; undefined when it is valid.
 * `changed` says which inputs the caller gave, so a conflict between two names the one they changed.
 */
export function configurationProblem(
  config: MailboxConfig,
  profile?: ProfileFacts | null,
  changed: { readonly profileId?: boolean; readonly outgoingMethod?: boolean; readonly actMethod?: boolean } = {},
): { field: string; message: string } | undefined {
  if (config.outgoingMethod === OutgoingMethod.SERVER_SIDE_SYNC && profile && !profile.sends) {
    return {
      field: changed.profileId && !changed.outgoingMethod ? 'input.profileId' : 'input.outgoingMethod',
      message: `the server profile "${profile.name}" has no outgoing (SMTP) server, so the mailbox cannot send through it: use outgoing method NONE, or give the profile an SMTP server first`,
    };
  }
  // Dynamics syncs appointments, contacts and tasks with Exchange only.
  if (config.actMethod === ActMethod.SERVER_SIDE_SYNC && !profile?.syncsAct) {
    return {
      field: changed.profileId && !changed.actMethod ? 'input.profileId' : 'input.appointmentsContactsTasksMethod',
      message: profile
        ? `appointments, contacts and tasks sync needs an Exchange server profile, and "${profile.name}" is IMAP/POP3: use NONE, or choose an EXCHANGE_EWS profile`
        : 'appointments, contacts and tasks sync needs an Exchange server profile: choose an EXCHANGE_EWS profile first, or use NONE',
    };
  }
  // Dynamics' forward mailbox is a mailbox of its own, not a person's; here that is a queue mailbox.
  if (config.isForwardMailbox && config.ownerKind === MailboxOwnerKind.USER) {
    return { field: 'input.isForwardMailbox', message: 'a user\'s mailbox cannot be the forward mailbox: make a queue for it and configure the queue\'s mailbox' };
  }
  // Queues may also receive through the forward mailbox (Dynamics offers it for queues too); only the sink itself may not.
  if (config.isForwardMailbox && config.incomingMethod === IncomingMethod.FORWARD_MAILBOX) {
    return { field: 'input.incomingMethod', message: 'the forward mailbox cannot receive its mail through itself: use SERVER_SIDE_SYNC or NONE' };
  }
  if (config.deleteForwardedCopies && !config.isForwardMailbox) {
    return { field: 'input.deleteForwardedCopies', message: 'only a forward mailbox (isForwardMailbox) deletes forwarded copies' };
  }
  return undefined;
}

/** Whether the engine connects for incoming mail / sends outgoing mail, configuration-wise (see mailbox-eligibility for the rest). */
export const incomingConnected = (c: Pick<MailboxConfig, 'incomingMethod' | 'isForwardMailbox'>): boolean =>
  c.incomingMethod === IncomingMethod.SERVER_SIDE_SYNC || c.isForwardMailbox;
export const outgoingConnected = (c: Pick<MailboxConfig, 'outgoingMethod'>): boolean => c.outgoingMethod === OutgoingMethod.SERVER_SIDE_SYNC;
export const actConnected = (c: Pick<MailboxConfig, 'actMethod'>): boolean => c.actMethod === ActMethod.SERVER_SIDE_SYNC;

/** What a configuration change does to the sync state: a new server or a channel never tested needs Test & Enable again. */
export interface Reconfiguration {
  /** The new state and reason, when the mailbox must be tested again; undefined: unchanged. */
  readonly retest?: { readonly state: MailboxState.NOT_ENABLED; readonly reason: string };
  /** Channels whose earlier test result no longer applies. */
  readonly resetIncomingTest: boolean;
  readonly resetOutgoingTest: boolean;
  readonly resetActTest: boolean;
}

/** States that a re-test takes the mailbox out of; DISABLED_BY_ADMIN stays as the administrator left it. */
const RETEST_FROM: readonly MailboxState[] = [MailboxState.ENABLED, MailboxState.BACKING_OFF, MailboxState.DISABLED_AUTH];

export function reconfiguration(before: MailboxConfig & { state: MailboxState }, after: MailboxConfig): Reconfiguration {
  const profileChanged = before.profileId !== after.profileId;
  const newIncoming = incomingConnected(after) && !incomingConnected(before);
  const newOutgoing = outgoingConnected(after) && !outgoingConnected(before);
  const newAct = actConnected(after) && !actConnected(before);
  const stale = profileChanged || newIncoming || newOutgoing || newAct;
  const reason = profileChanged ? 'profile changed; run Test & Enable' : 'synchronization methods changed; run Test & Enable';
  return {
    retest: stale && RETEST_FROM.includes(before.state) ? { state: MailboxState.NOT_ENABLED, reason } : undefined,
    resetIncomingTest: profileChanged || newIncoming,
    resetOutgoingTest: profileChanged || newOutgoing,
    resetActTest: profileChanged || newAct || !actConnected(after),
  };
}

/** Test & Enable's starting statuses: PENDING for each channel the engine will test, NOT_RUN for one it will not. */
export function requestedTestStatuses(config: MailboxConfig): { incoming: ChannelTestStatus; outgoing: ChannelTestStatus; act: ChannelTestStatus } {
  return {
    incoming: incomingConnected(config) ? ChannelTestStatus.PENDING : ChannelTestStatus.NOT_RUN,
    outgoing: outgoingConnected(config) ? ChannelTestStatus.PENDING : ChannelTestStatus.NOT_RUN,
    act: actConnected(config) ? ChannelTestStatus.PENDING : ChannelTestStatus.NOT_RUN,
  };
}

/**
 * What a new address does to a mailbox: Dynamics resets its approval (the new address must be approved
 * again) and its Test & Enable (the old tests were of another address), so a syncing mailbox stops.
 */
export function readdressed(before: { readonly state: MailboxState }) {
  const stops = RETEST_FROM.includes(before.state);
  return {
    approval: EmailApproval.PENDING_APPROVAL,
    ...(stops ? { state: MailboxState.NOT_ENABLED, stateReason: 'email address changed; approve it and run Test & Enable', nextSyncAt: null } : {}),
    testRequestedAt: null,
    incomingTestStatus: ChannelTestStatus.NOT_RUN,
    incomingTestCode: null,
    incomingTestReason: null,
    outgoingTestStatus: ChannelTestStatus.NOT_RUN,
    outgoingTestCode: null,
    outgoingTestReason: null,
    actTestStatus: ChannelTestStatus.NOT_RUN,
    actTestCode: null,
    actTestReason: null,
  } as const;
}
