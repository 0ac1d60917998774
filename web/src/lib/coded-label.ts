// A code with its Vietnamese and English labels: the one shape of the fixed lists the screens
// offer (departments, QĐ 4750 code lists, drug routes), and the label lookup they share.
import type { Lang } from '../i18n/format';

export interface CodedLabel {
  code: string;
  vi: string;
  en: string;
}

/** The label of `code` in `lang`; the code itself when the list does not have it (a code
 *  typed by a facility, or one from a newer list). */
export function codedLabel(items: readonly CodedLabel[], code: string, lang: Lang): string {
  const item = items.find((x) => x.code === code);
  return item ? item[lang] : code;
}
