import { Column, Entity, PrimaryColumn } from 'typeorm';
import { SERVER_FOLDER_ID_LENGTH } from './folder-tracking-rule.entity';

/**
 * One folder the mailbox's server (IMAP or Exchange) listed when the sync engine last asked (the folder picker of
 * folder tracking rules). Keyed by position, not path: IMAP names are case-sensitive (RFC 3501 5.1),
 * the MySQL collation is not.
 */
@Entity('mailbox_server_folder')
export class MailboxServerFolder {
  @PrimaryColumn('varchar', { length: 36 })
  mailboxId: string;

  @PrimaryColumn('int')
  position: number;

  /** The full path as the server names it, with its hierarchy delimiter ("INBOX/Contoso"). */
  @Column('varchar', { length: 255 })
  path: string;

  /** The server's stable id of the folder (Exchange FolderId); null for IMAP. */
  @Column('varchar', { length: SERVER_FOLDER_ID_LENGTH, nullable: true })
  folderId: string | null;

  /** Below the Inbox (Exchange folder tracking, as in Dynamics, allows only those). */
  @Column('boolean', { default: false })
  underInbox: boolean;
}
