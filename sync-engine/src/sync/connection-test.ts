import type { HubApi } from '../api-client.js';
import type { ChannelTestResult, MailboxWork } from '../hub-types.js';
import type { Log } from '../logger.js';
import type { ChannelCheck, ServerFolder } from '../mail/mail-source.js';
import type { MailConnectors } from './connectors.js';

const NOT_RUN: ChannelTestResult = { status: 'NOT_RUN' };

/** Test & Enable: checks each configured channel and reports the results; the hub enables the mailbox on success. */
export async function testMailbox(
  api: Pick<HubApi, 'reportMailboxTest' | 'reportMailboxFolders'>,
  connectors: MailConnectors,
  log: Log,
  work: MailboxWork,
  signal: AbortSignal,
): Promise<void> {
  let folders: readonly ServerFolder[] | undefined;
  const [incoming, outgoing, act] = await Promise.all([
    work.incomingEnabled
      ? connectors.checkIncoming(work, signal).then((check) => {
          if (check.ok) folders = check.folders;
          return resultOf(check);
        }, crashed)
      : NOT_RUN,
    // A profile without an SMTP server has no outgoing channel to test (the hub never enables one on it).
    // EWS sends through Exchange itself: its outgoing channel needs no SMTP server.
    work.outgoingEnabled && (work.outgoing || work.kind === 'EXCHANGE_EWS') ? connectors.checkOutgoing(work, signal).then(resultOf, crashed) : NOT_RUN,
    // Appointments, contacts and tasks (Dynamics' third channel) are synchronized only from Exchange.
    work.actEnabled ? connectors.checkAct(work, signal).then(resultOf, crashed) : NOT_RUN,
  ]);
  log.info({ mailboxId: work.mailboxId, address: work.address, incoming, outgoing, act }, 'mailbox tested');
  // Before the test report, which ends the lease the folder report needs. A failure here must not hide the test's result.
  if (folders) {
    await api.reportMailboxFolders(work.mailboxId, work.leaseId, folders).catch((err: unknown) => log.warn({ mailboxId: work.mailboxId, err }, 'could not report the server\'s folders'));
  }
  await api.reportMailboxTest(work.mailboxId, work.leaseId, incoming, outgoing, act);
}

function resultOf(check: ChannelCheck): ChannelTestResult {
  return check.ok ? { status: 'SUCCESS', reason: check.detail } : { status: 'FAILURE', code: check.code, reason: check.reason };
}

/** A check is meant to turn every failure into a result; a throw here is our bug, still reported to the admin. */
function crashed(error: unknown): ChannelTestResult {
  return { status: 'FAILURE', code: 'INTERNAL', reason: `the test itself failed: ${error instanceof Error ? error.message : String(error)}` };
}
