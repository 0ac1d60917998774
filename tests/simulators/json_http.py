"""The JSON-over-HTTP plumbing the portal simulators share (card_history.py, eprescription.py,
claims_portals.py): a quiet HTTP/1.1 request handler that reads bodies and answers JSON, and
the two ways to serve it (in a thread for in-process tests, or in the foreground for a script).
Python 3 standard library only.
"""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class JsonHandler(BaseHTTPRequestHandler):
    """Base handler: subclasses write do_GET/do_POST with read_body() and send_json()."""

    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):  # quiet: tests read the simulators' state instead
        pass

    def read_body(self):
        """The request body as bytes (b"" when there is none)."""
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def send_json(self, status, obj):
        """Answers `obj` as UTF-8 JSON (Vietnamese text kept readable, not \\u-escaped)."""
        data = json.dumps(obj, ensure_ascii=False).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up waiting (a timeout under test): a real service carries on


def serve_in_thread(handler, port=0):
    """Serves `handler` on 127.0.0.1:port (0: any free port) in a daemon thread; returns the
    server (server.server_address[1] is the port; shutdown() and server_close() stop it)."""
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def serve_forever(handler, port=0):
    """Serves `handler` in the foreground until interrupted, after printing
    "listening on <port>" (what the tests that start a simulator as a process wait for)."""
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    print(f"listening on {server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
