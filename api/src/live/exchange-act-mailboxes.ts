import type { DataSource } from 'typeorm';
import { EmailServerProfile } from '../mail/email-server-profile.entity';
import { ActMethod, EmailServerKind } from '../mail/mail-enums';
import { Mailbox } from '../mail/mailbox.entity';
import { ExchangeContactLink } from '../tracking/exchange-contacts/exchange-contact-link.entity';

// A mailbox switched to server-side sync is heard of within this long; until then its engine's own look finds the writes.
const CACHE_MS = 10_000;
const MAX_OWNERS = 10_000;

/**
 * A user's mailboxes that synchronize appointments, contacts and tasks with Exchange (SERVER_SIDE_SYNC on an
 * EXCHANGE_EWS profile), asked once per owner every few seconds however many of their activities change.
 */
export class ExchangeActMailboxes {
  private readonly cache = new Map<string, { readonly until: number; readonly ids: Promise<string[]> }>();

  constructor(private readonly db: DataSource) {}

  /** The mailboxes whose Contacts folder holds this contact (paired there), whoever owns them; not cached. */
  async pairedWith(contactId: string): Promise<string[]> {
    const rows = await this.db.getRepository(ExchangeContactLink).find({ where: { contactId }, select: { mailboxId: true } });
    return rows.map((row) => row.mailboxId);
  }

  of(ownerId: string): Promise<string[]> {
    const now = Date.now();
    const cached = this.cache.get(ownerId);
    if (cached && cached.until > now) return cached.ids;
    if (this.cache.size >= MAX_OWNERS) this.cache.clear();
    const ids = this.db
      .getRepository(Mailbox)
      .createQueryBuilder('mailbox')
      .innerJoin(EmailServerProfile, 'profile', 'profile.id = mailbox.profileId')
      .select('mailbox.id', 'id')
      .where('mailbox.ownerUserId = :ownerId', { ownerId })
      .andWhere('mailbox.actMethod = :act', { act: ActMethod.SERVER_SIDE_SYNC })
      .andWhere('profile.kind = :kind', { kind: EmailServerKind.EXCHANGE_EWS })
      .getRawMany<{ id: string }>()
      .then((rows) => rows.map((row) => row.id));
    ids.catch(() => this.cache.delete(ownerId)); // a failed read is not remembered
    this.cache.set(ownerId, { until: now + CACHE_MS, ids });
    return ids;
  }
}
