// Transfer of a stay to another ward/department and bed ($transfer): pick the ward, a free
// bed on its board, and the reason.
import { useState } from 'react';
import { ErrorBox } from '../common/ErrorBox';
import { useClinicalApi } from '../clinical/useClinicalApi';
import { useI18n } from '../i18n/i18n';
import { transferParameters } from './admit';
import { BedBoard } from './BedBoard';
import { WardSelect } from './WardSelect';
import type { BedRow } from './occupancy';
import { useWards } from './useWards';

export function TransferPanel({ encounterId, onDone }: { encounterId: string; onDone: () => void }) {
  const { t } = useI18n();
  const api = useClinicalApi();
  const [ward, setWard] = useState('');
  const [version, setVersion] = useState(0);
  const { wards, wardId, beds } = useWards(ward, version);
  const [bed, setBed] = useState<BedRow | undefined>();
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState('');

  const submit = async () => {
    if (!bed) return setError(new Error(t('inp.admit.pickBed')));
    setBusy(true);
    setError(undefined);
    try {
      const w = wards?.find((x) => x.id === wardId);
      await api.transfer(encounterId, transferParameters({ bed: bed.bedId, department: '', reason }));
      setDone(t('inp.transfer.done', { bed: bed.bed, ward: w?.name ?? wardId }));
      setBed(undefined);
      setVersion((v) => v + 1);
      onDone();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="transfer" data-testid="transfer">
      <div className="row">
        <WardSelect id="tr-ward" wards={wards} value={wardId} onChange={(w) => (setWard(w), setBed(undefined))} />
        <div className="field grow">
          <label htmlFor="tr-reason">{t('inp.transfer.reason')}</label>
          <input id="tr-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
        </div>
      </div>
      {beds && <BedBoard beds={beds} onPick={setBed} picked={bed?.bedId} />}
      {done && (
        <p className="notice" role="status">
          {done}
        </p>
      )}
      <ErrorBox error={error} />
      <button type="button" className="primary" disabled={busy || !bed} onClick={() => void submit()} data-testid="transfer-submit">
        {busy ? t('clin.common.saving') : t('inp.transfer.submit')}
      </button>
    </div>
  );
}
