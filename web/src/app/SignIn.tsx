// Sign-in: user name and password, POST /auth/login. The server's refusals are shown in
// the user's language: wrong credentials (401), a locked name or address (429, with the
// time from Retry-After), and anything else with the server's own words.
import { useEffect, useRef, useState, type FormEvent } from 'react';
import { ApiError } from '../api/client';
import { useI18n } from '../i18n/i18n';
import { LANGS } from '../i18n/format';
import { useSession } from './session';

export function SignIn() {
  const { signIn, endedBecause } = useSession();
  const { t, lang, setLang } = useI18n();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const userRef = useRef<HTMLInputElement>(null);
  const passRef = useRef<HTMLInputElement>(null);

  useEffect(() => userRef.current?.focus(), []);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!username.trim() || !password) {
      setError(t('signin.missing'));
      (username.trim() ? passRef : userRef).current?.focus();
      return;
    }
    setBusy(true);
    setError('');
    try {
      await signIn(username.trim(), password);
    } catch (err) {
      const ae = err instanceof ApiError ? err : undefined;
      if (ae?.status === 401) {
        setError(t('signin.wrong'));
        setPassword('');
        passRef.current?.focus();
      } else if (ae?.status === 429) {
        const minutes = Math.max(1, Math.ceil((ae.retryAfter ?? 900) / 60));
        setError(t('signin.locked', { minutes }));
      } else if (ae?.status === 0) {
        setError(t('error.network'));
      } else {
        setError(t('error.server', { message: (err as Error).message }));
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="signin-page">
      <form className="signin panel" onSubmit={submit} aria-labelledby="signin-title" noValidate>
        <div className="signin-lang" role="group" aria-label={t('lang.label')}>
          {LANGS.map((l) => (
            <button key={l} type="button" aria-pressed={lang === l} onClick={() => setLang(l)} lang={l}>
              {l === 'vi' ? 'Tiếng Việt' : 'English'}
            </button>
          ))}
        </div>
        <h1 id="signin-title">
          <span className="brand-mark" aria-hidden="true">
            +
          </span>{' '}
          {t('signin.title')}
        </h1>
        <p className="muted">{t('signin.subtitle')}</p>
        {endedBecause === 'expired' && !error && (
          <p className="notice" role="status">
            {t('signin.expired')}
          </p>
        )}
        <label htmlFor="signin-user">{t('signin.username')}</label>
        <input
          id="signin-user"
          ref={userRef}
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          value={username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <label htmlFor="signin-password">{t('signin.password')}</label>
        <input
          id="signin-password"
          ref={passRef}
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
        {error && (
          <p className="error" role="alert" data-testid="signin-error">
            {error}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('signin.busy') : t('signin.submit')}
        </button>
      </form>
    </div>
  );
}
