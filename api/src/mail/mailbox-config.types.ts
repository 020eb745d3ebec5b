import { Field, Int, ObjectType } from 'type-graphql';
import { ChannelTestStatus } from './mail-enums';
import type { Mailbox } from './mailbox.entity';

@ObjectType({ description: 'The last Test & Enable result of one channel (incoming or outgoing).' })
export class ChannelTest {
  @Field(() => ChannelTestStatus)
  status: ChannelTestStatus;

  @Field(() => String, { nullable: true, description: 'The sync engine\'s error code: DNS, REFUSED, TLS, AUTH_FAILED, TIMEOUT, FOLDER_MISSING, …' })
  code: string | null;

  @Field(() => String, { nullable: true, description: 'Why, in words.' })
  reason: string | null;

  @Field(() => Date, { nullable: true, description: 'When the engine reported the result.' })
  testedAt: Date | null;
}

@ObjectType({ description: 'The reconciler\'s last check: how many messages on the server (since "process email from") have a decision.' })
export class MailboxCoverage {
  @Field(() => Int)
  serverCount: number;

  @Field(() => Int, { description: 'Tracked, filtered or quarantined.' })
  decidedCount: number;

  @Field(() => Int, { description: 'serverCount − decidedCount (never negative): fetched again by the next sync.' })
  missingCount: number;

  @Field()
  checkedAt: Date;
}

export function channelTest(mailbox: Mailbox, channel: 'incoming' | 'outgoing' | 'act'): ChannelTest {
  switch (channel) {
    case 'incoming':
      return { status: mailbox.incomingTestStatus, code: mailbox.incomingTestCode, reason: mailbox.incomingTestReason, testedAt: mailbox.testedAt };
    case 'outgoing':
      return { status: mailbox.outgoingTestStatus, code: mailbox.outgoingTestCode, reason: mailbox.outgoingTestReason, testedAt: mailbox.testedAt };
    case 'act':
      return { status: mailbox.actTestStatus, code: mailbox.actTestCode, reason: mailbox.actTestReason, testedAt: mailbox.testedAt };
  }
}

/** Null until the reconciler first ran. */
export function coverageOf(mailbox: Mailbox): MailboxCoverage | null {
  if (!mailbox.coverageCheckedAt || mailbox.coverageServerCount === null || mailbox.coverageDecidedCount === null) return null;
  return {
    serverCount: mailbox.coverageServerCount,
    decidedCount: mailbox.coverageDecidedCount,
    missingCount: Math.max(0, mailbox.coverageServerCount - mailbox.coverageDecidedCount),
    checkedAt: mailbox.coverageCheckedAt,
  };
}
