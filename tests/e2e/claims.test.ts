// End to end, the claims officer (issue 8): the demo province's claims flow to both simulated
// portals (tests/simulators/claims_portals.py) as soon as the server starts; the national
// portal refuses every one until it is reset; the officer's work list shows the facility's
// rejected claims with the portal's message, the
// preview shows the claim's tables with the official Vietnamese headings, and a resubmission
// after the portal recovers ends accepted.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fhirGet, newPage, repoRoot, startHarness, type Harness } from './harness';

const OFFICER = { name: 'giamdinh.e2e', password: 'Giamdinh-E2E-2025', role: 'claims-officer', display: 'Lường Văn Giám', facility: '11001' };
const REFUSALS = 500; // more national arrivals than the demo makes claims: all are refused

let h: Harness;
let portals: ChildProcess | undefined;
let national = '';

async function control(body: unknown): Promise<{ records: Record<string, unknown>; failures_left: string[] }> {
  const r = await fetch(`${national}/_control`, { method: body ? 'POST' : 'GET', body: body ? JSON.stringify(body) : undefined });
  assert.equal(r.status, 200);
  return (await r.json()) as { records: Record<string, unknown>; failures_left: string[] };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 500));
  }
}

describe('claims: work list, preview, resubmission', { timeout: 300_000 }, () => {
  before(async () => {
    // Port 0: the simulator binds free ports itself and prints them (no probe-then-bind race).
    portals = spawn('python3', [join(repoRoot, 'tests', 'simulators', 'claims_portals.py'), '--national-port', '0', '--provincial-port', '0', '--username', 'demo', '--password', 'demo'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let said = '';
    portals.stdout!.on('data', (d: Buffer) => (said += d.toString()));
    portals.stderr!.on('data', (d: Buffer) => (said += d.toString()));
    const urls = await until('the simulated portals', async () => {
      if (portals!.exitCode !== null) throw new Error(`the simulated portals exited (${portals!.exitCode}): ${said}`);
      return /national (http:\S+) provincial (http:\S+)/.exec(said) ?? undefined;
    }, 60_000);
    national = urls[1]!;
    const provincial = urls[2]!;
    await control({ inject: Array(REFUSALS).fill('reject') });
    Object.assign(process.env, {
      HEALTHBOOK_CLAIMS_NATIONAL_URL: national,
      HEALTHBOOK_CLAIMS_NATIONAL_USERNAME: 'demo',
      HEALTHBOOK_CLAIMS_NATIONAL_PASSWORD: 'demo',
      HEALTHBOOK_CLAIMS_PROVINCIAL_URL: provincial,
      HEALTHBOOK_CLAIMS_PROVINCIAL_USERNAME: 'demo',
      HEALTHBOOK_CLAIMS_PROVINCIAL_PASSWORD: 'demo',
    });
    h = await startHarness(30, { users: [OFFICER] });
  });
  after(async () => {
    await h?.stop();
    portals?.kill('SIGTERM');
  });

  it('shows rejected claims with the portal message, previews the tables and resubmits', async () => {
    // every claim queued at start reaches the national portal and is refused; then it recovers
    const count = async (status: string) =>
      (await fhirGet<{ total?: number }>(h, `Task?code=claim-submission&status=${status}&_summary=count`)).total ?? 0;
    await until('every claim answered', async () => ((await count('requested,in-progress')) === 0 && (await count('failed')) > 0 ? true : undefined));
    await control({ reset: true });
    const { context, page } = await newPage(h);
    try {
      await page.goto('/');
      await page.locator('#signin-user').fill(OFFICER.name);
      await page.locator('#signin-password').fill(OFFICER.password);
      await page.locator('#signin-password').press('Enter');
      // a claims officer lands on the work list, rejected claims first
      const list = page.getByTestId('claims-list');
      await list.waitFor({ timeout: 30_000 }).catch(async () => {
        throw new Error(`no work list: ${await page.getByTestId('claims-error').textContent().catch(() => '')}`);
      });
      const row = list.locator('tbody tr').first();
      const maLk = ((await row.locator('td').first().textContent()) ?? '').trim();
      assert.match(maLk, /^\d{5}_/);
      assert.match((await row.getByTestId('claim-message').textContent()) ?? '', /Lỗi hồ sơ/);
      assert.match((await page.getByTestId('claims-tab-failed').textContent()) ?? '', /Bị từ chối.*\(\d+\)/);

      // the preview: the tables with the official headings, valid
      await row.getByTestId('claim-preview').click();
      await page.getByTestId('table-XML1').waitFor({ timeout: 30_000 }).catch(async () => {
        throw new Error(`no preview: ${await page.getByTestId('preview-error').textContent().catch(() => '')}`);
      });
      await page.getByTestId('preview-valid').waitFor();
      const xml1 = page.getByTestId('table-XML1');
      assert.match((await xml1.locator('h2').textContent()) ?? '', /Tổng hợp khám bệnh, chữa bệnh/);
      const maLkRow = xml1.locator('tr', { has: page.locator('th', { hasText: /^MA_LK$/ }) });
      assert.match((await maLkRow.textContent()) ?? '', /Mã đợt điều trị/);
      assert.match((await maLkRow.textContent()) ?? '', new RegExp(maLk));
      assert.ok(await page.getByTestId('table-XML3').isVisible(), 'services are listed');
      assert.match((await page.getByTestId('table-XML3').textContent()) ?? '', /THANH_TIEN_BV/);

      // the portal is back: resubmit, and it is accepted
      assert.equal((await control(undefined)).records[maLk], undefined, 'the portal has not kept it');
      await page.goBack();
      await page.getByTestId(`claim-${maLk}`).getByTestId('claim-resubmit').first().click();
      await page.getByTestId('claims-note').filter({ hasText: maLk }).waitFor();
      await until('the resubmission accepted', async () => ((await control(undefined)).records[maLk] ? true : undefined));
      await page.getByTestId('claims-tab-completed').click();
      await page.getByTestId(`claim-${maLk}`).first().waitFor({ timeout: 30_000 });
      assert.match((await page.getByTestId(`claim-${maLk}`).first().getByTestId('claim-message').textContent()) ?? '', /[0-9a-f-]{8,}/);
    } finally {
      await context.close();
    }
  });
});
