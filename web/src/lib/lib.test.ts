// Unit tests of the client logic that is not React: node --test (npm test; CTest web.unit).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { codedLabel } from './coded-label';
import { DEPARTMENTS, departmentLabel } from './departments';
import {
  ageOn,
  configureFacilityOffset,
  facilityDate,
  formatDate,
  formatDateTime,
  formatTime,
  inPeriod,
  isValidIsoDate,
  parseDateInput,
} from './dates';
import { ticketFor } from './ticket';
import { ageDisplay, bhytOf, cccdOf, coverageState, displayName, insuranceState } from './patient-view';
import { newestCalls } from './newest-call';
import { cleanScanText } from './scan';
import { classifySearch, patientSearchQueries } from './search';
import { splitVietnameseName, titleCaseVi } from './text';
import { configureSystems, isSystem, makeSystems } from './systems';
import type { Patient } from '../api/fhir';

const CCCD_A = '011090123456|040123456|LÒ VĂN A|15031990|Nam|Bản Huổi Phạ, Phường Him Lam, Thành phố Điện Biên Phủ, Điện Biên|20042021';
const CCCD_B = '011305001234||QUÀNG THỊ B|02072005|Nữ|Xã Thanh Xương, Huyện Điện Biên, Điện Biên|10082021';

describe('dates', () => {
  it('counts days at the facility (+07:00), whatever the computer\u2019s zone', () => {
    assert.equal(facilityDate(Date.UTC(2026, 10, 25, 16, 59, 59)), '2026-11-25');
    assert.equal(facilityDate(Date.UTC(2026, 10, 25, 17, 0, 0)), '2026-11-26');
    assert.equal(facilityDate(new Date(Date.UTC(2026, 11, 31, 18))), '2027-01-01');
    assert.equal(facilityDate('2026-11-25T23:30:00Z'), '2026-11-26', 'an instant written in UTC');
    assert.equal(facilityDate('2026-11-26T06:00:00+07:00'), '2026-11-26');
    assert.equal(facilityDate('2026-11-26T01:00:00+09:00'), '2026-11-25');
    assert.equal(facilityDate('2026-11-26'), '2026-11-26', 'a date is its own day');
    assert.equal(facilityDate(''), '');
    assert.equal(facilityDate('2026-11'), '2026-11');
    assert.equal(facilityDate('2026-11-26T01:00:00'), '2026-11-26', 'no zone: already local');
    assert.equal(facilityDate(Number.NaN), '', 'an unreadable instant has no day');
    assert.equal(facilityDate('2026-13-45T01:00:00Z'), '2026-13-45', 'unreadable: as written');
  });
  it('shows times of day on the facility’s clock, whatever the computer’s zone', () => {
    const zone = process.env.TZ;
    process.env.TZ = 'America/New_York'; // a desk computer set to the wrong zone
    try {
      assert.equal(formatTime('2026-11-25T01:05:00Z'), '08:05');
      assert.equal(formatTime('2026-11-25T08:05:30+07:00'), '08:05');
      assert.equal(formatTime('2026-11-25T19:30:00+09:00'), '17:30');
      assert.equal(formatTime(Date.UTC(2026, 10, 25, 17, 1)), '00:01');
      assert.equal(formatTime(new Date(Date.UTC(2026, 10, 25, 2, 0))), '09:00');
      assert.equal(formatTime('2026-11-25T08:05:00'), '08:05', 'no zone: already local');
      assert.equal(formatTime('not a time'), '');
      assert.equal(formatTime(undefined), '');
      assert.equal(formatDateTime('2026-11-25T17:30:00Z'), '26/11/2026 00:30', 'the facility’s day too');
      assert.equal(formatDateTime('2026-11-25T23:59:00+07:00'), '25/11/2026 23:59');
      assert.equal(formatDateTime('2026-11-25'), '25/11/2026');
      assert.equal(formatDateTime('garbage T'), 'garbage T');
      const ticket = ticketFor({ resourceType: 'Encounter', id: 'e1', status: 'in-progress', period: { start: '2026-11-25T17:10:00Z' } }, 'LÒ VĂN A', 'BV', 'Khám', new Date(), '007');
      assert.equal(ticket.date, '26/11/2026');
      assert.equal(ticket.time, '00:10');
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });
  it('takes the server’s offset from /config.json, and Viet Nam’s when it has none', () => {
    try {
      configureFacilityOffset(8 * 60);
      assert.equal(formatTime('2026-11-25T01:05:00Z'), '09:05');
      assert.equal(facilityDate('2026-11-25T16:30:00Z'), '2026-11-26');
      configureFacilityOffset('420'); // not a number: Viet Nam's
      assert.equal(formatTime('2026-11-25T01:05:00Z'), '08:05');
      configureFacilityOffset(100 * 60); // no such offset
      assert.equal(formatTime('2026-11-25T01:05:00Z'), '08:05');
    } finally {
      configureFacilityOffset(undefined);
    }
    assert.equal(formatTime('2026-11-25T01:05:00Z'), '08:05');
  });
  it('formats FHIR dates as Vietnam writes them', () => {
    assert.equal(formatDate('1990-03-15'), '15/03/1990');
    assert.equal(formatDate('1990-03'), '03/1990');
    assert.equal(formatDate('1990'), '1990');
    assert.equal(formatDate(undefined), '');
  });
  it('reads typed dates and refuses impossible ones', () => {
    assert.equal(parseDateInput('15/03/1990'), '1990-03-15');
    assert.equal(parseDateInput('5/3/1990'), '1990-03-05');
    assert.equal(parseDateInput('15031990'), '1990-03-15');
    assert.equal(parseDateInput('1990-03-15'), '1990-03-15');
    assert.equal(parseDateInput('29/02/2023'), undefined);
    assert.equal(parseDateInput('29/02/2024'), '2024-02-29');
    assert.equal(parseDateInput('31/04/2020'), undefined);
    assert.equal(parseDateInput('hôm qua'), undefined);
    assert.ok(isValidIsoDate('2000-02-29'));
    assert.ok(!isValidIsoDate('1900-02-29'));
  });
  it('counts completed years, months and days', () => {
    assert.deepEqual(ageOn('1990-03-15', '2025-03-14'), { years: 34, months: 11, days: 27 });
    assert.deepEqual(ageOn('1990-03-15', '2025-03-15'), { years: 35, months: 0, days: 0 });
    assert.deepEqual(ageOn('2024-12-31', '2025-01-30'), { years: 0, months: 0, days: 30 });
    assert.equal(ageOn('2030-01-01', '2025-01-01'), undefined);
    assert.deepEqual(ageOn('1990', '2025-06-01'), { years: 35, months: 5, days: 0 });
  });
  it('checks a day against a period with open and partial ends', () => {
    assert.ok(inPeriod('2025-06-01', { start: '2025-01-01', end: '2025-12-31' }));
    assert.ok(!inPeriod('2026-01-01', { start: '2025-01-01', end: '2025-12-31' }));
    assert.ok(inPeriod('2025-12-15', { end: '2025-12' }));
    assert.ok(inPeriod('2025-06-01', { start: '2025-06-01T08:00:00+07:00' }));
    assert.ok(!inPeriod('2025-06-01', undefined));
  });
});

describe('ages as clinicians write them', () => {
  it('uses years from 6, months below, days in the first month', () => {
    assert.deepEqual(ageDisplay('1990-03-15', '2025-03-15'), { value: 35, unit: 'years' });
    assert.deepEqual(ageDisplay('2022-01-10', '2025-03-15'), { value: 38, unit: 'months' });
    assert.deepEqual(ageDisplay('2025-03-01', '2025-03-15'), { value: 14, unit: 'days' });
    assert.equal(ageDisplay(undefined, '2025-03-15'), undefined);
  });
});

describe('patient view', () => {
  configureSystems(undefined);
  const p: Patient = {
    resourceType: 'Patient',
    id: 'pat-1',
    identifier: [
      { system: 'https://fhir.healthbook.vn/sid/cmnd', value: '040123456', use: 'old' },
      { system: 'https://fhir.healthbook.vn/sid/cccd', value: '011090123456', use: 'official' },
      { system: 'https://fhir.healthbook.vn/sid/bhyt-card', value: 'GD4111234567890', period: { start: '2025-01-01', end: '2025-12-31' } },
    ],
    name: [{ use: 'old', text: 'Lò Văn Cũ' }, { use: 'official', family: 'Lò', given: ['Văn', 'A'] }],
  };
  it('reads the official name family first, the numbers by system', () => {
    assert.equal(displayName(p), 'Lò Văn A');
    assert.equal(cccdOf(p), '011090123456');
    assert.equal(bhytOf(p)?.value, 'GD4111234567890');
  });
  it('recognises systems under another base too', () => {
    configureSystems('https://fhir.example.gov.vn/sid');
    assert.ok(isSystem('https://fhir.example.gov.vn/sid/cccd', 'cccd'));
    assert.ok(isSystem('https://fhir.healthbook.vn/sid/cccd', 'cccd'));
    assert.ok(!isSystem('https://fhir.healthbook.vn/sid/cccd-x', 'cccd'));
    assert.equal(makeSystems('https://a/b').bhytCard, 'https://a/b/bhyt-card');
    configureSystems('https://fhir.healthbook.vn/sid/');
  });
  it('tells the insurance card state on a day', () => {
    const period = bhytOf(p)?.period;
    assert.equal(insuranceState(period, '2025-06-01'), 'valid');
    assert.equal(insuranceState(period, '2026-01-01'), 'expired');
    assert.equal(insuranceState(period, '2024-12-31'), 'not-yet-valid');
    assert.equal(insuranceState(undefined, '2025-06-01'), 'unknown');
    assert.equal(insuranceState(undefined, '2025-06-01', false), 'none');
    assert.equal(coverageState({ resourceType: 'Coverage', status: 'cancelled' }, '2025-06-01'), 'expired');
    assert.equal(coverageState({ resourceType: 'Coverage', status: 'active', period: { end: '2025-12-31' } }, '2025-06-01'), 'valid');
    assert.equal(coverageState(undefined, '2025-06-01'), 'none');
  });
});

describe('scanner text', () => {
  it('drops a wedge scanner\u2019s control characters and edges, keeps empty fields', () => {
    assert.equal(cleanScanText(`\u0002 ${CCCD_B}\r\n`), CCCD_B);
    assert.equal(cleanScanText(`${CCCD_A}\t`), CCCD_A);
    assert.ok(cleanScanText(CCCD_B).includes('||'));
  });
});

describe('search box', () => {
  it('classifies what was typed', () => {
    assert.deepEqual(classifySearch('011090123456'), { kind: 'cccd', value: '011090123456' });
    assert.deepEqual(classifySearch(' 011 090 123 456 '), { kind: 'cccd', value: '011090123456' });
    assert.deepEqual(classifySearch('040123456'), { kind: 'cmnd', value: '040123456' });
    assert.deepEqual(classifySearch('gd4111234567890'), { kind: 'bhyt', value: 'GD4111234567890' });
    assert.deepEqual(classifySearch('1189705684'), { kind: 'bhxh', value: '1189705684' });
    assert.deepEqual(classifySearch('pat-000001'), { kind: 'identifier', value: 'pat-000001' });
    assert.deepEqual(classifySearch('lo van a'), { kind: 'name', value: 'lo van a' });
    assert.deepEqual(classifySearch('Lò  Văn A 1990'), { kind: 'name', value: 'Lò Văn A', birthYear: '1990' });
    assert.equal(classifySearch(CCCD_A).kind, 'qr');
    assert.equal(classifySearch('   ').kind, 'empty');
  });
  it('turns it into FHIR searches', () => {
    const bhxh = 'https://fhir.healthbook.vn/sid/bhxh';
    assert.deepEqual(patientSearchQueries(classifySearch('011090123456'), bhxh), ['cccd=011090123456&_count=20']);
    assert.deepEqual(patientSearchQueries(classifySearch('GD4111234567890'), bhxh), ['bhyt=GD4111234567890&_count=20']);
    assert.deepEqual(patientSearchQueries(classifySearch('1189705684'), bhxh), [
      'identifier=https%3A%2F%2Ffhir.healthbook.vn%2Fsid%2Fbhxh%7C1189705684&_count=20',
    ]);
    assert.deepEqual(patientSearchQueries(classifySearch('pat-000001'), bhxh), ['identifier=pat-000001&_count=20', '_id=pat-000001&_count=20']);
    assert.deepEqual(patientSearchQueries(classifySearch('lò văn a 1990'), bhxh, 5), [
      'name=l%C3%B2%20v%C4%83n%20a&birthdate=1990&_count=5',
    ]);
  });
});

describe('Vietnamese text', () => {
  it('title-cases card names', () => {
    assert.equal(titleCaseVi('LÒ VĂN A'), 'Lò Văn A');
    assert.equal(titleCaseVi('QUÀNG  THỊ B'), 'Quàng Thị B');
    assert.equal(titleCaseVi('ĐINH ĐỨC ÁNH'), 'Đinh Đức Ánh');
    assert.equal(titleCaseVi('QUA\u0300NG THI\u0323 B'), 'Quàng Thị B'); // NFD from a wedge
  });
  it('splits family name first', () => {
    assert.deepEqual(splitVietnameseName('Giàng A Páo'), { family: 'Giàng', given: ['A', 'Páo'] });
    assert.deepEqual(splitVietnameseName('Mùa'), { family: 'Mùa', given: [] });
  });
});

describe('coded labels', () => {
  it('labels a code in either language and falls back to the code', () => {
    const items = [{ code: '1', vi: 'Khỏi', en: 'Recovered' }];
    assert.equal(codedLabel(items, '1', 'vi'), 'Khỏi');
    assert.equal(codedLabel(items, '1', 'en'), 'Recovered');
    assert.equal(codedLabel(items, '9', 'vi'), '9');
    assert.equal(departmentLabel(DEPARTMENTS[0]!.code, 'vi'), DEPARTMENTS[0]!.vi);
    assert.equal(departmentLabel('khoa-rieng', 'en'), 'khoa-rieng');
  });
});

describe('newestCalls', () => {
  it('keeps only the answer of the load begun last, whatever order the answers come in', () => {
    const begin = newestCalls();
    const first = begin();
    assert.equal(first(), true);
    const second = begin();
    assert.equal(first(), false); // its answer, arriving now, is stale
    assert.equal(second(), true);
    const other = newestCalls()(); // another screen's loads are counted apart
    assert.equal(other(), true);
    assert.equal(second(), true);
  });
});
