import { ValidateNested } from 'class-validator';
import { MAX_SEARCH_LENGTH } from '../common/like';
import { MaxLength } from '../common/validation';
import { ArgsType, Field, ID, InputType, Int, registerEnumType, type ClassType } from 'type-graphql';
import { optionalGlobalId } from '../common/global-id';
import { SortDirection } from '../common/pagination';
import type { ListQuery, SortField } from './record-store';

export enum RecordSortField {
  NAME = 'NAME',
  CREATED_AT = 'CREATED_AT',
  UPDATED_AT = 'UPDATED_AT',
}
registerEnumType(RecordSortField, { name: 'RecordSortField', description: 'NAME is the name, full name or title of the record.' });

@InputType()
export class RecordOrder {
  @Field(() => RecordSortField)
  field: RecordSortField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  direction: SortDirection;
}

/** The filter fields every record list has; each type adds its own `status` enum. */
export interface RecordFilterShape {
  ownerId?: string;
  status?: string;
  search?: string;
}

/** Arguments of a record list: Relay paging, a filter of the given type and an order. */
export function listArgsOf<F extends RecordFilterShape>(filter: ClassType<F>) {
  @ArgsType()
  class ListArgs {
    @Field(() => Int, { nullable: true, description: 'Page size: default 20, at most 100.' })
    first?: number;

    @Field(() => String, { nullable: true, description: 'The endCursor of the previous page.' })
    after?: string;

    @Field(() => filter, { nullable: true })
    @ValidateNested()
    filter?: F;

    @Field(() => RecordOrder, { nullable: true, description: 'Default: NAME ascending.' })
    orderBy?: RecordOrder;
  }
  return ListArgs;
}

export interface ListArgsShape {
  first?: number;
  after?: string;
  filter?: RecordFilterShape;
  orderBy?: RecordOrder;
}

export function toListQuery(args: ListArgsShape): ListQuery {
  return {
    first: args.first,
    after: args.after,
    ownerId: optionalGlobalId('filter.ownerId', args.filter?.ownerId, 'User'),
    status: args.filter?.status,
    search: args.filter?.search,
    sortField: args.orderBy?.field as SortField | undefined,
    sortDirection: args.orderBy?.direction,
  };
}

/** Text search shared by every filter: name, full name or title, and email addresses by prefix. */
@InputType()
export abstract class RecordFilterBase {
  @Field(() => ID, { nullable: true, description: 'Only records owned by this user.' })
  ownerId?: string;

  @Field(() => String, { nullable: true, description: 'Matches the name anywhere, or an email address from its start.' })
  @MaxLength(MAX_SEARCH_LENGTH)
  search?: string;
}
