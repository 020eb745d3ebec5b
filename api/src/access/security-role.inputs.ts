import { Field, ID, InputType } from 'type-graphql';
import { MaxLength, NotBlank } from '../common/validation';
import { AccessEntity, Depth, Privilege } from './privileges';

@InputType()
export class CreateSecurityRoleInput {
  @Field()
  @NotBlank()
  @MaxLength(100)
  name: string;

  @Field({ defaultValue: '' })
  @MaxLength(500)
  description: string;
}

@InputType({ description: 'Fields left out keep their value.' })
export class UpdateSecurityRoleInput {
  @Field({ nullable: true })
  @NotBlank()
  @MaxLength(100)
  name?: string;

  @Field({ nullable: true })
  @MaxLength(500)
  description?: string;
}

@InputType()
export class SetRolePrivilegeInput {
  @Field(() => ID)
  roleId: string;

  @Field(() => AccessEntity)
  entity: AccessEntity;

  @Field(() => Privilege)
  privilege: Privilege;

  @Field(() => Depth, { description: 'NONE removes the privilege.' })
  depth: Depth;
}

@InputType()
export class SetRoleFieldPermissionInput {
  @Field(() => ID)
  roleId: string;

  @Field(() => AccessEntity)
  entity: AccessEntity;

  @Field({ description: 'A secured field, e.g. telephone.' })
  field: string;

  @Field()
  canRead: boolean;

  @Field()
  canUpdate: boolean;
}
