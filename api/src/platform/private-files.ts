import fs from 'node:fs';

/**
 * Data files are for the service user only: the SQLite database holds email bodies and attachments
 * in clear, and the key files unlock mail credentials and the Sync Service.
 */

/** Creates `dir` and any missing parents with mode 700. An existing directory is left as it is (see `makePrivate`). */
export function createPrivateDirectory(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
}

/**
 * Takes group and other permissions away from an existing file or directory (files made by an older
 * version, or under a loose umask): 755 becomes 700, 644 becomes 600. Does nothing when it is absent.
 */
export function makePrivate(target: string): void {
  let mode: number;
  try {
    mode = fs.statSync(target).mode;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  if (mode & 0o077) fs.chmodSync(target, mode & 0o700);
}
