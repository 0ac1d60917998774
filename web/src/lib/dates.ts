// Dates as Vietnam writes them (dd/mm/yyyy), ages, and FHIR date checks. FHIR dates are
// plain 'YYYY', 'YYYY-MM' or 'YYYY-MM-DD' strings with no zone: they are compared as such,
// never through a Date in the browser's zone.

/** Viet Nam's offset from UTC, +07:00, no daylight saving: the facility's until /config.json says. */
export const VIETNAM_UTC_OFFSET_MINUTES = 7 * 60;

let facilityOffsetMinutes = VIETNAM_UTC_OFFSET_MINUTES;

/**
 * Takes the server's offset (reception.utc_offset_minutes, served in /config.json), so that the
 * app counts days and shows times as the server counts the queue's and the visits' days. A
 * missing or unreadable value keeps Viet Nam's.
 */
export function configureFacilityOffset(minutes: unknown): void {
  facilityOffsetMinutes =
    typeof minutes === 'number' && Number.isInteger(minutes) && Math.abs(minutes) <= 14 * 60
      ? minutes
      : VIETNAM_UTC_OFFSET_MINUTES;
}

/**
 * 'YYYY-MM-DD' at the facility (Viet Nam time) of an instant, whatever the desk computer's
 * zone: now, a Date, epoch milliseconds, or a FHIR dateTime/instant (its own offset counts:
 * '2026-11-25T23:30:00Z' is the 26th). A bare FHIR date (or year, or month) is its own day, as
 * is a date-time without a zone. The server counts days the same way (a visit's day, a
 * queue's day, a claim's dates).
 */
export function facilityDate(when: Date | number | string = Date.now()): string {
  // a date (or year, or month), or a date-time without a zone: already the facility's day
  if (typeof when === 'string' && !ZONED.test(when)) return when.slice(0, 10);
  return facilityClock(when)?.date ?? (typeof when === 'string' ? when.slice(0, 10) : '');
}

const ZONED = /T.*(Z|[+-]\d\d:\d\d)$/;

/** '15/03/1990' from '1990-03-15'; '03/1990', '1990' for partial dates; the input if not a date. */
export function formatDate(value: string | undefined): string {
  if (!value) return '';
  const m = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?/.exec(value);
  if (!m) return value;
  if (m[3]) return `${m[3]}/${m[2]}/${m[1]}`;
  if (m[2]) return `${m[2]}/${m[1]}`;
  return m[1]!;
}

/**
 * 'YYYY-MM-DD' and 'HH:MM' at the facility of an instant, whatever the desk computer's zone, or
 * undefined if unreadable. A date-time written without a zone (not valid FHIR) is read as
 * already local: its own date and time of day.
 */
export function facilityClock(when: Date | number | string): { date: string; time: string } | undefined {
  let ms: number;
  if (typeof when === 'string') {
    const local = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})(?::\d{2}(?:\.\d+)?)?$/.exec(when);
    if (local) return { date: local[1]!, time: local[2]! };
    ms = Date.parse(when);
  } else {
    ms = typeof when === 'number' ? when : when.getTime();
  }
  if (Number.isNaN(ms)) return undefined;
  const iso = new Date(ms + facilityOffsetMinutes * 60_000).toISOString();
  return { date: iso.slice(0, 10), time: iso.slice(11, 16) };
}

/**
 * '08:05' of an instant at the facility (Viet Nam time), whatever the desk computer's zone,
 * as facilityDate counts its day; '' if unreadable.
 */
export function formatTime(value: Date | number | string | undefined): string {
  if (value === undefined || value === '') return '';
  return facilityClock(value)?.time ?? '';
}

/** '15/03/2025 08:05' of a FHIR instant/dateTime at the facility; a bare date as formatDate. */
export function formatDateTime(value: string | undefined): string {
  if (!value) return '';
  if (!value.includes('T')) return formatDate(value);
  const clock = facilityClock(value);
  if (!clock) return value;
  return `${formatDate(clock.date)} ${clock.time}`;
}

/** A real calendar date 'YYYY-MM-DD'. */
export function isValidIsoDate(value: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12 || d < 1) return false;
  const days = [31, y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return d <= days[mo - 1]!;
}

/** Reads 'dd/mm/yyyy', 'ddmmyyyy' or 'yyyy-mm-dd' into 'YYYY-MM-DD'; undefined if not a real date. */
export function parseDateInput(text: string): string | undefined {
  const t = text.trim();
  let iso: string | undefined;
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  if (m) iso = `${m[3]}-${m[2]!.padStart(2, '0')}-${m[1]!.padStart(2, '0')}`;
  m = /^(\d{2})(\d{2})(\d{4})$/.exec(t);
  if (m) iso = `${m[3]}-${m[2]}-${m[1]}`;
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) iso = t;
  return iso && isValidIsoDate(iso) ? iso : undefined;
}

export interface Age {
  years: number;
  months: number;
  days: number;
}

/** Completed years, months and days from a birth date to `today` (both 'YYYY-MM-DD'; partial birth dates count from their start). */
export function ageOn(birthDate: string, today: string): Age | undefined {
  const b = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(birthDate);
  const t = /^(\d{4})-(\d{2})-(\d{2})/.exec(today);
  if (!b || !t) return undefined;
  const [by, bm, bd] = [Number(b[1]), Number(b[2] ?? '1'), Number(b[3] ?? '1')];
  const [ty, tm, td] = [Number(t[1]), Number(t[2]), Number(t[3])];
  let years = ty - by;
  let months = tm - bm;
  let days = td - bd;
  if (days < 0) {
    months -= 1;
    const daysInPrevMonth = new Date(Date.UTC(ty, tm - 1, 0)).getUTCDate();
    days += daysInPrevMonth;
  }
  if (months < 0) {
    years -= 1;
    months += 12;
  }
  if (years < 0) return undefined;
  return { years, months, days };
}

/** Whether `day` lies in [start, end] (FHIR dates; an open end is unbounded). */
export function inPeriod(day: string, period: { start?: string; end?: string } | undefined): boolean {
  if (!period) return false;
  const d = day.slice(0, 10);
  const start = period.start?.slice(0, 10);
  const end = period.end?.slice(0, 10);
  if (start && d.slice(0, start.length) < start) return false;
  if (end && d.slice(0, end.length) > end) return false;
  return true;
}
