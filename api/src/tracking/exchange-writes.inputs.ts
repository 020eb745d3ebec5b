import { ArgsType, Field, ID, Int } from 'type-graphql';

/** The most items one claim of Exchange writes (claimTaskWrites, claimContactWrites) hands out. */
export const MAX_EXCHANGE_WRITES = 50;

/** A claim of what the CRM has to write to one of a mailbox's Exchange folders, under the mailbox's lease. */
@ArgsType()
export class ClaimExchangeWritesArgs {
  @Field(() => ID)
  mailboxId: string;

  @Field(() => ID)
  leaseId: string;

  @Field(() => Int, { defaultValue: 20, description: `At most ${MAX_EXCHANGE_WRITES}.` })
  first: number;
}
