// A ward's beds as a board: free beds green, occupied ones with the patient and the day of
// stay (a link to the stay), beds being cleaned or closed greyed. With `onPick`, free beds
// are buttons (the admit and transfer forms pick a bed here).
import { Link } from '../app/router';
import { useI18n, type MessageKey } from '../i18n/i18n';
import { facilityDate } from '../lib/dates';
import { dayOfStay, occupancySummary, type BedRow } from './occupancy';

export function BedBoard({ beds, onPick, picked }: { beds: BedRow[]; onPick?: (b: BedRow) => void; picked?: string }) {
  const { t } = useI18n();
  const today = facilityDate();
  const sum = occupancySummary(beds);
  const rooms = [...new Set(beds.map((b) => b.room))];
  return (
    <div className="bed-board" data-testid="bed-board">
      <p className="muted">
        {t('inp.board.summary', { occupied: sum.occupied, free: sum.free, total: beds.length })}
        {sum.cleaning ? ` · ${t('inp.board.cleaning', { n: sum.cleaning })}` : ''}
      </p>
      {beds.length === 0 && <p className="muted">{t('inp.board.noBeds')}</p>}
      {rooms.map((room) => (
        <div key={room} className="room">
          {room && <h3>{room}</h3>}
          <ul className="beds">
            {beds
              .filter((b) => b.room === room)
              .map((b) => (
                <li key={b.bedId || b.bed} className={`bed bed-${b.state}${picked === b.bedId ? ' picked' : ''}`} data-testid="bed" data-state={b.state} data-bed={b.bedId}>
                  {onPick && b.state === 'free' ? (
                    <button type="button" className="bed-pick" onClick={() => onPick(b)} aria-pressed={picked === b.bedId} data-testid="bed-pick">
                      <span className="bed-name">{b.bed}</span>
                      <span className="bed-state">{t('inp.bed.free')}</span>
                    </button>
                  ) : (
                    <>
                      <span className="bed-name">{b.bed}</span>
                      {b.state === 'occupied' ? (
                        <span className="bed-patient">
                          {b.encounterId ? <Link href={`/inpatient/stay/${encodeURIComponent(b.encounterId)}`}>{b.patientName || b.patientRef || t('inp.bed.occupied')}</Link> : b.patientName || t('inp.bed.occupied')}
                          {b.since && <span className="muted"> · {t('inp.bed.day', { n: dayOfStay(b.since, today) })}</span>}
                        </span>
                      ) : (
                        <span className="bed-state">{t(`inp.bed.${b.state}` as MessageKey)}</span>
                      )}
                    </>
                  )}
                </li>
              ))}
          </ul>
        </div>
      ))}
    </div>
  );
}
