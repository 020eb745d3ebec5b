import { describe, expect, it } from 'vitest';
import { cellKey, depthFill, depthsOf, DEPTHS, GRID_ENTITIES, GRID_PRIVILEGES, moveCell, nextDepth } from '../../web/src/admin/roles/privilege-grid';
import { parseHours } from '../../web/src/admin/queues/queues.svelte.ts';

// The security role grid's rules (web/src/admin/roles/privilege-grid.ts) and the queue form's hours.

describe('the privilege grid', () => {
  it('cycles a cell through Dynamics’ depths, smallest first, and from Organization back to None', () => {
    const seen = [DEPTHS[0]];
    for (let i = 0; i < DEPTHS.length; i++) seen.push(nextDepth(seen[seen.length - 1]));
    expect(seen).toEqual(['NONE', 'USER', 'BUSINESS_UNIT', 'PARENT_CHILD', 'ORGANIZATION', 'NONE']);
  });

  it.each([
    ['NONE', 'ORGANIZATION'],
    ['USER', 'NONE'],
    ['ORGANIZATION', 'PARENT_CHILD'],
  ] as const)('steps back from %s to %s on shift-click', (from, to) => {
    expect(nextDepth(from, true)).toBe(to);
  });

  it('fills the circle a quarter more per depth', () => {
    expect(DEPTHS.map(depthFill)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('has a row for every entity and a column for every privilege the API knows', () => {
    expect(new Set(GRID_ENTITIES).size).toBe(13);
    expect(GRID_PRIVILEGES).toEqual(['CREATE', 'READ', 'WRITE', 'DELETE', 'APPEND', 'APPEND_TO', 'ASSIGN', 'SHARE']);
  });

  it('reads a role’s privileges into cells, leaving NONE out', () => {
    const depths = depthsOf([
      { entity: 'ACCOUNT', privilege: 'READ', depth: 'ORGANIZATION' },
      { entity: 'ACCOUNT', privilege: 'WRITE', depth: 'NONE' },
    ]);
    expect(depths).toEqual({ [cellKey('ACCOUNT', 'READ')]: 'ORGANIZATION' });
  });
});

describe('moving in the grid with the keyboard', () => {
  const at = { row: 3, col: 2 };
  it.each([
    ['ArrowRight', false, { row: 3, col: 3 }],
    ['ArrowLeft', false, { row: 3, col: 1 }],
    ['ArrowDown', false, { row: 4, col: 2 }],
    ['ArrowUp', false, { row: 2, col: 2 }],
    ['Home', false, { row: 3, col: 0 }],
    ['End', false, { row: 3, col: 7 }],
    ['Home', true, { row: 0, col: 0 }],
    ['End', true, { row: 12, col: 7 }],
    ['a', false, null],
    ['2', false, null],
  ] as const)('%s (ctrl: %s) goes to %j', (key, ctrl, to) => {
    expect(moveCell(at, key, ctrl, 13, 8)).toEqual(to);
  });

  it('stops at the edges', () => {
    expect(moveCell({ row: 0, col: 0 }, 'ArrowUp', false, 13, 8)).toEqual({ row: 0, col: 0 });
    expect(moveCell({ row: 12, col: 7 }, 'ArrowRight', false, 13, 8)).toEqual({ row: 12, col: 7 });
    expect(moveCell({ row: 12, col: 7 }, 'ArrowDown', false, 13, 8)).toEqual({ row: 12, col: 7 });
  });
});

describe('a queue’s reopen window', () => {
  it.each([
    ['', null],
    ['  ', null],
    ['48', 48],
    [' 0 ', 0],
    ['-5', -5], // a whole number: the API says what range it allows, beside the field
    ['4.5', 'invalid'],
    ['two days', 'invalid'],
    ['1e3', 'invalid'],
  ] as const)('reads %j as %j', (text, hours) => {
    expect(parseHours(text)).toBe(hours);
  });
});
