#!/usr/bin/env python3
"""A simulated bank (or payment gateway) for healthbook's webhook, Python standard library only.

It sends transfer notifications to POST /payments/webhook/<bank> the way a gateway does:
a JSON body signed with the bank's secret (header X-Signature: hex HMAC-SHA256 of the raw
body), and it can replay a notification, deliver a batch out of order, or tamper with a body
after signing, which is what real gateways (retries) and attackers do.

Library use (tests/integration/test_billing.py):
    bank = BankSim("127.0.0.1", 8080, bank="simbank", secret="s3cret")
    n = bank.transfer(150000, "HB0123ABCD vien phi")       # a notification (dict)
    status, reply = bank.send(n)                             # signed, delivered once
    bank.send(n)                                             # a replay: same transaction_id
    bank.send(n, tamper=True)                                # body changed after signing
    bank.deliver_shuffled([n1, n2, n3], seed=7)              # reordered

Command line:
    bank_sim.py --port 8080 --bank simbank --secret s3cret --amount 150000 \
                --description "HB0123ABCD vien phi" [--replay 2]
"""

import argparse
import hashlib
import hmac
import http.client
import itertools
import json
import random
import sys
import time

_counter = itertools.count(1)


class BankSim:
    def __init__(self, host, port, bank="simbank", secret="", account="0011001932418",
                 bin_code="970415"):
        self.host, self.port = host, port
        self.bank, self.secret = bank, secret
        self.account, self.bin = account, bin_code
        self.sent = []  # (notification, status, reply) in delivery order

    def transfer(self, amount, description, transaction_id=None):
        """A notification of an incoming transfer to the facility's account."""
        return {
            "transaction_id": transaction_id or f"FT{int(time.time())}{next(_counter):05d}",
            "amount": amount,
            "description": description,
            "account": self.account,
            "bin": self.bin,
            "time": time.strftime("%Y-%m-%dT%H:%M:%S+07:00"),
        }

    def sign(self, body):
        return hmac.new(self.secret.encode(), body, hashlib.sha256).hexdigest()

    def send(self, notification, tamper=False, signature=None):
        """Delivers one notification; returns (HTTP status, parsed JSON reply or text)."""
        body = json.dumps(notification, ensure_ascii=False).encode()
        sig = signature if signature is not None else self.sign(body)
        if tamper:  # the amount changed in transit, the signature left as it was
            changed = dict(notification, amount=notification["amount"] + 1000000)
            body = json.dumps(changed, ensure_ascii=False).encode()
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        try:
            conn.request("POST", f"/payments/webhook/{self.bank}", body=body,
                         headers={"Content-Type": "application/json", "X-Signature": sig})
            r = conn.getresponse()
            raw = r.read()
        finally:
            conn.close()
        try:
            reply = json.loads(raw)
        except ValueError:
            reply = raw.decode("utf-8", "replace")
        self.sent.append((notification, r.status, reply))
        return r.status, reply

    def replay(self, notification, times=2):
        """Delivers the same notification again `times` times (gateway retries)."""
        return [self.send(notification) for _ in range(times)]

    def deliver_shuffled(self, notifications, seed=0):
        """Delivers a batch in a shuffled order (gateways do not promise order)."""
        batch = list(notifications)
        random.Random(seed).shuffle(batch)
        return [(n, *self.send(n)) for n in batch]


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8080)
    p.add_argument("--bank", default="simbank")
    p.add_argument("--secret", required=True)
    p.add_argument("--amount", type=int, required=True)
    p.add_argument("--description", required=True)
    p.add_argument("--transaction-id")
    p.add_argument("--replay", type=int, default=0, help="send it this many more times")
    a = p.parse_args(argv)
    bank = BankSim(a.host, a.port, a.bank, a.secret)
    n = bank.transfer(a.amount, a.description, a.transaction_id)
    for _ in range(1 + a.replay):
        status, reply = bank.send(n)
        print(status, json.dumps(reply, ensure_ascii=False))
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())
