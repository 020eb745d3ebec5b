import type { DataSource } from 'typeorm';
import type { BlobReference } from '../attachments/blob-store';
import { Attachment } from './attachment.entity';
import { EmailMessage } from './email-message.entity';

/** Every column that names a blob: while a row names it, the sweep of unreferenced blobs keeps it. */
export function blobReferences(db: DataSource): BlobReference[] {
  const attachments = db.getMetadata(Attachment).tableName;
  const emails = db.getMetadata(EmailMessage).tableName;
  return [
    { table: attachments, column: 'blobSha256' },
    { table: emails, column: 'textBodyBlob' },
    { table: emails, column: 'htmlBodyBlob' },
  ];
}
