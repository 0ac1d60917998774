// A patient's laboratory results (issue 10): each report (DiagnosticReport) with its status,
// its results with value, unit, reference range and the lab's flag (abnormal rows
// highlighted), the earlier versions of a corrected result; and the cumulative table, one row
// per test and one column per time, with a small trend line per numeric test.
import { useEffect, useState } from 'react';
import type { CodeableConcept, Patient } from '../api/fhir';
import type { DiagnosticReport, Observation } from '../api/lab';
import { isProvisional } from '../api/lab';
import { Link } from '../app/router';
import { useApi } from '../app/session';
import { ErrorBox } from '../common/ErrorBox';
import { useI18n, type TFunction } from '../i18n/i18n';
import { formatDateTime } from '../lib/dates';
import { PatientBanner } from '../patient/PatientBanner';
import {
  conceptText,
  cumulativeTable,
  flagCode,
  flagOf,
  isAbnormal,
  isCorrected,
  rangeText,
  reportTime,
  resultsOf,
  sparkline,
  testName,
  trendOf,
  unitText,
  valueText,
  type Cumulative,
  type CumulativeRow,
} from './lab-view';
import { useLabApi } from './useLabApi';
import './lab.css';

export function reportStatusLabel(t: TFunction, s: string): string {
  switch (s) {
    case 'registered':
    case 'partial':
    case 'preliminary':
    case 'final':
    case 'amended':
    case 'corrected':
    case 'cancelled':
    case 'entered-in-error':
      return t(`lab.status.${s}`);
    default:
      return s;
  }
}

const SECTIONS = ['CH', 'HM', 'MB', 'SR', 'IMM', 'BLB', 'PAT', 'LAB', 'RAD'] as const;

/** The laboratory section (v2-0074) in the user's language, else as the server wrote it. */
function sectionLabel(t: TFunction, c: CodeableConcept | undefined): string {
  const code = c?.coding?.find((x) => x.system?.endsWith('/v2-0074'))?.code ?? '';
  const known = SECTIONS.find((s) => s === code);
  return known ? t(`lab.section.${known}`) : conceptText(c);
}

function Versions({ id }: { id: string }) {
  const { t } = useI18n();
  const lab = useLabApi();
  const [versions, setVersions] = useState<Observation[] | undefined>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    lab.versionsOf(id).then(setVersions, setError);
  }, [lab, id]);
  if (error) return <ErrorBox error={error} />;
  if (!versions) return <span>{t('common.loading')}</span>;
  return (
    <ol className="lab-versions" data-testid="result-versions">
      {versions.map((v) => (
        <li key={v.meta?.versionId}>
          {t('lab.version', { n: v.meta?.versionId ?? '?' })}: <strong>{valueText(v)}</strong> {unitText(v)} {flagCode(v)} —{' '}
          {reportStatusLabel(t, v.status)} ({formatDateTime(v.meta?.lastUpdated)})
        </li>
      ))}
    </ol>
  );
}

function ResultRow({ o }: { o: Observation }) {
  const { t } = useI18n();
  const [open, setOpen] = useState(false);
  const flag = flagOf(o);
  const cls = flag.startsWith('critical') ? 'abnormal critical' : isAbnormal(flag) ? 'abnormal' : '';
  return (
    <tr className={cls} data-testid="lab-result" data-flag={flag}>
      <td>
        {testName(o)}
        {o.note?.map((n, i) => (
          <div key={i} className="muted">
            {n.text}
          </div>
        ))}
      </td>
      <td className="num value" data-testid="lab-value">
        {valueText(o)}
      </td>
      <td>{unitText(o)}</td>
      <td data-testid="lab-range">{rangeText(o.referenceRange)}</td>
      <td>{flagCode(o) && <span className={`lab-flag ${isAbnormal(flag) ? 'abnormal' : ''}`}>{flagCode(o)}</span>}</td>
      <td>
        {isCorrected(o) ? (
          <>
            <button type="button" className="link-button" data-testid="show-versions" onClick={() => setOpen(!open)}>
              {reportStatusLabel(t, o.status)} · {t('lab.versions')}
            </button>
            {open && o.id && <Versions id={o.id} />}
          </>
        ) : (
          reportStatusLabel(t, o.status)
        )}
      </td>
    </tr>
  );
}

function ReportPanel({ r, observations }: { r: DiagnosticReport; observations: Map<string, Observation> }) {
  const { t } = useI18n();
  const results = resultsOf(r, observations);
  const pdf = r.presentedForm?.find((f) => f.data && f.contentType);
  return (
    <section className="panel lab-report" data-testid="lab-report">
      <header>
        <h3>{conceptText(r.code) || t('lab.report')}</h3>
        <span className={`badge badge-status-${r.status}`} data-testid="report-status">
          {reportStatusLabel(t, r.status)}
        </span>
        <span>{formatDateTime(reportTime(r))}</span>
        {r.category?.[0] && <span className="muted">{sectionLabel(t, r.category[0])}</span>}
        {pdf && (
          <a href={`data:${pdf.contentType};base64,${pdf.data}`} download={`${pdf.title ?? 'ket-qua'}.pdf`}>
            {t('lab.pdf')}
          </a>
        )}
      </header>
      {results.length > 0 ? (
        <table className="lab-table">
          <thead>
            <tr>
              <th>{t('lab.test')}</th>
              <th>{t('lab.value')}</th>
              <th>{t('lab.unit')}</th>
              <th>{t('lab.range')}</th>
              <th>{t('lab.flag')}</th>
              <th>{t('summary.status')}</th>
            </tr>
          </thead>
          <tbody>
            {results.map((o) => (
              <ResultRow key={o.id} o={o} />
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">{t('lab.noResults')}</p>
      )}
      {r.conclusion && <p>{r.conclusion}</p>}
    </section>
  );
}

function Sparkline({ table, row }: { table: Cumulative; row: CumulativeRow }) {
  const points = trendOf(table, row);
  if (points.length < 2) return null;
  const xy = sparkline(points, 90, 24);
  return (
    <svg className="lab-spark" width={90} height={24} role="img" aria-label={points.map((p) => p.value).join(' → ')} data-testid="trend">
      <polyline fill="none" stroke="currentColor" strokeWidth={1.5} points={xy.map((p) => `${p.x},${p.y}`).join(' ')} />
      {xy.map((p, i) => (
        <circle key={i} cx={p.x} cy={p.y} r={2} fill={isAbnormal(points[i]!.flag) ? '#b42318' : 'currentColor'} />
      ))}
    </svg>
  );
}

function CumulativeView({ table }: { table: Cumulative }) {
  const { t } = useI18n();
  return (
    <section className="panel" data-testid="lab-cumulative">
      <table className="lab-table">
        <thead>
          <tr>
            <th>{t('lab.test')}</th>
            <th>{t('lab.unit')}</th>
            <th>{t('lab.range')}</th>
            {table.columns.map((c) => (
              <th key={c} className="num">
                {formatDateTime(c)}
              </th>
            ))}
            <th>{t('lab.trend')}</th>
          </tr>
        </thead>
        <tbody>
          {table.rows.map((row) => (
            <tr key={row.key} data-testid="cumulative-row">
              <td>{row.name}</td>
              <td>{row.unit}</td>
              <td>{row.range}</td>
              {row.cells.map((o, i) => {
                const flag = o ? flagOf(o) : '';
                return (
                  <td key={i} className={`num ${isAbnormal(flag) ? 'abnormal' : ''}`}>
                    {o ? `${valueText(o)} ${flagCode(o)}`.trim() : ''}
                  </td>
                );
              })}
              <td>
                <Sparkline table={table} row={row} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export default function LabResultsPage({ id }: { id: string }) {
  const { t } = useI18n();
  const api = useApi();
  const lab = useLabApi();
  const [patient, setPatient] = useState<Patient | undefined>();
  const [data, setData] = useState<{ reports: DiagnosticReport[]; observations: Map<string, Observation> } | undefined>();
  const [error, setError] = useState<unknown>();
  const [view, setView] = useState<'reports' | 'cumulative'>('reports');

  useEffect(() => {
    const ctl = new AbortController();
    setData(undefined);
    setError(undefined);
    api.readPatient(id).then(setPatient, setError);
    lab.reportsOf(id, ctl.signal).then(setData, (e: unknown) => !ctl.signal.aborted && setError(e));
    return () => ctl.abort();
  }, [api, lab, id]);

  if (error) return <ErrorBox error={error} />;
  if (!patient || !data) return <div className="loading">{t('common.loading')}</div>;
  return (
    <div className="lab">
      <PatientBanner patient={patient} />
      {isProvisional(patient) && (
        <p className="notice" data-testid="provisional-notice">
          {t('lab.provisionalNotice')} <Link href="/reconciliation">{t('nav.reconciliation')}</Link>
        </p>
      )}
      <h1>{t('lab.title')}</h1>
      <p>
        <Link href={`/patients/${encodeURIComponent(id)}/imaging`}>{t('imaging.title')}</Link>
      </p>
      <div className="lab-tabs" role="group">
        <button type="button" aria-pressed={view === 'reports'} onClick={() => setView('reports')}>
          {t('lab.byReport')}
        </button>
        <button type="button" aria-pressed={view === 'cumulative'} onClick={() => setView('cumulative')} data-testid="show-cumulative">
          {t('lab.cumulative')}
        </button>
      </div>
      {data.reports.length === 0 && <p className="muted">{t('lab.none')}</p>}
      {view === 'reports' && data.reports.map((r) => <ReportPanel key={r.id} r={r} observations={data.observations} />)}
      {view === 'cumulative' && data.reports.length > 0 && <CumulativeView table={cumulativeTable(data.reports, data.observations)} />}
    </div>
  );
}
