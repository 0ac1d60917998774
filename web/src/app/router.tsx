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
