// Message formatting and the language choice, free of React so they can be tested alone.

export type Lang = 'vi' | 'en';
export const LANGS: Lang[] = ['vi', 'en'];
export const LANG_KEY = 'hb.lang';

/** Replaces {name} with params.name; unknown placeholders stay as written. */
export function formatMessage(template: string, params?: Record<string, string | number>): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => (key in params ? String(params[key]) : whole));
}

/** The remembered language, else Vietnamese (the app is Vietnamese first). */
export function initialLang(stored: string | null | undefined): Lang {
  return stored === 'en' ? 'en' : 'vi';
}
