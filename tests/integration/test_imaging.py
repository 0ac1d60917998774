"""End to end: the PACS link (docs/implementation/imaging.md) against a real Orthanc.

Orthanc (tests/integration/orthanc.py) and `healthbook serve` configured to it. DCMTK's
storescu sends pydicom's test images (copies edited with dcmodify to carry our patient's CCCD
and our order's accession number) into Orthanc; the ImagingStudy must appear in healthbook,
linked, counted, with a working WADO-RS base and viewer link. An imaging order must be on
Orthanc's worklist (findscu -W). Skipped when Orthanc, DCMTK or pydicom's data is missing.
"""

import glob
import json
import os
import secrets
import shutil
import subprocess
import tempfile
import time
import unittest
import urllib.parse

import harness
import orthanc

PYDICOM_DATA = "/usr/lib/python3/dist-packages/pydicom/data/test_files"
CCCD_SYSTEM = "https://fhir.healthbook.vn/sid/cccd"
ACCESSION_SYSTEM = "https://fhir.healthbook.vn/sid/accession"
RECONCILIATION = "https://fhir.healthbook.vn/sid/reconciliation"
DCM = "http://dicom.nema.org/resources/ontology/DCM"
DCMTK_ENV = dict(os.environ, TCP_NODELAY="1")  # else ~45 ms per image (GUIDE, DCMTK)
# The target (issue 10: visible within 2 s of the study becoming stable) is measured by
# bench/imaging.py; here the study must appear, and the latency is printed.



def missing_tools():
    why = orthanc.available()
    if why:
        return why
    for tool in ("storescu", "findscu", "dcmodify"):
        if not shutil.which(tool):
            return f"DCMTK's {tool} is not installed (Debian package dcmtk)"
    for f in ("CT_small.dcm", "MR_small.dcm"):
        if not os.path.exists(os.path.join(PYDICOM_DATA, f)):
            return f"pydicom's test file {f} is missing (Debian package python3-pydicom)"
    return ""


def run(*args):
    p = subprocess.run(list(args), capture_output=True, env=DCMTK_ENV, timeout=60)
    p.stdout = p.stdout.decode("utf-8", "replace")
    p.stderr = p.stderr.decode("utf-8", "replace")
    if p.returncode != 0:
        raise AssertionError(f"{' '.join(args)} exited {p.returncode}\n{p.stdout}\n{p.stderr}")
    return p.stdout + p.stderr


@harness.needs(not missing_tools(), missing_tools())
class ImagingTest(harness.FhirTestCase):
    @classmethod
    def setUpClass(cls):
        cls.pacs = orthanc.Orthanc(stable_age_s=1)
        cls.addClassCleanup(cls.pacs.stop)
        cls.pacs.start()
        cls.tmp = tempfile.mkdtemp(prefix="hb-it-imaging-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        data = os.path.join(cls.tmp, "data")
        os.makedirs(data)
        settings = {
            "HEALTHBOOK_IMAGING_ORTHANC_URL": cls.pacs.url,
            "HEALTHBOOK_IMAGING_USERNAME": cls.pacs.username,
            "HEALTHBOOK_IMAGING_PASSWORD": cls.pacs.password,
            "HEALTHBOOK_IMAGING_WORKLIST_DIR": cls.pacs.worklist_dir,
            "HEALTHBOOK_IMAGING_STATION_AE": "CT01",
            "HEALTHBOOK_IMAGING_POLL_MS": "200",
        }
        saved = {k: os.environ.get(k) for k in settings}
        os.environ.update(settings)  # the server inherits them
        try:
            cls.server = harness.Server(data_dir=data)
            cls.addClassCleanup(cls.server.cleanup)
            cls.server.start()
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        cls.c = cls.server.client()

    @classmethod
    def tearDownClass(cls):
        cls.c.close()
        cls.server.stop()

    # -- helpers
    def dicom_copy(self, source, name, study_uid, patient_id, accession=None, new_sop=False):
        path = os.path.join(self.tmp, name)
        shutil.copy(os.path.join(PYDICOM_DATA, source), path)
        args = ["dcmodify", "-nb", "-i", f"(0010,0020)={patient_id}",
                "-i", f"(0020,000d)={study_uid}", "-i", f"(0008,0050)={accession or ''}"]
        if new_sop:
            args.append("-gin")  # a new SOP Instance UID: another image of the series
        run(*args, path)
        return path

    def store(self, *files):
        run("storescu", "-aec", self.pacs.aet, "127.0.0.1", str(self.pacs.dicom_port), *files)

    def study_in_healthbook(self, uid):
        r = self.c.get("ImagingStudy?identifier=" +
                       urllib.parse.quote(f"urn:dicom:uid|urn:oid:{uid}", safe=""))
        self.assertStatus(r, 200)
        return [e["resource"] for e in r.json.get("entry", [])]

    def stable_in_orthanc(self):
        """Orthanc ids of the studies that have become stable so far."""
        page = self.pacs.get_json("/changes?since=0&limit=10000")
        return {c["ID"] for c in page["Changes"] if c["ChangeType"] == "StableStudy"}

    def wait_for_study(self, uid, timeout=30, instances=None):
        """Polls Orthanc and healthbook together; returns (ImagingStudy, seconds from the
        moment the study was seen stable in Orthanc to the moment healthbook served it)."""
        stable_before = self.stable_in_orthanc()
        t_stable = None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if t_stable is None and self.stable_in_orthanc() - stable_before:
                t_stable = time.monotonic()
            found = self.study_in_healthbook(uid)
            if found and (instances is None or found[0].get("numberOfInstances") == instances):
                # None when the study was not seen becoming stable (again) in Orthanc: an
                # update of a known study keeps its id, so no latency is measured then.
                return found[0], None if t_stable is None else time.monotonic() - t_stable
            time.sleep(0.05)
        self.fail(f"no ImagingStudy for {uid} within {timeout}s\n{self.server.log_tail()}\n"
                  f"{self.pacs.log_tail()}")

    def findscu(self, **keys):
        args = ["findscu", "-v", "-W", "-aec", self.pacs.aet, "127.0.0.1",
                str(self.pacs.dicom_port), "-k", "ScheduledProcedureStepSequence[0].Modality",
                # UTF-8 answers (Orthanc converts to the charset the query names)
                "-k", "SpecificCharacterSet=ISO_IR 192"]
        for k, v in keys.items():
            args += ["-k", f"{k}={v}"]
        return run(*args)

    # -- tests
    def test_study_order_worklist_report(self):
        cccd = "0011" + str(secrets.randbelow(10**8)).zfill(8)
        accession = "ACC" + secrets.token_hex(4).upper()
        pid, _ = self.create({
            "resourceType": "Patient", "identifier": [{"system": CCCD_SYSTEM, "value": cccd}],
            "name": [{"family": "Lò", "given": ["Thị", "Hoa"]}], "gender": "female",
            "birthDate": "1990-03-04"})
        order = {
            "resourceType": "ServiceRequest", "status": "active", "intent": "order",
            "category": [{"coding": [{"system": "http://snomed.info/sct", "code": "363679005",
                                      "display": "Imaging"}]}],
            "identifier": [{"type": {"coding": [{
                "system": "http://terminology.hl7.org/CodeSystem/v2-0203", "code": "ACSN"}]},
                "system": ACCESSION_SYSTEM, "value": accession}],
            "code": {"coding": [{"system": DCM, "code": "CT"}], "text": "CT ngực"},
            "subject": {"reference": f"Patient/{pid}"},
            "occurrenceDateTime": "2024-05-01T08:30:00+07:00"}
        srid, _ = self.create(order)

        # Orders out: the worklist answers C-FIND with our order.
        wl = os.path.join(self.pacs.worklist_dir, f"{srid}.wl")
        deadline = time.monotonic() + 30
        while not os.path.exists(wl) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertTrue(os.path.exists(wl), self.server.log_tail())
        out = self.findscu(AccessionNumber=accession, PatientID="", PatientName="")
        self.assertEqual(out.count("(Pending)"), 1, out)  # exactly one match
        self.assertIn(accession, out)
        self.assertIn(cccd, out)
        self.assertIn("Lò^Thị Hoa", out)
        self.assertIn("CT", out)

        # A rewritten entry keeps its StudyInstanceUID (a modality may hold it): give the file
        # a UID as an entry made before the DerivedUid fix carries, edit the order, and the
        # rewritten entry (its new description) still answers with that UID.
        kept_uid = "2.25.123456789012345678901234567890"
        run("dcmodify", "-nb", "-m", f"(0020,000d)={kept_uid}", wl)
        edited = dict(order, id=srid, code={"coding": [{"system": DCM, "code": "CT"}],
                                            "text": "CT ngực có cản quang"})
        self.assertStatus(self.c.put(f"ServiceRequest/{srid}", edited), 200)
        deadline = time.monotonic() + 30
        while True:
            out = self.findscu(AccessionNumber=accession, StudyInstanceUID="",
                               RequestedProcedureDescription="")
            if "có cản quang" in out or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.assertIn("có cản quang", out)
        self.assertIn(kept_uid, out)

        # Images in: 2 CT images (one series) + 1 MR image (another series), one study.
        uid = f"1.2.826.0.1.3680043.10.1234.{secrets.randbelow(10**9)}"
        files = [self.dicom_copy("CT_small.dcm", "ct1.dcm", uid, cccd, accession),
                 self.dicom_copy("CT_small.dcm", "ct2.dcm", uid, cccd, accession, new_sop=True),
                 self.dicom_copy("MR_small.dcm", "mr1.dcm", uid, cccd, accession)]
        self.store(*files)
        study, latency = self.wait_for_study(uid)
        self.assertIsNotNone(latency, "the new study was never seen stable in Orthanc")
        print(f"\nimaging: ImagingStudy visible {latency * 1000:.0f} ms after the study was "
              f"seen stable in Orthanc (StableAge 1 s, poll 200 ms)")
        self.assertEqual(study["subject"]["reference"], f"Patient/{pid}")
        self.assertEqual(study["basedOn"][0]["reference"], f"ServiceRequest/{srid}")
        self.assertEqual(study["numberOfSeries"], 2)
        self.assertEqual(study["numberOfInstances"], 3)
        self.assertEqual({m["code"] for m in study["modality"]}, {"CT", "MR"})
        self.assertEqual(sorted(s["numberOfInstances"] for s in study["series"]), [1, 2])
        self.assertIn("started", study)

        # The links work: WADO-RS through the Endpoint, the viewer page, with credentials.
        ep = self.c.get(study["endpoint"][0]["reference"])
        self.assertStatus(ep, 200)
        base = ep.json["address"]
        self.assertEqual(base, self.pacs.url + "/dicom-web")
        status, headers, body = self.pacs.request(
            base[len(self.pacs.url):] + f"/studies/{uid}/metadata")
        self.assertEqual(status, 200)
        self.assertEqual(len(json.loads(body)), 3)
        viewer = [e["valueUrl"] for e in study["extension"] if e["url"].endswith("imaging-viewer")]
        self.assertEqual(len(viewer), 1)
        status, _, _ = self.pacs.request(viewer[0].split("#")[0][len(self.pacs.url):])
        self.assertEqual(status, 200)
        self.assertEqual(self.pacs.request(f"/dicom-web/studies/{uid}/metadata", auth=False)[0],
                         401)

        # Idempotent on the Study Instance UID: one more image, the same ImagingStudy updated.
        self.store(self.dicom_copy("CT_small.dcm", "ct3.dcm", uid, cccd, accession, new_sop=True))
        again, _ = self.wait_for_study(uid, instances=4)
        self.assertEqual(again["id"], study["id"])
        self.assertEqual(len(self.study_in_healthbook(uid)), 1)

        # A radiologist's report on the study, found by the study.
        rid, _ = self.create({
            "resourceType": "DiagnosticReport", "status": "final",
            "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0074",
                                      "code": "RAD"}]}],
            "code": {"text": "Kết quả CT ngực"}, "subject": {"reference": f"Patient/{pid}"},
            "basedOn": [{"reference": f"ServiceRequest/{srid}"}],
            "imagingStudy": [{"reference": f"ImagingStudy/{study['id']}"}],
            "conclusion": "Không thấy tổn thương"})
        self.assertEqual(self.search_ids(f"DiagnosticReport?imaging-study=ImagingStudy/{study['id']}"),
                         [rid])
        self.assertIn(study["id"], self.search_ids(f"ImagingStudy?patient=Patient/{pid}"))
        self.assertIn(study["id"], self.search_ids(f"ImagingStudy?basedon=ServiceRequest/{srid}"))

        # The cursor is a resource of its own.
        cur = self.c.get("Basic/imaging-orthanc-cursor")
        self.assertStatus(cur, 200)
        self.assertGreater(int(cur.json["extension"][0]["valueString"]), 0)

        # Done with the order: off the worklist.
        order.update(id=srid, status="completed")
        self.assertStatus(self.c.put(f"ServiceRequest/{srid}", order), 200)
        deadline = time.monotonic() + 30
        while os.path.exists(wl) and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertFalse(os.path.exists(wl))
        self.assertNotIn("(Pending)", self.findscu(AccessionNumber=accession))  # no match

    def test_unknown_patient_is_provisional(self):
        unknown = "HN" + secrets.token_hex(5).upper()
        uid = f"1.2.826.0.1.3680043.10.1234.{secrets.randbelow(10**9)}"
        self.store(self.dicom_copy("MR_small.dcm", "unknown.dcm", uid, unknown))
        study, _ = self.wait_for_study(uid)
        self.assertNotIn("basedOn", study)
        p = self.c.get(study["subject"]["reference"])
        self.assertStatus(p, 200)
        self.assertIn({"system": RECONCILIATION, "code": "provisional"},
                      [{k: t[k] for k in ("system", "code")} for t in p.json["meta"]["tag"]])
        self.assertEqual(p.json["identifier"][0]["value"], unknown)
        # The reconciliation work list: provisional patients by tag.
        self.assertIn(p.json["id"], self.search_ids(
            "Patient?_tag=" + urllib.parse.quote(f"{RECONCILIATION}|provisional", safe="")))


if __name__ == "__main__":
    unittest.main()
