import { In, type DataSource } from 'typeorm';
import type { OwnedRow, Principal } from '../access/principal';
import { Privilege } from '../access/privileges';
import { ApiError, badInput, notFound } from '../common/errors';
import { expectGlobalId, toGlobalId } from '../common/global-id';
import { User } from '../identity/user.entity';
import { MailboxOwnerKind } from '../mail/mail-enums';
import { Mailbox } from '../mail/mailbox.entity';
import { mayUseMailbox } from '../mail/mailbox.service';
import { Queue } from '../queues/queue.entity';
import { EmailAddress } from '../records/email-address.entity';
import { RECORD_GLOBAL_TYPE, type RecordKind } from '../records/record-kind';
import { resolveParty, type PartyKind, type PartyMatch } from '../tracking/rules/party-resolution';
import { CorrelationMethod, PartyResolution, PartyRole } from './activity-enums';
import { ActivityMailbox } from './activity-mailbox.entity';
import { privacyFor, showsSubject } from './activity-privacy';
import type { NewParty } from './activity-writer';
import { partyOf, REGARDING_TYPES, type ActivityService, type LinkRequest, type LinkTarget } from './activity.service';
import { EmailMessage } from './email-message.entity';
import { checkRecipientCount, RECIPIENT_LISTS, replyReferences, replySubject, typedRecipients, type RecipientRole } from './outgoing-email-rules';
import type { SendEmailInput } from './outgoing-email.inputs';

const TYPED_KINDS: readonly PartyKind[] = ['contact', 'account', 'lead'];

/** The email a reply answers, with what the reply takes from it. */
export interface ReplyParent {
  readonly messageId: string;
  readonly references: string[];
  readonly replySubject: string;
  readonly regarding: LinkRequest | null;
}

/** Who an email goes to and what it regards, as the sender may name them. */
export interface AddressedEmail {
  readonly regarding: LinkTarget | null;
  readonly correlation: CorrelationMethod | null;
  readonly recipients: NewParty[];
}

/** The parties of an email composed in the hub: its sender mailbox, the email it replies to, its recipients and regarding record. */
export class EmailRecipients {
  constructor(
    private readonly db: DataSource,
    private readonly activities: Pick<ActivityService, 'activity' | 'linkTargets' | 'readableNames'>,
  ) {}

  /** The caller's own user mailbox, or the one named: their own or a queue's they may use. */
  async senderMailbox(principal: Principal, globalId: string | null | undefined): Promise<Mailbox> {
    const repo = this.db.getRepository(Mailbox);
    if (globalId) {
      const field = 'input.fromMailboxId';
      const { id } = expectGlobalId(field, globalId, 'Mailbox');
      const mailbox = await repo.findOneBy({ id });
      if (!mailbox || !mayUseMailbox(principal, mailbox, Privilege.READ)) throw notFound(field, globalId);
      const allowed = mailbox.ownerKind === MailboxOwnerKind.USER ? mailbox.ownerUserId === principal.userId : mayUseMailbox(principal, mailbox, Privilege.WRITE);
      if (!allowed) throw new ApiError('FORBIDDEN', `${field}: you may send only from your own mailbox or a queue's mailbox you manage`, field);
      return mailbox;
    }
    const [own] = await repo.find({ where: { ownerKind: MailboxOwnerKind.USER, ownerUserId: principal.userId }, order: { createdAt: 'ASC' }, take: 1 });
    if (!own) throw badInput('input.fromMailboxId', 'you have no mailbox to send from; name a queue mailbox or ask an administrator for one');
    return own;
  }

  async senderParty(mailbox: Mailbox): Promise<NewParty> {
    if (mailbox.ownerKind === MailboxOwnerKind.QUEUE && mailbox.queueId) {
      const queue = await this.db.getRepository(Queue).findOneBy({ id: mailbox.queueId });
      return partyOf({ kind: 'queue', id: mailbox.queueId, address: mailbox.address, displayName: queue?.name ?? null }, PartyRole.FROM);
    }
    const user = await this.db.getRepository(User).findOneBy({ id: mailbox.ownerUserId });
    return partyOf({ kind: 'user', id: mailbox.ownerUserId, address: mailbox.address, displayName: user?.fullName ?? null }, PartyRole.FROM);
  }

  /** The email replied to, if the caller may read it, with what the reply takes from it. */
  async parentOf(principal: Principal, globalId: string): Promise<ReplyParent> {
    const activity = await this.activities.activity(principal, 'input.inReplyToId', globalId, Privilege.READ, ['Email']);
    const message = await this.db.getRepository(EmailMessage).findOneByOrFail({ activityId: activity.id });
    const ownerIds = (await this.db.getRepository(ActivityMailbox).find({ where: { activityId: activity.id } })).map((l) => l.mailboxId);
    const mailboxOwners = ownerIds.length ? (await this.db.getRepository(Mailbox).findBy({ id: In(ownerIds) })).map((m) => m.ownerUserId) : [];
    // A subject the mailbox's privacy level hides from the caller is not copied into their reply.
    const subjectVisible = showsSubject(privacyFor(principal.userId, activity, mailboxOwners));
    const earlier: string[] = message.referenceIds ? (JSON.parse(message.referenceIds) as string[]) : [];
    return {
      messageId: message.messageId,
      references: replyReferences(earlier, message.messageId),
      replySubject: subjectVisible ? replySubject(activity.subject) : '',
      regarding:
        activity.regardingKind && activity.regardingId
          ? { field: 'input.inReplyToId', globalId: toGlobalId(RECORD_GLOBAL_TYPE[activity.regardingKind], activity.regardingId), types: REGARDING_TYPES }
          : null,
    };
  }

  /** The regarding record (named, or the thread's) and the recipients: typed addresses first, then records' addresses; each address once. */
  async addressed(principal: Principal, row: OwnedRow, input: SendEmailInput, parent: ReplyParent | null): Promise<AddressedEmail> {
    const typed = typedRecipients(input);
    const requests: LinkRequest[] = [];
    if (input.regardingId) requests.push({ field: 'input.regardingId', globalId: input.regardingId, types: REGARDING_TYPES });
    const recordRoles: RecipientRole[] = [];
    const recordIds = { to: input.toRecordIds, cc: input.ccRecordIds, bcc: input.bccRecordIds };
    for (const { role, list } of RECIPIENT_LISTS) {
      (recordIds[list] ?? []).forEach((globalId, index) => {
        requests.push({ field: `input.${list}RecordIds[${index}]`, globalId, types: ['Contact', 'Lead', 'Account', 'User'] });
        recordRoles.push(role);
      });
    }
    const targets = await this.activities.linkTargets(principal, row, requests);
    let regarding: LinkTarget | null = input.regardingId ? targets[0] : null;
    const recordTargets = targets.slice(input.regardingId ? 1 : 0);
    for (const target of recordTargets) {
      if (!target.address) throw badInput(target.field, 'this record has no email address');
    }
    let correlation: CorrelationMethod | null = regarding ? CorrelationMethod.MANUAL : null;
    if (!regarding && parent?.regarding) {
      // The reply stays on the thread's record when the caller may link to it; otherwise it regards nothing.
      regarding = await this.activities.linkTargets(principal, row, [parent.regarding]).then(([t]) => t, (err) => {
        if (err instanceof ApiError) return null;
        throw err;
      });
      if (regarding) correlation = CorrelationMethod.IN_REPLY_TO;
    }

    const seen = new Set(typed.map((r) => r.address));
    const byRecord: { target: LinkTarget; role: RecipientRole }[] = [];
    recordTargets.forEach((target, i) => {
      if (seen.has(target.address!)) return;
      seen.add(target.address!);
      byRecord.push({ target, role: recordRoles[i] });
    });
    checkRecipientCount(typed.length + byRecord.length);
    const recipients: NewParty[] = [...(await this.resolveTyped(principal, typed)), ...byRecord.map(({ target, role }) => partyOf(target, role))];
    return { regarding, correlation, recipients };
  }

  /**
   * Parties for typed addresses, resolved as tracking resolves them (party-resolution.ts): the
   * records that carry the address, user before queue before contact, account and lead; several
   * of the winning kind are AMBIGUOUS and none is guessed. What the sender sees of the answer is
   * filtered by their access when read (party-view.ts), like every party.
   */
  private async resolveTyped(principal: Principal, recipients: readonly { role: RecipientRole; address: string }[]): Promise<NewParty[]> {
    const addresses = recipients.map((r) => r.address);
    const matches = new Map<string, PartyMatch[]>();
    const add = (address: string, match: PartyMatch) => matches.set(address, [...(matches.get(address) ?? []), match]);
    for (let i = 0; i < addresses.length; i += 500) {
      const chunk = addresses.slice(i, i + 500);
      for (const u of await this.db.getRepository(User).find({ where: { email: In(chunk) }, select: { id: true, email: true } })) add(u.email, { kind: 'user', id: u.id });
      for (const q of await this.db.getRepository(Queue).find({ where: { emailAddress: In(chunk) }, select: { id: true, emailAddress: true } })) add(q.emailAddress, { kind: 'queue', id: q.id });
      for (const e of await this.db.getRepository(EmailAddress).find({ where: { address: In(chunk) } })) {
        if (TYPED_KINDS.includes(e.recordKind as PartyKind)) add(e.address, { kind: e.recordKind as PartyKind, id: e.recordId });
      }
    }
    const resolved = recipients.map((r) => ({ ...r, resolution: resolveParty(r.address, matches.get(r.address) ?? []) }));
    // A name only from a record the sender may read: it travels in the header to their Sent folder.
    const named = resolved.flatMap((r) => (r.resolution.match && r.resolution.match.kind !== 'queue' ? [{ kind: r.resolution.match.kind as 'user' | RecordKind, id: r.resolution.match.id }] : []));
    const names = await this.activities.readableNames(principal, named);
    return resolved.map(({ role, address, resolution }) => ({
      role,
      address,
      displayName: resolution.match ? (names.get(`${resolution.match.kind}:${resolution.match.id}`) ?? null) : null,
      partyKind: resolution.match?.kind ?? null,
      partyId: resolution.match?.id ?? null,
      resolution: PartyResolution[resolution.resolution],
      candidates: resolution.resolution === 'AMBIGUOUS' ? resolution.candidates.map((c) => `${c.kind}:${c.id}`) : undefined,
    }));
  }
}
