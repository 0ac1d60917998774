"""`healthbook hl7 parse FILE` and `healthbook hl7 ack FILE` (FILE may be - for stdin).

parse prints one JSON object on one line, {"messages": [...]} plus "envelope" for batch
files; each message lists its segments, each segment its fields as repetitions of components
(a component with subcomponents is an array of them). Invalid input exits 1 with the reason
and its line on stderr. ack prints the ACK healthbook would return, segments one per line, and
exits 1 unless every message is accepted (AA).

When Debian's python3-hl7 is importable, every value we print is checked against it as an
independent parser (values holding escape sequences are left out: the two libraries render
formatting escapes differently by design)."""

import json
import os
import re
import shutil
import subprocess
import tempfile
import unittest

from harness import FhirTestCase, binary, needs, run_cli

try:
    import hl7  # Debian's python3-hl7
except ImportError:  # pragma: no cover - depends on the machine
    hl7 = None

FIXTURES = os.path.normpath(os.path.join(os.path.dirname(__file__), "..", "fixtures", "hl7"))
INVALID = os.path.join(FIXTURES, "invalid")

VALID = sorted(f for f in os.listdir(FIXTURES) if f.endswith(".hl7"))
REJECTED = {
    "no_msh.hl7": "does not start with MSH",
    "msh_too_short.hl7": "MSH has 9 fields",
    "missing_encoding_characters.hl7": "declares 2 encoding characters",
    "duplicate_delimiter.hl7": "twice",
    "unterminated_escape.hl7": "unterminated escape sequence",
    "bad_segment_name.hl7": "segment name 'Pid'",
    "bad_utf8.hl7": "is not UTF-8",
    "unsupported_charset.hl7": "'ISO IR87' is not supported",
    "batch_count_mismatch.hl7": "BTS-1 declares 3 messages but 1 were read",
}


def read(name, folder=FIXTURES):
    with open(os.path.join(folder, name), "rb") as f:
        return f.read()


def segments_of(raw):
    """The segments of an input as python-hl7 wants them: no BOM, no blank lines, CR only."""
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    lines = re.split(rb"\r\n|\r|\n", raw)
    return [l for l in lines if l.strip(b" \t")]


class Hl7CliTest(FhirTestCase):

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="hb-it-hl7-")
        self.addCleanup(shutil.rmtree, self.dir, True)

    def write(self, name, content):
        path = os.path.join(self.dir, name)
        with open(path, "wb") as f:
            f.write(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    def parse(self, path):
        p = run_cli("hl7", "parse", path)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(p.stdout.count("\n"), 1, "one line of output")
        return json.loads(p.stdout)

    def ack(self, path, rc=0):
        """Runs `hl7 ack`; returns ([{segment name: its fields}] per ACK, process). Field n of
        a segment is fields[n], except MSH where MSH-n is fields[n - 1] (MSH-1 is the
        separator itself). Only the first segment of each name is kept."""
        p = run_cli("hl7", "ack", path)
        self.assertEqual(p.returncode, rc, p.stdout + p.stderr)
        acks = []
        for block in re.split(r"\n(?=MSH)", p.stdout.strip("\n")):
            lines = block.split("\n")
            sep = lines[0][3]
            segments = {}
            for line in lines:
                segments.setdefault(line[:3], line.split(sep))
            acks.append(segments)
        return acks, p

    # ------------------------------------------------------------------ parse

    def test_every_fixture_parses(self):
        self.assertGreaterEqual(len(VALID), 14)
        for name in VALID:
            with self.subTest(fixture=name):
                doc = self.parse(os.path.join(FIXTURES, name))
                self.assertGreaterEqual(len(doc["messages"]), 1)
                for m in doc["messages"]:
                    self.assertEqual(m["segments"][0]["name"], "MSH")
                    self.assertRegex(m["type"], r"^[A-Z]{3}\^[A-Z0-9]{3}$")
                    self.assertIn(m["version"], ("2.3", "2.3.1", "2.4", "2.5", "2.5.1"))

    def test_message_shape(self):
        doc = self.parse(os.path.join(FIXTURES, "adt_a01_cccd.hl7"))
        self.assertNotIn("envelope", doc)
        [m] = doc["messages"]
        self.assertEqual(m["type"], "ADT^A01")
        self.assertEqual(m["structure"], "ADT_A01")
        self.assertEqual(m["controlId"], "HIS-ADT-000451")
        self.assertEqual(m["charset"], "UNICODE UTF-8")
        self.assertEqual(m["delimiters"], "|^~\\&")
        msh, evn, pid = m["segments"][:3]
        self.assertEqual(msh["fields"][0], [["|"]])
        self.assertEqual(msh["fields"][1], [["^~\\&"]])
        self.assertEqual(msh["fields"][3], [["BVDK_DIENBIEN", "11001", "L"]])
        self.assertEqual(pid["line"], 3)
        # PID-3: three repetitions; the assigning authority of the first has subcomponents.
        mrn, cccd, bhyt = pid["fields"][2]
        self.assertEqual(mrn, ["BN2024-004512", "", "", ["BVDK_DIENBIEN", "11001", "L"], "MR"])
        self.assertEqual(cccd[0], "011189012345")
        self.assertEqual(cccd[4], "NI")
        self.assertEqual(bhyt[0], "DN4011121234567")
        self.assertEqual(pid["fields"][4][0][:2], ["Nguyễn", "Thị Hồng"])
        self.assertEqual(pid["fields"][3], [], "an empty field has no repetitions")
        self.assertEqual(m["segments"][-1]["name"], "ZPI")
        self.assertEqual(m["segments"][-1]["fields"][2], [["Nông dân"]])

    def test_escapes_are_decoded(self):
        [m] = self.parse(os.path.join(FIXTURES, "escapes.hl7"))["messages"]
        obx = [s for s in m["segments"] if s["name"] == "OBX"]
        self.assertEqual(obx[1]["fields"][4],
                         [["Tỷ lệ A^G & albumin|globulin = 1.4 \\ ngưỡng ~ 1.2"]])
        self.assertIn("Staphylococcus aureus\nKháng sinh đồ:", obx[0]["fields"][4][0][0])
        self.assertIn("(MIC <=1 µg/mL)", obx[0]["fields"][4][0][0])

    def test_batch_file(self):
        doc = self.parse(os.path.join(FIXTURES, "batch_lab_results.hl7"))
        self.assertEqual(len(doc["messages"]), 3)
        self.assertEqual([s["name"] for s in doc["envelope"]], ["FHS", "BHS", "BTS", "FTS"])
        self.assertEqual([m["controlId"] for m in doc["messages"]],
                         ["B0315-0001", "B0315-0002", "B0315-0003"])

    def test_latin1_is_printed_as_utf8(self):
        [m] = self.parse(os.path.join(FIXTURES, "latin1.hl7"))["messages"]
        self.assertEqual(m["segments"][1]["fields"][4], [["Dupré", "Hélène"]])

    def test_stdin(self):
        p = subprocess.run([binary(), "hl7", "parse", "-"], input=read("custom_delimiters.hl7"),
                           capture_output=True, timeout=60)
        self.assertEqual(p.returncode, 0, p.stderr)
        [m] = json.loads(p.stdout)["messages"]
        self.assertEqual(m["delimiters"], "^~|\\&")
        self.assertEqual(m["controlId"], "CUST-0001")

    def test_invalid_inputs_exit_1_with_the_reason(self):
        self.assertEqual(sorted(REJECTED), sorted(os.listdir(INVALID)))
        for name, reason in REJECTED.items():
            with self.subTest(fixture=name):
                p = run_cli("hl7", "parse", os.path.join(INVALID, name))
                self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
                self.assertEqual(p.stdout, "")
                self.assertIn(reason, p.stderr)
                self.assertRegex(p.stderr, r"line \d+ \(segment \d+")
                self.assertIn(name, p.stderr)

    def test_empty_and_unreadable(self):
        p = run_cli("hl7", "parse", self.write("empty.hl7", "\n\n"))
        self.assertEqual(p.returncode, 1)
        self.assertIn("holds no segments", p.stderr)
        p = run_cli("hl7", "parse", os.path.join(self.dir, "missing.hl7"))
        self.assertEqual(p.returncode, 1)
        self.assertIn("cannot read", p.stderr)

    @needs(hl7, "python3-hl7 is not installed (Debian: apt-get install python3-hl7)")
    def test_values_agree_with_python_hl7(self):
        checked = 0
        for name in VALID:
            raw = read(name)
            encoding = "latin-1" if name == "latin1.hl7" else "utf-8"
            texts, current = [], []
            for seg in segments_of(raw):
                if seg[:3] == b"MSH" and current:
                    texts.append(current)
                    current = []
                if seg[:3] not in (b"FHS", b"BHS", b"BTS", b"FTS"):
                    current.append(seg)
            texts.append(current)
            ours = self.parse(os.path.join(FIXTURES, name))["messages"]
            self.assertEqual(len(ours), len(texts), name)
            for segs, m in zip(texts, ours):
                theirs = hl7.parse(b"\r".join(segs), encoding=encoding)
                esc = m["delimiters"][3]
                counts = {}
                for seg in m["segments"]:
                    n = counts[seg["name"]] = counts.get(seg["name"], 0) + 1
                    their_segment = theirs.segments(seg["name"])(n)
                    for f, field in enumerate(seg["fields"], 1):
                        header = seg["name"] == "MSH" and f <= 2
                        if not header and esc in str(their_segment(f)):
                            continue  # escapes: compared by the unit tests instead
                        for r, rep in enumerate(field, 1):
                            for c, comp in enumerate(rep, 1):
                                subs = comp if isinstance(comp, list) else [comp]
                                for s, value in enumerate(subs, 1):
                                    want = theirs.extract_field(seg["name"], n, f, r, c, s)
                                    self.assertEqual(
                                        value, want, f"{name} {seg['name']}({n})-{f}({r}).{c}.{s}")
                                    checked += 1
        self.assertGreater(checked, 1000)

    # ------------------------------------------------------------------ ack

    def test_ack_accepts_with_sender_and_receiver_swapped(self):
        [ack], p = self.ack(os.path.join(FIXTURES, "oru_r01_chemistry.hl7"))
        msh, msa = ack["MSH"], ack["MSA"]
        self.assertEqual(msh[2:6], ["HEALTHBOOK", "BVDK_DIENBIEN^11001^L", "COBAS6000",
                                    "KHOA_XN^11001.XN^L"])
        self.assertRegex(msh[6], r"^\d{14}[+-]\d{4}$")
        self.assertEqual(msh[8], "ACK^R01^ACK")
        self.assertEqual(msh[10:12], ["P", "2.5.1"])
        self.assertEqual(msa[1:3], ["AA", "C6K-20240315-000187"])
        self.assertNotIn("ERR", ack)

    def test_ack_for_every_message_of_a_batch(self):
        acks, p = self.ack(os.path.join(FIXTURES, "batch_lab_results.hl7"))
        self.assertEqual([a["MSA"][1:3] for a in acks],
                         [["AA", "B0315-0001"], ["AA", "B0315-0002"], ["AA", "B0315-0003"]])
        self.assertEqual(len({a["MSH"][9] for a in acks}), 3, "each ACK has its own MSH-10")

    def test_ack_error_names_the_field(self):
        text = read("oru_r01_chemistry.hl7").replace(b"||7.8|", b"||7,8|")
        [ack], p = self.ack(self.write("bad-number.hl7", text), rc=1)
        self.assertEqual(ack["MSA"][1], "AE")
        err = ack["ERR"]
        self.assertEqual(err[2], "OBX^1^5^1")
        self.assertEqual(err[3], "102^Data type error^HL70357")
        self.assertEqual(err[4], "E")
        self.assertEqual(err[8], "OBX-5 value '7,8' is not a number (OBX-2 is NM)")
        self.assertIn("AE", p.stderr)

    def test_ack_rejects_unsupported_type_and_version(self):
        text = read("adt_a08_update_v231.hl7").replace(b"ADT^A08", b"SIU^S12")
        [ack], _ = self.ack(self.write("siu.hl7", text), rc=1)
        self.assertEqual(ack["MSA"][1], "AR")
        self.assertEqual(ack["ERR"][3], "200^Unsupported message type^HL70357")
        self.assertEqual(ack["ERR"][1], "MSH^1^9^200&Unsupported message type&HL70357",
                         "a v2.3.1 sender also gets ERR-1")
        text = read("adt_a04_register_crlf.hl7").replace(b"|P|2.4|", b"|P|2.8|")
        [ack], _ = self.ack(self.write("v28.hl7", text), rc=1)
        self.assertEqual(ack["ERR"][3], "203^Unsupported version id^HL70357")

    def test_ack_for_garbage_is_ar_with_a_minimal_header(self):
        for name in REJECTED:
            with self.subTest(fixture=name):
                [ack], p = self.ack(os.path.join(INVALID, name), rc=1)
                self.assertEqual(ack["MSA"][1], "AR")
                self.assertEqual(ack["ERR"][4], "E")
                self.assertIn(REJECTED[name].split("'")[0], ack["ERR"][8].replace("\\F\\", "|"))
                self.assertIn("AR", p.stderr)
        [ack], _ = self.ack(os.path.join(INVALID, "unterminated_escape.hl7"), rc=1)
        self.assertEqual(ack["MSH"][4:6], ["LAB", "BVDK"], "the sender is salvaged")
        self.assertEqual(ack["MSA"][2], "X3")
        self.assertEqual(ack["ERR"][2], "OBX^1^5")

    @needs(hl7, "python3-hl7 is not installed")
    def test_ack_reads_back_with_python_hl7(self):
        p = run_cli("hl7", "ack", os.path.join(FIXTURES, "oml_o21_lab_order.hl7"))
        self.assertEqual(p.returncode, 0, p.stderr)
        msg = hl7.parse(p.stdout.strip().replace("\n", "\r"))
        self.assertEqual(str(msg.segment("MSA")[1]), "AA")
        self.assertEqual(str(msg.segment("MSA")[2]), "HIS-OML-0187")
        self.assertEqual(msg.extract_field("MSH", 1, 9, 1, 1), "ACK")
        self.assertEqual(msg.extract_field("MSH", 1, 9, 1, 2), "O21")

    # ------------------------------------------------------------------ usage

    def test_usage_errors(self):
        for args in (("hl7",), ("hl7", "parse"), ("hl7", "ack"), ("hl7", "frobnicate", "x")):
            with self.subTest(args=args):
                p = run_cli(*args)
                self.assertNotIn(p.returncode, (0, 1), p.stdout + p.stderr)

    def test_help(self):
        p = run_cli("hl7", "parse", "--help")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("stdin", p.stdout)


if __name__ == "__main__":
    unittest.main()
