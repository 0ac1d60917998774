import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatVnd, readAssign, readAssignments, readDayReport, readInvoice, readVietQr, roundDong, type Invoice } from './billing';
import { readClaimTask, readSubmit, shortHeading } from './claims';

const SID = 'https://fhir.healthbook.vn/sid/';
const comp = (type: string, code: string, value: number) => ({ type, code: { coding: [{ system: `${SID}price-component`, code }] }, amount: { value, currency: 'VND' } });

describe('invoices as the cashier reads them', () => {
  const inv: Invoice = {
    resourceType: 'Invoice',
    id: 'inv1',
    status: 'issued',
    identifier: [
      { system: `${SID}invoice-reference`, value: 'HB7K2M9QXA' },
      { system: `${SID}invoice-encounter`, value: 'enc1' },
    ],
    subject: { reference: 'Patient/p1' },
    extension: [
      { url: `${SID}extension/billing-paid`, valueMoney: { value: 20000, currency: 'VND' } },
      { url: `${SID}extension/billing-coverage`, valueReference: { reference: 'Coverage/c1', display: 'BHYT GD4…, mức hưởng 80% (1.1)' } },
    ],
    lineItem: [{ sequence: 1, chargeItemReference: { reference: 'ChargeItem/c1', display: 'KB Khám Nội' }, priceComponent: [comp('base', 'gross', 39800), comp('deduction', 'insurance', 31840), comp('informational', 'patient', 7960)] }],
    totalPriceComponent: [comp('base', 'gross', 14639.76), comp('deduction', 'insurance', 13907.77)],
    totalGross: { value: 14639.76 },
    totalNet: { value: 731.99 },
  };
  it('splits lines, totals, paid and the whole-đồng balance', () => {
    const v = readInvoice(inv);
    assert.equal(v.reference, 'HB7K2M9QXA');
    assert.equal(v.encounterId, 'enc1');
    assert.equal(v.patientId, 'p1');
    assert.deepEqual(v.lines[0], { code: 'KB', display: 'Khám Nội', gross: 39800, insurance: 31840, patient: 7960 });
    assert.equal(v.insurance, 13907.77);
    assert.equal(v.due, 732); // 731.99 collected as 732
    assert.equal(v.paid, 20000);
    assert.equal(v.balance, 732 - 20000); // a credit
    assert.match(v.coverage, /80%/);
    assert.deepEqual(v.encounterIds, ['enc1']);
    assert.equal(v.day, '');
  });
  it("reads a day's invoice: every visit billed on it and its date", () => {
    const day = readInvoice({
      ...inv,
      identifier: [...inv.identifier!, { system: `${SID}invoice-encounter`, value: 'enc2' }, { system: `${SID}invoice-day`, value: 'p1/2026-11-26' }],
    });
    assert.equal(day.encounterId, 'enc1');
    assert.deepEqual(day.encounterIds, ['enc1', 'enc2']);
    assert.equal(day.day, '2026-11-26');
  });
  it('reads a cancelled invoice: owes nothing, says why, who and when', () => {
    const v = readInvoice({
      ...inv,
      status: 'cancelled',
      cancelledReason: 'lập nhầm bệnh nhân',
      note: [{ authorString: 'thungan.bvdk (cashier)', time: '2026-11-26T10:00:00+07:00', text: 'Hủy hóa đơn / invoice cancelled: lập nhầm bệnh nhân' }],
    });
    assert.equal(v.status, 'cancelled');
    assert.equal(v.balance, 0);
    assert.equal(v.cancelledReason, 'lập nhầm bệnh nhân');
    assert.equal(v.cancelledBy, 'thungan.bvdk (cashier)');
    assert.equal(v.cancelledAt, '2026-11-26T10:00:00+07:00');
    assert.equal(readInvoice(inv).cancelledReason, '');
  });

  it("reads a transfer's assignment history, oldest first", () => {
    const ext = (parts: { url: string; valueReference?: { reference: string; display?: string }; valueString?: string; valueDateTime?: string }[]) => ({ extension: [{ url: `${SID}extension/payment-assignment`, extension: parts }] });
    const h = readAssignments({
      resourceType: 'PaymentReconciliation',
      detail: [
        {},
        ext([
          { url: 'to', valueReference: { reference: 'Invoice/a', display: 'HBAAAAAAAA' } },
          { url: 'by', valueString: 'tn (cashier)' },
          { url: 'reason', valueString: 'người nhà gọi điện' },
          { url: 'at', valueDateTime: '2026-11-26T09:00:00+07:00' },
        ]),
        ext([
          { url: 'from', valueReference: { reference: 'Invoice/a' } },
          { url: 'to', valueReference: { reference: 'Invoice/b', display: 'HBBBBBBBBB' } },
          { url: 'by', valueString: 'tn (cashier)' },
          { url: 'at', valueDateTime: '2026-11-26T09:30:00+07:00' },
        ]),
      ],
    });
    assert.equal(h.length, 2);
    assert.deepEqual(
      [h[0]!.from, h[0]!.to, h[0]!.toReference, h[0]!.reason],
      ['', 'a', 'HBAAAAAAAA', 'người nhà gọi điện'],
    );
    assert.deepEqual([h[1]!.from, h[1]!.fromReference, h[1]!.to, h[1]!.reason], ['a', '', 'b', '']);
  });

  it('reads $assign', () => {
    const r = readAssign({
      resourceType: 'Parameters',
      parameter: [
        { name: 'reconciliation', valueReference: { reference: 'PaymentReconciliation/r1' } },
        { name: 'outcome', valueCode: 'partial' },
        { name: 'unchanged', valueBoolean: false },
        { name: 'applied', valueDecimal: 35000 },
        { name: 'unapplied', valueDecimal: 15000 },
        { name: 'invoice', valueReference: { reference: 'Invoice/i9', display: 'HB1' } },
        { name: 'status', valueCode: 'balanced' },
        { name: 'balance', valueDecimal: -15000 },
      ],
    });
    assert.deepEqual(r, { outcome: 'partial', unchanged: false, applied: 35000, unapplied: 15000, invoice: 'i9', status: 'balanced', balance: -15000 });
  });
  it('rounds half away from zero as the server does', () => {
    assert.equal(roundDong(19.5), 20);
    assert.equal(roundDong(-19.5), -20);
    assert.equal(roundDong(19.49), 19);
  });
  it('formats đồng the Vietnamese way', () => {
    assert.equal(formatVnd(1234567), '1.234.567');
    assert.equal(formatVnd(-900), '-900');
    assert.equal(formatVnd(97.5), '97,5');
    assert.equal(formatVnd(731.99), '731,99');
    assert.equal(formatVnd(0), '0');
  });
  it('reads $vietqr and $day-report', () => {
    const qr = readVietQr({ resourceType: 'Parameters', parameter: [{ name: 'payload', valueString: '000201' }, { name: 'svg', valueString: '<svg/>' }, { name: 'amount', valueDecimal: 50000 }, { name: 'reference', valueString: 'HB1' }] });
    assert.deepEqual(qr, { payload: '000201', svg: '<svg/>', amount: 50000, reference: 'HB1' });
    const r = readDayReport({
      resourceType: 'Parameters',
      parameter: [
        { name: 'date', valueDate: '2026-11-26' },
        { name: 'balanced', valueBoolean: false },
        { name: 'method', part: [{ name: 'code', valueCode: 'cash' }, { name: 'expected', valueDecimal: 70000 }, { name: 'received', valueDecimal: 69000 }, { name: 'counted', valueBoolean: true }, { name: 'difference', valueDecimal: -1000 }, { name: 'applied', valueDecimal: 70000 }, { name: 'unapplied', valueDecimal: 0 }] },
        { name: 'item', part: [{ name: 'reconciliation', valueReference: { reference: 'PaymentReconciliation/r1' } }, { name: 'outcome', valueCode: 'error' }, { name: 'method', valueCode: 'vietqr' }, { name: 'amount', valueDecimal: 12345 }, { name: 'unapplied', valueDecimal: 12345 }, { name: 'disposition', valueString: 'unmatched' }] },
      ],
    });
    assert.equal(r.balanced, false);
    assert.deepEqual(r.methods[0], { code: 'cash', expected: 70000, received: 69000, counted: true, difference: -1000, applied: 70000, unapplied: 0 });
    assert.equal(r.items[0]!.reconciliation, 'r1');
    assert.equal(r.items[0]!.invoice, '');
    assert.equal(r.statement, undefined);
    const s = readDayReport({
      resourceType: 'Parameters',
      parameter: [{ name: 'statement', part: [{ name: 'total', valueDecimal: 162175 }, { name: 'matched', valueDecimal: 1 }, { name: 'not-recorded', valueString: 'FT9 12345' }] }],
    });
    assert.deepEqual(s.statement, { total: 162175, matched: 1, notRecorded: ['FT9 12345'], notOnStatement: [], amountDiffers: [] });
  });
});

describe('claims work list', () => {
  it('reads a claim Task', () => {
    const v = readClaimTask({
      resourceType: 'Task',
      id: 'claim-nat-e1',
      status: 'failed',
      businessStatus: { text: 'rejected' },
      statusReason: { text: 'Lỗi hồ sơ thứ 1: (Lỗi cấu trúc xml2 - SO_CCCD)' },
      focus: { reference: 'Encounter/e1' },
      for: { reference: 'Patient/p1' },
      lastModified: '2026-11-26T08:00:00+07:00',
      input: [{ type: { text: 'MA_LK' }, valueString: '11011_e1' }, { type: { text: 'portal' }, valueString: 'national' }, { type: { text: 'schema' }, valueString: '3176' }],
    });
    assert.equal(v.encounterId, 'e1');
    assert.equal(v.maLk, '11011_e1');
    assert.equal(v.portal, 'national');
    assert.equal(v.schema, '3176');
    assert.match(v.reason, /SO_CCCD/);
  });
  it('makes short headings of the official descriptions', () => {
    assert.equal(shortHeading('Là mã đợt điều trị duy nhất (dùng để liên kết …).'), 'Mã đợt điều trị duy nhất');
    assert.equal(shortHeading('Ghi họ và tên của người bệnh.'), 'Họ và tên của người bệnh');
    assert.equal(shortHeading(''), '');
    assert.ok(shortHeading('x'.repeat(200)).length <= 48);
  });
  it('reads $claim-submit results', () => {
    const r = readSubmit({ resourceType: 'Parameters', parameter: [{ name: 'result', part: [{ name: 'portal', valueString: 'national' }, { name: 'outcome', valueCode: 'requeued' }, { name: 'MA_LK', valueString: '11011_e1' }] }] });
    assert.deepEqual(r, [{ portal: 'national', outcome: 'requeued', maLk: '11011_e1', errors: [] }]);
  });
});
