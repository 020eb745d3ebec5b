/**
 * Folder paths as the hub stores them for EWS: display names from the message folder root (msgfolderroot) down,
 * joined by "/", a "/" inside a name written "%2F" (ews-wire-spec.md), e.g. "Inbox/Customers/Contoso".
 */

export const MAX_REPORTED_FOLDERS = 1000;
export const MAX_FOLDER_PATH = 255;

export function escapeFolderName(name: string): string {
  return name.replace(/\//g, '%2F');
}

/** The display names along a path, unescaped; empty segments (a doubled or trailing "/") are dropped. */
export function splitFolderPath(path: string): string[] {
  return path
    .split('/')
    .map((segment) => segment.replace(/%2F/gi, '/').trim())
    .filter((segment) => segment !== '');
}

/** One folder as FindFolder (Deep traversal) lists it. */
export interface ListedFolder {
  readonly id: string;
  readonly parentId: string | null;
  readonly displayName: string;
  /** Types.xsd FolderClass: "IPF.Note" for mail, "IPF.Appointment", "IPF.Contact", "IPF.Task", …; null when unset. */
  readonly folderClass: string | null;
}

/** Folders holding mail: IPF.Note and its subclasses, and folders without a class (Exchange's default is mail). */
const isMailFolder = (folder: ListedFolder) => !folder.folderClass || folder.folderClass === 'IPF' || folder.folderClass.startsWith('IPF.Note');

/**
 * The path of every mail folder below the root (whose id is `rootId`), parents before children in the server's
 * order, at most MAX_REPORTED_FOLDERS, none longer than the hub stores. A folder below a non-mail folder is left out
 * with it (Calendar's subfolders hold no mail).
 */
export function folderPaths(folders: readonly ListedFolder[], rootId: string): Map<string, string> {
  const byId = new Map(folders.map((folder) => [folder.id, folder]));
  const paths = new Map<string, string>();
  const pathOf = (folder: ListedFolder, depth = 0): string | null => {
    const known = paths.get(folder.id);
    if (known !== undefined) return known;
    if (!isMailFolder(folder) || depth > 64) return null;
    const name = escapeFolderName(folder.displayName.trim());
    if (name === '') return null;
    if (folder.parentId === rootId) return name;
    const parent = folder.parentId ? byId.get(folder.parentId) : undefined;
    if (!parent) return null;
    const parentPath = pathOf(parent, depth + 1);
    return parentPath === null ? null : `${parentPath}/${name}`;
  };
  for (const folder of folders) {
    if (paths.size >= MAX_REPORTED_FOLDERS) break;
    const path = pathOf(folder);
    if (path === null || path.length > MAX_FOLDER_PATH || path.includes('\u0000')) continue;
    paths.set(folder.id, path);
  }
  return paths;
}

/** Compares paths the way Exchange compares display names: case-insensitively. */
export function samePath(a: string, b: string): boolean {
  const left = splitFolderPath(a);
  const right = splitFolderPath(b);
  return left.length === right.length && left.every((segment, i) => segment.localeCompare(right[i], undefined, { sensitivity: 'accent' }) === 0);
}

/** The ids of every folder below `ancestorId` (children, their children, …), from FindFolder's flat list. */
export function folderIdsBelow(folders: readonly ListedFolder[], ancestorId: string): Set<string> {
  const children = new Map<string, string[]>();
  for (const folder of folders) if (folder.parentId) children.set(folder.parentId, [...(children.get(folder.parentId) ?? []), folder.id]);
  const below = new Set<string>();
  const queue = [...(children.get(ancestorId) ?? [])];
  while (queue.length > 0) {
    const id = queue.pop()!;
    if (below.has(id)) continue; // a cycle in a broken answer ends here
    below.add(id);
    queue.push(...(children.get(id) ?? []));
  }
  return below;
}
