// The end-to-end harness: a real `healthbook serve` on a free loopback port with a fresh
// data folder holding the demo province (200 patients) and a receptionist, and Debian's
// chromium driven headless by playwright-core. Used by the *.test.ts files (node --test)
// and by screenshots.ts (make screenshots).
//
// Environment: HB_BINARY (default build/healthbook), HB_CHROMIUM (default
// /usr/bin/chromium), HB_E2E_KEEP=1 keeps the data folder and prints where it is.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// playwright-core is a dependency of web/ (one npm project, one lock file).
const requireFromWeb = createRequire(join(repoRoot, 'web', 'package.json'));
const { chromium } = requireFromWeb('playwright-core') as typeof import('playwright-core');

export const RECEPTIONIST = { name: 'letan.e2e', password: 'Tiepdon-E2E-2025', display: 'Lò Thị Tiếp Đón', facility: '11001' };

export interface Harness {
  baseUrl: string;
  dataDir: string;
  binary: string;
  browser: Browser;
  /** An operator token, for checking what the server stored. */
  token: string;
  stop: () => Promise<void>;
}

/** A free loopback TCP port (for a server the test starts beside healthbook). */
export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => ok(port));
    });
  });
}

function run(binary: string, args: string[]): string {
  const r = spawnSync(binary, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${binary} ${args.join(' ')} failed (${r.status}): ${r.stderr}${r.stdout}`);
  return r.stdout;
}

async function waitHealthy(url: string, server: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`healthbook serve exited (${server.exitCode}):\n${log()}`);
    try {
      const r = await fetch(`${url}/health`);
      if (r.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`healthbook serve did not become healthy:\n${log()}`);
}

export interface HarnessOptions {
  /** More chromium switches (a fake camera, say). */
  chromiumArgs?: string[];
  /** More `healthbook serve` arguments (`--mllp 127.0.0.1:PORT`, say). */
  serveArgs?: string[];
  /** More staff accounts (a cashier, a claims officer), made before the server starts. */
  users?: { name: string; password: string; role: string; display: string; facility: string }[];
}

export async function startHarness(patients = 200, opts: HarnessOptions = {}): Promise<Harness> {
  const binary = resolve(process.env.HB_BINARY ?? join(repoRoot, 'build', 'healthbook'));
  if (!existsSync(binary)) throw new Error(`no server binary at ${binary} (make build, or set HB_BINARY)`);
  const chromiumPath = process.env.HB_CHROMIUM ?? '/usr/bin/chromium';
  if (!existsSync(chromiumPath)) throw new Error(`no chromium at ${chromiumPath} (apt-get install chromium, or set HB_CHROMIUM)`);

  const dataDir = mkdtempSync(join(tmpdir(), 'hb-e2e-'));
  run(binary, ['demo', '--data', dataDir, '--patients', String(patients)]);
  const pw = join(dataDir, 'e2e-password');
  writeFileSync(pw, RECEPTIONIST.password, { mode: 0o600 });
  run(binary, ['user', 'add', '--data', dataDir, '--name', RECEPTIONIST.name, '--role', 'receptionist',
    '--facility', RECEPTIONIST.facility, '--display', RECEPTIONIST.display, '--password-file', pw]);
  for (const u of opts.users ?? []) {
    const file = join(dataDir, `password-${u.name}`);
    writeFileSync(file, u.password, { mode: 0o600 });
    run(binary, ['user', 'add', '--data', dataDir, '--name', u.name, '--role', u.role, '--facility', u.facility, '--display', u.display, '--password-file', file]);
  }
  const token = run(binary, ['token', 'issue', '--data', dataDir, '--scope', 'system/*.cruds']).trim();

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let output = '';
  const server = spawn(binary, ['serve', '--data', dataDir, '--listen', `127.0.0.1:${port}`, ...(opts.serveArgs ?? [])], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  server.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  try {
    await waitHealthy(baseUrl, server, () => output);
  } catch (e) {
    server.kill('SIGKILL');
    throw e;
  }
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-dev-shm-usage', '--lang=vi-VN', ...(opts.chromiumArgs ?? [])],
  });
  return {
    baseUrl,
    dataDir,
    binary,
    browser,
    token,
    async stop() {
      await browser.close().catch(() => undefined);
      if (server.exitCode === null) {
        server.kill('SIGTERM');
        await new Promise<void>((ok) => {
          const t = setTimeout(() => {
            server.kill('SIGKILL');
            ok();
          }, 10_000);
          server.once('exit', () => {
            clearTimeout(t);
            ok();
          });
        });
      }
      if (process.env.HB_E2E_KEEP) console.log(`e2e data kept in ${dataDir}; server log:\n${output}`);
      else rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh browser context (own cookies and storage) with window.print recorded, not run. */
export async function newPage(h: Harness, opts: { lang?: 'vi' | 'en' } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await h.browser.newContext({ baseURL: h.baseUrl, viewport: { width: 1366, height: 900 }, locale: 'vi-VN' });
  await context.addInitScript((lang) => {
    (window as unknown as { __printed: number }).__printed = 0;
    window.print = () => {
      (window as unknown as { __printed: number }).__printed++;
    };
    if (lang && !localStorage.getItem('hb.lang')) localStorage.setItem('hb.lang', lang);
  }, opts.lang ?? '');
  const page = await context.newPage();
  return { context, page };
}

export async function signIn(page: Page, user = RECEPTIONIST.name, password = RECEPTIONIST.password): Promise<void> {
  await page.goto('/');
  await page.locator('#signin-user').fill(user);
  await page.locator('#signin-password').fill(password);
  await page.locator('#signin-password').press('Enter');
  await page.getByTestId('who').waitFor();
  await page.getByTestId('scan-input').waitFor(); // the reception screen (a lazy chunk) is ready
}

export async function printedCount(page: Page): Promise<number> {
  return page.evaluate(() => (window as unknown as { __printed: number }).__printed);
}

/** GET with the operator token (what the server stored, whatever the UI shows). */
export async function fhirGet<T = PatientLike>(h: Harness, path: string): Promise<T> {
  const r = await fetch(`${h.baseUrl}/fhir/${path}`, { headers: { Authorization: `Bearer ${h.token}`, Accept: 'application/fhir+json' } });
  if (!r.ok) throw new Error(`GET ${path}: ${r.status} ${await r.text()}`);
  return (await r.json()) as T;
}

export interface PatientLike {
  id: string;
  identifier?: { system?: string; value?: string; use?: string }[];
  name?: { text?: string; family?: string; given?: string[] }[];
  gender?: string;
  birthDate?: string;
  address?: { text?: string }[];
}

export async function patientsWithCccd(h: Harness, cccd: string): Promise<PatientLike[]> {
  const b = await fhirGet<{ entry?: { resource: PatientLike }[] }>(h, `Patient?cccd=${cccd}`);
  return (b.entry ?? []).map((e) => e.resource);
}

/** The CCCD QR text a chip card of this patient would carry (the layout of ../shared/reference §2). */
export function cccdQrOf(p: PatientLike, issueDate = '10082021'): string {
  const id = (slug: string) => p.identifier?.find((i) => i.system?.endsWith('/' + slug))?.value ?? '';
  const name = (p.name?.[0]?.text ?? [p.name?.[0]?.family, ...(p.name?.[0]?.given ?? [])].join(' ')).toLocaleUpperCase('vi');
  const [y, m, d] = (p.birthDate ?? '').split('-');
  const gender = p.gender === 'female' ? 'Nữ' : 'Nam';
  return [id('cccd'), id('cmnd'), name, `${d}${m}${y}`, gender, p.address?.[0]?.text ?? '', issueDate].join('|');
}

/** The insurance-card QR text of this patient's card (name and address hex-encoded UTF-8). */
export function bhytQrOf(p: PatientLike, registered = '11001 - Bệnh viện Đa khoa tỉnh Điện Biên'): string {
  const card = p.identifier?.find((i) => i.system?.endsWith('/bhyt-card')) as { value?: string; period?: { start?: string; end?: string } } | undefined;
  const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');
  const dmy = (iso = '') => iso.split('-').reverse().join('/');
  const name = p.name?.[0]?.text ?? '';
  const gender = p.gender === 'female' ? '2' : '1';
  return [card?.value ?? '', hex(name), dmy(p.birthDate), gender, hex(p.address?.[0]?.text ?? ''), registered, dmy(card?.period?.start), dmy(card?.period?.end)].join('|');
}

/** Folded for comparing names across case and diacritics. */
export function fold(s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/gi, 'd').toLowerCase().replace(/\s+/g, ' ').trim();
}

/** A demo user's password, from <data>/demo-users.txt (`healthbook demo` writes it). */
export function demoUser(h: Harness, name: string): { name: string; password: string; role: string; facility: string } | undefined {
  const path = join(h.dataDir, 'demo-users.txt');
  if (!existsSync(path)) return undefined;
  for (const line of readFileSync(path, 'utf8').split('\n')) {
    if (line.startsWith('#')) continue;
    const [user, password, role, facility] = line.split('\t');
    if (user === name && password) return { name: user, password, role: role ?? '', facility: facility ?? '' };
  }
  return undefined;
}

/** Adds a user with a known password (`healthbook user add`), for roles the demo lacks. */
export function addUser(h: Harness, u: { name: string; role: string; facility: string; display: string; password: string; practitioner?: string }): void {
  const pw = join(h.dataDir, `pw-${u.name}`);
  writeFileSync(pw, u.password, { mode: 0o600 });
  const args = ['user', 'add', '--data', h.dataDir, '--name', u.name, '--role', u.role, '--facility', u.facility, '--display', u.display, '--password-file', pw];
  if (u.practitioner) args.push('--practitioner', u.practitioner);
  const r = spawnSync(h.binary, args, { encoding: 'utf8' });
  if (r.status !== 0 && !/exist/i.test(r.stderr + r.stdout)) throw new Error(`user add ${u.name} failed (${r.status}): ${r.stderr}${r.stdout}`);
}

/** A signed-in API session (cookie and CSRF token) for calls made as that user. */
export async function apiSession(h: Harness, user: string, password: string): Promise<(method: string, path: string, body?: unknown) => Promise<{ status: number; json: any }>> {
  const r = await fetch(`${h.baseUrl}/auth/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: user, password }) });
  if (!r.ok) throw new Error(`login ${user}: ${r.status} ${await r.text()}`);
  const cookie = (r.headers.get('set-cookie') ?? '').split(';')[0]!;
  const { csrf_token: csrf } = (await r.json()) as { csrf_token: string };
  return async (method, path, body) => {
    const res = await fetch(`${h.baseUrl}/fhir/${path}`, {
      method,
      headers: { Cookie: cookie, 'X-CSRF-Token': csrf, Accept: 'application/fhir+json', ...(body ? { 'Content-Type': 'application/fhir+json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let json: any;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = text;
    }
    return { status: res.status, json };
  };
}
