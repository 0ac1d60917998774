"""Billing end to end (docs/implementation/billing.md): an encounter's Invoice from its
ChargeItems with the BHYT split to the đồng, its VietQR decoded back by `healthbook vietqr
decode`, bank notifications from the simulated bank (tests/simulators/bank_sim.py): signed,
tampered, replayed, partial, over and unmatched; refunds, receipts and their verification, the
day report, and the live invoice stream."""

import datetime
import json
import os
import socket
import sys
import unittest

from harness import ServerTestCase, run_cli

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "simulators"))
from bank_sim import BankSim  # noqa: E402

SECRET = "it-secret-simbank"


def param(params, name):
    for p in params.get("parameter", []):
        if p["name"] == name:
            return next((v for k, v in p.items() if k.startswith("value")), p.get("part"))
    return None


def parts(params, name):
    return [{q["name"]: next((v for k, v in q.items() if k.startswith("value")), None)
             for q in p["part"]} for p in params.get("parameter", []) if p["name"] == name]


class BillingTest(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        os.environ["HEALTHBOOK_PAYMENTS_BANK_BIN"] = "970415"
        os.environ["HEALTHBOOK_PAYMENTS_BANK_ACCOUNT"] = "0011001932418"
        os.environ["HEALTHBOOK_PAYMENTS_WEBHOOK_SECRETS"] = "simbank:" + SECRET
        super().setUpClass()
        cls.bank = BankSim("127.0.0.1", cls.server.port, "simbank", SECRET)

    # -- fixtures
    def encounter(self, insured=True, in_network=True):
        pid, _ = self.create({"resourceType": "Patient", "name": [{"text": "Lò Văn Bình"}]})
        if insured:
            cov = {"resourceType": "Coverage", "status": "active",
                   "beneficiary": {"reference": f"Patient/{pid}"},
                   "payor": [{"display": "Bảo hiểm xã hội Việt Nam"}],
                   "class": [{"type": {"coding": [{
                       "system": "http://terminology.hl7.org/CodeSystem/coverage-class",
                       "code": "plan"}]}, "value": "4", "name": "Mức hưởng 4: 80%"}]}
            if not in_network:
                cov["extension"] = [{"url": "https://fhir.healthbook.vn/StructureDefinition/x",
                                     "extension": [{"url": "in-network", "valueBoolean": False}]}]
            self.create(cov)
        eid, _ = self.create({"resourceType": "Encounter", "status": "in-progress",
                              "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
                                        "code": "IMP"},
                              "subject": {"reference": f"Patient/{pid}"}})
        return pid, eid

    def charge(self, pid, eid, code, qty=1, price=None):
        c = {"resourceType": "ChargeItem", "status": "billable",
             "code": {"coding": [{"system": "https://fhir.healthbook.vn/sid/price-list",
                                  "code": code}]},
             "subject": {"reference": f"Patient/{pid}"},
             "context": {"reference": f"Encounter/{eid}"},
             "quantity": {"value": qty}}
        if price is not None:
            c["priceOverride"] = {"value": price, "currency": "VND"}
        return self.create(c)[0]

    def invoice(self, eid):
        r = self.c.post(f"Encounter/{eid}/$invoice", {"resourceType": "Parameters"})
        self.assertStatus(r, 200, 201)
        return r.json

    def paid_invoice_fixture(self, price=100000):
        pid, eid = self.encounter(insured=False)
        self.charge(pid, eid, "SA-YC", price=price)
        return self.invoice(eid)

    def ref(self, inv):
        return next(i["value"] for i in inv["identifier"] if i["system"].endswith("invoice-reference"))

    def read(self, inv_id):
        r = self.c.get(f"Invoice/{inv_id}")
        self.assertStatus(r, 200)
        return r.json

    def paid(self, inv):
        return next(e["valueMoney"]["value"] for e in inv["extension"]
                    if e["url"].endswith("billing-paid"))

    # -- tests
    def test_invoice_split_exact(self):
        pid, eid = self.encounter()
        self.charge(pid, eid, "KB")                   # 39 800, in scope
        self.charge(pid, eid, "T-PARA500", qty=10)    # 10 x 195
        self.charge(pid, eid, "VT-KIMLUON")           # 9 500
        self.charge(pid, eid, "SA-YC", price=150000)  # outside the price list: not covered
        inv = self.invoice(eid)
        self.assertEqual(inv["totalGross"]["value"], 201250)
        self.assertEqual(inv["totalNet"]["value"], 160250)  # 201 250 - 80 % of 51 250
        ins = [c for c in inv["totalPriceComponent"] if c["type"] == "deduction"][0]
        self.assertEqual(ins["amount"]["value"], 41000)
        self.assertEqual(inv["status"], "issued")
        # Refreshing keeps the id and reference; a new charge is added.
        self.charge(pid, eid, "KB")
        again = self.invoice(eid)
        self.assertEqual(again["id"], inv["id"])
        self.assertEqual(self.ref(again), self.ref(inv))
        self.assertEqual(again["totalNet"]["value"], 160250 + 7960)

    def test_unpriced_charge_refused(self):
        pid, eid = self.encounter()
        self.charge(pid, eid, "NO-SUCH-CODE")
        r = self.c.post(f"Encounter/{eid}/$invoice", {"resourceType": "Parameters"})
        self.assertOutcome(r, 422, mentions=["price list"])

    def test_vietqr_decodes_back(self):
        inv = self.paid_invoice_fixture(123456)
        r = self.c.get(f"Invoice/{inv['id']}/$vietqr")
        self.assertStatus(r, 200)
        payload = param(r.json, "payload")
        self.assertTrue(param(r.json, "svg").lstrip().startswith("<"))
        self.assertTrue(param(r.json, "png").startswith("iVBORw0KGgo"))
        p = run_cli("vietqr", "decode", payload)
        self.assertEqual(p.returncode, 0, p.stderr)
        d = json.loads(p.stdout)
        self.assertEqual(d["amount"], 123456)
        self.assertEqual(d["initiation"], "dynamic")
        self.assertEqual(d["bin"], "970415")
        self.assertIn(self.ref(inv), d["purpose"])
        self.assertLessEqual(len(d["purpose"]), 25)

    def test_webhook_paid_receipt_tamper_replay(self):
        inv = self.paid_invoice_fixture(50000)
        n = self.bank.transfer(50000, f"NGUYEN VAN A CK {self.ref(inv)} vien phi")
        status, _ = self.bank.send(n, tamper=True)
        self.assertEqual(status, 401)
        status, _ = self.bank.send(n, signature="00" * 32)
        self.assertEqual(status, 401)
        self.assertEqual(self.read(inv["id"])["status"], "issued")  # nothing changed
        status, reply = self.bank.send(n)
        self.assertEqual(status, 200, reply)
        self.assertEqual(reply["outcome"], "complete")
        self.assertFalse(reply["duplicate"])
        for status, again in self.bank.replay(n, 2):
            self.assertEqual(status, 200)
            self.assertTrue(again["duplicate"])
        after = self.read(inv["id"])
        self.assertEqual(after["status"], "balanced")
        self.assertEqual(self.paid(after), 50000)  # counted once
        r = self.c.get(f"Invoice/{inv['id']}/$receipt")
        self.assertStatus(r, 200)
        self.assertIn("BIÊN LAI THU TIỀN", r.text)
        self.assertIn("<svg", r.text)
        url = r.text.split("/api/receipts/verify?")[1].split("<")[0].replace("&amp;", "&")
        v = self.c.get("/api/receipts/verify?" + url).json
        self.assertTrue(v["genuine"] and v["current"], v)
        forged = url.replace("paid=50000", "paid=60000")
        self.assertFalse(self.c.get("/api/receipts/verify?" + forged).json["genuine"])

    def test_partial_then_rest_reordered(self):
        inv = self.paid_invoice_fixture(90000)
        ref = self.ref(inv)
        batch = [self.bank.transfer(a, f"{ref} dot {i}") for i, a in enumerate((30000, 60000))]
        results = self.bank.deliver_shuffled(batch, seed=3)
        self.assertTrue(all(s == 200 for _, s, _ in results))
        after = self.read(inv["id"])
        self.assertEqual(after["status"], "balanced")
        self.assertEqual(self.paid(after), 90000)

    def test_overpayment_unmatched_refund_and_day_report(self):
        inv = self.paid_invoice_fixture(40000)
        status, over = self.bank.send(self.bank.transfer(45000, self.ref(inv)))
        self.assertEqual((status, over["outcome"]), (200, "partial"))
        status, lost = self.bank.send(self.bank.transfer(12345, "chuyen tien khong ghi ma"))
        self.assertEqual((status, lost["outcome"]), (200, "error"))
        work = self.c.get("PaymentReconciliation?outcome=error,partial&_count=100").json
        ids = {e["resource"]["id"] for e in work.get("entry", [])}
        self.assertIn(over["reconciliation"], ids)
        self.assertIn(lost["reconciliation"], ids)
        r = self.c.post(f"Invoice/{inv['id']}/$refund", {"resourceType": "Parameters", "parameter": [
            {"name": "amount", "valueInteger": 5000}, {"name": "method", "valueCode": "cash"}]})
        self.assertStatus(r, 200)
        after = self.read(inv["id"])
        self.assertEqual((after["status"], self.paid(after)), ("balanced", 40000))
        too_much = self.c.post(f"Invoice/{inv['id']}/$refund", {"resourceType": "Parameters",
                               "parameter": [{"name": "amount", "valueInteger": 99999999}]})
        self.assertOutcome(too_much, 422)
        # A deposit at the desk, then the day report (cash counted right, then short).
        inv2 = self.paid_invoice_fixture(70000)
        dep = self.c.post(f"Invoice/{inv2['id']}/$pay", {"resourceType": "Parameters", "parameter": [
            {"name": "amount", "valueInteger": 20000}, {"name": "method", "valueCode": "cash"},
            {"name": "kind", "valueCode": "deposit"}]})
        self.assertStatus(dep, 200)
        self.assertEqual(param(dep.json, "status"), "issued")
        day = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=7)).date()
        rep = self.c.get(f"PaymentReconciliation/$day-report?date={day}").json
        cash = [m for m in parts(rep, "method") if m["code"] == "cash"][0]
        counted = int(cash["expected"])
        exact = self.c.get(f"PaymentReconciliation/$day-report?date={day}"
                           f"&received-cash={counted}").json
        self.assertTrue(param(exact, "balanced"), exact)  # the cash counted is what was taken
        short = self.c.get(f"PaymentReconciliation/$day-report?date={day}"
                           f"&received-cash={counted - 1000}").json
        self.assertFalse(param(short, "balanced"))
        cash = [m for m in parts(short, "method") if m["code"] == "cash"][0]
        self.assertEqual(int(cash["difference"]), -1000)
        items = parts(rep, "item")
        self.assertTrue(any(i["outcome"] == "error" for i in items))
        vq = [m for m in parts(rep, "method") if m["code"] == "vietqr"][0]
        self.assertEqual(int(vq["expected"]), int(vq["applied"]) + int(vq["unapplied"]))

    def test_stream_delivers_status_change(self):
        inv = self.paid_invoice_fixture(25000)
        s = socket.create_connection(("127.0.0.1", self.server.port), timeout=20)
        s.sendall((f"GET /api/invoices/{inv['id']}/stream HTTP/1.1\r\nHost: x\r\n"
                   f"Authorization: Bearer {self.server.token}\r\n\r\n").encode())
        buf = b""
        while b'"status":"issued"' not in buf:
            chunk = s.recv(4096)
            self.assertTrue(chunk, buf)
            buf += chunk
        self.assertIn(b"text/event-stream", buf)
        status, _ = self.bank.send(self.bank.transfer(25000, self.ref(inv)))
        self.assertEqual(status, 200)
        while b'"status":"balanced"' not in buf:
            chunk = s.recv(4096)
            self.assertTrue(chunk, buf)
            buf += chunk
        s.close()
        anonymous = self.server.client(token="")
        self.addCleanup(anonymous.close)
        self.assertEqual(anonymous.get(f"/api/invoices/{inv['id']}/stream").status, 401)


if __name__ == "__main__":
    unittest.main()
