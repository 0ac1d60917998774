// Code lists the clinical screens offer, as QĐ 4750/130 define them
// (resources/catalogs/claims/code-lists.csv): treatment outcome KET_QUA_DTRI, discharge type
// MA_LOAI_RV, drug routes (DMDC DUONG_DUNG, with the SNOMED CT route where one matches).
import type { CodedLabel } from '../lib/coded-label';
import { systems } from '../lib/systems';

export type CodeItem = CodedLabel;

export const KET_QUA_DTRI: CodeItem[] = [
  { code: '1', vi: 'Khỏi', en: 'Recovered' },
  { code: '2', vi: 'Đỡ', en: 'Improved' },
  { code: '3', vi: 'Không thay đổi', en: 'Unchanged' },
  { code: '4', vi: 'Nặng hơn', en: 'Worse' },
  { code: '5', vi: 'Tử vong', en: 'Died' },
  { code: '6', vi: 'Tiên lượng nặng xin về', en: 'Grave prognosis, family took home' },
  { code: '7', vi: 'Chưa xác định', en: 'Undetermined' },
];

export const MA_LOAI_RV: CodeItem[] = [
  { code: '1', vi: 'Ra viện', en: 'Discharged' },
  { code: '2', vi: 'Chuyển tuyến theo chỉ định chuyên môn', en: 'Referred (medical indication)' },
  { code: '3', vi: 'Trốn viện', en: 'Absconded' },
  { code: '4', vi: 'Xin ra viện', en: 'Discharged on request' },
  { code: '5', vi: 'Chuyển tuyến theo yêu cầu người bệnh', en: 'Referred on the patient’s request' },
];

export interface RouteItem extends CodeItem {
  snomed?: string;
  snomedDisplay?: string;
}

export const ROUTES: RouteItem[] = [
  { code: '1.01', vi: 'Uống', en: 'Oral', snomed: '26643006', snomedDisplay: 'Oral route' },
  { code: '1.02', vi: 'Ngậm', en: 'Buccal', snomed: '54471007', snomedDisplay: 'Buccal route' },
  { code: '1.03', vi: 'Nhai', en: 'Chew' },
  { code: '1.04', vi: 'Đặt dưới lưỡi', en: 'Sublingual', snomed: '37839007', snomedDisplay: 'Sublingual route' },
  { code: '2.01', vi: 'Tiêm bắp', en: 'Intramuscular', snomed: '78421000', snomedDisplay: 'Intramuscular route' },
  { code: '2.02', vi: 'Tiêm dưới da', en: 'Subcutaneous', snomed: '34206005', snomedDisplay: 'Subcutaneous route' },
  { code: '2.03', vi: 'Tiêm tĩnh mạch', en: 'Intravenous injection', snomed: '47625008', snomedDisplay: 'Intravenous route' },
  { code: '2.15', vi: 'Truyền tĩnh mạch', en: 'Intravenous infusion', snomed: '47625008', snomedDisplay: 'Intravenous route' },
  { code: '3.01', vi: 'Bôi', en: 'Topical', snomed: '6064005', snomedDisplay: 'Topical route' },
  { code: '3.05', vi: 'Đặt âm đạo', en: 'Vaginal', snomed: '16857009', snomedDisplay: 'Vaginal route' },
  { code: '3.07', vi: 'Đặt hậu môn', en: 'Rectal', snomed: '37161004', snomedDisplay: 'Rectal route' },
  { code: '4.01', vi: 'Nhỏ mắt', en: 'Ophthalmic', snomed: '54485002', snomedDisplay: 'Ophthalmic route' },
  { code: '4.03', vi: 'Nhỏ mũi', en: 'Nasal', snomed: '46713006', snomedDisplay: 'Nasal route' },
  { code: '5.01', vi: 'Hít, khí dung', en: 'Inhalation', snomed: '18679011', snomedDisplay: 'Inhalation route' },
];

export const SNOMED = 'http://snomed.info/sct';

export function routeSystem(): string {
  return systems().base + 'duong-dung';
}

/** The route typed in the catalogue ("Uống", "1.01", "oral") as one of ROUTES. */
export function findRoute(text: string | undefined): RouteItem | undefined {
  if (!text) return undefined;
  const t = text.trim().toLocaleLowerCase('vi');
  return ROUTES.find((r) => r.code === t || r.vi.toLocaleLowerCase('vi') === t || r.en.toLowerCase() === t || r.snomed === t);
}
