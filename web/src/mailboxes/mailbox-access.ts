import type { MailboxRow, ViewerAccess } from './mailbox';

/** What the viewer may do with one mailbox; the API checks again, this only decides which buttons to show. */
export interface MailboxPermissions {
  /** Approve, reject, disable, resync (api/src/mail/mailbox.service.ts isMailAdmin). */
  readonly admin: boolean;
  /** Credentials and Test & Enable: the owner or an administrator. */
  readonly write: boolean;
  readonly owner: boolean;
}

/** Organization-wide write on mailboxes, as the API's isMailAdmin decides it from the viewer's roles. */
export function isMailAdmin(viewer: ViewerAccess): boolean {
  return viewer.roles.some((role) =>
    role.privileges.some((p) => p.entity === 'MAILBOX' && p.privilege === 'WRITE' && p.depth === 'ORGANIZATION'),
  );
}

export function permissionsFor(viewer: ViewerAccess, mailbox: Pick<MailboxRow, 'owner'>): MailboxPermissions {
  const admin = isMailAdmin(viewer);
  const owner = mailbox.owner?.id === viewer.id;
  return { admin, owner, write: admin || owner };
}
