// Closing the visit ($close-visit): the outcome (KET_QUA_DTRI), and what comes next: home,
// a follow-up appointment, a referral to another facility, or admission (the inpatient
// screen's admit form). The server checks the diagnoses again and finishes the Encounter.
import { useState } from 'react';
import { navigate } from '../app/router';
import { ErrorBox } from '../common/ErrorBox';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { facilityDate } from '../lib/dates';
import { closeVisitParameters, type Next } from './close';
import { KET_QUA_DTRI } from './codes';
import { useClinicalApi } from './useClinicalApi';

export function CloseVisit({ encounterId, finished, onClosed }: { encounterId: string; finished: boolean; onClosed: () => void }) {
  const { t, lang } = useI18n();
  const api = useClinicalApi();
  const [outcome, setOutcome] = useState('2');
  const [next, setNext] = useState<Next>('home');
  const [followUp, setFollowUp] = useState(() => facilityDate(Date.now() + 7 * 86400_000));
  const [referralTo, setReferralTo] = useState('');
  const [referralReason, setReferralReason] = useState('');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  if (finished) return <p className="notice" data-testid="visit-closed">{t('clin.close.done')}</p>;

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    if (next === 'admit') {
      navigate(`/inpatient/admit?encounter=${encodeURIComponent(encounterId)}`);
      return;
    }
    if (next === 'referral' && !referralTo.trim()) {
      setError(new Error(t('clin.close.referralNeeded')));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await api.closeVisit(encounterId, closeVisitParameters({ outcome, next, followUp, referralTo, referralReason, note }));
      onClosed();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="close-visit" onSubmit={(e) => void submit(e)}>
      <div className="row">
        <div className="field">
          <label htmlFor="close-outcome">{t('clin.close.outcome')}</label>
          <select id="close-outcome" value={outcome} onChange={(e) => setOutcome(e.target.value)} data-testid="close-outcome">
            {KET_QUA_DTRI.filter((k) => k.code !== '5' && k.code !== '6').map((k) => (
              <option key={k.code} value={k.code}>
                {k[lang]}
              </option>
            ))}
          </select>
        </div>
      </div>
      <fieldset className="radios">
        <legend>{t('clin.close.next')}</legend>
        {(['home', 'follow-up', 'referral', 'admit'] as Next[]).map((n) => (
          <label key={n}>
            <input type="radio" name="close-next" value={n} checked={next === n} onChange={() => setNext(n)} data-testid={`close-next-${n}`} /> {t(`clin.close.next.${n}` as MessageKey)}
          </label>
        ))}
      </fieldset>
      {next === 'follow-up' && (
        <div className="field">
          <label htmlFor="close-followup">{t('clin.close.followUp')}</label>
          <input id="close-followup" type="date" value={followUp} min={facilityDate(Date.now() + 86400_000)} onChange={(e) => setFollowUp(e.target.value)} data-testid="close-followup" />
        </div>
      )}
      {next === 'referral' && (
        <div className="row">
          <div className="field grow">
            <label htmlFor="close-refto">{t('clin.close.referralTo')}</label>
            <input id="close-refto" value={referralTo} onChange={(e) => setReferralTo(e.target.value)} placeholder={t('clin.close.referralHint')} />
          </div>
          <div className="field grow">
            <label htmlFor="close-refwhy">{t('clin.close.referralReason')}</label>
            <input id="close-refwhy" value={referralReason} onChange={(e) => setReferralReason(e.target.value)} />
          </div>
        </div>
      )}
      <div className="field">
        <label htmlFor="close-note">{t('clin.close.note')}</label>
        <textarea id="close-note" rows={2} value={note} onChange={(e) => setNote(e.target.value)} />
      </div>
      <ErrorBox error={error} testId="close-error" />
      <div className="actions">
        <button type="submit" className="primary big" disabled={busy} data-testid="close-submit">
          {busy ? t('clin.common.saving') : next === 'admit' ? t('clin.close.toAdmit') : t('clin.close.submit')}
        </button>
      </div>
    </form>
  );
}
