// `make screenshots`: refreshes docs/screenshots/*.png of the main screens with the e2e
// harness (a fresh server with the demo province, Debian's chromium, headless): sign-in,
// reception after an insurance-card scan, the printed-ticket state, the queue display and
// the patient summary.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { bhytQrOf, cccdQrOf, fhirGet, newPage, repoRoot, signIn, startHarness } from './harness';

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
    console.log(`screenshots written to ${out}`);
    for (const n of notes) console.log(`note: ${n}`);
  } finally {
    await h.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
