// The ward (doctors and nurses): pick the ward, see its occupancy board, open a stay.
import { useState } from 'react';
import { navigate } from '../app/router';
import { ErrorBox } from '../common/ErrorBox';
import { useI18n } from '../i18n/i18n';
import { BedBoard } from './BedBoard';
import { WardSelect } from './WardSelect';
import { rememberedWard, rememberWard, useWards } from './useWards';

export default function InpatientPage({ ward: fromUrl }: { ward: string }) {
  const { t } = useI18n();
  const [version, setVersion] = useState(0);
  const { wards, wardId, beds, error } = useWards(fromUrl || rememberedWard(), version);
  return (
    <div className="inpatient" data-testid="inpatient-page">
      <h1>{t('inp.title')}</h1>
      <div className="queue-toolbar">
        <WardSelect
          id="inp-ward"
          wards={wards}
          value={wardId}
          onChange={(w) => {
            rememberWard(w);
            navigate(`/inpatient?ward=${encodeURIComponent(w)}`, true);
          }}
        />
        <button type="button" className="secondary" onClick={() => setVersion((v) => v + 1)}>
          {t('clin.common.refresh')}
        </button>
      </div>
      <ErrorBox error={error} />
      {wards && wards.length === 0 && <p className="muted">{t('inp.noWards')}</p>}
      <section className="panel">{beds ? <BedBoard beds={beds} /> : wardId && <p className="muted">{t('common.loading')}</p>}</section>
    </div>
  );
}
