#!/usr/bin/env python3
"""A local stand-in for the national e-prescription system (Hệ thống Đơn thuốc quốc gia,
donthuocquocgia.vn), for tests and demos. Python 3 standard library only.

[unconfirmed] The national interface is not published in this repository. This simulator
speaks the contract documented in docs/implementation/clinical.md ("E-prescriptions") and
src/clinical/eprescription.h:

  POST <path> (default /api/v1/don-thuoc), Authorization: Bearer <token> when --token is set,
  JSON {"ma_don_thuoc", "loai_don_thuoc", "ma_co_so_kham_chua_benh", "ho_ten_benh_nhan",
        "ngay_sinh_benh_nhan", "gioi_tinh", "chan_doan": [{"ma_chan_doan", "ten_chan_doan"}],
        "ngay_gio_ke_don", "thong_tin_don_thuoc": [{"ma_thuoc", "biet_duoc", "so_luong",
        "cach_dung", ...}], ...}
  -> 200 {"ma_don_thuoc", "trang_thai": "da_tiep_nhan" | "da_tiep_nhan_truoc_do"}
  -> 401 without the token, 422 {"loi": [...]} when the message breaks the rules:
     the code is 5 facility digits + 7 characters [0-9A-Z] + '-' + one of c n h y, and it
     must start with ma_co_so_kham_chua_benh; the patient, diagnoses and at least one drug
     with a quantity are required.
  A resend of an accepted code is accepted again (idempotent on ma_don_thuoc).

  GET  /health        -> {"status": "pass"}
  GET  /_requests     -> every accepted message (for tests)
  POST /_fail         -> {"count": N, "status": S}: answer the next N posts with S (tests)

Usage: eprescription.py [--port 0] [--path P] [--token T]
Prints "listening on <port>" on stdout once ready.
"""

import argparse
import json
import re
import sys
import threading

from json_http import JsonHandler, serve_forever, serve_in_thread

CODE_RE = re.compile(r"^(\d{5})[0-9A-Z]{7}-[cnhy]$")


class State:
    def __init__(self, path, token):
        self.path = path
        self.token = token
        self.accepted = {}
        self.order = []
        self.fail = []  # statuses to answer with next
        self.lock = threading.Lock()


def problems(msg):
    out = []
    code = msg.get("ma_don_thuoc", "")
    m = CODE_RE.match(code)
    if not m:
        out.append(f"ma_don_thuoc '{code}' không đúng định dạng (5 số mã cơ sở + 7 ký tự + -loại)")
    elif m.group(1) != msg.get("ma_co_so_kham_chua_benh"):
        out.append("ma_don_thuoc không bắt đầu bằng mã cơ sở khám chữa bệnh")
    for field in ("ho_ten_benh_nhan", "ngay_sinh_benh_nhan", "gioi_tinh", "ngay_gio_ke_don"):
        if not msg.get(field):
            out.append(f"thiếu {field}")
    if not msg.get("chan_doan"):
        out.append("thiếu chẩn đoán")
    drugs = msg.get("thong_tin_don_thuoc") or []
    if not drugs:
        out.append("đơn thuốc không có thuốc")
    for i, d in enumerate(drugs):
        if not d.get("ma_thuoc") or not d.get("so_luong"):
            out.append(f"thuốc thứ {i + 1}: thiếu ma_thuoc hoặc so_luong")
    return out


def make_handler(state):
    class Handler(JsonHandler):
        def do_GET(self):
            if self.path == "/health":
                return self.send_json(200, {"status": "pass"})
            if self.path == "/_requests":
                with state.lock:
                    return self.send_json(200, [state.accepted[c] for c in state.order])
            self.send_json(404, {"loi": ["không có đường dẫn này"]})

        def do_POST(self):
            raw = self.read_body()
            if self.path == "/_fail":
                spec = json.loads(raw or b"{}")
                with state.lock:
                    state.fail = [int(spec.get("status", 503))] * int(spec.get("count", 1))
                return self.send_json(200, {"ok": True})
            if self.path != state.path:
                return self.send_json(404, {"loi": ["không có đường dẫn này"]})
            with state.lock:
                if state.fail:
                    return self.send_json(state.fail.pop(0), {"loi": ["lỗi tạm thời (mô phỏng)"]})
            if state.token and self.headers.get("Authorization") != f"Bearer {state.token}":
                return self.send_json(401, {"loi": ["sai hoặc thiếu mã truy cập"]})
            try:
                msg = json.loads(raw.decode("utf-8"))
            except (UnicodeDecodeError, json.JSONDecodeError) as e:
                return self.send_json(400, {"loi": [f"JSON không hợp lệ: {e}"]})
            bad = problems(msg)
            if bad:
                return self.send_json(422, {"loi": bad})
            code = msg["ma_don_thuoc"]
            with state.lock:
                again = code in state.accepted
                if not again:
                    state.order.append(code)
                state.accepted[code] = msg
            self.send_json(200, {"ma_don_thuoc": code,
                             "trang_thai": "da_tiep_nhan_truoc_do" if again else "da_tiep_nhan"})

    return Handler


class EPrescriptionSim:
    """In-process simulator for tests: .port, .url, .requests(), .fail(n, status), .stop()."""

    def __init__(self, path="/api/v1/don-thuoc", token=""):
        self.state = State(path, token)
        self.httpd = serve_in_thread(make_handler(self.state))
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"

    def requests(self):
        with self.state.lock:
            return [self.state.accepted[c] for c in self.state.order]

    def fail(self, count, status=503):
        with self.state.lock:
            self.state.fail = [status] * count

    def stop(self):
        self.httpd.shutdown()
        self.httpd.server_close()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--path", default="/api/v1/don-thuoc")
    ap.add_argument("--token", default="")
    args = ap.parse_args()
    serve_forever(make_handler(State(args.path, args.token)), args.port)


if __name__ == "__main__":
    sys.exit(main())
