import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildPatient, emptyForm, formFromIdentity, validateForm, type RegistrationForm } from './registration';
import { configureSystems } from './systems';

const filled = (over: Partial<RegistrationForm> = {}): RegistrationForm => ({
  ...emptyForm(),
  name: '  Quàng   Thị B ',
  birthDate: '02/07/2005',
  gender: 'female',
  cccd: '011305001234',
  bhyt: 'gd4111234567890',
  bhytFrom: '01/01/2025',
  bhytTo: '31/12/2025',
  phone: '0912 345 678',
  provinceCode: '11',
  districtCode: '096',
  communeCode: '03160',
  addressLine: 'Bản Mới',
  ...over,
});

describe('registration form', () => {
  it('accepts a complete form', () => {
    assert.deepEqual(validateForm(filled(), '2025-06-01'), {});
  });
  it('names each fault', () => {
    const e = validateForm(
      filled({ name: ' ', birthDate: '31/02/2000', gender: '', cccd: '12345', cmnd: '12', bhyt: 'X1', phone: '12', bhytFrom: '01/01/2026', bhytTo: '01/01/2025', provinceCode: '' }),
      '2025-06-01',
    );
    assert.deepEqual(e, {
      name: 'required', birthDate: 'date-invalid', gender: 'required', cccd: 'cccd-digits', cmnd: 'cmnd-digits',
      bhyt: 'bhyt-format', phone: 'phone-format', bhytTo: 'period-order', provinceCode: 'required',
    });
    assert.equal(validateForm(filled({ birthDate: '01/01/2030' }), '2025-06-01').birthDate, 'date-future');
    assert.equal(validateForm(filled({ birthDate: '' }), '2025-06-01').birthDate, 'required');
  });
  it('builds the Patient that POST /fhir/Patient receives', () => {
    configureSystems('https://fhir.healthbook.vn/sid/');
    const p = buildPatient(filled(), { province: 'Tỉnh Điện Biên', district: 'Huyện Điện Biên', commune: 'Xã Thanh Xương' }, 'org-11001');
    assert.equal(p.resourceType, 'Patient');
    assert.deepEqual(p.name, [{ use: 'official', text: 'Quàng Thị B', family: 'Quàng', given: ['Thị', 'B'] }]);
    assert.equal(p.gender, 'female');
    assert.equal(p.birthDate, '2005-07-02');
    assert.deepEqual(
      p.identifier?.map((i) => [i.system, i.value, i.use]),
      [
        ['https://fhir.healthbook.vn/sid/cccd', '011305001234', 'official'],
        ['https://fhir.healthbook.vn/sid/bhyt-card', 'GD4111234567890', 'official'],
      ],
    );
    assert.deepEqual(p.identifier?.[1]?.period, { start: '2025-01-01', end: '2025-12-31' });
    assert.deepEqual(p.telecom, [{ system: 'phone', value: '0912345678', use: 'mobile' }]);
    const a = p.address![0]!;
    assert.equal(a.text, 'Bản Mới, Xã Thanh Xương, Huyện Điện Biên, Tỉnh Điện Biên');
    assert.deepEqual(a.line, ['Bản Mới']);
    assert.equal(a.city, 'Xã Thanh Xương');
    assert.equal(a.state, 'Tỉnh Điện Biên');
    assert.equal(a.extension?.[0]?.url, 'https://fhir.healthbook.vn/sid/extension/address-admin-units');
    assert.deepEqual(
      a.extension?.[0]?.extension?.map((e) => [e.url, e.valueCoding?.system, e.valueCoding?.code, e.valueCoding?.display]),
      [
        ['province', 'https://fhir.healthbook.vn/sid/admin-unit', '11', 'Tỉnh Điện Biên'],
        ['district', 'https://fhir.healthbook.vn/sid/admin-unit', '096', 'Huyện Điện Biên'],
        ['commune', 'https://fhir.healthbook.vn/sid/admin-unit', '03160', 'Xã Thanh Xương'],
      ],
    );
    assert.deepEqual(p.managingOrganization, { reference: 'Organization/org-11001' });
  });
  it('leaves out what was not given', () => {
    const p = buildPatient(
      { ...emptyForm(), name: 'Mùa', birthDate: '1950', gender: 'male', provinceCode: '' },
      {},
    );
    assert.equal(p.identifier, undefined);
    assert.equal(p.telecom, undefined);
    assert.equal(p.address, undefined);
    assert.equal(p.birthDate, undefined); // '1950' is not a full date the form accepts
    assert.deepEqual(p.name, [{ use: 'official', text: 'Mùa', family: 'Mùa' }]);
  });
  it('pre-fills from the fields $identify read off a CCCD', () => {
    const f = formFromIdentity({
      kind: 'cccd', id: '011090123456', old_id: '040123456', name: 'LÒ VĂN A', birth_date: '1990-03-15', gender: 'male',
      address: 'Bản Huổi Phạ, Phường Him Lam, Thành phố Điện Biên Phủ, Điện Biên', issue_date: '2021-04-20',
    });
    assert.equal(f.name, 'Lò Văn A');
    assert.equal(f.cccd, '011090123456');
    assert.equal(f.cmnd, '040123456');
    assert.equal(f.birthDate, '15/03/1990');
    assert.equal(f.gender, 'male');
    assert.equal(f.addressLine, 'Bản Huổi Phạ, Phường Him Lam, Thành phố Điện Biên Phủ, Điện Biên');
    assert.equal(f.provinceCode, '11');
    assert.equal(f.districtCode, ''); // never guessed from the printed address
  });
  it('pre-fills from an insurance card', () => {
    const f = formFromIdentity({ kind: 'bhyt', card_number: 'gd4111234567890', name: 'QUÀNG THỊ B', birth_date: '2005-07-02', gender: 'female', valid_from: '2025-01-01', valid_to: '2025-12-31' });
    assert.equal(f.bhyt, 'GD4111234567890');
    assert.equal(f.bhytFrom, '01/01/2025');
    assert.equal(f.bhytTo, '31/12/2025');
    assert.equal(f.cccd, '');
  });
});
