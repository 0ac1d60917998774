// The Vietnamese identifier systems (resources/fhir/vn/, src/fhir/vn_systems.h): all live
// under one base URI that the server is configured with (fhir.identifier_base). The server
// tells the app its base in /config.json; until then the default base is assumed.

export const DEFAULT_BASE = 'https://fhir.healthbook.vn/sid/';

export interface Systems {
  base: string;
  cccd: string;
  cmnd: string;
  bhytCard: string;
  bhxh: string;
  facility: string;
  adminUnit: string;
  ethnicGroup: string;
  extEthnicity: string;
  extAddressAdminUnits: string;
}

export function makeSystems(base: string): Systems {
  const b = base.endsWith('/') ? base : base + '/';
  return {
    base: b,
    cccd: b + 'cccd',
    cmnd: b + 'cmnd',
    bhytCard: b + 'bhyt-card',
    bhxh: b + 'bhxh',
    facility: b + 'facility',
    adminUnit: b + 'admin-unit',
    ethnicGroup: b + 'ethnic-group',
    extEthnicity: b + 'extension/ethnicity',
    extAddressAdminUnits: b + 'extension/address-admin-units',
  };
}

let current = makeSystems(DEFAULT_BASE);

export function systems(): Systems {
  return current;
}

export function configureSystems(base: string | undefined): void {
  if (base) current = makeSystems(base);
}

/** Whether `system` is the identifier system `slug` (under the configured base, or any base). */
export function isSystem(system: string | undefined, slug: string): boolean {
  if (!system) return false;
  return system === current.base + slug || system.endsWith('/' + slug);
}
