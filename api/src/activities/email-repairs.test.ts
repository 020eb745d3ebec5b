import 'reflect-metadata';
import { describe, expect, it } from 'vitest';
import { EmailRepairCode, repairsOf } from './email-repairs';

describe('repairsOf', () => {
  it('is empty for an email that needed no repair', () => {
    expect(repairsOf(null)).toEqual([]);
  });

  it('gives each stored repair its code, a whole sentence, and what it concerned, in order', () => {
    const stored = JSON.stringify([
      { code: 'MISSING_MESSAGE_ID', detail: 'keyed as <synthetic.ab@crm-hub.invalid>' },
      { code: 'INVALID_DATE', detail: 'Date "32 Foo 2026"' },
    ]);
    expect(repairsOf(stored).map((r) => ({ ...r }))).toEqual([
      { code: EmailRepairCode.MISSING_MESSAGE_ID, message: expect.stringMatching(/^The message had no Message-ID.*\.$/), detail: 'keyed as <synthetic.ab@crm-hub.invalid>' },
      { code: EmailRepairCode.INVALID_DATE, message: expect.stringMatching(/could not be read.*\.$/), detail: 'Date "32 Foo 2026"' },
    ]);
  });

  it('keeps a code this version does not know as OTHER, with the code in its detail', () => {
    expect(repairsOf(JSON.stringify([{ code: 'FUTURE_FIX', detail: 'x' }]))[0]).toMatchObject({ code: EmailRepairCode.OTHER, detail: 'FUTURE_FIX: x' });
  });
});
