// Daily progress notes (tờ điều trị: diễn biến, y lệnh) and nursing care records (phiếu
// chăm sóc) of a stay, as ClinicalImpressions coded in LOINC (11506-3 Progress note,
// 34746-8 Nurse note): the course in `summary` (what the record summary at discharge and the
// chart read), the orders or care given as a note. Papers (Compositions) keep their
// narrative, read here as plain text.
import type { ClinicalImpression } from '../api/clinical-types';

export const LOINC = 'http://loinc.org';

export type NoteKind = 'progress' | 'nursing';

export const NOTE_TYPES: Record<NoteKind, { code: string; display: string; title: string; main: string; second: string }> = {
  progress: { code: '11506-3', display: 'Progress note', title: 'Tờ điều trị', main: 'progress', second: 'orders' },
  nursing: { code: '34746-8', display: 'Nurse note', title: 'Phiếu chăm sóc', main: 'observation', second: 'care' },
};

/** The parts of a note form, in order: the course, then the orders or the care given. */
export function noteParts(kind: NoteKind): string[] {
  return [NOTE_TYPES[kind].main, NOTE_TYPES[kind].second];
}

export function noteImpression(kind: NoteKind, texts: Record<string, string>, ctx: { patient: string; encounter: string; date: string; author: string }): ClinicalImpression {
  const type = NOTE_TYPES[kind];
  const main = (texts[type.main] ?? '').trim();
  const second = (texts[type.second] ?? '').trim();
  if (!main && !second) throw new Error('an empty note');
  return {
    resourceType: 'ClinicalImpression',
    status: 'completed',
    code: { coding: [{ system: LOINC, code: type.code, display: type.display }], text: type.title },
    subject: { reference: ctx.patient },
    encounter: { reference: ctx.encounter },
    effectiveDateTime: ctx.date,
    date: ctx.date,
    // no assessor here: the server names the writer's Practitioner (a display-only one would stop it)
    ...(main ? { summary: main } : {}),
    ...(second ? { note: [{ text: second, time: ctx.date, ...(ctx.author ? { authorString: ctx.author } : {}) }] } : {}),
  };
}

export function noteKindOf(c: ClinicalImpression): NoteKind | undefined {
  const code = c.code?.coding?.find((x) => x.system === LOINC)?.code;
  if (code === NOTE_TYPES.progress.code) return 'progress';
  if (code === NOTE_TYPES.nursing.code) return 'nursing';
  return undefined;
}

/** The text of a narrative div, paragraphs as lines. */
export function narrativeText(div: string | undefined): string {
  if (!div) return '';
  return div
    .replace(/<\/(p|div|li|tr|h\d)>/gi, '\n')
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/t[dh]>/gi, ' ')
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .join('\n');
}
