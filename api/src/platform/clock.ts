/** The time, passed in so services are tested at a fixed instant (STYLE 6: the clock is I/O too). */
export type Clock = () => Date;

export const systemClock: Clock = () => new Date();
