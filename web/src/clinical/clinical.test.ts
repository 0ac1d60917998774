import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { OVERRIDE_REASON_URL, readExpansion } from '../api/clinical';
import type { Condition } from '../api/clinical-types';
import type { Encounter } from '../api/fhir';
import { closeVisitParameters } from './close';
import { findRoute } from './codes';
import { addSecondary, conditionOf, encounterDiagnoses, readDiagnoses, removeDiagnosis, setMain, validationLines } from './diagnoses';
import { addPhrase, EXAM_SECTIONS, examObservation, readExam } from './exam';
import { categoryOf, formatVnd, guessCategory, serviceFromContains, serviceRequestOf, total } from './orders';
import { dosageText, drugFromMedication, findingsByLine, lineProblems, medicationRequestOf, needsOverride, newLine, quantityOf, readFindings, unitFromForm, type RxLine } from './prescription';
import { bmiClass, bmiOf, latestVitals, parseNumber, vitalFindings, vitalObservations } from './vitals';

const ctx = { patient: 'Patient/p1', encounter: 'Encounter/e1', effective: '2026-11-25T08:00:00+07:00' };

describe('vital signs', () => {
  it('reads Vietnamese and English decimals, refuses the rest', () => {
    assert.equal(parseNumber('37,5'), 37.5);
    assert.equal(parseNumber(' 120 '), 120);
    assert.equal(parseNumber('12a'), undefined);
    assert.equal(parseNumber(''), undefined);
  });
  it('computes BMI and its Asian class', () => {
    assert.equal(bmiOf(60, 165), 22);
    assert.equal(bmiOf(60, undefined), undefined);
    assert.equal(bmiClass(22), 'normal');
    assert.equal(bmiClass(23.5), 'over');
    assert.equal(bmiClass(25), 'obese');
    assert.equal(bmiClass(17), 'under');
  });
  it('flags ranges by age, criticals and implausible values', () => {
    const adult = vitalFindings({ pulse: '110', temperature: '39,2', spo2: '88', systolic: '185', diastolic: '95' }, 40);
    assert.deepEqual(
      adult.map((f) => [f.key, f.severity, f.reason]),
      [
        ['pulse', 'warn', 'high'],
        ['systolic', 'critical', 'high'],
        ['diastolic', 'warn', 'high'],
        ['temperature', 'warn', 'high'],
        ['spo2', 'critical', 'low'],
      ],
    );
    // 110/min is normal for a toddler
    assert.deepEqual(vitalFindings({ pulse: '110', respRate: '30' }, 2), []);
    assert.deepEqual(vitalFindings({ temperature: '375' }).map((f) => f.severity), ['invalid']);
    assert.deepEqual(vitalFindings({ systolic: '80', diastolic: '90' }).find((f) => f.key === 'bp')?.reason, 'order');
  });
  it('builds vital-signs Observations: BP as a panel, BMI computed', () => {
    const obs = vitalObservations({ pulse: '80', systolic: '120', diastolic: '80', weight: '60', height: '165', temperature: '37,4' }, ctx);
    const codes = obs.map((o) => o.code.coding?.[0]?.code);
    assert.deepEqual(codes, ['8867-4', '8310-5', '29463-7', '8302-2', '85354-9', '39156-5']);
    for (const o of obs) {
      assert.equal(o.category?.[0]?.coding?.[0]?.code, 'vital-signs');
      assert.equal(o.subject?.reference, 'Patient/p1');
      assert.equal(o.encounter?.reference, 'Encounter/e1');
    }
    const bp = obs.find((o) => o.code.coding?.[0]?.code === '85354-9')!;
    assert.equal(bp.valueQuantity, undefined);
    assert.deepEqual(bp.component?.map((c) => [c.code.coding?.[0]?.code, c.valueQuantity?.value, c.valueQuantity?.code]), [
      ['8480-6', 120, 'mm[Hg]'],
      ['8462-4', 80, 'mm[Hg]'],
    ]);
    assert.equal(obs.find((o) => o.code.coding?.[0]?.code === '8310-5')?.valueQuantity?.code, 'Cel');
    assert.equal(obs.find((o) => o.code.coding?.[0]?.code === '39156-5')?.valueQuantity?.value, 22);
    assert.throws(() => vitalObservations({ systolic: '120' }, ctx), /both/);
    assert.throws(() => vitalObservations({ pulse: '900' }, ctx), /implausible/);
    assert.deepEqual(latestVitals(obs), { pulse: '80', temperature: '37,4', weight: '60', height: '165', systolic: '120', diastolic: '80' });
  });
});

describe('history and examination', () => {
  it('adds a phrase once, on a new clause', () => {
    assert.equal(addPhrase('', 'Không phù'), 'Không phù');
    assert.equal(addPhrase('Tỉnh', 'Không phù'), 'Tỉnh; Không phù');
    assert.equal(addPhrase('Tỉnh; không phù', 'Không phù'), 'Tỉnh; không phù');
  });
  it('round-trips sections as narrative Observations', () => {
    const s = EXAM_SECTIONS.find((x) => x.key === 'complaint')!;
    const o = { ...examObservation(s, ' Sốt 3 ngày ', ctx), id: 'o1' };
    assert.equal(o.valueString, 'Sốt 3 ngày');
    assert.equal(o.code.coding?.[0]?.code, '10154-3');
    assert.deepEqual(readExam([o]), { values: { complaint: 'Sốt 3 ngày' }, ids: { complaint: 'o1' } });
  });
});

describe('diagnoses', () => {
  const j18 = { code: 'J18.9', display: 'Viêm phổi, không đặc hiệu', system: 'https://fhir.healthbook.vn/sid/icd-10-vn' };
  const i10 = { code: 'I10', display: 'Tăng huyết áp vô căn' };
  it('reads the ICD-10 expansion with English designations', () => {
    const hits = readExpansion({
      resourceType: 'ValueSet',
      expansion: { contains: [{ system: j18.system, code: 'J18.9', display: j18.display, designation: [{ language: 'en', value: 'Pneumonia, unspecified' }] }] },
    });
    assert.deepEqual(hits, [{ system: j18.system, code: 'J18.9', display: j18.display, english: 'Pneumonia, unspecified' }]);
  });
  it('keeps one main and distinct secondaries', () => {
    let s = setMain({ main: undefined, secondary: [] }, j18);
    s = addSecondary(s, i10);
    s = addSecondary(s, i10);
    s = addSecondary(s, j18);
    assert.deepEqual([s.main?.code, s.secondary.map((d) => d.code)], ['J18.9', ['I10']]);
    s = setMain(s, i10);
    assert.deepEqual([s.main?.code, s.secondary.map((d) => d.code)], ['I10', ['J18.9']]);
    s = removeDiagnosis(s, 'I10');
    assert.deepEqual([s.main?.code, s.secondary.length], ['J18.9', 0]);
  });
  it('writes encounter-diagnosis Conditions and ranks, and reads them back', () => {
    const c = conditionOf(j18, { patient: 'Patient/p1', encounter: 'Encounter/e1', recorded: '2026-11-25' });
    assert.equal(c.category?.[0]?.coding?.[0]?.code, 'encounter-diagnosis');
    assert.equal(c.code?.coding?.[0]?.system, j18.system);
    const ranks = encounterDiagnoses({ main: { ...j18, conditionId: 'c1' }, secondary: [{ ...i10, conditionId: 'c2' }] });
    assert.deepEqual(ranks.map((r) => [r.condition.reference, r.rank]), [['Condition/c1', 1], ['Condition/c2', 2]]);
    const enc = { resourceType: 'Encounter', status: 'in-progress', diagnosis: ranks } as Encounter;
    const conds: Condition[] = [
      { ...conditionOf(i10, { patient: 'Patient/p1', encounter: 'Encounter/e1', recorded: '' }), id: 'c2', code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-vn', code: 'I10', display: i10.display }] } },
      { ...c, id: 'c1' },
      { ...c, id: 'c3', verificationStatus: { coding: [{ code: 'entered-in-error' }] } },
    ];
    const unranked = readDiagnoses({ resourceType: 'Encounter', status: 'in-progress' }, [{ ...c, id: 'c1' }]);
    assert.equal(unranked.main?.code, 'J18.9', 'an encounter without ranks: the first is main');
    const back = readDiagnoses(enc, conds);
    assert.equal(back.main?.code, 'J18.9');
    assert.deepEqual(back.secondary.map((d) => d.code), ['I10']);
  });
  it('keeps the errors and warnings of $validate-diagnoses', () => {
    const lines = validationLines({
      resourceType: 'OperationOutcome',
      issue: [
        { severity: 'error', code: 'business-rule', diagnostics: 'G01* là mã dấu sao, không dùng làm chẩn đoán chính' },
        { severity: 'information', code: 'informational', diagnostics: 'ok' },
      ],
    });
    assert.deepEqual(lines, [{ severity: 'error', message: 'G01* là mã dấu sao, không dùng làm chẩn đoán chính' }]);
  });
});

describe('orders', () => {
  it('reads catalogue entries with price and category', () => {
    const s = serviceFromContains({
      system: 'https://fhir.healthbook.vn/sid/charge-code',
      code: 'XN-CTM',
      display: 'Tổng phân tích tế bào máu ngoại vi',
      extension: [
        { url: 'http://healthbook.vn/fhir/StructureDefinition/unit-price', valueMoney: { value: 46200, currency: 'VND' } } as never,
        { url: 'http://healthbook.vn/fhir/StructureDefinition/service-category', valueCode: 'lab' },
      ],
    });
    assert.deepEqual([s.code, s.price, s.category], ['XN-CTM', 46200, 'lab']);
    assert.equal(guessCategory('CDHA-XQNGUC'), 'imaging');
    assert.equal(guessCategory('KB', '13'), 'procedure');
    assert.equal(formatVnd(46200), '46.200 ₫');
    assert.equal(formatVnd(undefined), '—');
    assert.equal(total([{ price: 46200 }, { price: undefined }, { price: 65400 }]), 111600);
  });
  it('writes a ServiceRequest the server can price', () => {
    const r = serviceRequestOf({ system: 'https://fhir.healthbook.vn/sid/charge-code', code: 'CDHA-XQNGUC', display: 'Chụp Xquang ngực thẳng', price: 65400, category: 'imaging' }, { patient: 'Patient/p1', encounter: 'Encounter/e1', authoredOn: '2026-11-25T08:00:00Z', urgent: true, note: ' nghi viêm phổi ' });
    assert.equal(r.intent, 'order');
    assert.equal(r.priority, 'urgent');
    assert.equal(r.code?.coding?.[0]?.code, 'CDHA-XQNGUC');
    assert.equal(r.note?.[0]?.text, 'nghi viêm phổi');
    assert.equal(categoryOf(r), 'imaging');
  });
});

describe('prescriptions', () => {
  const med = {
    resourceType: 'Medication' as const,
    id: 'med-amox500',
    code: { coding: [{ system: 'https://fhir.healthbook.vn/sid/charge-code', code: 'T-AMOX500', display: 'Amoxicilin 500 mg' }, { system: 'http://www.whocc.no/atc', code: 'J01CA04' }], text: 'Amoxicilin 500 mg' },
    form: { text: 'Viên nang cứng' },
    ingredient: [{ itemCodeableConcept: { text: 'Amoxicilin' }, strength: { numerator: { value: 500, unit: 'mg' } } }],
    extension: [{ url: 'http://healthbook.vn/fhir/StructureDefinition/route', valueCoding: { code: '1.01', display: 'Uống' } }],
  };
  const line = (patch: Partial<RxLine> = {}): RxLine => ({ ...newLine(), drug: drugFromMedication(med), dose: '1', perDay: '3', days: '5', route: '1.01', ...patch });

  it('reads catalogue drugs', () => {
    const d = drugFromMedication(med);
    assert.deepEqual([d.code, d.unit, d.route?.code, d.ingredients], ['T-AMOX500', 'viên', '1.01', ['Amoxicilin 500 mg']]);
    assert.equal(unitFromForm('Thuốc bột pha hỗn dịch uống'), 'gói');
    assert.equal(findRoute('uống')?.code, '1.01');
  });
  it('checks lines and computes the quantity', () => {
    assert.deepEqual(lineProblems(line()), []);
    assert.deepEqual(lineProblems(line({ dose: '0', perDay: '2.5', days: '' })), ['dose', 'perDay', 'days']);
    assert.deepEqual(lineProblems({ ...line(), drug: undefined }), ['drug']);
    assert.equal(quantityOf(line()), 15);
    assert.equal(quantityOf(line({ dose: '0,5', perDay: '3', days: '3' })), 5);
    assert.equal(dosageText(line({ instruction: 'sau ăn' })), 'Uống 1 viên/lần × 3 lần/ngày, 5 ngày; sau ăn');
  });
  it('writes the MedicationRequest with the catalogue code, timing, quantity and override reason', () => {
    const mr = medicationRequestOf(line({ overrideReason: ' đã test da âm tính ' }), {
      patient: { reference: 'Patient/p1' },
      encounter: 'Encounter/e1',
      group: { system: 'https://fhir.healthbook.vn/sid/prescription', value: '11001-20261125-ABCDE' },
      authoredOn: '2026-11-25T08:00:00Z',
    });
    assert.equal(mr.medicationCodeableConcept?.coding?.[0]?.code, 'T-AMOX500');
    assert.deepEqual(mr.dosageInstruction?.[0]?.timing?.repeat, { frequency: 3, period: 1, periodUnit: 'd', boundsDuration: { value: 5, unit: 'ngày', system: 'http://unitsofmeasure.org', code: 'd' } });
    assert.equal(mr.dosageInstruction?.[0]?.doseAndRate?.[0]?.doseQuantity?.value, 1);
    assert.equal(mr.dosageInstruction?.[0]?.route?.coding?.[1]?.code, '26643006');
    assert.deepEqual(mr.dispenseRequest?.quantity, { value: 15, unit: 'viên' });
    assert.deepEqual(mr.extension, [{ url: OVERRIDE_REASON_URL, valueString: 'đã test da âm tính' }]);
    assert.equal(mr.groupIdentifier?.value, '11001-20261125-ABCDE');
    assert.equal(medicationRequestOf(line(), { patient: {}, encounter: 'Encounter/e1', group: { system: 's', value: 'v' }, authoredOn: '' }).extension, undefined);
  });
  it('reads $check findings and asks for a reason', () => {
    const findings = readFindings({
      resourceType: 'OperationOutcome',
      issue: [
        { severity: 'warning', code: 'business-rule', details: { coding: [{ code: 'allergy' }] }, diagnostics: 'Dị ứng: Amoxicilin' },
        { severity: 'warning', code: 'business-rule', details: { coding: [{ code: 'interaction' }] }, diagnostics: 'Tương tác' },
        { severity: 'information', code: 'informational', diagnostics: 'Không có cảnh báo' },
      ],
    });
    assert.deepEqual(findings.map((f) => f.kind), ['allergy', 'interaction']);
    // A record withheld by the patient's consent: its own kind, not the generic warning.
    const withheld = readFindings({
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'warning', code: 'business-rule', details: { coding: [{ code: 'withheld' }] }, diagnostics: 'Thuốc X xung đột với một hồ sơ ...' }],
    });
    assert.deepEqual(withheld.map((f) => f.kind), ['withheld']);
    assert.equal(needsOverride(withheld, ''), true, 'a withheld conflict needs a reason too');
    assert.equal(needsOverride(findings, ''), true);
    assert.equal(needsOverride(findings, 'ok'), true, 'two letters are not a reason');
    assert.equal(needsOverride(findings, 'đã hỏi kỹ, dùng trước đây không sao'), false);
    assert.equal(needsOverride([], ''), false);
  });
  it('gives each line the findings its expression names', () => {
    const per = findingsByLine(
      {
        resourceType: 'OperationOutcome',
        issue: [
          { severity: 'warning', details: { coding: [{ code: 'allergy' }] }, diagnostics: 'a', expression: ['Parameters.parameter[1].resource'] },
          { severity: 'warning', details: { coding: [{ code: 'duplicate-ingredient' }] }, diagnostics: 'd', expression: ['Parameters.parameter[0].resource'] },
          { severity: 'warning', details: { coding: [{ code: 'interaction' }] }, diagnostics: 'i' },
          { severity: 'information', diagnostics: 'none' },
        ],
      },
      2,
    );
    assert.deepEqual(per.map((l) => l.map((f) => f.kind)), [['duplicate-ingredient', 'interaction'], ['allergy', 'interaction']]);
  });
});

describe('closing a visit', () => {
  it('sends the outcome and what comes next', () => {
    const base = { outcome: '2', followUp: '2026-12-02', referralTo: '', referralReason: '', note: '' };
    assert.deepEqual(closeVisitParameters({ ...base, next: 'home' }), [{ name: 'outcome', valueCode: '2' }]);
    assert.deepEqual(closeVisitParameters({ ...base, next: 'follow-up' })[1], { name: 'followUp', valueDate: '2026-12-02' });
    const ref = closeVisitParameters({ ...base, next: 'referral', referralTo: ' Bệnh viện Bạch Mai ', referralReason: 'vượt khả năng', note: 'uống nhiều nước' });
    assert.deepEqual(ref.slice(1), [
      { name: 'referral', valueString: 'Bệnh viện Bạch Mai' },
      { name: 'referralReason', valueString: 'vượt khả năng' },
      { name: 'note', valueString: 'uống nhiều nước' },
    ]);
    assert.deepEqual(closeVisitParameters({ ...base, next: 'referral', referralTo: 'org-01001' })[1], { name: 'referral', valueReference: { reference: 'Organization/org-01001' } });
  });
});
