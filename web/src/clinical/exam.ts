// History and examination of a visit as narrative Observations, one per section, coded in
// LOINC, with quick phrases for the usual normal findings (typed once, clicked after).
import type { Observation } from './vitals';
import { LOINC, OBS_CATEGORY } from './vitals';

export type ExamKey = 'complaint' | 'illness' | 'pastHistory' | 'familyHistory' | 'general' | 'organs' | 'summary';

export interface ExamSection {
  key: ExamKey;
  loinc: string;
  display: string;
  category: 'exam' | 'social-history' | 'survey';
  /** Phrases offered as one-click inserts (Vietnamese, as written in the record). */
  phrases: string[];
}

export const EXAM_SECTIONS: ExamSection[] = [
  { key: 'complaint', loinc: '10154-3', display: 'Chief complaint Narrative', category: 'survey', phrases: ['Sốt', 'Ho', 'Đau đầu', 'Đau bụng', 'Khó thở', 'Mệt mỏi'] },
  { key: 'illness', loinc: '10164-2', display: 'History of Present illness Narrative', category: 'survey', phrases: [] },
  { key: 'pastHistory', loinc: '11348-0', display: 'History of Past illness Narrative', category: 'survey', phrases: ['Chưa phát hiện bệnh lý', 'Tăng huyết áp', 'Đái tháo đường'] },
  { key: 'familyHistory', loinc: '10157-6', display: 'History of family member diseases Narrative', category: 'social-history', phrases: ['Chưa phát hiện bệnh lý'] },
  {
    key: 'general',
    loinc: '10210-3',
    display: 'Physical findings of General status Narrative',
    category: 'exam',
    phrases: ['Tỉnh, tiếp xúc tốt', 'Da, niêm mạc hồng', 'Không phù', 'Không xuất huyết dưới da', 'Hạch ngoại vi không sờ thấy', 'Tuyến giáp không to'],
  },
  {
    key: 'organs',
    loinc: '11384-5',
    display: 'Physical exam by body areas Narrative',
    category: 'exam',
    phrases: ['Tim đều, T1 T2 rõ', 'Phổi thông khí đều, không rales', 'Bụng mềm, gan lách không sờ thấy', 'Thận không chạm'],
  },
  { key: 'summary', loinc: '51848-0', display: 'Evaluation note', category: 'exam', phrases: [] },
];

export type ExamValues = Partial<Record<ExamKey, string>>;

/** Adds a phrase to a section's text: on a new sentence, never twice. */
export function addPhrase(text: string, phrase: string): string {
  const t = text.trimEnd();
  if (t.toLocaleLowerCase('vi').includes(phrase.toLocaleLowerCase('vi'))) return text;
  if (!t) return phrase;
  return /[.;,:]$/.test(t) ? `${t} ${phrase}` : `${t}; ${phrase}`;
}

export function examObservation(s: ExamSection, text: string, ctx: { patient: string; encounter: string; effective: string }, id?: string): Observation {
  return {
    resourceType: 'Observation',
    ...(id ? { id } : {}),
    status: 'final',
    category: [{ coding: [{ system: OBS_CATEGORY, code: s.category }] }],
    code: { coding: [{ system: LOINC, code: s.loinc, display: s.display }] },
    subject: { reference: ctx.patient },
    encounter: { reference: ctx.encounter },
    effectiveDateTime: ctx.effective,
    valueString: text.trim(),
  };
}

/** The stored texts (and ids, to update) of a visit's narrative Observations. */
export function readExam(observations: Observation[]): { values: ExamValues; ids: Partial<Record<ExamKey, string>> } {
  const values: ExamValues = {};
  const ids: Partial<Record<ExamKey, string>> = {};
  for (const o of observations) {
    const code = o.code.coding?.find((c) => c.system === LOINC)?.code;
    const s = EXAM_SECTIONS.find((x) => x.loinc === code);
    if (!s || o.valueString === undefined) continue;
    values[s.key] = o.valueString;
    if (o.id) ids[s.key] = o.id;
  }
  return { values, ids };
}
