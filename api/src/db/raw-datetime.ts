/**
 * A datetime(3) column read raw (getRawMany), which the two drivers give differently: a Date from MariaDB, text in
 * UTC without a zone ("2027-03-01 08:00:00.000") from SQLite. Text that names its zone is read as it says.
 */
export function rawDatetime(value: Date | string): Date {
  if (value instanceof Date) return value;
  const text = String(value);
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}
