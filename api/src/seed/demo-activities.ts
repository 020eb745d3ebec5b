import { createHash } from 'node:crypto';
import type { EntityManager } from 'typeorm';
import { ActivityKind, ActivityState, CorrelationMethod, Direction, EmailStatus, PartyResolution, PartyRole, PrivacyLevel, TaskPriority } from '../activities/activity-enums';
import { AppointmentDetail, PhoneCallDetail, TaskDetail } from '../activities/activity-details.entity';
import { ActivityMailbox } from '../activities/activity-mailbox.entity';
import { ActivityWriter, type NewActivity, type NewParty } from '../activities/activity-writer';
import { EmailMessage } from '../activities/email-message.entity';
import { emailRows, type EmailRowsInput } from '../activities/email-rows';
import { messageIdHash } from '../activities/message-id';
import { newId } from '../common/ids';
import { User } from '../identity/user.entity';
import { MailboxItem, MailboxItemOutcome } from '../mail/mailbox-item.entity';
import { Mailbox } from '../mail/mailbox.entity';
import { systemClock } from '../platform/clock';
import { Contact } from '../records/contact.entity';
import { EmailAddress } from '../records/email-address.entity';
import { Opportunity } from '../records/opportunity.entity';
import { storeSmallBlobs } from '../tracking/body-blobs';
import { DEFAULT_TOKEN_FORMAT } from '../tracking/rules/tracking-token';

const TOPICS = [
  ['Offer for the new installation', 'Thanks for the meeting yesterday. As promised, here is our offer for the installation, valid until the end of the month.'],
  ['Licence renewal', 'Our licences run out next month. Could you send us a quote for 40 seats, and tell us whether the price list changed?'],
  ['Invoice 2026-1147', 'We received invoice 2026-1147 but the purchase order number is missing. Could you send a corrected copy?'],
  ['Möte om supportavtalet', 'Hej! Kan vi ses på torsdag och gå igenom supportavtalet? Jag har några frågor om svarstiderna.'],
  ['Delivery schedule', 'Could you confirm the delivery dates for the second batch? Our warehouse needs a week’s notice.'],
];
const REPLIES = [
  'Thanks — that works for us. I have forwarded it to our purchasing department.',
  'Tack för snabbt svar! Vi återkommer efter styrelsemötet.',
  'Great, see you then. I will bring the technical lead.',
];

const DAY = 86_400_000;

/**
 * A lived-in history for the demo organization: email threads with contacts (regarding their
 * opportunities where there is one), calls, tasks and meetings over the last two months, written
 * as tracking would write them, so timelines have something to show on the first start.
 */
export async function seedDemoActivities(em: EntityManager, now = new Date()): Promise<void> {
  const writer = new ActivityWriter(systemClock);
  const users = await em.findBy(User, { isService: false });
  const mailboxes = await em.find(Mailbox);
  const contacts = (await em.find(Contact, { order: { id: 'ASC' } })).slice(0, 30);
  const addresses = await em.find(EmailAddress, { where: { recordKind: 'contact', position: 0 } });
  const addressOf = new Map(addresses.map((a) => [a.recordId, a.address]));
  const opportunities = await em.find(Opportunity);
  const activities: { activity: NewActivity; parties: NewParty[] }[] = [];
  // Email rows are built once their bodies are stored (the rows name the body blob).
  const emails: { input: Omit<EmailRowsInput, 'textBodyBlob'>; body: string }[] = [];
  const links: ActivityMailbox[] = [];
  const ledger: Partial<MailboxItem>[] = [];
  const calls: PhoneCallDetail[] = [];
  const tasks: TaskDetail[] = [];
  const meetings: AppointmentDetail[] = [];

  contacts.forEach((contact, i) => {
    const owner = users.find((u) => u.id === contact.ownerId) ?? users[0];
    const mailbox = mailboxes.find((m) => m.ownerUserId === owner.id && m.ownerKind === 'USER');
    const address = addressOf.get(contact.id);
    if (!mailbox || !address) return;
    const opportunity = opportunities.find((o) => o.customerAccountId === contact.accountId || o.customerContactId === contact.id);
    const regarding = opportunity ? { regardingKind: 'opportunity' as const, regardingId: opportunity.id } : { regardingKind: null, regardingId: null };
    const [subject, text] = TOPICS[i % TOPICS.length];
    const start = now.getTime() - (60 - (i % 55)) * DAY - (i % 7) * 3_600_000;
    const thread = 1 + (i % 3);
    let previous: string | null = null;
    for (let n = 0; n < thread; n++) {
      const incoming = n % 2 === 0;
      const id = newId();
      const occurredAt = new Date(start + n * (DAY / 3));
      const messageId = `${createHash('sha1').update(`${contact.id}:${n}`).digest('hex').slice(0, 20)}@${incoming ? address.split('@')[1] : 'demo.crm.test'}`;
      const subjectLine = n === 0 ? subject : `${incoming ? 'SV' : 'RE'}: ${subject}`;
      const body = n === 0 ? text : REPLIES[(i + n) % REPLIES.length];
      const contactParty: NewParty = { role: incoming ? PartyRole.FROM : PartyRole.TO, address, displayName: contact.fullName, partyKind: 'contact', partyId: contact.id, resolution: PartyResolution.RESOLVED };
      const userParty: NewParty = { role: incoming ? PartyRole.TO : PartyRole.FROM, address: owner.email, displayName: owner.fullName, partyKind: 'user', partyId: owner.id, resolution: PartyResolution.RESOLVED };
      const direction = incoming ? Direction.INCOMING : Direction.OUTGOING;
      emails.push({
        input: {
          id, owner: { ownerId: owner.id, businessUnitId: owner.businessUnitId, actorId: owner.id }, subject: subjectLine,
          regarding: opportunity ? { kind: 'opportunity', id: opportunity.id } : null, state: ActivityState.COMPLETED, direction, occurredAt,
          visibility: PrivacyLevel.FULL, parties: incoming ? [contactParty, userParty] : [userParty, contactParty],
          messageId, inReplyTo: previous, references: previous ? [previous] : null, threadIndex: null, conversationRoot: null, trackingToken: null,
          tokenFormat: DEFAULT_TOKEN_FORMAT, status: incoming ? EmailStatus.RECEIVED : EmailStatus.SENT, sentAt: occurredAt,
          receivedAt: incoming ? occurredAt : null, fromAddress: incoming ? address : owner.email, htmlBodyBlob: null, preview: body.slice(0, 300),
          bodyTruncated: false, correlationMethod: n === 0 ? CorrelationMethod.NONE : CorrelationMethod.IN_REPLY_TO, trackingDecision: null,
          salvage: null, senderMailboxId: null,
        },
        body: `${body}\n\n${incoming ? contact.fullName : owner.fullName}`,
      });
      links.push({ activityId: id, mailboxId: mailbox.id, folder: incoming ? 'INBOX' : 'Sent', seenAt: occurredAt });
      ledger.push({ mailboxId: mailbox.id, messageIdHash: messageIdHash(messageId), outcome: MailboxItemOutcome.TRACKED, reason: null, activityId: id, decidedAt: occurredAt });
      previous = messageId;
    }

    const base = { ...regarding, ownerId: owner.id, businessUnitId: owner.businessUnitId, createdById: owner.id, modifiedById: owner.id, visibility: PrivacyLevel.FULL };
    const contactAs = (role: PartyRole): NewParty => ({ role, address, displayName: contact.fullName, partyKind: 'contact', partyId: contact.id, resolution: PartyResolution.RESOLVED });
    const userAs = (role: PartyRole): NewParty => ({ role, address: owner.email, displayName: owner.fullName, partyKind: 'user', partyId: owner.id, resolution: PartyResolution.RESOLVED });
    if (i % 3 === 0) {
      const id = newId();
      activities.push({ activity: { id, kind: ActivityKind.PHONE_CALL, subject: `Call with ${contact.fullName}`, ...base, state: ActivityState.COMPLETED, direction: Direction.OUTGOING, occurredAt: new Date(start + DAY), description: 'Went through the offer; they want a second quote with three-year terms.' }, parties: [userAs(PartyRole.FROM), contactAs(PartyRole.TO)] });
      calls.push({ activityId: id, phoneNumber: null, durationMinutes: 5 + (i % 25) });
    }
    if (i % 4 === 1) {
      const id = newId();
      const dueAt = new Date(now.getTime() + ((i % 10) - 3) * DAY);
      activities.push({ activity: { id, kind: ActivityKind.TASK, subject: `Send the revised quote to ${contact.fullName}`, ...base, state: dueAt < now ? ActivityState.COMPLETED : ActivityState.OPEN, direction: null, occurredAt: dueAt, description: null }, parties: [contactAs(PartyRole.REQUIRED)] });
      tasks.push({ activityId: id, dueAt, startAt: null, percentComplete: dueAt < now ? 100 : (i % 4) * 25, priority: i % 8 === 1 ? TaskPriority.HIGH : TaskPriority.NORMAL });
    }
    if (i % 5 === 2) {
      const id = newId();
      const startAt = new Date(Math.floor((now.getTime() + ((i % 14) - 4) * DAY) / 3_600_000) * 3_600_000);
      activities.push({ activity: { id, kind: ActivityKind.APPOINTMENT, subject: `Review meeting: ${subject}`, ...base, state: startAt < now ? ActivityState.COMPLETED : ActivityState.OPEN, direction: null, occurredAt: startAt, description: 'Agenda: status, open questions, next steps.' }, parties: [userAs(PartyRole.ORGANIZER), contactAs(PartyRole.REQUIRED)] });
      meetings.push({ activityId: id, startAt, endAt: new Date(startAt.getTime() + 3_600_000), allDay: false, location: i % 2 ? 'Teams' : 'Customer office', icalUid: null, icalSequence: null, seriesId: null, originalStartAt: null, instanceType: null });
    }
  });

  const shas = await storeSmallBlobs(em, emails.map((e) => Buffer.from(e.body, 'utf8')), now);
  const emailRowSets = emails.map((e, i) => emailRows({ ...e.input, textBodyBlob: shas[i] }));
  await writer.insert(em, [...emailRowSets, ...activities]);
  await em.insert(EmailMessage, emailRowSets.map((rows) => rows.email));
  if (calls.length) await em.insert(PhoneCallDetail, calls);
  if (tasks.length) await em.insert(TaskDetail, tasks);
  if (meetings.length) await em.insert(AppointmentDetail, meetings);
  await em.insert(ActivityMailbox, links);
  await em.insert(MailboxItem, ledger);
}
