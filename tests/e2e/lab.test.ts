// End to end (issue 10): laboratory results sent over MLLP by the LIS appear in the patient's
// lab screen (abnormal flags highlighted, reference ranges, the report's status, a corrected
// result with its earlier version); a result for an unknown patient lands on a provisional
// record in the reconciliation work list, and linking it to the real patient moves the
// results there ($merge).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { fhirGet, fold, newPage, startHarness, type Harness, type PatientLike } from './harness';

const FACILITY = '11001';
const DOCTOR = { name: 'bs.xetnghiem.e2e', password: 'Bacsi-XN-E2E-2025', role: 'doctor' };
const ADMIN = { name: 'qt.doichieu.e2e', password: 'Quantri-DC-E2E-2025', role: 'facility-admin' };
const UNKNOWN_CCCD = '011399001122';

let h: Harness;
let mllpPort = 0;
let known: PatientLike;

/** Sends one HL7 v2 message in an MLLP frame and returns MSA-1 of the ACK. */
function sendMllp(message: string): Promise<string> {
  return new Promise((ok, fail) => {
    const sock = createConnection({ host: '127.0.0.1', port: mllpPort });
    let buf = Buffer.alloc(0);
    sock.setTimeout(20_000, () => sock.destroy(new Error('no ACK within 20 s')));
    sock.on('error', fail);
    sock.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      const end = buf.indexOf(0x1c);
      if (end < 0) return;
      const ack = buf.subarray(1, end).toString('utf8');
      sock.end();
      const msa = ack.split('\r').find((s) => s.startsWith('MSA|')) ?? '';
      ok(msa.split('|')[1] ?? ack);
    });
    sock.on('connect', () => sock.write(Buffer.concat([Buffer.from([0x0b]), Buffer.from(message, 'utf8'), Buffer.from([0x1c, 0x0d])])));
  });
}

function oru(control: string, filler: string, cccd: string, name: string, obx: string[]): string {
  return [
    `MSH|^~\\&|COBAS6000|KHOA_XN^11001.XN^L|HEALTHBOOK|BVDK_DIENBIEN^11001^L|20240315093012+0700||ORU^R01^ORU_R01|${control}|P|2.5.1|||AL|NE|VNM|UNICODE UTF-8`,
    `PID|1||${cccd}^^^BCA^NI||${name}||19890412|F`,
    `OBR|1|ORD-${filler}^HIS|${filler}^LIS|CHEM^Sinh hóa máu^L|||20240315071500+0700||||||||||||||20240315093000+0700||CH|F`,
    ...obx,
  ].join('\r') + '\r';
}

const GLU = (value: string, flag: string, status = 'F') => `OBX|1|NM|GLU^Glucose máu^L||${value}|mmol/L^mmol/L^UCUM|3.9-6.4|${flag}|||${status}|||20240315091512+0700`;
const HGB = 'OBX|2|NM|HGB^Huyết sắc tố^L||131|g/L|120-160|N|||F';

function addUser(u: { name: string; password: string; role: string }, display: string): void {
  const pw = join(h.dataDir, `${u.name}-password`);
  writeFileSync(pw, u.password, { mode: 0o600 });
  const r = spawnSync(h.binary, ['user', 'add', '--data', h.dataDir, '--name', u.name, '--role', u.role, '--facility', FACILITY, '--display', display, '--password-file', pw], { encoding: 'utf8' });
  assert.equal(r.status, 0, `user add ${u.name}: ${r.stderr}${r.stdout}`);
}

async function signInAs(page: Page, u: { name: string; password: string }): Promise<void> {
  await page.goto('/');
  await page.locator('#signin-user').fill(u.name);
  await page.locator('#signin-password').fill(u.password);
  await page.locator('#signin-password').press('Enter');
  await page.getByTestId('who').waitFor();
}

describe('laboratory results and reconciliation', { timeout: 300_000 }, () => {
  before(async () => {
    process.env.HEALTHBOOK_LIS_FACILITY = FACILITY;
    h = await startHarness(50, { serveArgs: ['--mllp', '127.0.0.1:0'] }); // a free port, bound by the listener
    assert.ok(h.mllpPort, 'the server says where its MLLP listener is');
    mllpPort = h.mllpPort;
    addUser(DOCTOR, 'BS. Lò Văn Xét');
    addUser(ADMIN, 'Quàng Thị Đối Chiếu');
    const b = await fhirGet<{ entry?: { resource: PatientLike }[] }>(h, 'Patient?_count=50');
    known = (b.entry ?? []).map((e) => e.resource).find((p) => p.identifier?.some((i) => i.system?.endsWith('/cccd')))!;
    assert.ok(known, 'the demo province has a patient with a CCCD');
    const cccd = known.identifier!.find((i) => i.system?.endsWith('/cccd'))!.value!;
    const name = `${known.name?.[0]?.family ?? ''}^${(known.name?.[0]?.given ?? []).join(' ')}`;
    assert.equal(await sendMllp(oru('E2E-1', 'E2E-F1', cccd, name, [GLU('7.8', 'H'), HGB])), 'AA');
    // the laboratory corrects the glucose: a new version of the same result
    assert.equal(await sendMllp(oru('E2E-2', 'E2E-F1', cccd, name, [GLU('8.4', 'H', 'C')])), 'AA');
    assert.equal(await sendMllp(oru('E2E-3', 'E2E-F3', UNKNOWN_CCCD, 'Giàng^A Páo', [GLU('3.1', 'L')])), 'AA');
  });
  after(async () => {
    await h?.stop();
  });

  it('shows a patient\'s results with flags, ranges, status and the corrected version', async () => {
    const { context, page } = await newPage(h);
    try {
      await signInAs(page, DOCTOR);
      await page.goto(`/patients/${known.id}/lab`);
      const report = page.getByTestId('lab-report');
      await report.first().waitFor({ timeout: 30_000 });
      assert.equal(await report.count(), 1);
      assert.equal(await page.getByTestId('report-status').textContent(), 'Đã hiệu chỉnh');
      const rows = page.getByTestId('lab-result');
      assert.equal(await rows.count(), 2);
      const glucose = rows.filter({ hasText: 'Glucose máu' });
      assert.equal(await glucose.getAttribute('data-flag'), 'high');
      assert.match((await glucose.getAttribute('class')) ?? '', /abnormal/, 'the abnormal row is highlighted');
      assert.equal(await glucose.getByTestId('lab-value').textContent(), '8,4');
      assert.equal(await glucose.getByTestId('lab-range').textContent(), '3,9–6,4');
      const hgb = rows.filter({ hasText: 'Huyết sắc tố' });
      assert.equal(await hgb.getAttribute('data-flag'), 'normal');
      assert.doesNotMatch((await hgb.getAttribute('class')) ?? '', /abnormal/);
      // the correction shows the earlier value as an older version
      await glucose.getByTestId('show-versions').click();
      const versions = page.getByTestId('result-versions').locator('li');
      await versions.nth(1).waitFor();
      assert.match((await versions.nth(0).textContent()) ?? '', /8,4.*Đã hiệu chỉnh/);
      assert.match((await versions.nth(1).textContent()) ?? '', /7,8.*Chính thức/);
      await page.getByTestId('show-cumulative').click();
      const cumulative = page.getByTestId('cumulative-row');
      await cumulative.first().waitFor();
      assert.equal(await cumulative.count(), 2);
    } finally {
      await context.close();
    }
  });

  it('lists the patient\'s imaging studies with the viewer link, and takes a radiologist\'s report', async () => {
    const viewer = 'http://127.0.0.1:8043/app/explorer.html#study?uuid=e2e-study';
    const study = {
      resourceType: 'ImagingStudy',
      extension: [{ url: 'https://fhir.healthbook.vn/sid/extension/imaging-viewer', valueUrl: viewer }],
      identifier: [{ system: 'urn:dicom:uid', value: 'urn:oid:1.2.826.0.1.3680043.8.498.77' }],
      status: 'available',
      modality: [{ system: 'http://dicom.nema.org/resources/ontology/DCM', code: 'CT' }],
      subject: { reference: `Patient/${known.id}` },
      started: '2024-03-15T10:20:00+07:00',
      numberOfSeries: 1,
      numberOfInstances: 12,
      description: 'CT ngực không tiêm thuốc',
      series: [{ uid: '1.2.826.0.1.3680043.8.498.78', modality: { system: 'http://dicom.nema.org/resources/ontology/DCM', code: 'CT' }, numberOfInstances: 12 }],
    };
    const r = await fetch(`${h.baseUrl}/fhir/ImagingStudy`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${h.token}`, 'Content-Type': 'application/fhir+json' },
      body: JSON.stringify(study),
    });
    const body = await r.text();
    assert.equal(r.status, 201, body);
    const studyId = (JSON.parse(body) as { id: string }).id;
    const { context, page } = await newPage(h);
    try {
      await signInAs(page, DOCTOR);
      await page.goto(`/patients/${known.id}/imaging`);
      const row = page.getByTestId('imaging-study');
      await row.first().waitFor({ timeout: 30_000 });
      assert.match((await row.textContent()) ?? '', /CT ngực không tiêm thuốc/);
      assert.equal(await row.getByTestId('viewer-link').getAttribute('href'), viewer);
      await page.getByTestId('study-report-write').click();
      await page.getByTestId('study-report-text').fill('Không thấy tổn thương nhu mô phổi.');
      await page.getByTestId('study-report-save').click();
      await page.getByTestId('study-report').first().waitFor({ timeout: 30_000 });
      const reports = await fhirGet<{ entry?: { resource: { conclusion?: string; status?: string } }[] }>(h, `DiagnosticReport?imaging-study=ImagingStudy/${studyId}`);
      assert.equal(reports.entry?.length, 1);
      assert.equal(reports.entry![0]!.resource.conclusion, 'Không thấy tổn thương nhu mô phổi.');
      assert.equal(reports.entry![0]!.resource.status, 'final');
    } finally {
      await context.close();
    }
  });

  it('links a provisional record from the work list to the real patient, moving its results', async () => {
    const provisional = (await fhirGet<{ entry?: { resource: PatientLike }[] }>(h, `Patient?identifier=${encodeURIComponent('https://fhir.healthbook.vn/sid/cccd')}|${UNKNOWN_CCCD}`)).entry?.[0]?.resource;
    assert.ok(provisional, 'the unknown patient got a provisional record');
    const { context, page } = await newPage(h);
    try {
      await signInAs(page, ADMIN);
      await page.goto('/reconciliation');
      const item = page.getByTestId('recon-item').filter({ hasText: UNKNOWN_CCCD });
      await item.waitFor({ timeout: 30_000 });
      assert.match(fold((await item.textContent()) ?? ''), /giang a pao/);
      await item.getByTestId('recon-open').click();
      const cccd = known.identifier!.find((i) => i.system?.endsWith('/cccd'))!.value!;
      await item.getByTestId('recon-search').fill(cccd);
      await item.getByTestId('recon-search').press('Enter');
      const candidate = item.getByTestId('recon-candidate');
      await candidate.first().waitFor({ timeout: 30_000 });
      assert.equal(await candidate.count(), 1);
      page.once('dialog', (d) => void d.accept());
      await candidate.getByTestId('recon-link').click();
      await page.getByTestId('recon-done').waitFor({ timeout: 30_000 });
      assert.equal(await page.getByTestId('recon-item').filter({ hasText: UNKNOWN_CCCD }).count(), 0, 'gone from the work list');
      const reports = await fhirGet<{ entry?: { resource: { subject?: { reference?: string } } }[] }>(h, `DiagnosticReport?identifier=${encodeURIComponent('https://fhir.healthbook.vn/sid/lab-report/11001')}|E2E-F3`);
      assert.equal(reports.entry?.[0]?.resource.subject?.reference, `Patient/${known.id}`, 'the result moved to the real patient');
    } finally {
      await context.close();
    }
  });
});
