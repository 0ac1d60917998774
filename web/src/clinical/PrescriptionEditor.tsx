// The prescription: pick drugs from the catalogue (by name or active ingredient, no
// diacritics needed), set dose, times a day, days and route; the quantity follows. Each
// complete line is checked by the server as it changes (MedicationRequest/$check: allergy,
// duplicate ingredient, max daily dose, interaction) and its findings show under the line;
// a line with findings needs an override reason before the prescription can be saved.
// Saved as one transaction of MedicationRequests sharing a groupIdentifier; printable.
import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError } from '../api/client';
import { OVERRIDE_REASON_URL } from '../api/clinical';
import type { Medication, MedicationRequest } from '../api/clinical-types';
import type { Bundle, Reference } from '../api/fhir';
import { ErrorBox } from '../common/ErrorBox';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { ROUTES } from './codes';
import { drugFromMedication, findingsByLine, prescriptionCodeOf, lineProblems, medicationRequestOf, needsOverride, newLine, quantityOf, type CheckFinding, type DrugChoice, type RxLine } from './prescription';
import { SearchBox } from './SearchBox';
import { useClinicalApi } from './useClinicalApi';

export function PrescriptionEditor({ patient, encounterRef, saved, onSaved }: { patient: Reference; encounterRef: string; saved: MedicationRequest[]; onSaved: () => void }) {
  const encounterId = encounterRef.replace(/^Encounter\//, '');
  const { t, lang } = useI18n();
  const api = useClinicalApi();
  const [lines, setLines] = useState<RxLine[]>([]);
  const [findings, setFindings] = useState<Record<string, CheckFinding[]>>({});
  // the lines (checkKey) the findings shown were checked for: until the check of the lines on
  // screen has answered (350 ms of typing pause, then the server), they are being checked and
  // saving waits
  const [checkedKey, setCheckedKey] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [justSaved, setJustSaved] = useState(false);

  const complete = useMemo(() => lines.filter((l) => lineProblems(l).length === 0), [lines]);
  // the content that matters to the checks (not the override reasons)
  const checkKey = JSON.stringify(complete.map((l) => [l.key, l.drug?.id, l.dose, l.perDay, l.days, l.route]));
  const checking = checkedKey !== checkKey;

  useEffect(() => {
    if (!complete.length) {
      setFindings({});
      setCheckedKey(checkKey);
      return;
    }
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      const ctx = { patient, encounter: encounterRef, authoredOn: new Date().toISOString() };
      const mrs = complete.map((l) => medicationRequestOf({ ...l, overrideReason: '' }, ctx));
      api
        .checkPrescription(mrs, ctl.signal)
        .catch((e: unknown) => {
          if (e instanceof ApiError && e.outcome) return e.outcome;
          throw e;
        })
        .then((o) => {
          const per = findingsByLine(o, complete.length);
          setFindings(Object.fromEntries(complete.map((l, i) => [l.key, per[i]!])));
          setError(undefined);
          setCheckedKey(checkKey);
        })
        .catch((e: unknown) => {
          if ((e as Error).name === 'AbortError') return;
          setError(e);
          setCheckedKey(checkKey); // the server checks again when the order is saved
        });
    }, 350);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, checkKey, saved]);

  const search = useCallback(async (text: string, signal: AbortSignal) => (await api.searchMedications(text, signal)).map(drugFromMedication), [api]);
  const addDrug = (d: DrugChoice) => {
    const l = newLine();
    setLines((ls) => [...ls, { ...l, drug: d, route: d.route?.code ?? l.route }]);
    // focus the new line's dose
    setTimeout(() => document.getElementById(`rx-dose-${l.key}`)?.focus(), 0);
  };
  const update = (key: string, patch: Partial<RxLine>) => setLines((ls) => ls.map((l) => (l.key === key ? { ...l, ...patch } : l)));

  const blocked = lines.some((l) => lineProblems(l).length > 0) || lines.some((l) => needsOverride(findings[l.key] ?? [], l.overrideReason));
  const save = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const ctx = { patient, encounter: encounterRef, authoredOn: new Date().toISOString() };
      const bundle: Bundle = {
        resourceType: 'Bundle',
        type: 'transaction',
        entry: lines.map((l) => ({ resource: medicationRequestOf(l, ctx), request: { method: 'POST', url: 'MedicationRequest' } }) as never),
      };
      await api.http.post('/fhir', bundle);
      setLines([]);
      setFindings({});
      setJustSaved(true);
      onSaved();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  // one prescription per visit: its national code once the visit is closed, the visit until then
  const code = saved.map(prescriptionCodeOf).find(Boolean) ?? '';

  return (
    <div className="prescription">
      <SearchBox<DrugChoice>
        label={t('clin.rx.search')}
        placeholder={t('clin.rx.placeholder')}
        search={search}
        itemKey={(d) => d.id}
        render={(d) => (
          <>
            <strong>{d.display}</strong> {d.ingredients.length > 0 && <span className="muted">· {d.ingredients.join(' + ')}</span>}
          </>
        )}
        onPick={addDrug}
        testId="drug-search"
      />
      {lines.length > 0 && (
        <ol className="rx-lines" data-testid="rx-lines">
          {lines.map((l) => {
            const problems = lineProblems(l);
            const fs = findings[l.key] ?? [];
            const needReason = needsOverride(fs, l.overrideReason);
            return (
              <li key={l.key} className="rx-line" data-testid="rx-line">
                <div className="rx-drug">
                  <strong>{l.drug?.display}</strong> {l.drug?.ingredients.length ? <span className="muted">{l.drug.ingredients.join(' + ')}</span> : null}
                  <button type="button" className="link-button" onClick={() => setLines((ls) => ls.filter((x) => x.key !== l.key))}>
                    {t('clin.common.remove')}
                  </button>
                </div>
                <div className="rx-fields">
                  <div className="field small">
                    <label htmlFor={`rx-dose-${l.key}`}>{t('clin.rx.dose', { unit: l.drug?.unit ?? '' })}</label>
                    <input id={`rx-dose-${l.key}`} inputMode="decimal" value={l.dose} aria-invalid={problems.includes('dose') || undefined} onChange={(e) => update(l.key, { dose: e.target.value })} data-testid="rx-dose" />
                  </div>
                  <div className="field small">
                    <label htmlFor={`rx-perday-${l.key}`}>{t('clin.rx.perDay')}</label>
                    <input id={`rx-perday-${l.key}`} inputMode="numeric" value={l.perDay} aria-invalid={problems.includes('perDay') || undefined} onChange={(e) => update(l.key, { perDay: e.target.value })} data-testid="rx-perday" />
                  </div>
                  <div className="field small">
                    <label htmlFor={`rx-days-${l.key}`}>{t('clin.rx.days')}</label>
                    <input id={`rx-days-${l.key}`} inputMode="numeric" value={l.days} aria-invalid={problems.includes('days') || undefined} onChange={(e) => update(l.key, { days: e.target.value })} data-testid="rx-days" />
                  </div>
                  <div className="field">
                    <label htmlFor={`rx-route-${l.key}`}>{t('clin.rx.route')}</label>
                    <select id={`rx-route-${l.key}`} value={l.route} onChange={(e) => update(l.key, { route: e.target.value })}>
                      {ROUTES.map((r) => (
                        <option key={r.code} value={r.code}>
                          {r[lang]}
                        </option>
                      ))}
                    </select>
                  </div>
                  <div className="field grow">
                    <label htmlFor={`rx-instr-${l.key}`}>{t('clin.rx.instruction')}</label>
                    <input id={`rx-instr-${l.key}`} value={l.instruction} placeholder={t('clin.rx.instructionHint')} onChange={(e) => update(l.key, { instruction: e.target.value })} />
                  </div>
                  <div className="field small">
                    <span className="label">{t('clin.rx.quantity')}</span>
                    <output data-testid="rx-quantity">{problems.length ? '—' : `${quantityOf(l)} ${l.drug?.unit ?? ''}`}</output>
                  </div>
                </div>
                {fs.length > 0 && (
                  <div className="rx-findings" role="alert" data-testid="rx-findings">
                    <ul className="findings">
                      {fs.map((f, i) => (
                        <li key={i} className={`finding finding-${f.kind === 'withheld' ? 'withheld' : f.severity === 'error' ? 'error' : 'warning'}`} data-kind={f.kind}>
                          {/* the server's words often start with the kind already */}
                          {!f.message.toLocaleLowerCase('vi').startsWith(t(`clin.rx.kind.${f.kind}` as MessageKey).toLocaleLowerCase('vi')) && <strong>{t(`clin.rx.kind.${f.kind}` as MessageKey)}: </strong>}
                          {f.message}
                          {f.kind === 'withheld' && (
                            <p className="finding-help" data-testid="rx-withheld-help">
                              {t('clin.rx.withheldHelp')}
                            </p>
                          )}
                        </li>
                      ))}
                    </ul>
                    <div className="field">
                      <label htmlFor={`rx-override-${l.key}`}>{t('clin.rx.overrideReason')}</label>
                      <input id={`rx-override-${l.key}`} value={l.overrideReason} aria-invalid={needReason || undefined} onChange={(e) => update(l.key, { overrideReason: e.target.value })} data-testid="rx-override" />
                      {needReason && <span className="field-error">{t('clin.rx.overrideNeeded')}</span>}
                    </div>
                  </div>
                )}
              </li>
            );
          })}
        </ol>
      )}
      {checking && <p className="muted">{t('clin.rx.checking')}</p>}
      <ErrorBox error={error} testId="rx-error" />
      {lines.length > 0 && (
        <div className="actions">
          <button type="button" className="primary" disabled={busy || blocked || checking} onClick={() => void save()} data-testid="rx-save">
            {busy ? t('clin.common.saving') : t('clin.rx.save', { n: lines.length })}
          </button>
        </div>
      )}
      <h3>{t('clin.rx.saved')}</h3>
      {saved.length === 0 ? (
        <p className="muted">{t('clin.rx.none')}</p>
      ) : (
        <div className={`rx-group${justSaved ? ' rx-group-new' : ''}`} data-testid="rx-group">
          <div className="rx-group-head">
            <span data-testid="rx-code">{code ? t('clin.rx.number', { number: code }) : t('clin.rx.codeAtClose')}</span>
            <a className="button secondary" href={api.printUrl(code || encounterId)} target="_blank" rel="noopener" data-testid="rx-print">
              {t('clin.rx.print')}
            </a>
          </div>
          <ul>
            {saved.map((r) => (
              <li key={r.id} data-testid="rx-saved-line">
                <strong>{r.medicationCodeableConcept?.text ?? r.medicationCodeableConcept?.coding?.[0]?.display ?? r.medicationReference?.display}</strong> — {r.dosageInstruction?.[0]?.text}
                {r.dispenseRequest?.quantity?.value !== undefined && (
                  <span className="muted">
                    {' '}
                    · {t('clin.rx.quantity')}: {r.dispenseRequest.quantity.value} {r.dispenseRequest.quantity.unit}
                  </span>
                )}
                {r.extension?.some((e) => e.url === OVERRIDE_REASON_URL) && <span className="badge badge-near"> {t('clin.rx.overridden')}</span>}
                {r.status !== 'active' && <span className="badge badge-none"> {t(r.status === 'completed' ? 'pharm.dispensed' : 'clin.orders.status.other')}</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

export type { Medication };
