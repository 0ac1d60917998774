// End to end (issue 7): the clinical workspace in chromium against a real server with the
// demo province. An outpatient visit: the demo doctor takes the next patient from the queue,
// records an allergy, vital signs (ranges flagged, BMI), history, a diagnosis found by typing
// "viem phoi" (and by "pneumonia", "J18"), prescribes the drug the patient is allergic to
// (the warning shows; an override reason lets it through), closes the visit and prints the
// prescription. Orders come from the priced service catalogue. The pharmacist receives stock
// and dispenses first expiry first out. The chart shows each step. Then a short inpatient
// stay: admission from a visit to a free bed, a progress note, discharge with its papers,
// all in the chart. Each episode must end in a valid claims file ($claim-xml 200).
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { addUser, apiSession, clearOfFacilityMidnight, demoUser, fhirGet, type Harness, newPage, RECEPTIONIST, startHarness } from './harness';

const PHARMACIST = { name: 'duocsi.e2e', role: 'pharmacist', facility: '11001', display: 'Lường Thị Dược', password: 'Duocsi-E2E-2025' };

let h: Harness;
let doctor: { name: string; password: string };
let pharmacist: { name: string; password: string };
// the outpatient visit of the first steps, used by the later ones
const out = { patient: 'pat-000003', visit: '', rxCode: '', stay: '' };

async function signInAs(page: Page, user: string, password: string, landing: string): Promise<void> {
  await page.goto('/');
  await page.locator('#signin-user').fill(user);
  await page.locator('#signin-password').fill(password);
  await page.locator('#signin-password').press('Enter');
  await page.getByTestId('who').waitFor();
  await page.waitForURL((u) => u.pathname === landing, { timeout: 30_000 });
}

/** A visit started at reception (as the receptionist would, through the API) for the clinic. */
async function startVisit(patientId: string): Promise<string> {
  const reception = await apiSession(h, RECEPTIONIST.name, RECEPTIONIST.password);
  const r = await reception('POST', 'Encounter/$start-visit', {
    resourceType: 'Parameters',
    parameter: [
      { name: 'patient', valueReference: { reference: `Patient/${patientId}` } },
      { name: 'department', valueString: 'kham-noi' },
    ],
  });
  assert.ok(r.status === 200 || r.status === 201, `$start-visit: ${r.status} ${JSON.stringify(r.json)}`);
  const enc = r.json.resourceType === 'Encounter' ? r.json : r.json.parameter.find((p: { resource?: { resourceType: string } }) => p.resource?.resourceType === 'Encounter').resource;
  return enc.id as string;
}

async function callNextPatient(page: Page, patientId: string): Promise<string> {
  await page.goto('/doctor?department=kham-noi');
  await page.getByTestId('doctor-call-next').click();
  await page.getByTestId('visit-page').waitFor({ timeout: 30_000 }).catch(async () => {
    throw new Error(`no visit opened: ${await page.getByTestId('doctor-call-error').textContent().catch(() => '')}`);
  });
  assert.equal(await page.getByTestId('banner-id').textContent(), patientId, 'the patient called is the one waiting');
  return decodeURIComponent(new URL(page.url()).pathname.split('/')[2]!);
}

/** Types into a search box and clicks the first option whose text matches. */
async function pick(page: Page, box: string, text: string, option: RegExp): Promise<void> {
  const input = page.getByTestId(box).getByRole('combobox');
  await input.fill(text);
  const hit = page.getByTestId(box).getByRole('option').filter({ hasText: option }).first();
  await hit.waitFor({ timeout: 30_000 }).catch(async () => {
    throw new Error(`"${text}" found no ${option}: ${await page.getByTestId(box).textContent()}`);
  });
  await hit.click();
}

/** The claims file of an encounter: 200 with the XML when it is valid, else the reasons. */
async function claimXml(encounterId: string): Promise<{ status: number; text: string }> {
  const r = await fetch(`${h.baseUrl}/fhir/Encounter/${encounterId}/$claim-xml`, { headers: { Authorization: `Bearer ${h.token}` } });
  return { status: r.status, text: await r.text() };
}

describe('clinical workspace', { timeout: 280_000 }, () => {
  before(async () => {
    await clearOfFacilityMidnight(120); // the suite's visits and queue are one day's
    h = await startHarness(200);
    const d = demoUser(h, 'bacsi.bvdk');
    assert.ok(d, 'the demo doctor is in demo-users.txt');
    doctor = d;
    pharmacist = demoUser(h, 'duocsi.bvdk') ?? (addUser(h, PHARMACIST), PHARMACIST);
  });
  after(async () => {
    await h?.stop();
  });

  it('takes the next patient and records an allergy, vital signs, history, a diagnosis and a prescription past its warning, then closes the visit', async () => {
    const patientId = out.patient;
    const visit = await startVisit(patientId);
    out.visit = visit;
    const { context, page } = await newPage(h);
    try {
      await signInAs(page, doctor.name, doctor.password, '/doctor');
      assert.equal(await callNextPatient(page, patientId), visit);

      // an allergy, in sight from now on
      await page.getByTestId('allergy-add').click();
      await page.getByTestId('allergy-substance').fill('Amoxicilin');
      await page.getByTestId('allergy-save').click();
      await page.getByTestId('allergy-item').filter({ hasText: 'Amoxicilin' }).waitFor();

      // vital signs: ranges flagged as typed, BMI computed
      const vitals: Record<string, string> = { pulse: '88', systolic: '150', diastolic: '95', temperature: '38,5', respRate: '20', spo2: '97', weight: '60', height: '165' };
      for (const [k, v] of Object.entries(vitals)) await page.getByTestId(`vital-${k}`).fill(v);
      assert.match((await page.getByTestId('vital-bmi').textContent()) ?? '', /^22 · bình thường/);
      assert.match((await page.getByTestId('vital-systolic-note').textContent()) ?? '', /Cao/);
      assert.match((await page.getByTestId('vital-temperature-note').textContent()) ?? '', /Cao/);
      await page.getByTestId('vitals-save').click();
      await page.getByTestId('vitals-saved').waitFor({ timeout: 30_000 });
      const obs = await fhirGet<{ entry?: { resource: { code: { coding: { code: string }[] }; component?: unknown[] } }[] }>(h, `Observation?encounter=Encounter/${visit}&category=vital-signs&_count=50`);
      const codes = (obs.entry ?? []).map((e) => e.resource.code.coding[0]!.code).sort();
      assert.deepEqual(codes, ['29463-7', '39156-5', '59408-5', '8302-2', '8310-5', '85354-9', '8867-4', '9279-1']);

      // history and examination
      await page.getByTestId('exam-complaint').fill('Sốt, ho có đờm 3 ngày');
      await page.getByTestId('visit-exam').getByRole('button', { name: '+ Tỉnh, tiếp xúc tốt' }).click();
      await page.getByTestId('exam-save').click();
      await page.getByTestId('exam-saved').waitFor({ timeout: 30_000 });

      // diagnosis: Vietnamese without diacritics, English and the code all find J18
      for (const q of ['pneumonia', 'J18']) {
        await page.getByTestId('icd-search').getByRole('combobox').fill(q);
        await page.getByTestId('icd-search').getByRole('option').filter({ hasText: /^J18/ }).first().waitFor({ timeout: 30_000 });
      }
      await pick(page, 'icd-search', 'viem phoi', /^J18\.9/);
      assert.match((await page.getByTestId('dx-main').textContent()) ?? '', /J18\.9/);
      await page.getByTestId('dx-save').click();
      await page.getByTestId('dx-saved').waitFor({ timeout: 30_000 });

      // the prescription: the allergy warning, then an override reason lets it through
      await pick(page, 'drug-search', 'amoxi', /Amoxicilin 500 mg/);
      await page.getByTestId('rx-findings').locator('[data-kind="allergy"]').waitFor({ timeout: 30_000 });
      assert.ok(await page.getByTestId('rx-save').isDisabled(), 'no saving past a warning without a reason');
      await page.getByTestId('rx-override').fill('Đã hỏi kỹ: chỉ nổi mẩn nhẹ năm 2019, theo dõi sát');
      await page.waitForFunction(() => !(document.querySelector('[data-testid="rx-save"]') as HTMLButtonElement | null)?.disabled);
      await page.getByTestId('rx-save').click();
      await page.getByTestId('rx-saved-line').first().waitFor({ timeout: 30_000 });
      const mrs = await fhirGet<{ entry?: { resource: { id: string; extension?: { url: string; valueString?: string }[]; dispenseRequest?: { quantity?: { value?: number } } } }[] }>(h, `MedicationRequest?encounter=Encounter/${visit}`);
      assert.equal(mrs.entry?.length, 1);
      assert.match(mrs.entry![0]!.resource.extension?.find((e) => e.url.endsWith('/override-reason'))?.valueString ?? '', /nổi mẩn/);
      assert.equal(mrs.entry![0]!.resource.dispenseRequest?.quantity?.value, 10, '1 × 2 a day × 5 days');

      // close the visit with a follow-up appointment
      await page.getByTestId('close-next-follow-up').check();
      await page.getByTestId('close-submit').click();
      await page.getByTestId('visit-closed').waitFor({ timeout: 30_000 }).catch(async () => {
        throw new Error(`not closed: ${await page.getByTestId('close-error').textContent().catch(() => '')}`);
      });
      assert.equal((await fhirGet<{ status: string }>(h, `Encounter/${visit}`)).status, 'finished');
      // the printable prescription, with its national code
      const code = ((await page.getByTestId('rx-code').textContent()) ?? '').replace(/^Đơn số /, '');
      out.rxCode = code;
      const print = await page.request.get(`/fhir/MedicationRequest/$print?group=${encodeURIComponent(visit)}`);
      assert.equal(print.status(), 200);
      const html = await print.text();
      assert.match(html, /Amoxicilin/);
      assert.ok(code && html.includes(code), `the print carries the code ${code}`);
    } finally {
      await context.close();
    }
  });

  it('orders a test from the priced service catalogue', async () => {
    const patientId = 'pat-000005';
    const visit = await startVisit(patientId);
    const { context, page } = await newPage(h);
    try {
      await signInAs(page, doctor.name, doctor.password, '/doctor');
      await callNextPatient(page, patientId);
      await pick(page, 'order-search', 'te bao mau', /Tổng phân tích tế bào máu/);
      assert.match((await page.getByTestId('orders-total').textContent()) ?? '', /\d{2}\.\d{3} ₫/);
      await page.getByTestId('orders-send').click();
      await page.getByTestId('orders-sent').getByText('Tổng phân tích tế bào máu', { exact: false }).waitFor({ timeout: 30_000 });
      const charges = await fhirGet<{ entry?: { resource: { code?: { coding?: { code?: string }[] } } }[] }>(h, `ChargeItem?context=Encounter/${visit}`);
      assert.ok((charges.entry ?? []).some((e) => e.resource.code?.coding?.some((c) => c.code === 'XN-CTM')), 'the order is priced');
    } finally {
      await context.close();
    }
  });

  it('dispenses the prescription first expiry first out at the pharmacy', async () => {
    assert.ok(out.rxCode, 'the visit above issued a prescription');
    const patientId = out.patient;
    const ph = await newPage(h);
    try {
      const page = ph.page;
      await signInAs(page, pharmacist.name, pharmacist.password, '/pharmacy');
      const soon = new Date(Date.now() + 40 * 86400_000).toISOString().slice(0, 10);
      const late = new Date(Date.now() + 3 * 365 * 86400_000).toISOString().slice(0, 10);
      for (const [lot, expiry, qty] of [['AMX-LATE', late, '200'], ['AMX-SOON', soon, '6']] as const) {
        await page.getByTestId('pharm-tab-receive').click();
        await pick(page, 'receive-drug', 'amoxi', /Amoxicilin 500 mg/);
        await page.getByTestId('receive-lot').fill(lot);
        await page.getByTestId('receive-expiry').fill(expiry);
        await page.getByTestId('receive-quantity').fill(qty);
        await page.getByTestId('receive-submit').click();
        await page.getByTestId('receive-done').filter({ hasText: lot }).waitFor({ timeout: 30_000 });
      }
      await page.getByTestId('pharm-tab-queue').click();
      const card = page.locator(`[data-testid="dispense-card"][data-group="${out.rxCode}"]`);
      await card.waitFor({ timeout: 30_000 });
      // the batch that expires first goes first, then the next one (the demo's or ours)
      assert.match((await card.getByTestId('fefo').textContent()) ?? '', /^Lô AMX-SOON \(HSD \d{2}\/\d{2}\/\d{4}\) × 6; Lô \S+ .*× 4$/);
      await card.getByTestId('dispense').click();
      const done = page.locator(`[data-testid="dispensed"][data-group="${out.rxCode}"]`);
      await done.waitFor({ timeout: 30_000 }).catch(async () => {
        throw new Error(`not dispensed: ${await card.getByTestId('dispense-error').textContent().catch(() => '')}`);
      });
      assert.match((await done.textContent()) ?? '', /Amoxicilin 500 mg — Lô AMX-SOON \(HSD [\d/]+\) × 6; Lô \S+ .*× 4/);
      await card.waitFor({ state: 'detached', timeout: 30_000 }); // the prescription left the waiting list
      const disp = await fhirGet<{ entry?: { resource: { quantity: { value: number } } }[] }>(h, `MedicationDispense?subject=Patient/${patientId}`);
      assert.deepEqual((disp.entry ?? []).map((e) => e.resource.quantity.value).sort(), [4, 6]);
      await page.getByTestId('pharm-tab-stock').click();
      const rows = page.getByTestId('stock-row').filter({ hasText: 'AMX-' });
      await rows.first().waitFor();
      assert.equal(await page.getByTestId('stock-row').filter({ hasText: 'AMX-LATE' }).getAttribute('data-state'), 'ok');
      assert.equal(await page.getByTestId('stock-row').filter({ hasText: 'AMX-SOON' }).getAttribute('data-state'), 'near', 'an emptied batch that expires in 40 days is flagged');
    } finally {
      await ph.context.close();
    }
  });

  it('shows every step of the visit in the chart', async () => {
    const patientId = out.patient;
    const ch = await newPage(h);
    try {
      const page = ch.page;
      await signInAs(page, doctor.name, doctor.password, '/doctor');
      await page.goto(`/patients/${patientId}/chart`);
      await page.getByTestId('chart-page').waitFor({ timeout: 30_000 });
      await page.getByTestId('allergy-item').filter({ hasText: 'Amoxicilin' }).waitFor();
      await page.getByTestId('chart-problems').getByText('J18.9').waitFor();
      assert.ok((await page.getByTestId('timeline-item').count()) >= 1);
      await page.getByTestId('chart-vitals').getByTestId('lab-trend').first().waitFor();
    } finally {
      await ch.context.close();
    }
  });

  it('ends the visit in a valid claims file', async () => {
    const claim = await claimXml(out.visit);
    assert.equal(claim.status, 200, `a valid claims file for the visit: ${claim.text.slice(0, 600)}`);
  });

  it('admits from a visit, writes a progress note, transfers, records nursing care and a dose given, discharges, and the chart shows the stay', async () => {
    const patientId = 'pat-000004';
    const visit = await startVisit(patientId);
    const { context, page } = await newPage(h);
    try {
      await signInAs(page, doctor.name, doctor.password, '/doctor');
      await callNextPatient(page, patientId);
      await pick(page, 'icd-search', 'viem phoi', /^J18\.9/);
      await page.getByTestId('dx-save').click();
      await page.getByTestId('dx-saved').waitFor({ timeout: 30_000 });
      await page.getByTestId('close-next-admit').check();
      await page.getByTestId('close-submit').click();
      await page.getByTestId('admit-page').waitFor();
      const free = page.getByTestId('bed-pick').first();
      await free.waitFor({ timeout: 30_000 });
      await free.click();
      await page.getByTestId('admit-reason').fill('Viêm phổi, sốt cao');
      await page.getByTestId('admit-submit').click();
      await page.getByTestId('stay-page').waitFor({ timeout: 30_000 }).catch(async () => {
        throw new Error(`not admitted: ${await page.getByTestId('admit-error').textContent().catch(() => '')}`);
      });
      const stay = decodeURIComponent(new URL(page.url()).pathname.split('/')[3]!);
      assert.notEqual(stay, visit);
      assert.match((await page.getByTestId('stay-bed').textContent()) ?? '', /\S+/);

      await page.getByTestId('stay-tab-progress').click();
      await page.getByTestId('note-progress-progress').fill('Ngày 1: còn sốt 38°C, ho đờm; phổi ran nổ đáy phải');
      await page.getByTestId('note-progress-orders').fill('Tiếp tục kháng sinh, hạ sốt khi > 38,5°C');
      await page.getByTestId('note-progress-save').click();
      await page.getByTestId('note').filter({ hasText: 'ran nổ' }).waitFor({ timeout: 30_000 });

      // a transfer to another free bed
      const bedBefore = (await page.getByTestId('stay-bed').textContent()) ?? '';
      await page.getByTestId('stay-tab-transfer').click();
      await page.getByTestId('transfer').getByTestId('bed-pick').first().click();
      await page.getByTestId('transfer-submit').click();
      await page.waitForFunction((b) => (document.querySelector('[data-testid="stay-bed"]')?.textContent ?? b) !== b, bedBefore, { timeout: 30_000 });
      const moved = await fhirGet<{ location?: { status?: string }[] }>(h, `Encounter/${stay}`);
      assert.ok((moved.location ?? []).some((l) => l.status === 'completed'), 'the first bed is left');

      // a medication order on the stay, given by the nurse on the administration record
      await page.getByTestId('stay-tab-meds').click();
      await pick(page, 'drug-search', 'paracet', /Paracetamol 500 mg/);
      // the checks have answered: either a warning asks for a reason, or the line can be saved
      await page.waitForFunction(() => !!document.querySelector('[data-testid="rx-override"]') || (document.querySelector('[data-testid="rx-save"]') as HTMLButtonElement | null)?.disabled === false, undefined, { timeout: 30_000 });
      if (await page.getByTestId('rx-override').count()) await page.getByTestId('rx-override').fill('Đã cân nhắc, dùng ngắn ngày khi sốt');
      await page.waitForFunction(() => (document.querySelector('[data-testid="rx-save"]') as HTMLButtonElement | null)?.disabled === false);
      await page.getByTestId('rx-save').click();
      await page.getByTestId('mar-row').first().waitFor({ timeout: 30_000 });
      const nurse = demoUser(h, 'dieuduong.bvdk');
      assert.ok(nurse, 'the demo nurse');
      const n = await newPage(h);
      try {
        await signInAs(n.page, nurse.name, nurse.password, '/inpatient');
        await n.page.goto(`/inpatient/stay/${stay}`);
        await n.page.getByTestId('notes-nursing').waitFor();
        await n.page.getByTestId('note-nursing-observation').fill('Tỉnh, sốt 38°C, thở đều');
        await n.page.getByTestId('note-nursing-care').fill('Chườm mát, cho uống nhiều nước');
        await n.page.getByTestId('note-nursing-save').click();
        await n.page.getByTestId('note').filter({ hasText: 'Chườm mát' }).waitFor({ timeout: 30_000 });
        await n.page.getByTestId('stay-tab-meds').click();
        await n.page.getByTestId('dose-give').first().click();
        await n.page.locator('[data-testid="dose"][data-state="given"]').first().waitFor({ timeout: 30_000 });
        const given = await fhirGet<{ entry?: { resource: { status: string } }[] }>(h, `MedicationAdministration?context=Encounter/${stay}`);
        assert.deepEqual((given.entry ?? []).map((e) => e.resource.status), ['completed']);
      } finally {
        await n.context.close();
      }

      await page.getByTestId('stay-tab-discharge').click();
      await page.getByTestId('dc-outcome').selectOption('1');
      await page.getByTestId('dc-type').selectOption('1');
      await page.getByTestId('dc-notes').fill('Hết sốt, phổi thông khí tốt');
      await page.getByTestId('dc-submit').click();
      await page.getByTestId('discharge-paper').first().waitFor({ timeout: 30_000 }).catch(async () => {
        throw new Error(`not discharged: ${await page.getByTestId('dc-error').textContent().catch(() => '')}`);
      });
      await page.getByTestId('stay-finished').waitFor({ timeout: 30_000 });
      assert.equal((await fhirGet<{ status: string }>(h, `Encounter/${stay}`)).status, 'finished');
      await page.getByTestId('dc-print').click();
      assert.ok(await page.evaluate(() => (window as unknown as { __printed: number }).__printed > 0), 'the paper was sent to print');

      await page.goto(`/patients/${patientId}/chart`);
      await page.getByTestId('chart-page').waitFor({ timeout: 30_000 });
      await page.getByTestId('timeline-item').filter({ hasText: 'Nội trú' }).first().waitFor();
      await page.getByTestId('chart-notes').getByText('ran nổ', { exact: false }).waitFor();
      assert.ok((await page.getByTestId('chart-documents').locator('li').count()) >= 1, 'the discharge papers are in the chart');
      out.stay = stay;
    } finally {
      await context.close();
    }
  });

  it('ends the stay in a valid claims file', async () => {
    assert.ok(out.stay, 'the stay above was discharged');
    const claim = await claimXml(out.stay);
    assert.equal(claim.status, 200, `a valid claims file for the stay: ${claim.text.slice(0, 600)}`);
  });

  it('shows a conflict with a record the patient withholds under its own label, without quoting it', async () => {
    // A penicillin allergy recorded elsewhere, and the patient's consent withholding allergies
    // from this hospital (docs/implementation/access.md "The prescribing check and consent").
    const patientId = 'pat-000006';
    const operator = async (path: string, body: unknown) => {
      const r = await fetch(`${h.baseUrl}/fhir/${path}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${h.token}`, 'Content-Type': 'application/fhir+json', Accept: 'application/fhir+json' },
        body: JSON.stringify(body),
      });
      assert.equal(r.status, 201, `${path}: ${await r.text()}`);
    };
    const facility = demoUser(h, 'bacsi.bvdk')!.facility;
    const orgs = await fhirGet<{ entry?: { resource: { id: string } }[] }>(h, `Organization?identifier=${encodeURIComponent(`https://fhir.healthbook.vn/sid/facility|${facility}`)}`);
    const org = orgs.entry?.[0]?.resource.id;
    assert.ok(org, `the doctor's facility ${facility} is registered`);
    await operator('AllergyIntolerance', {
      resourceType: 'AllergyIntolerance',
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
      criticality: 'high',
      code: { coding: [{ system: 'http://www.whocc.no/atc', code: 'J01C' }], text: 'Penicilin' },
      patient: { reference: `Patient/${patientId}` },
    });
    await operator('Consent', {
      resourceType: 'Consent', status: 'active',
      scope: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' }] },
      category: [{ coding: [{ system: 'http://loinc.org', code: '59284-0' }] }],
      patient: { reference: `Patient/${patientId}` },
      dateTime: new Date().toISOString(),
      policyRule: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: 'OPTOUT' }] },
      provision: {
        type: 'deny',
        actor: [{ role: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/v3-RoleClass', code: 'PROV' }] }, reference: { reference: `Organization/${org}` } }],
        class: [{ system: 'http://hl7.org/fhir/resource-types', code: 'AllergyIntolerance' }],
      },
    });
    await startVisit(patientId);
    const { context, page } = await newPage(h);
    try {
      await signInAs(page, doctor.name, doctor.password, '/doctor');
      await callNextPatient(page, patientId);
      await pick(page, 'drug-search', 'amoxi', /Amoxicilin 500 mg/);
      const finding = page.getByTestId('rx-findings').locator('[data-kind="withheld"]');
      await finding.waitFor({ timeout: 30_000 });
      const text = (await finding.textContent()) ?? '';
      assert.match(text, /Xung đột với hồ sơ không được chia sẻ/);
      assert.doesNotMatch(text, /^Cảnh báo/, 'not under the generic warning label');
      assert.doesNotMatch(text, /Penicilin/, 'the withheld record is not quoted');
      await finding.getByTestId('rx-withheld-help').filter({ hasText: /Hãy hỏi lại người bệnh/ }).waitFor();
      assert.ok(await page.getByTestId('rx-save').isDisabled(), 'a reason is needed, as for any finding');
    } finally {
      await context.close();
    }
  });
});
