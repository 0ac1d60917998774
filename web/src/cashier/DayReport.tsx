// The cashier's end of day ($day-report): per payment method what was recorded against what
// was counted (the drawer, the POS settlement slip, the wallet and the bank statement), the
// differences, and the day's work list (overpayments, unmatched transfers), where a transfer
// that named no invoice is assigned by hand to the patient's open invoice (AssignTransfer).
import { useEffect, useState } from 'react';
import { createBillingApi, formatVnd, METHODS, type DayReport as Report, type PaymentMethod } from '../api/billing';
import { useApi } from '../app/session';
import { ErrorBox } from '../common/ErrorBox';
import { useI18n } from '../i18n/i18n';
import { facilityDate } from '../lib/dates';
import { newestCalls } from '../lib/newest-call';
import { AssignTransfer } from './AssignTransfer';

export function DayReport() {
  const { t } = useI18n();
  const api = useApi();
  const [date, setDate] = useState(() => facilityDate());
  const [counted, setCounted] = useState<Partial<Record<PaymentMethod, string>>>({});
  const [report, setReport] = useState<Report | undefined>();
  const [statement, setStatement] = useState<{ name: string; text: string } | undefined>();
  const [error, setError] = useState<unknown>();
  const [assigning, setAssigning] = useState<{ id: string; amount: number; invoice: string } | undefined>();
  const [note, setNote] = useState('');
  const [withCounts, setWithCounts] = useState(false);
  // the day's load and a count sent right after it can both be in flight: only the last
  // one begun may show its answer
  const [begin] = useState(newestCalls);

  const load = async (withCounts: boolean) => {
    const isNewest = begin();
    setError(undefined);
    setWithCounts(withCounts);
    try {
      const received: Partial<Record<PaymentMethod, number>> = {};
      if (withCounts) {
        for (const m of METHODS) {
          const text = (counted[m] ?? '').replace(/[.\s]/g, '');
          if (text) received[m] = Number(text);
        }
      }
      const answer = await createBillingApi(api.http).dayReport(date, received, withCounts ? statement?.text : undefined);
      if (isNewest()) setReport(answer);
    } catch (e) {
      if (isNewest()) setError(e);
    }
  };
  useEffect(() => {
    void load(false); // a new day: what was recorded, before anything is counted
  }, [date]); // load reads the counts only when asked

  return (
    <section className="panel day-report" data-testid="day-report">
      <h2>{t('cashier.report.title')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void load(true);
        }}
      >
        <label htmlFor="report-date">{t('cashier.report.date')}</label>
        <input id="report-date" type="date" value={date} onChange={(e) => setDate(e.target.value)} />
        <table>
          <thead>
            <tr>
              <th>{t('cashier.method')}</th>
              <th className="num">{t('cashier.report.expected')}</th>
              <th className="num">{t('cashier.report.applied')}</th>
              <th className="num">{t('cashier.report.unapplied')}</th>
              <th>{t('cashier.report.counted')}</th>
              <th className="num">{t('cashier.report.difference')}</th>
            </tr>
          </thead>
          <tbody>
            {METHODS.map((m) => {
              const s = report?.methods.find((x) => x.code === m);
              return (
                <tr key={m} data-testid={`report-${m}`}>
                  <td>{t(`cashier.method.${m}` as never)}</td>
                  <td className="num" data-testid={`expected-${m}`}>
                    {formatVnd(s?.expected ?? 0)}
                  </td>
                  <td className="num">{formatVnd(s?.applied ?? 0)}</td>
                  <td className="num">{formatVnd(s?.unapplied ?? 0)}</td>
                  <td>
                    <input
                      aria-label={t('cashier.report.countedFor', { method: t(`cashier.method.${m}` as never) })}
                      data-testid={`counted-${m}`}
                      inputMode="numeric"
                      value={counted[m] ?? ''}
                      onChange={(e) => setCounted({ ...counted, [m]: e.target.value })}
                    />
                  </td>
                  <td className={`num ${s && s.difference !== 0 ? 'error' : ''}`} data-testid={`difference-${m}`}>
                    {s?.counted ? formatVnd(s.difference) : ''}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <label htmlFor="report-statement">{t('cashier.report.statement')}</label>
        <input
          id="report-statement"
          type="file"
          accept=".csv,text/csv,text/plain"
          data-testid="statement-file"
          onChange={(e) => {
            const f = e.target.files?.[0];
            if (!f) return setStatement(undefined);
            void f.text().then((text) => setStatement({ name: f.name, text }));
          }}
        />
        <button type="submit" data-testid="reconcile">
          {t('cashier.report.reconcile')}
        </button>
      </form>
      <ErrorBox error={error} />
      {report && (
        <p className={report.balanced ? 'ok' : 'error'} data-testid="report-balanced">
          {report.balanced ? t('cashier.report.balanced') : t('cashier.report.unbalanced')}
        </p>
      )}
      {report?.statement && (
        <div data-testid="statement-result">
          <p>{t('cashier.report.statementSummary', { matched: report.statement.matched, total: formatVnd(report.statement.total) })}</p>
          {(
            [
              ['notRecorded', report.statement.notRecorded],
              ['notOnStatement', report.statement.notOnStatement],
              ['amountDiffers', report.statement.amountDiffers],
            ] as const
          ).map(([key, list]) =>
            list.length ? (
              <p key={key} className="error" data-testid={`statement-${key}`}>
                {t(`cashier.report.${key}` as never)}: {list.join('; ')}
              </p>
            ) : null,
          )}
        </div>
      )}
      {report && report.items.length > 0 && (
        <table data-testid="report-items">
          <caption>{t('cashier.report.workList')}</caption>
          <tbody>
            {report.items.map((i) => (
              <tr key={i.reconciliation} data-testid={`item-${i.reconciliation}`}>
                <td>{t(`cashier.method.${i.method}` as never)}</td>
                <td className="num">{formatVnd(i.amount)}</td>
                <td className="num">{formatVnd(i.unapplied)}</td>
                <td>{i.disposition}</td>
                <td>
                  {i.amount > 0 && (
                    <button
                      type="button"
                      className="secondary"
                      data-testid={`assign-${i.reconciliation}`}
                      onClick={() => {
                        setNote('');
                        setAssigning({ id: i.reconciliation, amount: i.amount, invoice: i.invoice });
                      }}
                    >
                      {i.invoice ? t('cashier.reassign') : t('cashier.assign')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {assigning && (
        <AssignTransfer
          key={assigning.id}
          reconciliationId={assigning.id}
          amount={assigning.amount}
          currentInvoice={assigning.invoice || undefined}
          onCancel={() => setAssigning(undefined)}
          onDone={(_, done) => {
            setAssigning(undefined);
            setNote(done);
            void load(withCounts);
          }}
        />
      )}
      {note && (
        <p className="ok" role="status" data-testid="assign-note">
          {note}
        </p>
      )}
    </section>
  );
}
