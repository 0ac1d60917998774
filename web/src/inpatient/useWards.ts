import { useEffect, useState } from 'react';
import type { Resource } from '../api/fhir';
import { useClinicalApi } from '../clinical/useClinicalApi';
import { readWards, type Ward } from './occupancy';

const WARD_KEY = 'hb.ward';

export function rememberedWard(): string {
  try {
    return localStorage.getItem(WARD_KEY) ?? '';
  } catch {
    return '';
  }
}

export function rememberWard(id: string): void {
  try {
    localStorage.setItem(WARD_KEY, id);
  } catch {
    // not remembered
  }
}

/** The wards of the user's facility with their beds (one $occupancy call; again when `version` changes). */
export function useWards(ward: string, version = 0) {
  const api = useClinicalApi();
  const [wards, setWards] = useState<Ward[] | undefined>();
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    let live = true;
    api.occupancy().then(
      (r: Resource) => live && setWards(readWards(r)),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [api, version]);
  const current = wards?.find((w) => w.id === ward) ?? wards?.[0];
  return { wards, wardId: current?.id ?? '', beds: current?.beds, error };
}
