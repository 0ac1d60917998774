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
  /** The MLLP listener's port when serveArgs has `--mllp 127.0.0.1:0` (it binds a free port itself). */
  mllpPort?: number;
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
  if (r.status !== 0) {
    // Say why: a start that failed (r.error: ENOENT, ETXTBSY while the binary is being relinked), a
    // signal, or the exit code with what the command printed.
    const why = r.error ? `could not run: ${r.error.message}` : r.signal ? `killed by ${r.signal}` : `exit ${r.status}`;
    throw new Error(`${binary} ${args.join(' ')} failed (${why}): ${r.stderr ?? ''}${r.stdout ?? ''}`);
  }
  return r.stdout;
}

// Generous: `make test` runs the suites in parallel (ctest -j) on a 2-core machine. These bound
// hangs; they are not speed assertions.
const START_TIMEOUT_MS = 90_000;
const STOP_TIMEOUT_MS = 30_000;
const START_ATTEMPTS = 5;
const SETPRIV = '/usr/bin/setpriv';

class ServeExited extends Error {}

/** Waits until `server` serves on `port`: its own output says it is ready there (app/serve_command.cpp
 *  logs "ready in N ms: ... http://HOST:PORT/"), and GET /health answers 200. Only its own line proves
 *  the port is its own: when another process took the port first, /health could answer from that one
 *  while this server fails to bind. */
async function waitServing(port: number, server: ChildProcess, log: () => string): Promise<void> {
  const ready = new RegExp(` ready in \\d+ ms: .*//[^/ ]+:${port}/`);
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new ServeExited(`healthbook serve exited (${server.exitCode ?? server.signalCode}) before it was ready:\n${log()}`);
    }
    if (ready.test(log())) {
      try {
        const r = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(10_000) });
        if (r.ok) return;
      } catch {
        // not answering yet
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`healthbook serve was not ready on port ${port} within ${START_TIMEOUT_MS / 1000} s:\n${log()}`);
}

/** `healthbook serve` on a free loopback port, started again on a new port when the probed one was
 *  taken before the server bound it (by a test running beside this one, a client's ephemeral port). */
async function serve(binary: string, dataDir: string, serveArgs: string[]): Promise<{ server: ChildProcess; port: number; output: () => string }> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    let output = '';
    const argv = ['serve', '--data', dataDir, '--listen', `127.0.0.1:${port}`, ...serveArgs];
    // Through util-linux's setpriv (it execs the server: same pid, same signals): SIGKILL when this
    // test process dies, however it dies (CTest's timeout, a kill), so no server is left behind.
    const server = existsSync(SETPRIV)
      ? spawn(SETPRIV, ['--pdeathsig', 'KILL', '--', binary, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] })
      : spawn(binary, argv, { stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    server.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    // 'close': exited and its output read to the end (the reason it gave is in `output`).
    const closed = new Promise<void>((ok) => server.once('close', () => ok()));
    try {
      await waitServing(port, server, () => output);
      return { server, port, output: () => output };
    } catch (e) {
      server.kill('SIGKILL');
      await closed;
      const inUse = e instanceof ServeExited && /address already in use/i.test(output);
      if (!inUse || attempt >= START_ATTEMPTS) throw e;
    }
  }
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
  // A start that fails leaves no data folder behind (unless kept to look at).
  const discard = () => {
    if (process.env.HB_E2E_KEEP) console.log(`e2e data kept in ${dataDir}`);
    else rmSync(dataDir, { recursive: true, force: true });
  };
  let token: string;
  let started: Awaited<ReturnType<typeof serve>>;
  try {
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
    token = run(binary, ['token', 'issue', '--data', dataDir, '--scope', 'system/*.cruds']).trim();
    started = await serve(binary, dataDir, opts.serveArgs ?? []);
  } catch (e) {
    discard();
    throw e;
  }
  const { server, port, output } = started;
  // A test process that ends without stop() (a failed hook, an uncaught error) takes its server along.
  const killServer = () => server.kill('SIGKILL');
  process.once('exit', killServer);
  const baseUrl = `http://127.0.0.1:${port}`;
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: chromiumPath,
      headless: true,
      args: ['--no-sandbox', '--disable-dev-shm-usage', '--lang=vi-VN', ...(opts.chromiumArgs ?? [])],
    });
  } catch (e) {
    killServer();
    await new Promise<void>((ok) => (server.exitCode !== null || server.signalCode !== null ? ok() : server.once('exit', () => ok())));
    process.removeListener('exit', killServer);
    discard();
    throw e;
  }
  const mllp = /HL7 v2 over MLLP on \S+:(\d+) /.exec(output());
  return {
    baseUrl,
    mllpPort: mllp ? Number(mllp[1]) : undefined,
    dataDir,
    binary,
    browser,
    token,
    async stop() {
      await browser.close().catch(() => undefined);
      if (server.exitCode === null && server.signalCode === null) {
        server.kill('SIGTERM');
        await new Promise<void>((ok) => {
          const t = setTimeout(() => {
            server.kill('SIGKILL');
            ok();
          }, STOP_TIMEOUT_MS);
          server.once('exit', () => {
            clearTimeout(t);
            ok();
          });
        });
      }
      process.removeListener('exit', killServer);
      if (process.env.HB_E2E_KEEP) console.log(`e2e data kept in ${dataDir}; server log:\n${output()}`);
      else rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** A fresh browser context (own cookies and storage) with window.print recorded, not run. */
export async function newPage(h: Harness, opts: { lang?: 'vi' | 'en' } = {}): Promise<{ context: BrowserContext; page: Page }> {
  const context = await h.browser.newContext({ baseURL: h.baseUrl, viewport: { width: 1366, height: 900 }, locale: 'vi-VN' });
  // Clicks, fills and navigations wait for the page up to this long (playwright's default, 30 s, is
  // tight beside a parallel `make test` on 2 cores); a step that never becomes possible still fails.
  context.setDefaultTimeout(60_000);
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

/**
 * Waits past Điện Biên's midnight (17:00 UTC) when it is less than `seconds` away: for a suite
 * whose steps must fall on one day (queue numbers and the day's queue restart at midnight).
 */
export async function clearOfFacilityMidnight(seconds: number): Promise<void> {
  const day = 24 * 3600_000;
  const vnNow = Date.now() + 7 * 3600_000;
  const left = day - (vnNow % day);
  if (left < seconds * 1000) await new Promise((r) => setTimeout(r, left + 1000));
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
