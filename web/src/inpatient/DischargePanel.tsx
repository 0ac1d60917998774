// Discharge ($discharge): the treatment outcome (KET_QUA_DTRI), the discharge type
// (MA_LOAI_RV), the summary notes, sick leave and referral where they apply. The server
// finishes the stay, frees the bed and writes the discharge paper and record summary
// (Composition), shown here as they will print.
import { useState } from 'react';
import type { Composition } from '../api/clinical-types';
import { dischargeDocuments, dischargeParameters, type DischargeForm } from './discharge';
import { ErrorBox } from '../common/ErrorBox';
import { KET_QUA_DTRI, MA_LOAI_RV } from '../clinical/codes';
import { useClinicalApi } from '../clinical/useClinicalApi';
import { useI18n } from '../i18n/i18n';
import { DischargePaper } from './DischargePaper';
import { DxPicker } from '../clinical/DxPicker';
import type { DiagnosisSet } from '../clinical/diagnoses';

export function DischargePanel({ encounterId, finished, existing, diagnoses, onDone }: { encounterId: string; finished: boolean; existing: Composition[]; diagnoses: DiagnosisSet; onDone: () => void }) {
  const { t, lang } = useI18n();
  const api = useClinicalApi();
  const [form, setForm] = useState<DischargeForm>({ outcome: '2', type: '1', notes: '', treatment: '', advice: '', sickLeaveDays: '', referralTo: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [docs, setDocs] = useState<Composition[]>([]);
  const [dx, setDx] = useState<DiagnosisSet>(diagnoses);
  const shown = docs.length ? docs : existing;
  const set = (patch: Partial<DischargeForm>) => setForm((f) => ({ ...f, ...patch }));

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!dx.main) return setError(new Error(t('inp.discharge.noDiagnosis')));
    if (form.type === '2' && !form.referralTo.trim()) return setError(new Error(t('clin.close.referralNeeded')));
    if (form.sickLeaveDays.trim() && !/^\d{1,3}$/.test(form.sickLeaveDays.trim())) return setError(new Error(t('inp.discharge.badSickLeave')));
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api.discharge(encounterId, dischargeParameters(form, { main: dx.main.code, secondary: dx.secondary.map((d) => d.code) }));
      setDocs(await Promise.all(dischargeDocuments(answer).map((id) => api.read<Composition>('Composition', id))));
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="discharge" data-testid="discharge">
      {!finished && (
        <form onSubmit={(e) => void submit(e)} className="no-print">
          <DxPicker value={dx} onChange={setDx} label={t('inp.discharge.diagnosis')} testId="dc-dx" />
          <div className="row">
            <div className="field">
              <label htmlFor="dc-outcome">{t('inp.discharge.outcome')}</label>
              <select id="dc-outcome" value={form.outcome} onChange={(e) => set({ outcome: e.target.value })} data-testid="dc-outcome">
                {KET_QUA_DTRI.map((k) => (
                  <option key={k.code} value={k.code}>
                    {k.code}. {k[lang]}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="dc-type">{t('inp.discharge.type')}</label>
              <select id="dc-type" value={form.type} onChange={(e) => set({ type: e.target.value })} data-testid="dc-type">
                {MA_LOAI_RV.filter((k) => k.code !== '5').map((k) => (
                  <option key={k.code} value={k.code}>
                    {k.code}. {k[lang]}
                  </option>
                ))}
              </select>
            </div>
            <div className="field small">
              <label htmlFor="dc-sick">{t('inp.discharge.sickLeave')}</label>
              <input id="dc-sick" inputMode="numeric" value={form.sickLeaveDays} onChange={(e) => set({ sickLeaveDays: e.target.value })} />
            </div>
          </div>
          {form.type === '2' && (
            <div className="field">
              <label htmlFor="dc-ref">{t('clin.close.referralTo')}</label>
              <input id="dc-ref" value={form.referralTo} onChange={(e) => set({ referralTo: e.target.value })} />
            </div>
          )}
          <div className="field">
            <label htmlFor="dc-notes">{t('inp.discharge.notes')}</label>
            <textarea id="dc-notes" rows={3} value={form.notes} onChange={(e) => set({ notes: e.target.value })} data-testid="dc-notes" />
          </div>
          <div className="field">
            <label htmlFor="dc-treat">{t('inp.discharge.treatment')}</label>
            <textarea id="dc-treat" rows={2} value={form.treatment} onChange={(e) => set({ treatment: e.target.value })} />
          </div>
          <div className="field">
            <label htmlFor="dc-advice">{t('inp.discharge.advice')}</label>
            <textarea id="dc-advice" rows={2} value={form.advice} onChange={(e) => set({ advice: e.target.value })} />
          </div>
          <ErrorBox error={error} testId="dc-error" />
          <button type="submit" className="primary big" disabled={busy} data-testid="dc-submit">
            {busy ? t('clin.common.saving') : t('inp.discharge.submit')}
          </button>
        </form>
      )}
      {shown.length > 0 && (
        <div className="discharge-docs" data-testid="discharge-docs">
          <div className="actions no-print">
            <button type="button" className="secondary" onClick={() => window.print()} data-testid="dc-print">
              {t('inp.discharge.print')}
            </button>
          </div>
          {shown.map((c, i) => (
            <DischargePaper key={c.id ?? i} composition={c} />
          ))}
        </div>
      )}
    </div>
  );
}
