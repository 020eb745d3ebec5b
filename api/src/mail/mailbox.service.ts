import { In, type DataSource, type EntityManager } from 'typeorm';
import { depthOf, type Principal } from '../access/principal';
import { AccessEntity, Depth, Privilege } from '../access/privileges';
import { PRIVACY_RANK, PrivacyLevel } from '../activities/activity-enums';
import { ActivityMailbox } from '../activities/activity-mailbox.entity';
import { forbidden, notFound } from '../common/errors';
import { expectGlobalId } from '../common/global-id';
import { newId } from '../common/ids';
import type { LiveEventLog } from '../live/live-event-log';
import type { Clock } from '../platform/clock';
import { definedOnly, nonNull } from '../records/patch';
import { kindOfGlobalType } from '../records/record-kind';
import type { RecordWriter } from '../records/record-writer';
import { lockRow } from '../db/row-locks';
import { checkFolderRule } from './exchange-folder-rules';
import { FolderTrackingRule } from './folder-tracking-rule.entity';
import type { EligibilitySettings } from './mailbox-eligibility';
import { MailboxItem } from './mailbox-item.entity';
import { stageMailboxChanges } from './mailbox-live-events';
import type { FolderTrackingRuleInput, UpdateMailboxInput } from './mailbox.inputs';
import { changeMailboxTimeZone, checkedTimeZone } from './mailbox-time-zone';
import { Mailbox } from './mailbox.entity';
import { ORGANIZATION_SETTINGS_ID, OrganizationEmailSettings } from './organization-email-settings.entity';
import { changeActivities } from '../activities/timeline-copies';

/** A mail administrator: mailbox WRITE at organization depth (configures profiles and every mailbox). */
export function isMailAdmin(principal: Principal): boolean {
  return depthOf(principal, AccessEntity.MAILBOX, Privilege.WRITE) === Depth.ORGANIZATION;
}

export function requireMailAdmin(principal: Principal): void {
  if (!isMailAdmin(principal)) throw forbidden('only administrators with organization-wide mailbox privileges may do this');
}

/** A user reaches their own mailboxes; organization-wide mailbox privileges reach all. */
export function mayUseMailbox(principal: Principal, mailbox: Mailbox, privilege: Privilege.READ | Privilege.WRITE): boolean {
  return mailbox.ownerUserId === principal.userId || depthOf(principal, AccessEntity.MAILBOX, privilege) === Depth.ORGANIZATION;
}

/** Which mailboxes a person sees (the `mailboxes` query and every figure about mailboxes): all with organization-wide mailbox read, else their own. */
export function seesEveryMailbox(principal: Principal): boolean {
  return depthOf(principal, AccessEntity.MAILBOX, Privilege.READ) === Depth.ORGANIZATION;
}

export class MailboxService {
  constructor(
    private readonly db: DataSource,
    private readonly records: RecordWriter,
    private readonly live: LiveEventLog,
    private readonly clock: Clock,
  ) {}

  async list(principal: Principal): Promise<Mailbox[]> {
    return this.db.getRepository(Mailbox).find({
      where: seesEveryMailbox(principal) ? {} : { ownerUserId: principal.userId },
      order: { address: 'ASC' },
      take: 1000,
    });
  }

  async get(principal: Principal, globalId: string, field = 'id', privilege: Privilege.READ | Privilege.WRITE = Privilege.READ): Promise<Mailbox> {
    const { id } = expectGlobalId(field, globalId, 'Mailbox');
    const mailbox = await this.db.getRepository(Mailbox).findOneBy({ id });
    if (!mailbox || !mayUseMailbox(principal, mailbox, Privilege.READ)) throw notFound(field, globalId);
    if (!mayUseMailbox(principal, mailbox, privilege)) throw forbidden('you may not change this mailbox');
    return mailbox;
  }

  /** What the state of a FORWARD_MAILBOX mailbox derives from (forwarded-state.ts): the forward mailboxes and the approval rule. */
  async forwardingFacts(): Promise<{ forwardMailboxes: Mailbox[]; settings: EligibilitySettings }> {
    const [forwardMailboxes, settings] = await Promise.all([
      this.db.getRepository(Mailbox).findBy({ isForwardMailbox: true }),
      this.db.getRepository(OrganizationEmailSettings).findOneByOrFail({ id: ORGANIZATION_SETTINGS_ID }),
    ]);
    return { forwardMailboxes, settings };
  }

  /** Owner or administrator; a new privacy level re-rates the email already tracked from the mailbox. */
  async update(principal: Principal, globalId: string, input: UpdateMailboxInput): Promise<Mailbox> {
    const mailbox = await this.get(principal, globalId, 'id', Privilege.WRITE);
    nonNull(input, ['trackingFilter', 'privacyLevel', 'autoCreateRecords']);
    const { timeZone, ...options } = input;
    const zone = timeZone === undefined ? undefined : checkedTimeZone('input.timeZone', timeZone);
    await this.db.transaction(async (em) => {
      await em.update(Mailbox, { id: mailbox.id }, { ...definedOnly({ ...options }), updatedAt: this.clock() });
      if (zone !== undefined) {
        // Locked and read again: an engine may be reporting the server's zone at the same moment.
        await lockRow(em, 'mailbox', mailbox.id);
        await changeMailboxTimeZone(em, await em.findOneByOrFail(Mailbox, { id: mailbox.id }), zone, this.clock());
      }
      if (input.privacyLevel && input.privacyLevel !== mailbox.privacyLevel) await recomputeVisibility(em, mailbox.id);
      await stageMailboxChanges(this.live, em, [mailbox.id], 'CONFIGURATION');
    });
    return this.db.getRepository(Mailbox).findOneByOrFail({ id: mailbox.id });
  }

  /** Sets (or replaces) the rule for one folder. */
  async setFolderRule(principal: Principal, mailboxGlobalId: string, input: FolderTrackingRuleInput): Promise<FolderTrackingRule> {
    const mailbox = await this.get(principal, mailboxGlobalId, 'mailboxId', Privilege.WRITE);
    let regarding: { kind: string; id: string } | null = null;
    if (input.regardingId) {
      const parsed = expectGlobalId('input.regardingId', input.regardingId, 'Account', 'Contact', 'Lead', 'Opportunity', 'Case');
      const kind = kindOfGlobalType(parsed.type)!;
      await this.records.readable(principal, kind, parsed.id, 'input.regardingId');
      regarding = { kind, id: parsed.id };
    }
    const folder = input.folder.trim();
    return this.db.transaction(async (em) => {
      await lockRow(em, 'mailbox', mailbox.id); // the Exchange rule count holds against a concurrent setFolderRule
      const folderId = await checkFolderRule(em, mailbox, folder);
      await em.delete(FolderTrackingRule, { mailboxId: mailbox.id, folder });
      const rule = { id: newId(), mailboxId: mailbox.id, folder, regardingKind: (regarding?.kind ?? null) as never, regardingId: regarding?.id ?? null, folderId, missingSince: null };
      await em.insert(FolderTrackingRule, rule);
      await stageMailboxChanges(this.live, em, [mailbox.id], 'CONFIGURATION');
      return em.findOneByOrFail(FolderTrackingRule, { id: rule.id });
    });
  }

  async removeFolderRule(principal: Principal, mailboxGlobalId: string, folder: string): Promise<boolean> {
    const mailbox = await this.get(principal, mailboxGlobalId, 'mailboxId', Privilege.WRITE);
    return this.db.transaction(async (em) => {
      const result = await em.delete(FolderTrackingRule, { mailboxId: mailbox.id, folder: folder.trim() });
      const removed = (result.affected ?? 0) > 0;
      if (removed) await stageMailboxChanges(this.live, em, [mailbox.id], 'CONFIGURATION');
      return removed;
    });
  }

  /** Decisions per outcome and reason for each mailbox, in one statement for all of them. */
  async trackingCounts(mailboxIds: readonly string[]): Promise<Map<string, { outcome: string; reason: string | null; count: number }[]>> {
    const rows = await this.db
      .getRepository(MailboxItem)
      .createQueryBuilder('i')
      .select(['i.mailboxId AS mailboxId', 'i.outcome AS outcome', 'i.reason AS reason', 'COUNT(*) AS count'])
      .where('i.mailboxId IN (:...mailboxIds)', { mailboxIds })
      .groupBy('i.mailboxId')
      .addGroupBy('i.outcome')
      .addGroupBy('i.reason')
      .orderBy('i.outcome', 'DESC')
      .addOrderBy('i.reason', 'ASC')
      .getRawMany<{ mailboxId: string; outcome: string; reason: string | null; count: string | number }>();
    const counts = new Map<string, { outcome: string; reason: string | null; count: number }[]>();
    for (const r of rows) counts.set(r.mailboxId, [...(counts.get(r.mailboxId) ?? []), { outcome: r.outcome, reason: r.reason, count: Number(r.count) }]);
    return counts;
  }

  /** Each mailbox's folder rules, in one statement for all of them. */
  async folderRules(mailboxIds: readonly string[]): Promise<Map<string, FolderTrackingRule[]>> {
    const rules = await this.db.getRepository(FolderTrackingRule).find({ where: { mailboxId: In([...mailboxIds]) }, order: { folder: 'ASC' } });
    const byMailbox = new Map<string, FolderTrackingRule[]>();
    for (const rule of rules) byMailbox.set(rule.mailboxId, [...(byMailbox.get(rule.mailboxId) ?? []), rule]);
    return byMailbox;
  }
}

/** activity.visibility = the most open privacy level among the mailboxes each email was tracked from. */
export async function recomputeVisibility(em: EntityManager, mailboxId: string): Promise<void> {
  const links = await em.find(ActivityMailbox, { where: { mailboxId }, select: { activityId: true } });
  const ids = links.map((l) => l.activityId);
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    const rows = await em
      .getRepository(ActivityMailbox)
      .createQueryBuilder('am')
      .innerJoin(Mailbox, 'm', 'm.id = am.mailboxId')
      .select(['am.activityId AS activityId', 'm.privacyLevel AS privacyLevel'])
      .where('am.activityId IN (:...chunk)', { chunk })
      .getRawMany<{ activityId: string; privacyLevel: PrivacyLevel }>();
    const best = new Map<string, PrivacyLevel>();
    for (const row of rows) {
      const current = best.get(row.activityId);
      if (!current || PRIVACY_RANK[row.privacyLevel] > PRIVACY_RANK[current]) best.set(row.activityId, row.privacyLevel);
    }
    for (const level of Object.values(PrivacyLevel)) {
      const matching = chunk.filter((id) => best.get(id) === level);
      if (matching.length) await changeActivities(em, matching, { visibility: level });
    }
  }
}
