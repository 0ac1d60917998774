// A small router over the History API: the few routes of the app do not need a library.
import { useEffect, useState, type AnchorHTMLAttributes, type MouseEvent } from 'react';

const NAV_EVENT = 'hb:navigate';

export function navigate(to: string, replace = false): void {
  if (to === location.pathname + location.search) return;
  if (replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  window.dispatchEvent(new Event(NAV_EVENT));
}

export interface Location {
  path: string;
  search: URLSearchParams;
}

function current(): Location {
  return { path: location.pathname, search: new URLSearchParams(location.search) };
}

export function useLocation(): Location {
  const [loc, setLoc] = useState(current);
  useEffect(() => {
    const update = () => setLoc(current());
    window.addEventListener('popstate', update);
    window.addEventListener(NAV_EVENT, update);
    return () => {
      window.removeEventListener('popstate', update);
      window.removeEventListener(NAV_EVENT, update);
    };
  }, []);
  return loc;
}

export type Route =
  | { name: 'reception' }
  | { name: 'patient'; id: string }
  | { name: 'queue'; department: string }
  | { name: 'display'; department: string }
  | { name: 'doctor'; department: string }
  | { name: 'visit'; id: string }
  | { name: 'chart'; id: string }
  | { name: 'pharmacy' }
  | { name: 'inpatient'; ward: string }
  | { name: 'admit'; encounter: string }
  | { name: 'stay'; id: string }
  | { name: 'lab'; id: string }
  | { name: 'imaging'; id: string }
  | { name: 'reconciliation' }
  | { name: 'cashier'; patient: string; tab: 'desk' | 'report' }
  | { name: 'cashier-display'; invoice: string }
  | { name: 'claims'; state: string }
  | { name: 'claim'; encounter: string; schema: string }
  | { name: 'not-found' };

export function matchRoute(path: string, search: URLSearchParams): Route {
  const segs = path.split('/').filter(Boolean).map((s) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  });
  if (segs.length === 0 || (segs.length === 1 && segs[0] === 'reception')) return { name: 'reception' };
  if (segs[0] === 'patients' && segs.length === 2) return { name: 'patient', id: segs[1]! };
  if (segs[0] === 'queue' && segs.length === 1) return { name: 'queue', department: search.get('department') ?? '' };
  if (segs[0] === 'display' && segs.length === 2) return { name: 'display', department: segs[1]! };
  // the clinical screens (issue 7)
  if (segs[0] === 'doctor' && segs.length === 1) return { name: 'doctor', department: search.get('department') ?? '' };
  if (segs[0] === 'visit' && segs.length === 2) return { name: 'visit', id: segs[1]! };
  if (segs[0] === 'patients' && segs.length === 3 && segs[2] === 'chart') return { name: 'chart', id: segs[1]! };
  if (segs[0] === 'pharmacy' && segs.length === 1) return { name: 'pharmacy' };
  if (segs[0] === 'inpatient' && segs.length === 1) return { name: 'inpatient', ward: search.get('ward') ?? '' };
  if (segs[0] === 'inpatient' && segs[1] === 'admit' && segs.length === 2) return { name: 'admit', encounter: search.get('encounter') ?? '' };
  if (segs[0] === 'inpatient' && segs[1] === 'stay' && segs.length === 3) return { name: 'stay', id: segs[2]! };
  // laboratory and imaging (issue 10)
  if (segs[0] === 'patients' && segs.length === 3 && segs[2] === 'lab') return { name: 'lab', id: segs[1]! };
  if (segs[0] === 'patients' && segs.length === 3 && segs[2] === 'imaging') return { name: 'imaging', id: segs[1]! };
  if (segs[0] === 'reconciliation' && segs.length === 1) return { name: 'reconciliation' };
  // billing and claims (issues 9 and 8)
  if (segs[0] === 'cashier' && segs.length === 1) return { name: 'cashier', patient: search.get('patient') ?? '', tab: 'desk' };
  if (segs[0] === 'cashier' && segs[1] === 'report' && segs.length === 2) return { name: 'cashier', patient: '', tab: 'report' };
  if (segs[0] === 'cashier' && segs[1] === 'display' && segs.length === 3) return { name: 'cashier-display', invoice: segs[2]! };
  if (segs[0] === 'claims' && segs.length === 1) return { name: 'claims', state: search.get('state') ?? 'failed' };
  if (segs[0] === 'claims' && segs.length === 2) return { name: 'claim', encounter: segs[1]!, schema: search.get('schema') ?? '4750' };
  return { name: 'not-found' };
}

export function Link({ href, onClick, ...rest }: AnchorHTMLAttributes<HTMLAnchorElement> & { href: string }) {
  const handle = (e: MouseEvent<HTMLAnchorElement>) => {
    onClick?.(e);
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey || rest.target) return;
    e.preventDefault();
    navigate(href);
  };
  return <a href={href} onClick={handle} {...rest} />;
}
