import { describe, expect, it } from 'vitest';
import { EmailApproval, IncomingMethod, MailboxState, OutgoingMethod } from './mail-enums';
import { incomingEnabled, isSyncable, mayClaimForSync, mayClaimForTest, maySend, outgoingEnabled, type EligibilityMailbox } from './mailbox-eligibility';

const ready: EligibilityMailbox = {
  profileId: 'p1',
  approval: EmailApproval.APPROVED,
  state: MailboxState.ENABLED,
  incomingMethod: IncomingMethod.SERVER_SIDE_SYNC,
  outgoingMethod: OutgoingMethod.SERVER_SIDE_SYNC,
  isForwardMailbox: false,
  testRequestedAt: null,
};
const strict = { processEmailOnlyForApprovedMailboxes: true };
const lax = { processEmailOnlyForApprovedMailboxes: false };
const mailbox = (change: Partial<EligibilityMailbox>): EligibilityMailbox => ({ ...ready, ...change });

describe('isSyncable', () => {
  it.each([
    ['configured, approved, enabled', {}, strict, true],
    ['backing off still syncs', { state: MailboxState.BACKING_OFF }, strict, true],
    ['never enabled', { state: MailboxState.NOT_ENABLED }, strict, false],
    ['stopped on a refused password', { state: MailboxState.DISABLED_AUTH }, strict, false],
    ['disabled by an administrator', { state: MailboxState.DISABLED_BY_ADMIN }, strict, false],
    ['no profile', { profileId: null }, strict, false],
    ['pending approval, approval required', { approval: EmailApproval.PENDING_APPROVAL }, strict, false],
    ['rejected, approval required', { approval: EmailApproval.REJECTED }, strict, false],
    ['pending approval, approval not required', { approval: EmailApproval.PENDING_APPROVAL }, lax, true],
    ['rejected, approval not required', { approval: EmailApproval.REJECTED }, lax, true],
  ] as const)('%s → %s', (_name, change, settings, expected) => {
    expect(isSyncable(mailbox(change), settings)).toBe(expected);
  });
});

describe('incoming and outgoing channels', () => {
  it.each([
    ['both by server-side sync', {}, [true, true]],
    ['incoming NONE', { incomingMethod: IncomingMethod.NONE }, [false, true]],
    ['incoming through the forward mailbox: not connected itself', { incomingMethod: IncomingMethod.FORWARD_MAILBOX }, [false, true]],
    ['the forward mailbox itself is read whatever its incoming method', { incomingMethod: IncomingMethod.NONE, isForwardMailbox: true }, [true, true]],
    ['outgoing NONE', { outgoingMethod: OutgoingMethod.NONE }, [true, false]],
    ['both NONE', { incomingMethod: IncomingMethod.NONE, outgoingMethod: OutgoingMethod.NONE }, [false, false]],
    ['not syncable: neither', { state: MailboxState.DISABLED_AUTH }, [false, false]],
    ['forward mailbox disabled: neither', { isForwardMailbox: true, state: MailboxState.DISABLED_BY_ADMIN }, [false, false]],
  ] as const)('%s → incoming/outgoing %j', (_name, change, [incoming, outgoing]) => {
    const m = mailbox(change);
    expect([incomingEnabled(m, strict), outgoingEnabled(m, strict)]).toEqual([incoming, outgoing]);
    expect([mayClaimForSync(m, strict), maySend(m, strict)]).toEqual([incoming, outgoing]);
  });
});

describe('mayClaimForTest', () => {
  const requested = new Date('2025-01-01T00:00:00Z');
  it.each([
    ['requested on a never-enabled mailbox', { state: MailboxState.NOT_ENABLED, testRequestedAt: requested }, strict, true],
    ['requested after a refused password', { state: MailboxState.DISABLED_AUTH, testRequestedAt: requested }, strict, true],
    ['requested on a disabled mailbox', { state: MailboxState.DISABLED_BY_ADMIN, testRequestedAt: requested }, strict, true],
    ['not requested', { testRequestedAt: null }, strict, false],
    ['no profile', { profileId: null, testRequestedAt: requested }, strict, false],
    ['pending approval, approval required', { approval: EmailApproval.PENDING_APPROVAL, testRequestedAt: requested }, strict, false],
    ['pending approval, approval not required', { approval: EmailApproval.PENDING_APPROVAL, testRequestedAt: requested }, lax, true],
  ] as const)('%s → %s', (_name, change, settings, expected) => {
    expect(mayClaimForTest(mailbox(change), settings)).toBe(expected);
  });
});
