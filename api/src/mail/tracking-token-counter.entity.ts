import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** Each user's number in tracking tokens and their message counter (Dynamics' user and counter digits). */
@Entity('tracking_token_counter')
export class TrackingTokenCounter {
  @PrimaryColumn('varchar', { length: 36 })
  userId: string;

  @Index({ unique: true })
  @Column('int')
  userNumber: number;

  @Column('int')
  counter: number;
}
