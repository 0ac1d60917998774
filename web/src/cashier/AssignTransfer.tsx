// Assigning a transfer by hand (issue 9): a bank transfer whose text named no invoice (the
// day report's work list), or one matched to the wrong invoice (a payment row), goes to the
// right patient's open invoice. The cashier finds the patient, picks one of their invoices
// still to pay, notes why, and the server applies it as a matched transfer
// (PaymentReconciliation/{id}/$assign: partial and over-payments as usual, recorded and audited).
import { useMemo, useState } from 'react';
import { createBillingApi, formatVnd, type AssignResult, type InvoiceView } from '../api/billing';
import { useApi } from '../app/session';
import { ErrorBox } from '../common/ErrorBox';
import { useI18n } from '../i18n/i18n';
import { formatDateTime } from '../lib/dates';
import { PatientSearch } from './PatientSearch';

export function AssignTransfer({
  reconciliationId,
  amount,
  currentInvoice,
  onDone,
  onCancel,
}: {
  reconciliationId: string;
  amount: number;
  /** The invoice it is matched to now (a reassignment); not offered again. */
  currentInvoice?: string;
  onDone: (result: AssignResult, note: string) => void;
  onCancel: () => void;
}) {
  const { t } = useI18n();
  const api = useApi();
  const billing = useMemo(() => createBillingApi(api.http), [api]);
  const [patient, setPatient] = useState('');
  const [open, setOpen] = useState<InvoiceView[] | undefined>();
  const [chosen, setChosen] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const pickPatient = async (patientId: string) => {
    setError(undefined);
    setPatient(patientId);
    setChosen('');
    try {
      const all = await billing.invoicesOf(patientId);
      // Open invoices only: a cancelled one owes nothing (balance 0) and takes no money.
      const owing = all.filter((i) => i.status !== 'cancelled' && i.balance > 0 && i.id !== currentInvoice);
      setOpen(owing);
      setChosen(owing[0]?.id ?? '');
    } catch (e) {
      setError(e);
    }
  };
  const assign = async () => {
    const target = open?.find((i) => i.id === chosen);
    if (!target) return;
    setBusy(true);
    setError(undefined);
    try {
      const r = await billing.assign(reconciliationId, target.id, reason.trim() || undefined);
      onDone(r, t('cashier.assign.done', { reference: target.reference, balance: formatVnd(Math.max(0, r.balance)) }));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="assign-transfer panel" data-testid="assign-transfer" role="group" aria-label={t('cashier.assign.title', { amount: formatVnd(amount) })}>
      <h3>{t('cashier.assign.title', { amount: formatVnd(amount) })}</h3>
      <PatientSearch idPrefix="assign" label={t('cashier.assign.patient')} selected={patient} onPick={(id) => void pickPatient(id)} />
      {open && (
        <fieldset data-testid="assign-invoices">
          <legend>{t('cashier.assign.openInvoices')}</legend>
          {open.length === 0 && <p>{t('cashier.assign.noOpen')}</p>}
          {open.map((i) => (
            <label key={i.id} className="assign-choice">
              <input type="radio" name="assign-invoice" value={i.id} checked={chosen === i.id} onChange={() => setChosen(i.id)} data-testid={`assign-invoice-${i.id}`} />
              {i.reference} · {i.day ? t('cashier.dayInvoice', { date: i.day, count: i.encounterIds.length }) : formatDateTime(i.date)} · {t('cashier.balance')}{' '}
              {formatVnd(i.balance)} đ
            </label>
          ))}
        </fieldset>
      )}
      <label htmlFor="assign-reason">{t('cashier.assign.reason')}</label>
      <input id="assign-reason" data-testid="assign-reason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      <div className="actions">
        <button type="button" data-testid="assign-confirm" disabled={!chosen || busy} onClick={() => void assign()}>
          {t('cashier.assign.confirm')}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
      <ErrorBox error={error} testId="assign-error" />
    </div>
  );
}
