import { describe, expect, it } from 'vitest';
import { newTicketNumber } from './case.service';

describe('case ticket numbers', () => {
  it('carry the opening day and eight characters a caller cannot mishear', () => {
    const number = newTicketNumber(new Date('2026-12-04T10:00:00Z'));
    expect(number).toMatch(/^CAS-261204-[0-9ABCDEFGHJKMNPQRSTVWXYZ]{8}$/);
  });

  it('differ across a day’s worth of cases', () => {
    const now = new Date('2026-12-04T10:00:00Z');
    const numbers = new Set(Array.from({ length: 200 }, () => newTicketNumber(now)));
    // 40 random bits: a collision among 200 has a chance of about 2e-8.
    expect(numbers.size).toBe(200);
  });
});
