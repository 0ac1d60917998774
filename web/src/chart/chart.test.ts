import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Observation } from '../api/clinical-types';
import { allergyResource, allergyText, isActiveAllergy } from './allergy';
import { labSeries, readChart, sparkline } from './chart';

const glucose = (id: string, date: string, value: number, flag = ''): Observation => ({
  resourceType: 'Observation',
  id,
  status: 'final',
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
  code: { coding: [{ system: 'http://loinc.org', code: '2345-7', display: 'Glucose' }], text: 'Glucose máu' },
  effectiveDateTime: date,
  valueQuantity: { value, unit: 'mmol/L' },
  referenceRange: [{ low: { value: 3.9 }, high: { value: 6.4 } }],
  ...(flag ? { interpretation: [{ coding: [{ code: flag }] }] } : {}),
});

describe('the chart', () => {
  it('groups lab results per LOINC code, oldest first', () => {
    const s = labSeries([
      glucose('g2', '2026-03-01', 7.8, 'H'),
      glucose('g1', '2026-01-01', 5.1),
      { ...glucose('x', '2026-02-01', 1), status: 'entered-in-error' },
      { ...glucose('h', '2026-02-01', 140), code: { coding: [{ system: 'http://loinc.org', code: '718-7' }], text: 'Hemoglobin' } },
    ]);
    assert.deepEqual(s.map((x) => [x.code, x.points.map((p) => p.value)]), [
      ['2345-7', [5.1, 7.8]],
      ['718-7', [140]],
    ]);
    assert.deepEqual([s[0]!.low, s[0]!.high, s[0]!.unit], [3.9, 6.4, 'mmol/L']);
  });
  it('draws a sparkline with the reference band and flags the points out of range', () => {
    const [s] = labSeries([glucose('g1', '2026-01-01', 5.1), glucose('g2', '2026-03-01', 7.8, 'H')]);
    const g = sparkline(s!, 160, 44);
    assert.equal(g.dots.length, 2);
    assert.equal(g.dots[0]!.x, 3);
    assert.equal(g.dots[1]!.x, 157);
    assert.ok(g.dots[1]!.y < g.dots[0]!.y, 'the higher value is drawn higher');
    assert.deepEqual(g.dots.map((d) => d.out), [false, true]);
    assert.match(g.path, /^M3,[\d.]+ L157,[\d.]+$/);
    assert.ok(g.band && g.band.y1 < g.band.y2);
    const one = sparkline({ ...s!, points: [s!.points[0]!] }, 160, 44);
    assert.equal(one.dots[0]!.x, 80);
  });
  it('reads the $chart answer whatever carries the resources', () => {
    const resources = [
      { resourceType: 'Encounter', id: 'e1', status: 'finished', period: { start: '2025-01-01' } },
      { resourceType: 'Encounter', id: 'e2', status: 'in-progress', period: { start: '2026-01-01' } },
      { resourceType: 'Condition', id: 'c1', code: { text: 'Viêm phổi' } },
      { resourceType: 'AllergyIntolerance', id: 'a1', code: { text: 'Amoxicilin' } },
      { resourceType: 'MedicationRequest', id: 'm1', status: 'active', intent: 'order' },
      { resourceType: 'Immunization', id: 'i1', status: 'completed' },
      { resourceType: 'ImagingStudy', id: 's1', status: 'available' },
      glucose('g1', '2026-01-01', 5.1),
    ];
    for (const answer of [
      { resourceType: 'Bundle', entry: resources.map((resource) => ({ resource })) },
      { resourceType: 'Parameters', parameter: [{ name: 'encounters', part: resources.slice(0, 2).map((resource) => ({ name: 'encounter', resource })) }, ...resources.slice(2).map((resource) => ({ name: 'item', resource }))] },
      { encounters: resources.slice(0, 2), problems: [resources[2]], allergies: [resources[3]], medications: [resources[4]], immunizations: [resources[5]], imaging: [resources[6]], observations: [resources[7]] },
    ]) {
      const c = readChart(answer);
      assert.deepEqual(c.encounters.map((e) => e.id), ['e2', 'e1'], 'newest first');
      assert.equal(c.problems.length, 1);
      assert.equal(c.allergies.length, 1);
      assert.equal(c.medications.length, 1);
      assert.equal(c.immunizations.length, 1);
      assert.equal(c.imaging.length, 1);
      assert.deepEqual(c.labs.map((l) => l.code), ['2345-7']);
    }
    const fromServer = readChart({
      resourceType: 'Parameters',
      parameter: [
        { name: 'encounter', resource: resources[0] },
        { name: 'labTrend', part: [{ name: 'code', valueCode: '2345-7' }, { name: 'display', valueString: 'Glucose' }, { name: 'unit', valueString: 'mmol/L' }, { name: 'point', part: [{ name: 'time', valueDateTime: '2026-02-01' }, { name: 'value', valueDecimal: 6.1 }] }, { name: 'point', part: [{ name: 'time', valueDateTime: '2026-01-01' }, { name: 'value', valueDecimal: 5 }] }] },
        { name: 'vitalTrend', part: [{ name: 'code', valueCode: '8867-4' }, { name: 'display', valueString: 'Mạch' }, { name: 'unit', valueString: '/min' }, { name: 'point', part: [{ name: 'time', valueDateTime: '2026-01-01' }, { name: 'value', valueDecimal: 80 }] }] },
        { name: 'withheld', valueInteger: 2 },
      ],
    } as never);
    assert.deepEqual(fromServer.labs.map((l) => [l.code, l.display, l.points.map((p) => p.value)]), [['2345-7', 'Glucose', [5, 6.1]]]);
    assert.deepEqual(fromServer.vitalTrends.map((l) => l.code), ['8867-4']);
    assert.equal(fromServer.withheld, 2);
    const grouped = readChart({ labTrends: [{ code: '2345-7', display: 'Glucose', unit: 'mmol/L', points: [{ date: '2026-02-01', value: 6 }, { date: '2026-01-01', value: 5 }] }] });
    assert.deepEqual(grouped.labs[0]!.points.map((p) => p.value), [5, 6]);
  });
});

describe('allergies', () => {
  it('records the substance as text (and ATC when picked) and reads what is active', () => {
    const a = allergyResource({ substance: ' Amoxicilin ', atc: 'J01CA04', category: 'medication', criticality: 'high', reaction: 'mày đay' }, 'Patient/p1', '2026-11-25');
    assert.equal(a.code?.text, 'Amoxicilin');
    assert.equal(a.code?.coding?.[0]?.code, 'J01CA04');
    assert.equal(a.patient?.reference, 'Patient/p1');
    assert.equal(a.reaction?.[0]?.manifestation[0]?.text, 'mày đay');
    assert.ok(isActiveAllergy(a));
    assert.equal(allergyText(a), 'Amoxicilin');
    assert.ok(!isActiveAllergy({ ...a, clinicalStatus: { coding: [{ code: 'resolved' }] } }));
    assert.ok(!isActiveAllergy({ ...a, verificationStatus: { coding: [{ code: 'entered-in-error' }] } }));
    assert.throws(() => allergyResource({ substance: ' ', category: 'food', criticality: 'low', reaction: '' }, 'Patient/p1', ''));
  });
});
