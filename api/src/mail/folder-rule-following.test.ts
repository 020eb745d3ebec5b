import { describe, expect, it } from 'vitest';
import { followFolders, type FollowedRule } from './folder-rule-following';

const rule = (id: string, folder: string, folderId: string | null, missingSince: Date | null = null): FollowedRule => ({ id, folder, folderId, missingSince });
const at = (path: string, folderId: string | null = null) => ({ path, folderId });
const SINCE = new Date('2026-12-01T00:00:00Z');

describe('followFolders', () => {
  it.each([
    ['a folder listed where the rule says, with its id: nothing', [rule('r', 'Inbox/A', 'id-a')], [at('Inbox/A', 'id-a')], []],
    ['renamed: the rule follows its id', [rule('r', 'Inbox/A', 'id-a')], [at('Inbox/B', 'id-a')], [{ kind: 'RENAMED', ruleId: 'r', from: 'Inbox/A', to: 'Inbox/B', folderId: 'id-a' }]],
    ['a rule without an id learns it from its path', [rule('r', 'Inbox/A', null)], [at('Inbox/A', 'id-a')], [{ kind: 'ID_LEARNED', ruleId: 'r', folderId: 'id-a' }]],
    ['deleted and made again under the same name: the new folder is the rule\'s', [rule('r', 'Inbox/A', 'id-old')], [at('Inbox/A', 'id-new')], [{ kind: 'ID_LEARNED', ruleId: 'r', folderId: 'id-new' }]],
    ['gone: missing', [rule('r', 'Inbox/A', 'id-a')], [at('Inbox/B', 'id-b')], [{ kind: 'MISSING', ruleId: 'r', folder: 'Inbox/A' }]],
    ['still gone: said once only', [rule('r', 'Inbox/A', 'id-a', SINCE)], [at('Inbox/B', 'id-b')], []],
    ['back: found', [rule('r', 'Inbox/A', 'id-a', SINCE)], [at('Inbox/A', 'id-a')], [{ kind: 'BACK', ruleId: 'r', folder: 'Inbox/A' }]],
    ['renamed onto a path another rule holds: that rule keeps its path, this one is missing', [rule('r1', 'Inbox/A', 'id-a'), rule('r2', 'Inbox/B', null)], [at('Inbox/B', 'id-a')], [{ kind: 'MISSING', ruleId: 'r1', folder: 'Inbox/A' }, { kind: 'ID_LEARNED', ruleId: 'r2', folderId: 'id-a' }]],
    ['IMAP (paths only): listed is enough, unlisted is missing', [rule('r1', 'INBOX/A', null), rule('r2', 'INBOX/Gone', null)], [at('INBOX/A')], [{ kind: 'MISSING', ruleId: 'r2', folder: 'INBOX/Gone' }]],
  ])('%s', (_name, rules, reported, expected) => {
    expect(followFolders(rules, reported, true)).toEqual(expected);
  });

  it('marks nothing missing when the report was cut at its limit', () => {
    expect(followFolders([rule('r', 'Inbox/A', 'id-a')], [at('Inbox/B', 'id-b')], false)).toEqual([]);
  });
});
