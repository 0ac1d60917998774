// `make screenshots`: refreshes docs/screenshots/*.png of the main screens with the e2e
// harness (a fresh server with the demo province, Debian's chromium, headless): sign-in,
// reception after an insurance-card scan, the printed-ticket state, the queue display and
// the patient summary.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { bhytQrOf, cccdQrOf, demoUser, fhirGet, newPage, repoRoot, signIn, startHarness, type Harness } from './harness';

const out = join(repoRoot, 'docs', 'screenshots');

async function scan(page: Page, qr: string): Promise<boolean> {
  await page.getByTestId('scan-input').fill(qr);
  await page.getByTestId('scan-input').press('Enter');
  return page.getByTestId('start-visit').waitFor({ timeout: 10_000 }).then(
    () => true,
    () => false,
  );
}

async function startVisit(page: Page): Promise<boolean> {
  await page.getByTestId('start-visit').click();
  return page.getByTestId('ticket').waitFor({ timeout: 10_000 }).then(
    () => true,
    () => false,
  );
}

async function main(): Promise<void> {
  mkdirSync(out, { recursive: true });
  const shot = (page: Page, name: string) => page.screenshot({ path: join(out, `${name}.png`) });
  const h = await startHarness(200);
  const notes: string[] = [];
  try {
    const { context, page } = await newPage(h);
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.goto('/');
    await page.locator('#signin-user').waitFor();
    await shot(page, 'signin');

    await signIn(page);
    // A few visits first, so the queue has numbers.
    for (const id of ['pat-000003', 'pat-000004', 'pat-000005']) {
      if (!(await scan(page, cccdQrOf(await fhirGet(h, `Patient/${id}`))))) break;
      if (!(await startVisit(page))) break;
      await page.getByTestId('next-patient').click();
    }
    // An insurance card: the patient and the insurance check.
    let patient = await fhirGet(h, 'Patient/pat-000002');
    if (!(patient as { identifier?: { system?: string }[] }).identifier?.some((i) => i.system?.endsWith('/bhyt-card'))) {
      patient = await fhirGet(h, 'Patient/pat-000001');
    }
    if (await scan(page, bhytQrOf(patient))) {
      await page.waitForTimeout(300);
      await shot(page, 'reception');
      if (await startVisit(page)) await shot(page, 'reception-ticket');
      else notes.push('no ticket: $start-visit failed');
    } else {
      notes.push('the scan found nobody ($identify missing?): reception shows a search instead');
      await page.getByTestId('search-input').fill('pat-000002');
      await page.getByTestId('search-results').locator('button.result').first().click();
      await page.getByTestId('patient-banner').waitFor();
      await shot(page, 'reception');
    }

    await page.goto(`/patients/${(patient as { id: string }).id}`);
    await page.getByTestId('summary-encounters').waitFor();
    await page.waitForTimeout(500);
    await shot(page, 'patient-summary');

    // The waiting room: one number called.
    await page.goto('/queue?department=kham-noi');
    await page.getByTestId('call-next').click();
    await page.waitForTimeout(500);
    await shot(page, 'queue');
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.goto('/display/kham-noi');
    await page.getByTestId('queue-display').waitFor();
    await page.waitForTimeout(2500);
    await shot(page, 'queue-display');
    await context.close();
    await clinicalShots(h, shot, notes);
    console.log(`screenshots written to ${out}`);
    for (const n of notes) console.log(`note: ${n}`);
  } finally {
    await h.stop();
  }
}

/** The clinical screens (issue 7): the doctor's queue, a visit with a prescription warning, the chart, the bed board, the pharmacy. */
async function clinicalShots(h: Harness, shot: (page: Page, name: string) => Promise<Buffer>, notes: string[]): Promise<void> {
  const doctor = demoUser(h, 'bacsi.bvdk');
  if (!doctor) return void notes.push('no demo doctor: no clinical screenshots');
  const { context, page } = await newPage(h);
  try {
    await page.setViewportSize({ width: 1280, height: 900 });
    const signInAs = async (u: { name: string; password: string }) => {
      await page.goto('/');
      await page.locator('#signin-user').fill(u.name);
      await page.locator('#signin-password').fill(u.password);
      await page.locator('#signin-password').press('Enter');
      await page.getByTestId('who').waitFor();
    };
    await signInAs(doctor);
    await page.goto('/doctor?department=kham-noi');
    await page.getByTestId('doctor-call-next').waitFor();
    await page.waitForTimeout(500);
    await shot(page, 'doctor-queue');
    await page.getByTestId('doctor-call-next').click();
    if (!(await page.getByTestId('visit-page').waitFor({ timeout: 10_000 }).then(() => true, () => false))) return void notes.push('no visit opened: $call-next failed');
    const patientId = (await page.getByTestId('banner-id').textContent()) ?? '';
    await page.getByTestId('allergy-add').click();
    await page.getByTestId('allergy-substance').fill('Amoxicilin');
    await page.getByTestId('allergy-save').click();
    await page.getByTestId('allergy-item').filter({ hasText: 'Amoxicilin' }).waitFor();
    for (const [k, v] of Object.entries({ pulse: '96', systolic: '150', diastolic: '92', temperature: '38,6', respRate: '22', spo2: '95', weight: '58', height: '160' })) await page.getByTestId(`vital-${k}`).fill(v);
    await page.getByTestId('vitals-save').click();
    await page.getByTestId('vitals-saved').waitFor();
    await page.getByTestId('icd-search').getByRole('combobox').fill('viem phoi');
    const dx = page.getByTestId('icd-search').getByRole('option').filter({ hasText: /^J18\.9/ }).first();
    if (await dx.waitFor({ timeout: 10_000 }).then(() => true, () => false)) await dx.click();
    await page.getByTestId('drug-search').getByRole('combobox').fill('amoxi');
    const drug = page.getByTestId('drug-search').getByRole('option').filter({ hasText: 'Amoxicilin 500 mg' }).first();
    if (await drug.waitFor({ timeout: 10_000 }).then(() => true, () => false)) await drug.click();
    await page.getByTestId('rx-findings').waitFor({ timeout: 10_000 }).catch(() => notes.push('no prescription warning shown'));
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, 'visit');
    await page.getByTestId('visit-rx').scrollIntoViewIfNeeded();
    await shot(page, 'visit-prescription');
    await page.goto(`/patients/${patientId}/chart`);
    await page.getByTestId('chart-page').waitFor({ timeout: 10_000 });
    await page.waitForTimeout(500);
    await shot(page, 'chart');
    await page.goto('/inpatient');
    await page.getByTestId('bed-board').waitFor({ timeout: 10_000 }).catch(() => notes.push('no bed board'));
    await shot(page, 'inpatient-board');
    const pharmacist = demoUser(h, 'duocsi.bvdk');
    if (pharmacist) {
      await page.getByRole('button', { name: 'Đăng xuất' }).click();
      await signInAs(pharmacist);
      await page.goto('/pharmacy');
      await page.getByTestId('pharm-tab-stock').click();
      await page.getByTestId('stock').waitFor({ timeout: 10_000 }).catch(() => notes.push('no stock list'));
      await page.waitForTimeout(300);
      await shot(page, 'pharmacy-stock');
    } else notes.push('no demo pharmacist: no pharmacy screenshot');
  } finally {
    await context.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
