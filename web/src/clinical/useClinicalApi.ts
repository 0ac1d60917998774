import { useMemo } from 'react';
import { createClinicalApi, type ClinicalApi } from '../api/clinical';
import { useApi } from '../app/session';

/** The clinical API bound to the session's client (CSRF token, end of session on 401). */
export function useClinicalApi(): ClinicalApi {
  const api = useApi();
  return useMemo(() => createClinicalApi(api.http), [api]);
}
