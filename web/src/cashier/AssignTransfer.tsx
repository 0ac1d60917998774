// Assigning a transfer by hand (issue 9): a bank transfer whose text named no invoice (the
// day report's work list), or one matched to the wrong invoice (a payment row), goes to the
// right patient's open invoice. The cashier finds the patient, picks one of their invoices
// still to pay, notes why, and the server applies it as a matched transfer
// (PaymentReconciliation/{id}/$assign: partial and over-payments as usual, recorded and audited).
import { useMemo, useState } from 'react';
import { createBillingApi, formatVnd, type AssignResult, type InvoiceView } from '../api/billing';
import type { Patient } from '../api/fhir';
import { useApi } from '../app/session';
import { ErrorBox } from '../common/ErrorBox';
import { useI18n } from '../i18n/i18n';
import { formatDateTime } from '../lib/dates';
import { displayName } from '../lib/patient-view';

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
  const [query, setQuery] = useState('');
  const [patients, setPatients] = useState<Patient[] | undefined>();
  const [open, setOpen] = useState<InvoiceView[] | undefined>();
  const [chosen, setChosen] = useState('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const find = async () => {
    setError(undefined);
    setOpen(undefined);
    setChosen('');
    try {
      setPatients(await api.searchPatients(query.trim()));
    } catch (e) {
      setError(e);
    }
  };
  const pickPatient = async (patientId: string) => {
    setError(undefined);
    try {
      const all = await billing.invoicesOf(patientId);
      const owing = all.filter((i) => i.balance > 0 && i.id !== currentInvoice);
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
      <div className="cashier-search">
        <label htmlFor="assign-query">{t('cashier.assign.patient')}</label>
        <input
          id="assign-query"
          data-testid="assign-query"
          value={query}
          placeholder={t('cashier.searchHint')}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              void find();
            }
          }}
        />
        <button type="button" onClick={() => void find()} data-testid="assign-find">
          {t('cashier.find')}
        </button>
      </div>
      {patients && (
        <ul className="cashier-patients" data-testid="assign-patients">
          {patients.length === 0 && <li>{t('cashier.noPatient')}</li>}
          {patients.map((p) => (
            <li key={p.id}>
              <button type="button" className="link-button" onClick={() => void pickPatient(p.id ?? '')}>
                {displayName(p)} · {p.birthDate ?? ''} · {p.id}
              </button>
            </li>
          ))}
        </ul>
      )}
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
