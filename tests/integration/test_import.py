"""Bulk data in: `healthbook synth` (a reproducible synthetic Điện Biên as NDJSON),
`healthbook import` (NDJSON or Bundle files through the normal write path, resumable, bad
lines reported with file:line) and `$import` on the server (the async pattern of $export).
The round trip: synth -> import -> serve -> $export gives back the input byte for byte,
apart from meta (docs/implementation/bulk-data.md)."""

import json
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from harness import FhirTestCase, Server, ServerTestCase, assign_store, binary, run_cli

ASYNC = {"Prefer": "respond-async"}
PEOPLE = 150  # ~30,000 resources: the whole module runs in well under a minute
META = re.compile(r',"meta":\{"versionId":"[^"]*","lastUpdated":"[^"]*"\}')
SUMMARY = re.compile(r"Imported (\d+) resources .*: (\d+) created, (\d+) updated, (\d+) unchanged; "
                     r"(\d+) bad lines, (\d+) dangling references")


def synth(out, people=PEOPLE, seed=7):
    p = run_cli("synth", "--people", str(people), "--seed", str(seed), "--out", out, timeout=120)
    assert p.returncode == 0, p.stderr
    return p


def read_tree(folder):
    out = {}
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), "rb") as f:
            out[name] = f.read()
    return out


def summary(stdout):
    m = SUMMARY.search(stdout)
    assert m, stdout
    keys = ("imported", "created", "updated", "unchanged", "bad", "dangling")
    return dict(zip(keys, map(int, m.groups())))


def export_all(server):
    """System $export of a running server: {type: {id: exported line}}, in file order."""
    c = server.client()
    r = c.get("$export", headers=ASYNC)
    assert r.status == 202, r.describe()
    final = wait_job(c, r.header("Content-Location"))
    assert final.status == 200, final.describe()
    out = {}
    for f in final.json["output"]:
        body = c.get(f["url"])
        assert body.status == 200, body.describe()
        lines = out.setdefault(f["type"], {})
        for line in body.body.decode().splitlines():
            lines[json.loads(line)["id"]] = line
    c.close()
    return out


def server_own_resources():
    """(type, id) of what a fresh server writes by itself at start (catalogues, definitions)."""
    with Server() as server:
        return {(t, i) for t, lines in export_all(server).items() for i in lines}


def wait_job(client, location, tries=600):
    for _ in range(tries):
        r = client.get(location)
        if r.status != 202:
            return r
        assert r.header("X-Progress"), "a running job reports progress"
        time.sleep(0.05)
    raise AssertionError("the job did not finish")


class SynthAndRoundTripTest(FhirTestCase):
    """synth twice (same bytes), import, re-import (nothing new), serve, $export, compare."""

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="hb-it-import-")
        cls.addClassCleanup(shutil.rmtree, cls.tmp, True)
        cls.input = os.path.join(cls.tmp, "synth")
        cls.synth_out = synth(cls.input).stdout
        cls.data = os.path.join(cls.tmp, "data")
        cls.first = run_cli("import", "--data", cls.data, cls.input, timeout=300)
        cls.second = run_cli("import", "--data", cls.data, cls.input, timeout=300)

    def test_same_seed_same_bytes_other_seed_other_bytes(self):
        again = os.path.join(self.tmp, "again")
        synth(again)
        self.assertEqual(read_tree(self.input), read_tree(again))
        other = os.path.join(self.tmp, "other")
        synth(other, seed=8)
        self.assertNotEqual(read_tree(self.input)["Patient.ndjson"],
                            read_tree(other)["Patient.ndjson"])
        for name in ("Patient", "Encounter", "Immunization", "Coverage", "Observation"):
            self.assertIn(name + ".ndjson", read_tree(self.input))
        per_person = float(re.search(r"\(([\d.]+) per person\)", self.synth_out).group(1))
        self.assertGreater(per_person, 100)
        self.assertLess(per_person, 300)

    def test_import_then_reimport_writes_nothing_new(self):
        self.assertEqual(self.first.returncode, 0, self.first.stderr)
        lines = sum(len(v.splitlines()) for v in read_tree(self.input).values())
        first = summary(self.first.stdout)
        self.assertEqual(first["created"], lines)
        self.assertEqual(first["bad"] + first["dangling"], 0)
        self.assertEqual(self.second.returncode, 0, self.second.stderr)
        second = summary(self.second.stdout)
        self.assertEqual(second["unchanged"], lines)
        self.assertEqual(second["created"] + second["updated"], 0)
        # Not a terminal: plain progress lines, no carriage-return bar.
        self.assertNotIn("\r", self.first.stderr)

    def test_export_equals_the_input_apart_from_meta(self):
        own = server_own_resources()
        with Server(data_dir=self.data) as server:
            exported = export_all(server)
        source = read_tree(self.input)
        compared = 0
        for name, data in source.items():
            rtype = name[:-len(".ndjson")]
            got = exported.get(rtype, {})
            ids = set()
            for line in data.decode().splitlines():
                rid = json.loads(line)["id"]
                ids.add(rid)
                self.assertIn(rid, got, f"{rtype}/{rid} was not exported")
                self.assertIn('"meta":{"versionId":"1",', got[rid])
                self.assertEqual(META.sub("", got[rid], count=1), line, f"{rtype}/{rid}")
                compared += 1
            extra = {(rtype, i) for i in got if i not in ids}
            self.assertLessEqual(extra, own, "only the server's own resources are added")
        for rtype in exported:
            if rtype + ".ndjson" not in source:
                self.assertLessEqual({(rtype, i) for i in exported[rtype]}, own)
        self.assertEqual(compared, sum(len(v.splitlines()) for v in source.values()))


class ImportErrorsTest(FhirTestCase):

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="hb-it-import-")
        self.addCleanup(shutil.rmtree, self.tmp, True)
        self.data = os.path.join(self.tmp, "data")

    def write(self, name, lines):
        path = os.path.join(self.tmp, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        return path

    def test_bad_lines_are_reported_with_file_and_line_and_good_ones_kept(self):
        obs = self.write("Observation.ndjson", [
            json.dumps({"resourceType": "Observation", "id": "o1", "status": "final",
                        "code": {"text": "Mạch"}, "subject": {"reference": "Patient/p1"}}),
            json.dumps({"resourceType": "Observation", "id": "o2", "status": "final",
                        "code": {"text": "Mạch"}, "subject": {"reference": "Patient/ghost"}}),
        ])
        pat = self.write("Patient.ndjson", [
            json.dumps({"resourceType": "Patient", "id": "p1", "gender": "female"}),
            '{"resourceType": "Patient", "id": "p2", ',
            json.dumps({"resourceType": "Patient", "id": "p3", "birthDate": "hôm qua"}),
            json.dumps({"resourceType": "Patient", "gender": "male"}),
            json.dumps({"resourceType": "Patient", "id": "p5", "gender": "male"}),
        ])
        # Observation.ndjson comes first: its reference to Patient/p1 still resolves.
        p = run_cli("import", "--data", self.data, obs, pat, timeout=120)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn(pat + ":2: ", p.stderr)
        self.assertIn(pat + ":3: Patient/p3: ", p.stderr)
        self.assertIn("birthDate", p.stderr)
        self.assertIn(pat + ":4: ", p.stderr)
        self.assertIn("no id", p.stderr)
        self.assertIn(obs + ":2: Observation/o2: the reference Patient/ghost", p.stderr)
        self.assertNotIn("Patient/p1 names", p.stderr)
        s = summary(p.stdout)
        self.assertEqual((s["created"], s["bad"], s["dangling"]), (4, 3, 1))
        with Server(data_dir=self.data) as server:
            c = server.client()
            for ok in ("Patient/p1", "Patient/p5", "Observation/o1"):
                self.assertStatus(c.get(ok), 200)
            self.assertStatus(c.get("Patient/p3"), 404)
            c.close()

    def test_missing_input_fails_before_touching_the_data(self):
        p = run_cli("import", "--data", self.data, os.path.join(self.tmp, "nope.ndjson"))
        self.assertEqual(p.returncode, 2)
        self.assertIn("nope.ndjson", p.stderr)

    def test_bundle_files(self):
        path = os.path.join(self.tmp, "bundle.json")
        with open(path, "w", encoding="utf-8") as f:
            json.dump({"resourceType": "Bundle", "type": "collection", "entry": [
                {"resource": {"resourceType": "Patient", "id": "b1"}},
                {"resource": {"resourceType": "Observation", "id": "b2", "status": "final",
                              "code": {"text": "x"}, "subject": {"reference": "Patient/b1"}}}]},
                      f, indent=2)
        p = run_cli("import", "--data", self.data, path)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(summary(p.stdout)["created"], 2)

    def test_interrupted_import_resumes_without_duplicates(self):
        folder = os.path.join(self.tmp, "synth")
        synth(folder, people=500, seed=3)
        lines = sum(len(v.splitlines()) for v in read_tree(folder).values())
        assign_store(self.data)  # under HB_STORE=postgresql, the folder's database first
        proc = subprocess.Popen([binary(), "import", "--data", self.data, folder],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                stdin=subprocess.DEVNULL, text=True)
        # Kill it at its first progress line (after ~5 s: some batches are committed), long
        # before the end; whatever the store.
        first = proc.stderr.readline()
        while first and not first.startswith("import:"):  # log lines (schema migrations)
            first = proc.stderr.readline()
        self.assertIsNone(proc.poll(), "the import ended before it could be interrupted")
        self.assertRegex(first, r"^import: [1-9]\d* resources \(\d+%\)")
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        p = run_cli("import", "--data", self.data, folder, timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr)
        s = summary(p.stdout)
        self.assertGreater(s["unchanged"], 0, "the first run had stored some")
        self.assertGreater(s["created"], 0, "the first run was cut short")
        self.assertEqual(s["created"] + s["unchanged"], lines)
        self.assertEqual(s["updated"], 0)
        with Server(data_dir=self.data) as server:
            exported = export_all(server)
        for name, data in read_tree(folder).items():
            got = exported[name[:-len(".ndjson")]]
            for line in data.decode().splitlines():
                rid = json.loads(line)["id"]
                self.assertIn('"meta":{"versionId":"1",', got[rid], "one version per resource")


class AsyncImportTest(ServerTestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.root = os.path.join(cls.server.data_dir, "import")
        synth(os.path.join(cls.root, "pop"), people=30, seed=5)

    def kick_off(self, *inputs, client=None, headers=ASYNC):
        body = {"resourceType": "Parameters", "parameter": [
            {"name": "input", "part": [{"name": "url", "valueUrl": i}]} for i in inputs]}
        return (client or self.c).post("$import", body, headers=headers)

    def test_async_flow_with_manifest_and_error_file(self):
        with open(os.path.join(self.root, "bad.ndjson"), "w", encoding="utf-8") as f:
            f.write('{"resourceType":"Patient","id":"z1"}\nnot json\n')
        r = self.kick_off("pop", "bad.ndjson")
        self.assertStatus(r, 202)
        location = r.header("Content-Location")
        self.assertIn("/importstatus/", location)
        final = wait_job(self.c, location)
        self.assertStatus(final, 200)
        manifest = final.json
        self.assertIn("$import", manifest["request"])
        counts = {o["type"]: o["count"] for o in manifest["output"]}
        lines = sum(len(v.splitlines()) for v in read_tree(os.path.join(self.root, "pop")).values())
        self.assertEqual(sum(counts.values()), lines + 1)
        self.assertEqual(manifest["summary"]["failed"], 1)
        self.assertEqual(len(manifest["error"]), 1)
        errors = self.c.get(manifest["error"][0]["url"])
        self.assertStatus(errors, 200)
        outcomes = [json.loads(x) for x in errors.body.decode().splitlines()]
        self.assertEqual(len(outcomes), 1)
        self.assertEqual(outcomes[0]["resourceType"], "OperationOutcome")
        self.assertIn("bad.ndjson:2", outcomes[0]["issue"][0]["diagnostics"])
        self.assertStatus(self.c.get("Patient/z1"), 200)
        pid = json.loads(read_tree(os.path.join(self.root, "pop"))["Patient.ndjson"]
                         .decode().splitlines()[0])["id"]
        self.assertStatus(self.c.get("Patient/" + pid), 200)
        # A second run of the same input creates nothing.
        final = wait_job(self.c, self.kick_off("pop").header("Content-Location"))
        self.assertEqual(final.json["summary"]["unchanged"], lines)
        self.assertEqual(final.json["summary"]["created"], 0)
        self.assertStatus(self.c.request("DELETE", location), 202)
        self.assertStatus(self.c.get(location), 404)

    def test_bad_requests_and_access(self):
        self.assertOutcome(self.kick_off("pop", headers={}), 400, mentions=["respond-async"])
        self.assertOutcome(self.kick_off("/etc"), 403, mentions=["outside"])
        self.assertOutcome(self.kick_off("../exports"), 403, mentions=["outside"])
        self.assertOutcome(self.kick_off("nothing-here"), 404, mentions=["nothing-here"])
        self.assertOutcome(self.c.post("$import", {"resourceType": "Parameters"}, headers=ASYNC),
                           400, mentions=["input"])
        doctor = self.server.client(token=self.server.mint_token(
            "user/*.cruds", "--role", "doctor", "--facility", "11001"))
        self.addCleanup(doctor.close)
        self.assertOutcome(self.kick_off("pop", client=doctor), 403)
        reader = self.server.client(token=self.server.mint_token("system/*.rs"))
        self.addCleanup(reader.close)
        self.assertOutcome(self.kick_off("pop", client=reader), 403, mentions=["system/*.write"])


if __name__ == "__main__":
    unittest.main()
