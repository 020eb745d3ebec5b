import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { EnumColumn, IdColumn } from '../common/columns';
import type { PartyKind } from '../tracking/rules/tracking-filter';
import type { PartyResolution, PartyRole } from './activity-enums';

/** A participant of an activity in one role, resolved to a record when exactly one matched. */
@Entity('activity_party')
@Index(['partyKind', 'partyId'])
export class ActivityParty {
  @PrimaryColumn('varchar', { length: 36 })
  id: string;

  @Index()
  @IdColumn()
  activityId: string;

  @EnumColumn(16)
  role: PartyRole;

  /** Normalized address; null for a party picked from a record without one (a logged call's contact). */
  @Column('varchar', { length: 320, nullable: true })
  address: string | null;

  @Column('varchar', { length: 200, nullable: true })
  displayName: string | null;

  @EnumColumn(16, { nullable: true })
  partyKind: PartyKind | null;

  @IdColumn({ nullable: true })
  partyId: string | null;

  @EnumColumn(16)
  resolution: PartyResolution;

  /** For AMBIGUOUS: "kind:id" of every candidate, comma-separated. */
  @Column('varchar', { length: 1000, nullable: true })
  candidates: string | null;

  @Column('smallint')
  position: number;
}
