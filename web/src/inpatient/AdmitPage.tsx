// Admission from a visit ($admit): the patient, the ward and a free bed picked on the
// board, the reason; the server opens the inpatient Encounter (part of the visit) and
// occupies the bed, and the stay opens.
import { useEffect, useState } from 'react';
import type { Encounter, Patient, Resource } from '../api/fhir';
import { unwrapResource } from '../api/api';
import { navigate } from '../app/router';
import { useApi } from '../app/session';
import { ErrorBox } from '../common/ErrorBox';
import { useClinicalApi } from '../clinical/useClinicalApi';
import { useI18n } from '../i18n/i18n';
import { PatientBanner } from '../patient/PatientBanner';
import { admitParameters } from './admit';
import type { Condition } from '../api/clinical-types';
import { readDiagnoses, type DiagnosisSet } from '../clinical/diagnoses';
import { DxPicker } from '../clinical/DxPicker';
import { BedBoard } from './BedBoard';
import { WardSelect } from './WardSelect';
import type { BedRow } from './occupancy';
import { rememberedWard, rememberWard, useWards } from './useWards';

export default function AdmitPage({ encounter: encounterId }: { encounter: string }) {
  const { t } = useI18n();
  const api = useClinicalApi();
  const base = useApi();
  const [ward, setWard] = useState(rememberedWard());
  const { wards, wardId, beds, error: wardError } = useWards(ward);
  const [visit, setVisit] = useState<Encounter | undefined>();
  const [patient, setPatient] = useState<Patient | undefined>();
  const [bed, setBed] = useState<BedRow | undefined>();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const [dx, setDx] = useState<DiagnosisSet>({ main: undefined, secondary: [] });

  // the visit, its patient, and its main diagnosis as the admitting one
  useEffect(() => {
    if (!encounterId) return;
    api.encounter(encounterId).then((e) => {
      setVisit(e);
      const pid = (e.subject?.reference ?? '').replace(/^Patient\//, '');
      void api.search<Condition>('Condition', `encounter=${encodeURIComponent(`Encounter/${encounterId}`)}&_count=50`).then((cs) => {
        const found = readDiagnoses(e, cs);
        if (found.main) setDx({ main: found.main, secondary: [] });
      });
      return base.readPatient(pid).then(setPatient);
    }, setError);
  }, [api, base, encounterId]);


  const submit = async () => {
    if (!bed) {
      setError(new Error(t('inp.admit.pickBed')));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api.admit(encounterId, admitParameters({ bed: bed.bedId, department: '', reason, ...(dx.main ? { diagnosis: dx.main.code } : {}) }));
      const stay = unwrapResource<Encounter>(answer as Resource, 'Encounter');
      navigate(`/inpatient/stay/${encodeURIComponent(stay.id ?? '')}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  if (!encounterId) return <p className="error">{t('inp.admit.noVisit')}</p>;
  return (
    <div className="admit" data-testid="admit-page">
      <h1>{t('inp.admit.title')}</h1>
      {patient && <PatientBanner patient={patient} />}
      {visit && visit.status === 'finished' && <p className="notice">{t('inp.admit.visitFinished')}</p>}
      <section className="panel">
        <div className="row">
          <WardSelect
            id="admit-ward"
            wards={wards}
            value={wardId}
            onChange={(w) => {
              setWard(w);
              rememberWard(w);
              setBed(undefined);
            }}
          />
          <div className="field grow">
            <label htmlFor="admit-reason">{t('inp.admit.reason')}</label>
            <input id="admit-reason" value={reason} onChange={(e) => setReason(e.target.value)} data-testid="admit-reason" />
          </div>
        </div>
        <DxPicker value={dx} onChange={setDx} secondary={false} label={t('inp.admit.diagnosis')} testId="admit-dx" />
        <ErrorBox error={wardError} />
        <h2>{t('inp.admit.bed')}</h2>
        {beds ? <BedBoard beds={beds} onPick={setBed} picked={bed?.bedId} /> : <p className="muted">{t('common.loading')}</p>}
        {bed && <p className="notice" data-testid="admit-picked">{t('inp.admit.picked', { bed: bed.bed, room: bed.room })}</p>}
        <ErrorBox error={error} testId="admit-error" />
        <div className="actions">
          <button type="button" className="primary big" onClick={() => void submit()} disabled={busy || !bed} data-testid="admit-submit">
            {busy ? t('clin.common.saving') : t('inp.admit.submit')}
          </button>
        </div>
      </section>
    </div>
  );
}
