"""The healthbook command line: version, help, serve's start-up checks, signals, the access
log, and the deterministic demo province."""

import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import unittest
import uuid

from harness import (START_ATTEMPTS, FhirTestCase, Server, binary, free_port, history_key,
                     run_cli, wait_serving)

DURATION_RE = re.compile(r"(\d+(\.\d+)?\s?(ns|us|µs|ms|s)\b|\b(took|time|duration|elapsed|"
                         r"latency)[=:]?\s*\d)")


def output(proc):
    return (proc.stdout or "") + (proc.stderr or "")


def tempdir(test):
    d = tempfile.mkdtemp(prefix="hb-it-cli-")
    test.addCleanup(shutil.rmtree, d, True)
    return d


class CommandsTest(FhirTestCase):

    def test_version(self):
        p = run_cli("version")
        self.assertEqual(p.returncode, 0, output(p))
        self.assertRegex(output(p), r"\d+\.\d+\.\d+")

    def test_help_lists_every_subcommand(self):
        for args in (("help",), ("--help",)):
            with self.subTest(args):
                p = run_cli(*args)
                self.assertEqual(p.returncode, 0, output(p))
                for sub in ("serve", "demo", "version", "help"):
                    self.assertIn(sub, output(p))

    def test_subcommand_help_describes_flags(self):
        for sub, flags in (("serve", ("--data", "--listen")),
                           ("demo", ("--data", "--patients", "--seed"))):
            for args in ((sub, "--help"), ("help", sub)):
                with self.subTest(args):
                    p = run_cli(*args)
                    self.assertEqual(p.returncode, 0, output(p))
                    for flag in flags:
                        self.assertIn(flag, output(p))

    def test_unknown_subcommand_fails(self):
        p = run_cli("frobnicate")
        self.assertNotEqual(p.returncode, 0)
        self.assertIn("frobnicate", output(p))


class ServeStartupTest(FhirTestCase):

    def serve_expecting_failure(self, *args):
        try:
            p = run_cli("serve", *args, timeout=90)  # a bound on a hang: slow when loaded
        except subprocess.TimeoutExpired:
            self.fail(f"`healthbook serve {' '.join(args)}` kept running instead of refusing")
        self.assertNotEqual(p.returncode, 0, output(p))
        return output(p)

    def test_port_in_use(self):
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.bind(("127.0.0.1", 0))
            s.listen(1)
            port = s.getsockname()[1]
            out = self.serve_expecting_failure("--data", tempdir(self),
                                               "--listen", f"127.0.0.1:{port}")
        self.assertIn(f"127.0.0.1:{port}", out, "the message names the address")

    def test_bad_listen_address(self):
        out = self.serve_expecting_failure("--data", tempdir(self), "--listen", "nowhere:port")
        self.assertIn("nowhere:port", out)

    def test_unusable_data_folder(self):
        with self.subTest("under /proc"):
            out = self.serve_expecting_failure("--data", "/proc/forbidden-dir",
                                               "--listen", f"127.0.0.1:{free_port()}")
            self.assertIn("/proc/forbidden-dir", out)
        with self.subTest("a regular file"):
            path = os.path.join(tempdir(self), "not-a-folder")
            with open(path, "w") as f:
                f.write("x")
            out = self.serve_expecting_failure("--data", path,
                                               "--listen", f"127.0.0.1:{free_port()}")
            self.assertIn(path, out)

    def test_default_data_folder_is_dot_data(self):
        cwd = tempdir(self)
        log_path = os.path.join(cwd, "out.log")

        def output():
            with open(log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        for attempt in range(START_ATTEMPTS):  # a new port when the probed one was taken
            port = free_port()
            with open(log_path, "wb") as log:
                proc = subprocess.Popen([binary(), "serve", "--listen", f"127.0.0.1:{port}"],
                                        cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL)
            self.addCleanup(lambda p=proc: p.poll() is None and p.kill())
            try:  # serving on its own port (not just some process answering on it)
                wait_serving(proc, port, output)
                break
            except RuntimeError as e:
                if "address already in use" not in output() or attempt == START_ATTEMPTS - 1:
                    self.fail(f"serve without --data did not come up: {e}")
        self.assertTrue(os.path.isdir(os.path.join(cwd, "data")), "./data is the default")
        proc.send_signal(signal.SIGINT)
        self.assertEqual(proc.wait(30), 0, "SIGINT: clean exit 0")


class ServeSignalsAndLogTest(FhirTestCase):

    def test_sigterm_and_one_log_line_per_request(self):
        server = Server()
        self.addCleanup(server.cleanup)
        server.start()
        c = server.client()
        missing = f"/fhir/Patient/nope-{uuid.uuid4().hex[:8]}"
        marker = f"marker-{uuid.uuid4().hex[:8]}"
        requests = [("GET", "/fhir/metadata", None, 200),
                    ("GET", missing, None, 404),
                    ("POST", "/fhir/Patient", {"resourceType": "Patient"}, 201),
                    ("GET", f"/fhir/Patient?identifier={marker}", None, 200)]
        for method, path, body, status in requests:
            self.assertStatus(c.request(method, path, body), status)
        c.close()
        self.assertEqual(server.stop(), 0)
        lines = server.log().splitlines()
        for method, path, _, status in requests:
            bare = path.split("?")[0]
            pattern = re.compile(rf"\b{method}\b.*{re.escape(bare)}(?![\w/-]).*\b{status}\b")
            hits = [ln for ln in lines if pattern.search(ln)]
            with self.subTest(f"{method} {path}"):
                self.assertGreaterEqual(len(hits), 1,
                                        f"no log line with {method}, {bare}, {status}:\n"
                                        + "\n".join(lines[-30:]))
                self.assertTrue(any(DURATION_RE.search(h) for h in hits),
                                f"log line has no request time: {hits}")
        self.assertEqual(len([ln for ln in lines if missing in ln]), 1,
                         "exactly one line per request")

    def test_sigint_exits_cleanly(self):
        server = Server()
        self.addCleanup(server.cleanup)
        server.start()
        self.assertEqual(server.stop(sig=signal.SIGINT), 0)


class DemoTest(FhirTestCase):

    def demo(self, seed, patients=50):
        d = tempdir(self)
        p = run_cli("demo", "--data", d, "--patients", str(patients), "--seed", str(seed),
                    timeout=600)
        self.assertEqual(p.returncode, 0, output(p))
        return d

    def served_resources(self, data_dir):
        """{(type, id): resource without meta} of every current resource in data_dir."""
        server = Server(data_dir=data_dir)
        self.addCleanup(server.cleanup)
        server.start()
        c = server.client()
        current, gone = {}, set()
        for e in c.all_entries("_history?_count=500"):  # newest first
            rtype, rid, _, method = history_key(e)
            key = (rtype, rid)
            if key in current or key in gone:
                continue
            if method == "DELETE" or "resource" not in e:
                gone.add(key)
            else:
                res = dict(e["resource"])
                res.pop("meta", None)
                current[key] = res
        # spot-check that reads agree with the history
        for key in sorted(current)[:: max(1, len(current) // 10)]:
            r = c.get(f"{key[0]}/{key[1]}")
            self.assertStatus(r, 200)
            got = dict(r.json)
            got.pop("meta", None)
            self.assertEqual(got, current[key])
        c.close()
        server.stop()
        return current

    def test_demo_is_deterministic(self):
        a = self.served_resources(self.demo(7))
        b = self.served_resources(self.demo(7))
        counts = {}
        for rtype, _ in a:
            counts[rtype] = counts.get(rtype, 0) + 1
        self.assertEqual(counts.get("Patient"), 50, counts)
        self.assertGreaterEqual(counts.get("Organization", 0), 129,
                                f"one Organization per commune health station: {counts}")
        self.assertEqual(sorted(a), sorted(b), "same seed: same resource ids")
        diff = [k for k in a if a[k] != b[k]]
        self.assertEqual(diff[:10], [], f"same seed: {len(diff)} resources differ")

        c = self.served_resources(self.demo(8))
        patients = lambda res: sorted(repr(v) for k, v in res.items() if k[0] == "Patient")
        self.assertNotEqual(patients(a), patients(c), "another seed: other patients")


if __name__ == "__main__":
    unittest.main()
