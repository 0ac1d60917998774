import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Parameters } from '../api/fhir';
import { readDispense } from './dispense';
import { receiveParameters } from './receive';
import { daysTo, drugCodeOf, expiryState, planFefo, readStock, sortFefo, type Batch } from './stock';
import { groupWaiting } from './waiting';
import { storesFirst } from './PharmacyPage';

const today = '2026-11-25';
const batches: Batch[] = [
  { id: 'b3', lot: 'L3', expiry: '2027-06-30', onHand: 100 },
  { id: 'b1', lot: 'L1', expiry: '2026-11-20', onHand: 50 },
  { id: 'b2', lot: 'L2', expiry: '2027-01-15', onHand: 10 },
];

describe('stock', () => {
  it('flags expiry', () => {
    assert.equal(daysTo('2027-01-15', today), 51);
    assert.equal(expiryState('2026-11-20', today), 'expired');
    assert.equal(expiryState('2026-11-25', today), 'near', 'usable on its last day');
    assert.equal(expiryState('2027-01-15', today), 'near');
    assert.equal(expiryState('2027-06-30', today), 'ok');
  });
  it('plans first expiry first out, never an expired batch', () => {
    assert.deepEqual(sortFefo(batches).map((b) => b.lot), ['L1', 'L2', 'L3']);
    const p = planFefo(batches, 25, today);
    assert.deepEqual(p.picks.map((x) => [x.batch.lot, x.quantity]), [['L2', 10], ['L3', 15]]);
    assert.equal(p.short, 0);
    assert.equal(planFefo(batches, 200, today).short, 90);
  });
  it('reads $stock Parameters', () => {
    const answer: Parameters = {
      resourceType: 'Parameters',
      parameter: [
        {
          name: 'item',
          part: [
            { name: 'drug', valueCode: 'T-PARA500' },
            { name: 'display', valueString: 'Paracetamol 500 mg' },
            { name: 'unit', valueString: 'viên' },
            { name: 'batch', part: [{ name: 'medication', valueReference: { reference: 'Medication/b9' } }, { name: 'lot', valueString: 'P2' }, { name: 'expiry', valueDate: '2027-05-01' }, { name: 'onHand', valueDecimal: 300 }, { name: 'expired', valueBoolean: false }] },
            { name: 'batch', part: [{ name: 'lot', valueString: 'P1' }, { name: 'expiry', valueDate: '2026-12-01' }, { name: 'quantity', valueInteger: 20 }] },
          ],
        },
      ],
    };
    const [item] = readStock(answer);
    assert.deepEqual([item!.code, item!.display, item!.unit, item!.onHand], ['T-PARA500', 'Paracetamol 500 mg', 'viên', 320]);
    assert.deepEqual(item!.batches.map((b) => [b.id, b.lot, b.onHand]), [['', 'P1', 20], ['b9', 'P2', 300]]);
    assert.equal(drugCodeOf({ medicationCodeableConcept: { coding: [{ system: 'http://www.whocc.no/atc', code: 'N02BE01' }, { system: 'https://fhir.healthbook.vn/sid/charge-code', code: 'T-PARA500' }] } }), 'T-PARA500');
  });
  it('reads what a dispense took', () => {
    const r = readDispense(<Parameters>{
      resourceType: 'Parameters',
      parameter: [
        { name: 'dispense', resource: { resourceType: 'MedicationDispense', id: 'd1', status: 'completed', medicationReference: { reference: 'Medication/b2', display: 'Paracetamol 500 mg lô L2' }, quantity: { value: 10 } } as never },
        { name: 'dispense', resource: { resourceType: 'MedicationDispense', id: 'd2', status: 'completed', medicationReference: { reference: 'Medication/b3', display: 'Paracetamol 500 mg lô L3' }, quantity: { value: 5 } } as never },
        { name: 'chargeItem', valueReference: { reference: 'ChargeItem/c1' } },
      ],
    });
    assert.equal(r.dispenses.length, 2);
    assert.deepEqual(r.batches.map((b) => [b.batchId, b.lot, b.quantity]), [['b2', 'L2', 10], ['b3', 'L3', 5]]);
  });
  it('groups waiting prescriptions with the patient names', () => {
    const w = groupWaiting([
      { resourceType: 'Patient', id: 'p1', name: [{ text: 'Lò Văn A' }] } as never,
      { resourceType: 'MedicationRequest', id: 'm2', status: 'active', intent: 'order', subject: { reference: 'Patient/p1' }, groupIdentifier: { value: 'G1' }, authoredOn: '2026-11-25T09:00:00Z' } as never,
      { resourceType: 'MedicationRequest', id: 'm1', status: 'active', intent: 'order', subject: { reference: 'Patient/p1' }, groupIdentifier: { value: 'G1' }, authoredOn: '2026-11-25T08:59:00Z' } as never,
      { resourceType: 'MedicationRequest', id: 'm3', status: 'active', intent: 'order', subject: { reference: 'Patient/p2', display: 'Quàng Thị B' }, authoredOn: '2026-11-25T07:00:00Z' } as never,
    ]);
    assert.deepEqual(w.map((g) => [g.group, g.patientName, g.lines.length]), [['MedicationRequest/m3', 'Quàng Thị B', 1], ['G1', 'Lò Văn A', 2]]);
    const coded = groupWaiting([
      { resourceType: 'MedicationRequest', id: 'a', status: 'active', intent: 'order', encounter: { reference: 'Encounter/e1' }, identifier: [{ system: 'http://healthbook.vn/fhir/sid/don-thuoc-quoc-gia', value: '11001ABCDEF-c' }] } as never,
      { resourceType: 'MedicationRequest', id: 'b', status: 'active', intent: 'order', encounter: { reference: 'Encounter/e1' }, identifier: [{ system: 'http://healthbook.vn/fhir/sid/don-thuoc-quoc-gia', value: '11001ABCDEF-c' }] } as never,
      { resourceType: 'MedicationRequest', id: 'c', status: 'active', intent: 'order', encounter: { reference: 'Encounter/e2' } } as never,
    ]);
    assert.deepEqual(coded.map((g) => [g.group, g.code, g.lines.length]), [['11001ABCDEF-c', '11001ABCDEF-c', 2], ['Encounter/e2', '', 1]]);
    assert.equal(w[1]!.authoredOn, '2026-11-25T08:59:00Z');
  });
  it('puts the drug store before the facility itself', () => {
    const ls = storesFirst([
      { resourceType: 'Location', id: 'loc-11001', name: 'Bệnh viện Đa khoa tỉnh Điện Biên' },
      { resourceType: 'Location', id: 'loc-11001-khoduoc', name: 'Kho dược - Bệnh viện Đa khoa tỉnh' },
    ]);
    assert.deepEqual(ls.map((l) => l.id), ['loc-11001-khoduoc', 'loc-11001']);
  });
  it('sends a receipt', () => {
    const p = receiveParameters({ drug: { id: 'm', display: 'Paracetamol 500 mg', ingredients: [], unit: 'viên', route: undefined, code: 'T-PARA500', codings: [] }, lot: ' A1 ', expiry: '2028-01-01', quantity: 500, supplier: '', location: 'kho-duoc' });
    assert.deepEqual(p.map((x) => x.name), ['location', 'drug', 'lot', 'expiry', 'quantity']);
    assert.equal(p[0]!.valueReference?.reference, 'Location/kho-duoc');
    assert.equal(p[1]!.valueCode, 'T-PARA500');
    assert.equal(p[2]!.valueString, 'A1');
  });
});
