/** "Now" for services: passed in through constructors so tests can fix the time; systemClock in the composition root. */
export type Clock = () => Date;
export const systemClock: Clock = () => new Date();
