#!/usr/bin/env python3
"""A laboratory information system (LIS) that takes HL7 v2 orders over MLLP, for healthbook's
outbound OML^O21 / ORM^O01 tests. Python standard library only.

It answers every framed message with an original-mode ACK, or misbehaves the way real LIS
links do, by mode (changeable while it runs):
    ack      MSA|AA (the default)
    error    MSA|AE with an ERR segment ("Mã xét nghiệm không tồn tại", test code unknown)
    reject   MSA|AR with ERR 200
    refuse   the connection is accepted and closed at once, nothing read (LIS restarting)
    drop     the message is read, the connection closed without an ACK (a crash mid-way)
    silent   the message is read and never answered (the sender's ACK timeout fires)
    wrongid  an AA whose MSA-2 names another message

Library use (tests/integration/test_mllp.py):
    lis = FakeLis(mode="refuse").start()
    ... lis.port ...
    lis.mode = "ack"
    lis.wait_for(1)           # the messages received (decoded text), after at least 1
    lis.stop()

Command line:
    fake_lis.py --port 2576 [--mode ack]      # prints each message received
"""

import argparse
import datetime
import socket
import threading
import time

SB, EB, CR = b"\x0b", b"\x1c", b"\x0d"


def field(segment, n):
    """MSH-n or SEG-n of a segment line (MSH-1 is the separator itself)."""
    parts = segment.split("|")
    if segment.startswith("MSH"):
        n -= 1
    return parts[n] if n < len(parts) else ""


class FakeLis:
    def __init__(self, host="127.0.0.1", port=0, mode="ack"):
        self.host, self.port, self.mode = host, port, mode
        self.received = []  # message texts, in arrival order
        self.connections = 0
        self._lock = threading.Condition()
        self._sock = None
        self._stopping = False
        self._threads = []

    def start(self):
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((self.host, self.port))
        self._sock.listen(16)
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        t = threading.Thread(target=self._accept, daemon=True)
        t.start()
        self._threads.append(t)
        return self

    def stop(self):
        self._stopping = True
        for t in self._threads:
            t.join(5)
        self._sock.close()

    def wait_for(self, count, timeout=20.0):
        """The messages received, once there are at least `count` (or after the timeout)."""
        deadline = time.monotonic() + timeout
        with self._lock:
            while len(self.received) < count and time.monotonic() < deadline:
                self._lock.wait(0.1)
            return list(self.received)

    # -- the server
    def _accept(self):
        while not self._stopping:
            try:
                conn, _ = self._sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self.connections += 1
            if self.mode == "refuse":
                conn.close()
                continue
            t = threading.Thread(target=self._serve, args=(conn,), daemon=True)
            t.start()
            self._threads.append(t)

    def _serve(self, conn):
        conn.settimeout(0.2)
        buf = b""
        with conn:
            while not self._stopping:
                try:
                    data = conn.recv(65536)
                except socket.timeout:
                    continue
                except OSError:
                    return
                if not data:
                    return
                buf += data
                while EB in buf:
                    frame, _, buf = buf.partition(EB)
                    buf = buf[1:] if buf.startswith(CR) else buf
                    text = frame.split(SB, 1)[-1].decode("utf-8", "replace")
                    with self._lock:
                        self.received.append(text)
                        self._lock.notify_all()
                    mode = self.mode
                    if mode == "drop":
                        return
                    if mode == "silent":
                        continue
                    conn.sendall(SB + self.ack(text, mode).encode("utf-8") + EB + CR)

    @staticmethod
    def ack(message, mode):
        msh = message.split("\r", 1)[0]
        now = datetime.datetime.now().strftime("%Y%m%d%H%M%S")
        trigger = field(msh, 9).split("^")[1] if "^" in field(msh, 9) else ""
        control = "SOMETHING-ELSE" if mode == "wrongid" else field(msh, 10)
        code = {"error": "AE", "reject": "AR"}.get(mode, "AA")
        segments = [
            f"MSH|^~\\&|{field(msh, 5)}|{field(msh, 6)}|{field(msh, 3)}|{field(msh, 4)}|{now}||"
            f"ACK^{trigger}^ACK|LIS{int(time.time() * 1000)}|P|{field(msh, 12)}|||||VNM|"
            "UNICODE UTF-8",
            f"MSA|{code}|{control}",
        ]
        if mode == "error":
            segments.append("ERR||OBR^1^4|103^Table value not found^HL70357|E||||"
                            "Mã xét nghiệm không tồn tại trong danh mục LIS")
        if mode == "reject":
            segments.append("ERR||MSH^1^9|200^Unsupported message type^HL70357|E||||"
                            "LIS không nhận loại bản tin này")
        return "\r".join(segments) + "\r"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=2576)
    ap.add_argument("--mode", default="ack", choices=["ack", "error", "reject", "refuse",
                                                       "drop", "silent", "wrongid"])
    args = ap.parse_args()
    lis = FakeLis(args.host, args.port, args.mode).start()
    print(f"fake LIS on {args.host}:{lis.port} ({args.mode})", flush=True)
    seen = 0
    try:
        while True:
            msgs = lis.wait_for(seen + 1, timeout=3600)
            for m in msgs[seen:]:
                print(m.replace("\r", "\n"), flush=True)
            seen = len(msgs)
    except KeyboardInterrupt:
        lis.stop()


if __name__ == "__main__":
    main()
