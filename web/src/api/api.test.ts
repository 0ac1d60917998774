import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createApi, readIdentifyResult, unwrapResource } from './api';
import { ApiClient, ApiError } from './client';
import type { Encounter, OperationOutcome, Parameters } from './fhir';
import { errorBodyMessage, outcomeMessage } from './outcome';
import { clearSession, loadSession, saveSession, sessionFromLogin, SESSION_KEY } from './session';

function memoryStorage() {
  const m = new Map<string, string>();
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
    map: m,
  };
}

interface Call {
  url: string;
  init: RequestInit | undefined;
}

function fakeFetch(answers: Response[]) {
  const calls: Call[] = [];
  const fetch = async (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    const r = answers.shift();
    if (!r) throw new TypeError('Failed to fetch');
    return r;
  };
  return { fetch, calls };
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/fhir+json', ...headers } });

describe('OperationOutcome messages', () => {
  it('joins the diagnostics with where they apply', () => {
    const oo: OperationOutcome = {
      resourceType: 'OperationOutcome',
      issue: [
        { severity: 'error', code: 'invalid', diagnostics: 'CCCD QR: ID (field 1) must be 12 digits, got 11 digits', expression: ['Parameters.parameter[0]'] },
        { severity: 'information', diagnostics: 'ignored' },
        { severity: 'error', code: 'required', details: { text: 'name is required' } },
      ],
    };
    assert.equal(outcomeMessage(oo), 'CCCD QR: ID (field 1) must be 12 digits, got 11 digits (Parameters.parameter[0]); name is required');
  });
  it('reads OAuth errors, plain text, and says nothing of HTML', () => {
    assert.equal(errorBodyMessage('{"error":"invalid_client","error_description":"unknown client"}', 'application/json'), 'unknown client');
    assert.equal(errorBodyMessage('rate limited\n', 'text/plain'), 'rate limited');
    assert.equal(errorBodyMessage('<html>502</html>', 'text/html'), '');
  });
});

describe('HTTP client', () => {
  it('sends the CSRF token on unsafe methods only, with the session cookie', async () => {
    const { fetch, calls } = fakeFetch([json(200, { resourceType: 'Bundle' }), json(201, { resourceType: 'Patient', id: 'x' })]);
    const c = new ApiClient({ fetch, csrfToken: () => 'tok' });
    await c.get('/fhir/Patient?name=a');
    await c.post('/fhir/Patient', { resourceType: 'Patient' });
    const h0 = calls[0]!.init!.headers as Record<string, string>;
    const h1 = calls[1]!.init!.headers as Record<string, string>;
    assert.equal(h0['X-CSRF-Token'], undefined);
    assert.equal(h1['X-CSRF-Token'], 'tok');
    assert.equal(h1['Content-Type'], 'application/fhir+json');
    assert.equal(calls[1]!.init!.credentials, 'same-origin');
    assert.equal(calls[1]!.init!.body, '{"resourceType":"Patient"}');
  });
  it('turns an OperationOutcome into an ApiError with its diagnostics, and reports 401', async () => {
    let ended = 0;
    const oo = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'invalid', diagnostics: 'CCCD QR: too few fields' }] };
    const { fetch } = fakeFetch([json(400, oo), json(401, { resourceType: 'OperationOutcome', issue: [{ diagnostics: 'sign in' }] })]);
    const c = new ApiClient({ fetch, onUnauthorized: () => ended++ });
    await assert.rejects(c.post('/fhir/Patient/$identify', {}), (e: unknown) => {
      assert.ok(e instanceof ApiError);
      assert.equal(e.status, 400);
      assert.equal(e.message, 'CCCD QR: too few fields');
      assert.equal(e.outcome?.resourceType, 'OperationOutcome');
      return true;
    });
    await assert.rejects(c.get('/fhir/Patient'), (e: unknown) => (e as ApiError).status === 401);
    assert.equal(ended, 1);
  });
  it('reads Retry-After and survives a dead network', async () => {
    const { fetch } = fakeFetch([json(429, { resourceType: 'OperationOutcome', issue: [{ diagnostics: 'locked' }] }, { 'Retry-After': '840' })]);
    const c = new ApiClient({ fetch });
    await assert.rejects(c.post('/auth/login', {}, { anonymous: true }), (e: unknown) => (e as ApiError).retryAfter === 840);
    await assert.rejects(c.get('/x'), (e: unknown) => (e as ApiError).status === 0);
  });
});

describe('the API', () => {
  it('signs in and keeps what the server said', async () => {
    const { fetch, calls } = fakeFetch([
      new Response('{"user":"letan.bvdk","role":"receptionist","facility":"11001","csrf_token":"c5rf","expires_in":28800}', {
        status: 200,
        headers: { 'Content-Type': 'application/json' },
      }),
    ]);
    const api = createApi({ fetch });
    const before = Date.now();
    const s = await api.login('letan.bvdk', 'pw');
    assert.equal(calls[0]!.url, '/auth/login');
    assert.equal((calls[0]!.init!.headers as Record<string, string>)['Content-Type'], 'application/json');
    assert.deepEqual(JSON.parse(String(calls[0]!.init!.body)), { username: 'letan.bvdk', password: 'pw' });
    assert.equal(s.user, 'letan.bvdk');
    assert.equal(s.csrfToken, 'c5rf');
    assert.ok(s.expiresAt >= before + 28800 * 1000);
  });
  it('posts $identify as Parameters and $start-visit with references', async () => {
    const enc: Encounter = { resourceType: 'Encounter', id: 'e1', status: 'arrived', identifier: [{ system: 'urn:x:queue', value: '7' }] };
    const { fetch, calls } = fakeFetch([
      json(200, { resourceType: 'Parameters', parameter: [{ name: 'created', valueBoolean: false }] }),
      json(200, enc),
      json(200, { resourceType: 'Parameters', parameter: [{ name: 'return', resource: enc }] }),
    ]);
    const api = createApi({ fetch, csrfToken: () => 't' });
    await api.identify('011305001234||QUÀNG THỊ B|02072005|Nữ|X|10082021');
    assert.equal(calls[0]!.url, '/fhir/Patient/$identify');
    assert.deepEqual(JSON.parse(String(calls[0]!.init!.body)), {
      resourceType: 'Parameters',
      parameter: [{ name: 'qr', valueString: '011305001234||QUÀNG THỊ B|02072005|Nữ|X|10082021' }],
    });
    const started = await api.startVisit('p1', 'kham-noi', { resourceType: 'Coverage', id: 'c1' });
    assert.equal(started.encounter.id, 'e1');
    assert.equal(started.number, '7');
    assert.deepEqual(JSON.parse(String(calls[1]!.init!.body)).parameter, [
      { name: 'patient', valueReference: { reference: 'Patient/p1' } },
      { name: 'department', valueString: 'kham-noi' },
      { name: 'coverage', valueReference: { reference: 'Coverage/c1' } },
    ]);
    assert.equal((await api.callNext('kham-noi')).id, 'e1'); // wrapped in Parameters
  });
  it('hands $start-visit the unstored check $identify returned, and reads the number it gives', async () => {
    const enc: Encounter = { resourceType: 'Encounter', id: 'e2', status: 'arrived' };
    const { fetch, calls } = fakeFetch([
      json(201, { resourceType: 'Parameters', parameter: [{ name: 'encounter', resource: enc }, { name: 'number', valueInteger: 3 }] }),
    ]);
    const api = createApi({ fetch });
    const started = await api.startVisit('p1', 'kham-nhi', { resourceType: 'Coverage', status: 'active', subscriberId: 'GD4111234567890' });
    assert.equal(started.number, '3');
    const cov = JSON.parse(String(calls[0]!.init!.body)).parameter[2];
    assert.deepEqual(cov, { name: 'coverage', resource: { resourceType: 'Coverage', status: 'active', subscriberId: 'GD4111234567890' } });
  });
  it('merges the identifier and id searches', async () => {
    const bundle = (ids: string[]) => ({ resourceType: 'Bundle', entry: ids.map((id) => ({ resource: { resourceType: 'Patient', id } })) });
    const { fetch, calls } = fakeFetch([json(200, bundle(['a', 'b'])), json(200, bundle(['b', 'c']))]);
    const api = createApi({ fetch });
    const found = await api.searchPatients('pat-000001');
    assert.deepEqual(found.map((p) => p.id), ['a', 'b', 'c']);
    assert.deepEqual(calls.map((c) => c.url), ['/fhir/Patient?identifier=pat-000001&_count=20', '/fhir/Patient?_id=pat-000001&_count=20']);
  });
  it('unwraps operation answers', () => {
    assert.throws(() => unwrapResource({ resourceType: 'Bundle' }, 'Encounter'), ApiError);
  });
});

describe('$identify answers', () => {
  it('reads identity, patient, created, candidates, warnings, coverage', () => {
    const p: Parameters = {
      resourceType: 'Parameters',
      parameter: [
        {
          name: 'identity',
          part: [
            { name: 'kind', valueString: 'cccd' },
            { name: 'id', valueString: '011090123456' },
            { name: 'name', valueString: 'LÒ VĂN A' },
            { name: 'birth_date', valueDate: '1990-03-15' },
          ],
        },
        { name: 'patient', resource: { resourceType: 'Patient', id: 'p1' } as never },
        { name: 'created', valueBoolean: true },
        {
          name: 'candidates',
          part: [
            { name: 'resource', resource: { resourceType: 'Patient', id: 'p2' } as never },
            { name: 'score', valueDecimal: 0.82 },
            { name: 'grade', valueCode: 'probable' },
            { name: 'reason', valueString: 'same name and birth date' },
          ],
        },
        {
          name: 'insurance',
          part: [
            { name: 'valid', valueBoolean: true },
            { name: 'in-network', valueBoolean: false },
            { name: 'benefit-level', valueInteger: 4 },
            { name: 'benefit-percent', valueInteger: 80 },
            { name: 'beneficiary-group', valueCode: 'GD' },
            { name: 'source', valueCode: 'card' },
            { name: 'problem', valueString: 'x' },
          ],
        },
        { name: 'warnings', valueString: 'ID says born 1991, card says 1990' },
        { name: 'coverage', resource: { resourceType: 'Coverage', id: 'c1', status: 'active' } as never },
      ],
    };
    const r = readIdentifyResult(p);
    assert.deepEqual(r.identity, { kind: 'cccd', id: '011090123456', name: 'LÒ VĂN A', birth_date: '1990-03-15' });
    assert.equal(r.patient?.id, 'p1');
    assert.equal(r.created, true);
    assert.deepEqual(r.candidates.map((c) => [c.patient.id, c.score, c.grade, c.reasons]), [['p2', 0.82, 'probable', ['same name and birth date']]]);
    assert.deepEqual(r.insurance, {
      valid: true, inNetwork: false, benefitLevel: 4, benefitPercent: 80, beneficiaryGroup: 'GD', date: '', source: 'card', problems: ['x'],
    });
    assert.deepEqual(r.warnings, ['ID says born 1991, card says 1990']);
    assert.equal(r.coverage?.id, 'c1');
  });
  it('is empty-handed, not broken, on a bare answer', () => {
    const r = readIdentifyResult({ resourceType: 'Parameters' });
    assert.equal(r.patient, undefined);
    assert.equal(r.created, false);
    assert.deepEqual(r.candidates, []);
    assert.equal(r.insurance, undefined);
  });
});

describe('the remembered session', () => {
  it('round-trips, expires, and clears', () => {
    const st = memoryStorage();
    const s = sessionFromLogin({ user: 'u', role: 'receptionist', facility: '11001', csrf_token: 'c', expires_in: 60 }, 1000);
    assert.equal(s.expiresAt, 61_000);
    saveSession(st, s);
    assert.deepEqual(loadSession(st, 2000), s);
    assert.equal(loadSession(st, 61_000), undefined);
    assert.equal(st.map.has(SESSION_KEY), false); // an expired session is forgotten
    saveSession(st, s);
    clearSession(st);
    assert.equal(loadSession(st, 2000), undefined);
    st.setItem(SESSION_KEY, '{not json');
    assert.equal(loadSession(st, 2000), undefined);
  });
  it('keeps the full name when the server gives one', () => {
    assert.equal(sessionFromLogin({ user: 'u', csrf_token: 'c', display: 'Lò Thị Tiếp Đón' }, 0).display, 'Lò Thị Tiếp Đón');
    assert.equal(sessionFromLogin({ user: 'u', csrf_token: 'c' }, 0).display, undefined);
  });
  it('refuses a sign-in answer without a CSRF token', () => {
    assert.throws(() => sessionFromLogin({ user: 'u' }, 0));
  });
});
