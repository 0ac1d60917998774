import type { MessageKey } from '../i18n/vi';

const known = [
  'system-admin', 'facility-admin', 'receptionist', 'doctor', 'nurse', 'lab-technician', 'imaging-technician',
  'pharmacist', 'cashier', 'claims-officer', 'commune-health-worker', 'doh-official', 'citizen', 'integration', 'system',
] as const;

/** The dictionary key of a role's name (src/access/roles.cpp lists the roles). */
export function roleKey(role: string): MessageKey {
  return (known as readonly string[]).includes(role) ? (`role.${role}` as MessageKey) : 'role.unknown';
}

/** The clinical screens (issue 7) a role works in, in menu order. */
export type ClinicalScreen = 'doctor' | 'inpatient' | 'pharmacy';

export function clinicalScreens(role: string): ClinicalScreen[] {
  switch (role) {
    case 'doctor':
      return ['doctor', 'inpatient'];
    case 'nurse':
      return ['inpatient'];
    case 'pharmacist':
      return ['pharmacy'];
    case 'system-admin':
    case 'facility-admin':
      return ['doctor', 'inpatient', 'pharmacy'];
    default:
      return [];
  }
}

/** Where a role lands after sign-in when it opens the bare address ('' = reception). */
export function landingPath(role: string): string {
  switch (role) {
    case 'doctor':
      return '/doctor';
    case 'nurse':
      return '/inpatient';
    case 'pharmacist':
      return '/pharmacy';
    case 'cashier':
      return '/cashier';
    case 'claims-officer':
      return '/claims';
    default:
      return '';
  }
}

/** The billing and claims screens (issues 9 and 8) a role works in, in menu order. */
export type BillingScreen = 'cashier' | 'claims';

export function billingScreens(role: string): BillingScreen[] {
  switch (role) {
    case 'cashier':
      return ['cashier', 'claims'];
    case 'claims-officer':
      return ['claims'];
    case 'system-admin':
    case 'facility-admin':
      return ['cashier', 'claims'];
    default:
      return [];
  }
}
