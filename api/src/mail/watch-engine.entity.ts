import { Entity, PrimaryColumn } from 'typeorm';
import { DateTimeColumn } from '../common/columns';

/** A sync engine that asked for watch leases lately: the engines alive now split the watchable mailboxes evenly. */
@Entity('watch_engine')
export class WatchEngine {
  @PrimaryColumn('varchar', { length: 100 })
  engineId: string;

  /** Counts as alive until then: its last claim or renewal plus its lease length. */
  @DateTimeColumn()
  seenUntil: Date;
}
