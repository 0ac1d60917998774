// A patient's imaging studies (ImagingStudy, from Orthanc's change feed: issue 10): when,
// modality, description, series and images, the order it answers, and the links to open it:
// the viewer Orthanc serves (the study's imaging-viewer extension) and its DICOMweb (WADO-RS)
// address from the study's Endpoint.
import { Fragment, useEffect, useState } from 'react';
import type { Patient } from '../api/fhir';
import type { DiagnosticReport, ImagingStudy } from '../api/lab';
import { VIEWER_EXTENSION } from '../api/lab';
import { Link } from '../app/router';
import { useApi } from '../app/session';
import { ErrorBox } from '../common/ErrorBox';
import { useI18n } from '../i18n/i18n';
import { formatDateTime } from '../lib/dates';
import { PatientBanner } from '../patient/PatientBanner';
import { reportStatusLabel } from '../lab/LabResultsPage';
import { useLabApi } from '../lab/useLabApi';
import '../lab/lab.css';

export function viewerUrl(s: ImagingStudy): string {
  return s.extension?.find((e) => e.url.endsWith(VIEWER_EXTENSION))?.valueUrl ?? '';
}

export function studyUid(s: ImagingStudy): string {
  return (s.identifier?.find((i) => i.system === 'urn:dicom:uid')?.value ?? '').replace(/^urn:oid:/, '');
}

/** The reports on one study, and the form a radiologist writes one with. */
function StudyReports({ study }: { study: ImagingStudy }) {
  const { t } = useI18n();
  const lab = useLabApi();
  const [reports, setReports] = useState<DiagnosticReport[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [writing, setWriting] = useState(false);
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    const ctl = new AbortController();
    lab.reportsOfStudy(study.id!, ctl.signal).then(setReports, (e: unknown) => {
      if (ctl.signal.aborted) return;
      setReports([]);
      setError(e);
    });
    return () => ctl.abort();
  }, [lab, study.id]);
  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const r = await lab.createStudyReport(study, text.trim());
      setReports([r, ...(reports ?? [])]);
      setWriting(false);
      setText('');
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  return (
    <div data-testid="study-reports">
      {reports?.map((r) => (
        <p key={r.id} data-testid="study-report">
          <span className={`badge badge-status-${r.status}`}>{reportStatusLabel(t, r.status)}</span> {formatDateTime(r.issued)}: {r.conclusion}
        </p>
      ))}
      {reports && reports.length === 0 && !writing && <span className="muted">{t('imaging.noReport')} </span>}
      {writing ? (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <label>
            {t('imaging.conclusion')}
            <textarea value={text} onChange={(e) => setText(e.target.value)} rows={3} data-testid="study-report-text" />
          </label>
          <button type="submit" disabled={busy || !text.trim()} data-testid="study-report-save">
            {t('imaging.saveReport')}
          </button>{' '}
          <button type="button" className="secondary" onClick={() => setWriting(false)}>
            {t('imaging.cancel')}
          </button>
        </form>
      ) : (
        <button type="button" className="link-button" onClick={() => setWriting(true)} data-testid="study-report-write">
          {t('imaging.writeReport')}
        </button>
      )}
      <ErrorBox error={error} />
    </div>
  );
}

export default function ImagingStudiesPage({ id }: { id: string }) {
  const { t } = useI18n();
  const api = useApi();
  const lab = useLabApi();
  const [patient, setPatient] = useState<Patient | undefined>();
  const [studies, setStudies] = useState<ImagingStudy[] | undefined>();
  const [dicomweb, setDicomweb] = useState<Record<string, string>>({});
  const [error, setError] = useState<unknown>();

  useEffect(() => {
    const ctl = new AbortController();
    setStudies(undefined);
    api.readPatient(id).then(setPatient, setError);
    lab.studiesOf(id, ctl.signal).then(async (list) => {
      setStudies(list);
      const refs = [...new Set(list.flatMap((s) => s.endpoint?.map((e) => e.reference ?? '') ?? []).filter(Boolean))];
      const out: Record<string, string> = {};
      for (const ref of refs) {
        const ep = await lab.endpoint(ref);
        if (ep?.address) out[ref] = ep.address.replace(/\/$/, '');
      }
      setDicomweb(out);
    }, (e: unknown) => !ctl.signal.aborted && setError(e));
    return () => ctl.abort();
  }, [api, lab, id]);

  if (error) return <ErrorBox error={error} />;
  if (!patient || !studies) return <div className="loading">{t('common.loading')}</div>;
  return (
    <div className="imaging">
      <PatientBanner patient={patient} />
      <h1>{t('imaging.title')}</h1>
      <p>
        <Link href={`/patients/${encodeURIComponent(id)}/lab`}>{t('lab.title')}</Link>
      </p>
      {studies.length === 0 ? (
        <p className="muted" data-testid="imaging-none">
          {t('imaging.none')}
        </p>
      ) : (
        <section className="panel">
          <table className="lab-table" data-testid="imaging-studies">
            <thead>
              <tr>
                <th>{t('summary.when')}</th>
                <th>{t('imaging.modality')}</th>
                <th>{t('imaging.description')}</th>
                <th className="num">{t('imaging.series')}</th>
                <th className="num">{t('imaging.images')}</th>
                <th>{t('imaging.open')}</th>
              </tr>
            </thead>
            <tbody>
              {studies.map((s) => {
                const viewer = viewerUrl(s);
                const ep = s.endpoint?.[0]?.reference ?? '';
                const wado = dicomweb[ep] && studyUid(s) ? `${dicomweb[ep]}/studies/${studyUid(s)}` : '';
                return (
                  <Fragment key={s.id}>
                    <tr data-testid="imaging-study">
                      <td>{formatDateTime(s.started)}</td>
                      <td>{(s.modality ?? []).map((m) => m.code).join(', ')}</td>
                      <td>
                        {s.description ?? ''}
                        {s.series?.some((x) => x.bodySite) && (
                          <div className="muted">{[...new Set(s.series.map((x) => x.bodySite?.display ?? x.bodySite?.code).filter(Boolean))].join(', ')}</div>
                        )}
                      </td>
                      <td className="num">{s.numberOfSeries ?? s.series?.length ?? ''}</td>
                      <td className="num">{s.numberOfInstances ?? ''}</td>
                      <td>
                        {viewer ? (
                          <a href={viewer} target="_blank" rel="noopener noreferrer" data-testid="viewer-link">
                            {t('imaging.viewer')}
                          </a>
                        ) : (
                          <span className="muted">{t('imaging.noViewer')}</span>
                        )}
                        {wado && (
                          <>
                            {' · '}
                            <a href={wado} target="_blank" rel="noopener noreferrer" data-testid="dicomweb-link">
                              DICOMweb
                            </a>
                          </>
                        )}
                      </td>
                    </tr>
                    <tr>
                      <td colSpan={6}>
                        <StudyReports study={s} />
                      </td>
                    </tr>
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </section>
      )}
    </div>
  );
}
