// Provinces, districts and communes for the address pickers, generated at build time from
// the catalogue the server embeds (scripts/gen-admin-units.mjs). The province list is part
// of the reception chunk; each province's districts and communes load on demand.
import provincesFile from '../generated/admin-units/provinces.json';

export interface Unit {
  code: string;
  name: string;
}

export interface District extends Unit {
  communes: Unit[];
}

export interface ProvinceUnits {
  version: string;
  province: string;
  districts: District[];
}

export const CATALOGUE_VERSION: string = provincesFile.version;
export const PROVINCES: Unit[] = provincesFile.provinces;

const loaders = import.meta.glob<ProvinceUnits>('../generated/admin-units/[0-9]*.json', { import: 'default' });
const cache = new Map<string, Promise<ProvinceUnits | undefined>>();

export function loadProvince(code: string): Promise<ProvinceUnits | undefined> {
  let p = cache.get(code);
  if (!p) {
    const loader = loaders[`../generated/admin-units/${code}.json`];
    p = loader ? loader() : Promise.resolve(undefined);
    cache.set(code, p);
  }
  return p;
}
