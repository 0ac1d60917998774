// One waiting prescription at the pharmacy counter: the patient, each drug with the
// quantity prescribed and the batches FEFO will take (from the stock on screen); "dispense"
// sends $dispense for each line and shows the batches the server really took.
import { useState } from 'react';
import type { MedicationRequest } from '../api/clinical-types';
import type { ParametersParameter } from '../api/fhir';
import { ErrorBox } from '../common/ErrorBox';
import { useClinicalApi } from '../clinical/useClinicalApi';
import { useI18n } from '../i18n/i18n';
import { formatDate, formatDateTime } from '../lib/dates';
import { readDispense, type DispensedBatch } from './dispense';
import type { WaitingPrescription } from './waiting';
import { planFefo, type StockItem } from './stock';

export interface DispensedSummary {
  group: string;
  patientName: string;
  lines: { drug: string; batches: DispensedBatch[] }[];
}

const drugName = (mr: MedicationRequest) => mr.medicationCodeableConcept?.text ?? mr.medicationCodeableConcept?.coding?.[0]?.display ?? '';

/** "Lô L2 (HSD 15/01/2027) × 10; …" */
export function batchesText(t: (k: 'pharm.lot' | 'pharm.exp') => string, batches: { lot: string; expiry: string; quantity: number }[]): string {
  return batches.map((b) => `${t('pharm.lot')} ${b.lot}${b.expiry ? ` (${t('pharm.exp')} ${formatDate(b.expiry)})` : ''} × ${b.quantity}`).join('; ');
}

export function DispenseCard({ prescription: w, stock, location, today, onDone, codeOf }: { prescription: WaitingPrescription; stock: (code: string) => StockItem | undefined; location: string; today: string; onDone: (done: DispensedSummary) => void; codeOf: (mr: MedicationRequest) => string }) {
  const { t } = useI18n();
  const api = useClinicalApi();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [done, setDone] = useState<Record<string, DispensedBatch[]>>({});

  const dispense = async () => {
    if (!location) {
      setError(new Error(t('pharm.noLocation')));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      const next = { ...done };
      for (const mr of w.lines) {
        if (!mr.id || next[mr.id]) continue;
        const params: ParametersParameter[] = [{ name: 'location', valueReference: { reference: `Location/${location}` } }];
        const item = stock(codeOf(mr));
        // the expiry of each batch taken, from the stock on screen
        next[mr.id] = readDispense(await api.dispense(mr.id, params)).batches.map((b) => ({ ...b, expiry: b.expiry || item?.batches.find((x) => x.id === b.batchId)?.expiry || '' }));
        setDone({ ...next });
      }
      onDone({
        group: w.group,
        patientName: w.patientName,
        lines: w.lines.map((mr) => ({ drug: drugName(mr), batches: (mr.id && next[mr.id]) || [] })),
      });
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const allDone = w.lines.every((l) => l.id && done[l.id]);
  return (
    <article className="panel dispense-card" data-testid="dispense-card" data-group={w.group}>
      <header className="dispense-head">
        <h2>{w.patientName}</h2>
        <span className="muted">
          {w.code ? `${t('clin.rx.number', { number: w.code })} · ` : ''}
          {formatDateTime(w.authoredOn)}
        </span>
      </header>
      <table className="table">
        <thead>
          <tr>
            <th scope="col">{t('pharm.drug')}</th>
            <th scope="col">{t('pharm.dosage')}</th>
            <th scope="col" className="num">
              {t('pharm.quantity')}
            </th>
            <th scope="col">{t('pharm.batches')}</th>
          </tr>
        </thead>
        <tbody>
          {w.lines.map((mr) => {
            const qty = mr.dispenseRequest?.quantity?.value ?? 0;
            const item = stock(codeOf(mr));
            const plan = item ? planFefo(item.batches, qty, today) : undefined;
            const took = mr.id ? done[mr.id] : undefined;
            return (
              <tr key={mr.id}>
                <td>{drugName(mr)}</td>
                <td>{mr.dosageInstruction?.[0]?.text}</td>
                <td className="num">
                  {qty} {mr.dispenseRequest?.quantity?.unit}
                </td>
                <td data-testid="fefo">
                  {took ? (
                    <span className="ok-text">
                      ✓ {took.length ? batchesText(t, took) : t('pharm.dispensed')}
                    </span>
                  ) : !plan ? (
                    <span className="muted">{t('pharm.noStockInfo')}</span>
                  ) : (
                    <>
                      {batchesText(t, plan.picks.map((p) => ({ lot: p.batch.lot, expiry: p.batch.expiry, quantity: p.quantity })))}
                      {plan.short > 0 && <span className="finding-error"> {t('pharm.short', { n: plan.short })}</span>}
                    </>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <ErrorBox error={error} testId="dispense-error" />
      <div className="actions">
        <button type="button" className="primary" onClick={() => void dispense()} disabled={busy || allDone} data-testid="dispense">
          {busy ? t('clin.common.saving') : allDone ? t('pharm.dispensed') : t('pharm.dispense')}
        </button>
      </div>
    </article>
  );
}
