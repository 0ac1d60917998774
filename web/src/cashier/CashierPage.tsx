// The cashier's desk (issue 9): find the patient, their visits and invoices; see each line
// split between BHYT and the patient; take a deposit (tạm ứng) or a payment by cash, POS
// card, mobile money or VietQR transfer; show the QR (here and on the customer-facing
// display); watch the bank's confirmation arrive live; settle at discharge (refresh the
// invoice with every charge, then collect the balance or refund the credit); print the
// receipt; and the end-of-day reconciliation (DayReport.tsx). Invoices are per visit or,
// as the facility is set up or the cashier chooses, one for the patient's visits of the day;
// a payment received on the wrong invoice is moved to the right one (AssignTransfer.tsx).
import { useCallback, useEffect, useMemo, useState } from 'react';
import { newestCalls } from '../lib/newest-call';
import { createBillingApi, formatVnd, METHODS, type InvoicePer, type InvoiceView, type PaymentMethod, type PaymentRow, type VietQr } from '../api/billing';
import type { Encounter, Patient } from '../api/fhir';
import { Link, navigate } from '../app/router';
import { useApi } from '../app/session';
import { ErrorBox } from '../common/ErrorBox';
import { useI18n } from '../i18n/i18n';
import { formatDateTime } from '../lib/dates';
import { AssignTransfer } from './AssignTransfer';
import { displayName } from '../lib/patient-view';
import { PatientSearch } from './PatientSearch';
import { DayReport } from './DayReport';
import { ReceiptDialog } from './ReceiptDialog';
import { useInvoiceStream } from './useInvoiceStream';
import './cashier.css';

export default function CashierPage({ patientId, tab }: { patientId: string; tab: 'desk' | 'report' }) {
  const { t } = useI18n();
  return (
    <div className="cashier-page">
      <h1>{t('cashier.title')}</h1>
      <nav className="tabs" aria-label={t('cashier.title')}>
        <Link href={patientId ? `/cashier?patient=${encodeURIComponent(patientId)}` : '/cashier'} aria-current={tab === 'desk' ? 'page' : undefined}>
          {t('cashier.tab.desk')}
        </Link>
        <Link href="/cashier/report" aria-current={tab === 'report' ? 'page' : undefined} data-testid="tab-report">
          {t('cashier.tab.report')}
        </Link>
      </nav>
      {tab === 'report' ? <DayReport /> : <Desk patientId={patientId} />}
    </div>
  );
}

function Desk({ patientId }: { patientId: string }) {
  const { t } = useI18n();
  return (
    <>
      <PatientSearch idPrefix="cashier" label={t('cashier.search')} selected={patientId} onPick={(id) => navigate(`/cashier?patient=${encodeURIComponent(id)}`)} />
      {patientId && <PatientBills key={patientId} patientId={patientId} />}
    </>
  );
}

function PatientBills({ patientId }: { patientId: string }) {
  const { t } = useI18n();
  const api = useApi();
  const billing = useMemo(() => createBillingApi(api.http), [api]);
  const [patient, setPatient] = useState<Patient | undefined>();
  const [visits, setVisits] = useState<Encounter[]>([]);
  const [invoices, setInvoices] = useState<InvoiceView[]>([]);
  const [selected, setSelected] = useState<string>('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState('');
  const [per, setPer] = useState<InvoicePer | ''>('');

  const [newestLoad] = useState(newestCalls);
  const load = useCallback(async () => {
    const isNewest = newestLoad();
    try {
      const [p, v, i] = await Promise.all([api.readPatient(patientId), api.encountersOf(patientId, 20), billing.invoicesOf(patientId)]);
      if (!isNewest()) return; // a later load (a live event's) answers instead
      setPatient(p);
      setVisits(v);
      setInvoices(i);
      setSelected((s) => s || i.find((x) => x.status === 'issued')?.id || i.find((x) => x.status !== 'cancelled')?.id || '');
    } catch (e) {
      if (isNewest()) setError(e);
    }
  }, [api, billing, patientId, newestLoad]);
  useEffect(() => {
    void load();
  }, [load]);

  const bill = async (encounterId: string) => {
    setBusy(encounterId);
    setError(undefined);
    try {
      const inv = await billing.invoiceFor(encounterId, per || undefined);
      setSelected(inv.id);
      await load();
    } catch (e) {
      setError(e);
    } finally {
      setBusy('');
    }
  };

  // The invoice in force that bills the visit; a cancelled one bills nothing (it is kept for
  // the record, and the visit can be billed again).
  const invoiceOf = (encounterId: string) => invoices.find((i) => i.status !== 'cancelled' && i.encounterIds.includes(encounterId));
  const cancelledOf = (encounterId: string) => invoices.filter((i) => i.status === 'cancelled' && i.encounterIds.includes(encounterId));
  return (
    <section className="panel cashier-bills">
      <h2 data-testid="cashier-patient">{patient ? displayName(patient) : patientId}</h2>
      <ErrorBox error={error} testId="cashier-error" />
      <label htmlFor="invoice-per">{t('cashier.per')}</label>{' '}
      <select id="invoice-per" data-testid="invoice-per" value={per} onChange={(e) => setPer(e.target.value as InvoicePer | '')}>
        <option value="">{t('cashier.per.default')}</option>
        <option value="encounter">{t('cashier.per.encounter')}</option>
        <option value="day">{t('cashier.per.day')}</option>
      </select>
      <table className="cashier-visits">
        <caption>{t('cashier.visits')}</caption>
        <thead>
          <tr>
            <th>{t('cashier.visit')}</th>
            <th>{t('summary.status')}</th>
            <th>{t('cashier.invoice')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {visits.map((v) => {
            const inv = invoiceOf(v.id ?? '');
            return (
              <tr key={v.id} data-testid={`visit-${v.id}`}>
                <td>
                  {formatDateTime(v.period?.start)} · {v.class?.code ?? ''}
                </td>
                <td>{v.status ? t(`encounter.status.${v.status}` as never) : ''}</td>
                <td>
                  {inv ? (
                    <button type="button" className="link-button" onClick={() => setSelected(inv.id)}>
                      {inv.reference} · {inv.day ? `${t('cashier.dayInvoice', { date: inv.day, count: inv.encounterIds.length })} · ` : ''}
                      {t(`cashier.status.${inv.status}` as never)} · {formatVnd(inv.balance)} đ
                    </button>
                  ) : (
                    t('cashier.noInvoice')
                  )}
                  {cancelledOf(v.id ?? '').map((c) => (
                    <button key={c.id} type="button" className="link-button cancelled-invoice" onClick={() => setSelected(c.id)}>
                      {' '}
                      ({t('cashier.cancelledInvoice', { reference: c.reference })})
                    </button>
                  ))}
                </td>
                <td>
                  <button type="button" disabled={busy === v.id} onClick={() => void bill(v.id ?? '')} data-testid={`bill-${v.id}`}>
                    {inv ? t('cashier.refresh') : t('cashier.makeInvoice')}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {selected && <InvoicePanel key={selected} invoiceId={selected} onChanged={load} onSettle={(enc) => bill(enc)} />}
    </section>
  );
}

function InvoicePanel({ invoiceId, onChanged, onSettle }: { invoiceId: string; onChanged: () => void; onSettle: (encounterId: string) => Promise<void> }) {
  const { t } = useI18n();
  const api = useApi();
  const billing = useMemo(() => createBillingApi(api.http), [api]);
  const [inv, setInv] = useState<InvoiceView | undefined>();
  const [rows, setRows] = useState<PaymentRow[]>([]);
  const [cancelling, setCancelling] = useState(false);
  const [cancelReason, setCancelReason] = useState('');
  const [qr, setQr] = useState<VietQr | undefined>();
  const [error, setError] = useState<unknown>();
  const [amount, setAmount] = useState('');
  const [method, setMethod] = useState<PaymentMethod>('cash');
  const [slip, setSlip] = useState('');
  const [note, setNote] = useState('');
  const [receipt, setReceipt] = useState<string | undefined>();
  const [moving, setMoving] = useState<{ id: string; amount: number } | undefined>();

  const [newestReload] = useState(newestCalls);
  const reload = useCallback(async () => {
    const isNewest = newestReload();
    try {
      const [i, n] = await Promise.all([billing.read(invoiceId), billing.paymentRows(invoiceId)]);
      if (!isNewest()) return; // a later reload (a live event's) answers instead
      setInv(i);
      setRows(n);
    } catch (e) {
      if (isNewest()) setError(e);
    }
  }, [billing, invoiceId, newestReload]);
  useEffect(() => {
    void reload();
  }, [reload]);
  const live = useInvoiceStream(invoiceId, () => {
    void reload();
    onChanged();
  });
  useEffect(() => {
    if (inv && inv.balance <= 0) setQr(undefined);
  }, [inv]);

  const run = async (what: () => Promise<string>) => {
    setError(undefined);
    setNote('');
    try {
      const done = await what();
      setAmount('');
      setSlip('');
      await reload(); // the note appears with the invoice as it now stands
      setNote(done);
      onChanged();
    } catch (e) {
      setError(e);
    }
  };
  const money = () => {
    const n = Number(amount.replace(/[.\s]/g, ''));
    if (!Number.isInteger(n) || n <= 0) throw new Error(t('cashier.badAmount'));
    return n;
  };
  const pay = (deposit: boolean) =>
    run(async () => {
      const r = await billing.pay(invoiceId, { amount: money(), method, deposit, transaction: slip.trim() || undefined });
      return t(deposit ? 'cashier.depositTaken' : 'cashier.paymentTaken', { balance: formatVnd(r.balance) });
    });
  const refund = (credit: number) =>
    run(async () => {
      await billing.refund(invoiceId, { amount: credit, method, transaction: slip.trim() || undefined });
      return t('cashier.refunded', { amount: formatVnd(credit) });
    });
  const showQr = async () => {
    setError(undefined);
    try {
      setQr(await billing.vietqr(invoiceId));
    } catch (e) {
      setError(e);
    }
  };
  const cancel = () =>
    run(async () => {
      await billing.cancel(invoiceId, cancelReason.trim());
      setCancelling(false);
      setCancelReason('');
      setQr(undefined);
      return t('cashier.cancel.done', { reference: inv?.reference ?? '' });
    });
  const printReceipt = async () => {
    setError(undefined);
    try {
      setReceipt(await billing.receiptHtml(invoiceId));
    } catch (e) {
      setError(e);
    }
  };

  if (!inv) return <ErrorBox error={error} />;
  return (
    <div className="invoice-panel" data-testid="invoice-panel">
      <h3>
        {t('cashier.invoice')} {inv.reference}{' '}
        <span className={`badge status-${inv.status}`} data-testid="invoice-status">
          {t(`cashier.status.${inv.status}` as never)}
        </span>{' '}
        <span className="live" data-testid="invoice-live" title={t('cashier.liveHint')}>
          {live ? t('cashier.live') : ''}
        </span>
      </h3>
      {inv.day && <p data-testid="invoice-day">{t('cashier.dayInvoice', { date: inv.day, count: inv.encounterIds.length })}</p>}
      <p>{inv.coverage || t('cashier.uninsured')}</p>
      <table className="invoice-lines" data-testid="invoice-lines">
        <thead>
          <tr>
            <th>{t('cashier.item')}</th>
            <th className="num">{t('cashier.gross')}</th>
            <th className="num">{t('cashier.insurance')}</th>
            <th className="num">{t('cashier.patientShare')}</th>
          </tr>
        </thead>
        <tbody>
          {inv.lines.map((l, i) => (
            <tr key={i}>
              <td>
                {l.display || l.code} <small>{l.code}</small>
              </td>
              <td className="num">{formatVnd(l.gross)}</td>
              <td className="num">{formatVnd(l.insurance)}</td>
              <td className="num">{formatVnd(l.patient)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th>{t('cashier.total')}</th>
            <th className="num" data-testid="total-gross">
              {formatVnd(inv.gross)}
            </th>
            <th className="num" data-testid="total-insurance">
              {formatVnd(inv.insurance)}
            </th>
            <th className="num" data-testid="total-patient">
              {formatVnd(inv.patient)}
            </th>
          </tr>
        </tfoot>
      </table>
      <dl className="invoice-sums">
        <dt>{t('cashier.paid')}</dt>
        <dd data-testid="invoice-paid">{formatVnd(inv.paid)} đ</dd>
        <dt>{inv.balance < 0 ? t('cashier.credit') : t('cashier.balance')}</dt>
        <dd data-testid="invoice-balance">{formatVnd(Math.abs(inv.balance))} đ</dd>
      </dl>

      {inv.status === 'cancelled' && (
        <p className="cancelled-banner" role="status" data-testid="invoice-cancelled">
          {t('cashier.cancel.banner', { reason: inv.cancelledReason, by: inv.cancelledBy, at: formatDateTime(inv.cancelledAt) })}
        </p>
      )}
      {inv.status !== 'cancelled' && (
      <fieldset className="payment-form">
        <legend>{t('cashier.take')}</legend>
        <label htmlFor="pay-amount">{t('cashier.amount')}</label>
        <input id="pay-amount" data-testid="pay-amount" inputMode="numeric" value={amount} onChange={(e) => setAmount(e.target.value)} placeholder={inv.balance > 0 ? String(inv.balance) : ''} />
        <label htmlFor="pay-method">{t('cashier.method')}</label>
        <select id="pay-method" data-testid="pay-method" value={method} onChange={(e) => setMethod(e.target.value as PaymentMethod)}>
          {METHODS.map((m) => (
            <option key={m} value={m}>
              {t(`cashier.method.${m}` as never)}
            </option>
          ))}
        </select>
        <label htmlFor="pay-slip">{t('cashier.slip')}</label>
        <input id="pay-slip" data-testid="pay-slip" value={slip} onChange={(e) => setSlip(e.target.value)} />
        <div className="actions">
          <button type="button" data-testid="pay" onClick={() => void pay(false)}>
            {t('cashier.pay')}
          </button>
          <button type="button" className="secondary" data-testid="deposit" onClick={() => void pay(true)}>
            {t('cashier.deposit')}
          </button>
          <button type="button" className="secondary" data-testid="show-qr" disabled={inv.balance <= 0} onClick={() => void showQr()}>
            {t('cashier.showQr')}
          </button>
          <button type="button" className="secondary" data-testid="settle" onClick={() => void onSettle(inv.encounterId).then(reload)}>
            {t('cashier.settle')}
          </button>
          {inv.balance < 0 && (
            <button type="button" className="secondary" data-testid="refund" onClick={() => void refund(-inv.balance)}>
              {t('cashier.refundCredit', { amount: formatVnd(-inv.balance) })}
            </button>
          )}
          <button type="button" className="secondary" data-testid="print-receipt" onClick={() => void printReceipt()}>
            {t('cashier.receipt')}
          </button>
          <button type="button" className="secondary danger" data-testid="cancel-invoice" onClick={() => setCancelling(true)}>
            {t('cashier.cancel')}
          </button>
        </div>
        {cancelling && inv.paid !== 0 && (
          <p className="field-error" role="alert" data-testid="cancel-refused">
            {t('cashier.cancel.holdsMoney')}
          </p>
        )}
        {cancelling && inv.paid === 0 && (
          <div className="cancel-invoice" data-testid="cancel-form">
            <label htmlFor="cancel-reason">{t('cashier.cancel.reason')}</label>
            <input id="cancel-reason" data-testid="cancel-reason" value={cancelReason} maxLength={500} onChange={(e) => setCancelReason(e.target.value)} />
            <p className="muted">{t('cashier.cancel.hint')}</p>
            <div className="actions">
              <button type="button" className="danger" data-testid="cancel-confirm" disabled={!cancelReason.trim()} onClick={() => void cancel()}>
                {t('cashier.cancel.confirm')}
              </button>
              <button type="button" className="secondary" onClick={() => setCancelling(false)}>
                {t('common.cancel')}
              </button>
            </div>
          </div>
        )}
      </fieldset>
      )}
      {note && (
        <p className="ok" role="status" data-testid="cashier-note">
          {note}
        </p>
      )}
      <ErrorBox error={error} testId="invoice-error" />

      {qr && (
        <div className="vietqr" data-testid="vietqr">
          <div className="qr" dangerouslySetInnerHTML={{ __html: qr.svg }} />
          <p>
            {t('cashier.qrAmount', { amount: formatVnd(qr.amount) })} · {qr.reference}
          </p>
          <p>
            <a href={`/cashier/display/${encodeURIComponent(invoiceId)}`} target="hb-customer-display" rel="opener">
              {t('cashier.customerDisplay')}
            </a>
          </p>
        </div>
      )}

      <table className="payments" data-testid="payments">
        <caption>{t('cashier.payments')}</caption>
        <tbody>
          {rows.map(({ notice: n, history }) => (
            <tr key={n.id} data-testid={`payment-${n.id}`}>
              <td>{formatDateTime(n.created)}</td>
              <td>{(n.identifier?.[0]?.value ?? '').split(':')[0]}</td>
              <td className="num">{formatVnd(n.amount?.value ?? 0)} đ</td>
              <td>
                {n.paymentStatus?.coding?.[0]?.code === 'cleared' ? t('cashier.refund') : ''}
                {history.length > 0 && (
                  <ul className="assignment-history" data-testid={`history-${n.id}`} aria-label={t('cashier.history')}>
                    {history.map((h, i) => (
                      <li key={i}>
                        {t(h.from ? 'cashier.history.moved' : 'cashier.history.assigned', {
                          at: formatDateTime(h.at),
                          by: h.by,
                          from: h.fromReference || h.from,
                          to: h.toReference || h.to,
                        })}
                        {h.reason && ` · ${t('cashier.history.reason', { reason: h.reason })}`}
                      </li>
                    ))}
                  </ul>
                )}
              </td>
              <td>
                {n.paymentStatus?.coding?.[0]?.code !== 'cleared' && n.payment?.reference && inv.status !== 'cancelled' && (
                  <button
                    type="button"
                    className="link-button"
                    data-testid={`move-${n.id}`}
                    onClick={() => setMoving({ id: (n.payment?.reference ?? '').replace(/^PaymentReconciliation\//, ''), amount: n.amount?.value ?? 0 })}
                  >
                    {t('cashier.reassign')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {moving && (
        <AssignTransfer
          key={moving.id}
          reconciliationId={moving.id}
          amount={moving.amount}
          currentInvoice={invoiceId}
          onCancel={() => setMoving(undefined)}
          onDone={(_, done) => {
            setMoving(undefined);
            void reload().then(() => setNote(done));
            onChanged();
          }}
        />
      )}
      {receipt && <ReceiptDialog html={receipt} onClose={() => setReceipt(undefined)} />}
    </div>
  );
}
