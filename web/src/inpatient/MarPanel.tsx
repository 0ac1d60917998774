// The medication administration record of today: each active order of the stay with its
// scheduled doses; a nurse marks each dose given or held (held needs the reason), which
// records a MedicationAdministration.
import { useState } from 'react';
import type { MedicationAdministration, MedicationRequest } from '../api/clinical-types';
import { useSession } from '../app/session';
import { ErrorBox } from '../common/ErrorBox';
import { useClinicalApi } from '../clinical/useClinicalApi';
import { useI18n } from '../i18n/i18n';
import { facilityDate, formatTime } from '../lib/dates';
import { administrationOf, doseSlots } from './mar';

export function MarPanel({ orders, administrations, encounterRef, onSaved, readOnly }: { orders: MedicationRequest[]; administrations: MedicationAdministration[]; encounterRef: string; onSaved: () => void; readOnly: boolean }) {
  const { t } = useI18n();
  const api = useClinicalApi();
  const { session } = useSession();
  const [holding, setHolding] = useState<string | undefined>();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const today = facilityDate(); // as the doses are counted (mar.ts)
  const active = orders.filter((o) => o.status === 'active');

  const record = async (mr: MedicationRequest, slot: string, given: boolean) => {
    if (!given && !reason.trim()) {
      setError(new Error(t('inp.mar.reasonNeeded')));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      await api.create(administrationOf(mr, { encounter: encounterRef, when: new Date().toISOString(), given, reason, slot, performer: session?.display || session?.user }));
      setHolding(undefined);
      setReason('');
      onSaved();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (!active.length) return <p className="muted">{t('inp.mar.none')}</p>;
  return (
    <div className="mar" data-testid="mar">
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('pharm.drug')}</th>
            <th scope="col">{t('inp.mar.doses')}</th>
          </tr>
        </thead>
        <tbody>
          {active.map((mr) => (
            <tr key={mr.id} data-testid="mar-row">
              <td>
                <strong>{mr.medicationCodeableConcept?.text ?? mr.medicationCodeableConcept?.coding?.[0]?.display}</strong>
                <div className="muted">{mr.dosageInstruction?.[0]?.text}</div>
              </td>
              <td>
                <ul className="doses">
                  {doseSlots(mr, administrations, today).map((s) => {
                    const key = `${mr.id}@${s.time}`;
                    return (
                      <li key={s.time} className={`dose dose-${s.state}`} data-testid="dose" data-state={s.state}>
                        <span className="dose-time">{s.time}</span>
                        {s.state === 'given' && <span>✓ {t('inp.mar.given')} {formatTime(s.administration?.effectiveDateTime)}</span>}
                        {s.state === 'held' && (
                          <span>
                            ✗ {t('inp.mar.held')}: {s.administration?.statusReason?.[0]?.text}
                          </span>
                        )}
                        {s.state === 'due' && !readOnly && (
                          <>
                            <button type="button" className="primary small-button" disabled={busy} onClick={() => void record(mr, s.time, true)} data-testid="dose-give">
                              {t('inp.mar.give')}
                            </button>
                            <button type="button" className="secondary small-button" disabled={busy} onClick={() => setHolding(holding === key ? undefined : key)} data-testid="dose-hold">
                              {t('inp.mar.hold')}
                            </button>
                            {holding === key && (
                              <span className="hold-form">
                                <input aria-label={t('inp.mar.reason')} placeholder={t('inp.mar.reason')} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus />
                                <button type="button" className="secondary small-button" disabled={busy} onClick={() => void record(mr, s.time, false)}>
                                  {t('clin.common.save')}
                                </button>
                              </span>
                            )}
                          </>
                        )}
                      </li>
                    );
                  })}
                </ul>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <ErrorBox error={error} />
    </div>
  );
}
