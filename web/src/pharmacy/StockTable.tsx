// The stock on hand by drug and batch: expiry in days, near-expiry (≤ 90 days) in amber,
// expired in red; a filter; and a stock count: type what is on the shelf per batch and
// send it ($stock-count), which records the count and the adjustment.
import { useMemo, useState } from 'react';
import type { ParametersParameter } from '../api/fhir';
import { ErrorBox } from '../common/ErrorBox';
import { useClinicalApi } from '../clinical/useClinicalApi';
import { parseNumber } from '../clinical/vitals';
import { useI18n } from '../i18n/i18n';
import { formatDate } from '../lib/dates';
import { daysTo, expiryState, type StockItem } from './stock';

function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/gi, 'd').toLowerCase();
}

export function StockTable({ stock, today, location, onCounted }: { stock: StockItem[]; today: string; location: string; onCounted: () => void }) {
  const { t } = useI18n();
  const api = useClinicalApi();
  const [filter, setFilter] = useState('');
  const [counting, setCounting] = useState(false);
  const [counts, setCounts] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [notice, setNotice] = useState('');
  const shown = useMemo(() => stock.filter((s) => !filter.trim() || fold(`${s.display} ${s.code}`).includes(fold(filter.trim()))), [stock, filter]);
  const nearCount = stock.flatMap((s) => s.batches).filter((b) => b.onHand > 0 && expiryState(b.expiry, today) !== 'ok').length;

  const submitCount = async () => {
    const lines: { batch: string; counted: number }[] = [];
    for (const s of stock) {
      for (const b of s.batches) {
        const raw = counts[`${s.code}|${b.id || b.lot}`];
        if (raw === undefined || raw.trim() === '') continue;
        const v = parseNumber(raw);
        if (v === undefined || !b.id) {
          setError(new Error(t('pharm.count.bad', { drug: s.display, lot: b.lot })));
          return;
        }
        lines.push({ batch: b.id, counted: v });
      }
    }
    if (!lines.length) {
      setError(new Error(t('pharm.count.empty')));
      return;
    }
    setBusy(true);
    setError(undefined);
    try {
      // one count per batch: each is its own record and adjustment
      for (const l of lines) {
        const params: ParametersParameter[] = [
          { name: 'location', valueReference: { reference: `Location/${location}` } },
          { name: 'batch', valueReference: { reference: `Medication/${l.batch}` } },
          { name: 'counted', valueDecimal: l.counted },
        ];
        await api.stockCount(params);
      }
      setCounts({});
      setCounting(false);
      setNotice(t('pharm.count.done', { n: lines.length }));
      onCounted();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };


  return (
    <section className="panel" data-testid="stock">
      <div className="row">
        <div className="field grow">
          <label htmlFor="stock-filter">{t('pharm.filter')}</label>
          <input id="stock-filter" value={filter} onChange={(e) => setFilter(e.target.value)} />
        </div>
        {nearCount > 0 && <span className="badge badge-expired" data-testid="near-expiry-count">{t('pharm.nearCount', { n: nearCount })}</span>}
        <button type="button" className="secondary" onClick={() => setCounting((c) => !c)} aria-pressed={counting} data-testid="stock-count-toggle">
          {t('pharm.count.title')}
        </button>
      </div>
      {notice && (
        <p className="notice" role="status">
          {notice}
        </p>
      )}
      <table className="table stock-table">
        <thead>
          <tr>
            <th scope="col">{t('pharm.drug')}</th>
            <th scope="col">{t('pharm.lot')}</th>
            <th scope="col">{t('pharm.expiry')}</th>
            <th scope="col" className="num">
              {t('pharm.onHand')}
            </th>
            {counting && <th scope="col">{t('pharm.count.counted')}</th>}
          </tr>
        </thead>
        <tbody>
          {shown.flatMap((s) => {
            const rows = s.batches.length ? s.batches : [undefined];
            return rows.map((b, i) => {
              const state = b ? expiryState(b.expiry, today) : 'ok';
              const key = `${s.code}|${b?.id || b?.lot}`;
              return (
                <tr key={key + i} className={`expiry-${state}`} data-testid="stock-row" data-state={state}>
                  <td>
                    {i === 0 && (
                      <>
                        <strong>{s.display}</strong> <span className="muted">{s.code}</span>
                        <div className="muted">
                          {t('pharm.total')}: {s.onHand} {s.unit}
                        </div>
                      </>
                    )}
                  </td>
                  <td>{b?.lot ?? '—'}</td>
                  <td>
                    {b?.expiry ? formatDate(b.expiry) : '—'}
                    {b?.expiry && state !== 'ok' && (
                      <span className={`badge ${state === 'expired' ? 'badge-expired' : 'badge-near'}`}>
                        {' '}
                        {state === 'expired' ? t('pharm.expired') : t('pharm.nearExpiry', { days: daysTo(b.expiry, today) })}
                      </span>
                    )}
                  </td>
                  <td className="num">{b ? b.onHand : s.onHand}</td>
                  {counting && (
                    <td>
                      {b && (
                        <input className="count-input" inputMode="decimal" aria-label={t('pharm.count.for', { drug: s.display, lot: b.lot })} value={counts[key] ?? ''} onChange={(e) => setCounts((c) => ({ ...c, [key]: e.target.value }))} />
                      )}
                    </td>
                  )}
                </tr>
              );
            });
          })}
        </tbody>
      </table>
      <ErrorBox error={error} />
      {counting && (
        <div className="actions">
          <button type="button" className="primary" onClick={() => void submitCount()} disabled={busy} data-testid="stock-count-submit">
            {busy ? t('clin.common.saving') : t('pharm.count.submit')}
          </button>
        </div>
      )}
    </section>
  );
}
