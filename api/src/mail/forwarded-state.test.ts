import { describe, expect, it } from 'vitest';
import { effectiveState, type ForwardMailbox, type StatedMailbox } from './forwarded-state';
import { EmailApproval, IncomingMethod, MailboxState, OutgoingMethod } from './mail-enums';

const forwardUser: StatedMailbox = {
  incomingMethod: IncomingMethod.FORWARD_MAILBOX,
  outgoingMethod: OutgoingMethod.NONE,
  approval: EmailApproval.APPROVED,
  state: MailboxState.NOT_ENABLED,
  stateReason: null,
};
const sink: ForwardMailbox = { address: 'fwd@demo.crm.test', approval: EmailApproval.APPROVED, profileId: 'p1', state: MailboxState.ENABLED, stateReason: null };
const strict = { processEmailOnlyForApprovedMailboxes: true };
const lax = { processEmailOnlyForApprovedMailboxes: false };

describe('effectiveState of a mailbox whose mail arrives through the forward mailbox', () => {
  it.each([
    ['the forward mailbox syncs', forwardUser, [sink], strict, MailboxState.ENABLED, /arrives through the forward mailbox fwd@/],
    ['it backs off', forwardUser, [{ ...sink, state: MailboxState.BACKING_OFF, stateReason: 'connection refused' }], strict, MailboxState.BACKING_OFF, /^The forward mailbox fwd@demo.crm.test is retrying after a failure; filing resumes on its own.$/],
    ['its credentials were refused', forwardUser, [{ ...sink, state: MailboxState.DISABLED_AUTH }], strict, MailboxState.DISABLED_AUTH, /refused its credentials/],
    ['an administrator disabled it', forwardUser, [{ ...sink, state: MailboxState.DISABLED_BY_ADMIN }], strict, MailboxState.DISABLED_BY_ADMIN, /administrator disabled/],
    ['it was never enabled', forwardUser, [{ ...sink, state: MailboxState.NOT_ENABLED }], strict, MailboxState.NOT_ENABLED, /Test & Enable/],
    ['it has no profile', forwardUser, [{ ...sink, profileId: null }], strict, MailboxState.NOT_ENABLED, /needs an email server profile/],
    ['its address is not approved', forwardUser, [{ ...sink, approval: EmailApproval.PENDING_APPROVAL }], strict, MailboxState.NOT_ENABLED, /approved address/],
    ['…unless approval is not required', forwardUser, [{ ...sink, approval: EmailApproval.PENDING_APPROVAL }], lax, MailboxState.ENABLED, /arrives through/],
    ['there is no forward mailbox', forwardUser, [], strict, MailboxState.NOT_ENABLED, /has none/],
    ['the user\'s own address awaits approval', { ...forwardUser, approval: EmailApproval.PENDING_APPROVAL }, [sink], strict, MailboxState.NOT_ENABLED, /until its email address is approved/],
    ['one of two forward mailboxes syncs', forwardUser, [{ ...sink, address: 'a@x', state: MailboxState.DISABLED_AUTH }, { ...sink, address: 'b@x' }], strict, MailboxState.ENABLED, /b@x/],
    ['its own stored state does not count without a channel of its own', { ...forwardUser, state: MailboxState.DISABLED_BY_ADMIN }, [sink], strict, MailboxState.ENABLED, /arrives through/],
    ['sending over its own SMTP: the worse of the two (its own untested)', { ...forwardUser, outgoingMethod: OutgoingMethod.SERVER_SIDE_SYNC, stateReason: 'run Test & Enable' }, [sink], strict, MailboxState.NOT_ENABLED, /run Test & Enable/],
    ['…and on a tie its own reason', { ...forwardUser, outgoingMethod: OutgoingMethod.SERVER_SIDE_SYNC, stateReason: 'profile changed' }, [], strict, MailboxState.NOT_ENABLED, /profile changed/],
    ['…or the forward mailbox\'s when it has none', { ...forwardUser, outgoingMethod: OutgoingMethod.SERVER_SIDE_SYNC }, [], strict, MailboxState.NOT_ENABLED, /has none/],
    ['sending over its own SMTP, both healthy', { ...forwardUser, outgoingMethod: OutgoingMethod.SERVER_SIDE_SYNC, state: MailboxState.ENABLED }, [sink], strict, MailboxState.ENABLED, /arrives through/],
    ['sending over its own SMTP, the forward mailbox stopped', { ...forwardUser, outgoingMethod: OutgoingMethod.SERVER_SIDE_SYNC, state: MailboxState.ENABLED }, [{ ...sink, state: MailboxState.DISABLED_AUTH }], strict, MailboxState.DISABLED_AUTH, /forward mailbox/],
  ] as const)('%s → %s', (_name, mailbox, forwards, settings, state, reason) => {
    const view = effectiveState(mailbox, forwards, settings);
    expect(view.state).toBe(state);
    expect(view.reason).toMatch(reason);
  });

  it('leaves every other mailbox\'s own state alone', () => {
    const own = { ...forwardUser, incomingMethod: IncomingMethod.SERVER_SIDE_SYNC, state: MailboxState.BACKING_OFF, stateReason: 'timeout' };
    expect(effectiveState(own, [sink], strict)).toEqual({ state: MailboxState.BACKING_OFF, reason: 'timeout' });
  });
});
