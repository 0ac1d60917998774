"""Billing end to end (docs/implementation/billing.md): an encounter's Invoice from its
ChargeItems, priced from the facility price list and split by the claims rules (card level,
route, the 15 % of base salary rule, scope) to the đồng, its VietQR decoded back by `healthbook vietqr
decode`, bank notifications from the simulated bank (tests/simulators/bank_sim.py): signed,
tampered, replayed, partial, over and unmatched; refunds, receipts and their verification, the
day report, and the live invoice stream. Invoices per day (one for a patient's outpatient visits
of the day, asked for or as the facility is set up), work-list transfers assigned by hand to
an invoice (or moved off the wrong one), and invoices cancelled by the cashier (Invoice/$cancel:
only without money on them; their visits are billed again; no money lands on them)."""

import datetime
import json
import os
import socket
import sys
import time
import unittest

from harness import VN, ServerTestCase, run_cli, vn_date

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "simulators"))
from bank_sim import BankSim  # noqa: E402

SECRET = "it-secret-simbank"
SID = "https://fhir.healthbook.vn/sid/"
PRICE_LIST = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "resources",
                          "catalogs", "claims", "demo-price-list")


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
        # The facility price list, shared with claims (claims.price_list_dir).
        os.environ["HEALTHBOOK_CLAIMS_PRICE_LIST_DIR"] = PRICE_LIST
        super().setUpClass()
        cls.bank = BankSim("127.0.0.1", cls.server.port, "simbank", SECRET)

    # -- fixtures
    def encounter(self, card="GD4111234567890", cls="IMP", provider=None):
        """A visit at this facility (payments.facility_code 11011, a district-level facility
        when the encounter names no provider), or at `provider` (an Organization id)."""
        pid, _ = self.create({"resourceType": "Patient", "name": [{"text": "Lò Văn Bình"}]})
        if card:
            self.create({"resourceType": "Coverage", "status": "active",
                         "identifier": [{"system": SID + "bhyt-card", "value": card}],
                         "subscriberId": card,
                         "beneficiary": {"reference": f"Patient/{pid}"},
                         "payor": [{"display": "Bảo hiểm xã hội Việt Nam"}]})
        enc = {"resourceType": "Encounter", "status": "in-progress",
               "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": cls},
               "subject": {"reference": f"Patient/{pid}"}}
        if provider:
            enc["serviceProvider"] = {"reference": f"Organization/{provider}"}
        eid, _ = self.create(enc)
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
        pid, eid = self.encounter(card=None)
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

    def visit(self, pid, cls="AMB", start=None):
        """Another visit of `pid`, starting at `start` (an aware datetime; now by default)."""
        start = start or datetime.datetime.now(VN)
        eid, _ = self.create({
            "resourceType": "Encounter", "status": "in-progress",
            "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": cls},
            "subject": {"reference": f"Patient/{pid}"},
            "period": {"start": start.isoformat(timespec="seconds")}})
        return eid

    def encounters_of(self, inv):
        return [i["value"] for i in inv["identifier"] if i["system"].endswith("invoice-encounter")]

    def day_of(self, inv):
        return next((i["value"] for i in inv["identifier"] if i["system"].endswith("invoice-day")), None)

    def invoice_per(self, eid, per, client=None):
        return (client or self.c).post(f"Encounter/{eid}/$invoice", {
            "resourceType": "Parameters", "parameter": [{"name": "per", "valueCode": per}]})

    def assign(self, rec, inv_id, reason=None, client=None):
        params = [{"name": "invoice", "valueReference": {"reference": f"Invoice/{inv_id}"}}]
        if reason:
            params.append({"name": "reason", "valueString": reason})
        return (client or self.c).post(f"PaymentReconciliation/{rec}/$assign",
                                       {"resourceType": "Parameters", "parameter": params})

    # -- tests
    def test_invoice_split_exact(self):
        pid, eid = self.encounter()                   # level 4 (80 %), in network, inpatient
        self.charge(pid, eid, "KB")                   # 39 800 (this facility's row)
        self.charge(pid, eid, "T-PARA500", qty=10)    # 10 x 195
        self.charge(pid, eid, "VT-KIMLUON")           # 9 500
        self.charge(pid, eid, "GIUONG-NOI", qty=2)    # 2 x 179 100
        self.charge(pid, eid, "SA-YC", price=150000)  # outside the price list: not covered
        inv = self.invoice(eid)
        # In scope 409 450 (over 15 % of the 2 340 000 base salary): the fund pays 80 %.
        self.assertEqual(inv["totalGross"]["value"], 559450)
        self.assertEqual(inv["totalNet"]["value"], 231890)  # 150 000 + 20 % of 409 450
        ins = [c for c in inv["totalPriceComponent"] if c["type"] == "deduction"][0]
        self.assertEqual(ins["amount"]["value"], 327560)
        self.assertEqual(inv["status"], "issued")
        lines = {li["chargeItemReference"]["display"].split()[0]:
                 {c["code"]["coding"][0]["code"]: c["amount"]["value"] for c in li["priceComponent"]}
                 for li in inv["lineItem"]}
        self.assertEqual(lines["KB"], {"gross": 39800, "insurance": 31840, "patient": 7960})
        self.assertEqual(lines["SA-YC"], {"gross": 150000, "insurance": 0, "patient": 150000})
        # Refreshing keeps the id and reference; a new charge is added.
        self.charge(pid, eid, "KB")
        again = self.invoice(eid)
        self.assertEqual(again["id"], inv["id"])
        self.assertEqual(self.ref(again), self.ref(inv))
        self.assertEqual(again["totalNet"]["value"], 231890 + 7960)

    def test_small_bills_in_network_paid_in_full(self):
        pid, eid = self.encounter(card="GD4111234567890", cls="AMB")
        self.charge(pid, eid, "KB")  # under 15 % of the base salary: MUC_HUONG 100
        inv = self.invoice(eid)
        self.assertEqual(inv["totalNet"]["value"], 0)
        self.assertEqual(inv["status"], "balanced")

    def test_out_of_network_outpatient_at_the_province(self):
        org, _ = self.create({"resourceType": "Organization", "name": "Bệnh viện Đa khoa tỉnh",
                              "identifier": [{"system": SID + "facility", "value": "11001"}],
                              "type": [{"text": "Bệnh viện tuyến tỉnh"}]})
        pid, eid = self.encounter(cls="AMB", provider=org)
        self.charge(pid, eid, "KB")  # the province's own row: 50 600
        inv = self.invoice(eid)
        self.assertEqual(inv["totalGross"]["value"], 50600)
        self.assertEqual(inv["totalNet"]["value"], 50600)  # MA_DOITUONG_KCB 3: not covered
        ins = [c for c in inv["totalPriceComponent"] if c["type"] == "deduction"][0]
        self.assertEqual(ins["amount"]["value"], 0)

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

    def test_receipt_and_vietqr_only_for_who_may_see_the_invoice(self):
        inv = self.paid_invoice_fixture(54000)
        owner = inv["subject"]["reference"].split("/")[1]
        stranger, _ = self.create({"resourceType": "Patient", "name": [{"text": "Cà Thị Lạ"}]})
        mint = self.server.mint_token
        mine = self.server.client(token=mint("patient/*.rs", "--role", "citizen", "--patient", owner))
        other = self.server.client(token=mint("patient/*.rs", "--role", "citizen", "--patient", stranger))
        far = self.server.client(token=mint("user/*.cruds", "--role", "cashier", "--facility", "11099"))
        try:
            for op in ("$receipt", "$vietqr"):
                for who in (other, far):
                    r = who.get(f"Invoice/{inv['id']}/{op}")
                    self.assertStatus(r, 403)
                    self.assertEqual(r.json["resourceType"], "OperationOutcome")
                    self.assertNotIn("54000", r.text)
                self.assertStatus(mine.get(f"Invoice/{inv['id']}/{op}"), 200)
        finally:
            for c in (mine, other, far):
                c.close()

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
        day = vn_date()
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

    def test_day_report_against_the_bank_statement(self):
        inv = self.paid_invoice_fixture(64000)
        status, _ = self.bank.send(self.bank.transfer(64000, self.ref(inv)))
        self.assertEqual(status, 200)
        day = vn_date()
        # The bank's statement of the day: every transfer it notified us of...
        notices = self.c.get("PaymentNotice?_count=1000").json.get("entry", [])
        lines = [(n["resource"]["identifier"][0]["value"].split(":", 1)[1], n["resource"]["amount"]["value"])
                 for n in notices if n["resource"]["identifier"][0]["value"].startswith("simbank:")]
        self.assertTrue(lines)
        body = "Ngày giao dịch;Số tham chiếu;Ghi nợ;Ghi có;Nội dung\r\n" + "".join(
            f"{day.strftime('%d/%m/%Y')};{t};;{a:,}".replace(",", ".") + ";CK\r\n" for t, a in lines)

        def report(statement):
            r = self.c.post("PaymentReconciliation/$day-report", {"resourceType": "Parameters", "parameter": [
                {"name": "date", "valueDate": str(day)}, {"name": "statement", "valueString": statement}]})
            self.assertStatus(r, 200)
            return r.json

        clean = report(body)
        st = parts(clean, "statement")[0]
        self.assertEqual(int(st["matched"]), len(lines))
        self.assertEqual(int(st["total"]), sum(a for _, a in lines))
        vq = [m for m in parts(clean, "method") if m["code"] == "vietqr"][0]
        self.assertEqual((int(vq["received"]), vq["counted"]), (int(vq["expected"]), True))
        self.assertTrue(param(clean, "balanced"), clean)
        # ...and one it never notified: the day does not balance, and the line is named.
        extra = report(body + f"{day.strftime('%d/%m/%Y')};FT-NEVER-SENT;;12.345;CK\r\n")
        self.assertFalse(param(extra, "balanced"))
        st = [p for p in extra["parameter"] if p["name"] == "statement"][0]
        missing = [q["valueString"] for q in st["part"] if q["name"] == "not-recorded"]
        self.assertEqual(missing, ["FT-NEVER-SENT 12345"])
        vq = [m for m in parts(extra, "method") if m["code"] == "vietqr"][0]
        self.assertEqual(int(vq["difference"]), 12345)
        bad = self.c.post("PaymentReconciliation/$day-report", {"resourceType": "Parameters", "parameter": [
            {"name": "date", "valueDate": str(day)}, {"name": "statement", "valueString": "a,b\n1,2\n"}]})
        self.assertOutcome(bad, 400)

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

    # -- per day
    def test_day_invoice_gathers_the_days_outpatient_visits(self):
        pid, _ = self.encounter(card="GD4111234567890", cls="AMB")  # the patient and the card
        first = self.visit(pid)
        self.charge(pid, first, "KB")                          # 39 800 in scope: BHYT pays all
        second = self.visit(pid)
        self.charge(pid, second, "SA-YC", price=150000)        # out of scope: the patient's
        own = self.visit(pid)                                  # billed on its own first: stays
        self.charge(pid, own, "KB")
        ward = self.visit(pid, cls="IMP")                      # an admission: never per day
        self.charge(pid, ward, "KB")
        yesterday = self.visit(pid, start=datetime.datetime.now(VN) - datetime.timedelta(days=1))
        self.charge(pid, yesterday, "KB")
        r = self.invoice_per(own, "encounter")
        self.assertStatus(r, 201)
        own_inv = r.json
        self.assertIsNone(self.day_of(own_inv))

        r = self.invoice_per(first, "day")
        self.assertStatus(r, 201)
        day = r.json
        today = vn_date().isoformat()
        self.assertEqual(self.day_of(day), f"{pid}/{today}")
        self.assertEqual(sorted(self.encounters_of(day)), sorted([first, second]))
        # Each visit priced as its own claim, then added: 39 800 paid by BHYT (under 15 % of
        # the base salary), 150 000 outside the scope.
        self.assertEqual(day["totalGross"]["value"], 189800)
        self.assertEqual(day["totalNet"]["value"], 150000)
        ins = [c for c in day["totalPriceComponent"] if c["type"] == "deduction"][0]
        self.assertEqual(ins["amount"]["value"], 39800)
        self.assertEqual(len(day["lineItem"]), 2)

        # Any visit on it refreshes it; a later visit of the day joins it (same reference).
        r = self.c.post(f"Encounter/{second}/$invoice", {"resourceType": "Parameters"})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["id"], day["id"])
        late = self.visit(pid)
        self.charge(pid, late, "SA-YC", price=20000)
        r = self.invoice_per(late, "day")
        self.assertStatus(r, 200)
        self.assertEqual((r.json["id"], self.ref(r.json)), (day["id"], self.ref(day)))
        day = r.json
        self.assertEqual(len(self.encounters_of(day)), 3)
        self.assertEqual(day["totalNet"]["value"], 170000)
        # The one billed on its own invoice stays there, and so does yesterday's visit.
        self.assertNotIn(own, self.encounters_of(day))
        self.assertEqual(self.c.post(f"Encounter/{own}/$invoice", {"resourceType": "Parameters"})
                         .json["id"], own_inv["id"])
        r = self.invoice_per(yesterday, "day")
        self.assertStatus(r, 201)
        self.assertNotEqual(r.json["id"], day["id"])
        self.assertEqual(self.encounters_of(r.json), [yesterday])
        # An admission is billed per encounter (deposits, settlement at discharge).
        self.assertOutcome(self.invoice_per(ward, "day"), 422, mentions=["inpatient"])
        self.assertOutcome(self.invoice_per(ward, "week"), 400, mentions=["per"])

        # QR, bank transfer, receipt and day report work on it as on any invoice.
        qr = self.c.get(f"Invoice/{day['id']}/$vietqr")
        self.assertStatus(qr, 200)
        self.assertEqual(param(qr.json, "amount"), 170000)
        status, paid = self.bank.send(self.bank.transfer(170000, f"CK {self.ref(day)} vien phi"))
        self.assertEqual((status, paid["outcome"], paid["invoice"]), (200, "complete", day["id"]))
        after = self.read(day["id"])
        self.assertEqual((after["status"], self.paid(after)), ("balanced", 170000))
        receipt = self.c.get(f"Invoice/{day['id']}/$receipt")
        self.assertStatus(receipt, 200)
        self.assertIn("170.000", receipt.text)
        rep = self.c.get(f"PaymentReconciliation/$day-report?date={today}").json
        vq = [m for m in parts(rep, "method") if m["code"] == "vietqr"][0]
        self.assertGreaterEqual(int(vq["applied"]), 170000)
        # A later charge on a paid day's invoice reopens it for the difference only.
        self.charge(pid, second, "SA-YC", price=5000)
        again = self.c.post(f"Encounter/{first}/$invoice", {"resourceType": "Parameters"}).json
        self.assertEqual((again["id"], again["status"], self.paid(again)), (day["id"], "issued", 170000))
        self.assertEqual(again["totalNet"]["value"], 175000)

    # -- transfers assigned by hand
    def test_unmatched_transfer_assigned_to_the_patients_invoice(self):
        # The cashier's facility (11011) treats the patient: a care relationship.
        found = self.c.get(f"Organization?identifier={SID}facility|11011").json.get("entry", [])
        org = found[0]["resource"]["id"] if found else self.create({
            "resourceType": "Organization", "name": "Bệnh viện Đa khoa tỉnh Điện Biên",
            "identifier": [{"system": SID + "facility", "value": "11011"}]})[0]
        pid, eid = self.encounter(card=None, cls="AMB", provider=org)
        self.charge(pid, eid, "SA-YC", price=60000)
        cashier = self.server.client(token=self.server.mint_token(
            "user/*.cruds", "--role", "cashier", "--facility", "11011"))
        self.addCleanup(cashier.close)
        r = cashier.post(f"Encounter/{eid}/$invoice", {"resourceType": "Parameters"})
        self.assertStatus(r, 201)
        inv = r.json
        status, lost = self.bank.send(self.bank.transfer(25000, "LO VAN BINH chuyen tien vien phi"))
        self.assertEqual((status, lost["outcome"], lost["invoice"]), (200, "error", ""))
        rec = lost["reconciliation"]

        r = self.assign(rec, inv["id"], "người nhà gọi điện xác nhận", client=cashier)
        self.assertStatus(r, 200)
        self.assertEqual(param(r.json, "outcome"), "complete")
        self.assertEqual(param(r.json, "applied"), 25000)
        self.assertEqual(param(r.json, "balance"), 35000)
        self.assertFalse(param(r.json, "unchanged"))
        after = self.read(inv["id"])
        self.assertEqual((after["status"], self.paid(after)), ("issued", 25000))
        stored = self.c.get(f"PaymentReconciliation/{rec}").json
        self.assertEqual(stored["outcome"], "complete")
        self.assertEqual(stored["detail"][0]["request"]["reference"], f"Invoice/{inv['id']}")
        self.assertEqual(stored["detail"][0]["amount"]["value"], 25000)
        history = stored["detail"][1]
        self.assertEqual(history["type"]["coding"][0]["code"], "adjustment")
        subs = {e["url"]: e for e in history["extension"][0]["extension"]}
        self.assertIn("(cashier)", subs["by"]["valueString"])
        self.assertEqual(subs["reason"]["valueString"], "người nhà gọi điện xác nhận")
        self.assertEqual(subs["to"]["valueReference"]["reference"], f"Invoice/{inv['id']}")
        self.assertNotIn("from", subs)
        work = self.c.get("PaymentReconciliation?outcome=error&_count=1000").json
        self.assertNotIn(rec, {e["resource"]["id"] for e in work.get("entry", [])})
        # The notice follows the money: the receipt lists it.
        notices = self.c.get(f"PaymentNotice?request=Invoice/{inv['id']}").json.get("entry", [])
        self.assertEqual([n["resource"]["amount"]["value"] for n in notices], [25000])
        self.assertIn("25.000", self.c.get(f"Invoice/{inv['id']}/$receipt").text)
        # Audited: the patient's trail names the reconciliation.
        deadline = time.monotonic() + 30
        while True:
            trail = self.c.get(f"AuditEvent?patient={pid}&_count=1000").json.get("entry", [])
            hit = [a for a in trail if any(e.get("what", {}).get("reference") == f"PaymentReconciliation/{rec}"
                                           for e in a["resource"].get("entity", []))]
            if hit or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.assertTrue(hit, "no audit record of the assignment")
        # Once more: nothing changes.
        r = self.assign(rec, inv["id"], client=cashier)
        self.assertStatus(r, 200)
        self.assertTrue(param(r.json, "unchanged"))
        self.assertEqual(self.paid(self.read(inv["id"])), 25000)

        # More than is open: the rest is a credit, as for a matched overpayment.
        status, more = self.bank.send(self.bank.transfer(50000, "chuyen khoan"))
        r = self.assign(more["reconciliation"], inv["id"], client=cashier)
        self.assertStatus(r, 200)
        self.assertEqual((param(r.json, "outcome"), param(r.json, "applied"),
                          param(r.json, "unapplied"), param(r.json, "balance")),
                         ("partial", 35000, 15000, -15000))
        self.assertEqual(self.read(inv["id"])["status"], "balanced")
        # Nothing open any more, a refund, an unknown invoice, no invoice: refused.
        status, third = self.bank.send(self.bank.transfer(1000, "?"))
        self.assertOutcome(self.assign(third["reconciliation"], inv["id"]), 422, mentions=["nothing left"])
        ref = self.c.post(f"Invoice/{inv['id']}/$refund", {"resourceType": "Parameters", "parameter": [
            {"name": "amount", "valueInteger": 15000}, {"name": "method", "valueCode": "cash"}]})
        self.assertStatus(ref, 200)
        other = self.paid_invoice_fixture(9000)
        self.assertOutcome(self.assign(param(ref.json, "reconciliation")["reference"].split("/")[1],
                                       other["id"]), 422, mentions=["refund"])
        self.assertOutcome(self.assign(third["reconciliation"], "no-such-invoice"), 404)
        self.assertOutcome(self.c.post(f"PaymentReconciliation/{third['reconciliation']}/$assign",
                                       {"resourceType": "Parameters"}), 400, mentions=["invoice"])
        self.assertOutcome(self.assign("no-such-rec", other["id"]), 404)
        # The day still adds up: every đồng received is applied or unapplied.
        today = vn_date().isoformat()
        rep = self.c.get(f"PaymentReconciliation/$day-report?date={today}").json
        vq = [m for m in parts(rep, "method") if m["code"] == "vietqr"][0]
        self.assertEqual(int(vq["expected"]), int(vq["applied"]) + int(vq["unapplied"]))

    def test_transfer_matched_to_the_wrong_invoice_is_moved(self):
        wrong = self.paid_invoice_fixture(30000)
        right = self.paid_invoice_fixture(30000)
        status, n = self.bank.send(self.bank.transfer(30000, self.ref(wrong)))
        self.assertEqual((status, n["invoice"]), (200, wrong["id"]))
        self.assertEqual(self.read(wrong["id"])["status"], "balanced")
        r = self.assign(n["reconciliation"], right["id"], "khách ghi nhầm mã hóa đơn")
        self.assertStatus(r, 200)
        self.assertEqual(param(r.json, "from")["reference"], f"Invoice/{wrong['id']}")
        self.assertEqual(param(r.json, "from-status"), "issued")
        self.assertEqual(param(r.json, "from-balance"), 30000)
        w, g = self.read(wrong["id"]), self.read(right["id"])
        self.assertEqual((w["status"], self.paid(w)), ("issued", 0))
        self.assertEqual((g["status"], self.paid(g)), ("balanced", 30000))
        stored = self.c.get(f"PaymentReconciliation/{n['reconciliation']}").json
        subs = {e["url"]: e for e in stored["detail"][-1]["extension"][0]["extension"]}
        self.assertEqual(subs["from"]["valueReference"]["reference"], f"Invoice/{wrong['id']}")
        self.assertEqual(self.c.get(f"PaymentNotice?request=Invoice/{wrong['id']}").json.get("total", 0), 0)
        # A replay of the bank's notification still counts once, on the right invoice.
        status, again = self.bank.send(self.bank.sent[-1][0])
        self.assertTrue(again["duplicate"])
        self.assertEqual(self.paid(self.read(right["id"])), 30000)
        self.assertEqual(self.paid(self.read(wrong["id"])), 0)

    # -- cancellation
    def facility_org(self):
        found = self.c.get(f"Organization?identifier={SID}facility|11011").json.get("entry", [])
        return found[0]["resource"]["id"] if found else self.create({
            "resourceType": "Organization", "name": "Bệnh viện Đa khoa tỉnh Điện Biên",
            "identifier": [{"system": SID + "facility", "value": "11011"}]})[0]

    def cancel(self, inv_id, reason=None, client=None):
        params = [{"name": "reason", "valueString": reason}] if reason is not None else []
        return (client or self.c).post(f"Invoice/{inv_id}/$cancel",
                                       {"resourceType": "Parameters", "parameter": params})

    def money(self, inv_id, op, amount, client=None):
        return (client or self.c).post(f"Invoice/{inv_id}/${op}", {"resourceType": "Parameters", "parameter": [
            {"name": "amount", "valueInteger": amount}, {"name": "method", "valueCode": "cash"}]})

    def test_cancelled_invoice_frees_its_visits_and_takes_no_money(self):
        org = self.facility_org()
        pid, _ = self.create({"resourceType": "Patient", "name": [{"text": "Quàng Thị Hoa"}]})
        # both visits on today's date in Điện Biên (now + 5 min could be tomorrow's)
        now = datetime.datetime.now(VN).replace(hour=10, minute=0, second=0, microsecond=0)
        visits = []
        for minutes, price in ((0, 60000), (5, 40000)):
            eid, _ = self.create({
                "resourceType": "Encounter", "status": "in-progress",
                "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
                "subject": {"reference": f"Patient/{pid}"},
                "serviceProvider": {"reference": f"Organization/{org}"},
                "period": {"start": (now + datetime.timedelta(minutes=minutes)).isoformat(timespec="seconds")}})
            self.charge(pid, eid, "SA-YC", price=price)
            visits.append(eid)
        first, second = visits
        mint = self.server.mint_token
        cashier = self.server.client(token=mint("user/*.cruds", "--role", "cashier", "--facility", "11011"))
        doctor = self.server.client(token=mint("user/*.cruds", "--role", "doctor", "--facility", "11011"))
        self.addCleanup(cashier.close)
        self.addCleanup(doctor.close)
        r = self.invoice_per(first, "encounter", client=cashier)  # the first visit on its own
        self.assertStatus(r, 201)
        own = r.json
        # Its own invoice keeps it off the day's invoice, as long as it is in force.
        r = self.invoice_per(second, "day", client=cashier)
        self.assertStatus(r, 201)
        self.assertEqual(self.encounters_of(r.json), [second])
        day = r.json

        # Money on it: refused until refunded; without a reason, or by a doctor: refused.
        self.assertStatus(self.money(own["id"], "pay", 20000, client=cashier), 200)
        self.assertOutcome(self.cancel(own["id"], "lập nhầm", client=cashier), 422,
                           mentions=["$refund"])
        self.assertEqual(self.read(own["id"])["status"], "issued")
        self.assertStatus(self.money(own["id"], "refund", 20000, client=cashier), 200)
        self.assertOutcome(self.cancel(own["id"], client=cashier), 400, mentions=["reason"])
        self.assertOutcome(self.cancel(own["id"], "   ", client=cashier), 400, mentions=["reason"])
        self.assertOutcome(self.cancel(own["id"], "x" * 501, client=cashier), 400, mentions=["500"])
        self.assertOutcome(self.cancel(own["id"], "lập nhầm", client=doctor), 403, mentions=["cashier"])
        self.assertOutcome(self.cancel("no-such-invoice", "lập nhầm", client=cashier), 404)

        r = self.cancel(own["id"], "Lập riêng nhầm, gộp vào hóa đơn ngày", client=cashier)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["status"], "cancelled")
        self.assertEqual(r.json["cancelledReason"], "Lập riêng nhầm, gộp vào hóa đơn ngày")
        self.assertIn("(cashier)", r.json["note"][-1]["authorString"])
        self.assertEqual(self.read(own["id"])["status"], "cancelled")
        self.assertIn("ĐÃ HỦY", cashier.get(f"Invoice/{own['id']}/$receipt").text)
        far = self.server.client(token=mint("user/*.cruds", "--role", "cashier", "--facility", "11099"))
        self.addCleanup(far.close)
        self.assertOutcome(self.cancel(day["id"], "không phải của cơ sở", client=far), 403)
        self.assertEqual(self.read(day["id"])["status"], "issued")
        self.assertStatus(self.cancel(own["id"], "lần nữa", client=cashier), 200)  # a repeated click
        self.assertEqual(self.read(own["id"])["cancelledReason"], "Lập riêng nhầm, gộp vào hóa đơn ngày")

        # No money lands on it: the desk is told, a transfer quoting it goes to the work list.
        self.assertOutcome(self.money(own["id"], "pay", 60000, client=cashier), 422, mentions=["cancelled"])
        self.assertOutcome(cashier.get(f"Invoice/{own['id']}/$vietqr"), 422, mentions=["cancelled"])
        status, n = self.bank.send(self.bank.transfer(60000, f"{self.ref(own)} vien phi"))
        self.assertEqual((status, n["outcome"], n["invoice"]), (200, "error", ""))
        rec = self.c.get(f"PaymentReconciliation/{n['reconciliation']}").json
        self.assertIn("cancelled", rec["disposition"])
        self.assertIn(self.ref(own), rec["disposition"])
        self.assertOutcome(self.assign(n["reconciliation"], own["id"], client=cashier), 422,
                           mentions=["cancelled"])
        self.assertEqual(self.paid(self.read(own["id"])), 0)

        # Its visit joins the day's invoice now; the day's reference and id stay.
        r = self.invoice_per(first, "day", client=cashier)
        self.assertStatus(r, 200)
        self.assertEqual(r.json["id"], day["id"])
        self.assertEqual(sorted(self.encounters_of(r.json)), sorted([first, second]))
        self.assertEqual(r.json["totalNet"]["value"], 100000)
        self.assertEqual(self.ref(r.json), self.ref(day))
        # The transfer goes to the work list's right invoice by hand, as any unmatched one.
        r = self.assign(n["reconciliation"], day["id"], "mã hóa đơn đã hủy", client=cashier)
        self.assertStatus(r, 200)
        self.assertEqual(param(r.json, "balance"), 40000)

        # Audited: the patient's trail names the cancelled invoice.
        deadline = time.monotonic() + 30
        while True:
            trail = self.c.get(f"AuditEvent?patient={pid}&_count=1000").json.get("entry", [])
            hit = [a for a in trail if any(e.get("what", {}).get("reference") == f"Invoice/{own['id']}"
                                           for e in a["resource"].get("entity", []))
                   and "cancel-invoice" in json.dumps(a["resource"])]
            if hit or time.monotonic() > deadline:
                break
            time.sleep(0.1)
        self.assertTrue(hit, "no audit record of the cancellation")

    def test_cancelled_day_invoice_lets_each_visit_be_billed_alone(self):
        org = self.facility_org()
        pid, _ = self.create({"resourceType": "Patient", "name": [{"text": "Lường Văn Sơn"}]})
        now = datetime.datetime.now(VN).isoformat(timespec="seconds")
        visits = []
        for _ in range(2):
            eid, _ = self.create({
                "resourceType": "Encounter", "status": "in-progress",
                "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
                "subject": {"reference": f"Patient/{pid}"},
                "serviceProvider": {"reference": f"Organization/{org}"}, "period": {"start": now}})
            self.charge(pid, eid, "SA-YC", price=30000)
            visits.append(eid)
        r = self.invoice_per(visits[0], "day")
        self.assertStatus(r, 201)
        day = r.json
        self.assertEqual(len(self.encounters_of(day)), 2)
        self.assertStatus(self.cancel(day["id"], "bệnh nhân xin tách hóa đơn"), 200)  # an operator
        for eid in visits:
            r = self.invoice_per(eid, "encounter")
            self.assertStatus(r, 201)
            self.assertEqual(self.encounters_of(r.json), [eid])
            self.assertNotEqual(self.ref(r.json), self.ref(day))
        # The patient's invoices: the cancelled one is kept for the record.
        mine = self.c.get(f"Invoice?subject=Patient/{pid}").json.get("entry", [])
        self.assertEqual(sorted(e["resource"]["status"] for e in mine), ["cancelled", "issued", "issued"])


class FacilityBilledPerDayTest(ServerTestCase):
    """payments.invoice_per = day (a commune station): one invoice for the day's visits."""

    @classmethod
    def setUpClass(cls):
        os.environ["HEALTHBOOK_PAYMENTS_INVOICE_PER"] = "day"
        os.environ["HEALTHBOOK_CLAIMS_PRICE_LIST_DIR"] = PRICE_LIST
        try:
            super().setUpClass()
        finally:
            del os.environ["HEALTHBOOK_PAYMENTS_INVOICE_PER"]

    def test_visits_of_the_day_share_one_invoice(self):
        pid, _ = self.create({"resourceType": "Patient", "name": [{"text": "Mùa A Dế"}]})
        now = datetime.datetime.now(VN).isoformat(timespec="seconds")

        def visit(cls="AMB"):
            eid, _ = self.create({
                "resourceType": "Encounter", "status": "in-progress",
                "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": cls},
                "subject": {"reference": f"Patient/{pid}"}, "period": {"start": now}})
            self.create({"resourceType": "ChargeItem", "status": "billable",
                         "code": {"coding": [{"system": "https://fhir.healthbook.vn/sid/price-list", "code": "KB"}]},
                         "subject": {"reference": f"Patient/{pid}"},
                         "context": {"reference": f"Encounter/{eid}"}, "quantity": {"value": 1}})
            return eid

        morning, afternoon, admitted, separate = visit(), visit(), visit("IMP"), visit()
        r = self.c.post(f"Encounter/{morning}/$invoice", {"resourceType": "Parameters"})
        self.assertStatus(r, 201)
        ids = [i["value"] for i in r.json["identifier"] if i["system"].endswith("invoice-encounter")]
        self.assertEqual(sorted(ids), sorted([morning, afternoon, separate]))
        self.assertEqual(r.json["totalNet"]["value"], 3 * 39800)  # no card: the patient pays
        self.assertStatus(self.c.post(f"Encounter/{afternoon}/$invoice", {"resourceType": "Parameters"}), 200)
        r = self.c.post(f"Encounter/{admitted}/$invoice", {"resourceType": "Parameters"})
        self.assertStatus(r, 201)
        self.assertFalse(any(i["system"].endswith("invoice-day") for i in r.json["identifier"]))
        # A visit asked for on its own, before the day's invoice gathers it.
        other_day = visit()
        r = self.c.post(f"Encounter/{other_day}/$invoice", {"resourceType": "Parameters", "parameter": [
            {"name": "per", "valueCode": "encounter"}]})
        self.assertStatus(r, 201)
        self.assertEqual([i["value"] for i in r.json["identifier"] if i["system"].endswith("invoice-encounter")],
                         [other_day])


if __name__ == "__main__":
    unittest.main()
