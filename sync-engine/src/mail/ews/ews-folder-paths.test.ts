import { describe, expect, it } from 'vitest';
import { escapeFolderName, folderPaths, samePath, splitFolderPath, type ListedFolder } from './ews-folder-paths.js';

const ROOT = 'root=';
const folder = (id: string, parentId: string, displayName: string, folderClass: string | null = 'IPF.Note'): ListedFolder => ({ id, parentId, displayName, folderClass });

describe('EWS folder paths', () => {
  it('builds paths from the message folder root down, parents first', () => {
    const paths = folderPaths(
      [folder('inbox', ROOT, 'Inbox'), folder('cust', 'inbox', 'Customers'), folder('contoso', 'cust', 'Contoso'), folder('sent', ROOT, 'Sent Items')],
      ROOT,
    );
    expect([...paths.values()]).toEqual(['Inbox', 'Inbox/Customers', 'Inbox/Customers/Contoso', 'Sent Items']);
  });

  it('writes a "/" inside a display name as %2F, and reads it back', () => {
    const paths = folderPaths([folder('inbox', ROOT, 'Inbox'), folder('ab', 'inbox', 'A/B Testing')], ROOT);
    expect(paths.get('ab')).toBe('Inbox/A%2FB Testing');
    expect(splitFolderPath('Inbox/A%2FB Testing')).toEqual(['Inbox', 'A/B Testing']);
    expect(escapeFolderName('a/b/c')).toBe('a%2Fb%2Fc');
  });

  it('leaves out calendar, contacts and tasks folders and everything below them', () => {
    const paths = folderPaths(
      [folder('cal', ROOT, 'Calendar', 'IPF.Appointment'), folder('bday', 'cal', 'Birthdays', null), folder('contacts', ROOT, 'Contacts', 'IPF.Contact'), folder('notes', ROOT, 'Archive', null)],
      ROOT,
    );
    expect([...paths.values()]).toEqual(['Archive']);
  });

  it('reports at most 1,000 folders and none longer than 255 characters', () => {
    const many = Array.from({ length: 1200 }, (_, i) => folder(`f${i}`, ROOT, `Folder ${i}`));
    expect(folderPaths(many, ROOT).size).toBe(1000);
    expect(folderPaths([folder('long', ROOT, 'x'.repeat(256))], ROOT).size).toBe(0);
  });

  it('skips folders whose parent is not listed and names that are blank', () => {
    expect(folderPaths([folder('orphan', 'elsewhere', 'Lost'), folder('blank', ROOT, '  ')], ROOT).size).toBe(0);
  });

  it('compares paths as Exchange compares names: case-insensitively, ignoring doubled separators', () => {
    expect(samePath('inbox/customers', 'Inbox/Customers')).toBe(true);
    expect(samePath('Inbox//Customers/', 'Inbox/Customers')).toBe(true);
    expect(samePath('Inbox/Customers', 'Inbox/Customer')).toBe(false);
    expect(samePath('Inbox/Kunder', 'Inbox/Kündér')).toBe(false);
  });
});
