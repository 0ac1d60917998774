// One claim's tables as people read them (XML1 … XML14 of QĐ 130/4750 or 3176): a one-row
// table (XML1, XML7, XML8, XML13, XML14) as field | heading | value, a table of many rows
// (drugs, services, results, progress) as columns; every heading is the official
// description's first clause (the whole description on hover). The validator's errors come
// first, each pointing at its table, row and field, highlighted in the table.
import { useEffect, useState } from 'react';
import { createClaimsApi, shortHeading, type ClaimPreview, type PreviewTable } from '../api/claims';
import { Link, navigate } from '../app/router';
import { useApi } from '../app/session';
import { ErrorBox } from '../common/ErrorBox';
import { useI18n } from '../i18n/i18n';
import './claims.css';

const TABLE_KEYS: Record<string, string> = {
  XML0: 'claims.table.XML0', XML1: 'claims.table.XML1', XML2: 'claims.table.XML2', XML3: 'claims.table.XML3',
  XML4: 'claims.table.XML4', XML5: 'claims.table.XML5', XML7: 'claims.table.XML7', XML8: 'claims.table.XML8',
  XML13: 'claims.table.XML13', XML14: 'claims.table.XML14',
};

export default function ClaimPreviewPage({ encounterId, schema }: { encounterId: string; schema: string }) {
  const { t, lang } = useI18n();
  const api = useApi();
  const [preview, setPreview] = useState<ClaimPreview | undefined>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    setPreview(undefined);
    createClaimsApi(api.http)
      .preview(encounterId, schema)
      .then(setPreview, setError);
  }, [api, encounterId, schema]);

  const download = async () => {
    try {
      const blob = await createClaimsApi(api.http).xml(encounterId, schema);
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `${preview?.ma_lk ?? encounterId}.xml`;
      a.click();
      URL.revokeObjectURL(a.href);
    } catch (e) {
      setError(e);
    }
  };

  const bad = new Set((preview?.errors ?? []).map((e) => `${e.table}|${e.row}|${e.field}`));
  return (
    <div className="claim-preview">
      <p>
        <Link href="/claims">{t('claims.back')}</Link>
      </p>
      <h1>
        {t('claims.previewTitle')} {preview?.ma_lk ?? ''}
      </h1>
      <div className="field">
        <label htmlFor="claim-schema">{t('claims.schema')}</label>
        <select id="claim-schema" value={schema} onChange={(e) => navigate(`/claims/${encodeURIComponent(encounterId)}?schema=${e.target.value}`, true)}>
          <option value="4750">QĐ 130/4750</option>
          <option value="3176">QĐ 3176</option>
        </select>
        <button type="button" className="secondary" onClick={() => void download()} disabled={!preview || preview.errors.length > 0}>
          {t('claims.download')}
        </button>
      </div>
      <ErrorBox error={error} testId="preview-error" />
      {preview && (
        <>
          {preview.errors.length === 0 ? (
            <p className="ok" data-testid="preview-valid">
              {t('claims.valid')}
            </p>
          ) : (
            <ul className="error" data-testid="preview-errors">
              {preview.errors.map((e, i) => (
                <li key={i}>
                  {e.table}
                  {e.row ? ` ${t('claims.row')} ${e.row}` : ''} {e.field} [{e.rule}] {e.value && `'${e.value}'`}: {lang === 'vi' ? e.vi : e.en}
                </li>
              ))}
            </ul>
          )}
          <nav className="table-index">
            {preview.tables.map((tb) => (
              <a key={tb.table} href={`#${tb.table}`}>
                {tb.table}
              </a>
            ))}
          </nav>
          {preview.tables.map((tb) => (
            <ClaimTable key={tb.table} table={tb} title={t((TABLE_KEYS[tb.table] ?? 'claims.table.other') as never)} bad={bad} />
          ))}
        </>
      )}
    </div>
  );
}

function ClaimTable({ table, title, bad }: { table: PreviewTable; title: string; bad: Set<string> }) {
  const { t } = useI18n();
  const mark = (row: number, field: string) => (bad.has(`${table.table}|${row}|${field}`) ? 'error' : undefined);
  return (
    <section className="panel claim-table" id={table.table} data-testid={`table-${table.table}`}>
      <h2>
        {table.table} — {title}
      </h2>
      {table.rows.length === 1 ? (
        <table>
          <thead>
            <tr>
              <th>{t('claims.field')}</th>
              <th>{t('claims.heading')}</th>
              <th>{t('claims.value')}</th>
            </tr>
          </thead>
          <tbody>
            {table.columns.map((c, i) => (
              <tr key={c.name} className={mark(1, c.name)}>
                <th scope="row">{c.name}</th>
                <td title={c.description}>{shortHeading(c.description)}</td>
                <td>{table.rows[0]![i]}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <div className="scroll-x">
          <table>
            <thead>
              <tr>
                {table.columns.map((c) => (
                  <th key={c.name} title={c.description} scope="col">
                    {shortHeading(c.description)}
                    <br />
                    <small>{c.name}</small>
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {table.rows.map((r, ri) => (
                <tr key={ri}>
                  {r.map((v, ci) => (
                    <td key={ci} className={mark(ri + 1, table.columns[ci]!.name)}>
                      {v}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
