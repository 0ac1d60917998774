// What the receptionist typed into the search box, and the FHIR search it becomes.
// The server folds case and diacritics for string search ('lo van a' finds 'Lò Văn A'),
// so a name goes as typed; numbers are recognised by shape.

export type SearchKind = 'qr' | 'cccd' | 'cmnd' | 'bhyt' | 'bhxh' | 'identifier' | 'name' | 'empty';

export interface ClassifiedSearch {
  kind: SearchKind;
  value: string;
  /** A birth year typed after a name: 'lo van a 1990'. */
  birthYear?: string;
}

export function classifySearch(input: string): ClassifiedSearch {
  const text = input.normalize('NFC').replace(/\s+/g, ' ').trim();
  if (!text) return { kind: 'empty', value: '' };
  if (text.split('|').length >= 4) return { kind: 'qr', value: input.trim() };
  const compact = text.replace(/[\s.-]/g, '');
  if (/^\d{12}$/.test(compact)) return { kind: 'cccd', value: compact };
  if (/^\d{9}$/.test(compact)) return { kind: 'cmnd', value: compact };
  if (/^\d{10}$/.test(compact)) return { kind: 'bhxh', value: compact };
  if (/^[A-Za-z]{2}\d{13}$/.test(compact)) return { kind: 'bhyt', value: compact.toUpperCase() };
  if (!text.includes(' ') && /\d/.test(text)) return { kind: 'identifier', value: text };
  const year = /^(.*\S)\s+((?:19|20)\d{2})$/.exec(text);
  if (year && !/\d/.test(year[1]!)) return { kind: 'name', value: year[1]!, birthYear: year[2]! };
  return { kind: 'name', value: text };
}

/** The query strings for one search (more than one are run together and merged). */
export function patientSearchQueries(search: ClassifiedSearch, bhxhSystem: string, count = 20): string[] {
  const c = `_count=${count}`;
  const e = encodeURIComponent;
  switch (search.kind) {
    case 'cccd':
      return [`cccd=${e(search.value)}&${c}`];
    case 'cmnd':
      return [`cmnd=${e(search.value)}&${c}`];
    case 'bhyt':
      return [`bhyt=${e(search.value)}&${c}`];
    case 'bhxh':
      return [`identifier=${e(`${bhxhSystem}|${search.value}`)}&${c}`];
    case 'identifier':
      return [`identifier=${e(search.value)}&${c}`, `_id=${e(search.value)}&${c}`];
    case 'name':
      return [`name=${e(search.value)}${search.birthYear ? `&birthdate=${search.birthYear}` : ''}&${c}`];
    default:
      return [];
  }
}
