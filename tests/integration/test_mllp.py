"""HL7 v2 over MLLP, end to end: `healthbook serve --mllp 127.0.0.1:PORT`.

Results (ORU^R01) and registrations (ADT^A01/A04/A08) are sent by Debian's python3-hl7
`mllp_send` (an independent client) and by raw sockets: concurrent senders, pipelined frames,
a broken frame, a half-sent message, an unparseable frame, a resend, bad content, a corrected
result, an unknown patient. Then the FHIR API must show what the messages meant: codes
(LOINC, local codes mapped by the ConceptMap), UCUM units, reference ranges, abnormal flags,
links to order, patient and visit, and the raw message kept as a DocumentReference.

Orders out (OML^O21 to a LIS): tests/simulators/fake_lis.py plays the LIS, refusing, then
acknowledging, then refusing the content; the order records each ACK.

Python standard library only; mllp_send comes from Debian's python3-hl7 (/usr/bin/mllp_send,
scripts/install-deps.sh test).
"""

import base64
import os
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import unittest
import uuid

from harness import ServerTestCase, needs, q

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "simulators"))
from fake_lis import FakeLis  # noqa: E402

FIXTURES = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "fixtures", "hl7"))
SID = "https://fhir.healthbook.vn/sid/"
FACILITY = "11001"
SB, EB, CR = b"\x0b", b"\x1c", b"\x0d"
MLLP_SEND = shutil.which("mllp_send", path="/usr/bin:" + os.environ.get("PATH", ""))
LOINC, UCUM = "http://loinc.org", "http://unitsofmeasure.org"
V3_INTERPRETATION = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation"


def unique(prefix):
    return f"{prefix}{uuid.uuid4().hex[:10].upper()}"


def cccd():
    """A fresh 12-digit citizen id of Điện Biên (011...)."""
    return "011" + str(uuid.uuid4().int)[:9]


def oru(control, filler, mrn, cccd_no, obx, status="F", name="Nguyễn^Thị Hồng", placer=None,
        sender="COBAS6000"):
    placer = placer or "ORD-" + filler
    return "\r".join([
        f"MSH|^~\\&|{sender}|KHOA_XN^11001.XN^L|HEALTHBOOK|BVDK_DIENBIEN^11001^L|"
        f"20240315093012+0700||ORU^R01^ORU_R01|{control}|P|2.5.1|||AL|NE|VNM|UNICODE UTF-8",
        f"PID|1||{mrn}^^^BVDK_DIENBIEN^MR~{cccd_no}^^^BCA^NI||{name}||19890412|F",
        f"OBR|1|{placer}^HIS|{filler}^LIS|CHEM^Sinh hóa máu^L|||20240315071500+0700|||||||||"
        f"||||||20240315093000+0700||CH|{status}",
        *obx]) + "\r"


GLUCOSE = "OBX|1|NM|GLU^Glucose máu^L||7.8|mmol/l|3.9-6.4|H|||F|||20240315091512+0700"
ALT = ("OBX|2|NM|1742-6^Alanine aminotransferase [Enzymatic activity/volume] in Serum or "
       "Plasma^LN^ALT^ALT (GPT)^L||132.5|U/L^U/L^UCUM|0-35|HH|||F")
HGB = "OBX|3|NM|HGB^Huyết sắc tố^L||101|g/L|120-160|L|||F"


def adt(trigger, control, mrn, cccd_no, visit, phone="0912345678", extra_pid3=""):
    return "\r".join([
        f"MSH|^~\\&|HIS_FPT|BVDK_DIENBIEN^11001^L|HEALTHBOOK|SYT_DIENBIEN|20240315074512+0700||"
        f"ADT^{trigger}^ADT_A01|{control}|P|2.5|||AL|NE|VNM|UNICODE UTF-8",
        f"EVN|{trigger}|20240315074500+0700",
        f"PID|1||{mrn}^^^BVDK_DIENBIEN&11001&L^MR~{cccd_no}^^^BCA^NI{extra_pid3}||"
        "Lò^Thị Ngọc Ánh||19920918|F|||Bản Him Lam 2^Phường Him Lam^Thành phố Điện Biên Phủ^"
        f"Điện Biên^^VNM^H||{phone}^PRN^CP",
        "PV1|1|I|NOI1^P203^G02^BVDK_DIENBIEN||||BS0456^Vừ^A Sử^^^BS.CKI|||MED||||7|||"
        f"BS0456^Vừ^A Sử^^^BS.CKI||{visit}|||||||||||||||||||||||||20240315074000+0700",
    ]) + "\r"


def frame(text):
    return SB + (text.encode("utf-8") if isinstance(text, str) else text) + EB + CR


def segments(ack):
    return {line.split("|", 1)[0]: line for line in ack.split("\r") if line}


def msa(ack):
    return segments(ack).get("MSA", "").split("|")


class Mllp:
    """A raw MLLP connection."""

    def __init__(self, port, timeout=30):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buf = b""

    def send_raw(self, data):
        self.sock.sendall(data)

    def frames(self, count):
        out = []
        while len(out) < count:
            if EB in self.buf:
                f, _, self.buf = self.buf.partition(EB)
                self.buf = self.buf[1:] if self.buf.startswith(CR) else self.buf
                out.append(f.split(SB, 1)[-1].decode("utf-8"))
                continue
            data = self.sock.recv(65536)
            if not data:
                break
            self.buf += data
        return out

    def send(self, text):
        self.send_raw(frame(text))
        got = self.frames(1)
        if not got:
            raise AssertionError("the server closed the connection without an ACK")
        return got[0]

    def closed(self, timeout):
        self.sock.settimeout(timeout)
        try:
            return self.sock.recv(1) == b""
        except socket.timeout:
            return False

    def close(self):
        self.sock.close()


class MllpTestCase(ServerTestCase):
    env = {}

    @classmethod
    def setUpClass(cls):
        cls.server_args = ("--mllp", "127.0.0.1:0")  # a free port, bound by the listener
        cls._saved = {k: os.environ.get(k) for k in cls.env}
        os.environ.update(cls.env)
        try:
            super().setUpClass()
        finally:
            for k, v in cls._saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        cls.mllp_port = cls.server.mllp_port
        r = cls.c.post("Organization", {
            "resourceType": "Organization", "name": "Bệnh viện Đa khoa tỉnh Điện Biên",
            "identifier": [{"system": SID + "facility", "value": FACILITY}]})
        assert r.status == 201, r.describe()
        cls.org = r.json["id"]

    def send(self, text):
        c = Mllp(self.mllp_port)
        try:
            return c.send(text)
        finally:
            c.close()

    def assertAck(self, ack, code, control=None, mentions=None):
        m = msa(ack)
        self.assertGreater(len(m), 2, ack)
        self.assertEqual(m[1], code, ack.replace("\r", "\n"))
        if control is not None:
            self.assertEqual(m[2], control, ack)
        if mentions:
            self.assertIn(mentions.lower(), ack.lower(), ack.replace("\r", "\n"))

    def one(self, query):
        r = self.c.get(query)
        self.assertStatus(r, 200)
        entries = [e["resource"] for e in r.json.get("entry", [])
                   if e.get("search", {}).get("mode", "match") == "match"]
        self.assertEqual(len(entries), 1, f"{query}: {len(entries)} matches\n{r.describe()}")
        return entries[0]

    def count(self, query):
        r = self.c.get(query + ("&" if "?" in query else "?") + "_summary=count")
        self.assertStatus(r, 200)
        return r.json["total"]

    def report(self, filler):
        return self.one(f"DiagnosticReport?identifier={q(SID + 'lab-report/' + FACILITY)}|{filler}")


class InboundTest(MllpTestCase):
    env = {"HEALTHBOOK_LIS_FACILITY": FACILITY, "HEALTHBOOK_LIS_IDLE_TIMEOUT_S": "3",
           "HEALTHBOOK_LIS_MAX_FRAME_BYTES": "1048576"}

    @needs(MLLP_SEND, "python3-hl7's mllp_send is not installed")
    def test_fixture_sent_by_mllp_send_is_coded_in_fhir(self):
        p = subprocess.run([MLLP_SEND, "--loose", "--file",
                            os.path.join(FIXTURES, "oru_r01_chemistry.hl7"),
                            "--port", str(self.mllp_port), "127.0.0.1"],
                           capture_output=True, timeout=30)
        self.assertEqual(p.returncode, 0, p.stderr)
        ack = p.stdout.decode("utf-8").replace("\n", "\r")
        self.assertAck(ack, "AA", "C6K-20240315-000187")
        report = self.report("240315-0187")
        self.assertEqual(report["status"], "final")
        self.assertEqual(len(report["result"]), 12)
        self.assertEqual(report["presentedForm"][0]["contentType"], "application/pdf")
        self.assertEqual(report["performer"][0]["reference"], f"Organization/{self.org}")
        glucose = self.c.get(report["result"][0]["reference"]).json
        self.assertEqual(glucose["code"]["coding"][0], {
            "system": LOINC, "code": "2345-7",
            "display": "Glucose [Mass/volume] in Serum or Plasma"})
        self.assertEqual(glucose["valueQuantity"], {"value": 7.8, "unit": "mmol/L",
                                                    "system": UCUM, "code": "mmol/L"})
        self.assertEqual(glucose["referenceRange"][0]["low"]["value"], 3.9)
        self.assertEqual(glucose["referenceRange"][0]["high"]["value"], 6.4)
        self.assertEqual(glucose["interpretation"][0]["coding"][0],
                         {"system": V3_INTERPRETATION, "code": "H", "display": "High"})
        self.assertEqual(glucose["subject"]["reference"], report["subject"]["reference"])
        order = self.c.get(report["basedOn"][0]["reference"]).json
        self.assertEqual(order["identifier"][0]["value"], "ORD-556677")
        patient = self.c.get(report["subject"]["reference"]).json
        self.assertEqual(patient["name"][0]["text"], "Nguyễn Thị Hồng")
        # Found by its CCCD too, and the raw message is kept.
        self.assertEqual(self.one(f"Patient?identifier={q(SID + 'cccd')}|011189012345")["id"],
                         patient["id"])
        record = self.one(f"DocumentReference?identifier={q(SID + 'hl7v2-message')}|"
                          f"{q('COBAS6000^KHOA_XN^C6K-20240315-000187')}")
        raw = base64.b64decode(record["content"][0]["attachment"]["data"])
        with open(os.path.join(FIXTURES, "oru_r01_chemistry.hl7"), "rb") as f:
            self.assertEqual(raw.rstrip(b"\r"), f.read().rstrip(b"\r\n"))
        self.assertEqual(record["content"][0]["attachment"]["contentType"],
                         "x-application/hl7-v2+er7")
        related = {r["reference"] for r in record["context"]["related"]}
        self.assertIn(f"DiagnosticReport/{report['id']}", related)

    def test_local_codes_get_loinc_from_the_stored_concept_map(self):
        cm = self.c.get(f"ConceptMap/lis-local-loinc-{FACILITY}")
        self.assertStatus(cm, 200)
        self.assertEqual(cm.json["group"][0]["target"], LOINC)
        filler = unique("F")
        ack = self.send(oru(unique("M"), filler, unique("BN"), cccd(), [GLUCOSE, HGB]))
        self.assertAck(ack, "AA")
        report = self.report(filler)
        glu = self.c.get(report["result"][0]["reference"]).json
        self.assertEqual([c["code"] for c in glu["code"]["coding"]], ["GLU", "14749-6"])
        self.assertEqual(glu["code"]["coding"][0]["system"], SID + "lab-code/" + FACILITY)
        self.assertEqual(glu["valueQuantity"]["code"], "mmol/L")  # "mmol/l" as sent
        hgb = self.c.get(report["result"][1]["reference"]).json
        self.assertEqual(hgb["code"]["coding"][1]["code"], "718-7")
        self.assertEqual(hgb["interpretation"][0]["coding"][0]["code"], "L")
        # Searchable by the LOINC code the map added.
        self.assertIn(glu["id"], [r["id"] for r in [self.one(
            f"Observation?code={q(LOINC)}|14749-6&subject={glu['subject']['reference']}")]])

    def test_resend_creates_nothing_and_is_still_acknowledged(self):
        control, filler = unique("M"), unique("F")
        msg = oru(control, filler, unique("BN"), cccd(), [GLUCOSE, ALT])
        before = self.count("Observation")
        self.assertAck(self.send(msg), "AA", control)
        self.assertEqual(self.count("Observation"), before + 2)
        for _ in range(2):
            self.assertAck(self.send(msg), "AA", control)
        self.assertEqual(self.count("Observation"), before + 2)
        self.assertEqual(self.count(f"DocumentReference?identifier={q(SID + 'hl7v2-message')}|"
                                    f"{q('COBAS6000^KHOA_XN^' + control)}"), 1)
        report = self.report(filler)
        self.assertEqual(report["meta"]["versionId"], "1")

    def test_corrected_result_is_a_new_version_of_the_same_observation(self):
        filler, mrn, cid = unique("F"), unique("BN"), cccd()
        self.assertAck(self.send(oru(unique("M"), filler, mrn, cid, [GLUCOSE, ALT])), "AA")
        first = self.report(filler)
        alt_ref = first["result"][1]["reference"]
        fix = ALT.replace("||132.5|", "||98.4|").replace("|HH|||F", "|H|||C")
        self.assertAck(self.send(oru(unique("M"), filler, mrn, cid, [fix], status="C")), "AA")
        alt = self.c.get(alt_ref).json
        self.assertEqual(alt["meta"]["versionId"], "2")
        self.assertEqual(alt["status"], "corrected")
        self.assertEqual(alt["valueQuantity"]["value"], 98.4)
        history = self.c.get(alt_ref + "/_history").json
        self.assertEqual(history["total"], 2)
        report = self.report(filler)
        self.assertEqual(report["id"], first["id"])
        self.assertEqual(report["status"], "corrected")
        self.assertEqual(len(report["result"]), 2, "the report keeps the uncorrected result")

    def test_unknown_patient_is_provisional_until_registered(self):
        cid, mrn, filler = cccd(), unique("BN"), unique("F")
        ack = self.send(oru(unique("M"), filler, mrn, cid, [GLUCOSE], name="Giàng^A Páo"))
        self.assertAck(ack, "AA")
        tag = q(SID + "reconciliation") + "|provisional"
        patient = self.one(f"Patient?identifier={q(SID + 'cccd')}|{cid}")
        self.assertEqual(patient["meta"]["tag"][0]["code"], "provisional")
        self.assertTrue(patient["active"])
        flagged = [e["resource"]["id"] for e in self.c.all_entries(f"Patient?_tag={tag}")]
        self.assertIn(patient["id"], flagged, "the reconciliation work list finds it")
        self.assertEqual(self.report(filler)["subject"]["reference"], f"Patient/{patient['id']}")
        # The hospital registers them: the same record, no longer provisional.
        self.assertAck(self.send(adt("A04", unique("A"), mrn, cid, unique("V"))), "AA")
        registered = self.c.get(f"Patient/{patient['id']}").json
        self.assertNotIn("tag", registered.get("meta", {}))
        self.assertEqual(registered["name"][0]["text"], "Lò Thị Ngọc Ánh")

    def test_patient_found_by_either_identifier_and_two_records_are_not_guessed(self):
        mrn1, cid1, mrn2, cid2 = unique("BN"), cccd(), unique("BN"), cccd()
        self.assertAck(self.send(adt("A04", unique("A"), mrn1, cid1, unique("V"))), "AA")
        self.assertAck(self.send(adt("A04", unique("A"), mrn2, cid2, unique("V"))), "AA")
        first = self.one(f"Patient?identifier={q(SID + 'cccd')}|{cid1}")
        second = self.one(f"Patient?identifier={q(SID + 'cccd')}|{cid2}")
        # A new MRN but a known CCCD, then a known MRN with a new CCCD: the registered record.
        filler = unique("F")
        self.assertAck(self.send(oru(unique("M"), filler, unique("BN"), cid1, [GLUCOSE])), "AA")
        self.assertEqual(self.report(filler)["subject"]["reference"], f"Patient/{first['id']}")
        filler = unique("F")
        self.assertAck(self.send(oru(unique("M"), filler, mrn2, cccd(), [GLUCOSE])), "AA")
        self.assertEqual(self.report(filler)["subject"]["reference"], f"Patient/{second['id']}")
        # The MRN of one and the CCCD of the other: refused with the reason, nothing stored.
        filler, control = unique("F"), unique("M")
        ack = self.send(oru(control, filler, mrn1, cid2, [GLUCOSE]))
        self.assertNotEqual(msa(ack)[1], "AA", ack.replace("\r", "\n"))
        self.assertIn("several Patient", ack)
        self.assertEqual(self.count(f"DiagnosticReport?identifier="
                                    f"{q(SID + 'lab-report/' + FACILITY)}|{filler}"), 0)

    def test_registration_and_update(self):
        cid, mrn, visit = cccd(), unique("BN"), unique("V")
        card = "DN4011121" + str(uuid.uuid4().int)[:6]
        self.assertAck(self.send(adt("A01", unique("A"), mrn, cid, visit,
                                     extra_pid3=f"~{card}^^^BHXH^HC")), "AA")
        p = self.one(f"Patient?identifier={q(SID + 'cccd')}|{cid}")
        ids = {i["system"]: i for i in p["identifier"]}
        self.assertEqual(ids[SID + "cccd"]["type"]["coding"][0]["code"], "NI")
        self.assertEqual(ids[SID + "mrn/" + FACILITY]["value"], mrn)
        self.assertEqual(p["name"][0]["given"], ["Thị Ngọc", "Ánh"])
        self.assertEqual((p["birthDate"], p["gender"]), ("1992-09-18", "female"))
        self.assertEqual(p["address"][0]["city"], "Phường Him Lam")
        self.assertEqual(p["telecom"][0], {"system": "phone", "value": "0912345678",
                                           "use": "mobile"})
        enc = self.one(f"Encounter?identifier={q(SID + 'visit-number/' + FACILITY)}|{visit}")
        self.assertEqual(enc["status"], "in-progress")
        self.assertEqual(enc["class"]["code"], "IMP")
        self.assertEqual(enc["subject"]["reference"], f"Patient/{p['id']}")
        self.assertEqual(enc["serviceProvider"]["reference"], f"Organization/{self.org}")
        self.assertEqual(enc["participant"][0]["individual"]["display"], "BS.CKI Vừ A Sử")
        self.assertEqual(enc["period"]["start"], "2024-03-15T07:40:00+07:00")
        # A08: a new phone; the card the update does not restate stays.
        self.assertAck(self.send(adt("A08", unique("A"), mrn, cid, visit, phone="0388123456")),
                       "AA")
        p2 = self.c.get(f"Patient/{p['id']}").json
        self.assertEqual(p2["meta"]["versionId"], "2")
        self.assertEqual(p2["telecom"][0]["value"], "0388123456")
        self.assertIn(card, [i["value"] for i in p2["identifier"]])
        enc2 = self.c.get(f"Encounter/{enc['id']}").json
        self.assertEqual(enc2["status"], "in-progress")
        # The same update again changes nothing: no new version.
        self.assertAck(self.send(adt("A08", unique("A"), mrn, cid, visit, phone="0388123456")),
                       "AA")
        self.assertEqual(self.c.get(f"Patient/{p['id']}").json["meta"]["versionId"], "2")

    def adt_message(self, trigger, mrn, cid, pv1=None, more=(), structure="ADT_A01"):
        return "\r".join([
            f"MSH|^~\\&|HIS_FPT|BVDK_DIENBIEN^11001^L|HEALTHBOOK|SYT_DIENBIEN|"
            f"20240316101500+0700||ADT^{trigger}^{structure}|{unique('A')}|P|2.5|||AL|NE|VNM|"
            "UNICODE UTF-8",
            f"EVN|{trigger}|20240316101500+0700||||20240316101000+0700",
            f"PID|1||{mrn}^^^BVDK_DIENBIEN&11001&L^MR~{cid}^^^BCA^NI||Lò^Văn Pâng||19700101|M",
            *more, *([pv1] if pv1 else [])]) + "\r"

    def test_transfer_discharge_and_insurance(self):
        cid, mrn, visit = cccd(), unique("BN"), unique("V")
        card = "DN4011121" + str(uuid.uuid4().int)[:6]
        in1 = (f"IN1|1|BHYT^Bảo hiểm y tế^L|BHXH^Bảo hiểm xã hội Việt Nam|||||||||20240101|"
               f"20241231|||||||||||||||||||||||{card}")
        self.assertAck(self.send(adt("A01", unique("A"), mrn, cid, visit).rstrip("\r") +
                                 "\r" + in1 + "\r"), "AA")
        cov = self.one(f"Coverage?identifier={q(SID + 'bhyt-card')}|{card}")
        p = self.one(f"Patient?identifier={q(SID + 'cccd')}|{cid}")
        self.assertEqual(cov["beneficiary"]["reference"], f"Patient/{p['id']}")
        self.assertEqual(cov["period"], {"start": "2024-01-01", "end": "2024-12-31"})
        self.assertEqual(cov["relationship"]["coding"][0]["code"], "self")
        self.assertEqual(cov["payor"][0]["display"], "Bảo hiểm xã hội Việt Nam")
        # A02: from NOI1 P203 to HSTC P01; the bed left is kept as completed.
        a02 = self.adt_message("A02", mrn, cid, pv1=(
            "PV1|1|I|HSTC^P01^G01^BVDK_DIENBIEN|||NOI1^P203^G02^BVDK_DIENBIEN||||||||||||"
            f"|{visit}"))
        self.assertAck(self.send(a02), "AA")
        enc = self.one(f"Encounter?identifier={q(SID + 'visit-number/' + FACILITY)}|{visit}")
        self.assertEqual(enc["status"], "in-progress")
        self.assertEqual([(l["location"]["display"], l["status"]) for l in enc["location"]],
                         [("NOI1, P203, G02", "completed"), ("HSTC, P01, G01", "active")])
        self.assertEqual(enc["period"]["start"], "2024-03-15T07:40:00+07:00")
        # A03 without PV1-45: ended when the event happened (EVN-6); the start stays.
        a03 = self.adt_message("A03", mrn, cid, pv1=(
            f"PV1|1|I|HSTC^P01^G01^BVDK_DIENBIEN||||||||||||||||{visit}"))
        self.assertAck(self.send(a03), "AA")
        enc = self.c.get(f"Encounter/{enc['id']}").json
        self.assertEqual(enc["status"], "finished")
        self.assertEqual(enc["period"], {"start": "2024-03-15T07:40:00+07:00",
                                         "end": "2024-03-16T10:10:00+07:00"})
        # A discharge that cannot say which visit ends is refused with the reason.
        ack = self.send(self.adt_message("A03", mrn, cid, pv1="PV1|1|I"))
        self.assertAck(ack, "AE", mentions="PV1-19")

    def test_merge_a40_moves_results_of_a_duplicate(self):
        cid, mrn = cccd(), unique("BN")
        dup_cid, dup_mrn, filler = cccd(), unique("BN"), unique("F")
        self.assertAck(self.send(adt("A04", unique("A"), mrn, cid, unique("V"))), "AA")
        survivor = self.one(f"Patient?identifier={q(SID + 'cccd')}|{cid}")
        # Results under another number: a provisional duplicate.
        self.assertAck(self.send(oru(unique("M"), filler, dup_mrn, dup_cid, [GLUCOSE])), "AA")
        dup = self.one(f"Patient?identifier={q(SID + 'cccd')}|{dup_cid}")
        self.assertNotEqual(dup["id"], survivor["id"])
        a40 = self.adt_message("A40", mrn, cid, structure="ADT_A39", more=[
            f"MRG|{dup_mrn}^^^BVDK_DIENBIEN&11001&L^MR~{dup_cid}^^^BCA^NI"])
        self.assertAck(self.send(a40), "AA")
        self.assertEqual(self.report(filler)["subject"]["reference"],
                         f"Patient/{survivor['id']}")
        retired = self.c.get(f"Patient/{dup['id']}").json
        self.assertFalse(retired["active"])
        self.assertEqual(retired["link"][0]["type"], "replaced-by")
        self.assertEqual(retired["link"][0]["other"]["reference"], f"Patient/{survivor['id']}")
        prov = self.c.get(f"Provenance?target=Patient/{survivor['id']}").json
        self.assertGreaterEqual(prov.get("total", len(prov.get("entry", []))), 1)
        # A result sent later under the old number follows the merge.
        later = unique("F")
        self.assertAck(self.send(oru(unique("M"), later, dup_mrn, dup_cid, [HGB])), "AA")
        self.assertEqual(self.report(later)["subject"]["reference"], f"Patient/{survivor['id']}")
        # The same merge again (a new control id) is a no-op, still AA.
        self.assertAck(self.send(a40), "AA")
        # A record the facility has no care relationship with is not merged away: AE.
        other_cid = cccd()
        r = self.c.post("Patient", {"resourceType": "Patient",
                                    "identifier": [{"system": SID + "cccd", "value": other_cid}],
                                    "name": [{"family": "Hà", "given": ["Văn Khác"]}]})
        self.assertStatus(r, 201)
        ack = self.send(self.adt_message("A40", mrn, cid, structure="ADT_A39", more=[
            f"MRG|{other_cid}^^^BCA^NI"]))
        self.assertAck(ack, "AE", mentions="no care relationship")
        self.assertTrue(self.c.get(f"Patient/{r.json['id']}").json.get("active", True))
        self.assertNotIn("link", self.c.get(f"Patient/{r.json['id']}").json)
        # MRG without identifiers is refused with the reason.
        self.assertAck(self.send(self.adt_message("A40", mrn, cid, structure="ADT_A39",
                                                  more=["MRG|"])), "AE", mentions="MRG")

    def test_specimen_is_linked_from_results_and_report(self):
        cid, mrn, filler = cccd(), unique("BN"), unique("F")
        barcode = unique("S")
        fields = {1: "1", 2: f"P{barcode}&HIS^{barcode}&LIS", 4: "SER^Huyết thanh^HL70487",
                  7: "VP^Venipuncture^HL70488", 8: "LACF^Left antecubital fossa^HL70163",
                  12: "2^mL", 17: "20240315071500+0700", 18: "20240315072010+0700", 20: "Y"}
        spm = "SPM|" + "|".join(fields.get(i, "") for i in range(1, 21))
        self.assertAck(self.send(oru(unique("M"), filler, mrn, cid, [GLUCOSE, spm])), "AA")
        sp = self.one(f"Specimen?identifier={q(SID + 'specimen/' + FACILITY)}|{barcode}")
        self.assertEqual(sp["type"]["coding"][0]["code"], "SER")
        self.assertEqual(sp["status"], "available")
        self.assertEqual(sp["collection"]["collectedDateTime"], "2024-03-15T07:15:00+07:00")
        self.assertEqual(sp["collection"]["method"]["coding"][0]["code"], "VP")
        self.assertEqual(sp["receivedTime"], "2024-03-15T07:20:10+07:00")
        report = self.report(filler)
        self.assertEqual(report["specimen"][0]["reference"], f"Specimen/{sp['id']}")
        obs = self.c.get(report["result"][0]["reference"]).json
        self.assertEqual(obs["specimen"]["reference"], f"Specimen/{sp['id']}")
        self.assertEqual(sp["subject"], {"reference": report["subject"]["reference"],
                                         "display": "Nguyễn Thị Hồng"})

    def test_batch_in_one_frame_gets_a_batch_of_acks(self):
        cid, mrn = cccd(), unique("BN")
        f1, f2 = unique("F"), unique("F")
        c1, c2, c3 = unique("M"), unique("M"), unique("M")
        bad = oru(c3, unique("F"), mrn, cid, [GLUCOSE.replace("||7.8|", "||bảy|")])
        messages = [oru(c1, f1, mrn, cid, [GLUCOSE]), oru(c2, f2, mrn, cid, [HGB]), bad]
        text = ("FHS|^~\\&|COBAS6000|KHOA_XN|HEALTHBOOK|BVDK|20240315093012+0700||||FILE-7\r"
                "BHS|^~\\&|COBAS6000|KHOA\\T\\XN|HEALTHBOOK|BVDK|20240315093012+0700||||BATCH-7\r"
                + "".join(messages) + "BTS|3\rFTS|1\r")
        c = Mllp(self.mllp_port)
        try:
            reply = c.send(text)
        finally:
            c.close()
        lines = [line for line in reply.split("\r") if line]
        self.assertTrue(lines[0].startswith("FHS|"), reply)
        self.assertTrue(lines[1].startswith("BHS|") and lines[1].endswith("|BATCH-7"), lines[1])
        # Addressed back to the sender, its values escaped again (KHOA&XN), stamped in the
        # province's local time.
        bhs = lines[1].split("|")
        self.assertEqual((bhs[2], bhs[4], bhs[5]), ("HEALTHBOOK", "COBAS6000", "KHOA\\T\\XN"), lines[1])
        self.assertTrue(bhs[6].endswith("+0700"), lines[1])
        self.assertEqual(lines[-2:], ["BTS|3", "FTS|1"])
        msas = [line.split("|") for line in lines if line.startswith("MSA|")]
        self.assertEqual([(m[1], m[2]) for m in msas], [("AA", c1), ("AA", c2), ("AE", c3)],
                         "one ACK per message, in order, each for itself")
        self.assertEqual(self.report(f1)["status"], "final")
        self.assertEqual(self.report(f2)["status"], "final")
        # A batch whose count does not match is cut or spliced: refused whole, nothing stored.
        f3 = unique("F")
        cut = ("BHS|^~\\&|COBAS6000|KHOA_XN|HEALTHBOOK|BVDK\r" +
               oru(unique("M"), f3, mrn, cid, [GLUCOSE]) + "BTS|2\r")
        self.assertAck(self.send(cut), "AR")
        self.assertEqual(self.count(
            f"DiagnosticReport?identifier={q(SID + 'lab-report/' + FACILITY)}|{f3}"), 0)

    def test_bad_content_is_answered_ae_or_ar_with_the_reason(self):
        control = unique("M")
        bad = GLUCOSE.replace("||7.8|", "||bảy|")
        ack = self.send(oru(control, unique("F"), unique("BN"), cccd(), [bad]))
        self.assertAck(ack, "AE", control, mentions="is not a number")
        self.assertIn("102^Data type error", segments(ack)["ERR"])
        self.assertIn("OBX^1^5", segments(ack)["ERR"])
        ack = self.send(oru(control, unique("F"), unique("BN"), cccd(), [GLUCOSE]).replace(
            "|20240315071500+0700|", "|20241315071500+0700|"))
        self.assertAck(ack, "AE", mentions="OBR-7")
        with open(os.path.join(FIXTURES, "oml_o21_lab_order.hl7"), encoding="utf-8") as f:
            ack = self.send(f.read())
        self.assertAck(ack, "AR", "HIS-OML-0187", mentions="not supported")
        self.assertIn("200^Unsupported message type", segments(ack)["ERR"])
        ack = self.send(oru(unique("M"), unique("F"), unique("BN"), cccd(), [GLUCOSE]).replace(
            "|P|2.5.1|", "|P|2.6|"))
        self.assertAck(ack, "AR", mentions="2.6")
        self.assertEqual(self.count(f"DocumentReference?identifier={q(SID + 'hl7v2-message')}|"
                                    f"{q('COBAS6000^KHOA_XN^' + control)}"), 0)

    def test_unparseable_and_broken_frames(self):
        c = Mllp(self.mllp_port)
        try:
            ack = c.send("hello, this is not HL7")
            self.assertAck(ack, "AR", mentions="MSH")
            # Junk between frames is skipped (and logged); the next message is answered.
            control = unique("M")
            c.send_raw(b"GET / HTTP/1.0\r\n\r\n")
            ack = c.send(oru(control, unique("F"), unique("BN"), cccd(), [GLUCOSE]))
            self.assertAck(ack, "AA", control)
            # A frame over the limit is refused without losing the connection.
            c.send_raw(frame(b"MSH|" + b"x" * (1 << 20 | 10)))
            self.assertAck(c.frames(1)[0], "AR", mentions="exceeds the limit")
            self.assertAck(c.send(oru(unique("M"), unique("F"), unique("BN"), cccd(),
                                      [GLUCOSE])), "AA")
        finally:
            c.close()
        self.assertIn("outside any MLLP frame", self.server.log())

    def test_half_sent_message_then_close_is_not_stored(self):
        control = unique("M")
        c = Mllp(self.mllp_port)
        c.send_raw(frame(oru(control, unique("F"), unique("BN"), cccd(), [GLUCOSE]))[:200])
        c.close()
        deadline = time.monotonic() + 30
        while "without its end byte" not in self.server.log() and time.monotonic() < deadline:
            time.sleep(0.05)
        self.assertIn("without its end byte", self.server.log())
        self.assertEqual(self.count(f"DocumentReference?identifier={q(SID + 'hl7v2-message')}|"
                                    f"{q('COBAS6000^KHOA_XN^' + control)}"), 0)

    def test_idle_connection_is_closed(self):
        c = Mllp(self.mllp_port)
        try:
            self.assertTrue(c.closed(timeout=30), "the server kept an idle connection open")
        finally:
            c.close()

    def test_concurrent_senders_and_pipelining(self):
        before = self.count("DiagnosticReport")
        errors, fillers = [], []
        lock = threading.Lock()

        def sender(n):
            c = Mllp(self.mllp_port)
            try:
                for i in range(25):
                    control, filler = unique("C"), unique("F")
                    ack = c.send(oru(control, filler, unique("BN"), cccd(), [GLUCOSE, HGB]))
                    with lock:
                        fillers.append(filler)
                        if msa(ack)[1:3] != ["AA", control]:
                            errors.append(ack)
            finally:
                c.close()

        threads = [threading.Thread(target=sender, args=(n,)) for n in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(120)
        self.assertEqual(errors, [])
        self.assertEqual(self.count("DiagnosticReport"), before + 200)
        # Ten frames in one write: ten ACKs, in order.
        controls = [unique("P") for _ in range(10)]
        c = Mllp(self.mllp_port)
        try:
            c.send_raw(b"".join(frame(oru(k, unique("F"), unique("BN"), cccd(), [GLUCOSE]))
                                for k in controls))
            self.assertEqual([msa(a)[2] for a in c.frames(10)], controls)
        finally:
            c.close()
        self.assertEqual(self.report(fillers[117])["status"], "final")


class OrdersTest(MllpTestCase):
    """Lab orders out: ServiceRequest -> OML^O21 to the (fake) LIS through the outbox."""

    @classmethod
    def setUpClass(cls):
        cls.lis = FakeLis(mode="refuse").start()
        cls.env = {"HEALTHBOOK_LIS_FACILITY": FACILITY,
                   "HEALTHBOOK_LIS_ORDER_HOST": "127.0.0.1",
                   "HEALTHBOOK_LIS_ORDER_PORT": str(cls.lis.port),
                   "HEALTHBOOK_LIS_ORDER_ACK_TIMEOUT_S": "2"}
        super().setUpClass()
        cls.addClassCleanup(cls.lis.stop)
        cls.cccd = cccd()
        r = cls.c.post("Patient", {
            "resourceType": "Patient", "name": [{"family": "Quàng", "given": ["Thị", "Lan"]}],
            "identifier": [{"system": SID + "cccd", "value": cls.cccd}],
            "gender": "female", "birthDate": "1990-05-01"})
        assert r.status == 201, r.describe()
        cls.patient = r.json["id"]

    def order(self, code="GLU", display="Glucose máu"):
        r = self.c.post("ServiceRequest", {
            "resourceType": "ServiceRequest", "status": "active", "intent": "order",
            "category": [{"coding": [{"system": "http://snomed.info/sct", "code": "108252007",
                                      "display": "Laboratory procedure"}]}],
            "code": {"coding": [{"system": SID + "lab-code/" + FACILITY, "code": code,
                                 "display": display}]},
            "subject": {"reference": f"Patient/{self.patient}"},
            "performer": [{"reference": f"Organization/{self.org}"}],
            "authoredOn": "2024-03-15T07:05:12+07:00", "priority": "stat",
            "note": [{"text": "Bệnh nhân đái tháo đường type 2."}]})
        self.assertStatus(r, 201)
        return r.json["id"]

    def record(self, order_id, control, timeout=30):
        """The order's lis-order extension for `control` once it has an ACK."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            sr = self.c.get(f"ServiceRequest/{order_id}").json
            for e in sr.get("extension", []):
                parts = {p["url"]: next(v for k, v in p.items() if k.startswith("value"))
                         for p in e.get("extension", [])}
                if e["url"] == SID + "extension/lis-order" and parts.get("control") == control \
                        and "ack" in parts:
                    return sr, parts
            time.sleep(0.2)
        self.fail(f"no ACK recorded on ServiceRequest/{order_id} for {control}\n"
                  f"{self.server.log_tail()}")

    def test_order_reaches_the_lis_after_it_comes_back_and_is_cancelled(self):
        self.lis.mode = "refuse"
        received, connections = len(self.lis.received), self.lis.connections
        sr_id = self.order()
        deadline = time.monotonic() + 30
        while self.lis.connections == connections and time.monotonic() < deadline:
            time.sleep(0.05)  # the LIS refuses the first try: the outbox will retry
        self.assertGreater(self.lis.connections, connections)
        self.assertEqual(len(self.lis.received), received)
        self.lis.mode = "ack"
        sr, parts = self.record(sr_id, "NW")
        self.assertEqual(parts["ack"], "AA")
        message = [m for m in self.lis.received if f"|{parts['controlId']}|" in m][0]
        seg = segments(message)
        self.assertIn("|OML^O21^OML_O21|", seg["MSH"])
        self.assertIn("Quàng^Thị Lan", seg["PID"])
        self.assertIn("^^^BCA^NI", seg["PID"])
        self.assertTrue(seg["ORC"].startswith(f"ORC|NW|{sr_id}^HEALTHBOOK|"), seg["ORC"])
        self.assertIn(f"|GLU^Glucose máu^L|", seg["OBR"])
        self.assertEqual(seg["TQ1"].split("|")[9], "S^^HL70485")
        self.assertIn("đái tháo đường", seg["NTE"])
        self.assertIn({"system": SID + "placer-order/" + FACILITY, "value": sr_id},
                      [{k: i[k] for k in ("system", "value")} for i in sr["identifier"]])
        # The LIS's result for that order finds it by the placer number.
        filler = unique("F")
        ack = self.send(oru(unique("M"), filler, unique("BN"), self.cccd, [GLUCOSE], placer=sr_id,
                            name="Quàng^Thị Lan"))
        self.assertAck(ack, "AA")
        self.assertEqual(self.report(filler)["basedOn"][0]["reference"], f"ServiceRequest/{sr_id}")
        # Cancelled: a CA follows.
        sr = self.c.get(f"ServiceRequest/{sr_id}").json
        sr["status"] = "revoked"
        self.assertStatus(self.c.put(f"ServiceRequest/{sr_id}", sr), 200)
        _, ca = self.record(sr_id, "CA")
        self.assertEqual(ca["ack"], "AA")
        cancel = [m for m in self.lis.received if f"|{ca['controlId']}|" in m][0]
        self.assertTrue(segments(cancel)["ORC"].startswith("ORC|CA|"))

    def test_lis_refusing_the_content_is_recorded_not_retried(self):
        self.lis.mode = "error"
        try:
            sr_id = self.order(code="XYZ", display="Không có trong danh mục")
            _, parts = self.record(sr_id, "NW")
        finally:
            self.lis.mode = "ack"
        self.assertEqual(parts["ack"], "AE")
        self.assertIn("không tồn tại", parts["detail"])
        seen = len([m for m in self.lis.received if parts["controlId"] in m])
        time.sleep(3)
        self.assertEqual(len([m for m in self.lis.received if parts["controlId"] in m]), seen)


if __name__ == "__main__":
    unittest.main()
