import { useMemo } from 'react';
import { createLabApi, type LabApi } from '../api/lab';
import { useApi } from '../app/session';

/** The laboratory and imaging API over the session's client. */
export function useLabApi(): LabApi {
  const api = useApi();
  return useMemo(() => createLabApi(api.http), [api]);
}
