// Orders: search the facility's service catalogue (lab, imaging, procedures) with today's
// price, collect the picks, send them as ServiceRequests in one transaction (the server
// prices each into a ChargeItem). Sent orders are listed with their state; an order not
// yet done can be revoked.
import { useCallback, useState } from 'react';
import { SERVICE_VALUESET } from '../api/clinical';
import type { ServiceRequest } from '../api/clinical-types';
import type { Bundle } from '../api/fhir';
import { ErrorBox } from '../common/ErrorBox';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { formatDateTime } from '../lib/dates';
import { categoryOf, formatVnd, serviceFromContains, serviceRequestOf, total, type ServiceItem } from './orders';
import { SearchBox } from './SearchBox';
import { useClinicalApi } from './useClinicalApi';

export function OrdersEditor({ patientRef, encounterRef, sent, onSent }: { patientRef: string; encounterRef: string; sent: ServiceRequest[]; onSent: () => void }) {
  const { t } = useI18n();
  const api = useClinicalApi();
  const [pending, setPending] = useState<ServiceItem[]>([]);
  const [urgent, setUrgent] = useState(false);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();

  const search = useCallback(async (text: string, signal: AbortSignal) => (await api.expand(SERVICE_VALUESET, text, 15, signal)).map(serviceFromContains), [api]);

  const send = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const authoredOn = new Date().toISOString();
      const bundle: Bundle = {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: pending.map((s) => ({ resource: serviceRequestOf(s, { patient: patientRef, encounter: encounterRef, authoredOn, urgent, note }), request: { method: 'POST', url: 'ServiceRequest' } }) as never),
      };
      await api.http.post('/fhir', bundle);
      setPending([]);
      setNote('');
      setUrgent(false);
      onSent();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const revoke = async (r: ServiceRequest) => {
    setError(undefined);
    try {
      await api.update<ServiceRequest>({ ...r, status: 'revoked' });
      onSent();
    } catch (e) {
      setError(e);
    }
  };

  return (
    <div className="orders">
      <SearchBox<ServiceItem>
        label={t('clin.orders.search')}
        placeholder={t('clin.orders.placeholder')}
        search={search}
        itemKey={(s) => `${s.system}|${s.code}`}
        render={(s) => (
          <>
            <span className={`cat cat-${s.category}`}>{t(`clin.orders.cat.${s.category}` as MessageKey)}</span> {s.display} <span className="muted">{s.code}</span>{' '}
            <span className="price">{formatVnd(s.price)}</span>
          </>
        )}
        onPick={(s) => setPending((p) => (p.some((x) => x.code === s.code) ? p : [...p, s]))}
        testId="order-search"
      />
      {pending.length > 0 && (
        <div className="pending" data-testid="orders-pending">
          <table className="table">
            <tbody>
              {pending.map((s) => (
                <tr key={s.code}>
                  <td>{t(`clin.orders.cat.${s.category}` as MessageKey)}</td>
                  <td>{s.display}</td>
                  <td className="num">{formatVnd(s.price)}</td>
                  <td>
                    <button type="button" className="link-button" onClick={() => setPending((p) => p.filter((x) => x.code !== s.code))}>
                      {t('clin.common.remove')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th colSpan={2}>{t('clin.orders.total')}</th>
                <th className="num" data-testid="orders-total">
                  {formatVnd(total(pending))}
                </th>
                <th />
              </tr>
            </tfoot>
          </table>
          <div className="row">
            <label className="inline">
              <input type="checkbox" checked={urgent} onChange={(e) => setUrgent(e.target.checked)} /> {t('clin.orders.urgent')}
            </label>
            <div className="field grow">
              <label htmlFor="order-note">{t('clin.orders.note')}</label>
              <input id="order-note" value={note} onChange={(e) => setNote(e.target.value)} />
            </div>
            <button type="button" className="primary" onClick={() => void send()} disabled={busy} data-testid="orders-send">
              {busy ? t('clin.common.saving') : t('clin.orders.send', { n: pending.length })}
            </button>
          </div>
        </div>
      )}
      <ErrorBox error={error} />
      <h3>{t('clin.orders.sent')}</h3>
      {sent.length === 0 ? (
        <p className="muted">{t('clin.orders.none')}</p>
      ) : (
        <table className="table" data-testid="orders-sent">
          <thead>
            <tr>
              <th scope="col">{t('clin.orders.kind')}</th>
              <th scope="col">{t('clin.orders.service')}</th>
              <th scope="col">{t('summary.when')}</th>
              <th scope="col">{t('summary.status')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {sent.map((r) => (
              <tr key={r.id}>
                <td>{t(`clin.orders.cat.${categoryOf(r)}` as MessageKey)}</td>
                <td>
                  {r.code?.text ?? r.code?.coding?.[0]?.display} {r.priority === 'urgent' && <span className="badge badge-expired">{t('clin.orders.urgent')}</span>}
                </td>
                <td>{formatDateTime(r.authoredOn)}</td>
                <td>{t(`clin.orders.status.${r.status === 'active' || r.status === 'completed' || r.status === 'revoked' ? r.status : 'other'}` as MessageKey)}</td>
                <td>
                  {r.status === 'active' && (
                    <button type="button" className="link-button" onClick={() => void revoke(r)}>
                      {t('clin.orders.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
