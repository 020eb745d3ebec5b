import { describe, expect, it } from 'vitest';
import { repairWindows1252 } from './windows-1252.js';

describe('repairWindows1252', () => {
  it.each([
    ['curly quotes and an en dash', '\u0093Final\u0094 price \u0096 \u0080 1,250', '“Final” price – € 1,250'],
    ['an apostrophe and a bullet', 'That\u0092s it \u0095', 'That’s it •'],
    ['the five unassigned bytes stay', '\u0081\u008d\u008f\u0090\u009d', '\u0081\u008d\u008f\u0090\u009d'],
    ['Latin-1 letters are untouched', 'Zoë Müller', 'Zoë Müller'],
    ['real quotes are untouched', '“already right”', '“already right”'],
    ['empty', '', ''],
  ])('%s', (_case, input, expected) => {
    expect(repairWindows1252(input, true)).toBe(expected);
  });

  it('leaves text alone on a runtime whose decoder is right', () => {
    expect(repairWindows1252('\u0093x\u0094', false)).toBe('\u0093x\u0094');
  });

  it('passes null through', () => {
    expect(repairWindows1252(null, true)).toBeNull();
  });
});
