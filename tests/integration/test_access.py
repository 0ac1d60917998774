"""Who may see and change what: authentication (bearer tokens, sessions, the SMART token
endpoint), the need-to-know access policy (roles x resources x care relationships,
consent, break-the-glass, scopes), and the tamper-evident audit trail.

The rules under test are those of src/access/access_policy.h. Every class starts its own
server; the facilities are Organizations with a facility identifier (MA_CSKCB code)
11001 (A) and 11002 (B), created with the operator token.

Python 3 standard library only, except python3-cryptography (Debian) to sign client
assertions and forged tokens (scripts/install-deps.sh test).
"""

import base64
import datetime
import hashlib
import hmac
import json
import os
import re
import shutil
import tempfile
import time
import unittest
import urllib.parse
import uuid

from harness import (FhirTestCase, Server, ServerTestCase, copy_data_dir, parse_location, run_cli,
                     status_code, store_sql)

try:
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
    CRYPTO_ERROR = None
except ImportError as e:  # reported by the classes that need it, not at import
    CRYPTO_ERROR = e

FACILITY_SYSTEM = "https://fhir.healthbook.vn/sid/facility"
CODE_A, CODE_B = "11001", "11002"
FORM = "application/x-www-form-urlencoded"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def need_crypto():
    if CRYPTO_ERROR is not None:
        raise RuntimeError(f"python3-cryptography is needed ({CRYPTO_ERROR}); "
                           "run scripts/install-deps.sh test")


def output(proc):
    return (proc.stdout or "") + (proc.stderr or "")


# --------------------------------------------------------------------------- JWT helpers

def b64u(data):
    if isinstance(data, str):
        data = data.encode()
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64u_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def jwt_parts(token):
    h, p, s = token.split(".")
    return json.loads(b64u_decode(h)), json.loads(b64u_decode(p)), s


def flip_char(text, index):
    """text with the base64url character at `index` replaced by another one that keeps the
    text canonical (a middle character, so no trailing-bit issue)."""
    c = text[index]
    repl = "B" if c != "B" else "C"
    return text[:index] + repl + text[index + 1:]


def es_sign(key, header, claims, size):
    """Compact JWS signed with an EC private key (ES256: size 32, ES384: size 48)."""
    signing_input = b64u(json.dumps(header, separators=(",", ":"))) + "." + \
        b64u(json.dumps(claims, separators=(",", ":")))
    digest = hashes.SHA256() if size == 32 else hashes.SHA384()
    der = key.sign(signing_input.encode(), ec.ECDSA(digest))
    r, s = decode_dss_signature(der)
    return signing_input + "." + b64u(r.to_bytes(size, "big") + s.to_bytes(size, "big"))


def public_jwk(key, kid, alg="ES384"):
    nums = key.public_key().public_numbers()
    size = (key.curve.key_size + 7) // 8
    return {"kty": "EC", "crv": "P-384" if size == 48 else "P-256",
            "x": b64u(nums.x.to_bytes(size, "big")), "y": b64u(nums.y.to_bytes(size, "big")),
            "kid": kid, "alg": alg, "use": "sig"}


# --------------------------------------------------------------------------- FHIR builders

def iso(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%SZ")


def days_ago(n):
    return datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=n)


def organization(code, name):
    return {"resourceType": "Organization", "active": True, "name": name,
            "identifier": [{"system": FACILITY_SYSTEM, "value": code}]}


def patient(family="Nguyen", **extra):
    p = {"resourceType": "Patient", "name": [{"family": family, "given": ["Van An"]}],
         "gender": "male", "birthDate": "1980-05-06",
         "identifier": [{"system": "urn:hb-it:access", "value": str(uuid.uuid4())}]}
    p.update(extra)
    return p


def encounter(pid, org, status="in-progress", start=None, end=None):
    e = {"resourceType": "Encounter", "status": status,
         "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
         "subject": {"reference": f"Patient/{pid}"},
         "serviceProvider": {"reference": f"Organization/{org}"}}
    if start or end:
        e["period"] = {k: v for k, v in (("start", start), ("end", end)) if v}
    return e


def observation(pid, value=120, ident=None):
    return {"resourceType": "Observation", "status": "final",
            "identifier": [{"system": "urn:hb-it:obs", "value": ident or str(uuid.uuid4())}],
            "code": {"coding": [{"system": "http://loinc.org", "code": "8480-6",
                                 "display": "Systolic blood pressure"}]},
            "subject": {"reference": f"Patient/{pid}"},
            "valueQuantity": {"value": value, "unit": "mmHg",
                              "system": "http://unitsofmeasure.org", "code": "mm[Hg]"}}


def service_request(pid, org, status="active"):
    return {"resourceType": "ServiceRequest", "status": status, "intent": "order",
            "code": {"text": "Referral to cardiology"},
            "subject": {"reference": f"Patient/{pid}"},
            "authoredOn": iso(days_ago(1)),
            "performer": [{"reference": f"Organization/{org}"}]}


def consent(pid, org=None, classes=(), status="active"):
    provision = {"type": "deny"}
    if org is not None:
        provision["actor"] = [{
            "role": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-RoleClass",
                                 "code": "PROV"}]},
            "reference": {"reference": f"Organization/{org}"}}]
    if classes:
        provision["class"] = [{"system": "http://hl7.org/fhir/resource-types", "code": c}
                              for c in classes]
    return {"resourceType": "Consent", "status": status,
            "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope",
                                  "code": "patient-privacy"}]},
            "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
            "patient": {"reference": f"Patient/{pid}"},
            "dateTime": iso(days_ago(0)),
            "policyRule": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                                       "code": "OPTOUT"}]},
            "provision": provision}


def entry_ids(bundle):
    return [e["resource"]["id"] for e in bundle.get("entry", [])
            if e.get("search", {}).get("mode", "match") == "match"]


# --------------------------------------------------------------------------- base class

class AccessTestCase(ServerTestCase):
    """A server with facilities A (11001) and B (11002) and helpers to make users, tokens
    and clinical records."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.org_a = cls.make(organization(CODE_A, "Benh vien A"))
        cls.org_b = cls.make(organization(CODE_B, "Benh vien B"))
        cls._clients = []
        cls.addClassCleanup(lambda: [c.close() for c in cls._clients])

    @classmethod
    def make(cls, resource):
        """Creates `resource` with the operator token; returns its id."""
        r = cls.c.post(resource["resourceType"], resource)
        if r.status != 201:
            raise AssertionError(f"setting up: {r.describe()}")
        return parse_location(r.header("Location"))[1]

    @classmethod
    def add_user(cls, name, role, facility=None, patient_id=None):
        """`healthbook user add`; returns the printed password."""
        args = ["user", "add", "--data", cls.server.data_dir, "--name", name, "--role", role]
        if facility:
            args += ["--facility", facility]
        if patient_id:
            args += ["--patient", patient_id]
        p = run_cli(*args)
        if p.returncode != 0:
            raise AssertionError(f"user add {name}: {output(p)}")
        m = re.search(r"password:\s*(\S+)", p.stdout)
        if not m:
            raise AssertionError(f"user add printed no password: {output(p)}")
        return m.group(1)

    @classmethod
    def client_with(cls, token):
        c = cls.server.client(token=token)
        cls._clients.append(c)
        return c

    @classmethod
    def as_user(cls, name, scope="user/*.cruds"):
        return cls.client_with(cls.server.mint_token(scope, "--user", name))

    @classmethod
    def as_role(cls, role, facility=None, scope="user/*.cruds", patient_id=None):
        """A token for `role` (no account behind it), as `token issue --role` mints."""
        args = ["--role", role]
        if facility:
            args += ["--facility", facility]
        if patient_id:
            args += ["--patient", patient_id]
        return cls.client_with(cls.server.mint_token(scope, *args))

    def new_patient(self, **extra):
        return self.make(patient(**extra))

    def care(self, pid, org, **kw):
        """An in-progress encounter of `pid` at `org` (created by the operator)."""
        return self.make(encounter(pid, org, **kw))

    def assertAllowed(self, client, path, msg=""):
        r = client.get(path)
        self.assertStatus(r, 200, msg=msg)
        return r

    def assertRefused(self, r, code=403, msg=""):
        self.assertStatus(r, code, msg=msg)
        self.assertOutcome(r, code)
        body = r.text
        # A refusal must not carry the record it refuses.
        self.assertNotIn('"name"', body, f"the refusal leaks the record. {msg}")
        return r

    def assertEntryOutcome(self, outcome):
        self.assertIsInstance(outcome, dict, "no OperationOutcome")
        self.assertEqual(outcome.get("resourceType"), "OperationOutcome", outcome)
        self.assertTrue(any(i.get("severity") in ("error", "fatal")
                            for i in outcome.get("issue", [])), outcome)

    def assertForbidden(self, client, path, msg=""):
        return self.assertRefused(client.get(path), 403, msg)

    def audit_trail(self, pid, client=None):
        c = client or self.c
        r = c.get(f"AuditEvent?patient={pid}&_count=1000")
        self.assertStatus(r, 200)
        self.assertEqual(r.json.get("resourceType"), "Bundle", r.describe())
        return [e["resource"] for e in r.json.get("entry", [])]

    def wait_audit(self, pid, pred, client=None, timeout=30.0):
        """The AuditEvents of `pid` matching pred, polling while the sink flushes
        (into the trail every second; generous for a loaded machine: it returns once found)."""
        deadline = time.monotonic() + timeout
        while True:
            found = [a for a in self.audit_trail(pid, client) if pred(a)]
            if found or time.monotonic() > deadline:
                return found
            time.sleep(0.05)


def agent_of(event):
    return event["agent"][0]["who"]["identifier"]["value"]


def entity_refs(event):
    return [e.get("what", {}).get("reference") for e in event.get("entity", [])]


def is_btg(event):
    return any(t.get("code") == "BTG" for t in event.get("meta", {}).get("tag", []))


# --------------------------------------------------------------------------- authentication

class AuthenticationTest(AccessTestCase):
    """Who is calling: bearer tokens and what makes one invalid."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pid = cls.make(patient(managingOrganization={"reference": f"Organization/{cls.org_a}"}))

    def test_no_token_is_401_with_www_authenticate(self):
        anon = self.client_with("")
        body = patient()
        requests = [
            ("GET", f"Patient/{self.pid}", None),          # read
            ("GET", "Patient?gender=male", None),          # search
            ("POST", "Patient", body),                      # create
            ("PUT", f"Patient/{self.pid}", dict(body, id=self.pid)),
            ("DELETE", f"Patient/{self.pid}", None),
            ("GET", "_history", None),
            ("GET", f"AuditEvent?patient={self.pid}", None),
            ("POST", "", {"resourceType": "Bundle", "type": "batch", "entry": [
                {"request": {"method": "GET", "url": f"Patient/{self.pid}"}}]}),
        ]
        for method, path, payload in requests:
            with self.subTest(method=method, path=path):
                r = anon.request(method, path if path else "/fhir", payload)
                self.assertStatus(r, 401)
                self.assertRegex(r.header("WWW-Authenticate") or "", r"(?i)^Bearer\b",
                                 f"401 without a Bearer challenge\n{r.describe()}")
                self.assertNotIn("Van An", r.text)
        # and nothing was changed: the patient is still there, unchanged
        g = self.c.get(f"Patient/{self.pid}")
        self.assertStatus(g, 200)
        self.assertEqual(g.json["meta"]["versionId"], "1")

    def test_open_endpoints_need_no_token(self):
        anon = self.client_with("")
        r = anon.get("metadata")
        self.assertStatus(r, 200)
        self.assertEqual(r.json.get("resourceType"), "CapabilityStatement")
        r = anon.get("/.well-known/smart-configuration")
        self.assertStatus(r, 200)
        conf = r.json
        self.assertTrue(conf["token_endpoint"].endswith("/auth/token"), conf)
        self.assertIn("client_credentials", conf.get("grant_types_supported", []))
        self.assertIn("private_key_jwt", conf.get("token_endpoint_auth_methods_supported", []))
        r = anon.get("/.well-known/jwks.json")
        self.assertStatus(r, 200)
        keys = r.json.get("keys")
        self.assertTrue(keys, r.describe())
        for k in keys:
            self.assertFalse({"d", "p", "q"} & set(k), f"private members in the JWKS: {k}")
        kid = jwt_parts(self.server.token)[0]["kid"]
        self.assertIn(kid, [k.get("kid") for k in keys], "the signing key is published")

    def test_malformed_authorization_header(self):
        for value in ("Basic b3BlcmF0b3I6c2VjcmV0", "Bearer", "Bearer ", "Bearer not.a.jwt",
                      self.server.token):  # the token without the scheme
            with self.subTest(value=value[:30]):
                c = self.client_with("")
                r = c.get(f"Patient/{self.pid}", headers={"Authorization": value})
                self.assertStatus(r, 401)

    def test_expired_token(self):
        token = self.server.mint_token("system/*.cruds").strip()
        short = run_cli("token", "issue", "--data", self.server.data_dir,
                        "--scope", "system/*.cruds", "--ttl", "1s")
        self.assertEqual(short.returncode, 0, output(short))
        short = short.stdout.strip()
        exp = jwt_parts(short)[1]["exp"]
        time.sleep(max(0.0, exp - time.time()) + 2.0)
        r = self.client_with(short).get(f"Patient/{self.pid}")
        self.assertStatus(r, 401, msg=f"a token that expired at {exp} "
                                      f"({time.time() - exp:.1f} s ago) was accepted")
        self.assertStatus(self.client_with(token).get(f"Patient/{self.pid}"), 200)

    def test_expired_token_used_before_expiry_stops_working(self):
        # The server caches verified tokens: the cache must honour exp too.
        p = run_cli("token", "issue", "--data", self.server.data_dir,
                    "--scope", "system/*.cruds", "--ttl", "6s")  # room for a slow first request
        self.assertEqual(p.returncode, 0, output(p))
        token = p.stdout.strip()
        c = self.client_with(token)
        self.assertStatus(c.get(f"Patient/{self.pid}"), 200)
        exp = jwt_parts(token)[1]["exp"]
        time.sleep(max(0.0, exp - time.time()) + 2.0)
        self.assertStatus(c.get(f"Patient/{self.pid}"), 401)

    def test_tampered_token(self):
        token = self.server.mint_token("user/*.rs", "--role", "doctor", "--facility", CODE_B)
        h, p, s = token.split(".")
        # The doctor of B has no care relationship: make the payload say 'system' instead.
        claims = json.loads(b64u_decode(p))
        claims["role"] = "system"
        claims["scope"] = "system/*.cruds"
        forged = {
            "payload flipped": f"{h}.{flip_char(p, len(p) // 2)}.{s}",
            "signature flipped": f"{h}.{p}.{flip_char(s, len(s) // 2)}",
            "claims rewritten": f"{h}.{b64u(json.dumps(claims))}.{s}",
            "signature removed": f"{h}.{p}.",
            "alg none": f"{b64u(json.dumps({'alg': 'none', 'typ': 'JWT'}))}."
                        f"{b64u(json.dumps(claims))}.",
        }
        jwks = self.client_with("").get("/.well-known/jwks.json").body
        hs_input = b64u(json.dumps({"alg": "HS256", "typ": "JWT", "kid": jwt_parts(token)[0]["kid"]})) \
            + "." + b64u(json.dumps(claims))
        forged["HS256 with the public key"] = hs_input + "." + b64u(
            hmac.new(jwks, hs_input.encode(), hashlib.sha256).digest())
        for name, bad in forged.items():
            with self.subTest(name):
                r = self.client_with(bad).get(f"Patient/{self.pid}")
                self.assertStatus(r, 401)
        # the untampered token is valid (authenticated; refused by policy only)
        self.assertStatus(self.client_with(token).get(f"Patient/{self.pid}"), 403)

    def test_token_signed_by_another_data_folder(self):
        other = tempfile.mkdtemp(prefix="hb-it-access-other-")
        self.addCleanup(shutil.rmtree, other, True)
        p = run_cli("token", "issue", "--data", other, "--scope", "system/*.cruds", "--ttl", "1h")
        self.assertEqual(p.returncode, 0, output(p))
        foreign = p.stdout.strip()
        r = self.client_with(foreign).get(f"Patient/{self.pid}")
        self.assertStatus(r, 401)

        # The same, but claiming this server's key id (kid): still not its signature.
        need_crypto()
        keyfiles = [f for f in os.listdir(os.path.join(other, "keys")) if f.endswith(".pem")]
        self.assertTrue(keyfiles, "the other data folder has a key")
        with open(os.path.join(other, "keys", sorted(keyfiles)[-1]), "rb") as f:
            other_key = serialization.load_pem_private_key(f.read(), password=None)
        header, claims, _ = jwt_parts(self.server.token)
        forged = es_sign(other_key, header, claims, 32)
        self.assertStatus(self.client_with(forged).get(f"Patient/{self.pid}"), 401)

    def test_disabled_user_token(self):
        self.add_user("disabled.doc", "doctor", CODE_A)
        token = self.server.mint_token("user/*.cruds", "--user", "disabled.doc")
        p = run_cli("user", "disable", "--data", self.server.data_dir, "--name", "disabled.doc")
        self.assertEqual(p.returncode, 0, output(p))
        r = self.client_with(token).get(f"Patient/{self.pid}")
        self.assertStatus(r, 401, msg="the token of a disabled account still works")
        # and a new token is refused at issue
        p = run_cli("token", "issue", "--data", self.server.data_dir, "--scope", "user/*.rs",
                    "--user", "disabled.doc")
        self.assertNotEqual(p.returncode, 0, output(p))

    def test_enabled_user_token_works(self):
        # the counterpart of the test above: same user set-up, not disabled
        self.add_user("enabled.doc", "doctor", CODE_A)
        r = self.as_user("enabled.doc").get(f"Patient/{self.pid}")
        self.assertStatus(r, 200)


# --------------------------------------------------------------------------- care relationships

class CareRelationshipTest(AccessTestCase):
    """Facility staff see a patient's data only with a care relationship."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_user("bs.a", "doctor", CODE_A)
        cls.add_user("bs.b", "doctor", CODE_B)
        cls.doc_a = cls.as_user("bs.a")
        cls.doc_b = cls.as_user("bs.b")

    def test_open_encounter_gives_access_to_its_facility_only(self):
        pid = self.new_patient()
        obs = self.make(observation(pid))
        self.assertForbidden(self.doc_a, f"Patient/{pid}", "no relationship yet")
        self.assertForbidden(self.doc_a, f"Observation/{obs}")
        self.care(pid, self.org_a)
        r = self.assertAllowed(self.doc_a, f"Patient/{pid}", "open encounter at A")
        self.assertEqual(r.json["id"], pid)
        self.assertAllowed(self.doc_a, f"Observation/{obs}")
        self.assertForbidden(self.doc_b, f"Patient/{pid}", "the encounter is at A, not B")
        self.assertForbidden(self.doc_b, f"Observation/{obs}")
        # vread and history are reads too
        self.assertAllowed(self.doc_a, f"Observation/{obs}/_history/1")
        self.assertForbidden(self.doc_b, f"Observation/{obs}/_history/1")
        h = self.doc_b.get(f"Observation/{obs}/_history")
        self.assertIn(h.status, (200, 403), h.describe())
        if h.status == 200:
            self.assertEqual(h.json.get("entry", []), [], "history leaks a forbidden record")

    def test_recently_finished_encounter_gives_access(self):
        pid = self.new_patient()
        self.care(pid, self.org_a, status="finished",
                  start=iso(days_ago(31)), end=iso(days_ago(30)))
        self.assertAllowed(self.doc_a, f"Patient/{pid}", "encounter ended 30 days ago")
        self.assertForbidden(self.doc_b, f"Patient/{pid}")

    def test_encounter_ended_long_ago_gives_no_access(self):
        pid = self.new_patient()
        self.care(pid, self.org_a, status="finished",
                  start="2020-03-01T08:00:00Z", end="2020-03-02T08:00:00Z")
        self.assertForbidden(self.doc_a, f"Patient/{pid}", "encounter ended in 2020")
        pid2 = self.new_patient()
        self.care(pid2, self.org_a, status="finished",
                  start=iso(days_ago(121)), end=iso(days_ago(120)))
        self.assertForbidden(self.doc_a, f"Patient/{pid2}", "encounter ended 120 days ago")

    def test_order_addressed_to_a_facility_gives_it_access(self):
        pid = self.new_patient()
        self.care(pid, self.org_a)
        self.make(service_request(pid, self.org_b))
        self.assertAllowed(self.doc_b, f"Patient/{pid}", "an order addressed to B")
        obs = self.make(observation(pid))
        self.assertAllowed(self.doc_b, f"Observation/{obs}")
        # a completed order from long ago does not
        pid2 = self.new_patient()
        old = service_request(pid2, self.org_b, status="completed")
        old["authoredOn"] = "2019-01-01T00:00:00Z"
        self.make(old)
        self.assertForbidden(self.doc_b, f"Patient/{pid2}", "an order completed in 2019")

    def test_registration_gives_access(self):
        pid = self.make(patient(managingOrganization={"reference": f"Organization/{self.org_b}"}))
        self.assertAllowed(self.doc_b, f"Patient/{pid}", "managingOrganization = B")
        self.assertForbidden(self.doc_a, f"Patient/{pid}")
        pid2 = self.make(patient(generalPractitioner=[{"reference": f"Organization/{self.org_a}"}]))
        self.assertAllowed(self.doc_a, f"Patient/{pid2}", "generalPractitioner = A")
        self.assertForbidden(self.doc_b, f"Patient/{pid2}")

    def test_care_ends_when_the_encounter_is_removed(self):
        pid = self.new_patient()
        enc = self.care(pid, self.org_a)
        self.assertAllowed(self.doc_a, f"Patient/{pid}")
        self.assertStatus(self.c.delete(f"Encounter/{enc}"), 200, 204)
        self.assertForbidden(self.doc_a, f"Patient/{pid}", "the encounter was deleted")

    def test_break_the_glass(self):
        pid = self.new_patient()
        obs = self.make(observation(pid))
        reason = f"unconscious patient in the emergency room {uuid.uuid4()}"
        r = self.doc_b.get(f"Patient/{pid}", headers={"X-Break-Glass-Reason": reason})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["id"], pid)
        self.assertStatus(self.doc_b.get(f"Observation/{obs}",
                                         headers={"X-Break-Glass-Reason": reason}), 200)
        flagged = self.wait_audit(pid, lambda a: is_btg(a) and agent_of(a) == "user:bs.b")
        self.assertTrue(flagged, f"no BTG-tagged AuditEvent for Patient/{pid}: "
                                 f"{json.dumps(self.audit_trail(pid))[:3000]}")
        texts = [p.get("text", "") for a in flagged for p in a.get("purposeOfEvent", [])]
        self.assertIn(reason, texts, f"the reason is not in purposeOfEvent: {flagged}")
        self.assertTrue(any(f"Patient/{pid}" in entity_refs(a) for a in flagged), flagged)
        # the glass is broken per request: without the header B is refused again
        self.assertForbidden(self.doc_b, f"Patient/{pid}")
        # an ordinary access with a care relationship is not flagged
        self.care(pid, self.org_a)
        self.assertAllowed(self.doc_a, f"Patient/{pid}")
        reads_a = self.wait_audit(pid, lambda a: agent_of(a) == "user:bs.a" and a["action"] == "R")
        self.assertTrue(reads_a, "A's read is audited")
        self.assertFalse(any(is_btg(a) for a in reads_a), reads_a)

    def test_refusals_are_audited(self):
        pid = self.new_patient()
        self.assertForbidden(self.doc_b, f"Patient/{pid}")
        refused = self.wait_audit(pid, lambda a: agent_of(a) == "user:bs.b")
        self.assertTrue(refused, "a refused read of patient data is audited")
        self.assertTrue(all(a["outcome"] != "0" for a in refused), refused)

    def test_search_returns_only_permitted_records(self):
        mine, other = self.new_patient(), self.new_patient()
        self.care(mine, self.org_a)
        obs_mine = self.make(observation(mine))
        other_ident = str(uuid.uuid4())
        obs_other = self.make(observation(other, ident=other_ident))
        everything = self.c.get(f"Observation?_id={obs_mine},{obs_other}")
        self.assertStatus(everything, 200)
        self.assertEqual(sorted(entry_ids(everything.json)), sorted([obs_mine, obs_other]),
                         "the operator sees both")
        for query in (f"Observation?_id={obs_mine},{obs_other}",
                      f"Observation?_id={obs_mine},{obs_other}&_total=accurate",
                      f"Observation?identifier=urn:hb-it:obs|{other_ident}"):
            with self.subTest(query):
                r = self.doc_a.get(query)
                self.assertStatus(r, 200)
                ids = entry_ids(r.json)
                self.assertNotIn(obs_other, ids, "a record without care relationship leaked")
                if "_id" in query:
                    self.assertEqual(ids, [obs_mine])
                total = r.json.get("total")
                self.assertTrue(total is None or total == len(ids),
                                f"total {total} counts records the caller may not see")
                self.assertNotIn(obs_other, json.dumps(r.json.get("entry", [])))
        # POST _search filters the same way
        r = self.doc_a.request("POST", "Observation/_search",
                               f"_id={obs_mine},{obs_other}".encode(), content_type=FORM)
        self.assertStatus(r, 200)
        self.assertEqual(entry_ids(r.json), [obs_mine])

    def test_role_matrix(self):
        """Each staff role of A: with a care relationship (encounter at A) and without."""
        cared, stranger = self.new_patient(), self.new_patient()
        self.care(cared, self.org_a)
        obs_cared = self.make(observation(cared))
        obs_stranger = self.make(observation(stranger))
        clinical = ["doctor", "nurse", "lab-technician", "imaging-technician", "pharmacist",
                    "commune-health-worker", "claims-officer", "cashier", "facility-admin",
                    "integration"]
        for role in clinical:
            with self.subTest(role=role):
                c = self.as_role(role, CODE_A)
                self.assertAllowed(c, f"Patient/{cared}")
                self.assertAllowed(c, f"Observation/{obs_cared}")
                if role == "commune-health-worker":
                    # receives patients at the commune station, as a reception desk does
                    # (access/roles.h): may find any Patient, but not read their records
                    self.assertAllowed(c, f"Patient/{stranger}")
                else:
                    self.assertForbidden(c, f"Patient/{stranger}")
                self.assertForbidden(c, f"Observation/{obs_stranger}")
                self.assertAllowed(c, f"Organization/{self.org_b}",
                                   "records outside every Patient compartment are shared")
        with self.subTest(role="receptionist"):
            c = self.as_role("receptionist", CODE_A)
            self.assertAllowed(c, f"Patient/{stranger}", "reception finds patients")
            self.assertForbidden(c, f"Observation/{obs_stranger}", "but not their clinical data")
        with self.subTest(role="system-admin"):
            c = self.as_role("system-admin", scope="user/*.rs")
            self.assertForbidden(c, f"Patient/{cared}")
            self.assertForbidden(c, f"Observation/{obs_cared}")
            self.assertAllowed(c, f"Organization/{self.org_a}")
        with self.subTest(role="staff without a facility"):
            c = self.as_role("doctor")
            self.assertForbidden(c, f"Patient/{cared}")
        with self.subTest(role="doctor of a facility code with no Organization"):
            c = self.as_role("doctor", "99999")
            self.assertForbidden(c, f"Patient/{cared}")

    def test_doh_official_counts_only(self):
        self.add_user("doh.official", "doh-official")
        doh = self.as_user("doh.official", scope="user/*.rs")
        pid = self.new_patient()
        self.care(pid, self.org_a)  # even a patient someone cares for
        self.assertForbidden(doh, f"Patient/{pid}")
        r = doh.get("Patient?_summary=count")
        self.assertStatus(r, 200)
        total = r.json.get("total")
        self.assertIsInstance(total, int, r.describe())
        expected = self.c.get("Patient?_summary=count").json.get("total")
        self.assertEqual(total, expected, "the official's count is the true count")
        self.assertGreaterEqual(total, 1)
        self.assertFalse(r.json.get("entry"), "a count returns no records")
        self.assertRefused(doh.get("Patient"), 403)
        self.assertRefused(doh.get(f"Patient?_id={pid}"), 403)
        self.assertRefused(doh.get("Observation"), 403)
        self.assertStatus(doh.get("Observation?_summary=count"), 200)
        self.assertAllowed(doh, f"Organization/{self.org_a}")
        # counting is for aggregate roles only
        self.assertRefused(self.doc_a.get("Patient?_summary=count"), 403)
        # the official changes nothing
        self.assertRefused(self.as_user("doh.official", scope="user/*.cruds")
                           .post("Patient", patient()), 403)


# --------------------------------------------------------------------------- citizens

class AuditBatchTest(AccessTestCase):
    """Reads of one patient's records by one agent within a batch of the trail are one
    AuditEvent listing every record read (access::AuditSink::Merge); refusals and other
    agents keep their own events."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_user("bs.batch.a", "doctor", CODE_A)
        cls.add_user("bs.batch.b", "doctor", CODE_B)
        cls.doc_a = cls.as_user("bs.batch.a")
        cls.doc_b = cls.as_user("bs.batch.b")

    def test_reads_of_one_patient_are_one_event_listing_each_record(self):
        pid = self.new_patient()
        obs1 = self.make(observation(pid, 121))
        obs2 = self.make(observation(pid, 122))
        self.care(pid, self.org_a)
        reads = [f"Patient/{pid}", f"Observation/{obs1}", f"Observation/{obs2}",
                 f"Observation/{obs1}"]
        for path in reads:
            self.assertAllowed(self.doc_a, path)
        self.assertForbidden(self.doc_b, f"Observation/{obs2}")

        def by(agent, outcome):
            return [e for e in self.audit_trail(pid)
                    if agent_of(e) == agent and e.get("outcome") == outcome
                    and e["subtype"][0]["code"] == "read"]
        granted = self.wait_audit(pid, lambda e: agent_of(e) == "user:bs.batch.a"
                                  and e.get("outcome") == "0")
        self.assertTrue(granted)
        granted = by("user:bs.batch.a", "0")
        # Every record read is in the trail (the patient entity plus the records read).
        for ref in set(reads):
            self.assertTrue(any(ref in entity_refs(e)[1:] for e in granted), (ref, granted))
        self.assertLess(len(granted), len(reads), "the reads of one patient are batched")
        self.assertTrue(any(len(entity_refs(e)) > 2 for e in granted), granted)
        # The other facility's refusal is its own event.
        refused = by("user:bs.batch.b", "4")
        self.assertEqual(len(refused), 1, refused)
        self.assertEqual(entity_refs(refused[0])[1:], [f"Observation/{obs2}"])


class CitizenTest(AccessTestCase):
    """A citizen reads their own record and who accessed it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.me = cls.make(patient(family="Tran"))
        cls.other = cls.make(patient(family="Le"))
        cls.my_obs = cls.make(observation(cls.me))
        cls.other_ident = str(uuid.uuid4())
        cls.other_obs = cls.make(observation(cls.other, ident=cls.other_ident))
        cls.make(encounter(cls.me, cls.org_a))
        cls.add_user("citizen.tran", "citizen", patient_id=cls.me)
        cls.add_user("bs.a", "doctor", CODE_A)
        cls.me_client = cls.as_user("citizen.tran", scope="patient/*.rs patient/Consent.cruds")
        cls.doc_a = cls.as_user("bs.a")

    def test_reads_own_record_only(self):
        r = self.assertAllowed(self.me_client, f"Patient/{self.me}")
        self.assertEqual(r.json["id"], self.me)
        self.assertAllowed(self.me_client, f"Observation/{self.my_obs}")
        self.assertForbidden(self.me_client, f"Patient/{self.other}")
        self.assertForbidden(self.me_client, f"Observation/{self.other_obs}")

    def test_search_returns_only_own(self):
        r = self.me_client.get("Observation?_count=100")
        self.assertStatus(r, 200)
        ids = entry_ids(r.json)
        self.assertIn(self.my_obs, ids)
        self.assertNotIn(self.other_obs, ids)
        total = r.json.get("total")
        self.assertTrue(total is None or total == len(ids), f"total {total} counts others")
        r = self.me_client.get("Patient?_count=100")
        self.assertStatus(r, 200)
        self.assertEqual(entry_ids(r.json), [self.me])
        r = self.me_client.get(f"Observation?identifier=urn:hb-it:obs|{self.other_ident}")
        self.assertStatus(r, 200)
        self.assertEqual(entry_ids(r.json), [])
        r = self.me_client.get(f"Observation?_id={self.my_obs},{self.other_obs}")
        self.assertStatus(r, 200)
        self.assertEqual(entry_ids(r.json), [self.my_obs])

    def test_sees_who_accessed_the_record(self):
        self.assertAllowed(self.doc_a, f"Patient/{self.me}")
        found = self.wait_audit(
            self.me, lambda a: agent_of(a) == "user:bs.a" and a["action"] == "R",
            client=self.me_client)
        self.assertTrue(found, "the doctor's read is not in the citizen's AuditEvent list: "
                               f"{json.dumps(self.audit_trail(self.me, self.me_client))[:3000]}")
        self.assertIn(f"Patient/{self.me}", entity_refs(found[0]))
        self.assertIn(CODE_A, found[0]["agent"][0]["who"].get("display", ""),
                      "the facility is named")
        # the trail of someone else is not theirs to see
        self.assertRefused(self.me_client.get(f"AuditEvent?patient={self.other}"), 403)
        self.assertRefused(self.me_client.get("AuditEvent"), 403)
        # and the doctor does not see audit trails
        self.assertRefused(self.doc_a.get(f"AuditEvent?patient={self.me}"), 403)

    def test_changes_only_own_consents(self):
        self.assertRefused(self.me_client.post("Observation", observation(self.me)), 403)
        self.assertRefused(self.me_client.put(f"Patient/{self.me}",
                                              patient(family="Tran", id=self.me)), 403)
        r = self.me_client.post("Consent", consent(self.me, self.org_b, classes=["Condition"]))
        self.assertStatus(r, 201)
        self.assertRefused(self.me_client.post("Consent", consent(self.other, self.org_b)), 403)

    def test_token_for_another_patient_reads_that_patient_only(self):
        # the patient claim, not the account name, decides
        c = self.as_role("citizen", patient_id=self.other, scope="patient/*.rs")
        self.assertAllowed(c, f"Patient/{self.other}")
        self.assertForbidden(c, f"Patient/{self.me}")


# --------------------------------------------------------------------------- writes

class WriteAccessTest(AccessTestCase):
    """Staff change only their own facility's records; the audit trail is read-only."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_user("bs.a", "doctor", CODE_A)
        cls.add_user("dd.a", "nurse", CODE_A)
        cls.add_user("bs.b", "doctor", CODE_B)
        cls.doc_a = cls.as_user("bs.a")
        cls.nurse_a = cls.as_user("dd.a")
        cls.doc_b = cls.as_user("bs.b")

    def test_create_needs_a_care_relationship(self):
        pid = self.new_patient()
        self.care(pid, self.org_a)
        r = self.doc_a.post("Observation", observation(pid))
        self.assertStatus(r, 201)
        stranger = self.new_patient()
        ident = str(uuid.uuid4())
        self.assertRefused(self.doc_a.post("Observation", observation(stranger, ident=ident)), 403)
        self.assertEqual(self.c.get(f"Observation?identifier=urn:hb-it:obs|{ident}")
                         .json.get("entry", []), [], "the refused create was stored")

    def test_encounter_that_starts_the_care(self):
        pid = self.new_patient()
        self.assertForbidden(self.doc_a, f"Patient/{pid}")
        r = self.doc_a.post("Encounter", encounter(pid, self.org_a))
        self.assertStatus(r, 201)
        self.assertAllowed(self.doc_a, f"Patient/{pid}")
        # but not a relationship for another facility
        pid2 = self.new_patient()
        self.assertRefused(self.doc_a.post("Encounter", encounter(pid2, self.org_b)), 403)
        self.assertForbidden(self.doc_b, f"Patient/{pid2}")

    def test_only_the_writing_facility_changes_a_record(self):
        pid = self.new_patient()
        self.care(pid, self.org_a)
        r = self.doc_a.post("Observation", observation(pid, 130))
        self.assertStatus(r, 201)
        oid = parse_location(r.header("Location"))[1]
        self.care(pid, self.org_b)  # B cares for the patient too
        self.assertAllowed(self.doc_b, f"Observation/{oid}", "B may read it")
        changed = dict(observation(pid, 999), id=oid)
        self.assertRefused(self.doc_b.put(f"Observation/{oid}", changed), 403)
        self.assertRefused(self.doc_b.patch(f"Observation/{oid}", [
            {"op": "replace", "path": "/valueQuantity/value", "value": 1}]), 403)
        self.assertRefused(self.doc_b.delete(f"Observation/{oid}"), 403)
        cur = self.c.get(f"Observation/{oid}").json
        self.assertEqual(cur["meta"]["versionId"], "1", "B's refused changes were stored")
        # the staff of A may
        r = self.nurse_a.put(f"Observation/{oid}", dict(observation(pid, 131), id=oid))
        self.assertStatus(r, 200)
        self.assertEqual(self.c.get(f"Observation/{oid}").json["valueQuantity"]["value"], 131)

    def test_patient_resource_changed_by_any_caring_facility(self):
        pid = self.new_patient()
        self.care(pid, self.org_b)
        body = dict(self.c.get(f"Patient/{pid}").json)
        body["gender"] = "female"
        self.assertStatus(self.doc_b.put(f"Patient/{pid}", body), 200)
        self.assertRefused(self.doc_a.put(f"Patient/{pid}", body), 403)

    def test_roles_that_do_not_write_clinical_data(self):
        pid = self.new_patient()
        self.care(pid, self.org_a)
        for role, scope in (("facility-admin", "user/*.cruds"), ("doh-official", "user/*.cruds"),
                            ("system-admin", "user/*.cruds")):
            with self.subTest(role=role):
                c = self.as_role(role, CODE_A if role == "facility-admin" else None, scope=scope)
                self.assertRefused(c.post("Observation", observation(pid)), 403)
        # shared records are for administrators
        self.assertRefused(self.doc_a.post("Organization", organization("11099", "X")), 403)
        admin = self.as_role("facility-admin", CODE_A)
        r = admin.post("Organization", organization("11098", "Y"))
        self.assertStatus(r, 201)
        # ... of their own facility: B's administrator may not change what A's wrote
        oid = parse_location(r.header("Location"))[1]
        mine = admin.get(f"Organization/{oid}").json
        mine["name"] = "Y (renamed by B)"
        admin_b = self.as_role("facility-admin", CODE_B)
        self.assertRefused(admin_b.put(f"Organization/{oid}", mine), 403)
        mine["name"] = "Y (renamed by A)"
        self.assertStatus(admin.put(f"Organization/{oid}", mine), 200)
        # reception registers patients
        rec = self.as_role("receptionist", CODE_A)
        self.assertStatus(rec.post("Patient", patient()), 201)

    def test_audit_events_cannot_be_changed_or_deleted(self):
        pid = self.new_patient()
        self.assertAllowed(self.c, f"Patient/{pid}")
        trail = self.wait_audit(pid, lambda a: True)
        self.assertTrue(trail, "the operator's read is audited")
        event = trail[0]
        aid = event["id"]
        forged = json.loads(json.dumps(event))
        forged["agent"][0]["who"]["identifier"]["value"] = "user:mallory"
        for client, who in ((self.doc_a, "doctor"), (self.c, "operator")):
            with self.subTest(who=who, method="DELETE"):
                self.assertStatus(client.delete(f"AuditEvent/{aid}"), 405,
                                  msg="DELETE of an audit record")
            with self.subTest(who=who, method="PATCH"):
                r = client.patch(f"AuditEvent/{aid}", [
                    {"op": "replace", "path": "/outcome", "value": "0"}])
                self.assertStatus(r, 405, msg="PATCH of an audit record")
            with self.subTest(who=who, method="PUT"):
                # the doctor may also be refused for want of a care relationship
                codes = (405,) if who == "operator" else (403, 405)
                self.assertStatus(client.put(f"AuditEvent/{aid}", forged), *codes,
                                  msg="PUT over an audit record (the trail's own id)")
        after = [a for a in self.audit_trail(pid) if a["id"] == aid]
        self.assertEqual(after, [event], "the audit record changed")
        self.assertNotIn("user:mallory", json.dumps(self.audit_trail(pid)))
        r = self.c.get(f"AuditEvent/{aid}")
        self.assertNotIn("user:mallory", r.text, "a forged AuditEvent is served")


# --------------------------------------------------------------------------- consent

class ConsentTest(AccessTestCase):
    """An active Consent withholding a record from a facility is honoured."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_user("bs.a", "doctor", CODE_A)
        cls.add_user("bs.b", "doctor", CODE_B)
        cls.doc_a = cls.as_user("bs.a")
        cls.doc_b = cls.as_user("bs.b")

    def cared_by_both(self):
        pid = self.new_patient()
        self.care(pid, self.org_a)
        self.care(pid, self.org_b)
        obs = self.make(observation(pid))
        self.assertAllowed(self.doc_b, f"Patient/{pid}", "before the consent")
        self.assertAllowed(self.doc_b, f"Observation/{obs}", "before the consent")
        return pid, obs

    def test_consent_validates(self):
        pid = self.new_patient()
        r = self.c.post("Consent", consent(pid, self.org_b, classes=["Observation"]))
        self.assertStatus(r, 201)

    def test_deny_for_one_facility(self):
        pid, obs = self.cared_by_both()
        cid = self.make(consent(pid, self.org_b))
        self.assertForbidden(self.doc_b, f"Patient/{pid}", "B is denied by the Consent")
        self.assertForbidden(self.doc_b, f"Observation/{obs}")
        r = self.doc_b.get(f"Observation?_id={obs}")
        self.assertStatus(r, 200)
        self.assertEqual(entry_ids(r.json), [], "search leaks withheld records")
        self.assertAllowed(self.doc_a, f"Patient/{pid}", "A is not named by the Consent")
        self.assertAllowed(self.doc_a, f"Observation/{obs}")

        reason = f"anaphylaxis, patient cannot speak {uuid.uuid4()}"
        r = self.doc_b.get(f"Observation/{obs}", headers={"X-Break-Glass-Reason": reason})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["id"], obs)
        flagged = self.wait_audit(pid, lambda a: is_btg(a) and agent_of(a) == "user:bs.b")
        self.assertTrue(flagged, "the break-the-glass read over a Consent is not flagged")
        self.assertIn(reason, [p.get("text") for a in flagged for p in a.get("purposeOfEvent", [])])

        # revoking the Consent restores the access
        revoked = dict(consent(pid, self.org_b, status="inactive"), id=cid)
        self.assertStatus(self.c.put(f"Consent/{cid}", revoked), 200)
        self.assertAllowed(self.doc_b, f"Patient/{pid}", "the Consent is inactive")

    def test_deny_for_one_resource_type(self):
        pid, obs = self.cared_by_both()
        enc = self.care(pid, self.org_a, status="finished", start=iso(days_ago(2)),
                        end=iso(days_ago(1)))
        self.make(consent(pid, self.org_b, classes=["Observation"]))
        self.assertForbidden(self.doc_b, f"Observation/{obs}", "Observations are withheld")
        self.assertAllowed(self.doc_b, f"Patient/{pid}", "the Patient is not withheld")
        self.assertAllowed(self.doc_b, f"Encounter/{enc}", "Encounters are not withheld")
        self.assertAllowed(self.doc_a, f"Observation/{obs}")

    def test_deny_for_every_facility_but_the_writer(self):
        pid, obs = self.cared_by_both()
        r = self.doc_a.post("Observation", observation(pid, 140))
        self.assertStatus(r, 201)
        own = parse_location(r.header("Location"))[1]
        self.make(consent(pid))  # no actor: everyone
        self.assertForbidden(self.doc_a, f"Patient/{pid}")
        self.assertForbidden(self.doc_a, f"Observation/{obs}")
        self.assertForbidden(self.doc_b, f"Observation/{own}")
        self.assertAllowed(self.doc_a, f"Observation/{own}", "A wrote this one")

    def test_inactive_or_permit_consent_denies_nothing(self):
        pid, obs = self.cared_by_both()
        self.make(consent(pid, self.org_b, status="inactive"))
        permit = consent(pid, self.org_b)
        permit["provision"]["type"] = "permit"
        self.make(permit)
        self.assertAllowed(self.doc_b, f"Observation/{obs}")

    def test_citizen_withholds_their_record(self):
        pid, obs = self.cared_by_both()
        self.add_user(f"citizen.{pid}", "citizen", patient_id=pid)
        me = self.as_user(f"citizen.{pid}", scope="patient/*.rs patient/Consent.cruds")
        self.assertStatus(me.post("Consent", consent(pid, self.org_b)), 201)
        self.assertForbidden(self.doc_b, f"Observation/{obs}")
        self.assertAllowed(self.doc_a, f"Observation/{obs}")


class IncludeScopeTest(AccessTestCase):
    """_include/_revinclude return a resource only when the token's scopes allow its own
    type (rest/search_op.cpp), besides need-to-know."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_user("bs.inc", "doctor", CODE_A)

    def test_include_needs_a_scope_on_the_included_type(self):
        pid = self.new_patient()
        self.care(pid, self.org_a)
        code = str(uuid.uuid4())
        obs = self.make({
            "resourceType": "Observation", "status": "final",
            "code": {"coding": [{"system": "urn:hb-it:code", "code": code}]},
            "subject": {"reference": f"Patient/{pid}"}})
        search = f"Observation?code=urn:hb-it:code|{code}&_include=Observation:subject"

        def found(client, path):
            r = client.get(path)
            self.assertStatus(r, 200)
            return sorted((e["resource"]["resourceType"], e["resource"]["id"])
                          for e in r.json.get("entry", []))

        obs_only = self.as_user("bs.inc", scope="user/Observation.rs")
        with_patient = self.as_user("bs.inc", scope="user/Observation.rs user/Patient.rs")
        self.assertEqual(found(obs_only, search), [("Observation", obs)])
        self.assertEqual(found(with_patient, search), [("Observation", obs), ("Patient", pid)])
        # The same from the other side: Patient?_revinclude with a Patient-only token.
        rev = f"Patient?_id={pid}&_revinclude=Observation:subject"
        patient_only = self.as_user("bs.inc", scope="user/Patient.rs")
        self.assertEqual(found(patient_only, rev), [("Patient", pid)])
        self.assertIn(("Observation", obs), found(with_patient, rev))


class ContainedAccessTest(AccessTestCase):
    """`_contained` searches return containers, or with _containedType=contained the
    contained resources: each is checked as what it is (the token's scopes on its type, a
    Consent on its type), not only as the searched type (rest/search_op.cpp)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_user("bs.a", "doctor", CODE_A)
        cls.add_user("bs.b", "doctor", CODE_B)

    def report(self, pid):
        """A DiagnosticReport of `pid` holding a contained Observation of a code of its own;
        returns (report id, the Observation search by that code)."""
        code = str(uuid.uuid4())
        dr = self.make({
            "resourceType": "DiagnosticReport", "status": "final",
            "code": {"text": "Tổng phân tích tế bào máu"},
            "subject": {"reference": f"Patient/{pid}"},
            "contained": [{"resourceType": "Observation", "id": "hb", "status": "final",
                           "code": {"coding": [{"system": "urn:hb-it:code", "code": code}]},
                           "subject": {"reference": f"Patient/{pid}"},
                           "valueQuantity": {"value": 135, "unit": "g/L",
                                             "system": "http://unitsofmeasure.org",
                                             "code": "g/L"}}],
            "result": [{"reference": "#hb"}]})
        return dr, f"Observation?code=urn:hb-it:code|{code}&_contained=true"

    def matches(self, client, path):
        r = client.get(path)
        self.assertStatus(r, 200)
        self.assertEqual(r.json.get("resourceType"), "Bundle", r.describe())
        return r.json, [(e["resource"]["resourceType"], e["resource"]["id"])
                        for e in r.json.get("entry", [])]

    def test_scopes_apply_to_the_type_returned(self):
        pid = self.new_patient()
        self.care(pid, self.org_a)
        dr, search = self.report(pid)
        obs_only = self.as_user("bs.a", scope="user/Observation.rs")
        both = self.as_user("bs.a", scope="user/Observation.rs user/DiagnosticReport.rs")
        # Containers: a DiagnosticReport, which an Observation-only token may not read.
        bundle, found = self.matches(obs_only, search)
        self.assertEqual(found, [], "a container of a type outside the token's scopes")
        self.assertNotIn("total", bundle, "the total counts a withheld container")
        self.assertNotIn("Tổng phân tích", json.dumps(bundle, ensure_ascii=False))
        self.assertEqual(self.matches(both, search)[1], [("DiagnosticReport", dr)])
        # The contained Observation alone: part of a record of a type the token may not read.
        self.assertEqual(self.matches(obs_only, search + "&_containedType=contained")[1], [])
        self.assertEqual(self.matches(both, search + "&_containedType=contained")[1],
                         [("Observation", "hb")])
        # _contained=both: the type's own matches stay, the container goes.
        self.assertEqual(self.matches(obs_only, search.replace("=true", "=both"))[1], [])

    def test_consent_on_the_contained_type_and_audit(self):
        pid = self.new_patient()
        self.care(pid, self.org_a)
        self.care(pid, self.org_b)
        dr, search = self.report(pid)
        doc_a, doc_b = self.as_user("bs.a"), self.as_user("bs.b")
        contained = search + "&_containedType=contained"
        self.assertEqual(self.matches(doc_b, contained)[1], [("Observation", "hb")],
                         "before the Consent")
        self.make(consent(pid, self.org_b, classes=["Observation"]))
        # B may not see the patient's Observations: not even one inside a report.
        self.assertEqual(self.matches(doc_b, contained)[1], [],
                         "a contained Observation passes a Consent withholding Observations")
        # Nor the report that holds it inline: as a `_contained` container, read, or searched
        # as a report, it carries an Observation.
        bundle, found = self.matches(doc_b, search)
        self.assertEqual(found, [], "a container passes with a withheld Observation inside")
        self.assertNotIn("135", json.dumps(bundle))
        self.assertEqual(self.matches(doc_b, f"DiagnosticReport?_id={dr}")[1], [])
        self.assertIn(doc_b.get(f"DiagnosticReport/{dr}").status, (403, 404))
        # A report of the same patient without a contained Observation is not withheld (the
        # Consent names Observations only).
        plain = self.make({"resourceType": "DiagnosticReport", "status": "final",
                           "code": {"text": "Sinh hoá máu"},
                           "subject": {"reference": f"Patient/{pid}"}})
        self.assertStatus(doc_b.get(f"DiagnosticReport/{plain}"), 200)
        self.assertEqual(self.matches(doc_a, contained)[1], [("Observation", "hb")])
        self.assertEqual(self.matches(doc_a, search)[1], [("DiagnosticReport", dr)])
        # What is contained adds the patients' Consents only, not the rules of its type: a
        # receptionist, who may find any Patient, still finds one holding a RelatedPerson inline
        # (reading a RelatedPerson needs a care relationship).
        kin = self.new_patient(contained=[{
            "resourceType": "RelatedPerson", "id": "mother", "patient": {"reference": "#"},
            "name": [{"family": "Lò", "given": ["Thị Hoa"]}]}],
            link=[{"other": {"reference": "#mother"}, "type": "seealso"}])
        self.assertStatus(self.as_role("receptionist", CODE_B).get(f"Patient/{kin}"), 200)
        # The reads of the contained resource are audited as patient data, refusal included.
        target = f"DiagnosticReport/{dr}#hb"
        read = self.wait_audit(pid, lambda a: agent_of(a) == "user:bs.a"
                               and target in entity_refs(a))
        self.assertTrue(read, "the read of a contained Observation is not audited")
        refused = self.wait_audit(pid, lambda a: agent_of(a) == "user:bs.b"
                                  and target in entity_refs(a) and a.get("outcome") == "4")
        self.assertTrue(refused, "the refused read of a contained Observation is not audited")


# --------------------------------------------------------------------------- bundles

class BundleAccessTest(AccessTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_user("bs.a", "doctor", CODE_A)
        cls.doc_a = cls.as_user("bs.a")
        cls.mine = cls.make(patient())
        cls.stranger = cls.make(patient())
        cls.make(encounter(cls.mine, cls.org_a))
        cls.obs_mine = cls.make(observation(cls.mine))
        cls.obs_stranger = cls.make(observation(cls.stranger))

    def test_batch_answers_each_entry(self):
        ident = str(uuid.uuid4())
        bundle = {"resourceType": "Bundle", "type": "batch", "entry": [
            {"request": {"method": "GET", "url": f"Patient/{self.mine}"}},
            {"request": {"method": "GET", "url": f"Patient/{self.stranger}"}},
            {"request": {"method": "GET", "url": f"Observation?_id={self.obs_mine},{self.obs_stranger}"}},
            {"request": {"method": "POST", "url": "Observation"},
             "resource": observation(self.stranger, ident=ident)},
            {"request": {"method": "POST", "url": "Observation"},
             "resource": observation(self.mine)},
        ]}
        r = self.doc_a.request("POST", "/fhir", bundle)
        self.assertStatus(r, 200)
        out = r.json
        self.assertEqual(out.get("type"), "batch-response")
        codes = [status_code(e.get("response", {}).get("status")) for e in out["entry"]]
        self.assertEqual(codes, [200, 403, 200, 403, 201], json.dumps(out)[:3000])
        self.assertEqual(out["entry"][0]["resource"]["id"], self.mine)
        self.assertNotIn("resource", out["entry"][1], "the forbidden entry carries the record")
        self.assertEntryOutcome(out["entry"][1]["response"].get("outcome"))
        search = out["entry"][2]["resource"]
        self.assertEqual(entry_ids(search), [self.obs_mine])
        self.assertTrue(search.get("total") in (None, 1), search.get("total"))
        self.assertEqual(self.c.get(f"Observation?identifier=urn:hb-it:obs|{ident}")
                         .json.get("entry", []), [])

    def test_transaction_with_one_forbidden_write_is_refused_whole(self):
        ok_ident, bad_ident = str(uuid.uuid4()), str(uuid.uuid4())
        bundle = {"resourceType": "Bundle", "type": "transaction", "entry": [
            {"fullUrl": f"urn:uuid:{uuid.uuid4()}",
             "request": {"method": "POST", "url": "Observation"},
             "resource": observation(self.mine, ident=ok_ident)},
            {"fullUrl": f"urn:uuid:{uuid.uuid4()}",
             "request": {"method": "POST", "url": "Observation"},
             "resource": observation(self.stranger, ident=bad_ident)},
        ]}
        r = self.doc_a.request("POST", "/fhir", bundle)
        self.assertOutcome(r, 403)
        for ident in (ok_ident, bad_ident):
            self.assertEqual(self.c.get(f"Observation?identifier=urn:hb-it:obs|{ident}")
                             .json.get("entry", []), [], f"{ident} was stored")
        # the permitted half alone goes through
        bundle["entry"] = bundle["entry"][:1]
        r = self.doc_a.request("POST", "/fhir", bundle)
        self.assertStatus(r, 200)
        self.assertEqual(len(self.c.get(f"Observation?identifier=urn:hb-it:obs|{ok_ident}")
                             .json.get("entry", [])), 1)

    def test_transaction_reading_a_forbidden_record_is_refused(self):
        bundle = {"resourceType": "Bundle", "type": "transaction", "entry": [
            {"request": {"method": "GET", "url": f"Observation/{self.obs_stranger}"}}]}
        r = self.doc_a.request("POST", "/fhir", bundle)
        self.assertStatus(r, 403)
        self.assertNotIn("mmHg", r.text)


# --------------------------------------------------------------------------- scopes

class ScopeTest(AccessTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.add_user("bs.a", "doctor", CODE_A)
        cls.pid = cls.make(patient())
        cls.make(encounter(cls.pid, cls.org_a))
        cls.obs = cls.make(observation(cls.pid))

    def test_user_patient_read_scope(self):
        c = self.as_user("bs.a", scope="user/Patient.rs")
        self.assertAllowed(c, f"Patient/{self.pid}")
        self.assertStatus(c.get("Patient?gender=male"), 200)
        self.assertForbidden(c, f"Observation/{self.obs}")
        self.assertRefused(c.get(f"Observation?_id={self.obs}"), 403)
        self.assertRefused(c.post("Patient", patient()), 403)
        self.assertRefused(c.post("Observation", observation(self.pid)), 403)
        # the same user with a wider scope may
        wide = self.as_user("bs.a", scope="user/*.cruds")
        self.assertAllowed(wide, f"Observation/{self.obs}")
        self.assertStatus(wide.post("Observation", observation(self.pid)), 201)

    def test_search_only_scope_does_not_read(self):
        c = self.as_user("bs.a", scope="user/Observation.s")
        r = c.get(f"Observation?_id={self.obs}")
        self.assertStatus(r, 200)
        self.assertEqual(entry_ids(r.json), [self.obs])
        self.assertForbidden(c, f"Observation/{self.obs}")

    def test_v1_scopes(self):
        c = self.as_user("bs.a", scope="user/*.read")
        self.assertAllowed(c, f"Observation/{self.obs}")
        self.assertRefused(c.post("Observation", observation(self.pid)), 403)

    def test_operator_scope_limits_the_operator(self):
        c = self.client_with(self.server.mint_token("system/Observation.rs"))
        self.assertAllowed(c, f"Observation/{self.obs}")
        self.assertStatus(c.get(f"Observation?_id={self.obs}"), 200)
        self.assertRefused(c.post("Observation", observation(self.pid)), 403)
        self.assertRefused(c.put(f"Observation/{self.obs}",
                                 dict(observation(self.pid), id=self.obs)), 403)
        self.assertRefused(c.delete(f"Observation/{self.obs}"), 403)
        self.assertForbidden(c, f"Patient/{self.pid}")
        self.assertAllowed(self.c, f"Observation/{self.obs}")  # still there
        bundle = {"resourceType": "Bundle", "type": "batch", "entry": [
            {"request": {"method": "POST", "url": "Observation"},
             "resource": observation(self.pid)}]}
        r = c.request("POST", "/fhir", bundle)
        if r.status == 200:
            self.assertEqual(status_code(r.json["entry"][0]["response"]["status"]), 403)
        else:
            self.assertStatus(r, 403)


# --------------------------------------------------------------------------- sessions

class SessionTest(AccessTestCase):
    """Sign-in with user name and password: cookie, CSRF, lockout, logout."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pid = cls.make(patient())
        cls.make(encounter(cls.pid, cls.org_a))
        cls.stranger = cls.make(patient())
        cls.password = cls.add_user("bs.session", "doctor", CODE_A)

    def login(self, username, password):
        anon = self.client_with("")
        return anon.request("POST", "/auth/login",
                            json.dumps({"username": username, "password": password}).encode(),
                            content_type="application/json")

    def session(self, username="bs.session", password=None):
        r = self.login(username, password or self.password)
        self.assertStatus(r, 200)
        cookie = r.header("Set-Cookie") or ""
        m = re.match(r"hb_session=([^;]+)", cookie)
        self.assertIsNotNone(m, f"no hb_session cookie: {cookie!r}")
        attrs = [a.strip().lower() for a in cookie.split(";")[1:]]
        self.assertIn("httponly", attrs, cookie)
        self.assertIn("samesite=strict", attrs, cookie)
        csrf = r.json.get("csrf_token")
        self.assertTrue(csrf, r.describe())
        return m.group(1), csrf

    def with_cookie(self, value, method, path, body=None, csrf=None):
        h = {"Cookie": f"hb_session={value}"}
        if csrf is not None:
            h["X-CSRF-Token"] = csrf
        return self.client_with("").request(method, path, body, headers=h)

    def test_login_and_read(self):
        cookie, _ = self.session()
        r = self.with_cookie(cookie, "GET", f"Patient/{self.pid}")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["id"], self.pid)
        # the session is the doctor's: the policy applies to it
        self.assertRefused(self.with_cookie(cookie, "GET", f"Patient/{self.stranger}"), 403)

    def test_unsafe_requests_need_the_csrf_token(self):
        cookie, csrf = self.session()
        ident = str(uuid.uuid4())
        r = self.with_cookie(cookie, "POST", "Observation", observation(self.pid, ident=ident))
        self.assertStatus(r, 403, msg="POST with the cookie but no X-CSRF-Token")
        r = self.with_cookie(cookie, "POST", "Observation", observation(self.pid, ident=ident),
                             csrf=csrf[::-1] if csrf[::-1] != csrf else csrf + "x")
        self.assertStatus(r, 403, msg="POST with a wrong X-CSRF-Token")
        self.assertEqual(self.c.get(f"Observation?identifier=urn:hb-it:obs|{ident}")
                         .json.get("entry", []), [], "a refused POST was stored")
        r = self.with_cookie(cookie, "POST", "Observation", observation(self.pid, ident=ident),
                             csrf=csrf)
        self.assertStatus(r, 201)
        oid = parse_location(r.header("Location"))[1]
        changed = dict(observation(self.pid, 125, ident=ident), id=oid)
        self.assertStatus(self.with_cookie(cookie, "PUT", f"Observation/{oid}", changed), 403)
        self.assertStatus(self.with_cookie(cookie, "DELETE", f"Observation/{oid}"), 403)
        r = self.with_cookie(cookie, "PUT", f"Observation/{oid}", changed, csrf=csrf)
        self.assertStatus(r, 200)
        self.assertEqual(self.c.get(f"Observation/{oid}").json["meta"]["versionId"], "2")

    def test_csrf_token_of_another_session_does_not_do(self):
        cookie1, csrf1 = self.session()
        cookie2, csrf2 = self.session()
        self.assertNotEqual(csrf1, csrf2)
        r = self.with_cookie(cookie1, "POST", "Observation", observation(self.pid), csrf=csrf2)
        self.assertStatus(r, 403)

    def test_session_token_is_not_a_bearer_token(self):
        cookie, _ = self.session()
        r = self.client_with(cookie).get(f"Patient/{self.pid}")
        self.assertStatus(r, 401)
        # nor is an access token a session cookie
        access = self.server.mint_token("user/*.rs", "--user", "bs.session")
        r = self.with_cookie(access, "GET", f"Patient/{self.pid}")
        self.assertStatus(r, 401)

    def test_wrong_password(self):
        self.add_user("bs.wrong", "doctor", CODE_A)
        r = self.login("bs.wrong", "definitely-Not-the-password-1")
        self.assertStatus(r, 401)
        self.assertNotIn("hb_session=", (r.header("Set-Cookie") or "").replace("hb_session=;", ""))
        r = self.login("nobody.at.all", "definitely-Not-the-password-1")
        self.assertStatus(r, 401)

    def test_disabled_user_cannot_sign_in(self):
        pw = self.add_user("bs.gone", "doctor", CODE_A)
        p = run_cli("user", "disable", "--data", self.server.data_dir, "--name", "bs.gone")
        self.assertEqual(p.returncode, 0, output(p))
        self.assertStatus(self.login("bs.gone", pw), 401)

    def test_lockout_after_five_failures(self):
        pw = self.add_user("bs.locked", "doctor", CODE_A)
        for i in range(5):
            r = self.login("bs.locked", f"wrong-Password-{i}")
            self.assertStatus(r, 401, msg=f"failure {i + 1}")
        r = self.login("bs.locked", pw)
        self.assertStatus(r, 429, msg="the 6th attempt, with the right password")
        retry = r.header("Retry-After")
        self.assertIsNotNone(retry, r.describe())
        self.assertRegex(retry, r"^\d+$")
        self.assertGreater(int(retry), 0)
        self.assertNotIn("hb_session=", r.header("Set-Cookie") or "")
        # another user from the same address is not locked out by it
        self.assertStatus(self.login("bs.session", self.password), 200)

    def test_logout_clears_the_cookie(self):
        cookie, csrf = self.session()
        r = self.with_cookie(cookie, "POST", "/auth/logout", b"", csrf=csrf)
        self.assertStatus(r, 200, 204)
        set_cookie = r.header("Set-Cookie") or ""
        self.assertRegex(set_cookie, r"^hb_session=;")
        self.assertRegex(set_cookie.lower(), r"max-age=0|expires=thu, 01 jan 1970")

    def test_logout_ends_the_session(self):
        cookie, csrf = self.session()
        self.assertStatus(self.with_cookie(cookie, "GET", f"Patient/{self.pid}"), 200)
        r = self.with_cookie(cookie, "POST", "/auth/logout", b"", csrf=csrf)
        self.assertStatus(r, 200, 204)
        r = self.with_cookie(cookie, "GET", f"Patient/{self.pid}")
        self.assertStatus(r, 401, msg="the session cookie still works after logout")


# --------------------------------------------------------------------------- token endpoint

class TokenEndpointTest(AccessTestCase):
    """SMART Backend Services: client_credentials with a private_key_jwt assertion."""

    @classmethod
    def setUpClass(cls):
        need_crypto()
        super().setUpClass()
        cls.pid = cls.make(patient())
        cls.make(encounter(cls.pid, cls.org_a))
        cls.obs = cls.make(observation(cls.pid))
        cls.enc = cls.make(encounter(cls.pid, cls.org_a))
        cls.key = ec.generate_private_key(ec.SECP384R1())
        cls.kid = "lab-key-1"
        cls.register("lab-mw", cls.key, cls.kid, "system/Observation.cru system/Patient.rs")
        cls.off_key = ec.generate_private_key(ec.SECP384R1())
        cls.register("lab-off", cls.off_key, "off-1", "system/Observation.rs")
        cls.token_url = f"http://127.0.0.1:{cls.server.port}/auth/token"

    @classmethod
    def register(cls, name, key, kid, scope):
        path = os.path.join(cls.server.data_dir, f"{name}.jwks.json")
        with open(path, "w") as f:
            json.dump({"keys": [public_jwk(key, kid)]}, f)
        p = run_cli("client", "add", "--data", cls.server.data_dir, "--name", name,
                    "--facility", CODE_A, "--role", "integration", "--jwks-file", path,
                    "--scope", scope)
        if p.returncode != 0:
            raise AssertionError(f"client add: {output(p)}")

    def assertion(self, client_id="lab-mw", key=None, kid=None, **override):
        now = int(time.time())
        claims = {"iss": client_id, "sub": client_id, "aud": self.token_url,
                  "exp": now + 240, "iat": now, "jti": str(uuid.uuid4())}
        claims.update(override)
        claims = {k: v for k, v in claims.items() if v is not None}
        return es_sign(key or self.key, {"alg": "ES384", "typ": "JWT", "kid": kid or self.kid},
                       claims, 48)

    def token_request(self, assertion, scope="system/Observation.cru", **extra):
        form = {"grant_type": "client_credentials", "client_assertion_type": ASSERTION_TYPE,
                "client_assertion": assertion, "scope": scope}
        form.update(extra)
        form = {k: v for k, v in form.items() if v is not None}
        return self.client_with("").request("POST", "/auth/token",
                                            urllib.parse.urlencode(form).encode(),
                                            content_type=FORM)

    def assertOAuthError(self, r, status, error):
        self.assertStatus(r, status)
        self.assertEqual(r.json.get("error"), error, r.describe())

    def test_valid_assertion_gives_a_working_token(self):
        r = self.token_request(self.assertion(), scope="system/Observation.cru system/Patient.r")
        self.assertStatus(r, 200)
        body = r.json
        self.assertEqual(body.get("token_type", "").lower(), "bearer")
        self.assertIsInstance(body.get("expires_in"), int)
        self.assertGreater(body["expires_in"], 0)
        self.assertLessEqual(body["expires_in"], 3600)
        granted = body.get("scope", "").split()
        self.assertIn("system/Observation.cru", granted)
        self.assertIn("system/Patient.r", granted)
        self.assertIn("no-store", (r.header("Cache-Control") or "").lower())
        c = self.client_with(body["access_token"])
        self.assertAllowed(c, f"Observation/{self.obs}")
        self.assertAllowed(c, f"Patient/{self.pid}")
        self.assertStatus(c.post("Observation", observation(self.pid)), 201)
        # beyond its scope
        self.assertRefused(c.delete(f"Observation/{self.obs}"), 403)
        self.assertRefused(c.post("Patient", patient()), 403)
        self.assertForbidden(c, f"Encounter/{self.enc}")
        # and beyond its facility's care
        stranger = self.make(patient())
        self.assertForbidden(c, f"Patient/{stranger}")

    def test_replayed_assertion(self):
        a = self.assertion()
        self.assertStatus(self.token_request(a), 200)
        self.assertOAuthError(self.token_request(a), 401, "invalid_client")

    def test_bad_assertions(self):
        now = int(time.time())
        other_key = ec.generate_private_key(ec.SECP384R1())
        cases = {
            "wrong aud": self.assertion(aud=f"http://127.0.0.1:{self.server.port}/auth/other"),
            "aud of another server": self.assertion(aud="https://example.org/auth/token"),
            "exp too far": self.assertion(exp=now + 3600),
            "expired": self.assertion(exp=now - 600, iat=now - 900),
            "no exp": self.assertion(exp=None),
            "no jti": self.assertion(jti=None),
            "sub differs": self.assertion(sub="someone-else"),
            "unknown client": self.assertion(client_id="no-such-client"),
            "signed by another key": self.assertion(key=other_key),
            "unknown kid": self.assertion(kid="not-registered"),
            "another client's key": self.assertion(key=self.off_key, kid="off-1"),
            "not a JWT": "abc.def.ghi",
        }
        for name, a in cases.items():
            with self.subTest(name):
                r = self.token_request(a)
                self.assertOAuthError(r, 401, "invalid_client")
                self.assertNotIn("access_token", r.text)
        with self.subTest("client_id differs from iss"):
            self.assertOAuthError(self.token_request(self.assertion(), client_id="lab-off"),
                                  401, "invalid_client")

    def test_bad_requests(self):
        r = self.token_request(self.assertion(), grant_type="password")
        self.assertOAuthError(r, 400, "unsupported_grant_type")
        r = self.token_request(self.assertion(), client_assertion_type="urn:other")
        self.assertIn(r.status, (400, 401), r.describe())
        self.assertEqual(r.json.get("error"), "invalid_client")

    def test_scope_is_narrowed_to_the_registered_one(self):
        r = self.token_request(self.assertion(),
                               scope="system/Observation.cruds system/Encounter.rs")
        self.assertStatus(r, 200)
        granted = r.json["scope"].split()
        self.assertEqual(granted, ["system/Observation.cru"], r.describe())
        c = self.client_with(r.json["access_token"])
        self.assertRefused(c.delete(f"Observation/{self.obs}"), 403)
        self.assertForbidden(c, f"Encounter/{self.enc}")
        self.assertAllowed(self.c, f"Observation/{self.obs}")

        r = self.token_request(self.assertion(), scope="system/*.rs")
        self.assertStatus(r, 200)
        c = self.client_with(r.json["access_token"])
        self.assertAllowed(c, f"Observation/{self.obs}")
        self.assertForbidden(c, f"Encounter/{self.enc}")
        self.assertRefused(c.post("Observation", observation(self.pid)), 403)

        r = self.token_request(self.assertion(), scope="system/Encounter.rs")
        self.assertOAuthError(r, 400, "invalid_scope")
        r = self.token_request(self.assertion(), scope="system/Observation.cruds/bad")
        self.assertOAuthError(r, 400, "invalid_scope")

    def test_disabled_client(self):
        r = self.token_request(self.assertion("lab-off", self.off_key, "off-1"),
                               scope="system/Observation.rs")
        self.assertStatus(r, 200)
        token = r.json["access_token"]
        p = run_cli("user", "disable", "--data", self.server.data_dir, "--name", "lab-off")
        self.assertEqual(p.returncode, 0, output(p))
        r = self.token_request(self.assertion("lab-off", self.off_key, "off-1"),
                               scope="system/Observation.rs")
        self.assertOAuthError(r, 401, "invalid_client")
        self.assertStatus(self.client_with(token).get(f"Observation/{self.obs}"), 401)

    def test_issued_tokens_are_audited(self):
        self.assertStatus(self.token_request(self.assertion()), 200)
        deadline = time.monotonic() + 30
        while True:
            r = self.c.get("AuditEvent?_count=1000")
            self.assertStatus(r, 200)
            tokens = [e["resource"] for e in r.json.get("entry", [])
                      if agent_of(e["resource"]) == "client:lab-mw"]
            if tokens or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        self.assertTrue(tokens, "no AuditEvent for the token issued to lab-mw")


# --------------------------------------------------------------------------- audit chain

class AuditChainTest(FhirTestCase):
    """`healthbook audit verify` recomputes the hash chain and finds tampering."""

    @classmethod
    def setUpClass(cls):
        cls.server = Server()
        cls.addClassCleanup(cls.server.cleanup)
        s = cls.server.start()
        c = s.client()
        try:
            org = c.post("Organization", organization(CODE_A, "A"))
            org_id = parse_location(org.header("Location"))[1]
            pid = parse_location(c.post("Patient", patient()).header("Location"))[1]
            c.post("Encounter", encounter(pid, org_id))
            c.get(f"Patient/{pid}")
            c.get(f"Observation?subject=Patient/{pid}")
            doc = s.client(token=s.mint_token("user/*.rs", "--role", "doctor",
                                              "--facility", CODE_B))
            doc.get(f"Patient/{pid}")  # refused, audited
            doc.close()
            anon = s.client(token="")
            anon.request("POST", "/auth/login", b'{"username":"x","password":"y"}',
                         content_type="application/json")
            anon.close()
            deadline = time.monotonic() + 30
            while True:
                n = len(c.get("AuditEvent?_count=1000").json.get("entry", []))
                if n >= 5 or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            cls.events_seen = n
            cls.verify_while_running = run_cli("audit", "verify", "--data", s.data_dir)
        finally:
            c.close()
        s.stop()

    def copy_data(self):
        d = tempfile.mkdtemp(prefix="hb-it-audit-")
        self.addCleanup(shutil.rmtree, d, True)
        return copy_data_dir(self.server.data_dir, os.path.join(d, "data"))

    def test_verify_refuses_while_the_server_runs(self):
        p = self.verify_while_running
        self.assertNotEqual(p.returncode, 0, output(p))
        self.assertNotIn("intact", output(p))

    def test_intact_trail_verifies(self):
        self.assertGreaterEqual(self.events_seen, 5, "the activity was audited")
        p = run_cli("audit", "verify", "--data", self.copy_data())
        self.assertEqual(p.returncode, 0, output(p))
        self.assertIn("intact", output(p))
        m = re.search(r"(\d+) records", output(p))
        self.assertIsNotNone(m, output(p))
        self.assertGreaterEqual(int(m.group(1)), self.events_seen)

    def tamper(self, sql):
        data = self.copy_data()
        self.assertEqual(store_sql(data, sql), 1, sql)  # SQLite or PostgreSQL (HB_STORE)
        return run_cli("audit", "verify", "--data", data)

    def test_changed_record_is_found(self):
        p = self.tamper("UPDATE audit_log SET agent='user:mallory' WHERE seq=2")
        self.assertEqual(p.returncode, 3, output(p))
        self.assertRegex(output(p), r"(?i)broken")
        self.assertRegex(output(p), r"\b2\b", "the broken record is named")

    def test_changed_reason_is_found(self):
        p = self.tamper("UPDATE audit_log SET outcome=0, reason='' WHERE seq=("
                        "SELECT max(seq) FROM audit_log WHERE outcome=4 AND patient<>'')")
        self.assertEqual(p.returncode, 3, output(p))

    def test_deleted_record_is_found(self):
        p = self.tamper("DELETE FROM audit_log WHERE seq=3")
        self.assertEqual(p.returncode, 3, output(p))
        self.assertRegex(output(p), r"\b[34]\b", "the gap is named")


if __name__ == "__main__":
    unittest.main()
