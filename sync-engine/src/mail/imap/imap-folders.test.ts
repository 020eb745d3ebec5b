import { describe, expect, it } from 'vitest';
import { MAX_REPORTED_FOLDERS, selectableFolders } from './imap-folders';

const folder = (path: string, flags: string[] = [], listed = true) => ({ path, flags: new Set(flags), listed });

describe('selectableFolders', () => {
  it.each([
    ['keeps the server\'s order and Unicode names', [folder('INBOX'), folder('INBOX/Contoso'), folder('Projekt/Åre')], ['INBOX', 'INBOX/Contoso', 'Projekt/Åre']],
    ['leaves out folders that cannot hold mail', [folder('INBOX'), folder('[Gmail]', ['\\Noselect', '\\HasChildren']), folder('Gone', ['\\NONEXISTENT'])], ['INBOX']],
    ['leaves out what only LSUB knows', [folder('INBOX'), folder('Old subscription', [], false)], ['INBOX']],
    ['names INBOX the one way (RFC 3501 5.1) and lists each path once', [folder('Inbox'), folder('INBOX'), folder('A'), folder('a')], ['INBOX', 'A', 'a']],
    ['leaves out paths the hub cannot store', [folder('x'.repeat(256)), folder('y'.repeat(255)), folder('Bad\u0000'), folder(' ')], ['y'.repeat(255)]],
  ])('%s', (_name, list, expected) => {
    expect(selectableFolders(list)).toEqual(expected);
  });

  it('reports at most the hub\'s limit', () => {
    const many = Array.from({ length: MAX_REPORTED_FOLDERS + 5 }, (_, i) => folder(`F${i}`));
    expect(selectableFolders(many)).toHaveLength(MAX_REPORTED_FOLDERS);
  });
});
