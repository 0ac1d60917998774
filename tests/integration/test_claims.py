"""Health-insurance claims end to end (docs/implementation/claims-xml.md): every insured demo
encounter makes a GIAMDINHHS file that passes our validator and `xmlsec1 --verify`; the
$claim-xml operation; delivery to both simulated portals (tests/simulators/claims_portals.py)
through the outbox under injected failures (500, timeouts, an expired token) with nothing
lost and nothing duplicated; a rejected record in the work list and its resubmission; the
validate/verify CLI on a tampered file; signing on a SoftHSM2 PKCS#11 token."""

import base64
import datetime
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import unittest

from harness import FhirTestCase, Server, binary, run_cli

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "simulators"))
import claims_portals  # noqa: E402

PATIENTS = 50
DELIVERY_TIMEOUT_S = 150


def xmlsec_verify(path, trusted=None):
    args = ["xmlsec1", "--verify"] + (["--trusted-pem", trusted] if trusted else ["--insecure"])
    return subprocess.run(args + [path], capture_output=True, text=True, timeout=60)


def inner_tables(xml):
    return {t: base64.b64decode(b).decode("utf-8")
            for t, b in re.findall(r"<LOAIHOSO>(\w+)</LOAIHOSO><NOIDUNGFILE>([^<]+)</NOIDUNGFILE>", xml)}


class ClaimsTest(FhirTestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="hb-it-claims-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        cls.data = os.path.join(cls.tmp, "data")
        p = run_cli("demo", "--data", cls.data, "--patients", str(PATIENTS), timeout=300)
        assert p.returncode == 0, p.stderr
        # Every claimable episode, exported from the data folder before the server runs.
        cls.files = os.path.join(cls.tmp, "files")
        p = run_cli("claims", "export", "--data", cls.data, "--since", "2000-01-01",
                    "--out", cls.files, timeout=300)
        assert p.returncode == 0, p.stdout + p.stderr
        cls.export_summary = p.stdout
        cls.ma_lks = sorted(os.path.basename(f)[:-4] for f in glob.glob(cls.files + "/*.xml"))
        assert len(cls.ma_lks) >= PATIENTS, cls.export_summary
        # One record the national portal refuses until it is corrected.
        cls.refused = cls.ma_lks[len(cls.ma_lks) // 2]
        # An injected timeout answers after 8 s; the client gives up after 5 (a real answer on
        # a loaded 2-core machine must not count as a timeout and be sent again).
        cls.nat_server, cls.national = claims_portals.start("national", 0, "bv-dienbien", "n-secret",
                                                            timeout_delay=8.0)
        cls.prov_server, cls.provincial = claims_portals.start("provincial", 0, "sdb-11", "p-secret",
                                                               timeout_delay=8.0)
        cls.addClassCleanup(cls.nat_server.shutdown)
        cls.addClassCleanup(cls.prov_server.shutdown)
        cls.national.control({"inject": ["500", "timeout", "expire-token", "500", "400"],
                              "reject_ma_lk": [cls.refused]})
        cls.provincial.control({"inject": ["500", "500", "timeout", "expire-token"]})
        env = {
            "HEALTHBOOK_CLAIMS_NATIONAL_URL": f"http://127.0.0.1:{cls.nat_server.server_port}",
            "HEALTHBOOK_CLAIMS_NATIONAL_USERNAME": "bv-dienbien",
            "HEALTHBOOK_CLAIMS_NATIONAL_PASSWORD": "n-secret",
            "HEALTHBOOK_CLAIMS_NATIONAL_SCHEMA": "3176",
            "HEALTHBOOK_CLAIMS_PROVINCIAL_URL": f"http://127.0.0.1:{cls.prov_server.server_port}",
            "HEALTHBOOK_CLAIMS_PROVINCIAL_USERNAME": "sdb-11",
            "HEALTHBOOK_CLAIMS_PROVINCIAL_PASSWORD": "p-secret",
            "HEALTHBOOK_CLAIMS_TIMEOUT_S": "5",
        }
        os.environ.update(env)
        cls.server = Server(data_dir=cls.data)
        cls.addClassCleanup(cls.server.cleanup)
        cls.server.start()
        cls.c = cls.server.client()

    @classmethod
    def tearDownClass(cls):
        cls.c.close()
        cls.server.stop()

    def wait_for(self, what, predicate, timeout=DELIVERY_TIMEOUT_S):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if predicate():
                return
            time.sleep(0.5)
        self.fail(f"timed out waiting for {what}\n{self.server.log_tail()}")

    def claim_tasks(self, status):
        r = self.c.get(f"Task?code=claim-submission&status={status}&_count=1000")
        self.assertStatus(r, 200)
        return [e["resource"] for e in r.json.get("entry", [])]

    # -- files
    def test_1_every_insured_encounter_makes_a_valid_signed_file(self):
        self.assertIn("0 invalid", self.export_summary)
        for ma_lk in self.ma_lks:
            path = os.path.join(self.files, ma_lk + ".xml")
            v = run_cli("claims", "validate", path)
            self.assertEqual(v.returncode, 0, v.stdout + v.stderr)
            self.assertIn("0 error(s)", v.stdout)
            x = xmlsec_verify(path)
            self.assertEqual(x.returncode, 0, ma_lk + "\n" + x.stderr)
            s = run_cli("claims", "verify", path)
            self.assertEqual(s.returncode, 0, s.stdout + s.stderr)
            self.assertIn("signature VALID", s.stdout)
        # Admissions carry the inpatient tables, visits with results XML4.
        kinds = set()
        for ma_lk in self.ma_lks:
            with open(os.path.join(self.files, ma_lk + ".xml"), encoding="utf-8") as f:
                kinds |= set(inner_tables(f.read()))
        for table in ("XML1", "XML2", "XML3", "XML4", "XML5", "XML7", "XML8", "XML14"):
            self.assertIn(table, kinds)

    def test_2_claim_xml_operation(self):
        enc = self.refused.split("_", 1)[1]
        # The default Accept: rest/ answers 406 to a request that accepts XML only (report).
        r = self.c.get(f"Encounter/{enc}/$claim-xml?schema=3176")
        self.assertStatus(r, 200)
        self.assertTrue(r.header("Content-Type", "").startswith("application/xml"))
        self.assertIn(f'filename="{self.refused}.xml"', r.header("Content-Disposition", ""))
        path = os.path.join(self.tmp, "op.xml")
        with open(path, "wb") as f:
            f.write(r.body)
        self.assertEqual(run_cli("claims", "validate", path, "--schema", "3176").returncode, 0)
        self.assertEqual(xmlsec_verify(path).returncode, 0)
        self.assertOutcome(self.c.get(f"Encounter/{enc}/$claim-xml?schema=130x"), 400)
        self.assertOutcome(self.c.get("Encounter/no-such-encounter/$claim-xml"), 404)

    def test_2b_claim_preview_shows_the_tables(self):
        enc = self.refused.split("_", 1)[1]
        r = self.c.get(f"Encounter/{enc}/$claim-preview?schema=3176")
        self.assertStatus(r, 200)
        p = r.json
        self.assertEqual((p["ma_lk"], p["schema"], p["errors"]), (self.refused, "3176", []))
        xml1 = next(t for t in p["tables"] if t["table"] == "XML1")
        names = [c["name"] for c in xml1["columns"]]
        self.assertEqual(names[0], "MA_LK")
        self.assertIn("đợt điều trị", xml1["columns"][0]["description"])  # the official text
        self.assertEqual(xml1["rows"][0][0], self.refused)
        self.assertEqual(len(xml1["rows"][0]), len(names))
        # The same episode with a charge the price list lacks: the errors come with the tables.
        self.assertOutcome(self.c.get(f"Encounter/{enc}/$claim-preview?schema=9"), 400)

    def test_3_invalid_episode_is_422_with_every_error(self):
        pid, _ = self.create({"resourceType": "Patient", "name": [{"text": "Lò Văn Kiểm"}], "gender": "male",
                              "birthDate": "1980-05-01"})
        self.create({"resourceType": "Coverage", "status": "active",
                     "identifier": [{"system": "https://fhir.healthbook.vn/sid/bhyt-card", "value": "DN4111234500001"}],
                     "beneficiary": {"reference": f"Patient/{pid}"}, "payor": [{"reference": "Organization/org-bhxh-vn"}],
                     "period": {"start": "2025-01-01", "end": "2025-12-31"}})
        eid, _ = self.create({"resourceType": "Encounter", "status": "finished", "class": {
            "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
            "subject": {"reference": f"Patient/{pid}"}, "serviceProvider": {"reference": "Organization/org-11001"},
            "period": {"start": "2025-06-02T08:00:00+07:00", "end": "2025-06-02T08:30:00+07:00"}})
        self.create({"resourceType": "ChargeItem", "status": "billable",
                     "code": {"coding": [{"system": "https://fhir.healthbook.vn/sid/charge-code", "code": "NOT-IN-LIST"}]},
                     "subject": {"reference": f"Patient/{pid}"}, "context": {"reference": f"Encounter/{eid}"},
                     "occurrenceDateTime": "2025-06-02T08:10:00+07:00", "quantity": {"value": 1}})
        r = self.c.get(f"Encounter/{eid}/$claim-xml")
        self.assertOutcome(r, 422)
        text = json.dumps(r.json, ensure_ascii=False)
        self.assertIn("price-list", text)           # the charge the price list lacks
        self.assertIn("MA_BENH_CHINH", text)        # no diagnosis recorded
        self.assertIn("required", text)
        self.assertIn("Trường bắt buộc", text)      # Vietnamese
        self.assertIn("mandatory", text)            # and English

    # -- delivery
    def test_4_delivery_survives_failures_without_loss_or_duplicates(self):
        expected = set(self.ma_lks)
        self.wait_for("every claim at both portals",
                      lambda: set(self.national.state()["records"]) == expected - {self.refused}
                      and set(self.provincial.state()["records"]) == expected)
        for portal in (self.national, self.provincial):
            s = portal.state()
            self.assertEqual(s["failures_left"], [], s["portal"])  # every injected failure happened
            # Resent only where a timeout or rejection made us send again (3 injected).
            self.assertLessEqual(sum(s["submissions"].values()) - len(s["submissions"]), 3, s["portal"])
            self.assertGreaterEqual(s["tokens_issued"], 2, s["portal"])  # renewed after expiry
        # Every accepted claim has its Task with the portal's transaction id.
        done = self.claim_tasks("completed")
        self.assertEqual(len(done), 2 * len(expected) - 1)
        accepted = {t["input"][0]["valueString"]: t for t in done if t["id"].startswith("claim-prov-")}
        self.assertEqual(set(accepted), expected)
        some = next(iter(accepted.values()))
        self.assertTrue(any(o["type"]["text"] == "maGiaoDich" for o in some["output"]))

    def test_5_rejected_record_is_in_the_work_list(self):
        self.wait_for("the rejection recorded", lambda: any(
            t["id"] == "claim-nat-" + self.refused.split("_", 1)[1] for t in self.claim_tasks("failed")))
        task = next(t for t in self.claim_tasks("failed") if t["id"].startswith("claim-nat-"))
        self.assertEqual(task["businessStatus"]["text"], "rejected")
        self.assertIn("Lỗi giám định", task["statusReason"]["text"])
        self.assertEqual(task["focus"]["reference"], "Encounter/" + self.refused.split("_", 1)[1])
        self.assertIn(self.refused, self.national.state()["rejected"])

    def test_6_resubmission_after_correction(self):
        enc = self.refused.split("_", 1)[1]
        self.wait_for("the rejection", lambda: self.refused in self.national.state()["rejected"])
        self.national.control({"accept_ma_lk": [self.refused]})
        r = self.c.post(f"Encounter/{enc}/$claim-submit", {"resourceType": "Parameters"})
        self.assertStatus(r, 200)
        outcomes = {p["part"][0]["valueString"]: p["part"][1]["valueCode"] for p in r.json["parameter"]}
        self.assertEqual(outcomes, {"national": "requeued", "provincial": "requeued"})
        self.wait_for("the corrected claim accepted", lambda: self.refused in self.national.state()["records"])
        self.wait_for("its Task completed", lambda: self.c.get(f"Task/claim-nat-{enc}").json["status"] == "completed")
        self.assertEqual(len(self.national.state()["records"]), len(self.ma_lks))

    def test_6b_check_in_sent_when_the_visit_begins(self):
        # An insured patient of a claimed episode comes back: the new visit's XML0 goes to
        # the national gateway's check-in endpoint through the outbox, once.
        ma_lk = self.ma_lks[0]
        facility, old = ma_lk.split("_", 1)
        before = self.c.get(f"Encounter/{old}").json
        r = self.c.post("Encounter", {
            "resourceType": "Encounter", "status": "in-progress",
            "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
            "subject": before["subject"], "serviceProvider": before["serviceProvider"],
            "period": {"start": datetime.datetime.now(datetime.timezone.utc).isoformat()}})
        self.assertStatus(r, 201)
        visit = r.json["id"]
        key = f"{facility}_{visit}"
        self.wait_for("the check-in at the portal", lambda: key in self.national.state()["checkins"])
        self.wait_for("its Task completed",
                      lambda: self.c.get(f"Task/claim-in-{visit}").json.get("status") == "completed")
        task = self.c.get(f"Task/claim-in-{visit}").json
        self.assertEqual(task["code"]["coding"][0]["code"], "claim-checkin")
        self.assertNotIn(key, self.national.state()["records"])  # a check-in is not a claim
        self.assertNotIn(key, self.provincial.state()["records"])
        # Later changes to the visit send nothing more.
        before_count = len(self.national.state()["checkins"])
        upd = dict(r.json, reasonCode=[{"text": "Tái khám"}])
        self.assertStatus(self.c.put(f"Encounter/{visit}", upd), 200)
        time.sleep(1.5)
        self.assertEqual(len(self.national.state()["checkins"]), before_count)

    # -- CLI
    def test_7_validate_and_verify_catch_a_tampered_file(self):
        src = os.path.join(self.files, self.ma_lks[0] + ".xml")
        with open(src, encoding="utf-8") as f:
            xml = f.read()
        x1 = inner_tables(xml)["XML1"]
        total = re.search(r"<T_TONGCHI_BV>([^<]*)<", x1).group(1)
        bad_x1 = x1.replace(f"<T_TONGCHI_BV>{total}<", f"<T_TONGCHI_BV>{total}1<")
        old = base64.b64encode(x1.encode("utf-8")).decode()
        tampered = xml.replace(old, base64.b64encode(bad_x1.encode("utf-8")).decode())
        self.assertNotEqual(tampered, xml)
        path = os.path.join(self.tmp, "tampered.xml")
        with open(path, "w", encoding="utf-8") as f:
            f.write(tampered)
        v = run_cli("claims", "validate", path)
        self.assertEqual(v.returncode, 1)
        self.assertIn("XML1 dòng/row 1 T_TONGCHI_BV [sum]", v.stdout)
        s = run_cli("claims", "verify", path)
        self.assertEqual(s.returncode, 1)
        self.assertIn("INVALID", s.stdout)
        self.assertNotEqual(xmlsec_verify(path).returncode, 0)

    def test_8_pkcs11_token_signing(self):
        for tool in ("softhsm2-util", "pkcs11-tool", "openssl"):
            if not shutil.which(tool):
                self.missing(f"{tool} is not installed")
        module = next((m for m in ("/usr/lib/softhsm/libsofthsm2.so",
                                   "/usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so") if os.path.exists(m)), None)
        helper = os.path.join(os.path.dirname(binary()), "healthbook-p11sign")
        if not module or not os.path.exists(helper):
            self.missing("no SoftHSM2 module or healthbook-p11sign")
        hsm = os.path.join(self.tmp, "hsm")
        os.makedirs(os.path.join(hsm, "tokens"))
        conf = os.path.join(hsm, "softhsm2.conf")
        with open(conf, "w") as f:
            f.write(f"directories.tokendir = {hsm}/tokens\nobjectstore.backend = file\nlog.level = ERROR\n")
        env = dict(os.environ, SOFTHSM2_CONF=conf)

        def run(*args):
            p = subprocess.run(args, capture_output=True, text=True, env=env, timeout=60, cwd=hsm)
            self.assertEqual(p.returncode, 0, " ".join(args) + "\n" + p.stdout + p.stderr)

        run("softhsm2-util", "--init-token", "--free", "--label", "bvdk", "--pin", "123456", "--so-pin", "654321")
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "key.pem", "-out", "cert.pem",
            "-days", "30", "-subj", "/C=VN/O=So Y te Dien Bien/CN=Token facility 11001")
        run("openssl", "pkcs8", "-topk8", "-nocrypt", "-in", "key.pem", "-outform", "DER", "-out", "key.der")
        run("openssl", "x509", "-in", "cert.pem", "-outform", "DER", "-out", "cert.der")
        for obj, kind in (("key.der", "privkey"), ("cert.der", "cert")):
            run("pkcs11-tool", "--module", module, "--login", "--pin", "123456", "--write-object", obj,
                "--type", kind, "--id", "01", "--label", "facility")
        # A data folder of its own: the server holds the main one.
        data = os.path.join(self.tmp, "token-data")
        p = run_cli("demo", "--data", data, "--patients", "8", timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        out = os.path.join(self.tmp, "token-files")
        token_env = dict(env, HEALTHBOOK_CLAIMS_PKCS11_MODULE=module, HEALTHBOOK_CLAIMS_PKCS11_TOKEN="bvdk",
                         HEALTHBOOK_CLAIMS_PKCS11_KEY="facility", HEALTHBOOK_CLAIMS_PKCS11_PIN="123456")
        p = subprocess.run([binary(), "claims", "export", "--data", data, "--since", "2000-01-01", "--out", out],
                           capture_output=True, text=True, env=token_env, timeout=300)
        self.assertEqual(p.returncode, 0, p.stdout + p.stderr)
        files = glob.glob(out + "/*.xml")
        self.assertTrue(files)
        for f in files:
            x = xmlsec_verify(f, trusted=os.path.join(hsm, "cert.pem"))
            self.assertEqual(x.returncode, 0, x.stderr)
        s = run_cli("claims", "verify", files[0])
        self.assertIn("Token facility 11001", s.stdout)
        # A wrong PIN is refused, not retried.
        bad = dict(token_env, HEALTHBOOK_CLAIMS_PKCS11_PIN="000000")
        p = subprocess.run([binary(), "claims", "export", "--data", data, "--encounter", "enc-000001-1"],
                           capture_output=True, text=True, env=bad, timeout=120)
        self.assertNotEqual(p.returncode, 0)


if __name__ == "__main__":
    unittest.main()
