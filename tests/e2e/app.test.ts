// End to end: the web application's screens that need only the FHIR core of the server:
// sign-in (and its refusals), the header, search without diacritics, the patient summary,
// manual registration (POST /fhir/Patient), the language switch, keyboard shortcuts, and
// the server's handling of client routes, assets and API paths.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fhirGet, fold, newPage, RECEPTIONIST, signIn, startHarness, type Harness } from './harness';

let h: Harness;

describe('web application', { timeout: 240_000 }, () => {
  before(async () => {
    h = await startHarness(200);
  });
  after(async () => {
    await h?.stop();
  });

  it('serves the app at client routes, hashed assets for a year, and 404 for API paths', async () => {
    const index = await fetch(`${h.baseUrl}/patients/pat-000001`);
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('cache-control'), 'no-cache');
    const html = await index.text();
    const asset = /\/assets\/index-[\w-]+\.js/.exec(html)?.[0];
    assert.ok(asset, 'index.html names its hashed entry script');
    const js = await fetch(`${h.baseUrl}${asset}`, { headers: { 'Accept-Encoding': 'gzip' } });
    assert.equal(js.status, 200);
    assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal((await fetch(`${h.baseUrl}/api/nothing-here`)).status, 404);
    assert.equal((await fetch(`${h.baseUrl}/assets/missing-123.js`)).status, 404);
    const config = (await (await fetch(`${h.baseUrl}/config.json`)).json()) as {
      identifier_base: string;
      utc_offset_minutes: number;
    };
    assert.equal(config.identifier_base, 'https://fhir.healthbook.vn/sid/');
    assert.equal(config.utc_offset_minutes, 420, 'the facility’s day and clock: Viet Nam, +07:00');
  });

  it('signs in, shows who, role and facility, and signs out', async () => {
    const { context, page } = await newPage(h);
    try {
      await page.goto('/reception');
      assert.equal(await page.locator('h1').textContent(), '+ Đăng nhập');
      await signIn(page);
      const who = (await page.getByTestId('who').textContent()) ?? '';
      assert.ok(who.includes(RECEPTIONIST.name) || who.includes(RECEPTIONIST.display), who); // the full name when the server gives it
      assert.match(who, /Lễ tân/);
      assert.match(who, /11001/);
      await page.waitForFunction(() => /Bệnh viện|Trung tâm|Trạm/.test(document.querySelector('[data-testid="who"]')?.textContent ?? ''));
      await page.getByRole('button', { name: 'Đăng xuất' }).click();
      await page.locator('#signin-user').waitFor();
      // the session is gone on the server too
      const r = await page.evaluate(async () => (await fetch('/fhir/Patient?_count=1')).status);
      assert.equal(r, 401);
    } finally {
      await context.close();
    }
  });

  it('says so on a wrong password, and after five, that the name is locked', async () => {
    const { context, page } = await newPage(h);
    try {
      await page.goto('/');
      for (let i = 0; i < 6; i++) {
        await page.locator('#signin-user').fill('khong.ton.tai');
        await page.locator('#signin-password').fill(`sai-mat-khau-${i}`);
        await page.locator('#signin-password').press('Enter');
        await page.getByTestId('signin-error').waitFor();
        const text = (await page.getByTestId('signin-error').textContent()) ?? '';
        if (i < 5) assert.equal(text, 'Tên đăng nhập hoặc mật khẩu không đúng.');
        else assert.match(text, /tạm bị khóa.*\d+ phút/);
        await page.waitForFunction((n) => !document.querySelector('button[type=submit]')?.hasAttribute('disabled'), i);
      }
    } finally {
      await context.close();
    }
  });

  it('finds a patient by name without diacritics, opens the banner and the summary', async () => {
    const known = await fhirGet<{ name: { text: string }[]; birthDate: string }>(h, 'Patient/pat-000001');
    const name = known.name[0]!.text;
    const { context, page } = await newPage(h);
    try {
      await signIn(page);
      await page.keyboard.press('F3');
      const query = `${fold(name)} ${known.birthDate.slice(0, 4)}`;
      await page.keyboard.type(query);
      // the answer to the whole text, not to a part typed before a pause
      const first = page.locator(`[data-testid="search-results"][data-query="${query}"]`).locator('button.result').first();
      await first.waitFor();
      assert.equal(fold((await first.locator('.result-name').textContent()) ?? ''), fold(name));
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('Enter');
      await page.getByTestId('patient-banner').waitFor();
      assert.equal(await page.getByTestId('banner-id').textContent(), 'pat-000001');
      await page.getByRole('link', { name: 'Xem tóm tắt hồ sơ' }).click();
      await page.getByTestId('summary-identifiers').waitFor();
      assert.match((await page.getByTestId('summary-identifiers').textContent()) ?? '', /Số CCCD/);
      assert.match((await page.getByTestId('summary-demographics').textContent()) ?? '', /Tỉnh Điện Biên/);
      await page.getByTestId('summary-encounters').waitFor();
      // a reload of the client route comes back to the same screen
      await page.reload();
      await page.getByTestId('summary-identifiers').waitFor();
      assert.equal(await page.getByTestId('banner-id').textContent(), 'pat-000001');
    } finally {
      await context.close();
    }
  });

  it('registers a patient by hand with the province/district/commune pickers', async () => {
    const { context, page } = await newPage(h);
    try {
      await signIn(page);
      await page.keyboard.press('F4');
      const form = page.getByTestId('registration-form');
      await form.waitFor();
      await page.locator('#reg-name').fill('Lò Văn Nhập Tay');
      await page.locator('#reg-birth').fill('15/03/1990');
      await page.getByLabel('Nam', { exact: true }).check();
      await page.locator('#reg-phone').fill('0912345678');
      await page.locator('#reg-bhyt').fill('GD4111234567890');
      await page.locator('#reg-bhytTo').fill('31/12/2099');
      assert.equal(await page.locator('#reg-province').inputValue(), '11'); // Điện Biên first
      await page.locator('#reg-district option[value="094"]').waitFor({ state: 'attached' });
      await page.locator('#reg-district').selectOption('094');
      await page.locator('#reg-commune').selectOption({ label: 'Phường Him Lam' });
      await page.locator('#reg-addressLine').fill('Tổ 5');
      await page.getByTestId('register-submit').click();
      await page.getByTestId('patient-banner').waitFor();
      const id = (await page.getByTestId('banner-id').textContent()) ?? '';
      const p = await fhirGet<{ name: { text: string }[]; address: { text: string; extension: { extension: { url: string; valueCoding: { code: string } }[] }[] }[]; identifier: { value: string }[] }>(
        h,
        `Patient/${id}`,
      );
      assert.equal(p.name[0]!.text, 'Lò Văn Nhập Tay');
      assert.equal(p.address[0]!.text, 'Tổ 5, Phường Him Lam, Thành phố Điện Biên Phủ, Tỉnh Điện Biên');
      assert.deepEqual(
        p.address[0]!.extension[0]!.extension.map((e) => [e.url, e.valueCoding.code]),
        [['province', '11'], ['district', '094'], ['commune', '03127']],
      );
      assert.equal(p.identifier[0]!.value, 'GD4111234567890');
    } finally {
      await context.close();
    }
  });

  it('refuses a form with faults, each beside its field', async () => {
    const { context, page } = await newPage(h);
    try {
      await signIn(page);
      await page.keyboard.press('F4');
      await page.locator('#reg-name').fill('Quàng Văn Lỗi');
      await page.locator('#reg-birth').fill('31/02/2000');
      await page.locator('#reg-cccd').fill('123');
      await page.getByTestId('register-submit').click();
      assert.equal(await page.locator('#reg-birthDate-error').textContent(), 'Ngày không hợp lệ (ngày/tháng/năm)');
      assert.equal(await page.locator('#reg-cccd-error').textContent(), 'Số CCCD gồm 12 chữ số');
    } finally {
      await context.close();
    }
  });

  it('switches to English and remembers it', async () => {
    const { context, page } = await newPage(h);
    try {
      await signIn(page);
      await page.getByRole('button', { name: 'EN' }).click();
      await page.getByRole('heading', { name: 'Scan CCCD/insurance card' }).waitFor();
      await page.reload();
      await page.getByRole('heading', { name: 'Find a patient' }).waitFor();
      assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
      await page.getByRole('button', { name: 'VI' }).click();
      await page.getByRole('heading', { name: 'Tìm người bệnh' }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('is usable from the keyboard: visible focus, shortcuts help, F2 from anywhere', async () => {
    const { context, page } = await newPage(h);
    try {
      await signIn(page);
      await page.keyboard.press('F1');
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      assert.match((await dialog.textContent()) ?? '', /F2/);
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      await page.getByRole('link', { name: 'Hàng đợi' }).click();
      await page.getByTestId('call-next').waitFor();
      await page.keyboard.press('F2');
      await page.getByTestId('scan-input').waitFor();
      await page.waitForFunction(() => document.activeElement?.id === 'scan-input');
      // the focus ring is drawn (outline on :focus-visible)
      await page.keyboard.press('Tab');
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
      assert.equal(outline, 'solid');
    } finally {
      await context.close();
    }
  });
});
