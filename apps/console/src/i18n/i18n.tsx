import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { en } from './en';
import { vi, type Messages } from './vi';

export type Language = 'vi' | 'en';
const MESSAGES: Record<Language, Messages> = { vi, en };
const LOCALES: Record<Language, string> = { vi: 'vi-VN', en: 'en-GB' };
const STORAGE_KEY = 'lgsp.console.language';

/** Numbers, percentages and dates in the language's own format (vi-VN: 1.234.567, 99,8 %, 22/11/2026). */
export function formatters(language: Language) {
  const locale = LOCALES[language];
  const integer = new Intl.NumberFormat(locale);
  const oneDecimal = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const date = new Intl.DateTimeFormat(locale, {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
  });
  const dateTime = new Intl.DateTimeFormat(locale, {
    day: '2-digit',
    month: '2-digit',
    year: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const time = new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit' });
  const when = (v: string | Date | null | undefined, f: Intl.DateTimeFormat) =>
    v ? f.format(new Date(v)) : '—';
  return {
    number: (n: number | null | undefined) =>
      n === null || n === undefined ? '—' : integer.format(n),
    /** A rate in [0, 1] as a percentage with one decimal: 0.998 → "99,8 %". */
    percent: (r: number | null | undefined) =>
      r === null || r === undefined ? '—' : `${oneDecimal.format(r * 100)} %`,
    ms: (n: number | null | undefined) =>
      n === null || n === undefined ? '—' : `${integer.format(n)} ms`,
    date: (v: string | Date | null | undefined) => when(v, date),
    dateTime: (v: string | Date | null | undefined) => when(v, dateTime),
    time: (v: string | Date | null | undefined) => when(v, time),
  };
}

export type Formatters = ReturnType<typeof formatters>;

interface I18n {
  language: Language;
  setLanguage: (l: Language) => void;
  t: Messages;
  f: Formatters;
}

const Context = createContext<I18n | null>(null);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(
    localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'vi',
  );
  const value = useMemo<I18n>(
    () => ({
      language,
      setLanguage: (l) => {
        localStorage.setItem(STORAGE_KEY, l);
        document.documentElement.lang = l;
        setLanguageState(l);
      },
      t: MESSAGES[language],
      f: formatters(language),
    }),
    [language],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(Context);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}

/** Fills `{name}` placeholders of a message. */
export function fill(message: string, values: Record<string, string | number>): string {
  return message.replace(/\{(\w+)\}/g, (_, k: string) => String(values[k] ?? ''));
}
