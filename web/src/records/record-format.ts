import type { Messages } from '../shell/i18n/en';
import type { Translator } from '../shell/i18n/translator';
import type { RecordKind } from './record-kind';

/** A calendar date (YYYY-MM-DD, as estimatedCloseDate is) as a local Date, so it is written as that day everywhere; null when it is none. */
export function dayOf(iso: string | null): Date | null {
  const match = iso ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso) : null;
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A status in the reader's words; a value the catalog does not know (a newer API) as the API wrote it. */
export function statusLabel(t: Messages, kind: RecordKind, value: string): string {
  const labels: Readonly<Record<string, string>> = t.records.status[kind];
  return labels[value] ?? value;
}

/** An amount in its currency as the reader's locale writes it ("120 000 kr", "SEK 120,000"), whole units without decimals. */
export function formatMoney(i18n: Pick<Translator, 'formatNumber'>, value: number, currency: string): string {
  const fraction = Number.isInteger(value) ? 0 : 2;
  return i18n.formatNumber(value, { style: 'currency', currency, minimumFractionDigits: fraction, maximumFractionDigits: 2 });
}
