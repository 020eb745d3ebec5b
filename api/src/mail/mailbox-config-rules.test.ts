import { describe, expect, it } from 'vitest';
import { ActMethod, ChannelTestStatus, EmailApproval, IncomingMethod, MailAuthMethod, MailboxOwnerKind, MailboxState, OutgoingMethod } from './mail-enums';
import { configurationProblem, readdressed, reconfiguration, requestedTestStatuses, type MailboxConfig } from './mailbox-config-rules';
import { secretOf } from './credential-input';

const base: MailboxConfig = {
  ownerKind: MailboxOwnerKind.USER,
  profileId: 'p1',
  incomingMethod: IncomingMethod.SERVER_SIDE_SYNC,
  outgoingMethod: OutgoingMethod.SERVER_SIDE_SYNC,
  actMethod: ActMethod.NONE,
  isForwardMailbox: false,
  deleteForwardedCopies: false,
};
const config = (change: Partial<MailboxConfig>): MailboxConfig => ({ ...base, ...change });

describe('configurationProblem', () => {
  it.each([
    ['the defaults', {}, undefined],
    ['appointments/contacts/tasks sync (Exchange only)', { actMethod: ActMethod.SERVER_SIDE_SYNC }, 'input.appointmentsContactsTasksMethod'],
    ['a user mailbox as the forward mailbox', { isForwardMailbox: true }, 'input.isForwardMailbox'],
    ['a queue mailbox as the forward mailbox', { ownerKind: MailboxOwnerKind.QUEUE, isForwardMailbox: true }, undefined],
    ['the forward mailbox deleting copies', { ownerKind: MailboxOwnerKind.QUEUE, isForwardMailbox: true, deleteForwardedCopies: true }, undefined],
    ['the forward mailbox receiving through itself', { ownerKind: MailboxOwnerKind.QUEUE, isForwardMailbox: true, incomingMethod: IncomingMethod.FORWARD_MAILBOX }, 'input.incomingMethod'],
    ['a queue receiving through the forward mailbox', { ownerKind: MailboxOwnerKind.QUEUE, incomingMethod: IncomingMethod.FORWARD_MAILBOX }, undefined],
    ['deleting copies without being the forward mailbox', { deleteForwardedCopies: true }, 'input.deleteForwardedCopies'],
  ] as const)('%s → %s', (_name, change, field) => {
    expect(configurationProblem(config(change))?.field).toBe(field);
  });

  const imap = { name: 'Dovecot', sends: true, syncsAct: false };
  const exchange = { name: 'Exchange', sends: true, syncsAct: true };
  it.each([
    ['act sync on an Exchange profile', { actMethod: ActMethod.SERVER_SIDE_SYNC }, exchange, {}, undefined],
    ['act sync on an IMAP profile', { actMethod: ActMethod.SERVER_SIDE_SYNC }, imap, { actMethod: true }, 'input.appointmentsContactsTasksMethod'],
    ['an IMAP profile chosen for a mailbox that syncs act', { actMethod: ActMethod.SERVER_SIDE_SYNC }, imap, { profileId: true }, 'input.profileId'],
    ['sending through Exchange (no SMTP server)', {}, exchange, {}, undefined],
    ['sending through a profile that sends nothing', {}, { name: 'Read only', sends: false, syncsAct: false }, { outgoingMethod: true }, 'input.outgoingMethod'],
  ] as const)('%s → %s', (_name, change, profile, changed, field) => {
    const problem = configurationProblem(config(change), profile, changed);
    expect(problem?.field).toBe(field);
    if (field === 'input.appointmentsContactsTasksMethod') expect(problem?.message).toMatch(/"Dovecot" is IMAP\/POP3/);
  });
});

describe('reconfiguration', () => {
  const enabled = { ...base, state: MailboxState.ENABLED };
  it.each([
    ['nothing changed', enabled, {}, [false, false, false]],
    ['a new profile on an enabled mailbox', enabled, { profileId: 'p2' }, [true, true, true]],
    ['a new profile while backing off', { ...enabled, state: MailboxState.BACKING_OFF }, { profileId: 'p2' }, [true, true, true]],
    ['a new profile after a refused password', { ...enabled, state: MailboxState.DISABLED_AUTH }, { profileId: 'p2' }, [true, true, true]],
    ['a new profile on a never-enabled mailbox (nothing to stop)', { ...enabled, state: MailboxState.NOT_ENABLED }, { profileId: 'p2' }, [false, true, true]],
    ['a new profile on a disabled mailbox (stays disabled)', { ...enabled, state: MailboxState.DISABLED_BY_ADMIN }, { profileId: 'p2' }, [false, true, true]],
    ['outgoing newly on', { ...enabled, outgoingMethod: OutgoingMethod.NONE }, {}, [true, false, true]],
    ['incoming turned off', enabled, { incomingMethod: IncomingMethod.NONE }, [false, false, false]],
    ['incoming to the forward mailbox (no longer connected)', enabled, { incomingMethod: IncomingMethod.FORWARD_MAILBOX }, [false, false, false]],
    ['appointments, contacts and tasks newly synced', enabled, { actMethod: ActMethod.SERVER_SIDE_SYNC }, [true, false, false]],
  ] as const)('%s → retest, reset incoming, reset outgoing = %j', (_name, before, change, [retest, incoming, outgoing]) => {
    const effect = reconfiguration(before, config(change));
    expect([effect.retest !== undefined, effect.resetIncomingTest, effect.resetOutgoingTest]).toEqual([retest, incoming, outgoing]);
  });

  it('resets the appointments, contacts and tasks test when that channel starts, stops or the profile changes', () => {
    const syncing = { ...enabled, actMethod: ActMethod.SERVER_SIDE_SYNC };
    expect(reconfiguration(enabled, config({ actMethod: ActMethod.SERVER_SIDE_SYNC })).resetActTest).toBe(true);
    expect(reconfiguration(syncing, config({ actMethod: ActMethod.SERVER_SIDE_SYNC })).resetActTest).toBe(false);
    expect(reconfiguration(syncing, config({ actMethod: ActMethod.SERVER_SIDE_SYNC, profileId: 'p2' })).resetActTest).toBe(true);
    expect(reconfiguration(syncing, config({})).resetActTest).toBe(true);
  });

  it('says why in words', () => {
    expect(reconfiguration(enabled, config({ profileId: 'p2' })).retest).toEqual({ state: MailboxState.NOT_ENABLED, reason: 'profile changed; run Test & Enable' });
  });
});

describe('requestedTestStatuses', () => {
  it.each([
    [{}, ['PENDING', 'PENDING', 'NOT_RUN']],
    [{ outgoingMethod: OutgoingMethod.NONE }, ['PENDING', 'NOT_RUN', 'NOT_RUN']],
    [{ incomingMethod: IncomingMethod.FORWARD_MAILBOX }, ['NOT_RUN', 'PENDING', 'NOT_RUN']],
    [{ incomingMethod: IncomingMethod.NONE, ownerKind: MailboxOwnerKind.QUEUE, isForwardMailbox: true }, ['PENDING', 'PENDING', 'NOT_RUN']],
    [{ actMethod: ActMethod.SERVER_SIDE_SYNC }, ['PENDING', 'PENDING', 'PENDING']],
  ] as const)('%j → %j', (change, [incoming, outgoing, act]) => {
    expect(requestedTestStatuses(config(change))).toEqual({ incoming: ChannelTestStatus[incoming], outgoing: ChannelTestStatus[outgoing], act: ChannelTestStatus[act] });
  });
});

describe('readdressed', () => {
  it.each([
    [MailboxState.ENABLED, MailboxState.NOT_ENABLED],
    [MailboxState.BACKING_OFF, MailboxState.NOT_ENABLED],
    [MailboxState.DISABLED_AUTH, MailboxState.NOT_ENABLED],
    [MailboxState.NOT_ENABLED, undefined],
    [MailboxState.DISABLED_BY_ADMIN, undefined],
  ] as const)('a %s mailbox with a new address awaits approval; state → %s', (state, next) => {
    const change = readdressed({ state });
    expect(change).toMatchObject({ approval: EmailApproval.PENDING_APPROVAL, incomingTestStatus: ChannelTestStatus.NOT_RUN, outgoingTestStatus: ChannelTestStatus.NOT_RUN, testRequestedAt: null });
    expect('state' in change ? change.state : undefined).toBe(next);
  });
});

describe('secretOf', () => {
  it.each([
    [{ password: 'pw' }, MailAuthMethod.PASSWORD, 'pw'],
    [{ password: 'pw' }, null, 'pw'],
    [{ password: 'pw' }, MailAuthMethod.NTLM, 'pw'],
    [{ accessToken: ' tok ' }, MailAuthMethod.OAUTH_BEARER, 'tok'],
    [{ accessToken: 'tok' }, null, 'tok'],
    [{}, MailAuthMethod.PASSWORD, undefined],
    [{ password: null, accessToken: null }, null, undefined],
  ] as const)('%j with %s → %s', (input, method, secret) => {
    expect(secretOf(input, method)).toBe(secret);
  });

  it.each([
    [{ password: 'pw', accessToken: 'tok' }, null, 'input.accessToken'],
    [{ password: 'pw' }, MailAuthMethod.OAUTH_BEARER, 'input.password'],
    [{ accessToken: 'tok' }, MailAuthMethod.PASSWORD, 'input.accessToken'],
    [{ accessToken: 'tok' }, MailAuthMethod.NTLM, 'input.accessToken'],
    [{ password: '' }, null, 'input.password'],
    [{ accessToken: '  ' }, null, 'input.accessToken'],
  ] as const)('%j with %s is refused naming %s', (input, method, field) => {
    expect(() => secretOf(input, method)).toThrow(expect.objectContaining({ extensions: expect.objectContaining({ field }) }));
  });
});
