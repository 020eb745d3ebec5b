import { Field, ObjectType, type MiddlewareFn } from 'type-graphql';
import { ApiError } from '../common/errors';
import type { AccessContext } from './access-context';
import { canUseField, type Principal } from './principal';
import { AccessEntity, SECURED_FIELDS } from './privileges';

/** Column security on read: a secured field the caller may not read resolves to null, as in Dynamics. */
export function securedField(entity: AccessEntity): MiddlewareFn<AccessContext> {
  return async ({ context, info }, next) => {
    const principal = context.auth?.principal;
    if (!principal || !canUseField(principal, entity, info.fieldName, 'read')) return null;
    return next();
  };
}

/**
 * Column security on write, checked before anything is written: giving a secured field any value
 * (null or empty included) needs a role's field permission to update it; leaving it out does not.
 * `values` is keyed by input field name, which is the secured field's name.
 */
export function checkSecuredFieldWrites(principal: Principal, entity: AccessEntity, values: object): void {
  for (const field of SECURED_FIELDS[entity] ?? []) {
    if ((values as Record<string, unknown>)[field] !== undefined && !canUseField(principal, entity, field, 'update')) {
      throw new ApiError('FORBIDDEN', `input.${field}: your security roles do not let you set this field`, `input.${field}`);
    }
  }
}

/** One secured column: what setRoleFieldPermission may name. */
@ObjectType({ description: 'A secured field (column security): readable or writable only through a role’s field permission.' })
export class SecuredField {
  @Field(() => AccessEntity)
  entity: AccessEntity;

  @Field({ description: 'The field’s name on its GraphQL type, e.g. telephone.' })
  field: string;
}
