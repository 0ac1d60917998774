"""A throw-away PostgreSQL cluster for the integration tests (HB_STORE=postgresql).

One cluster per test process, started on first use and stopped at exit: Debian's initdb
into a temporary folder, `postgres` on a free loopback port (fsync off: nothing here must
survive a crash of the machine). Each healthbook server gets a database of its own.
As root (initdb and postgres refuse to run as root) the cluster runs as the `postgres`
user, else `nobody`, and the folder is handed to that user; otherwise as the caller.
Binaries: $HB_PG_BINDIR, else the newest /usr/lib/postgresql/<version>/bin, else PATH.
Python standard library only.
"""

import atexit
import glob
import itertools
import os
import pwd
import re
import shlex
import shutil
import signal
import socket
import subprocess
import tempfile

_cluster = None


def bindir():
    env = os.environ.get("HB_PG_BINDIR")
    if env:
        return env
    found = []
    for d in glob.glob("/usr/lib/postgresql/*/bin"):
        try:
            found.append((int(os.path.basename(os.path.dirname(d))), d))
        except ValueError:
            pass
    if found:
        return max(found)[1]
    initdb = shutil.which("initdb")
    if initdb:
        return os.path.dirname(initdb)
    raise RuntimeError("PostgreSQL is not installed (initdb not found): "
                       "scripts/install-deps.sh test installs it")


def _free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A cluster under `base_dir` (created; default: a new temporary folder); start() it."""

    def __init__(self, base_dir=None):
        self.bin = bindir()
        if base_dir:
            os.makedirs(base_dir, exist_ok=True)
            self.dir = base_dir
        else:
            self.dir = tempfile.mkdtemp(prefix="hb-it-pg-")
        self.data = os.path.join(self.dir, "data")
        self.prefix = []
        if os.geteuid() == 0:
            user = None
            for name in ("postgres", "nobody"):
                try:
                    user = pwd.getpwnam(name)
                    break
                except KeyError:
                    pass
            if user is None:
                raise RuntimeError("running as root and no unprivileged user for PostgreSQL")
            os.chown(self.dir, user.pw_uid, user.pw_gid)
            self.prefix = ["runuser", "-u", user.pw_name, "--"]
        self.port = None
        self._watcher = None
        self._names = itertools.count(1)

    def _run(self, *args, log):
        with open(os.path.join(self.dir, log), "ab") as out:
            return subprocess.run([*self.prefix, *args], stdout=out, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, cwd=self.dir)

    def start(self):
        if self.port is not None:
            return self
        p = self._run(os.path.join(self.bin, "initdb"), "-D", self.data, "-A", "trust",
                      "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync", log="initdb.log")
        if p.returncode != 0:
            raise RuntimeError(f"initdb failed: see {self.dir}/initdb.log")
        for _ in range(5):  # a free port can be taken between probe and bind
            self.port = _free_port()
            opts = (f"-p {self.port} -k {self.dir} -c listen_addresses=127.0.0.1 -c fsync=off "
                    "-c synchronous_commit=off -c full_page_writes=off -c max_connections=300")
            # A generous wait: beside a parallel `make test` on 2 cores, starting can be slow.
            p = self._run(os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-o", opts,
                          "-l", os.path.join(self.dir, "server.log"), "-w", "-t", "120", "start",
                          log="pg_ctl.log")
            if p.returncode == 0:
                self._watch()
                return self
            # Not up in time, or exited (port taken): make sure none is left before retrying.
            self._run(*self._stop_args(), log="pg_ctl.log")
        self.port = None
        raise RuntimeError(f"PostgreSQL did not start: see {self.dir}/server.log")

    def _stop_args(self):
        return [os.path.join(self.bin, "pg_ctl"), "-D", self.data, "-m", "immediate", "-w", "stop"]

    def _watch(self):
        """A watcher in a session of its own stops the cluster (and removes its folder) once
        this process is gone, should it die without stop(): a crash, or ctest killing a test
        that ran past its timeout. After a normal stop it finds nothing to do."""
        stop = " ".join(shlex.quote(a) for a in [*self.prefix, *self._stop_args()])
        cleanup = stop + " >/dev/null 2>&1"
        if os.environ.get("HB_KEEP_DATA") != "1":
            cleanup += "; rm -rf " + shlex.quote(self.dir)
        self._watcher = subprocess.Popen(
            ["sh", "-c", f"while kill -0 {os.getpid()} 2>/dev/null; do sleep 1; done; " + cleanup],
            start_new_session=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL)

    def url(self, database):
        return f"postgresql://postgres@127.0.0.1:{self.port}/{database}"

    def psql(self, database, sql):
        """Runs SQL; returns psql's output (command tags such as 'UPDATE 1' included)."""
        p = subprocess.run([os.path.join(self.bin, "psql"), "-X", "-v", "ON_ERROR_STOP=1",
                            "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
                            "-d", database, "-c", sql],
                           capture_output=True, text=True, stdin=subprocess.DEVNULL)
        if p.returncode != 0:
            raise RuntimeError(f"psql failed on {sql!r}: {p.stderr}")
        return p.stdout

    def create_database(self, template=None):
        """A new database (a copy of `template` when given: nobody may be connected to it);
        returns its name."""
        name = f"hb_it_{os.getpid()}_{next(self._names)}"
        sql = f'CREATE DATABASE "{name}"'
        if template:
            sql += f' TEMPLATE "{template}"'
        self.psql("postgres", sql)
        return name

    def new_database(self, name=None):
        """A new, empty database; returns its postgresql:// URL."""
        if name:
            self.psql("postgres", f'CREATE DATABASE "{name}"')
            return self.url(name)
        return self.url(self.create_database())

    def database_size(self, url):
        """pg_database_size of the database at `url`, in bytes."""
        out = self.psql("postgres", "SELECT pg_database_size('%s')" % database_of(url))
        return int(re.search(r"^\s*(\d+)\s*$", out, re.M).group(1))

    def stop(self):
        """Stops the server and removes its folder (unless HB_KEEP_DATA=1)."""
        watcher, self._watcher = self._watcher, None
        if watcher is not None:  # its work is done here; later clusters may reuse the folder
            try:
                os.killpg(watcher.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            watcher.wait()
        if self.port is not None:
            self._run(*self._stop_args(), log="pg_ctl.log")
            self.port = None
        if os.environ.get("HB_KEEP_DATA") != "1":
            shutil.rmtree(self.dir, ignore_errors=True)


def cluster():
    """The process's cluster, started on first use and stopped at exit."""
    global _cluster
    if _cluster is None:
        _cluster = Cluster()
        atexit.register(_cluster.stop)
        _cluster.start()
    return _cluster


def database_of(url):
    return url.rsplit("/", 1)[-1]
