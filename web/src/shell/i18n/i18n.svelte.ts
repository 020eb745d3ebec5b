import { getContext } from 'svelte';
import { intlLocaleFor, LOCALE_STORAGE_KEY, pickLocale, type Locale } from './locale';
import { translator, type DateStyle, type Problem, type Translator } from './translator';

export type { Text, Problem, Translator } from './translator';
export { problemOf, problemText } from './translator';

/** Where the reader's language choice is kept, and what the browser says they read; passed in so tests can give their own. */
export interface LocaleEnvironment {
  /** localStorage in the app. */
  readonly storage: Pick<Storage, 'getItem' | 'setItem'>;
  /** navigator.languages in the app, most preferred first. */
  readonly languages: readonly string[];
  /** The element whose `lang` follows the choice: document.documentElement in the app. */
  readonly root?: HTMLElement;
}

/**
 * The reader's language, reactive: `t` is the catalog of the current locale and the format methods write dates,
 * numbers and relative times for it, so a component that reads them re-renders when the reader switches.
 */
export class I18n implements Translator {
  locale = $state<Locale>('en');

  readonly #environment: LocaleEnvironment;
  readonly #current = $derived(translator(this.locale, intlLocaleFor(this.locale, this.#languages())));

  constructor(environment: LocaleEnvironment) {
    this.#environment = environment;
    this.locale = pickLocale(readSaved(environment.storage), environment.languages);
    if (environment.root) environment.root.lang = this.locale;
  }

  /** Shows the UI in `locale` from now on, here and after a reload. */
  setLocale(locale: Locale): void {
    this.locale = locale;
    if (this.#environment.root) this.#environment.root.lang = locale;
    try {
      this.#environment.storage.setItem(LOCALE_STORAGE_KEY, locale);
    } catch {
      // Storage can be full or switched off: the choice then lasts until the page is closed.
    }
  }

  get t() {
    return this.#current.t;
  }

  get intlLocale(): string {
    return this.#current.intlLocale;
  }

  formatDate = (value: Date | string | number, style?: DateStyle): string => this.#current.formatDate(value, style);
  formatNumber = (value: number, options?: Intl.NumberFormatOptions): string => this.#current.formatNumber(value, options);
  formatRelative = (iso: string | null, now: number, options?: { never?: string; past?: boolean }): string => this.#current.formatRelative(iso, now, options);
  formatDay = (date: Date, now: Date): string => this.#current.formatDay(date, now);
  formatFileSize = (bytes: number): string => this.#current.formatFileSize(bytes);
  formatDuration = (minutes: number): string => this.#current.formatDuration(minutes);
  problem = (problem: Problem): string => this.#current.problem(problem);

  #languages(): readonly string[] {
    return this.#environment.languages;
  }
}

function readSaved(storage: Pick<Storage, 'getItem'>): string | null {
  try {
    return storage.getItem(LOCALE_STORAGE_KEY);
  } catch {
    return null;
  }
}

const I18N_KEY = Symbol('i18n');

/** The reader's language given to `mount`; call during component initialisation. */
export function getI18n(): I18n {
  const i18n = getContext<I18n | undefined>(I18N_KEY);
  if (!i18n) throw new Error('No I18n in context: pass i18nContext(i18n) to mount()');
  return i18n;
}

/** The context entry to add to `mount(App, { context })`. */
export function i18nContext(i18n: I18n): [symbol, I18n] {
  return [I18N_KEY, i18n];
}
