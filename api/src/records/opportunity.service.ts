import type { Principal } from '../access/principal';
import { optionalGlobalId } from '../common/global-id';
import type { Page } from '../common/pagination';
import { currencyCode } from './currency';
import { customerColumns, customerFilter } from './customer';
import { Opportunity, OpportunityStatus } from './opportunity.entity';
import type { CreateOpportunityInput, UpdateOpportunityInput } from './opportunity.inputs';
import { definedOnly, nonNull } from './patch';
import type { ListQuery, RecordStore } from './record-store';
import type { RecordWriter } from './record-writer';

export class OpportunityService {
  constructor(
    private readonly store: RecordStore<Opportunity>,
    private readonly writer: RecordWriter,
    /** The organization's base currency (BASE_CURRENCY): new opportunities' default. */
    private readonly baseCurrency: string,
  ) {}

  list(principal: Principal, query: ListQuery, customerGlobalId?: string): Promise<Page<Opportunity>> {
    return this.store.list(principal, { ...query, extra: customerFilter('filter.customerId', customerGlobalId) });
  }

  create(principal: Principal, input: CreateOpportunityInput): Promise<Opportunity> {
    const ownerId = optionalGlobalId('input.ownerId', input.ownerId, 'User');
    const customer = customerColumns('input.customerId', input.customerId);
    return this.writer.create<Opportunity>(
      principal,
      'opportunity',
      {
        name: input.name.trim(),
        ...customer.columns,
        estimatedValue: input.estimatedValue ?? null,
        currency: input.currency === undefined || input.currency === null ? this.baseCurrency : currencyCode('input.currency', input.currency),
        estimatedCloseDate: input.estimatedCloseDate ?? null,
        status: input.status ?? OpportunityStatus.OPEN,
      },
      ownerId,
      { references: [customer.reference] },
    );
  }

  update(principal: Principal, id: string, input: UpdateOpportunityInput): Promise<Opportunity> {
    nonNull(input, ['name', 'customerId', 'status', 'currency']);
    const { customerId, currency, ...fields } = input;
    const customer = customerId === undefined ? undefined : customerColumns('input.customerId', customerId);
    return this.writer.update<Opportunity>(principal, 'opportunity', id, definedOnly({ ...fields, ...customer?.columns, currency: currency === undefined ? undefined : currencyCode('input.currency', currency) }), {
      references: customer ? [customer.reference] : [],
    });
  }
}
