// The registration form: its fields, its checks, the Patient it becomes (what
// `POST /fhir/Patient` receives), and the pre-filling from a scanned card's fields.
import type { Address, Extension, Identifier, Patient } from '../api/fhir';
import { formatDate, isValidIsoDate, parseDateInput } from './dates';
import { systems } from './systems';
import { splitVietnameseName, titleCaseVi } from './text';

export interface RegistrationForm {
  name: string;
  /** As typed: dd/mm/yyyy (or yyyy-mm-dd). */
  birthDate: string;
  gender: '' | 'male' | 'female' | 'other';
  cccd: string;
  cmnd: string;
  bhyt: string;
  /** dd/mm/yyyy, optional. */
  bhytFrom: string;
  bhytTo: string;
  phone: string;
  provinceCode: string;
  districtCode: string;
  communeCode: string;
  /** House number, hamlet (thôn, bản, tổ): what comes before the commune. */
  addressLine: string;
}

export const DIEN_BIEN = '11';

export function emptyForm(): RegistrationForm {
  return {
    name: '', birthDate: '', gender: '', cccd: '', cmnd: '', bhyt: '', bhytFrom: '', bhytTo: '',
    phone: '', provinceCode: DIEN_BIEN, districtCode: '', communeCode: '', addressLine: '',
  };
}

export type FieldError =
  | 'required'
  | 'date-invalid'
  | 'date-future'
  | 'cccd-digits'
  | 'cmnd-digits'
  | 'bhyt-format'
  | 'phone-format'
  | 'period-order';

export type FormErrors = Partial<Record<keyof RegistrationForm, FieldError>>;

export function validateForm(f: RegistrationForm, today: string): FormErrors {
  const e: FormErrors = {};
  if (!f.name.trim()) e.name = 'required';
  if (!f.birthDate.trim()) e.birthDate = 'required';
  else {
    const iso = parseDateInput(f.birthDate);
    if (!iso) e.birthDate = 'date-invalid';
    else if (iso > today) e.birthDate = 'date-future';
  }
  if (!f.gender) e.gender = 'required';
  if (f.cccd.trim() && !/^\d{12}$/.test(f.cccd.trim())) e.cccd = 'cccd-digits';
  if (f.cmnd.trim() && !/^\d{9}$/.test(f.cmnd.trim())) e.cmnd = 'cmnd-digits';
  if (f.bhyt.trim() && !/^[A-Za-z]{2}\d{13}$/.test(f.bhyt.trim())) e.bhyt = 'bhyt-format';
  const from = f.bhytFrom.trim() ? parseDateInput(f.bhytFrom) : '';
  const to = f.bhytTo.trim() ? parseDateInput(f.bhytTo) : '';
  if (from === undefined) e.bhytFrom = 'date-invalid';
  if (to === undefined) e.bhytTo = 'date-invalid';
  if (from && to && from > to) e.bhytTo = 'period-order';
  if (f.phone.trim() && !/^(\+84|0)\d{9,10}$/.test(f.phone.replace(/[\s.-]/g, ''))) e.phone = 'phone-format';
  if (!f.provinceCode) e.provinceCode = 'required';
  return e;
}

export interface UnitNames {
  province?: string;
  district?: string;
  commune?: string;
}

const v2 = 'http://terminology.hl7.org/CodeSystem/v2-0203';

function identifier(use: Identifier['use'], code: string, display: string, text: string, system: string, value: string): Identifier {
  return { use, type: { coding: [{ system: v2, code, display }], text }, system, value };
}

/** The Patient for `POST /fhir/Patient`. The form must have passed validateForm. */
export function buildPatient(f: RegistrationForm, names: UnitNames, managingOrgId?: string): Patient {
  const s = systems();
  const fullName = f.name.normalize('NFC').trim().replace(/\s+/g, ' ');
  const { family, given } = splitVietnameseName(fullName);
  const ids: Identifier[] = [];
  if (f.cccd.trim()) ids.push(identifier('official', 'NI', 'National unique individual identifier', 'Số định danh cá nhân (CCCD)', s.cccd, f.cccd.trim()));
  if (f.cmnd.trim()) ids.push(identifier('old', 'NI', 'National unique individual identifier', 'Chứng minh nhân dân', s.cmnd, f.cmnd.trim()));
  if (f.bhyt.trim()) {
    const card = identifier('official', 'MB', 'Member Number', 'Mã thẻ BHYT', s.bhytCard, f.bhyt.trim().toUpperCase());
    const start = f.bhytFrom.trim() ? parseDateInput(f.bhytFrom) : undefined;
    const end = f.bhytTo.trim() ? parseDateInput(f.bhytTo) : undefined;
    if (start || end) card.period = { ...(start ? { start } : {}), ...(end ? { end } : {}) };
    ids.push(card);
  }
  const p: Patient = { resourceType: 'Patient', active: true };
  if (ids.length) p.identifier = ids;
  p.name = [{ use: 'official', text: fullName, family, ...(given.length ? { given } : {}) }];
  const phone = f.phone.replace(/[\s.-]/g, '');
  if (phone) p.telecom = [{ system: 'phone', value: phone, use: 'mobile' }];
  if (f.gender) p.gender = f.gender;
  const birth = parseDateInput(f.birthDate);
  if (birth) p.birthDate = birth;
  const address = buildAddress(f, names);
  if (address) p.address = [address];
  if (managingOrgId) p.managingOrganization = { reference: `Organization/${managingOrgId}` };
  return p;
}

function buildAddress(f: RegistrationForm, names: UnitNames): Address | undefined {
  const s = systems();
  const units: Extension[] = [];
  const unit = (url: 'province' | 'district' | 'commune', code: string, display?: string) => {
    if (code) units.push({ url, valueCoding: { system: s.adminUnit, code, ...(display ? { display } : {}) } });
  };
  unit('province', f.provinceCode, names.province);
  unit('district', f.districtCode, names.district);
  unit('commune', f.communeCode, names.commune);
  const line = f.addressLine.normalize('NFC').trim();
  if (!units.length && !line) return undefined;
  const a: Address = { use: 'home', type: 'physical' };
  if (units.length) a.extension = [{ url: s.extAddressAdminUnits, extension: units }];
  const parts = [line, f.communeCode ? names.commune : '', f.districtCode ? names.district : '', f.provinceCode ? names.province : ''].filter(Boolean);
  a.text = parts.join(', ');
  if (line) a.line = [line];
  if (f.communeCode && names.commune) a.city = names.commune;
  if (f.districtCode && names.district) a.district = names.district;
  if (f.provinceCode && names.province) a.state = names.province;
  a.country = 'VN';
  return a;
}

/**
 * The form pre-filled from the fields `$identify` read off a card (its `identity` parts:
 * `id`, `old_id`, `name`, `birth_date`, `gender`, `address` for a CCCD; `card_number`,
 * `valid_from`, `valid_to` for an insurance card). The card address goes to the address
 * line as printed: administrative codes are never guessed from it (it may predate a reform).
 */
export function formFromIdentity(identity: Record<string, string>, base: RegistrationForm = emptyForm()): RegistrationForm {
  const f = { ...base };
  const get = (k: string) => (identity[k] ?? '').trim();
  const kind = get('kind');
  if (get('id') && (kind === 'cccd' || /^\d{12}$/.test(get('id')))) f.cccd = get('id');
  if (get('old_id') && get('old_id') !== 'null') f.cmnd = get('old_id');
  if (get('name')) f.name = titleCaseVi(get('name'));
  const birth = get('birth_date');
  if (birth && isValidIsoDate(birth)) f.birthDate = formatDate(birth);
  const g = get('gender');
  if (g === 'male' || g === 'female' || g === 'other') f.gender = g;
  if (get('address')) f.addressLine = get('address').normalize('NFC');
  if (get('card_number')) f.bhyt = get('card_number').toUpperCase();
  if (get('valid_from') && isValidIsoDate(get('valid_from'))) f.bhytFrom = formatDate(get('valid_from'));
  if (get('valid_to') && isValidIsoDate(get('valid_to'))) f.bhytTo = formatDate(get('valid_to'));
  return f;
}
