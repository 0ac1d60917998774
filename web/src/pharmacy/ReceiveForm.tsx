// Receiving stock from a supplier ($receive): the drug (from the catalogue), lot, expiry,
// quantity and supplier; an expired or past-dated batch is refused here first.
import { useCallback, useState } from 'react';
import { ErrorBox } from '../common/ErrorBox';
import { drugFromMedication, type DrugChoice } from '../clinical/prescription';
import { SearchBox } from '../clinical/SearchBox';
import { useClinicalApi } from '../clinical/useClinicalApi';
import { parseNumber } from '../clinical/vitals';
import { useI18n } from '../i18n/i18n';
import { facilityDate } from '../lib/dates';
import { receiveParameters } from './receive';

export function ReceiveForm({ location, onReceived }: { location: string; onReceived: () => void }) {
  const { t } = useI18n();
  const api = useClinicalApi();
  const [drug, setDrug] = useState<DrugChoice | undefined>();
  const [lot, setLot] = useState('');
  const [expiry, setExpiry] = useState('');
  const [quantity, setQuantity] = useState('');
  const [supplier, setSupplier] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState('');
  const search = useCallback(async (text: string, signal: AbortSignal) => (await api.searchMedications(text, signal)).map(drugFromMedication), [api]);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const q = parseNumber(quantity);
    if (!drug) return setError(new Error(t('pharm.receive.noDrug')));
    if (!lot.trim()) return setError(new Error(t('pharm.receive.noLot')));
    if (!expiry || expiry <= facilityDate()) return setError(new Error(t('pharm.receive.badExpiry')));
    if (q === undefined || q <= 0) return setError(new Error(t('pharm.receive.badQuantity')));
    if (!location) return setError(new Error(t('pharm.noLocation')));
    setBusy(true);
    setError(undefined);
    try {
      await api.receive(receiveParameters({ drug, lot, expiry, quantity: q, supplier, location }));
      setNotice(t('pharm.receive.done', { drug: drug.display, n: q, lot: lot.trim() }));
      setDrug(undefined);
      setLot('');
      setExpiry('');
      setQuantity('');
      onReceived();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="panel" data-testid="receive">
      <h2>{t('pharm.receive.title')}</h2>
      {notice && (
        <p className="notice" role="status" data-testid="receive-done">
          {notice}
        </p>
      )}
      <form onSubmit={(e) => void submit(e)}>
        {drug ? (
          <p>
            <strong>{drug.display}</strong>{' '}
            <button type="button" className="link-button" onClick={() => setDrug(undefined)}>
              {t('clin.common.change')}
            </button>
          </p>
        ) : (
          <SearchBox<DrugChoice> label={t('pharm.drug')} search={search} itemKey={(d) => d.id} render={(d) => d.display} onPick={setDrug} testId="receive-drug" />
        )}
        <div className="row">
          <div className="field">
            <label htmlFor="rcv-lot">{t('pharm.lot')}</label>
            <input id="rcv-lot" value={lot} onChange={(e) => setLot(e.target.value)} data-testid="receive-lot" />
          </div>
          <div className="field">
            <label htmlFor="rcv-exp">{t('pharm.expiry')}</label>
            <input id="rcv-exp" type="date" value={expiry} onChange={(e) => setExpiry(e.target.value)} data-testid="receive-expiry" />
          </div>
          <div className="field small">
            <label htmlFor="rcv-qty">{t('pharm.quantity')}</label>
            <input id="rcv-qty" inputMode="decimal" value={quantity} onChange={(e) => setQuantity(e.target.value)} data-testid="receive-quantity" />
          </div>
          <div className="field grow">
            <label htmlFor="rcv-supplier">{t('pharm.receive.supplier')}</label>
            <input id="rcv-supplier" value={supplier} onChange={(e) => setSupplier(e.target.value)} />
          </div>
        </div>
        <ErrorBox error={error} />
        <div className="actions">
          <button type="submit" className="primary" disabled={busy} data-testid="receive-submit">
            {busy ? t('clin.common.saving') : t('pharm.receive.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
