import { v7 as uuidv7 } from 'uuid';

/** Primary keys are UUIDv7: time-ordered, so inserts append to the index and ids sort by creation. */
export const newId = (): string => uuidv7();
