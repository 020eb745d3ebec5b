import { Arg, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Privilege } from '../access/privileges';
import { loadRecord } from '../activities/activity-fields.resolver';
import { RegardingRecord } from '../activities/activity.types';
import { principalOf, type RequestContext } from '../graphql/context';
import { User } from '../identity/user.entity';
import { visibleUser } from '../records/record-fields.resolver';
import { FolderTrackingRule } from './folder-tracking-rule.entity';
import { effectiveState, type StateView } from './forwarded-state';
import { IncomingMethod, MailboxState } from './mail-enums';
import type { EligibilitySettings } from './mailbox-eligibility';
import { mayUseMailbox } from './mailbox.service';
import { FolderTrackingRuleInput, UpdateMailboxInput } from './mailbox.inputs';
import { Mailbox } from './mailbox.entity';

@ObjectType({ description: 'How many messages of a mailbox tracking decided one way, for the sync dashboard.' })
export class TrackingCount {
  @Field({ description: 'TRACKED or FILTERED.' })
  outcome: string;

  @Field(() => String, { nullable: true, description: 'Why it was filtered: BLOCKED, AUTO_REPLY, BULK, BOUNCE, NOT_A_RESPONSE_TO_CRM_EMAIL…' })
  reason: string | null;

  @Field(() => Int)
  count: number;
}

/** The forward mailboxes and the approval setting, read once per request and only when a FORWARD_MAILBOX mailbox is shown. */
const forwardFacts = new WeakMap<object, Promise<{ forwardMailboxes: Mailbox[]; settings: EligibilitySettings }>>();

function stateOf(ctx: RequestContext, mailbox: Mailbox): StateView | Promise<StateView> {
  if (mailbox.incomingMethod !== IncomingMethod.FORWARD_MAILBOX) return { state: mailbox.state, reason: mailbox.stateReason };
  let facts = forwardFacts.get(ctx.loaders);
  if (!facts) {
    facts = ctx.services.mailboxes.forwardingFacts();
    forwardFacts.set(ctx.loaders, facts);
  }
  return facts.then(({ forwardMailboxes, settings }) => effectiveState(mailbox, forwardMailboxes, settings));
}

@Resolver(() => Mailbox)
export class MailboxResolver {
  @Query(() => [Mailbox], { description: 'Your own mailboxes; administrators and the sync engine see every mailbox.' })
  mailboxes(@Ctx() ctx: RequestContext): Promise<Mailbox[]> {
    return ctx.services.mailboxes.list(principalOf(ctx));
  }

  @Query(() => Mailbox, { description: 'One mailbox: your own, or any for administrators; NOT_FOUND otherwise.' })
  mailbox(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Mailbox> {
    return ctx.services.mailboxes.get(principalOf(ctx), id);
  }

  @Mutation(() => Mailbox, { description: 'The mailbox owner or an administrator.' })
  updateMailbox(@Arg('id', () => ID) id: string, @Arg('input') input: UpdateMailboxInput, @Ctx() ctx: RequestContext): Promise<Mailbox> {
    return ctx.services.mailboxes.update(principalOf(ctx), id, input);
  }

  @Mutation(() => FolderTrackingRule, { description: 'Track mail in a folder, optionally regarding a record (Dynamics\' folder-level tracking).' })
  setFolderTrackingRule(
    @Arg('mailboxId', () => ID) mailboxId: string,
    @Arg('input') input: FolderTrackingRuleInput,
    @Ctx() ctx: RequestContext,
  ): Promise<FolderTrackingRule> {
    return ctx.services.mailboxes.setFolderRule(principalOf(ctx), mailboxId, input);
  }

  @Mutation(() => Boolean, { description: 'True when a rule was removed.' })
  removeFolderTrackingRule(@Arg('mailboxId', () => ID) mailboxId: string, @Arg('folder') folder: string, @Ctx() ctx: RequestContext): Promise<boolean> {
    return ctx.services.mailboxes.removeFolderRule(principalOf(ctx), mailboxId, folder);
  }

  @FieldResolver(() => MailboxState, {
    description:
      'Whether mail flows, and if not, why. For a mailbox whose incoming method is FORWARD_MAILBOX it is the state of the forward mailbox that files its mail (NOT_ENABLED when none does), or the worse of that and its own when it also sends over SMTP.',
  })
  async state(@Root() mailbox: Mailbox, @Ctx() ctx: RequestContext): Promise<MailboxState> {
    return (await stateOf(ctx, mailbox)).state;
  }

  @FieldResolver(() => String, { nullable: true, description: 'Why the mailbox is in its state, in words.' })
  async stateReason(@Root() mailbox: Mailbox, @Ctx() ctx: RequestContext): Promise<string | null> {
    return (await stateOf(ctx, mailbox)).reason;
  }

  @FieldResolver(() => User, { nullable: true })
  owner(@Root() mailbox: Mailbox, @Ctx() ctx: RequestContext): Promise<User | null> {
    return visibleUser(ctx, mailbox.ownerUserId);
  }

  @FieldResolver(() => [TrackingCount], { description: 'Every message the mailbox delivered, by decision: untracked mail is not stored, only counted here.' })
  trackingCounts(@Root() mailbox: Mailbox, @Ctx() ctx: RequestContext): Promise<TrackingCount[]> {
    return ctx.loaders.mailboxTrackingCounts.load(mailbox.id);
  }

  @FieldResolver(() => [String], {
    nullable: true,
    description: 'The folders the server listed when the sync engine last asked that a folder tracking rule may name (full paths with the server\'s delimiter; on Exchange, the folders below the Inbox), for picking a rule\'s folder. Null: never listed (POP3, not synced yet), or the caller is neither the owner nor an administrator.',
  })
  async serverFolders(@Root() mailbox: Mailbox, @Ctx() ctx: RequestContext): Promise<string[] | null> {
    if (!mailbox.serverFoldersReadAt || !mayUseMailbox(principalOf(ctx), mailbox, Privilege.READ)) return null;
    return ctx.loaders.serverFolders.load(mailbox.id);
  }

  @FieldResolver(() => Date, { nullable: true, description: 'When serverFolders was read from the server; null as serverFolders.' })
  serverFoldersReadAt(@Root() mailbox: Mailbox, @Ctx() ctx: RequestContext): Date | null {
    return mayUseMailbox(principalOf(ctx), mailbox, Privilege.READ) ? mailbox.serverFoldersReadAt : null;
  }

  @FieldResolver(() => [FolderTrackingRule])
  folderTrackingRules(@Root() mailbox: Mailbox, @Ctx() ctx: RequestContext): Promise<FolderTrackingRule[]> {
    return ctx.loaders.folderRules.load(mailbox.id);
  }
}

@Resolver(() => FolderTrackingRule)
export class FolderTrackingRuleResolver {
  @FieldResolver(() => RegardingRecord, { nullable: true })
  regarding(@Root() rule: FolderTrackingRule, @Ctx() ctx: RequestContext): Promise<object | null> {
    return loadRecord(ctx, rule.regardingKind, rule.regardingId);
  }
}
