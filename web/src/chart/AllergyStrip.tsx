// Allergies always in sight on patient screens (red when any), with "add allergy": the
// substance (typed, or an active ingredient picked from the drug catalogue), category,
// severity and reaction, saved as an AllergyIntolerance that the prescribing checks use.
import { useState } from 'react';
import type { AllergyIntolerance } from '../api/clinical-types';
import { ErrorBox } from '../common/ErrorBox';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { useClinicalApi } from '../clinical/useClinicalApi';
import { allergyResource, allergyText, isActiveAllergy, reactionText, type NewAllergy } from './allergy';

const EMPTY: NewAllergy = { substance: '', category: 'medication', criticality: 'high', reaction: '' };

export function AllergyStrip({ allergies, patientRef, onAdded }: { allergies: AllergyIntolerance[]; patientRef: string; onAdded: () => void }) {
  const { t } = useI18n();
  const api = useClinicalApi();
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState<NewAllergy>(EMPTY);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const active = allergies.filter(isActiveAllergy);

  const save = async (e: React.FormEvent) => {
    e.preventDefault();
    if (!form.substance.trim()) {
      setError(new Error(t('clin.allergy.substanceNeeded')));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await api.create(allergyResource(form, patientRef, new Date().toISOString()));
      setForm(EMPTY);
      setOpen(false);
      onAdded();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className={`allergy-strip${active.length ? ' has-allergy' : ''}`} data-testid="allergy-strip">
      <strong>{t('clin.allergy.title')}:</strong>{' '}
      {active.length === 0 ? (
        <span data-testid="allergy-none">{t('clin.allergy.none')}</span>
      ) : (
        <ul className="inline-list">
          {active.map((a) => (
            <li key={a.id} data-testid="allergy-item">
              {allergyText(a)}
              {a.criticality === 'high' && ` (${t('clin.allergy.high')})`}
              {reactionText(a) && <span className="muted"> · {reactionText(a)}</span>}
            </li>
          ))}
        </ul>
      )}{' '}
      <button type="button" className="link-button" onClick={() => setOpen((o) => !o)} aria-expanded={open} data-testid="allergy-add">
        {t('clin.allergy.add')}
      </button>
      {open && (
        <form className="allergy-form" onSubmit={(e) => void save(e)}>
          <div className="field grow">
            <label htmlFor="allergy-substance">{t('clin.allergy.substance')}</label>
            <input id="allergy-substance" autoFocus value={form.substance} onChange={(e) => setForm({ ...form, substance: e.target.value })} placeholder={t('clin.allergy.substanceHint')} data-testid="allergy-substance" />
          </div>
          <div className="field">
            <label htmlFor="allergy-category">{t('clin.allergy.category')}</label>
            <select id="allergy-category" value={form.category} onChange={(e) => setForm({ ...form, category: e.target.value as NewAllergy['category'] })}>
              {(['medication', 'food', 'environment', 'biologic'] as const).map((c) => (
                <option key={c} value={c}>
                  {t(`clin.allergy.cat.${c}` as MessageKey)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="allergy-criticality">{t('clin.allergy.criticality')}</label>
            <select id="allergy-criticality" value={form.criticality} onChange={(e) => setForm({ ...form, criticality: e.target.value as NewAllergy['criticality'] })}>
              <option value="high">{t('clin.allergy.high')}</option>
              <option value="low">{t('clin.allergy.low')}</option>
              <option value="unable-to-assess">{t('clin.allergy.unknown')}</option>
            </select>
          </div>
          <div className="field grow">
            <label htmlFor="allergy-reaction">{t('clin.allergy.reaction')}</label>
            <input id="allergy-reaction" value={form.reaction} onChange={(e) => setForm({ ...form, reaction: e.target.value })} placeholder={t('clin.allergy.reactionHint')} />
          </div>
          <button type="submit" className="primary" disabled={busy} data-testid="allergy-save">
            {busy ? t('clin.common.saving') : t('clin.common.save')}
          </button>
          <ErrorBox error={error} />
        </form>
      )}
    </div>
  );
}
