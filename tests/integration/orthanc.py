"""A real Orthanc (Debian's `orthanc` + `orthanc-dicomweb`) for the imaging tests.

Starts `Orthanc <config.json>` on free loopback ports (HTTP and DICOM) with a configuration
generated into a temporary folder: its own storage, the DICOMweb and ModalityWorklists
plugins from Debian's plugin folder, remote access off, HTTP basic authentication with a
generated user, StableAge 1 s (a study becomes stable one second after its last instance).
Waits for GET /system, and stops it (SIGTERM, then SIGKILL). Python standard library only.

    with Orthanc() as pacs:
        pacs.get_json("/studies")
        pacs.url, pacs.username, pacs.password, pacs.dicom_port, pacs.aet, pacs.worklist_dir

Environment: HB_ORTHANC (the executable, default `Orthanc` on PATH or /usr/sbin/Orthanc),
HB_ORTHANC_PLUGINS (plugin folder, default /usr/share/orthanc/plugins), HB_KEEP_DATA=1 keeps
the folder and the log.
"""

import base64
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request

START_TIMEOUT_S = 90.0  # generous: a parallel `make test` on 2 cores can make a start slow
PLUGIN_DIR = os.environ.get("HB_ORTHANC_PLUGINS", "/usr/share/orthanc/plugins")
PLUGINS = ("libOrthancDicomWeb.so", "libModalityWorklists.so")


def executable():
    path = os.environ.get("HB_ORTHANC") or shutil.which("Orthanc") or "/usr/sbin/Orthanc"
    return path if os.access(path, os.X_OK) else None


def available():
    """Why Orthanc cannot run here ("" when it can): tests skip with this reason."""
    if not executable():
        return "Orthanc is not installed (Debian package orthanc)"
    missing = [p for p in PLUGINS if not os.path.exists(os.path.join(PLUGIN_DIR, p))]
    if missing:
        return f"Orthanc plugins missing from {PLUGIN_DIR}: {', '.join(missing)}"
    return ""


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Orthanc:
    def __init__(self, stable_age_s=1, aet="HBORTHANC"):
        self.stable_age_s = stable_age_s
        self.aet = aet
        self.dir = None
        self.proc = None
        self.username = "hb-test"
        self.password = secrets.token_urlsafe(16)
        self.http_port = self.dicom_port = None
        self.log_path = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.http_port}"

    @property
    def worklist_dir(self):
        return os.path.join(self.dir, "worklists")

    def _config(self):
        return {
            "Name": "healthbook-test",
            "StorageDirectory": os.path.join(self.dir, "storage"),
            "IndexDirectory": os.path.join(self.dir, "storage"),
            "HttpPort": self.http_port,
            "DicomPort": self.dicom_port,
            "DicomAet": self.aet,
            "RemoteAccessAllowed": False,
            "AuthenticationEnabled": True,
            "RegisteredUsers": {self.username: self.password},
            "StableAge": self.stable_age_s,
            "Plugins": [os.path.join(PLUGIN_DIR, p) for p in PLUGINS],
            "DicomWeb": {"Enable": True, "Root": "/dicom-web/"},
            "Worklists": {"Enable": True, "Database": self.worklist_dir},
            "DicomAlwaysAllowEcho": True,
            "DicomAlwaysAllowStore": True,
            "DicomAlwaysAllowFindWorklist": True,
            "DicomCheckCalledAet": False,
            "HttpDescribeErrors": True,
            "SaveJobs": False,
            # Vietnamese names need UTF-8: with the default (Latin1) Orthanc answers C-FIND
            # in ISO_IR 100 and drops letters such as "ị".
            "DefaultEncoding": "Utf8",
        }

    def start(self):
        why = available()
        if why:
            raise RuntimeError(why)
        self.dir = tempfile.mkdtemp(prefix="hb-orthanc-")
        os.makedirs(self.worklist_dir)
        last = None
        for _ in range(3):  # a probed port can be taken before Orthanc binds it
            self.http_port, self.dicom_port = free_port(), free_port()
            cfg = os.path.join(self.dir, "orthanc.json")
            with open(cfg, "w") as f:
                json.dump(self._config(), f, indent=1)
            self.log_path = os.path.join(self.dir, "orthanc.log")
            log = open(self.log_path, "ab")
            self.proc = subprocess.Popen([executable(), cfg], stdout=log, stderr=subprocess.STDOUT,
                                         stdin=subprocess.DEVNULL)
            log.close()
            try:
                self._wait()
                return self
            except RuntimeError as e:
                last = e
                self._kill()
        raise last

    def _wait(self):
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"Orthanc exited with {self.proc.returncode}\n{self.log_tail()}")
            try:
                self.get_json("/system")
                return
            except (OSError, urllib.error.URLError):
                time.sleep(0.1)
        raise RuntimeError(f"Orthanc did not answer within {START_TIMEOUT_S}s\n{self.log_tail()}")

    def log_tail(self, lines=30):
        try:
            with open(self.log_path, "rb") as f:
                text = f.read().decode("utf-8", "replace").splitlines()[-lines:]
        except OSError:
            return ""
        return "---- Orthanc log ----\n" + "\n".join(text)

    def auth_header(self):
        token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode()
        return {"Authorization": f"Basic {token}"}

    def request(self, path, method="GET", body=None, headers=None, auth=True):
        """(status, headers, body bytes) of a request to Orthanc's REST API."""
        h = dict(self.auth_header() if auth else {}, **(headers or {}))
        req = urllib.request.Request(self.url + path, data=body, method=method, headers=h)
        try:
            with urllib.request.urlopen(req, timeout=15) as r:
                return r.status, dict(r.headers), r.read()
        except urllib.error.HTTPError as e:
            return e.code, dict(e.headers), e.read()

    def get_json(self, path):
        status, _, body = self.request(path)
        if status != 200:
            raise urllib.error.URLError(f"GET {path}: {status}")
        return json.loads(body)

    def _kill(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)

    def stop(self):
        self._kill()
        if self.dir and os.environ.get("HB_KEEP_DATA") != "1":
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
