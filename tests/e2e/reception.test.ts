// End to end: a CCCD QR scanned at reception, through to a printed queue ticket, for a new
// patient and for a known one; the queue display shows the numbers. These follow the
// server contract of issue 6 (`POST /fhir/Patient/$identify`, `POST /fhir/Encounter/$start-visit`,
// `GET /fhir/Encounter/$queue`, `POST /fhir/Encounter/$call-next`).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cccdQrOf, clearOfFacilityMidnight, fhirGet, fold, type Harness, newPage, patientsWithCccd, printedCount, signIn, startHarness } from './harness';

// A fictitious person (../shared/reference/README.md §2) who is not in the demo province.
const NEW_CCCD = '011305001234';
const NEW_QR = `${NEW_CCCD}||QUÀNG THỊ B|02072005|Nữ|Xã Thanh Xương, Huyện Điện Biên, Điện Biên|10082021`;

let h: Harness;
const tickets: string[] = [];

describe('reception: scan to ticket', { timeout: 240_000 }, () => {
  before(async () => {
    await clearOfFacilityMidnight(120); // the suite's visits and queue are one day's
    h = await startHarness(200);
  });
  after(async () => {
    await h?.stop();
  });

  it('registers a new patient from a pasted CCCD QR and prints the ticket', async () => {
    assert.equal((await patientsWithCccd(h, NEW_CCCD)).length, 0, 'the card is not in the demo province');
    const { context, page } = await newPage(h);
    try {
      await signIn(page);
      await page.keyboard.press('F2');
      const scan = page.getByTestId('scan-input');
      assert.ok(await scan.evaluate((el) => el === document.activeElement), 'F2 focuses the scan box');
      await scan.fill(NEW_QR); // as a paste
      await scan.press('Enter');

      await page.getByTestId('identify-status').waitFor({ timeout: 30_000 }).catch(async () => {
        const why = await page.getByTestId('scan-error').textContent().catch(() => '');
        throw new Error(`no patient after the scan: ${why}`);
      });
      assert.match((await page.getByTestId('identify-status').textContent()) ?? '', /Người bệnh mới/);
      assert.equal(await page.getByTestId('banner-cccd').textContent(), NEW_CCCD);
      assert.equal(fold((await page.getByTestId('patient-banner').locator('h2').textContent()) ?? ''), 'quang thi b');

      // Enter on the focused "Bắt đầu khám" starts the visit
      assert.ok(await page.getByTestId('start-visit').evaluate((el) => el === document.activeElement));
      await page.keyboard.press('Enter');
      const ticket = page.getByTestId('ticket');
      await ticket.waitFor({ timeout: 30_000 }).catch(async () => {
        throw new Error(`no ticket: ${await page.getByTestId('visit-error').textContent().catch(() => '')}`);
      });
      const number = ((await page.getByTestId('ticket-number').textContent()) ?? '').trim();
      assert.ok(number.length > 0, 'the ticket has a queue number');
      tickets.push(number);
      assert.equal(fold((await page.getByTestId('ticket-patient').textContent()) ?? ''), 'quang thi b');
      assert.match((await page.getByTestId('ticket-facility').textContent()) ?? '', /\S/);
      assert.equal(await page.getByTestId('ticket-department').textContent(), 'Phòng khám Nội');
      assert.match((await page.getByTestId('ticket-time').textContent()) ?? '', /^\d{2}:\d{2} · \d{2}\/\d{2}\/\d{4}$/);
      await page.waitForFunction(() => (window as unknown as { __printed: number }).__printed > 0);
      assert.equal(await printedCount(page), 1, 'window.print() ran once');

      // printed, only the ticket shows, on one page of the roll
      assert.ok(!(await page.getByTestId('ticket-print').isVisible()), 'the print copy is not on screen');
      await page.emulateMedia({ media: 'print' });
      const printed = page.getByTestId('ticket-print');
      assert.ok(await printed.isVisible());
      assert.equal(await printed.locator('.ticket-number').textContent(), number);
      assert.ok(!(await ticket.isVisible()));
      assert.ok(!(await page.getByTestId('scan-input').isVisible()));
      assert.ok(!(await page.getByTestId('who').isVisible()));
      const pdf = (await page.pdf({ preferCSSPageSize: true })).toString('latin1');
      assert.equal(/\/Count (\d+)/.exec(pdf)?.[1], '1', 'one page');
      assert.match(pdf, /\/MediaBox \[0 0 226\.\d+|\/MediaBox \[0 0 227\.\d+/, '80 mm wide');
      await page.emulateMedia({ media: 'screen' });

      const stored = await patientsWithCccd(h, NEW_CCCD);
      assert.equal(stored.length, 1, 'one patient registered');
      const id = stored[0]!.id;

      // the same card again finds the same patient, registers nobody
      await page.getByTestId('next-patient').click();
      await scan.fill(NEW_QR);
      await scan.press('Enter');
      await page.getByText('Đã tìm thấy người bệnh trong hệ thống.').waitFor({ timeout: 30_000 });
      assert.equal(await page.getByTestId('banner-id').textContent(), id);
      assert.equal((await patientsWithCccd(h, NEW_CCCD)).length, 1);
    } finally {
      await context.close();
    }
  });

  it('finds a known patient from a typed (wedge) scan, keyboard only, and prints the ticket', async () => {
    const known = await fhirGet<{ id: string }>(h, 'Patient/pat-000001');
    const qr = cccdQrOf(known as never);
    const { context, page } = await newPage(h);
    try {
      await signIn(page);
      await page.keyboard.press('F2');
      await page.keyboard.type(qr); // a keyboard-wedge scanner types, then Enter
      await page.keyboard.press('Enter');
      await page.getByTestId('identify-status').waitFor({ timeout: 30_000 }).catch(async () => {
        throw new Error(`no patient after the scan: ${await page.getByTestId('scan-error').textContent().catch(() => '')}`);
      });
      assert.match((await page.getByTestId('identify-status').textContent()) ?? '', /Đã tìm thấy/);
      assert.equal(await page.getByTestId('banner-id').textContent(), 'pat-000001');
      await page.keyboard.press('Enter');
      await page.getByTestId('ticket').waitFor({ timeout: 30_000 }).catch(async () => {
        throw new Error(`no ticket: ${await page.getByTestId('visit-error').textContent().catch(() => '')}`);
      });
      const number = ((await page.getByTestId('ticket-number').textContent()) ?? '').trim();
      assert.ok(number && !tickets.includes(number), `a new number (${number}) after ${tickets.join(', ')}`);
      tickets.push(number);
      await page.waitForFunction(() => (window as unknown as { __printed: number }).__printed > 0);
      const cccd = (known as { identifier?: { system?: string; value?: string }[] }).identifier?.find((i) => i.system?.endsWith('/cccd'))?.value ?? '';
      assert.equal((await patientsWithCccd(h, cccd)).length, 1, 'nobody new registered');
    } finally {
      await context.close();
    }
  });

  it('keeps the first characters a scanner types right after F2', async () => {
    // A scanner starts typing right after F2. Nothing may select its first characters
    // after they arrived (the next one would replace them: a CCCD that lost its leading 0, as
    // when F2 asked for the box in a timer). Here the characters come before any timer runs.
    const { context, page } = await newPage(h);
    try {
      await signIn(page);
      const state = await page.evaluate(async () => {
        const box = document.querySelector<HTMLInputElement>('[data-testid="scan-input"]')!;
        window.dispatchEvent(new KeyboardEvent('keydown', { key: 'F2', bubbles: true, cancelable: true }));
        box.value = '01';
        box.dispatchEvent(new InputEvent('input', { bubbles: true, data: '01', inputType: 'insertText' }));
        box.setSelectionRange(2, 2);
        await new Promise((r) => setTimeout(r, 50)); // any timer has run
        return { focused: document.activeElement === box, value: box.value, start: box.selectionStart, end: box.selectionEnd };
      });
      assert.deepEqual(state, { focused: true, value: '01', start: 2, end: 2 }, 'the typed characters stay, unselected');
      // F2 with nothing typed since selects what is there, for the next scan
      const again = await page.evaluate(async () => {
        const box = document.querySelector<HTMLInputElement>('[data-testid="scan-input"]')!;
        window.dispatchEvent(new KeyboardEvent('keydown', { key: 'F2', bubbles: true, cancelable: true }));
        await new Promise((r) => setTimeout(r, 50));
        return { start: box.selectionStart, end: box.selectionEnd };
      });
      assert.deepEqual(again, { start: 0, end: 2 });
    } finally {
      await context.close();
    }
  });

  it('shows the server\u2019s reason when a card cannot be read', async () => {
    const { context, page } = await newPage(h);
    try {
      await signIn(page);
      await page.getByTestId('scan-input').fill('01109012345|LÒ VĂN A|15031990');
      await page.getByTestId('scan-input').press('Enter');
      const error = page.getByTestId('scan-error');
      await error.waitFor({ timeout: 30_000 });
      // a 400 OperationOutcome whose diagnostics name the fault (src/identity: 'CCCD QR: ...')
      assert.match((await error.textContent()) ?? '', /^Máy chủ báo lỗi: .*CCCD QR/);
    } finally {
      await context.close();
    }
  });

  it('shows the numbers on the queue display and calls the next one', async () => {
    assert.equal(tickets.length, 2, 'two tickets from the tests above');
    const { context, page } = await newPage(h);
    try {
      await signIn(page);
      await page.goto('/display/kham-noi');
      const next = page.getByTestId('display-next');
      await page.waitForFunction(
        (n) => (document.querySelector('[data-testid="display-next"]')?.textContent ?? '').includes(n),
        tickets[1]!,
        { timeout: 30_000 },
      );
      assert.match((await next.textContent()) ?? '', new RegExp(tickets[0]!));
      // the stream (GET /api/queue/stream, server-sent events) carries the changes
      await page.getByText('Cập nhật trực tiếp').waitFor({ timeout: 30_000 });
      const staff = await context.newPage();
      await staff.goto('/queue?department=kham-noi');
      await staff.getByTestId('call-next').click();
      await page.waitForFunction(
        (n) => document.querySelector('[data-testid="display-current"]')?.textContent === n,
        tickets[0]!,
        { timeout: 30_000 },
      );
    } finally {
      await context.close();
    }
  });
});
