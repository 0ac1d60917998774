import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { MedicationAdministration, MedicationRequest } from '../api/clinical-types';
import type { Parameters } from '../api/fhir';
import { admitParameters } from './admit';
import { dischargeDocuments, dischargeParameters } from './discharge';
import { administrationOf, doseSlots, perDayOf, scheduleTimes } from './mar';
import { narrativeText, noteImpression, noteKindOf } from './notes';
import { bedState, dayOfStay, occupancySummary, readOccupancy, readWards } from './occupancy';

describe('occupancy', () => {
  it('reads $occupancy Parameters, rooms and beds in natural order', () => {
    const rows = readOccupancy({
      resourceType: 'Parameters',
      parameter: [
        { name: 'bed', part: [{ name: 'bed', valueReference: { reference: 'Location/b10', display: 'Giường 10' } }, { name: 'room', valueString: 'Phòng 1' }, { name: 'status', valueCode: 'U' }] },
        { name: 'bed', part: [{ name: 'bed', valueReference: { reference: 'Location/b2', display: 'Giường 2' } }, { name: 'room', valueString: 'Phòng 1' }, { name: 'patient', valueReference: { reference: 'Patient/p1', display: 'Lò Văn A' } }, { name: 'encounter', valueReference: { reference: 'Encounter/s1' } }, { name: 'since', valueDateTime: '2026-11-23T10:00:00Z' }] },
        { name: 'bed', part: [{ name: 'bed', valueReference: { reference: 'Location/b3', display: 'Giường 3' } }, { name: 'room', valueString: 'Phòng 1' }, { name: 'status', valueCode: 'K' }] },
      ],
    } as never);
    assert.deepEqual(rows.map((r) => [r.bedId, r.state]), [['b2', 'occupied'], ['b3', 'cleaning'], ['b10', 'free']]);
    assert.equal(rows[0]!.encounterId, 's1');
    assert.deepEqual(occupancySummary(rows), { free: 1, occupied: 1, cleaning: 1, closed: 0 });
    assert.equal(dayOfStay('2026-11-23T10:00:00Z', '2026-11-25'), 3);
    assert.equal(bedState('C'), 'closed');
  });
  it('reads every ward of the facility with its beds', () => {
    const wards = readWards(<Parameters>{
      resourceType: 'Parameters',
      parameter: [
        { name: 'ward', part: [{ name: 'location', valueReference: { reference: 'Location/w-noi', display: 'Khoa Nội' } }, { name: 'beds', valueInteger: 2 }, { name: 'bed', part: [{ name: 'location', valueReference: { reference: 'Location/b2', display: 'Giường 2' } }, { name: 'room', valueString: 'Phòng 101' }, { name: 'status', valueCode: 'U' }] }, { name: 'bed', part: [{ name: 'location', valueReference: { reference: 'Location/b1', display: 'Giường 1' } }, { name: 'room', valueString: 'Phòng 101' }, { name: 'status', valueCode: 'O' }, { name: 'patient', valueReference: { reference: 'Patient/p1', display: 'Lò Văn A' } }] }] },
        { name: 'ward', part: [{ name: 'location', valueReference: { reference: 'Location/w-cc', display: 'Khoa Cấp cứu' } }] },
      ],
    });
    assert.deepEqual(wards.map((w) => [w.id, w.name, w.beds.map((b) => `${b.bed}:${b.state}`)]), [
      ['w-cc', 'Khoa Cấp cứu', []],
      ['w-noi', 'Khoa Nội', ['Giường 1:occupied', 'Giường 2:free']],
    ]);
  });
  it('reads a Bundle of bed Locations with their Encounters', () => {
    const rows = readOccupancy({
      resourceType: 'Bundle',
      entry: [
        { resource: { resourceType: 'Location', id: 'r1', name: 'Phòng 1', physicalType: { coding: [{ code: 'ro' }] } } },
        { resource: { resourceType: 'Location', id: 'b1', name: 'Giường 1', partOf: { reference: 'Location/r1' }, physicalType: { coding: [{ code: 'bd' }] }, operationalStatus: { code: 'O' } } },
        { resource: { resourceType: 'Location', id: 'b2', name: 'Giường 2', partOf: { reference: 'Location/r1' }, physicalType: { coding: [{ code: 'bd' }] }, operationalStatus: { code: 'U' } } },
        { resource: { resourceType: 'Encounter', id: 's1', status: 'in-progress', subject: { reference: 'Patient/p1', display: 'Lò Văn A' }, location: [{ location: { reference: 'Location/b1' }, status: 'active' }] } },
      ],
    } as never);
    assert.deepEqual(rows.map((r) => [r.bed, r.room, r.state, r.patientName]), [['Giường 1', 'Phòng 1', 'occupied', 'Lò Văn A'], ['Giường 2', 'Phòng 1', 'free', '']]);
  });
  it('sends ward and bed to $admit', () => {
    assert.deepEqual(admitParameters({ bed: 'b2', department: 'K03', reason: ' viêm phổi ' }), [
      { name: 'bed', valueReference: { reference: 'Location/b2' } },
      { name: 'department', valueString: 'K03' },
      { name: 'reason', valueString: 'viêm phổi' },
    ]);
  });
});

describe('medication administration record', () => {
  const mr: MedicationRequest = {
    resourceType: 'MedicationRequest',
    id: 'm1',
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: { text: 'Paracetamol 500 mg' },
    subject: { reference: 'Patient/p1' },
    dosageInstruction: [{ text: '1 viên x 3 lần', timing: { repeat: { frequency: 3, period: 1, periodUnit: 'd' } }, doseAndRate: [{ doseQuantity: { value: 1, unit: 'viên' } }] }],
  };
  it('schedules the day by times a day', () => {
    assert.deepEqual(scheduleTimes(1), ['08:00']);
    assert.deepEqual(scheduleTimes(3), ['08:00', '14:00', '20:00']);
    assert.deepEqual(scheduleTimes(6), ['02:00', '06:00', '10:00', '14:00', '18:00', '22:00']);
    assert.equal(perDayOf(mr), 3);
    assert.equal(perDayOf({ ...mr, dosageInstruction: [{ timing: { repeat: { frequency: 1, period: 8, periodUnit: 'h' } } }] }), 3);
  });
  it('fills the slots in order with what was given or held today', () => {
    const given = administrationOf(mr, { encounter: 'Encounter/s1', when: '2026-11-25T08:05:00+07:00', given: true, slot: '08:00', performer: 'ĐD Hà' });
    assert.equal(given.status, 'completed');
    assert.equal(given.request?.reference, 'MedicationRequest/m1');
    assert.equal(given.context?.reference, 'Encounter/s1');
    assert.equal(given.dosage?.dose?.value, 1);
    assert.equal(given.performer, undefined, 'the server names the Practitioner');
    assert.equal(given.note?.[0]?.authorString, 'ĐD Hà');
    const held = administrationOf(mr, { encounter: 'Encounter/s1', when: '2026-11-25T14:10:00+07:00', given: false, reason: 'nôn', slot: '14:00' });
    assert.equal(held.status, 'not-done');
    assert.equal(held.statusReason?.[0]?.text, 'nôn');
    const yesterday: MedicationAdministration = { ...given, effectiveDateTime: '2026-11-24T08:00:00+07:00' };
    const slots = doseSlots(mr, [held, given, yesterday], '2026-11-25');
    assert.deepEqual(slots.map((s) => [s.time, s.state]), [['08:00', 'given'], ['14:00', 'held'], ['20:00', 'due']]);
  });

  it('counts a dose recorded in UTC on the facility\u2019s day', () => {
    // given at 06:30 in Điện Biên, written as the browser's toISOString(): the day before in UTC
    const early = administrationOf(mr, { encounter: 'Encounter/s1', when: '2026-11-24T23:30:00.000Z', given: true, slot: '08:00' });
    assert.deepEqual(doseSlots(mr, [early], '2026-11-25').map((s) => s.state), ['given', 'due', 'due']);
    assert.deepEqual(doseSlots(mr, [early], '2026-11-24').map((s) => s.state), ['due', 'due', 'due']);
  });
});

describe('notes and discharge', () => {
  it('writes progress and nursing notes as ClinicalImpressions', () => {
    const c = noteImpression('progress', { progress: ' Hết sốt, ăn được ', orders: 'Tiếp tục kháng sinh' }, { patient: 'Patient/p1', encounter: 'Encounter/s1', date: '2026-11-25T09:00:00Z', author: 'BS An' });
    assert.equal(c.code?.coding?.[0]?.code, '11506-3');
    assert.equal(c.summary, 'Hết sốt, ăn được');
    assert.equal(c.note?.[0]?.text, 'Tiếp tục kháng sinh');
    assert.equal(c.encounter?.reference, 'Encounter/s1');
    assert.equal(c.assessor, undefined, 'the server names the Practitioner');
    assert.equal(c.note?.[0]?.authorString, 'BS An');
    assert.equal(noteKindOf(c), 'progress');
    const n = noteImpression('nursing', { care: 'Thay băng' }, { patient: '', encounter: '', date: '', author: '' });
    assert.equal(noteKindOf(n), 'nursing');
    assert.equal(n.summary, undefined);
    assert.throws(() => noteImpression('nursing', { care: '  ' }, { patient: '', encounter: '', date: '', author: '' }));
    assert.equal(narrativeText('<div xmlns="http://www.w3.org/1999/xhtml"><p>Hết sốt</p><p>Ăn được &lt;1/2 suất&gt;</p></div>'), 'Hết sốt\nĂn được <1/2 suất>');
  });

  it('sends the discharge form and reads its papers', () => {
    const p = dischargeParameters({ outcome: '1', type: '2', notes: ' Viêm phổi, điều trị kháng sinh 5 ngày ', treatment: '', advice: 'Tái khám sau 1 tuần', sickLeaveDays: '5', referralTo: 'Bệnh viện Bạch Mai' });
    assert.deepEqual(p, [
      { name: 'KET_QUA_DTRI', valueCode: '1' },
      { name: 'MA_LOAI_RV', valueCode: '2' },
      { name: 'notes', valueString: 'Viêm phổi, điều trị kháng sinh 5 ngày\nLời dặn: Tái khám sau 1 tuần' },
      { name: 'sickLeaveDays', valueInteger: 5 },
      { name: 'referral', valueString: 'Bệnh viện Bạch Mai' },
    ]);
    assert.equal(dischargeParameters({ outcome: '1', type: '1', notes: '', treatment: '', advice: '', sickLeaveDays: 'x', referralTo: 'x' }).length, 2);
    assert.deepEqual(dischargeParameters({ outcome: '1', type: '1', notes: '', treatment: '', advice: '', sickLeaveDays: '', referralTo: '' }, { main: 'J18.9', secondary: ['I10'] }).slice(2), [
      { name: 'diagnosis', valueCode: 'J18.9' },
      { name: 'secondary', valueCode: 'I10' },
    ]);
    const docs = dischargeDocuments(<Parameters>{
      resourceType: 'Parameters',
      parameter: [
        { name: 'encounter', resource: { resourceType: 'Encounter', status: 'finished' } as never },
        { name: 'recordSummary', valueReference: { reference: 'Composition/tt' } },
        { name: 'dischargePaper', valueReference: { reference: 'Composition/gr' } },
        { name: 'appointment', valueReference: { reference: 'Appointment/a1' } },
      ],
    });
    assert.deepEqual(docs, ['gr', 'tt']);
  });

});
