import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DiagnosticReport, Observation } from '../api/lab';
import { cumulativeTable, flagOf, isAbnormal, rangeText, sparkline, testName, trendOf, valueText } from './lab-view';

const V3 = 'http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation';

function obs(id: string, value: number, flag = '', code = 'GLU'): Observation {
  return {
    resourceType: 'Observation',
    id,
    status: 'final',
    code: { coding: [{ system: 'https://fhir.healthbook.vn/sid/lab-code/11001', code, display: 'Glucose máu' }, { system: 'http://loinc.org', code: '2345-7', display: 'Glucose [Mass/volume] in Serum or Plasma' }] },
    valueQuantity: { value, unit: 'mmol/L' },
    referenceRange: [{ low: { value: 3.9 }, high: { value: 6.4 } }],
    ...(flag ? { interpretation: [{ coding: [{ system: V3, code: flag }] }] } : {}),
  };
}

function report(id: string, time: string, results: string[]): DiagnosticReport {
  return { resourceType: 'DiagnosticReport', id, status: 'final', code: { text: 'Sinh hóa' }, effectiveDateTime: time, result: results.map((r) => ({ reference: `Observation/${r}` })) };
}

describe('lab view', () => {
  it('reads values, ranges and flags as the lab printed them', () => {
    assert.equal(valueText(obs('a', 7.8, 'H')), '7,8');
    assert.equal(rangeText(obs('a', 7.8).referenceRange), '3,9–6,4');
    assert.equal(rangeText([{ low: { value: 90 }, text: '>=90' }]), '>=90');
    assert.equal(flagOf(obs('a', 7.8, 'H')), 'high');
    assert.equal(flagOf(obs('a', 30, 'HH')), 'critical-high');
    assert.equal(flagOf(obs('a', 5, 'N')), 'normal');
    assert.ok(isAbnormal(flagOf(obs('a', 2, 'L'))));
    assert.ok(!isAbnormal(flagOf(obs('a', 5, 'N'))));
    assert.equal(testName(obs('a', 5)), 'Glucose máu', 'the local name the lab uses');
    const sn: Observation = { resourceType: 'Observation', status: 'final', code: { text: 'eGFR' }, valueQuantity: { value: 90, comparator: '>' } };
    assert.equal(valueText(sn), '>90');
  });

  it('builds the cumulative table oldest first and the trend of a test', () => {
    const observations = new Map<string, Observation>([
      ['Observation/o1', obs('o1', 7.8, 'H')],
      ['Observation/o2', obs('o2', 5.1, 'N')],
      ['Observation/o3', { ...obs('o3', 101, 'L', 'HGB'), code: { coding: [{ system: 'x', code: 'HGB', display: 'Huyết sắc tố' }] } }],
    ]);
    const t = cumulativeTable([report('r2', '2024-03-16T08:00:00+07:00', ['o2']), report('r1', '2024-03-15T08:00:00+07:00', ['o1', 'o3'])], observations);
    assert.deepEqual(t.columns, ['2024-03-15T08:00:00+07:00', '2024-03-16T08:00:00+07:00']);
    const glu = t.rows.find((r) => r.name === 'Glucose máu')!;
    assert.deepEqual(glu.cells.map((c) => c?.id), ['o1', 'o2']);
    const hgb = t.rows.find((r) => r.name === 'Huyết sắc tố')!;
    assert.deepEqual(hgb.cells.map((c) => c?.id), ['o3', undefined]);
    const trend = trendOf(t, glu);
    assert.deepEqual(trend.map((p) => p.value), [7.8, 5.1]);
    const pts = sparkline(trend, 100, 20);
    assert.deepEqual(pts, [{ x: 2, y: 2 }, { x: 98, y: 18 }], 'the higher value is drawn higher');
  });
});
