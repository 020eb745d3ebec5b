/** The languages the UI is written in. */
export type Locale = 'en' | 'sv';

/** A count's wording per CLDR plural category; `#` stands for the number. English and Swedish use only these two. */
export interface PluralForms {
  readonly one: string;
  readonly other: string;
}

/**
 * The count function of a catalog: `count(n, { one: '# account', other: '# accounts' })` picks the form
 * Intl.PluralRules gives `n` in `locale` and writes `n` as the language groups digits ("1,234", "1 234").
 */
export function counter(locale: Locale): (n: number, forms: PluralForms) => string {
  const rules = new Intl.PluralRules(locale);
  const number = new Intl.NumberFormat(locale);
  return (n, forms) => (rules.select(n) === 'one' ? forms.one : forms.other).replaceAll('#', number.format(n));
}
