// End to end, the cashier (issue 9): an insured inpatient's invoice priced from the facility
// price list and split with BHYT, a deposit (tạm ứng) in cash, the VietQR shown at the desk
// and on the customer-facing display, the simulated bank's signed notification arriving live
// (no reload), the printed receipt, settlement at discharge after a late charge (balance by
// POS card), an overpayment refunded, and the end-of-day reconciliation balanced then short.
// Then a later outpatient visit billed on the day's invoice, and a bank transfer that named no
// invoice assigned by hand from the day report's work list to that invoice (its history shown
// on the payment row). Last, a visit billed on its own by mistake: the invoice cancelled with a
// reason, and the visit billed again on the day's invoice.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { newPage, startHarness, type Harness } from './harness';

const SID = 'https://fhir.healthbook.vn/sid/';
const SECRET = 'e2e-simbank-secret';
const CASHIER = { name: 'thungan.e2e', password: 'Thungan-E2E-2025', role: 'cashier', display: 'Quàng Thị Thu', facility: '11001' };

let h: Harness;

async function fhir<T>(method: string, path: string, body?: unknown): Promise<T> {
  const r = await fetch(`${h.baseUrl}/fhir/${path}`, {
    method,
    headers: { Authorization: `Bearer ${h.token}`, Accept: 'application/fhir+json', 'Content-Type': 'application/fhir+json', Prefer: 'return=representation' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${text}`);
  return JSON.parse(text) as T;
}

/** What the simulated bank sends: the JSON body signed with HMAC-SHA256 (tests/simulators/bank_sim.py). */
async function bankNotifies(amount: number, description: string, txn: string): Promise<{ outcome: string; duplicate: boolean }> {
  const body = JSON.stringify({ transaction_id: txn, amount, description, account: '0011001932418', bin: '970415', time: new Date().toISOString() });
  const r = await fetch(`${h.baseUrl}/payments/webhook/simbank`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Signature': createHmac('sha256', SECRET).update(body).digest('hex') },
    body,
  });
  assert.equal(r.status, 200, await r.clone().text());
  return (await r.json()) as { outcome: string; duplicate: boolean };
}

/** Signs the cashier in (they land on the desk) and opens the test patient's bills. */
async function openPatientAtTheDesk(page: Awaited<ReturnType<typeof newPage>>['page']): Promise<void> {
  await page.goto('/');
  await page.locator('#signin-user').fill(CASHIER.name);
  await page.locator('#signin-password').fill(CASHIER.password);
  await page.locator('#signin-password').press('Enter');
  await page.getByTestId('cashier-query').waitFor();
  await page.getByTestId('cashier-query').fill('Vì Thị Thanh Toán');
  await page.getByTestId('cashier-query').press('Enter');
  await page.getByTestId('cashier-patients').getByRole('button', { name: /Vì Thị Thanh Toán/ }).click();
}

const dong = (text: string | null) => Number((text ?? '').replace(/[^\d,-]/g, '').replace(',', '.'));

describe('cashier: invoice to paid receipt', { timeout: 300_000 }, () => {
  let patientId = '';
  let encounterId = '';
  let orgId = '';
  let dayVisit = '';

  /** An outpatient visit of the test patient today, with an ultrasound on request at `price`. */
  async function outpatientVisitWithUltrasound(price: number): Promise<{ id: string }> {
    const visit = await fhir<{ id: string }>('POST', 'Encounter', {
      resourceType: 'Encounter', status: 'in-progress', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'AMB' },
      subject: { reference: `Patient/${patientId}` }, serviceProvider: { reference: `Organization/${orgId}` }, period: { start: new Date().toISOString() },
    });
    await fhir('POST', 'ChargeItem', {
      resourceType: 'ChargeItem', status: 'billable', code: { coding: [{ system: `${SID}charge-code`, code: 'SA-YC' }] },
      subject: { reference: `Patient/${patientId}` }, context: { reference: `Encounter/${visit.id}` }, quantity: { value: 1 },
      priceOverride: { value: price, currency: 'VND' },
    });
    return visit;
  }

  before(async () => {
    process.env.HEALTHBOOK_PAYMENTS_BANK_BIN = '970415';
    process.env.HEALTHBOOK_PAYMENTS_BANK_ACCOUNT = '0011001932418';
    process.env.HEALTHBOOK_PAYMENTS_WEBHOOK_SECRETS = `simbank:${SECRET}`;
    h = await startHarness(20, { users: [CASHIER] });
    // An insured inpatient (card level 4) admitted today at the provincial hospital 11001.
    const orgs = await fhir<{ entry?: { resource: { id: string } }[] }>('GET', `Organization?identifier=${encodeURIComponent(`${SID}facility|11001`)}`);
    const org = orgs.entry?.[0]?.resource.id;
    assert.ok(org, 'the demo province has facility 11001');
    orgId = org;
    const p = await fhir<{ id: string }>('POST', 'Patient', { resourceType: 'Patient', name: [{ text: 'Vì Thị Thanh Toán' }], gender: 'female', birthDate: '1987-04-02' });
    patientId = p.id;
    await fhir('POST', 'Coverage', {
      resourceType: 'Coverage', status: 'active', identifier: [{ system: `${SID}bhyt-card`, value: 'HN4111234509876' }], subscriberId: 'HN4111234509876',
      beneficiary: { reference: `Patient/${patientId}` }, payor: [{ display: 'Bảo hiểm xã hội Việt Nam' }],
    });
    const e = await fhir<{ id: string }>('POST', 'Encounter', {
      resourceType: 'Encounter', status: 'in-progress', class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'IMP' },
      subject: { reference: `Patient/${patientId}` }, serviceProvider: { reference: `Organization/${org}` }, period: { start: new Date().toISOString() },
    });
    encounterId = e.id;
    const charge = (code: string, qty: number, price?: number) =>
      fhir('POST', 'ChargeItem', {
        resourceType: 'ChargeItem', status: 'billable', code: { coding: [{ system: `${SID}charge-code`, code }] },
        subject: { reference: `Patient/${patientId}` }, context: { reference: `Encounter/${encounterId}` }, quantity: { value: qty },
        ...(price ? { priceOverride: { value: price, currency: 'VND' } } : {}),
      });
    await charge('KB', 1); // 50 600 (the facility's own price)
    await charge('GIUONG-NOI', 2); // 2 x 223 300
    await charge('T-PARA500', 10); // 10 x 195
    await charge('SA-YC', 1, 150000); // outside the price list: the patient's
  });
  after(async () => {
    await h?.stop();
  });

  it('bills, takes a deposit, sees the transfer arrive live, prints, settles and reconciles', async () => {
    const { context, page } = await newPage(h);
    try {
      await openPatientAtTheDesk(page);
      await page.getByTestId(`bill-${encounterId}`).click();

      const panel = page.getByTestId('invoice-panel');
      await panel.waitFor({ timeout: 30_000 }).catch(async () => {
        throw new Error(`no invoice: ${await page.getByTestId('cashier-error').textContent().catch(() => '')}`);
      });
      // In scope 499 150 đồng, over 15 % of the base salary: BHYT pays 80 % of it.
      assert.equal(dong(await page.getByTestId('total-gross').textContent()), 649150);
      assert.equal(dong(await page.getByTestId('total-insurance').textContent()), 399320);
      assert.equal(dong(await page.getByTestId('total-patient').textContent()), 249830);
      assert.equal(await page.getByTestId('invoice-lines').locator('tbody tr').count(), 4);
      assert.equal(await page.getByTestId('invoice-status').textContent(), 'Chưa thanh toán đủ');

      // a deposit in cash
      await page.getByTestId('pay-amount').fill('100000');
      await page.getByTestId('pay-method').selectOption('cash');
      await page.getByTestId('deposit').click();
      await page.getByTestId('cashier-note').waitFor();
      assert.match((await page.getByTestId('cashier-note').textContent()) ?? '', /tạm ứng.*149\.830/);
      assert.equal(dong(await page.getByTestId('invoice-balance').textContent()), 149830);

      // the QR at the desk and on the customer-facing display
      await page.getByTestId('show-qr').click();
      await page.getByTestId('vietqr').locator('svg').waitFor();
      assert.match((await page.getByTestId('vietqr').textContent()) ?? '', /149\.830/);
      const inv = await fhir<{ id: string; identifier: { system: string; value: string }[] }>('GET', `Invoice?subject=Patient/${patientId}`).then(
        (b) => (b as unknown as { entry: { resource: { id: string; identifier: { system: string; value: string }[] } }[] }).entry[0]!.resource,
      );
      const reference = inv.identifier.find((i) => i.system.endsWith('invoice-reference'))!.value;
      const display = await context.newPage();
      await display.goto(`/cashier/display/${inv.id}`);
      await display.getByTestId('customer-amount').waitFor();
      assert.equal(dong(await display.getByTestId('customer-amount').textContent()), 149830);
      await page.getByTestId('invoice-live').filter({ hasText: /Trực tiếp/ }).waitFor();

      // the bank confirms the transfer (its text mangled as banks do): both screens change, no reload
      const n = await bankNotifies(149830, `VI THI THANH TOAN CK ${reference.slice(0, 4)}-${reference.slice(4)} vien phi`, 'FT26330E2E001');
      assert.equal(n.outcome, 'complete');
      await page.getByTestId('invoice-status').filter({ hasText: 'Đã thanh toán' }).waitFor({ timeout: 30_000 });
      await display.getByTestId('customer-paid').waitFor({ timeout: 30_000 });
      assert.equal(dong(await page.getByTestId('invoice-paid').textContent()), 249830);
      assert.equal((await bankNotifies(149830, reference, 'FT26330E2E001')).duplicate, true); // a replay counts once
      await display.close();

      // the receipt, printed from its frame
      await page.getByTestId('print-receipt').click();
      const frame = page.frameLocator('[data-testid=receipt-frame]');
      await frame.getByText('BIÊN LAI THU TIỀN').waitFor();
      assert.match((await frame.locator('body').textContent()) ?? '', /249\.830/);
      await page.getByRole('button', { name: 'Đóng' }).click();

      // discharge: a late charge, the settlement, the balance by POS card
      await fhir('POST', 'ChargeItem', {
        resourceType: 'ChargeItem', status: 'billable', code: { coding: [{ system: `${SID}charge-code`, code: 'XN-CTM' }] },
        subject: { reference: `Patient/${patientId}` }, context: { reference: `Encounter/${encounterId}` }, quantity: { value: 1 },
      });
      await page.getByTestId('settle').click();
      await page.getByTestId('invoice-status').filter({ hasText: 'Chưa thanh toán đủ' }).waitFor();
      assert.equal(dong(await page.getByTestId('invoice-balance').textContent()), 9240); // 20 % of 46 200
      await page.getByTestId('pay-amount').fill('10000');
      await page.getByTestId('pay-method').selectOption('pos-card');
      await page.getByTestId('pay-slip').fill('POS-000123');
      await page.getByTestId('pay').click();
      await page.getByTestId('refund').waitFor(); // 760 đồng overpaid: owed back
      assert.equal(dong(await page.getByTestId('invoice-balance').textContent()), 760);
      await page.getByTestId('pay-method').selectOption('cash');
      await page.getByTestId('refund').click();
      await page.getByTestId('cashier-note').filter({ hasText: /Đã hoàn trả 760/ }).waitFor();
      assert.equal(dong(await page.getByTestId('invoice-balance').textContent()), 0);
      assert.equal(await page.getByTestId('invoice-status').textContent(), 'Đã thanh toán');

      // end of day: cash 100 000 - 760 recorded; counted right, then short
      await page.getByTestId('tab-report').click();
      await page.getByTestId('report-balanced').waitFor(); // the day's report is in
      assert.equal(dong(await page.getByTestId('expected-cash').textContent()), 99240);
      assert.equal(dong(await page.getByTestId('expected-vietqr').textContent()), 149830);
      assert.equal(dong(await page.getByTestId('expected-pos-card').textContent()), 10000);
      await page.getByTestId('counted-cash').fill('99240');
      await page.getByTestId('reconcile').click();
      await page.getByTestId('report-balanced').filter({ hasText: /^Khớp/ }).waitFor();
      await page.getByTestId('counted-cash').fill('98240');
      await page.getByTestId('reconcile').click();
      await page.getByTestId('report-balanced').filter({ hasText: /Không khớp/ }).waitFor();
      assert.equal(dong(await page.getByTestId('difference-cash').textContent()), -1000);

      // the bank statement of the day, transfer by transfer
      await page.getByTestId('counted-cash').fill('99240');
      const statement = (extra: string) => ({
        name: 'saoke.csv',
        mimeType: 'text/csv',
        buffer: Buffer.from(`Ngày giao dịch;Số tham chiếu;Ghi nợ;Ghi có;Nội dung\r\n26/11/2026;FT26330E2E001;;149.830;VI THI THANH TOAN CK\r\n${extra}`),
      });
      await page.getByTestId('statement-file').setInputFiles(statement(''));
      await page.getByTestId('reconcile').click();
      await page.getByTestId('statement-result').filter({ hasText: /1 giao dịch khớp/ }).waitFor();
      await page.getByTestId('report-balanced').filter({ hasText: /^Khớp/ }).waitFor();
      await page.getByTestId('statement-file').setInputFiles(statement('26/11/2026;FT26330XYZ;;500.000;KHONG RO\r\n'));
      await page.getByTestId('reconcile').click();
      await page.getByTestId('statement-notRecorded').filter({ hasText: 'FT26330XYZ 500000' }).waitFor();
      await page.getByTestId('report-balanced').filter({ hasText: /Không khớp/ }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('bills the day\'s visit and assigns an unmatched transfer from the work list', async () => {
    // A check-up later the same day (outpatient), with an ultrasound the patient pays.
    const visit = await outpatientVisitWithUltrasound(50000);
    dayVisit = visit.id;
    const { context, page } = await newPage(h);
    try {
      await openPatientAtTheDesk(page);
      await page.getByTestId('invoice-per').selectOption('day');
      await page.getByTestId(`bill-${visit.id}`).click();
      await page.getByTestId('invoice-day').filter({ hasText: /Hóa đơn ngày .* 1 lần khám/ }).waitFor({ timeout: 30_000 });
      assert.equal(dong(await page.getByTestId('invoice-balance').textContent()), 50000);

      // The patient's relative transfers without the invoice code: the bank cannot match it.
      const lost = await bankNotifies(50000, 'VI THI THANH TOAN chuyen tien kham benh', 'FT26330E2E777');
      assert.equal(lost.outcome, 'error');
      await page.getByTestId('tab-report').click();
      await page.getByTestId('report-items').filter({ hasText: /unmatched/ }).waitFor();
      const recs = await fhir<{ entry?: { resource: { id: string } }[] }>('GET', `PaymentReconciliation?identifier=${encodeURIComponent(`${SID}bank-transaction|simbank:FT26330E2E777`)}`);
      const rec = recs.entry?.[0]?.resource.id ?? '';
      assert.ok(rec);
      await page.getByTestId(`assign-${rec}`).click();
      await page.getByTestId('assign-query').fill('Vì Thị Thanh Toán');
      await page.getByTestId('assign-query').press('Enter');
      await page.getByTestId('assign-patients').getByRole('button', { name: /Vì Thị Thanh Toán/ }).click();
      await page.getByTestId('assign-invoices').locator('input[type=radio]:checked').waitFor(); // the one open invoice
      assert.equal(await page.getByTestId('assign-invoices').locator('input[type=radio]').count(), 1);
      await page.getByTestId('assign-reason').fill('Người nhà gọi điện xác nhận');
      await page.getByTestId('assign-confirm').click();
      await page.getByTestId('assign-note').filter({ hasText: /Đã gán vào hóa đơn HB.*Còn phải nộp: 0 đ/ }).waitFor({ timeout: 30_000 });
      await page.getByTestId(`item-${rec}`).waitFor({ state: 'detached' }); // off the work list
      assert.equal(dong(await page.getByTestId('expected-vietqr').textContent()), 149830 + 50000);

      // The day's invoice is paid, the transfer listed on it, the assignment recorded.
      const invoices = await fhir<{ entry: { resource: { id: string; status: string; identifier: { system: string; value: string }[] } }[] }>('GET', `Invoice?subject=Patient/${patientId}`);
      const day = invoices.entry.map((e) => e.resource).find((i) => i.identifier.some((x) => x.system.endsWith('invoice-day')))!;
      assert.equal(day.status, 'balanced');
      const stored = await fhir<{ outcome: string; detail: { request?: { reference: string } }[] }>('GET', `PaymentReconciliation/${rec}`);
      assert.equal(stored.outcome, 'complete');
      assert.equal(stored.detail[0]!.request?.reference, `Invoice/${day.id}`);
      assert.equal(stored.detail.length, 2);
    } finally {
      await context.close();
    }
  });

  it('cancels an invoice made by mistake and bills its visit on the day\'s invoice', async () => {
    const visit = await outpatientVisitWithUltrasound(30000);
    const { context, page } = await newPage(h);
    try {
      await openPatientAtTheDesk(page);
      // The transfer assigned by hand shows how it came to the day's invoice.
      await page.getByTestId(`visit-${dayVisit}`).getByRole('button', { name: /HB/ }).click();
      await page.locator('[data-testid^=history-]').filter({ hasText: /gán vào hóa đơn HB.*lý do: Người nhà gọi điện xác nhận/ }).waitFor();
      await page.getByTestId('cancel-invoice').click(); // money on it: refund or move it first
      await page.getByTestId('cancel-refused').filter({ hasText: /hoàn trả hoặc chuyển/ }).waitFor();
      assert.equal(await page.getByTestId('cancel-reason').count(), 0);

      // Billed on its own by mistake, then cancelled with a reason.
      await page.getByTestId('invoice-per').selectOption('encounter');
      await page.getByTestId(`bill-${visit.id}`).click();
      await page.getByTestId('invoice-balance').filter({ hasText: /^30\.000/ }).waitFor({ timeout: 30_000 });
      await page.getByTestId('cancel-invoice').click();
      assert.equal(await page.getByTestId('cancel-confirm').isDisabled(), true, 'a reason is required');
      await page.getByTestId('cancel-reason').fill('Lập riêng nhầm, gộp vào hóa đơn ngày');
      await page.getByTestId('cancel-confirm').click();
      await page.getByTestId('invoice-cancelled').filter({ hasText: /Đã hủy: Lập riêng nhầm, gộp vào hóa đơn ngày · .*thungan\.e2e.*\(cashier\)/ }).waitFor({ timeout: 30_000 });
      await page.getByTestId('cashier-note').filter({ hasText: /Đã hủy hóa đơn HB/ }).waitFor();
      await page.getByTestId(`bill-${visit.id}`).filter({ hasText: 'Lập hóa đơn' }).waitFor();

      // Billed again, now on the day's invoice (which reopens for this visit only).
      await page.getByTestId('invoice-per').selectOption('day');
      await page.getByTestId(`bill-${visit.id}`).click();
      await page.getByTestId('invoice-day').filter({ hasText: /2 lần khám/ }).waitFor({ timeout: 30_000 });
      assert.equal(dong(await page.getByTestId('invoice-balance').textContent()), 30000);
      const invoices = await fhir<{ entry: { resource: { status: string; cancelledReason?: string } }[] }>('GET', `Invoice?subject=Patient/${patientId}`);
      assert.deepEqual(
        invoices.entry.filter((e) => e.resource.status === 'cancelled').map((e) => e.resource.cancelledReason),
        ['Lập riêng nhầm, gộp vào hóa đơn ngày'],
      );
    } finally {
      await context.close();
    }
  });
});
