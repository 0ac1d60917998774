"""Black-box harness for the healthbook integration tests.

Starts the real binary ($HB_BINARY) on a fresh data folder and a free loopback
port, waits until its own log says it is ready on that port and GET /health answers,
and talks FHIR to it over HTTP/1.1 keep-alive. Python standard library only.
Tests run in parallel (ctest -j) on small machines: a probed port taken before the
server binds it means a new start on a new port, the waits are generous deadlines
(polling), and a server dies with the test process (docs/implementation/testing.md).

Environment:
  HB_BINARY            path to the healthbook executable (required)
  HB_FHIR_PACKAGE_DIR  unpacked hl7.fhir.r4.examples@4.0.1 package (test_examples, test_bundles)
  HB_TOKEN             optional bearer token sent on every request (see Client.headers)
  HB_KEEP_DATA=1       keep the temporary data folders and server logs after the run
  HB_STORE             "sqlite" (default) or "postgresql": every data folder the tests use
                       (servers and CLI commands alike) gets a fresh database of its own in
                       one throw-away PostgreSQL cluster per test process (pg_cluster.py),
                       recorded in the folder's store.url as `serve --store` would
"""

import datetime
import functools
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import unittest
import urllib.parse

import pg_cluster

FHIR_JSON = "application/fhir+json"
BASE = "/fhir"
# Điện Biên's time zone (+07:00, no daylight saving): the server's day. CI runs at any hour,
# and from 17:00 UTC the machine's date is a day behind it (docs/implementation/testing.md).
VN = datetime.timezone(datetime.timedelta(hours=7))


def vn_date(days=0):
    """The date `days` from today in Điện Biên."""
    return datetime.datetime.now(VN).date() + datetime.timedelta(days=days)


def clear_of_vn_midnight(seconds):
    """Waits past Điện Biên's midnight (17:00 UTC) when it is less than `seconds` away: for a
    test whose steps must fall on one day (queue numbers restart each day)."""
    now = datetime.datetime.now(VN)
    midnight = datetime.datetime.combine(now.date() + datetime.timedelta(days=1),
                                         datetime.time(), VN)
    left = (midnight - now).total_seconds()
    if left < seconds:
        time.sleep(left + 1)

# Generous limits: `make test` runs the tests in parallel (ctest -j) on a 2-core machine, and
# a server that loads its definitions and migrates its store beside other servers and builds
# can take several seconds to be ready. They bound hangs; they are not speed assertions.
START_TIMEOUT_S = 90.0
STOP_TIMEOUT_S = 30.0
START_ATTEMPTS = 5

CONFORMANCE_TYPES = {
    "StructureDefinition", "SearchParameter", "ValueSet", "CodeSystem", "ConceptMap",
    "OperationDefinition", "CapabilityStatement", "CompartmentDefinition", "NamingSystem",
    "ImplementationGuide", "StructureMap",
}
ID_RE = re.compile(r"^[A-Za-z0-9\-.]{1,64}$")
INSTANT_RE = re.compile(
    r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")


def binary():
    path = os.environ.get("HB_BINARY")
    if not path:
        raise RuntimeError("HB_BINARY is not set: point it at the healthbook executable")
    if not os.access(path, os.X_OK):
        raise RuntimeError(f"HB_BINARY={path} is not an executable file")
    return path


def package_dir():
    path = os.environ.get("HB_FHIR_PACKAGE_DIR")
    if not path or not os.path.isfile(os.path.join(path, "package.json")):
        raise RuntimeError(
            f"HB_FHIR_PACKAGE_DIR={path!r} is not the unpacked hl7.fhir.r4.examples package")
    return path


def free_port():
    """A loopback port that was free a moment ago. Whoever binds it must be ready for it to
    be taken in between (see Server.start: retried on "address already in use")."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


try:
    import ctypes
    _LIBC = ctypes.CDLL(None, use_errno=True)  # loaded here: no dlopen after fork
    _PRCTL = _LIBC.prctl
except (ImportError, OSError, AttributeError):
    _PRCTL = None


def _set_death_signal():
    _PRCTL(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def die_with_parent():
    """preexec_fn for the servers the tests start: SIGKILL when the test process dies, so that
    a test killed by CTest's timeout leaves no server behind holding its port and CPU. The
    signal follows the thread that forks, so only a fork from the main thread asks for it
    (None elsewhere, and where prctl is missing)."""
    if _PRCTL is None or threading.current_thread() is not threading.main_thread():
        return None
    return _set_death_signal


def ready_line(port):
    """What `healthbook serve` logs once it listens on `port` and serves (app/serve_command.cpp)."""
    return re.compile(r" ready in \d+ ms: .*//[^/ ]+:%d/" % port)


def wait_serving(proc, port, log, timeout_s=None):
    """Waits until the server process `proc` serves on `port`: its own log (`log()` returns
    it) says it is ready on that port, and GET /health there answers 200. Only the process's
    own line proves the port is its own: when another process took the port first, /health
    could answer from that one while ours fails to bind. Raises RuntimeError (with the log)
    when the process exits or the deadline passes."""
    timeout_s = START_TIMEOUT_S if timeout_s is None else timeout_s
    deadline = time.monotonic() + timeout_s
    line = ready_line(port)
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(
                f"healthbook serve exited with {proc.returncode} before becoming "
                f"ready\n{_tail(log())}")
        if line.search(log()):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                try:
                    conn.request("GET", "/health")
                    if conn.getresponse().status == 200:
                        return
                finally:
                    conn.close()
            except OSError:
                pass
        time.sleep(0.05)
    raise RuntimeError(
        f"healthbook serve was not ready on port {port} within {timeout_s}s\n{_tail(log())}")


def _tail(text, lines=40):
    text = text.splitlines()[-lines:]
    return "---- server output (last %d lines) ----\n%s" % (len(text), "\n".join(text))


def needs(available, why):
    """Decorator for a test (or class) that needs an outside tool. Under CTest (`make test`,
    which installs the tools: HB_REQUIRE_TOOLS=1) a missing tool is a failure, never a skip
    counted as a pass; run by hand, it skips with `why`."""
    if available:
        return lambda obj: obj
    if os.environ.get("HB_REQUIRE_TOOLS"):
        def fail(obj):
            if isinstance(obj, type):
                def setUpClass(cls):
                    raise AssertionError(f"{why} (make test installs it: scripts/install-deps.sh test)")
                obj.setUpClass = classmethod(setUpClass)
                return obj
            def failing(self, *a, **kw):
                self.fail(f"{why} (make test installs it: scripts/install-deps.sh test)")
            failing.__name__ = obj.__name__
            return failing
        return fail
    return unittest.skip(why)


STORE = os.environ.get("HB_STORE", "sqlite")
if STORE not in ("sqlite", "postgresql"):
    raise RuntimeError(f"HB_STORE={STORE!r}: expected sqlite or postgresql")
STORE_RECORD = "store.url"  # where a data folder keeps its store (app/store_factory.h)


def store_url(data_dir):
    """The store URL recorded in a data folder, or None (SQLite in the folder)."""
    try:
        with open(os.path.join(data_dir, STORE_RECORD)) as f:
            return f.readline().strip() or None
    except FileNotFoundError:
        return None


def server_store(data_dir):
    """Under HB_STORE=postgresql, the store a server on `data_dir` is given with --store: the
    one the folder records, else a fresh database (which `serve --store` then records in the
    folder, as a deployment would); None for SQLite."""
    if STORE != "postgresql":
        return None
    url = store_url(data_dir) if os.path.isdir(data_dir) else None
    if url:
        return url
    c = pg_cluster.cluster()
    return c.url(c.create_database())


def assign_store(data_dir):
    """Under HB_STORE=postgresql, gives a data folder that has none a fresh database (and
    records it); returns the folder's store URL, None for SQLite."""
    if STORE != "postgresql":
        return None
    try:
        url = store_url(data_dir)
        if url:
            return url
        os.makedirs(data_dir, exist_ok=True)
        path = os.path.join(data_dir, STORE_RECORD)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError:
        return None  # an unusable folder (the test's point): healthbook says why
    c = pg_cluster.cluster()
    url = c.url(c.create_database())
    with open(fd, "w") as f:
        f.write(url + "\n")
    return url


def store_sql(data_dir, sql):
    """Runs one SQL statement on the data folder's store, behind the server's back (tests
    that tamper with or inspect the database); returns the number of rows it changed."""
    url = store_url(data_dir)
    if url is None:
        import sqlite3
        db = sqlite3.connect(os.path.join(data_dir, "healthbook.db"))
        try:
            cur = db.execute(sql)
            db.commit()
            return cur.rowcount
        finally:
            db.close()
    out = pg_cluster.cluster().psql(pg_cluster.database_of(url), sql)
    m = re.search(r"^(?:INSERT \d+|UPDATE|DELETE) (\d+)$", out, re.M)
    return int(m.group(1)) if m else 0


def copy_data_dir(src, dst):
    """Copies a data folder whose server is stopped; under PostgreSQL its database too, so
    that the copy can be changed without touching the original."""
    shutil.copytree(src, dst)
    url = store_url(src)
    if url is not None:
        c = pg_cluster.cluster()
        copy = c.create_database(template=pg_cluster.database_of(url))
        with open(os.path.join(dst, STORE_RECORD), "w") as f:
            f.write(c.url(copy) + "\n")
    return dst


def run_cli(*args, timeout=60, **kw):
    """Runs `healthbook ARGS...` to completion; returns CompletedProcess with text output.
    Under HB_STORE=postgresql a `--data DIR` without a store gets a database first."""
    if STORE == "postgresql" and "--data" in args[:-1]:
        assign_store(str(args[list(args).index("--data") + 1]))
    return subprocess.run([binary(), *args], capture_output=True, text=True,
                          timeout=timeout, stdin=subprocess.DEVNULL, **kw)


# --------------------------------------------------------------------------- server

class Server:
    """One running `healthbook serve`. Use start()/stop(), or as a context manager."""

    def __init__(self, data_dir=None, extra_args=()):
        self.own_data = data_dir is None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="hb-it-data-")
        self.extra_args = list(extra_args)
        self.proc = None
        self.port = None
        self.log_path = None
        self._log_paths = []  # one per start (restarts, retries): removed by cleanup()
        self._log_file = None
        self.token = None  # an operator token (system/*.cruds), minted after start

    # -- lifecycle
    def start(self):
        last_error = None
        for _ in range(START_ATTEMPTS):
            # A probed free port can be bound by another process (another test running beside
            # this one under ctest -j, PostgreSQL, Orthanc, a client's ephemeral port) before
            # the server binds it: the server then exits saying "address already in use", and
            # the start is tried again on a new port.
            self.port = free_port()
            fd, self.log_path = tempfile.mkstemp(prefix="hb-it-server-", suffix=".log")
            self._log_paths.append(self.log_path)
            self._log_file = os.fdopen(fd, "wb")
            url = server_store(self.data_dir)
            store = ["--store", url] if url else []
            self.proc = subprocess.Popen(
                [binary(), "serve", "--data", self.data_dir, *store,
                 "--listen", f"127.0.0.1:{self.port}", *self.extra_args],
                stdout=self._log_file, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                preexec_fn=die_with_parent())
            try:
                wait_serving(self.proc, self.port, self.log, START_TIMEOUT_S)
                self.token = self.mint_token("system/*.cruds")
                return self
            except RuntimeError as e:
                last_error = e
                self.kill()
                if "address already in use" not in self.log().lower():
                    break
        raise last_error

    def stop(self, expect_code=0, sig=signal.SIGTERM):
        """Stops with SIGTERM and returns the exit code; raises if it is not expect_code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                self.proc.wait(STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                self.kill()
                raise AssertionError(
                    f"healthbook did not exit within {STOP_TIMEOUT_S}s of "
                    f"{signal.Signals(sig).name}\n{self.log_tail()}")
        self._log_file.close()
        code = self.proc.returncode
        if expect_code is not None and code != expect_code:
            raise AssertionError(
                f"healthbook exited with {code} after {signal.Signals(sig).name}, "
                f"expected {expect_code}\n{self.log_tail()}")
        return code

    def kill(self):
        """kill -9, as a crash would; waits for the process to be gone."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(STOP_TIMEOUT_S)
        if self._log_file and not self._log_file.closed:
            self._log_file.close()

    def restart(self):
        """Starts a new process on the same data folder (after stop() or kill())."""
        return self.start()

    def cleanup(self):
        self.kill()
        if os.environ.get("HB_KEEP_DATA") == "1":
            return
        if self.own_data:
            shutil.rmtree(self.data_dir, ignore_errors=True)
        for path in self._log_paths:
            if os.path.exists(path):
                os.unlink(path)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        try:
            if exc[0] is None:
                self.stop()
        finally:
            self.cleanup()

    # -- helpers
    def log(self):
        if self._log_file and not self._log_file.closed:
            self._log_file.flush()
        if not self.log_path or not os.path.exists(self.log_path):
            return ""
        with open(self.log_path, "rb") as f:
            return f.read().decode("utf-8", "replace")

    def log_tail(self, lines=40):
        return _tail(self.log(), lines)

    @property
    def mllp_port(self):
        """The port of the server's MLLP listener, as its log says (start it with
        `--mllp 127.0.0.1:0` and the listener binds a free port itself: no probe-then-bind race)."""
        found = re.findall(r"HL7 v2 over MLLP on \S+:(\d+) ", self.log())
        if not found:
            raise AssertionError(f"the server logged no MLLP listener\n{self.log_tail()}")
        return int(found[-1])

    def client(self, **kw):
        return Client("127.0.0.1", self.port, server=self, **kw)

    def mint_token(self, scope, *args):
        """`healthbook token issue` on this server's data folder; extra args such as
        ("--user", "bs.an") or ("--role", "doh-official", "--facility", "11001")."""
        p = run_cli("token", "issue", "--data", self.data_dir, "--scope", scope,
                    "--ttl", "2h", *args)
        if p.returncode != 0:
            raise RuntimeError(f"token issue failed ({p.returncode}): {p.stderr}")
        return p.stdout.strip()


# --------------------------------------------------------------------------- client

class Response:
    def __init__(self, method, path, status, reason, headers, body):
        self.method, self.path = method, path
        self.status, self.reason = status, reason
        self.headers = headers  # http.client.HTTPMessage: case-insensitive .get()
        self.body = body
        self._json = None

    def header(self, name, default=None):
        return self.headers.get(name, default)

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    @property
    def json(self):
        """The body parsed as JSON (None if empty); raises AssertionError if it is not JSON."""
        if self._json is None and self.body.strip():
            try:
                self._json = json.loads(self.body)
            except ValueError as e:
                raise AssertionError(f"{self.describe()}: body is not JSON ({e})") from None
        return self._json

    def describe(self, body_chars=1500):
        body = self.text
        if len(body) > body_chars:
            body = body[:body_chars] + f"... ({len(self.body)} bytes)"
        return f"{self.method} {self.path} -> {self.status} {self.reason}\n{body}"

    def __repr__(self):
        return self.describe(300)


class Client:
    """Small FHIR client over one keep-alive connection.

    Every request goes through request(), the single place where auth (HB_TOKEN)
    and default headers are added. Paths starting with '/' are sent as they are;
    other paths are relative to /fhir.
    """

    IDLE_RECONNECT_S = 4.0

    def __init__(self, host, port, server=None, timeout=120, token=None):
        self.host, self.port, self.timeout = host, port, timeout
        self.server = server
        # The bearer token: given, else HB_TOKEN, else the server's operator token;
        # token="" sends none (to test refusals).
        self.token = token
        self.conn = None
        self.last_used = 0.0

    def headers(self, extra=None):
        h = {"Accept": FHIR_JSON}
        token = self.token
        if token is None:
            token = os.environ.get("HB_TOKEN") or (self.server.token if self.server else None)
        if token:
            h["Authorization"] = f"Bearer {token}"
        for k, v in (extra or {}).items():
            if v is None:
                h.pop(k, None)
            else:
                h[k] = v
        return h

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def _connection(self):
        if self.conn is not None and time.monotonic() - self.last_used > self.IDLE_RECONNECT_S:
            self.close()  # the server may have timed the idle connection out
        if self.conn is None:
            self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
        return self.conn

    def url(self, path):
        if path.startswith("http://") or path.startswith("https://"):
            parts = urllib.parse.urlsplit(path)  # e.g. a paging link: keep path + query
            return parts.path + ("?" + parts.query if parts.query else "")
        if path.startswith("/"):
            return path
        return f"{BASE}/{path}"

    def request(self, method, path, body=None, headers=None, content_type=FHIR_JSON):
        url = self.url(path)
        if body is not None and not isinstance(body, (bytes, bytearray)):
            body = json.dumps(body).encode("utf-8")
        h = self.headers(headers)
        if body is not None and "Content-Type" not in h:
            h["Content-Type"] = content_type
        for attempt in (0, 1):
            conn = self._connection()
            try:
                conn.request(method, url, body=body, headers=h)
                resp = conn.getresponse()
                data = resp.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt == 1 or method not in ("GET", "HEAD"):
                    raise
        self.last_used = time.monotonic()
        if resp.will_close:
            self.close()
        return Response(method, url, resp.status, resp.reason, resp.headers, data)

    def get(self, path, **kw):
        return self.request("GET", path, **kw)

    def post(self, path, body, **kw):
        return self.request("POST", path, body, **kw)

    def put(self, path, body, **kw):
        return self.request("PUT", path, body, **kw)

    def patch(self, path, body, content_type="application/json-patch+json", **kw):
        return self.request("PATCH", path, body, content_type=content_type, **kw)

    def delete(self, path, **kw):
        return self.request("DELETE", path, **kw)

    # -- bundles
    def pages(self, path, max_pages=10000):
        """Yields each page (a Bundle) of a search or history, following `next` links."""
        seen = set()
        for _ in range(max_pages):
            r = self.get(path)
            if r.status != 200:
                raise AssertionError(r.describe())
            bundle = r.json
            yield bundle
            nxt = link(bundle, "next")
            if not nxt:
                return
            if nxt in seen:
                raise AssertionError(f"paging loops: next link {nxt} seen twice")
            seen.add(nxt)
            path = nxt
        raise AssertionError(f"more than {max_pages} pages from {path}")

    def all_entries(self, path):
        return [e for page in self.pages(path) for e in page.get("entry", [])]

    def history_versions(self, path="_history?_count=500"):
        """(type, id, versionId, method) of every entry of a history, all pages."""
        out = []
        for e in self.all_entries(path):
            out.append(history_key(e))
        return out


# --------------------------------------------------------------------------- FHIR helpers

def q(value):
    """URL-encodes a search parameter value (keeps '|' and ',' readable but encodes '+')."""
    return urllib.parse.quote(value, safe="|,:/")


def link(bundle, relation):
    for l in bundle.get("link", []):
        if l.get("relation") == relation:
            return l.get("url")
    return None


def history_key(entry):
    """(type, id, versionId or None, request method) for one history Bundle entry."""
    res = entry.get("resource")
    method = entry.get("request", {}).get("method")
    if res is not None:
        return (res["resourceType"], res["id"], res.get("meta", {}).get("versionId"), method)
    # A deletion: no resource; identify it from request.url / response.location / fullUrl.
    for src in (entry.get("response", {}).get("location"), entry.get("request", {}).get("url"),
                entry.get("fullUrl")):
        if src:
            m = re.search(r"([A-Z][A-Za-z]+)/([A-Za-z0-9\-.]{1,64})(?:/_history/([^/?]+))?", src)
            if m:
                version = m.group(3) or etag_version(entry.get("response", {}).get("etag"))
                return (m.group(1), m.group(2), version, method)
    return (None, None, None, method)


def etag_version(etag):
    m = re.fullmatch(r'W/"([^"]+)"', etag or "")
    return m.group(1) if m else None


def status_code(entry_status):
    """'201 Created' -> 201."""
    m = re.match(r"\s*(\d{3})", entry_status or "")
    return int(m.group(1)) if m else None


def parse_location(location):
    """'…/fhir/Patient/abc/_history/2' or 'Patient/abc/_history/2' -> ('Patient','abc','2')."""
    m = re.search(r"(?:^|/)([A-Z][A-Za-z]+)/([A-Za-z0-9\-.]{1,64})(?:/_history/([^/]+))?$",
                  location or "")
    return (m.group(1), m.group(2), m.group(3)) if m else None


def strip_server_meta(resource):
    """A deep copy without meta.versionId / meta.lastUpdated (and meta when left empty)."""
    res = dict(resource)
    if isinstance(res.get("meta"), dict):
        meta = {k: v for k, v in res["meta"].items() if k not in ("versionId", "lastUpdated")}
        if meta:
            res["meta"] = meta
        else:
            del res["meta"]
    return res


def issues_text(outcome):
    """All human-readable text of an OperationOutcome, for messages and 'says what' checks."""
    parts = []
    for issue in (outcome or {}).get("issue", []):
        parts.append(issue.get("diagnostics", ""))
        parts.append(issue.get("details", {}).get("text", ""))
        for c in issue.get("details", {}).get("coding", []):
            parts.append(c.get("display", "") + " " + c.get("code", ""))
        parts += issue.get("expression", []) + issue.get("location", [])
    return " | ".join(p for p in parts if p)


def issue_paths(outcome):
    paths = []
    for issue in (outcome or {}).get("issue", []):
        paths += issue.get("expression", []) + issue.get("location", [])
    return paths


class ExactNumber:
    """A JSON number kept as its text, so that 1.50 and 1.5 compare different."""
    __slots__ = ("text",)

    def __init__(self, text):
        self.text = text

    def __eq__(self, other):
        return isinstance(other, ExactNumber) and other.text == self.text

    def __hash__(self):
        return hash(self.text)

    def __repr__(self):
        return f"<number {self.text}>"


def loads_exact(data):
    return json.loads(data, parse_float=ExactNumber, parse_int=ExactNumber)


def first_difference(a, b, path=""):
    """A short description of where two parsed JSON values first differ, or None."""
    if type(a) is not type(b):
        return f"{path or '/'}: {a!r:.120} != {b!r:.120}"
    if isinstance(a, dict):
        for k in sorted(set(a) | set(b)):
            if k not in a:
                return f"{path}/{k}: missing in expected, got {b[k]!r:.120}"
            if k not in b:
                return f"{path}/{k}: missing in response, expected {a[k]!r:.120}"
            d = first_difference(a[k], b[k], f"{path}/{k}")
            if d:
                return d
        return None
    if isinstance(a, list):
        if len(a) != len(b):
            return f"{path}: {len(a)} items expected, {len(b)} returned"
        for i, (x, y) in enumerate(zip(a, b)):
            d = first_difference(x, y, f"{path}/{i}")
            if d:
                return d
        return None
    return None if a == b else f"{path or '/'}: {a!r:.120} != {b!r:.120}"


def minify_json(raw):
    """Removes insignificant whitespace from JSON text without touching any token's text
    (so numbers keep their exact digits). `raw` is str; returns str."""
    out = []
    i, n = 0, len(raw)
    while i < n:
        c = raw[i]
        if c == '"':
            j = i + 1
            while True:
                k = raw.index('"', j)
                # count backslashes before the quote
                b = k - 1
                while raw[b] == "\\":
                    b -= 1
                if (k - 1 - b) % 2 == 0:
                    break
                j = k + 1
            out.append(raw[i:k + 1])
            i = k + 1
        elif c in " \t\r\n":
            i += 1
        else:
            j = i
            while j < n and raw[j] not in ' \t\r\n"':
                j += 1
            out.append(raw[i:j])
            i = j
    return "".join(out)


@functools.lru_cache(maxsize=None)
def example_files():
    """(filename, resource) of every example instance in the package (not the conformance
    resources), sorted by file name."""
    d = package_dir()
    out = []
    for name in sorted(os.listdir(d)):
        if not name.endswith(".json") or name == "package.json" or name.startswith("."):
            continue
        with open(os.path.join(d, name), encoding="utf-8") as f:
            raw = f.read()
        res = json.loads(raw)
        if not isinstance(res, dict) or "resourceType" not in res:
            continue
        if res["resourceType"] in CONFORMANCE_TYPES:
            continue
        out.append((name, res))
    return tuple(out)


def read_example(name):
    with open(os.path.join(package_dir(), name), encoding="utf-8") as f:
        return f.read()


# --------------------------------------------------------------------------- test base

import unittest  # noqa: E402  (kept next to the classes that use it)


class FhirTestCase(unittest.TestCase):
    """Assertions shared by the modules. Subclasses of ServerTestCase get self.server and
    self.c (a Client) for one server started per class."""

    maxDiff = 4000

    def missing(self, why):
        """An outside tool this test needs is missing: a failure under CTest (see needs()),
        a skip when run by hand."""
        if os.environ.get("HB_REQUIRE_TOOLS"):
            self.fail(f"{why} (make test installs it: scripts/install-deps.sh test)")
        self.skipTest(why)

    def assertStatus(self, r, *codes, msg=""):
        if r.status not in codes:
            self.fail(f"expected HTTP {' or '.join(map(str, codes))}, got {r.status}. {msg}\n"
                      f"{r.describe()}")

    def assertFhirJson(self, r):
        ctype = (r.header("Content-Type") or "").split(";")[0].strip().lower()
        self.assertEqual(ctype, FHIR_JSON, f"Content-Type of {r.method} {r.path}")

    def put_all(self, client, *resources):
        """PUTs each resource at its own id (created or updated)."""
        for r in resources:
            self.assertStatus(client.put(f"{r['resourceType']}/{r['id']}", r), 200, 201)

    def assertDataFolderRefused(self, data, reason, filename="bad.json"):
        """A definition file in the data folder that is wrong: `healthbook reindex` and
        `healthbook serve` both refuse it, naming the file and `reason`."""
        p = run_cli("reindex", "--data", data)
        self.assertEqual(p.returncode, 1, p.stdout + p.stderr)
        self.assertIn(filename, p.stderr)
        self.assertIn(reason, p.stderr)
        s = Server(data)
        with self.assertRaises(RuntimeError) as cm:
            s.start()
        s.cleanup()
        self.assertIn(reason, str(cm.exception))

    def assertOutcome(self, r, *codes, mentions=(), path=None):
        """r has one of `codes`, an OperationOutcome body with an error issue, text that
        mentions one of `mentions` (case-insensitive), and, if `path` (a regex) is given,
        an issue expression/location matching it. Returns the OperationOutcome."""
        if codes:
            self.assertStatus(r, *codes)
        body = r.json
        self.assertIsInstance(body, dict, f"no JSON body\n{r.describe()}")
        self.assertEqual(body.get("resourceType"), "OperationOutcome", r.describe())
        issues = body.get("issue", [])
        self.assertTrue(any(i.get("severity") in ("error", "fatal") for i in issues),
                        f"no issue with severity error/fatal\n{r.describe()}")
        text = issues_text(body)
        self.assertTrue(text.strip(), f"OperationOutcome says nothing\n{r.describe()}")
        if mentions:
            self.assertTrue(any(m.lower() in text.lower() for m in mentions),
                            f"OperationOutcome does not mention any of {list(mentions)}\n"
                            f"{r.describe()}")
        if path is not None:
            self.assertTrue(any(re.fullmatch(path, p) for p in issue_paths(body)),
                            f"no issue expression/location matching {path!r} "
                            f"(got {issue_paths(body)})\n{r.describe()}")
        return body

    def create(self, resource, client=None, headers=None):
        """POSTs resource, asserts 201, returns (id, versionId)."""
        c = client or self.c
        r = c.post(resource["resourceType"], resource, headers=headers)
        self.assertStatus(r, 201)
        loc = parse_location(r.header("Location"))
        self.assertIsNotNone(loc, f"bad Location header\n{r.describe()}")
        return loc[1], loc[2]

    def search_ids(self, query, client=None):
        """ids of the 'match' entries of every page of a search (e.g. 'Patient?identifier=x')."""
        c = client or self.c
        ids = []
        for page in c.pages(query):
            self.assertEqual(page.get("resourceType"), "Bundle")
            self.assertEqual(page.get("type"), "searchset")
            for e in page.get("entry", []):
                if e.get("search", {}).get("mode", "match") == "match":
                    ids.append(e["resource"]["id"])
        return ids


class ServerTestCase(FhirTestCase):
    """One fresh server (own data folder) for all tests of the class."""

    server_args = ()

    @classmethod
    def setUpClass(cls):
        cls.server = Server(extra_args=cls.server_args)
        cls.addClassCleanup(cls.server.cleanup)
        cls.server.start()
        cls.c = cls.server.client()

    @classmethod
    def tearDownClass(cls):
        cls.c.close()
        cls.server.stop()  # asserts a clean exit 0 on SIGTERM
