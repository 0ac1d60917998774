// The signed-in session as the app remembers it. The session token itself is an httpOnly
// cookie the app never sees; what is kept here (in localStorage, so a second tab and the
// queue display share it) is who signed in, the facility, the CSRF token the server
// handed out at sign-in, and when the session ends. Signing out anywhere clears it.

export interface SessionInfo {
  user: string;
  /** The person's full name, when the server gives it (the account's `display`). */
  display?: string;
  role: string;
  /** MA_CSKCB code of the user's facility ('' for users without one). */
  facility: string;
  csrfToken: string;
  /** Milliseconds since the epoch. */
  expiresAt: number;
  facilityName?: string;
  facilityOrgId?: string;
}

export const SESSION_KEY = 'hb.session';

type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export function sessionFromLogin(body: unknown, now: number): SessionInfo {
  const b = (body ?? {}) as Record<string, unknown>;
  const str = (k: string) => (typeof b[k] === 'string' ? (b[k] as string) : '');
  const ttl = typeof b.expires_in === 'number' && b.expires_in > 0 ? b.expires_in : 3600;
  if (!str('user') || !str('csrf_token')) throw new Error('the sign-in answer lacks the user or the CSRF token');
  const s: SessionInfo = { user: str('user'), role: str('role'), facility: str('facility'), csrfToken: str('csrf_token'), expiresAt: now + ttl * 1000 };
  if (str('display')) s.display = str('display');
  return s;
}

export function loadSession(storage: StorageLike, now: number): SessionInfo | undefined {
  let raw: string | null;
  try {
    raw = storage.getItem(SESSION_KEY);
  } catch {
    return undefined;
  }
  if (!raw) return undefined;
  try {
    const s = JSON.parse(raw) as SessionInfo;
    if (typeof s.user !== 'string' || typeof s.csrfToken !== 'string' || typeof s.expiresAt !== 'number') return undefined;
    if (s.expiresAt <= now) {
      storage.removeItem(SESSION_KEY);
      return undefined;
    }
    return s;
  } catch {
    return undefined;
  }
}

export function saveSession(storage: StorageLike, s: SessionInfo): void {
  try {
    storage.setItem(SESSION_KEY, JSON.stringify(s));
  } catch {
    // private mode or full storage: the session lasts for this page only
  }
}

export function clearSession(storage: StorageLike): void {
  try {
    storage.removeItem(SESSION_KEY);
  } catch {
    // nothing to clear
  }
}
