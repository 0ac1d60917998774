// The pharmacy (role pharmacist): prescriptions waiting to be dispensed, each line with the
// batches first-expiry-first-out will take; "dispense" ($dispense per line, which writes the
// MedicationDispense, the stock movement and the ChargeItem); the stock with its batches
// and expiry (near-expiry highlighted); receiving stock; counting stock.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { Location } from '../api/clinical-types';
import { useI18n } from '../i18n/i18n';
import { ErrorBox } from '../common/ErrorBox';
import { useClinicalApi } from '../clinical/useClinicalApi';
import { useSession } from '../app/session';
import { facilityDate, formatDate, formatDateTime } from '../lib/dates';
import { groupWaiting, type WaitingPrescription } from './waiting';
import { drugCodeOf, readStock, type StockItem } from './stock';
import { batchesText, DispenseCard, type DispensedSummary } from './DispenseCard';
import { StockTable } from './StockTable';
import { ReceiveForm } from './ReceiveForm';

const LOCATION_KEY = 'hb.pharmacy.location';

type Tab = 'queue' | 'stock' | 'receive';

/** The drug stores (kho dược, nhà thuốc) before the facility's other places. */
export function storesFirst(ls: Location[]): Location[] {
  // "Kho dược", "Nhà thuốc", "Khoa Dược" (not the "khoa" of "Đa khoa")
  const store = (l: Location) => (/(^|\s)kho(\s|$)|dược|nhà thuốc|pharmacy/i.test(l.name ?? '') ? 0 : 1);
  return [...ls].sort((a, b) => store(a) - store(b));
}

export default function PharmacyPage() {
  const { t } = useI18n();
  const api = useClinicalApi();
  const { session } = useSession();
  const [tab, setTab] = useState<Tab>('queue');
  const [locations, setLocations] = useState<Location[]>([]);
  const [location, setLocation] = useState(() => localStorage.getItem(LOCATION_KEY) ?? '');
  const [waiting, setWaiting] = useState<WaitingPrescription[] | undefined>();
  const [stock, setStock] = useState<StockItem[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [version, setVersion] = useState(0);
  // dispensed on this screen, newest first (the prescription leaves the waiting list)
  const [recent, setRecent] = useState<DispensedSummary[]>([]);
  const today = facilityDate();

  // the facility's pharmacy stores (type PHARM); else the facility's own Location
  useEffect(() => {
    const org = session?.facilityOrgId;
    api
      .search<Location>('Location', 'type=PHARM&_count=50')
      .then((ls) =>
        ls.length || !org
          ? ls
          : api
              .search<Location>('Location', `organization=${encodeURIComponent(`Organization/${org}`)}&_count=200`)
              // the facility itself, not its wards, rooms and beds
              .then((all) => storesFirst(all.filter((l) => !['wa', 'ro', 'bd'].includes(l.physicalType?.coding?.[0]?.code ?? '')))),
      )
      .then(
        (ls) => {
          setLocations(ls);
          if ((!location || !ls.some((l) => l.id === location)) && ls[0]?.id) setLocation(ls[0].id);
        },
        () => setLocations([]),
      );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, session?.facilityOrgId]);

  const refresh = useCallback(() => setVersion((v) => v + 1), []);

  useEffect(() => {
    let live = true;
    setError(undefined);
    // today's prescriptions not yet dispensed (a dispense completes them)
    api.searchAll('MedicationRequest', `status=active&intent=order&authoredon=ge${today}&_sort=authoredon&_count=200&_include=MedicationRequest:subject`).then(
      (rs) => live && setWaiting(groupWaiting(rs)),
      (e: unknown) => live && setError(e),
    );
    if (location) {
      api.stock(`Location/${location}`).then(
        (s) => live && setStock(readStock(s)),
        (e: unknown) => live && setError(e),
      );
    }
    return () => {
      live = false;
    };
  }, [api, location, version, today]);

  const byCode = useMemo(() => new Map((stock ?? []).map((s) => [s.code, s])), [stock]);

  return (
    <div className="pharmacy" data-testid="pharmacy-page">
      <h1>{t('pharm.title')}</h1>
      <div className="queue-toolbar">
        {locations.length > 0 && (
          <div className="field">
            <label htmlFor="pharm-location">{t('pharm.location')}</label>
            <select
              id="pharm-location"
              value={location}
              onChange={(e) => {
                setLocation(e.target.value);
                localStorage.setItem(LOCATION_KEY, e.target.value);
              }}
            >
              {locations.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.name ?? l.id}
                </option>
              ))}
            </select>
          </div>
        )}
        <div className="tabs" role="tablist">
          {(['queue', 'stock', 'receive'] as Tab[]).map((k) => (
            <button key={k} type="button" role="tab" aria-selected={tab === k} className={tab === k ? 'tab active' : 'tab'} onClick={() => setTab(k)} data-testid={`pharm-tab-${k}`}>
              {t(`pharm.tab.${k}`)}
              {k === 'queue' && waiting ? ` (${waiting.length})` : ''}
            </button>
          ))}
        </div>
        <button type="button" className="secondary" onClick={refresh}>
          {t('clin.common.refresh')}
        </button>
      </div>
      <ErrorBox error={error} />
      {tab === 'queue' && recent.length > 0 && (
        <section className="panel" aria-label={t('pharm.recent')}>
          <h2>{t('pharm.recent')}</h2>
          <ul className="plain">
            {recent.map((d) => (
              <li key={d.group} data-testid="dispensed" data-group={d.group}>
                ✓ <strong>{d.patientName}</strong>:{' '}
                {d.lines.map((l) => `${l.drug} — ${batchesText(t, l.batches)}`).join(' | ')}
              </li>
            ))}
          </ul>
        </section>
      )}
      {tab === 'queue' &&
        (!waiting ? (
          <p className="muted">{t('common.loading')}</p>
        ) : waiting.length === 0 ? (
          <p className="muted" data-testid="pharm-empty">
            {t('pharm.noneWaiting')}
          </p>
        ) : (
          <div className="dispense-list" data-testid="pharm-waiting">
            {waiting.map((w) => (
              <DispenseCard
                key={w.group}
                prescription={w}
                stock={(code) => byCode.get(code)}
                location={location}
                today={today}
                onDone={(d) => {
                  setRecent((r) => [d, ...r].slice(0, 10));
                  refresh();
                }}
                codeOf={drugCodeOf}
              />
            ))}
          </div>
        ))}
      {tab === 'stock' && (stock ? <StockTable stock={stock} today={today} location={location} onCounted={refresh} /> : <p className="muted">{t('common.loading')}</p>)}
      {tab === 'receive' && <ReceiveForm location={location} onReceived={refresh} />}
      <p className="muted small-print">
        {t('pharm.updated', { time: formatDateTime(new Date().toISOString()) })} · {formatDate(today)}
      </p>
    </div>
  );
}
