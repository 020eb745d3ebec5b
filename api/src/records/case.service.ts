import { randomBytes } from 'node:crypto';
import type { Principal } from '../access/principal';
import { optionalGlobalId } from '../common/global-id';
import type { Page } from '../common/pagination';
import type { Clock } from '../platform/clock';
import { CasePriority, CaseStatus, CrmCase } from './case.entity';
import type { CreateCaseInput, UpdateCaseInput } from './case.inputs';
import { customerColumns, customerFilter } from './customer';
import { definedOnly, nonNull } from './patch';
import type { ListQuery, RecordStore } from './record-store';
import type { RecordWriter } from './record-writer';

/** Crockford's base32: no I, L, O or U, so a number read out on the phone is not misheard. */
const TICKET_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * CAS-YYMMDD-XXXXXXXX: readable on the phone, unique without a shared counter across api
 * processes. 40 random bits per day: 24 bits made two of the demo seed's 12 cases collide in CI.
 */
export function newTicketNumber(now: Date): string {
  const day = now.toISOString().slice(2, 10).replaceAll('-', '');
  const bits = randomBytes(5).reduce((n, byte) => (n << 8n) | BigInt(byte), 0n);
  let suffix = '';
  for (let shift = 35n; shift >= 0n; shift -= 5n) suffix += TICKET_ALPHABET[Number((bits >> shift) & 31n)];
  return `CAS-${day}-${suffix}`;
}

export class CaseService {
  constructor(
    private readonly store: RecordStore<CrmCase>,
    private readonly writer: RecordWriter,
    private readonly clock: Clock,
  ) {}

  list(principal: Principal, query: ListQuery, customerGlobalId?: string): Promise<Page<CrmCase>> {
    return this.store.list(principal, { ...query, extra: customerFilter('filter.customerId', customerGlobalId) });
  }

  create(principal: Principal, input: CreateCaseInput): Promise<CrmCase> {
    const ownerId = optionalGlobalId('input.ownerId', input.ownerId, 'User');
    const customer = customerColumns('input.customerId', input.customerId);
    return this.writer.create<CrmCase>(
      principal,
      'case',
      {
        title: input.title.trim(),
        ticketNumber: newTicketNumber(this.clock()),
        ...customer.columns,
        priority: input.priority ?? CasePriority.NORMAL,
        status: CaseStatus.ACTIVE,
        description: input.description ?? null,
      },
      ownerId,
      { references: [customer.reference] },
    );
  }

  update(principal: Principal, id: string, input: UpdateCaseInput): Promise<CrmCase> {
    nonNull(input, ['title', 'customerId', 'priority', 'status']);
    const { customerId, ...fields } = input;
    const customer = customerId === undefined ? undefined : customerColumns('input.customerId', customerId);
    return this.writer.update<CrmCase>(principal, 'case', id, definedOnly({ ...fields, ...customer?.columns }), {
      references: customer ? [customer.reference] : [],
    });
  }
}
