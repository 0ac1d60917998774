#!/usr/bin/env python3
"""A local stand-in for the national card-history service (tra cứu thẻ BHYT và lịch sử
khám chữa bệnh), for tests and demos. Python 3 standard library only.

[unconfirmed] The real BHXH interface is not public. This simulator speaks the contract
documented in docs/implementation/reception.md and src/reception/card_history.h:

  POST <path> (default /api/egw/KQNhanLichSuKCB), JSON {"maThe", "hoTen", "ngaySinh"}
  -> 200 JSON {"maKetQua", "ghiChu", "maThe", "hoTen", "ngaySinh", "gtTheTu", "gtTheDen",
               "maDKBD", "maTheMoi", "gtTheTuMoi", "gtTheDenMoi", "dsLichSuKCB": [...]}

Cards it knows come from a JSON file (--cards): {"<card number>": {field: value, ...}},
each answer starting from {"maKetQua": "000", "ghiChu": "Thông tin thẻ chính xác"} plus the
card's fields. An unknown card answers maKetQua "050". A card entry may also set
"_status" (an HTTP status to answer with) or "_delay_ms" (to test timeouts).

  GET /health            -> {"status": "pass"}
  GET /_requests         -> every request body received so far (for tests)
  POST /_cards           -> merges a JSON object of cards into the known ones (for tests)

Usage: card_history.py [--port 0] [--cards FILE] [--path P] [--token T]
Prints "listening on <port>" on stdout once ready.
"""

import argparse
import json
import sys
import threading
import time

from json_http import JsonHandler, serve_forever

VALID = {"maKetQua": "000", "ghiChu": "Thông tin thẻ chính xác"}
UNKNOWN = {"maKetQua": "050", "ghiChu": "Không thấy thông tin thẻ BHYT"}


class State:
    def __init__(self, cards, path, token):
        self.cards = cards
        self.path = path
        self.token = token
        self.requests = []
        self.lock = threading.Lock()


def make_handler(state):
    class Handler(JsonHandler):
        def do_GET(self):
            if self.path == "/health":
                return self.send_json(200, {"status": "pass"})
            if self.path == "/_requests":
                with state.lock:
                    return self.send_json(200, list(state.requests))
            self.send_json(404, {"error": "not found"})

        def do_POST(self):
            raw = self.read_body()
            if self.path == "/_cards":
                with state.lock:
                    state.cards.update(json.loads(raw or b"{}"))
                return self.send_json(200, {"cards": len(state.cards)})
            if self.path != state.path:
                return self.send_json(404, {"error": "not found"})
            if state.token and self.headers.get("Authorization") != f"Bearer {state.token}":
                return self.send_json(401, {"error": "unauthorized"})
            try:
                req = json.loads(raw)
            except ValueError:
                return self.send_json(400, {"error": "body is not JSON"})
            with state.lock:
                state.requests.append(req)
                card = dict(state.cards.get(req.get("maThe", ""), {}))
            if not card:
                return self.send_json(200, dict(UNKNOWN, maThe=req.get("maThe", "")))
            delay = card.pop("_delay_ms", 0)
            status = card.pop("_status", 200)
            if delay:
                time.sleep(delay / 1000.0)
            answer = dict(VALID, maThe=req.get("maThe", ""), hoTen=req.get("hoTen", ""),
                          ngaySinh=req.get("ngaySinh", ""), dsLichSuKCB=[])
            answer.update(card)
            self.send_json(status, answer)

    return Handler


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--cards", help="JSON file of known cards")
    ap.add_argument("--path", default="/api/egw/KQNhanLichSuKCB")
    ap.add_argument("--token", default="")
    args = ap.parse_args(argv)
    cards = {}
    if args.cards:
        with open(args.cards, encoding="utf-8") as f:
            cards = json.load(f)
    serve_forever(make_handler(State(cards, args.path, args.token)), args.port)
    return 0


if __name__ == "__main__":
    sys.exit(main())
