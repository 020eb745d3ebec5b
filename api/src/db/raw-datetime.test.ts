import { describe, expect, it } from 'vitest';
import { rawDatetime } from './raw-datetime';

describe('a datetime column read raw', () => {
  it('is the same instant from either driver: a Date, SQLite\'s zoneless UTC text, or text naming its zone', () => {
    const at = new Date('2027-03-01T08:00:00.000Z');
    expect(rawDatetime(at)).toBe(at);
    expect(rawDatetime('2027-03-01 08:00:00.000').getTime()).toBe(at.getTime());
    expect(rawDatetime('2027-03-01T08:00:00.000Z').getTime()).toBe(at.getTime());
    expect(rawDatetime('2027-03-01T09:00:00.000+01:00').getTime()).toBe(at.getTime());
  });
});
