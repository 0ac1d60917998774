// The department picker of the queue screens (reception's queue, the doctor's clinic): the
// catalogue's departments, plus the current one when it is not in the catalogue. Choosing
// one remembers it and moves to `basePath?department=…`.
import { navigate } from '../app/router';
import { useI18n } from '../i18n/i18n';
import { DEPARTMENTS, rememberDepartment } from '../lib/departments';

export function DepartmentSelect({ id, department, basePath }: { id: string; department: string; basePath: string }) {
  const { t, lang } = useI18n();
  return (
    <div className="field">
      <label htmlFor={id}>{t('visit.department')}</label>
      <select
        id={id}
        value={department}
        onChange={(e) => {
          rememberDepartment(e.target.value);
          navigate(`${basePath}?department=${encodeURIComponent(e.target.value)}`, true);
        }}
      >
        {DEPARTMENTS.map((d) => (
          <option key={d.code} value={d.code}>
            {d[lang]}
          </option>
        ))}
        {!DEPARTMENTS.some((d) => d.code === department) && <option value={department}>{department}</option>}
      </select>
    </div>
  );
}
