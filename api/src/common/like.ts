import type { DataSource } from 'typeorm';

// One way to match user text with SQL LIKE on both databases: the text is escaped so `%` and `_`
// match themselves, and '!' is the escape character because a backslash needs different quoting
// on MySQL (where it is also the string escape) and SQLite.

const LIKE_ESCAPE = '!';

/** The longest search text a list filter takes (SQLite refuses LIKE patterns over 50,000 bytes). */
export const MAX_SEARCH_LENGTH = 200;

/** `text` with LIKE's wildcards (and the escape character itself) matching only themselves. */
export const escapeLike = (text: string): string => text.replace(/[!%_]/g, (c) => `${LIKE_ESCAPE}${c}`);

/** A pattern matching `text` anywhere. */
export const containsPattern = (text: string): string => `%${escapeLike(text)}%`;

/** A pattern matching values that start with `text`. */
export const prefixPattern = (text: string): string => `${escapeLike(text)}%`;

/**
 * `expression LIKE :param` for a pattern made above, ignoring case and accents on both databases:
 * MySQL's utf8mb4_unicode_ci does it natively; on SQLite the crm_fold() function
 * (db/data-source.ts) stands in for it (SQLite's own LIKE folds ASCII only).
 */
export function likeCondition(db: DataSource, expression: string, param: string, options: { fold: boolean } = { fold: true }): string {
  const folded = options.fold && db.options.type === 'better-sqlite3';
  return folded
    ? `crm_fold(${expression}) LIKE crm_fold(:${param}) ESCAPE '${LIKE_ESCAPE}'`
    : `${expression} LIKE :${param} ESCAPE '${LIKE_ESCAPE}'`;
}
