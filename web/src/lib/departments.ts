// The departments a visit can start in, as the reception screen offers them. The code is
// what `$start-visit` receives as `department` and what the queue display is opened for
// (/display/<code>). A facility that names its departments otherwise types its own code
// (the picker accepts any) and it is remembered on this computer.
import type { Lang } from '../i18n/format';
import { codedLabel, type CodedLabel } from './coded-label';

export type Department = CodedLabel;

export const DEPARTMENTS: Department[] = [
  { code: 'kham-noi', vi: 'Phòng khám Nội', en: 'Internal medicine clinic' },
  { code: 'kham-nhi', vi: 'Phòng khám Nhi', en: 'Paediatric clinic' },
  { code: 'kham-ngoai', vi: 'Phòng khám Ngoại', en: 'Surgical clinic' },
  { code: 'kham-san', vi: 'Phòng khám Sản', en: 'Obstetric clinic' },
  { code: 'kham-tmh', vi: 'Phòng khám Tai Mũi Họng', en: 'ENT clinic' },
  { code: 'kham-rhm', vi: 'Phòng khám Răng Hàm Mặt', en: 'Dental clinic' },
  { code: 'kham-mat', vi: 'Phòng khám Mắt', en: 'Eye clinic' },
  { code: 'kham-yhct', vi: 'Phòng khám Y học cổ truyền', en: 'Traditional medicine clinic' },
  { code: 'cap-cuu', vi: 'Khoa Cấp cứu', en: 'Emergency department' },
];

export function departmentLabel(code: string, lang: Lang): string {
  return codedLabel(DEPARTMENTS, code, lang);
}

const KEY = 'hb.department';

export function rememberedDepartment(): string {
  try {
    return localStorage.getItem(KEY) || DEPARTMENTS[0]!.code;
  } catch {
    return DEPARTMENTS[0]!.code;
  }
}

export function rememberDepartment(code: string): void {
  try {
    localStorage.setItem(KEY, code);
  } catch {
    // not remembered: fine
  }
}
