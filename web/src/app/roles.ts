import type { MessageKey } from '../i18n/vi';

const known = [
  'system-admin', 'facility-admin', 'receptionist', 'doctor', 'nurse', 'lab-technician', 'imaging-technician',
  'pharmacist', 'cashier', 'claims-officer', 'commune-health-worker', 'doh-official', 'citizen', 'integration', 'system',
] as const;

/** The dictionary key of a role's name (src/access/roles.cpp lists the roles). */
export function roleKey(role: string): MessageKey {
  return (known as readonly string[]).includes(role) ? (`role.${role}` as MessageKey) : 'role.unknown';
}
