import { useI18n } from '../i18n/i18n';
import type { Ward } from './occupancy';

/** The ward picker of the bed board, admission and transfer. */
export function WardSelect({ id, wards, value, onChange }: { id: string; wards: Ward[] | undefined; value: string; onChange: (ward: string) => void }) {
  const { t } = useI18n();
  return (
    <div className="field">
      <label htmlFor={id}>{t('inp.ward')}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} data-testid={id}>
        {(wards ?? []).map((w) => (
          <option key={w.id} value={w.id}>
            {w.name || w.id}
          </option>
        ))}
      </select>
    </div>
  );
}
