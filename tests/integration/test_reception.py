"""Patient reception: scanning a card ($identify), the insurance check (against the
card-history simulator, tests/simulators/card_history.py), queues ($start-visit,
$call-next, $queue), patient matching ($match), duplicates and merging ($duplicates,
$merge, $unmerge). Contracts: docs/implementation/reception.md.

Each class starts its own server with facilities A (11001) and B (11002); tokens are minted
per role as test_access.py does. Python 3 standard library only.
"""

import concurrent.futures
import datetime
import json
import os
import subprocess
import sys
import unicodedata
import unittest
import urllib.request

from harness import ServerTestCase, clear_of_vn_midnight, parse_location, strip_server_meta, vn_date

SID = "https://fhir.healthbook.vn/sid/"
CODE_A, CODE_B = "11001", "11002"
SIMULATOR = os.path.join(os.path.dirname(__file__), "..", "simulators", "card_history.py")


def cccd_qr(cccd, name, birth="15031990", gender="Nam", old="", address="Xã Thanh Xương, "
            "Huyện Điện Biên, Điện Biên"):
    return f"{cccd}|{old}|{name}|{birth}|{gender}|{address}|20042021"


def bhyt_qr(card, name, birth="15/03/1990", gender="1", facility=CODE_A, valid_from=None,
            valid_to=None):
    y = vn_date().year
    valid_from = valid_from or f"01/01/{y}"
    valid_to = valid_to or f"31/12/{y}"
    return "|".join([card, name.encode().hex(), birth, gender, "Điện Biên".encode().hex(),
                     f"{facility} - Bệnh viện", valid_from, valid_to])


def params(**kw):
    out = []
    for name, value in kw.items():
        name = name.replace("_", "-") if name not in ("only_certain",) else "onlyCertainMatches"
        if isinstance(value, dict) and "resourceType" in value:
            out.append({"name": name, "resource": value})
        elif isinstance(value, dict):
            out.append(dict(value, name=name))
        elif isinstance(value, bool):
            out.append({"name": name, "valueBoolean": value})
        elif isinstance(value, int):
            out.append({"name": name, "valueInteger": value})
        else:
            out.append({"name": name, "valueString": value})
    return {"resourceType": "Parameters", "parameter": out}


def ref(reference):
    return {"valueReference": {"reference": reference}}


def values(parameters, name):
    return [p for p in parameters.get("parameter", []) if p["name"] == name]


def value(parameters, name):
    found = values(parameters, name)
    if not found:
        return None
    p = found[0]
    if "resource" in p:
        return p["resource"]
    if "part" in p:
        return p
    return next(v for k, v in p.items() if k.startswith("value"))


def part(p, name):
    return value({"parameter": p.get("part", [])}, name)


def patient(family, given, birth="1990-03-15", gender="male", **extra):
    p = {"resourceType": "Patient", "name": [{"family": family, "given": given}],
         "birthDate": birth, "gender": gender}
    p.update(extra)
    return p


class ReceptionTestCase(ServerTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.org_a = cls.make({"resourceType": "Organization", "name": "Bệnh viện A",
                              "identifier": [{"system": SID + "facility", "value": CODE_A}]})
        cls.org_b = cls.make({"resourceType": "Organization", "name": "Bệnh viện B",
                              "identifier": [{"system": SID + "facility", "value": CODE_B}]})
        cls.desk = cls.as_role("receptionist", CODE_A)
        cls.desk_b = cls.as_role("receptionist", CODE_B)

    @classmethod
    def make(cls, resource):
        r = cls.c.post(resource["resourceType"], resource)
        if r.status != 201:
            raise AssertionError(r.describe())
        return parse_location(r.header("Location"))[1]

    @classmethod
    def as_role(cls, role, facility=None, scope="user/*.cruds"):
        args = ["--role", role] + (["--facility", facility] if facility else [])
        c = cls.server.client(token=cls.server.mint_token(scope, *args))
        cls.addClassCleanup(c.close)
        return c

    def identify(self, qr, client=None, status=200):
        r = (client or self.desk).post("Patient/$identify", params(qr=qr))
        self.assertStatus(r, status)
        return r.json

    def start_visit(self, pid, department, client=None, status=201, **kw):
        body = params(**kw)
        body["parameter"] += [dict(ref("Patient/" + pid), name="patient")]
        body["parameter"] += [{"name": "department", "valueString": department}]
        r = (client or self.desk).post("Encounter/$start-visit", body)
        self.assertStatus(r, status)
        return r.json


class IdentifyTest(ReceptionTestCase):
    def test_new_card_registers_then_finds_the_same_patient(self):
        qr = cccd_qr("011090100001", "LÒ VĂN AN", old="040100001")
        first = self.identify(qr)
        self.assertIs(value(first, "created"), True)
        p = value(first, "patient")
        self.assertEqual(p["name"][0]["text"], "Lò Văn An")
        systems = {i["system"]: i["value"] for i in p["identifier"]}
        self.assertEqual(systems[SID + "cccd"], "011090100001")
        self.assertEqual(systems[SID + "cmnd"], "040100001")
        self.assertEqual(p["managingOrganization"]["reference"], "Organization/" + self.org_a)
        self.assertEqual(part(value(first, "identity"), "kind"), "cccd")
        again = self.identify(qr)
        self.assertIs(value(again, "created"), False)
        self.assertEqual(value(again, "patient")["id"], p["id"])
        # The stored record is an ordinary Patient: searchable by its CCCD.
        self.assertEqual(self.search_ids("Patient?cccd=011090100001"), [p["id"]])

    def test_nfd_and_scanner_junk_find_the_same_patient(self):
        qr = cccd_qr("011090100002", "QUÀNG THỊ BÌNH", gender="Nữ")
        pid = value(self.identify(qr), "patient")["id"]
        for variant in (unicodedata.normalize("NFD", qr), "  \r\n" + qr + "|\r\n", "]Q1" + qr):
            got = self.identify(variant)
            self.assertIs(value(got, "created"), False, variant)
            self.assertEqual(value(got, "patient")["id"], pid)

    def test_bad_qr_is_refused_with_the_parsers_reason(self):
        r = self.desk.post("Patient/$identify", params(qr="01109012345|x|LO VAN A|15031990|Nam|x|"
                                                          "20042021"))
        self.assertOutcome(r, 400, mentions=["must be 12 digits"])
        self.assertOutcome(self.desk.post("Patient/$identify", params()), 400, mentions=["qr"])

    def test_probable_only_gives_candidates_and_registers_nothing(self):
        known = self.make(patient("Vàng", ["A", "Dính"], birth="1985-07-02"))
        before = len(self.search_ids("Patient?name=vang%20a%20dinh"))
        got = self.identify(cccd_qr("011085100003", "VÀNG A DÍNH", birth="02071985"))
        self.assertIs(value(got, "created"), False)
        self.assertIsNone(value(got, "patient"))
        cands = values(got, "candidates")
        self.assertEqual([part(c, "resource")["id"] for c in cands], [known])
        self.assertEqual(part(cands[0], "grade"), "probable")
        self.assertEqual(len(self.search_ids("Patient?name=vang%20a%20dinh")), before)

    def test_a_different_cccd_is_another_person(self):
        other = self.make(patient("Sùng", ["A", "Páo"], birth="1970-01-01", identifier=[
            {"system": SID + "cccd", "value": "011070100009"}]))
        got = self.identify(cccd_qr("011070100004", "SÙNG A PÁO", birth="01011970"))
        self.assertIs(value(got, "created"), True)
        self.assertNotEqual(value(got, "patient")["id"], other)

    def test_old_cmnd_on_the_card_matches_a_record_without_cccd(self):
        known = self.make(patient("Cầm", ["Văn", "Ơn"], identifier=[
            {"system": SID + "cmnd", "value": "040100005"}]))
        got = self.identify(cccd_qr("011090100005", "CẦM VĂN ƠN", old="040100005"))
        self.assertEqual(value(got, "patient")["id"], known)
        self.assertIs(value(got, "created"), False)

    def test_concurrent_scans_register_one_patient(self):
        qr = cccd_qr("011095100006", "LƯỜNG THỊ CHIẾN", birth="01021995", gender="Nữ")
        token = self.desk.token

        def scan(_):
            c = self.server.client(token=token)
            try:
                r = c.post("Patient/$identify", params(qr=qr))
                return r.status, value(r.json, "patient")["id"], value(r.json, "created")
            finally:
                c.close()

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            results = list(pool.map(scan, range(12)))
        self.assertEqual({s for s, _, _ in results}, {200})
        self.assertEqual(len({pid for _, pid, _ in results}), 1, results)
        self.assertEqual(sum(1 for _, _, created in results if created), 1)
        self.assertEqual(len(self.search_ids("Patient?cccd=011095100006")), 1)

    def test_only_reception_may_identify(self):
        qr = cccd_qr("011090100007", "TÒNG VĂN DŨNG")
        for role in ("lab-technician", "doctor"):
            r = self.as_role(role, CODE_A).post("Patient/$identify", params(qr=qr))
            self.assertOutcome(r, 403)
        citizen = self.as_role("citizen", scope="patient/*.rs")
        self.assertIn(citizen.post("Patient/$identify", params(qr=qr)).status, (401, 403))
        self.assertEqual(self.search_ids("Patient?cccd=011090100007"), [])
        self.identify(qr)

    def test_commune_health_worker_receives_patients(self):
        # A commune station has no receptionist: its health worker scans, registers and queues.
        self.make({"resourceType": "Organization", "name": "Trạm Y tế xã Thanh Xương",
                   "identifier": [{"system": SID + "facility", "value": "11096"}],
                   "type": [{"coding": [{"system": SID + "facility-level", "code": "4",
                                         "display": "Tuyến xã"}]}]})
        station = self.as_role("commune-health-worker", "11096")
        # The same role at a hospital registers nobody (the role is a station's).
        self.identify(cccd_qr("011090100018", "LÒ VĂN PÁO"),
                      client=self.as_role("commune-health-worker", CODE_A), status=403)
        self.assertEqual(self.search_ids("Patient?cccd=011090100018"), [])
        got = self.identify(cccd_qr("011090100017", "LÒ THỊ MAI"), client=station)
        self.assertTrue(value(got, "created"))
        pid = value(got, "patient")["id"]
        self.assertEqual(self.search_ids("Patient?cccd=011090100017"), [pid])
        visit = self.start_visit(pid, "TYT", client=station)
        self.assertEqual(value(visit, "number"), 1)


class InsuranceTest(ReceptionTestCase):
    @classmethod
    def setUpClass(cls):
        cls.sim = subprocess.Popen([sys.executable, SIMULATOR, "--port", "0"],
                                   stdout=subprocess.PIPE, text=True)
        cls.addClassCleanup(cls.sim.stdout.close)
        cls.addClassCleanup(cls.sim.wait)
        cls.addClassCleanup(cls.sim.terminate)
        port = int(cls.sim.stdout.readline().split()[-1])
        cls.sim_url = f"http://127.0.0.1:{port}"
        os.environ["HEALTHBOOK_RECEPTION_CARD_HISTORY_URL"] = cls.sim_url
        try:
            super().setUpClass()
        finally:
            del os.environ["HEALTHBOOK_RECEPTION_CARD_HISTORY_URL"]
        y = vn_date().year
        # The cards the service knows; any other one it answers 050 (no such card).
        cls.sim_cards({
            "DN4110100001000": {"maDKBD": CODE_A}, "TE1110100002000": {},
            "HT3110100007000": {}, "CN3110100008000": {}, "DN4110200003000": {},
            "HN2110200004000": {"maKetQua": "110", "ghiChu": "Thẻ đã thu hồi"},
            "GD4110200005000": {"maKetQua": "003", "maTheMoi": "GD4110200006000",
                                "gtTheTuMoi": f"01/01/{y}", "gtTheDenMoi": f"31/12/{y}"},
        })

    @classmethod
    def sim_cards(cls, cards):
        req = urllib.request.Request(cls.sim_url + "/_cards", json.dumps(cards).encode(),
                                     {"Content-Type": "application/json"})
        urllib.request.urlopen(req, timeout=5).read()

    def check(self, got):
        return value(got, "coverage"), value(got, "insurance")

    def test_in_network_card(self):
        got = self.identify(bhyt_qr("DN4110100001000", "GIÀNG A SÌNH", facility=CODE_A))
        cov, ins = self.check(got)
        self.assertIs(value(got, "created"), True)
        self.assertEqual(cov["status"], "active")
        self.assertEqual(cov["network"], CODE_A)
        self.assertEqual(cov["beneficiary"]["reference"], "Patient/" + value(got, "patient")["id"])
        self.assertEqual(cov["identifier"][0]["value"], "DN4110100001000")
        self.assertEqual({c["type"]["coding"][0]["code"]: c["value"] for c in cov["class"]},
                         {"group": "DN", "plan": "4"})
        self.assertTrue(cov["id"])
        self.assertIs(part(ins, "in-network"), True)
        self.assertEqual(part(ins, "benefit-percent"), 80)
        # The same card again the same day reuses the check.
        again = self.identify(bhyt_qr("DN4110100001000", "GIÀNG A SÌNH", facility=CODE_A))
        self.assertEqual(value(again, "coverage")["id"], cov["id"])

    def test_out_of_network_and_expired_cards(self):
        got = self.identify(bhyt_qr("TE1110100002000", "MÙA THỊ MỶ", gender="2",
                                    birth="01/06/2021", facility=CODE_B))
        cov, ins = self.check(got)
        self.assertIs(part(ins, "in-network"), False)
        self.assertEqual(part(ins, "benefit-percent"), 100)
        self.assertTrue(any("out of network" in w["valueString"] for w in values(got, "warnings")))
        old = self.identify(bhyt_qr("HT3110100007000", "LÝ VĂN TÚ", valid_from="01/01/2020",
                                    valid_to="31/12/2020"))
        cov, ins = self.check(old)
        self.assertEqual(cov["status"], "cancelled")
        self.assertIs(part(ins, "valid"), False)

    def test_card_history_service_is_asked(self):
        got = self.identify(bhyt_qr("DN4110200003000", "LÒ THỊ HOA", gender="2"))
        self.assertEqual(part(value(got, "insurance"), "source"), "card-history")
        sent = json.loads(urllib.request.urlopen(self.sim_url + "/_requests", timeout=5).read())
        self.assertIn({"maThe": "DN4110200003000", "hoTen": "LÒ THỊ HOA",
                       "ngaySinh": "15/03/1990"}, sent)
        withdrawn = self.identify(bhyt_qr("HN2110200004000", "VÌ VĂN NAM"))
        self.assertEqual(value(withdrawn, "coverage")["status"], "cancelled")
        self.assertTrue(any("110" in p["valueString"]
                            for p in value(withdrawn, "insurance")["part"] if p["name"] == "problem"))
        reissued = self.identify(bhyt_qr("GD4110200005000", "ĐIÊU THỊ LAN", gender="2"))
        self.assertEqual(value(reissued, "coverage")["identifier"][0]["value"], "GD4110200006000")
        self.assertEqual(value(reissued, "coverage")["status"], "active")

    def test_known_patient_without_care_gets_the_check_stored_at_the_visit(self):
        known = self.make(patient("Lầu", ["A", "Chống"], identifier=[
            {"system": SID + "bhyt-card", "value": "CN3110100008000"}]))
        got = self.identify(bhyt_qr("CN3110100008000", "LẦU A CHỐNG"))
        self.assertEqual(value(got, "patient")["id"], known)
        cov = value(got, "coverage")
        self.assertNotIn("id", cov)  # no care relationship with facility A yet
        visit = self.start_visit(known, "KHAMNOI", coverage={"resource": cov})
        stored = value(visit, "coverage")
        self.assertTrue(stored["id"])
        ext = value(visit, "encounter")["extension"]
        self.assertIn({"url": SID + "extension/encounter-coverage",
                       "valueReference": {"reference": "Coverage/" + stored["id"]}}, ext)


class QueueTest(ReceptionTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.pids = []
        for i in range(24):
            qr = cccd_qr(f"0110901100{i:02d}", "LÒ VĂN " + chr(ord("A") + i), birth=f"{i + 1:02d}011990")
            cls.pids.append(value(cls.desk.post("Patient/$identify", params(qr=qr)).json,
                                  "patient")["id"])

    def setUp(self):
        super().setUp()
        # A test's visits must share a day: numbers restart at Điện Biên's midnight.
        clear_of_vn_midnight(60)

    def number(self, visit):
        return value(visit, "number")

    def test_numbers_count_per_department(self):
        got = [self.number(self.start_visit(self.pids[i], "NOI1")) for i in range(3)]
        self.assertEqual(got, [1, 2, 3])
        self.assertEqual(self.number(self.start_visit(self.pids[3], "NGOAI1")), 1)
        self.assertEqual(self.number(self.start_visit(self.pids[4], "NOI1")), 4)
        # Another facility has its own queues.
        self.assertEqual(self.number(self.start_visit(self.pids[5], "NOI1", client=self.desk_b)), 1)
        enc = value(self.start_visit(self.pids[6], "NGOAI1"), "encounter")
        self.assertEqual(enc["status"], "arrived")
        self.assertEqual(enc["class"]["code"], "AMB")
        self.assertEqual(enc["serviceProvider"]["reference"], "Organization/" + self.org_a)
        self.assertEqual(enc["identifier"][0]["system"], SID + "queue-number")

    def test_concurrent_visits_get_distinct_numbers(self):
        token = self.desk.token

        def visit(i):
            c = self.server.client(token=token)
            try:
                body = params(patient=ref("Patient/" + self.pids[i]), department="XQUANG")
                r = c.post("Encounter/$start-visit", body)
                return r.status, value(r.json, "number")
            finally:
                c.close()

        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            results = list(pool.map(visit, range(16)))
        self.assertEqual({s for s, _ in results}, {201})
        self.assertEqual(sorted(n for _, n in results), list(range(1, 17)))

    def test_numbers_restart_each_day_and_survive_a_restart(self):
        y = vn_date(-1)
        self.make({
            "resourceType": "Encounter", "status": "finished", "class": {
                "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
            "extension": [{"url": SID + "extension/queue-ticket", "extension": [
                {"url": "department", "valueString": "MAT"},
                {"url": "date", "valueDate": y.isoformat()}, {"url": "number", "valueInteger": 7}]}],
            "meta": {"tag": [{"system": SID + "queue", "code": f"{self.org_a}:{y:%Y%m%d}:MAT"}]},
            "identifier": [{"system": SID + "queue-number",
                            "value": f"{self.org_a}:{y:%Y%m%d}:MAT:7"}],
            "serviceType": {"coding": [{"system": SID + "department", "code": "MAT"}]},
            "subject": {"reference": "Patient/" + self.pids[0]},
            "period": {"start": f"{y.isoformat()}T09:00:00+07:00"},
            "serviceProvider": {"reference": "Organization/" + self.org_a}})
        self.assertEqual(self.number(self.start_visit(self.pids[1], "MAT")), 1)
        self.assertEqual(self.number(self.start_visit(self.pids[2], "MAT")), 2)
        yesterday = self.desk.get(f"Encounter/$queue?department=MAT&date={y.isoformat()}").json
        self.assertEqual(value(yesterday, "last-number"), 7)
        self.server.stop()
        self.server.restart()  # a new port: the class's clients follow it
        cls = type(self)
        cls.c, cls.desk = self.server.client(), self.server.client(token=self.desk.token)
        self.addCleanup(cls.desk.close)
        self.assertEqual(self.number(self.start_visit(self.pids[3], "MAT")), 3)

    def test_call_next_takes_priority_then_the_lowest_number(self):
        for i, prio in ((10, None), (11, None), (12, "UR"), (13, "EM")):
            kw = {"priority": {"valueCode": prio}} if prio else {}
            self.start_visit(self.pids[i], "NHI", **kw)
        order = []
        for _ in range(4):
            r = self.desk.post("Encounter/$call-next", params(department="NHI"))
            self.assertStatus(r, 200)
            self.assertEqual(r.json["status"], "in-progress")
            self.assertEqual(r.json["statusHistory"][0]["status"], "arrived")
            order.append(r.json["subject"]["reference"].split("/")[1])
        self.assertEqual(order, [self.pids[13], self.pids[12], self.pids[10], self.pids[11]])
        self.assertOutcome(self.desk.post("Encounter/$call-next", params(department="NHI")), 404)
        q = self.desk.get("Encounter/$queue?department=NHI").json
        self.assertEqual(value(q, "waiting"), 0)
        tickets = values(q, "ticket")
        self.assertEqual([part(t, "number") for t in tickets], [1, 2, 3, 4])
        self.assertEqual({part(t, "state") for t in tickets}, {"called"})

    def test_lab_technician_may_not_start_visits(self):
        r = self.as_role("lab-technician", CODE_A).post(
            "Encounter/$start-visit", params(patient=ref("Patient/" + self.pids[0]),
                                             department="NOI1"))
        self.assertOutcome(r, 403)


class MatchTest(ReceptionTestCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.a = cls.make(patient("Hoàng", ["Văn", "Bảo"], identifier=[
            {"system": SID + "cccd", "value": "011090200001"}],
            telecom=[{"system": "phone", "value": "0912345678"}]))
        cls.b = cls.make(patient("Hoàng", ["Văn", "Bảo"], birth="1990-03-16"))
        cls.c2 = cls.make(patient("Hoàng", ["Văn", "Bảo"], identifier=[
            {"system": SID + "cccd", "value": "011090200002"}]))

    def match(self, resource, client=None, **kw):
        r = (client or self.c).post("Patient/$match", params(resource=resource, **kw))
        self.assertStatus(r, 200)
        self.assertEqual(r.json["type"], "searchset")
        return [(e["resource"]["id"], e["search"]["extension"][0]["valueCode"],
                 e["search"]["score"]) for e in r.json.get("entry", [])
                if e["search"]["mode"] == "match"]

    def test_identifier_is_certain_and_a_contradiction_certainly_not(self):
        got = self.match(patient("Hoang", ["Van", "Bao"], identifier=[
            {"system": SID + "cccd", "value": "011090200001"}]))
        self.assertEqual(got[0][:2], (self.a, "certain"))
        self.assertEqual(got[0][2], 1)
        grades = {pid: g for pid, g, _ in got}
        self.assertEqual(grades.get(self.c2), "certainly-not")
        self.assertEqual(got[-1][1], "certainly-not")
        scores = [s for _, _, s in got]
        self.assertEqual(scores, sorted(scores, reverse=True))

    def test_demographics_are_probable_or_possible(self):
        got = dict((pid, g) for pid, g, _ in self.match(patient("HOÀNG", ["VĂN", "BẢO"])))
        self.assertEqual(got[self.a], "probable")
        self.assertEqual(got[self.b], "possible")  # born a day later
        self.assertEqual(got[self.c2], "probable")

    def test_only_certain_matches_and_count(self):
        q = patient("Hoàng", ["Văn", "Bảo"], identifier=[
            {"system": SID + "cccd", "value": "011090200001"}])
        self.assertEqual([g for _, g, _ in self.match(q, only_certain=True)], ["certain"])
        self.assertEqual(self.match(patient("Hoàng", ["Văn", "Bảo"]), only_certain=True), [])
        self.assertEqual(len(self.match(patient("Hoàng", ["Văn", "Bảo"]), count=1)), 1)

    def test_results_pass_need_to_know(self):
        doctor = self.as_role("doctor", CODE_B)
        self.assertEqual(self.match(patient("Hoàng", ["Văn", "Bảo"]), client=doctor), [])
        self.assertTrue(self.match(patient("Hoàng", ["Văn", "Bảo"]), client=self.desk))


class MergeTest(ReceptionTestCase):
    def make_pair(self, tag):
        src = self.make(patient("Lò", ["Văn", tag], identifier=[
            {"system": SID + "cmnd", "value": "0401" + str(abs(hash(tag)) % 10**5).zfill(5)}]))
        tgt = self.make(patient("Lò", ["Văn", tag], active=True, identifier=[
            {"system": SID + "cccd", "value": "0110902" + str(abs(hash(tag)) % 10**5).zfill(5)}]))
        obs = self.make({"resourceType": "Observation", "status": "final",
                         "code": {"text": "Mạch"}, "subject": {"reference": "Patient/" + src},
                         "performer": [{"reference": "Patient/" + src}]})
        enc = self.make({"resourceType": "Encounter", "status": "finished", "class": {
            "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
            "subject": {"reference": "Patient/" + src},
            "serviceProvider": {"reference": "Organization/" + self.org_a}})
        return src, tgt, [("Observation", obs), ("Encounter", enc)]

    def read(self, type_, id_):
        r = self.c.get(f"{type_}/{id_}")
        self.assertStatus(r, 200)
        return strip_server_meta(r.json)

    def merge(self, src, tgt, op="$merge", client=None, status=200, **kw):
        body = params(source_patient=ref("Patient/" + src), target_patient=ref("Patient/" + tgt),
                      **kw)
        r = (client or self.c).post("Patient/" + op, body)
        self.assertStatus(r, status)
        return r.json

    def test_merge_then_unmerge_restores_everything(self):
        src, tgt, others = self.make_pair("Mười")
        before = {k: self.read(*k) for k in [("Patient", src), ("Patient", tgt)] + others}
        out = self.merge(src, tgt)
        self.assertEqual(len(values(out, "updated")), 2)
        retired = self.read("Patient", src)
        self.assertIs(retired["active"], False)
        self.assertIn({"other": {"reference": "Patient/" + tgt}, "type": "replaced-by"},
                      retired["link"])
        self.assertEqual(retired["identifier"], before[("Patient", src)]["identifier"])
        self.assertIn({"other": {"reference": "Patient/" + src}, "type": "replaces"},
                      self.read("Patient", tgt)["link"])
        obs = self.read(*others[0])
        self.assertEqual(obs["subject"]["reference"], "Patient/" + tgt)
        self.assertEqual(obs["performer"][0]["reference"], "Patient/" + tgt)
        self.assertEqual(self.search_ids(f"Observation?subject=Patient/{tgt}"), [others[0][1]])
        history = self.c.get(f"Observation/{others[0][1]}/_history").json
        self.assertEqual(history["total"], 2)  # the old version is kept
        prov = value(out, "provenance")
        self.assertEqual(prov["activity"]["coding"][0]["code"], "merge")
        # Scanning the retired record's identifier finds the record that replaced it.
        got = self.match(patient("Lò", ["Văn", "Mười"], identifier=before[("Patient", src)]["identifier"]))
        self.assertEqual(got[0], tgt)
        self.merge(src, tgt, status=409)
        undo = self.merge(src, tgt, op="$unmerge")
        self.assertEqual(values(undo, "warnings"), [])
        for key, resource in before.items():
            self.assertEqual(self.read(*key), resource, key)
        self.merge(src, tgt, op="$unmerge", status=409)
        trail = self.c.get(f"AuditEvent?patient={src}&_count=200").json
        self.assertTrue(any("merge" in json.dumps(e) for e in trail.get("entry", [])))

    def match(self, resource):
        r = self.c.post("Patient/$match", params(resource=resource))
        return [e["resource"]["id"] for e in r.json.get("entry", [])]

    def test_preview_writes_nothing(self):
        src, tgt, others = self.make_pair("Hai")
        out = self.merge(src, tgt, preview=True)
        self.assertEqual(sorted(v["valueReference"]["reference"] for v in values(out, "updated")),
                         sorted(f"{t}/{i}" for t, i in others))
        self.assertNotIn("link", self.read("Patient", src))

    def test_duplicates_lists_the_pair(self):
        src, tgt, _ = self.make_pair("Ba")
        r = self.c.get("Patient/$duplicates?_count=50")
        self.assertStatus(r, 200)
        pairs = [{p["valueReference"]["reference"] for p in pr["part"] if p["name"] == "patient"}
                 for pr in values(r.json, "pair")]
        self.assertIn({"Patient/" + src, "Patient/" + tgt}, pairs)
        self.assertIsNotNone(value(r.json, "scanned"))

    def test_reception_may_not_merge(self):
        src, tgt, _ = self.make_pair("Bốn")
        self.assertOutcome(self.desk.post("Patient/$merge", params(
            source_patient=ref("Patient/" + src), target_patient=ref("Patient/" + tgt))), 403)
        self.assertOutcome(self.desk.get("Patient/$duplicates"), 403)


if __name__ == "__main__":
    unittest.main()
