import type { ListResponse } from 'imapflow';

/** The most folders reported to the hub, and the longest path it stores (reportMailboxFolders' limits). */
export const MAX_REPORTED_FOLDERS = 1000;
export const MAX_FOLDER_PATH = 255;

/**
 * The folders a person may pick for a folder tracking rule, from one LIST: full paths as imapflow decodes them
 * (RFC 3501 5.1.3 modified UTF-7 → Unicode), in the server's order. Left out: \Noselect and \NonExistent folders
 * (RFC 3501 7.2.2, RFC 5258 3.4: they hold no messages), entries only LSUB knows, paths longer than the hub stores.
 */
export function selectableFolders(list: readonly Pick<ListResponse, 'path' | 'flags' | 'listed'>[]): string[] {
  const paths: string[] = [];
  const seen = new Set<string>();
  for (const folder of list) {
    if (paths.length >= MAX_REPORTED_FOLDERS) break;
    if (!folder.listed || hasFlag(folder.flags, '\\Noselect') || hasFlag(folder.flags, '\\NonExistent')) continue;
    const path = folder.path.toUpperCase() === 'INBOX' ? 'INBOX' : folder.path;
    if (path.trim() === '' || path.length > MAX_FOLDER_PATH || path.includes('\u0000') || seen.has(path)) continue;
    seen.add(path);
    paths.push(path);
  }
  return paths;
}

// Flags are atoms: case-insensitive (RFC 3501 9, "flag-extension").
const hasFlag = (flags: ReadonlySet<string>, flag: string) => [...flags].some((f) => f.toLowerCase() === flag.toLowerCase());
