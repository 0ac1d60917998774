// Province / district / commune pickers over the administrative-units catalogue
// (2024-06-11). Native selects: fast, keyboard-friendly (type the first letters).
import { useEffect, useState } from 'react';
import { useT } from '../i18n/i18n';
import { loadProvince, PROVINCES, type ProvinceUnits } from '../lib/admin-units';
import type { UnitNames } from '../lib/registration';

interface Props {
  province: string;
  district: string;
  commune: string;
  onChange: (codes: { province: string; district: string; commune: string }, names: UnitNames) => void;
  errors?: { province?: string | undefined };
}

export function namesFor(units: ProvinceUnits | undefined, province: string, district: string, commune: string): UnitNames {
  const d = units?.districts.find((x) => x.code === district);
  return {
    province: PROVINCES.find((p) => p.code === province)?.name,
    district: d?.name,
    commune: d?.communes.find((c) => c.code === commune)?.name,
  };
}

export function AdminUnitPicker({ province, district, commune, onChange, errors }: Props) {
  const t = useT();
  const [units, setUnits] = useState<ProvinceUnits | undefined>();

  useEffect(() => {
    let live = true;
    setUnits(undefined);
    if (province) void loadProvince(province).then((u) => live && setUnits(u));
    return () => {
      live = false;
    };
  }, [province]);

  // Names follow the codes once the province's units are loaded.
  useEffect(() => {
    if (units) onChange({ province, district, commune }, namesFor(units, province, district, commune));
  }, [units]);

  const districts = units?.districts ?? [];
  const communes = districts.find((d) => d.code === district)?.communes ?? [];
  const change = (p: string, d: string, c: string) => onChange({ province: p, district: d, commune: c }, namesFor(units, p, d, c));

  return (
    <div className="units">
      <div className="field">
        <label htmlFor="reg-province">{t('address.province')}</label>
        <select id="reg-province" value={province} onChange={(e) => change(e.target.value, '', '')} aria-invalid={!!errors?.province}>
          <option value="">{t('address.choose')}</option>
          {PROVINCES.map((p) => (
            <option key={p.code} value={p.code}>
              {p.name}
            </option>
          ))}
        </select>
        {errors?.province && <span className="field-error">{errors.province}</span>}
      </div>
      <div className="field">
        <label htmlFor="reg-district">{t('address.district')}</label>
        <select id="reg-district" value={district} disabled={!units} onChange={(e) => change(province, e.target.value, '')}>
          <option value="">{t('address.choose')}</option>
          {districts.map((d) => (
            <option key={d.code} value={d.code}>
              {d.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="reg-commune">{t('address.commune')}</label>
        <select id="reg-commune" value={commune} disabled={!district || communes.length === 0} onChange={(e) => change(province, district, e.target.value)}>
          <option value="">{t('address.choose')}</option>
          {communes.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}
