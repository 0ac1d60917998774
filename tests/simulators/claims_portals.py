"""Simulators of the two portals that receive health-insurance claim files
(shared/reference/README.md §1), following their contracts exactly, for the delivery
tests and for `make run`. Python 3 standard library only (http.server, threading,
email.parser for multipart); the signature is checked with the xmlsec1 command.

National assessment gateway (NationalPortal):
  POST /api/token/take             form username, password=MD5(password)
      -> 200 {"maKetQua":"200","APIKey":{"access_token","id_token","token_type","username","expires_in"}}
  POST /api/qd130/guiHoSoXmlQD4750 and /api/qd130/guiHoSoXmlQD3176
      form username, loaiHoSo=130, maTinh, maCSKCB, fileHSBase64;
      headers accessToken, tokenId, passwordHash
  POST /api/qd130/checkInKcbQd3176 (same form) for XML0 check-ins: a GIAMDINHHS file whose
                                   HOSO holds XML0 alone, kept apart (state "checkins")
Provincial health data portal (ProvincialPortal):
  POST /api/token                  multipart username, password=MD5(password)
      -> 200 {"access_token","token_type":"Bearer","expires_in"}
  POST /api/Cong130/CheckIn        Authorization: Bearer; multipart field files (hoso.xml)
Answers: 200 {"maGiaoDich":"<uuid>","trangThai":1,"maLoi":null} accepted;
201 {"trangThai":2,"maLoi":"Lỗi hồ sơ thứ N: (...)"} rejected (structure or signature);
400 bad request, 401 bad or expired token, 500 injected failure.

Records are kept by MA_LK: a resubmission replaces the record (as the portal does), so a
claim sent twice is not a duplicate record; `submissions` counts every arrival.

Control endpoint (both portals), JSON:
  GET  /_control                   state: records {MA_LK: {...}}, submissions {MA_LK: n},
                                   rejected {MA_LK: maLoi}, tokens issued, failures left
  POST /_control {"inject": ["500", "timeout", "expire-token", "reject", "400"], ...}
                                   one failure per arrival, in order;
       {"reject_ma_lk": ["..."]}   always reject these records (until "accept_ma_lk")
       {"accept_ma_lk": ["..."]}   stop rejecting them
       {"reset": true}             forget everything
Command line (make run): python3 claims_portals.py --national-port P --provincial-port Q
  [--username U --password W] [--timeout-delay S] [--trusted-pem CERT]
"""

import argparse
import base64
import email.parser
import email.policy
import hashlib
import json
import os
import subprocess
import tempfile
import threading
import time
import urllib.parse
import uuid
import xml.etree.ElementTree as ET

from json_http import JsonHandler, serve_in_thread

ROOTS = {
    "XML0": "CHI_TIEU_TRANG_THAI_KCB", "XML1": "TONG_HOP", "XML2": "CHITIEU_CHITIET_THUOC",
    "XML3": "CHITIEU_CHITIET_DVKT_VTYT", "XML4": "CHITIEU_CHITIET_DICHVUCANLAMSANG",
    "XML5": "CHITIEU_CHITIET_DIENBIENLAMSANG", "XML7": "CHI_TIEU_DU_LIEU_GIAY_RA_VIEN",
    "XML8": "CHI_TIEU_DU_LIEU_TOM_TAT_HO_SO_BENH_AN", "XML9": "CHI_TIEU_DU_LIEU_GIAY_CHUNG_SINH",
    "XML13": "CHI_TIEU_GIAYCHUYENTUYEN", "XML14": "CHI_TIEU_GIAYHEN_KHAMLAI",
}
DSIG = "{http://www.w3.org/2000/09/xmldsig#}"


def md5(text):
    return hashlib.md5(text.encode("utf-8")).hexdigest()


class Rejection(Exception):
    """A record the portal refuses: answered 201 trangThai 2 with maLoi."""


def check_file(xml_bytes, trusted_pem=None, checkin=False):
    """Checks a GIAMDINHHS file like the portal; returns the MA_LKs; raises Rejection.
    A check-in file carries XML0 alone in each HOSO, a claim file XML1 and the rest."""
    try:
        root = ET.fromstring(xml_bytes)
    except ET.ParseError as e:
        raise Rejection(f"Lỗi hồ sơ thứ 1: (Lỗi cấu trúc tệp - {e})")
    if root.tag != "GIAMDINHHS":
        raise Rejection("Lỗi hồ sơ thứ 1: (Lỗi cấu trúc tệp - phần tử gốc không phải GIAMDINHHS)")
    facility = root.findtext("THONGTINDONVI/MACSKCB") or ""
    hosos = root.findall("THONGTINHOSO/DANHSACHHOSO/HOSO")
    if not facility or not hosos or root.findtext("THONGTINHOSO/SOLUONGHOSO") != str(len(hosos)):
        raise Rejection("Lỗi hồ sơ thứ 1: (Lỗi cấu trúc tệp - MACSKCB, SOLUONGHOSO)")
    sig = root.find("CHUKYDONVI")
    if sig is None or sig.find(DSIG + "Signature") is None:
        raise Rejection("Lỗi hồ sơ thứ 1: (Lỗi chữ ký số - không có chữ ký CHUKYDONVI)")
    ma_lks = []
    for n, hoso in enumerate(hosos, 1):
        tables = {}
        for f in hoso.findall("FILEHOSO"):
            kind = f.findtext("LOAIHOSO") or ""
            try:
                inner = ET.fromstring(base64.b64decode(f.findtext("NOIDUNGFILE") or "", validate=True))
            except Exception:
                raise Rejection(f"Lỗi hồ sơ thứ {n}: (Lỗi cấu trúc {kind.lower()} - NOIDUNGFILE)")
            if ROOTS.get(kind) != inner.tag:
                raise Rejection(f"Lỗi hồ sơ thứ {n}: (Lỗi cấu trúc {kind.lower()} - {inner.tag})")
            tables[kind] = inner
        main = "XML0" if checkin else "XML1"
        if main not in tables or (checkin and len(tables) != 1):
            raise Rejection(f"Lỗi hồ sơ thứ {n}: (Lỗi cấu trúc {main.lower()} - thiếu bảng {main})")
        ma_lk = tables[main].findtext("MA_LK") or ""
        if not ma_lk or tables[main].findtext("MA_CSKCB") != facility:
            raise Rejection(f"Lỗi hồ sơ thứ {n}: (Lỗi cấu trúc {main.lower()} - MA_LK, MA_CSKCB)")
        for kind, t in tables.items():
            for node in t.iter("MA_LK"):
                if node.text != ma_lk:
                    raise Rejection(f"Lỗi hồ sơ thứ {n}: (Lỗi cấu trúc {kind.lower()} - MA_LK)")
        ma_lks.append(ma_lk)
    verify_signature(xml_bytes, trusted_pem)
    return facility, ma_lks


def verify_signature(xml_bytes, trusted_pem=None):
    with tempfile.NamedTemporaryFile(suffix=".xml", delete=False) as f:
        f.write(xml_bytes)
        path = f.name
    try:
        cmd = ["xmlsec1", "--verify"]
        cmd += ["--trusted-pem", trusted_pem] if trusted_pem else ["--insecure"]
        p = subprocess.run(cmd + [path], capture_output=True, text=True, timeout=30)
    finally:
        os.unlink(path)
    if p.returncode != 0:
        raise Rejection("Lỗi hồ sơ thứ 1: (Lỗi chữ ký số - chữ ký không hợp lệ)")


class Portal:
    """State and behaviour shared by both portals."""

    def __init__(self, name, username, password, timeout_delay=3.0, trusted_pem=None):
        self.name = name
        self.username = username
        self.password_md5 = md5(password)
        self.timeout_delay = timeout_delay
        self.trusted_pem = trusted_pem
        self.lock = threading.Lock()
        self.reset()

    def reset(self):
        with getattr(self, "lock", threading.Lock()):
            self.tokens = {}        # token -> expiry (monotonic)
            self.tokens_issued = 0
            self.records = {}       # MA_LK -> {"facility", "maGiaoDich", "at"}
            self.checkins = {}      # MA_LK -> {"facility", "maGiaoDich", "at"} (XML0)
            self.submissions = {}   # MA_LK -> arrivals
            self.rejected = {}      # MA_LK -> maLoi (last rejection)
            self.failures = []      # injected, one per arrival
            self.reject_ma_lk = set()

    def state(self):
        with self.lock:
            return {"portal": self.name, "records": self.records, "checkins": self.checkins,
                    "submissions": self.submissions,
                    "rejected": self.rejected, "tokens_issued": self.tokens_issued,
                    "failures_left": list(self.failures)}

    def control(self, body):
        with self.lock:
            if body.get("reset"):
                self.tokens, self.tokens_issued, self.records, self.checkins = {}, 0, {}, {}
                self.submissions, self.rejected, self.failures = {}, {}, []
                self.reject_ma_lk = set()
            self.failures += list(body.get("inject", []))
            self.reject_ma_lk |= set(body.get("reject_ma_lk", []))
            self.reject_ma_lk -= set(body.get("accept_ma_lk", []))

    def issue_token(self, username, password):
        if username != self.username or password != self.password_md5:
            return None
        token = uuid.uuid4().hex
        with self.lock:
            self.tokens[token] = time.monotonic() + 3600
            self.tokens_issued += 1
        return token

    def token_ok(self, token):
        with self.lock:
            return self.tokens.get(token, 0) > time.monotonic()

    def next_failure(self):
        with self.lock:
            return self.failures.pop(0) if self.failures else None

    def expire_tokens(self):
        with self.lock:
            self.tokens.clear()

    def receive(self, xml_bytes, facility_form=None, checkin=False):
        """(http status, answer) for one submitted file, after authentication."""
        try:
            facility, ma_lks = check_file(xml_bytes, self.trusted_pem, checkin)
            if facility_form is not None and facility_form != facility:
                raise Rejection("Lỗi hồ sơ thứ 1: (maCSKCB khác MACSKCB của tệp)")
        except Rejection as r:
            return 201, {"trangThai": 2, "maLoi": str(r)}
        with self.lock:
            if checkin:  # the visit's start: kept apart from the claims (counts, rejections)
                txn = str(uuid.uuid4())
                for ma_lk in ma_lks:
                    self.checkins[ma_lk] = {"facility": facility, "maGiaoDich": txn, "at": time.time()}
                return 200, {"maGiaoDich": txn, "trangThai": 1, "maLoi": None}
            for ma_lk in ma_lks:
                self.submissions[ma_lk] = self.submissions.get(ma_lk, 0) + 1
            refused = [m for m in ma_lks if m in self.reject_ma_lk]
            if refused:
                msg = f"Lỗi hồ sơ thứ 1: (Lỗi giám định - {refused[0]}: mã dịch vụ không có trong danh mục)"
                self.rejected[refused[0]] = msg
                return 201, {"trangThai": 2, "maLoi": msg}
            txn = str(uuid.uuid4())
            for ma_lk in ma_lks:  # by MA_LK: a resubmission replaces the record
                self.records[ma_lk] = {"facility": facility, "maGiaoDich": txn, "at": time.time()}
                self.rejected.pop(ma_lk, None)
        return 200, {"maGiaoDich": txn, "trangThai": 1, "maLoi": None}


def parse_multipart(headers, body):
    """{name: (filename, bytes)} of a multipart/form-data body."""
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + headers.get("Content-Type", "").encode() + b"\r\n\r\n" + body)
    parts = {}
    if not msg.is_multipart():
        return parts
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition")
        parts[name] = (part.get_filename(), part.get_payload(decode=True) or b"")
    return parts


class Handler(JsonHandler):
    portal = None  # set per server class

    def do_GET(self):
        if self.path == "/_control":
            return self.send_json(200, self.portal.state())
        self.send_json(404, {"error": "not found"})

    def do_POST(self):
        body = self.read_body()
        if self.path == "/_control":
            self.portal.control(json.loads(body or b"{}"))
            return self.send_json(200, self.portal.state())
        self.handle_portal(self.path, body)

    def injected(self):
        """Applies the next injected failure; True when the request was answered by it."""
        failure = self.portal.next_failure()
        if failure == "500":
            self.send_json(500, {"error": "Lỗi hệ thống (injected)"})
        elif failure == "400":
            self.send_json(400, {"error": "Bad request (injected)"})
        elif failure == "expire-token":
            self.portal.expire_tokens()
            return False  # the request now meets an expired token
        elif failure == "reject":
            self.send_json(201, {"trangThai": 2, "maLoi": "Lỗi hồ sơ thứ 1: (Lỗi cấu trúc xml2 - SO_CCCD)"})
        elif failure == "timeout":
            return "timeout"
        else:
            return False
        return True


class NationalHandler(Handler):
    def handle_portal(self, path, body):
        form = dict(urllib.parse.parse_qsl(body.decode("utf-8")))
        if path == "/api/token/take":
            token = self.portal.issue_token(form.get("username"), form.get("password"))
            if not token:
                return self.send_json(401, {"maKetQua": "401", "thongBao": "Sai tên đăng nhập hoặc mật khẩu"})
            return self.send_json(200, {"maKetQua": "200", "APIKey": {
                "access_token": token, "id_token": "id-" + token, "token_type": "bearer",
                "username": form.get("username"), "expires_in": "3600"}})
        if path not in ("/api/qd130/guiHoSoXmlQD4750", "/api/qd130/guiHoSoXmlQD3176",
                        "/api/qd130/checkInKcbQd3176"):
            return self.send_json(404, {"error": "not found"})
        failure = self.injected()
        if failure is True:
            return
        token = self.headers.get("accessToken", "")
        if (not self.portal.token_ok(token) or self.headers.get("tokenId") != "id-" + token
                or self.headers.get("passwordHash") != self.portal.password_md5):
            return self.send_json(401, {"maKetQua": "401", "thongBao": "Token không hợp lệ hoặc hết hạn"})
        if (form.get("username") != self.portal.username or form.get("loaiHoSo") != "130"
                or not form.get("maTinh") or not form.get("maCSKCB") or not form.get("fileHSBase64")):
            return self.send_json(400, {"maKetQua": "400", "thongBao": "Thiếu tham số"})
        try:
            xml = base64.b64decode(form["fileHSBase64"], validate=True)
        except Exception:
            return self.send_json(400, {"maKetQua": "400", "thongBao": "fileHSBase64 không hợp lệ"})
        status, answer = self.portal.receive(xml, form.get("maCSKCB"),
                                             checkin=path.endswith("checkInKcbQd3176"))
        if failure == "timeout":
            time.sleep(self.portal.timeout_delay)  # processed, but the answer comes too late
        self.send_json(status, answer)


class ProvincialHandler(Handler):
    def handle_portal(self, path, body):
        if path == "/api/token":
            parts = parse_multipart(self.headers, body)
            user = parts.get("username", (None, b""))[1].decode()
            password = parts.get("password", (None, b""))[1].decode()
            token = self.portal.issue_token(user, password)
            if not token:
                return self.send_json(401, {"message": "Sai tên đăng nhập hoặc mật khẩu"})
            return self.send_json(200, {"access_token": token, "token_type": "Bearer", "expires_in": 3600})
        if path != "/api/Cong130/CheckIn":
            return self.send_json(404, {"error": "not found"})
        failure = self.injected()
        if failure is True:
            return
        auth = self.headers.get("Authorization", "")
        if not auth.startswith("Bearer ") or not self.portal.token_ok(auth[7:]):
            return self.send_json(401, {"message": "Unauthorized"})
        parts = parse_multipart(self.headers, body)
        if "files" not in parts or parts["files"][0] != "hoso.xml":
            return self.send_json(400, {"message": "Thiếu tệp files (hoso.xml)"})
        status, answer = self.portal.receive(parts["files"][1])
        if failure == "timeout":
            time.sleep(self.portal.timeout_delay)
        self.send_json(status, answer)


def start(kind, port=0, username="demo", password="demo", timeout_delay=3.0, trusted_pem=None):
    """Starts a portal on 127.0.0.1:port (0: any) in a thread; returns (server, portal)."""
    portal = Portal(kind, username, password, timeout_delay, trusted_pem)
    base = NationalHandler if kind == "national" else ProvincialHandler
    handler = type(base.__name__ + "Bound", (base,), {"portal": portal})
    return serve_in_thread(handler, port), portal


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--national-port", type=int, default=8091)
    ap.add_argument("--provincial-port", type=int, default=8092)
    ap.add_argument("--username", default=os.environ.get("HB_PORTAL_USERNAME", "demo"))
    ap.add_argument("--password", default=os.environ.get("HB_PORTAL_PASSWORD", "demo"))
    ap.add_argument("--timeout-delay", type=float, default=3.0)
    ap.add_argument("--trusted-pem")
    a = ap.parse_args()
    # Port 0: any free port; the line below says which (what tests/e2e/claims.test.ts reads).
    nat, _ = start("national", a.national_port, a.username, a.password, a.timeout_delay,
                   a.trusted_pem)
    prov, _ = start("provincial", a.provincial_port, a.username, a.password, a.timeout_delay,
                    a.trusted_pem)
    print(f"claims portals: national http://127.0.0.1:{nat.server_address[1]} "
          f"provincial http://127.0.0.1:{prov.server_address[1]} (state: GET /_control)",
          flush=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
