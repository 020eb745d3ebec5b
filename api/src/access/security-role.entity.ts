import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';
import { EnumColumn, IdColumn } from '../common/columns';
import { toGlobalId } from '../common/global-id';
import { Node } from '../common/node';
import { AccessEntity, Depth, Privilege } from './privileges';

/** A named set of privileges, each at a depth; users get the union of their roles. */
@ObjectType({ implements: Node })
@Entity('security_role')
export class SecurityRole {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Field(() => ID, { name: 'id' })
  get globalId(): string {
    return toGlobalId('SecurityRole', this.id);
  }

  @Field()
  @Index({ unique: true })
  @Column('varchar', { length: 100 })
  name: string;

  @Field()
  @Column('varchar', { length: 500, default: '' })
  description: string;

  @CreateDateColumn({ type: 'datetime', precision: 6 })
  createdAt: Date;
}

@ObjectType()
@Entity('role_privilege')
@Index(['roleId', 'entity', 'privilege'], { unique: true })
export class RolePrivilege {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @IdColumn()
  roleId: string;

  @Field(() => AccessEntity)
  @EnumColumn(32)
  entity: AccessEntity;

  @Field(() => Privilege)
  @EnumColumn(16)
  privilege: Privilege;

  @Field(() => Depth)
  @EnumColumn(16)
  depth: Depth;
}

/** Column security: which secured fields a role may read or update. */
@ObjectType()
@Entity('role_field_permission')
@Index(['roleId', 'entity', 'field'], { unique: true })
export class RoleFieldPermission {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @IdColumn()
  roleId: string;

  @Field(() => AccessEntity)
  @EnumColumn(32)
  entity: AccessEntity;

  @Field()
  @Column('varchar', { length: 64 })
  field: string;

  @Field()
  @Column('boolean', { default: false })
  canRead: boolean;

  @Field()
  @Column('boolean', { default: false })
  canUpdate: boolean;
}

@Entity('user_role')
export class UserRole {
  @PrimaryColumn('varchar', { length: 36 })
  userId: string;

  @Index()
  @PrimaryColumn('varchar', { length: 36 })
  roleId: string;
}
