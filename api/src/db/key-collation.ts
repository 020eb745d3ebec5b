/**
 * Identifiers (UUIDs, varchar(36)), the record kinds stored beside them and the hex digests that name blobs, messages
 * and credentials are compared byte by byte on MySQL/MariaDB (utf8mb4_bin). Under the tables' utf8mb4_unicode_ci every
 * key comparison in an index went through the collation's weights: the timeline's page statement spent about a fifth
 * of its time inside MariaDB on that (bench/notes/binary-keys.md). Byte comparison is also what SQLite does, so an id
 * matches the same rows on both. The character set stays utf8mb4: a parameter outside ASCII (hostile input) compares
 * as unequal instead of failing, as it would against an ascii column. Every column compared with an id must be binary
 * too: MySQL refuses to compare two columns of different collations.
 */

/** varchar(36) is IdColumn's type and only that: every such column holds an id. */
export const ID_LENGTH = 36;

/** The record kinds stored beside ids, in the same keys and comparisons. */
export const BINARY_KIND_COLUMNS: readonly string[] = ['recordKind', 'regardingKind', 'partyKind'];

export const KEY_COLLATION = 'utf8mb4_bin';

const DECLARATION = `CHARACTER SET utf8mb4 COLLATE ${KEY_COLLATION}`;

/** Lower-case hex SHA-256 digests used as keys (blobKey also holds an upload's temporary `tmp:` key). */
export const BINARY_DIGEST_COLUMNS: readonly string[] = ['sha256', 'blobKey', 'blobSha256', 'textBodyBlob', 'htmlBodyBlob', 'messageIdHash', 'subjectHash', 'keyHash', 'tokenHash'];

/** Whether a MySQL column of this name and varchar length is a key compared byte by byte. */
export const isBinaryKeyColumn = (name: string, varcharLength: number): boolean =>
  varcharLength === ID_LENGTH || BINARY_KIND_COLUMNS.includes(name) || BINARY_DIGEST_COLUMNS.includes(name);

/**
 * A generated MySQL statement (CREATE TABLE, ALTER TABLE … ADD/CHANGE) with its id and kind columns declared binary:
 * the entities say nothing of collations, as SQLite has none of MySQL's.
 */
export function withBinaryKeys(sql: string): string {
  return sql.replace(/`([A-Za-z0-9_]+)` varchar\((\d+)\)(?! CHARACTER SET)/g, (whole, name: string, length: string) =>
    isBinaryKeyColumn(name, Number(length)) ? `${whole} ${DECLARATION}` : whole,
  );
}
