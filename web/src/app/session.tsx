// The app's session and API: who is signed in, the typed API bound to their CSRF token,
// sign-in and sign-out. The session ends when the server answers 401, when it expires,
// and when another tab signs out.
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { createApi, type Api } from '../api/api';
import { clearSession, loadSession, saveSession, SESSION_KEY, type SessionInfo } from '../api/session';
import { configureFacilityOffset } from '../lib/dates';
import { configureSystems } from '../lib/systems';

interface SessionValue {
  session: SessionInfo | undefined;
  api: Api;
  /** Why the last session ended, for the sign-in screen ('expired' | 'signed-out'). */
  endedBecause: 'expired' | 'signed-out' | undefined;
  signIn: (username: string, password: string) => Promise<void>;
  signOut: () => Promise<void>;
}

const SessionContext = createContext<SessionValue | null>(null);

let configLoaded: Promise<void> | undefined;

/** Reads /config.json (the server's identifier base and the facility's UTC offset) once. */
export function loadServerConfig(): Promise<void> {
  configLoaded ??= fetch('/config.json', { credentials: 'same-origin' })
    .then((r) => (r.ok ? r.json() : undefined))
    .then((c: { identifier_base?: string; utc_offset_minutes?: unknown } | undefined) => {
      configureSystems(c?.identifier_base);
      configureFacilityOffset(c?.utc_offset_minutes);
    })
    .catch(() => undefined);
  return configLoaded;
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionInfo | undefined>(() => loadSession(localStorage, Date.now()));
  const [endedBecause, setEnded] = useState<'expired' | 'signed-out' | undefined>();
  const sessionRef = useRef(session);
  sessionRef.current = session;

  const end = useCallback((why: 'expired' | 'signed-out') => {
    clearSession(localStorage);
    setSession(undefined);
    setEnded(why);
  }, []);

  const api = useMemo(
    () =>
      createApi({
        csrfToken: () => sessionRef.current?.csrfToken,
        onUnauthorized: () => {
          if (sessionRef.current) end('expired');
        },
      }),
    [end],
  );

  // Check a remembered session against the server, and learn the facility's name.
  useEffect(() => {
    if (!session || session.facilityName !== undefined) return;
    let live = true;
    api
      .facility(session.facility)
      .then((org) => {
        if (!live || !sessionRef.current) return;
        const next = { ...sessionRef.current, facilityName: org?.name ?? '', facilityOrgId: org?.id ?? '' };
        saveSession(localStorage, next);
        setSession(next);
      })
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, [api, session]);

  // Expiry, and signing out in another tab.
  useEffect(() => {
    if (!session) return;
    const timer = setTimeout(() => end('expired'), Math.max(0, session.expiresAt - Date.now()));
    const onStorage = (e: StorageEvent) => {
      if (e.key === SESSION_KEY && !e.newValue) {
        setSession(undefined);
        setEnded('signed-out');
      }
    };
    window.addEventListener('storage', onStorage);
    return () => {
      clearTimeout(timer);
      window.removeEventListener('storage', onStorage);
    };
  }, [session, end]);

  const signIn = useCallback(
    async (username: string, password: string) => {
      const s = await api.login(username, password);
      saveSession(localStorage, s);
      setEnded(undefined);
      setSession(s);
    },
    [api],
  );

  const signOut = useCallback(async () => {
    try {
      await api.logout();
    } finally {
      end('signed-out');
    }
  }, [api, end]);

  const value = useMemo(() => ({ session, api, endedBecause, signIn, signOut }), [session, api, endedBecause, signIn, signOut]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionValue {
  const v = useContext(SessionContext);
  if (!v) throw new Error('useSession outside SessionProvider');
  return v;
}

export function useApi(): Api {
  return useSession().api;
}
