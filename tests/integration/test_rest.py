"""FHIR R4 RESTful interactions, as https://hl7.org/fhir/R4/http.html specifies them."""

import re
import time
import unittest
import uuid

from harness import (ID_RE, INSTANT_RE, ServerTestCase, history_key, link,
                     parse_location, q, strip_server_meta)


def new_system():
    return f"urn:hb-it:{uuid.uuid4()}"


def patient(system=None, value=None, family="Nguyen", **extra):
    p = {"resourceType": "Patient", "name": [{"family": family, "given": ["An"]}],
         "gender": "female", "birthDate": "1990-01-02"}
    if system is not None or value is not None:
        ident = {"value": value}
        if system is not None:
            ident["system"] = system
        p["identifier"] = [ident]
    p.update(extra)
    return p


HTTP_DATE_RE = re.compile(r"^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$")


class CreateReadTest(ServerTestCase):

    def test_create_assigns_id_version_and_headers(self):
        body = patient(new_system(), "1")
        body["id"] = "client-chosen-id"
        body["meta"] = {"versionId": "99", "lastUpdated": "2001-01-01T00:00:00Z"}
        r = self.c.post("Patient", body)
        self.assertStatus(r, 201)
        loc = r.header("Location") or ""
        m = re.search(r"(?:^|/)fhir/Patient/([^/]+)/_history/1$", loc)
        self.assertIsNotNone(m, f"Location {loc!r} is not …/fhir/Patient/<id>/_history/1")
        new_id = m.group(1)
        self.assertRegex(new_id, ID_RE)
        self.assertNotEqual(new_id, "client-chosen-id", "POST must ignore the client's id")
        self.assertEqual(r.header("ETag"), 'W/"1"')

        g = self.c.get(f"Patient/{new_id}")
        self.assertStatus(g, 200)
        self.assertFhirJson(g)
        res = g.json
        self.assertEqual(res["id"], new_id)
        self.assertEqual(res["meta"]["versionId"], "1", "server sets meta.versionId")
        self.assertRegex(res["meta"]["lastUpdated"], INSTANT_RE)
        self.assertNotEqual(res["meta"]["lastUpdated"], "2001-01-01T00:00:00Z",
                            "server sets meta.lastUpdated")
        self.assertEqual(res["name"], body["name"])
        self.assertEqual(res["birthDate"], "1990-01-02")
        self.assertEqual(self.c.get("Patient/client-chosen-id").status, 404)

    def test_create_round_trip_keeps_content(self):
        body = patient(new_system(), "rt", active=True,
                       telecom=[{"system": "phone", "value": "+84 90 123 4567"}],
                       address=[{"city": "Hà Nội", "line": ["Số 1 Tràng Tiền"]}])
        pid, _ = self.create(body)
        got = strip_server_meta(self.c.get(f"Patient/{pid}").json)
        got.pop("id")
        self.assertEqual(got, body)

    def test_read_has_etag_and_last_modified(self):
        pid, _ = self.create(patient())
        r = self.c.get(f"Patient/{pid}")
        self.assertStatus(r, 200)
        self.assertEqual(r.header("ETag"), 'W/"1"')
        self.assertRegex(r.header("Last-Modified") or "", HTTP_DATE_RE)
        self.assertEqual(r.json["resourceType"], "Patient")

    def test_read_unknown_id_is_404(self):
        r = self.c.get(f"Patient/{uuid.uuid4()}")
        self.assertOutcome(r, 404)

    def test_vread(self):
        pid, _ = self.create(patient(family="First"))
        self.assertStatus(self.c.put(f"Patient/{pid}", patient(family="Second", id=pid)), 200)
        v1 = self.c.get(f"Patient/{pid}/_history/1")
        self.assertStatus(v1, 200)
        self.assertEqual(v1.json["name"][0]["family"], "First")
        self.assertEqual(v1.json["meta"]["versionId"], "1")
        self.assertEqual(v1.header("ETag"), 'W/"1"')
        v2 = self.c.get(f"Patient/{pid}/_history/2")
        self.assertStatus(v2, 200)
        self.assertEqual(v2.json["name"][0]["family"], "Second")
        self.assertOutcome(self.c.get(f"Patient/{pid}/_history/3"), 404)


class UpdateDeleteTest(ServerTestCase):

    def test_update_increments_version(self):
        pid, _ = self.create(patient(family="Before"))
        r = self.c.put(f"Patient/{pid}", patient(family="After", id=pid))
        self.assertStatus(r, 200)
        self.assertEqual(r.header("ETag"), 'W/"2"')
        g = self.c.get(f"Patient/{pid}")
        self.assertEqual(g.json["meta"]["versionId"], "2")
        self.assertEqual(g.json["name"][0]["family"], "After")
        self.assertGreaterEqual(g.json["meta"]["lastUpdated"],
                                self.c.get(f"Patient/{pid}/_history/1").json["meta"]["lastUpdated"])

    def test_update_as_create_with_client_id(self):
        pid = f"uac-{uuid.uuid4().hex[:12]}"
        r = self.c.put(f"Patient/{pid}", patient(id=pid))
        self.assertStatus(r, 201)
        self.assertEqual(r.header("ETag"), 'W/"1"')
        loc = parse_location(r.header("Location"))
        self.assertEqual(loc, ("Patient", pid, "1"), f"Location {r.header('Location')!r}")
        g = self.c.get(f"Patient/{pid}")
        self.assertStatus(g, 200)
        self.assertEqual(g.json["meta"]["versionId"], "1")

    def test_delete_then_gone_and_history_keeps_it(self):
        pid, _ = self.create(patient(family="V1"))
        self.assertStatus(self.c.put(f"Patient/{pid}", patient(family="V2", id=pid)), 200)
        r = self.c.delete(f"Patient/{pid}")
        self.assertStatus(r, 200, 204)
        self.assertStatus(self.c.get(f"Patient/{pid}"), 410)
        v1 = self.c.get(f"Patient/{pid}/_history/1")
        self.assertStatus(v1, 200, msg="vread of a version before the delete")
        self.assertEqual(v1.json["name"][0]["family"], "V1")
        entries = self.c.all_entries(f"Patient/{pid}/_history")
        methods = [e.get("request", {}).get("method") for e in entries]
        self.assertEqual(len(entries), 3, f"history should hold 2 versions and the delete: {methods}")
        self.assertEqual(methods[0], "DELETE", "newest first: the delete heads the history")
        self.assertNotIn("resource", entries[0], "a deleted version has no resource")
        # deleting again is not an error (R4 http.html#delete)
        self.assertStatus(self.c.delete(f"Patient/{pid}"), 200, 204)
        # searches no longer find it
        self.assertEqual(self.search_ids(f"Patient?_id={pid}"), [])

    def test_if_match(self):
        pid, _ = self.create(patient(family="A"))
        self.assertStatus(self.c.put(f"Patient/{pid}", patient(family="B", id=pid)), 200)
        stale = self.c.put(f"Patient/{pid}", patient(family="C", id=pid),
                           headers={"If-Match": 'W/"1"'})
        self.assertOutcome(stale, 412)
        self.assertEqual(self.c.get(f"Patient/{pid}").json["meta"]["versionId"], "2",
                         "a 412 must not write")
        ok = self.c.put(f"Patient/{pid}", patient(family="C", id=pid),
                        headers={"If-Match": 'W/"2"'})
        self.assertStatus(ok, 200)
        self.assertEqual(ok.header("ETag"), 'W/"3"')
        self.assertEqual(self.c.get(f"Patient/{pid}").json["name"][0]["family"], "C")


class PatchTest(ServerTestCase):

    def test_json_patch(self):
        pid, _ = self.create(patient(family="Tran"))
        ops = [{"op": "replace", "path": "/birthDate", "value": "1985-05-06"},
               {"op": "add", "path": "/name/-", "value": {"family": "Le", "given": ["Binh"]}}]
        r = self.c.patch(f"Patient/{pid}", ops)
        self.assertStatus(r, 200)
        self.assertEqual(r.header("ETag"), 'W/"2"')
        g = self.c.get(f"Patient/{pid}").json
        self.assertEqual(g["birthDate"], "1985-05-06")
        self.assertEqual([n["family"] for n in g["name"]], ["Tran", "Le"])
        self.assertEqual(g["meta"]["versionId"], "2")

    def test_bad_patch_changes_nothing(self):
        pid, _ = self.create(patient(family="Pham"))
        cases = {
            "unknown op": [{"op": "frobnicate", "path": "/birthDate", "value": "1"}],
            "path does not exist": [{"op": "replace", "path": "/name/7/family", "value": "X"}],
            "result is not a valid Patient": [
                {"op": "replace", "path": "/birthDate", "value": "not-a-date"}],
            "not a JSON Patch document": {"op": "replace"},
        }
        for what, ops in cases.items():
            with self.subTest(what):
                r = self.c.patch(f"Patient/{pid}", ops)
                self.assertOutcome(r, 400, 422)
        g = self.c.get(f"Patient/{pid}").json
        self.assertEqual(g["meta"]["versionId"], "1", "a rejected patch must not write")
        self.assertEqual(g["birthDate"], "1990-01-02")

    def test_patch_if_match(self):
        pid, _ = self.create(patient())
        ops = [{"op": "replace", "path": "/gender", "value": "male"}]
        self.assertOutcome(self.c.patch(f"Patient/{pid}", ops, headers={"If-Match": 'W/"7"'}),
                           412)
        self.assertStatus(self.c.patch(f"Patient/{pid}", ops, headers={"If-Match": 'W/"1"'}),
                          200)


class ConditionalTest(ServerTestCase):

    def test_conditional_create(self):
        system = new_system()
        ine = {"If-None-Exist": f"identifier={q(system)}|c1"}
        first = self.c.post("Patient", patient(system, "c1"), headers=ine)
        self.assertStatus(first, 201)
        first_id = parse_location(first.header("Location"))[1]

        again = self.c.post("Patient", patient(system, "c1", family="Other"),
                            headers={**ine, "Prefer": "return=representation"})
        self.assertStatus(again, 200, msg="one match: the POST is ignored")
        self.assertEqual(again.json.get("id"), first_id, "200 carries the existing resource")
        self.assertEqual(self.search_ids(f"Patient?identifier={q(system)}|c1"), [first_id])
        self.assertEqual(self.c.get(f"Patient/{first_id}").json["name"][0]["family"], "Nguyen")

        self.assertStatus(self.c.post("Patient", patient(system, "c2"),
                                      headers={"If-None-Exist": f"identifier={q(system)}|c2"}),
                          201)
        self.create(patient(system, "dup"))
        self.create(patient(system, "dup"))
        many = self.c.post("Patient", patient(system, "dup"),
                           headers={"If-None-Exist": f"identifier={q(system)}|dup"})
        self.assertOutcome(many, 412)
        self.assertEqual(len(self.search_ids(f"Patient?identifier={q(system)}|dup")), 2)

    def test_conditional_update(self):
        system = new_system()
        url = f"Patient?identifier={q(system)}|u1"
        r = self.c.put(url, patient(system, "u1", family="Created"))
        self.assertStatus(r, 201, msg="no match: conditional update creates")
        ids = self.search_ids(url)
        self.assertEqual(len(ids), 1)

        r = self.c.put(url, patient(system, "u1", family="Updated"))
        self.assertStatus(r, 200, msg="one match: conditional update updates it")
        self.assertEqual(self.search_ids(url), ids)
        g = self.c.get(f"Patient/{ids[0]}").json
        self.assertEqual(g["name"][0]["family"], "Updated")
        self.assertEqual(g["meta"]["versionId"], "2")

        self.create(patient(system, "u2"))
        self.create(patient(system, "u2"))
        url2 = f"Patient?identifier={q(system)}|u2"
        self.assertOutcome(self.c.put(url2, patient(system, "u2", family="X")), 412)
        for pid in self.search_ids(url2):
            self.assertEqual(self.c.get(f"Patient/{pid}").json["meta"]["versionId"], "1")

    def test_conditional_delete(self):
        system = new_system()
        pid, _ = self.create(patient(system, "d1"))
        keep, _ = self.create(patient(system, "d2"))
        r = self.c.delete(f"Patient?identifier={q(system)}|d1")
        self.assertStatus(r, 200, 204)
        self.assertStatus(self.c.get(f"Patient/{pid}"), 410)
        self.assertStatus(self.c.get(f"Patient/{keep}"), 200)
        self.assertEqual(self.search_ids(f"Patient?identifier={q(system)}|d1"), [])

        a, _ = self.create(patient(system, "d3"))
        b, _ = self.create(patient(system, "d3"))
        r = self.c.delete(f"Patient?identifier={q(system)}|d3")
        # R4: with several matches a server either deletes them all or answers 412.
        self.assertStatus(r, 200, 204, 412)
        left = sorted(self.search_ids(f"Patient?identifier={q(system)}|d3"))
        self.assertEqual(left, [] if r.status != 412 else sorted([a, b]))


class SearchTest(ServerTestCase):

    def test_search_by_identifier(self):
        sys_a, sys_b = new_system(), new_system()
        a, _ = self.create(patient(sys_a, "123"))
        b, _ = self.create(patient(sys_b, "123"))
        c, _ = self.create(patient(sys_a, "456"))
        d, _ = self.create(patient(None, "123"))

        r = self.c.get(f"Patient?identifier={q(sys_a)}|123")
        self.assertStatus(r, 200)
        self.assertFhirJson(r)
        bundle = r.json
        self.assertEqual(bundle["resourceType"], "Bundle")
        self.assertEqual(bundle["type"], "searchset")
        self.assertEqual(bundle.get("total"), 1)
        self.assertEqual([e["resource"]["id"] for e in bundle["entry"]], [a])
        entry = bundle["entry"][0]
        self.assertEqual(entry["search"]["mode"], "match")
        self.assertRegex(entry["fullUrl"], rf"/fhir/Patient/{a}$")
        self.assertIsNotNone(link(bundle, "self"), "a searchset has a self link")

        self.assertCountEqual(self.search_ids("Patient?identifier=123"), [a, b, d])
        self.assertCountEqual(self.search_ids(f"Patient?identifier={q(sys_a)}|"), [a, c])
        self.assertCountEqual(self.search_ids("Patient?identifier=|123"), [d])
        self.assertEqual(self.search_ids(f"Patient?identifier={q(sys_b)}|456"), [])
        # OR within one parameter
        self.assertCountEqual(self.search_ids(f"Patient?identifier={q(sys_a)}|123,{q(sys_b)}|123"),
                              [a, b])

    def test_search_by_id(self):
        a, _ = self.create(patient())
        b, _ = self.create(patient())
        self.create(patient())
        r = self.c.get(f"Patient?_id={a},{b}")
        self.assertStatus(r, 200)
        self.assertEqual(r.json["type"], "searchset")
        self.assertEqual(r.json.get("total"), 2)
        self.assertCountEqual(self.search_ids(f"Patient?_id={a},{b}"), [a, b])
        self.assertEqual(self.search_ids(f"Patient?_id={a}"), [a])
        self.assertEqual(self.search_ids("Patient?_id=no-such-id"), [])

    def test_search_via_post(self):
        system = new_system()
        a, _ = self.create(patient(system, "p"))
        r = self.c.request("POST", "Patient/_search", f"identifier={q(system)}|p".encode(),
                           content_type="application/x-www-form-urlencoded")
        self.assertStatus(r, 200)
        self.assertEqual([e["resource"]["id"] for e in r.json.get("entry", [])], [a])


class HistoryTest(ServerTestCase):
    """Runs on its own fresh server, so type and system history are fully known."""

    def _keys(self, path):
        return [history_key(e) for e in self.c.all_entries(path)]

    def test_history_levels_and_paging(self):
        type_before = set(self._keys("Patient/_history?_count=500"))
        system_before = set(self._keys("_history?_count=500"))
        written = []  # (type, id, versionId, method)
        for i in range(7):
            pid, v = self.create(patient(family=f"H{i}"))
            written.append(("Patient", pid, v, "POST"))
        for pid in [w[1] for w in written[:3]]:
            r = self.c.put(f"Patient/{pid}", patient(family="H-upd", id=pid))
            self.assertStatus(r, 200)
            written.append(("Patient", pid, "2", "PUT"))
        deleted = written[0][1]
        self.assertStatus(self.c.delete(f"Patient/{deleted}"), 200, 204)
        org = self.c.post("Organization", {"resourceType": "Organization", "name": "Trạm Y tế"})
        self.assertStatus(org, 201)
        org_id = parse_location(org.header("Location"))[1]

        # instance: newest first, every version, the delete included
        inst = self.c.get(f"Patient/{written[3][1]}/_history")
        self.assertStatus(inst, 200)
        self.assertFhirJson(inst)
        self.assertEqual(inst.json["resourceType"], "Bundle")
        self.assertEqual(inst.json["type"], "history")
        for e in inst.json["entry"]:
            self.assertIn("request", e, "history entries carry request (bdl-3)")
            self.assertIn("response", e, "history entries carry response (bdl-4)")
        self.assertEqual([k[2] for k in self._keys(f"Patient/{written[3][1]}/_history")], ["1"])
        keys = self._keys(f"Patient/{deleted}/_history")
        self.assertEqual([k[3] for k in keys], ["DELETE", "PUT", "POST"], keys)
        self.assertEqual([k[2] for k in keys][1:], ["2", "1"])

        # type level with _count=2, following next links: every version exactly once
        first = self.c.get("Patient/_history?_count=2")
        self.assertStatus(first, 200)
        self.assertEqual(len(first.json.get("entry", [])), 2, "_count=2 is honoured")
        self.assertIsNotNone(link(first.json, "next"), "more versions than _count: a next link")
        keys = self._keys("Patient/_history?_count=2")
        self.assertEqual(len(keys), len(set(keys)), f"a version seen twice across pages: {keys}")
        new = [k for k in keys if k not in type_before]
        self.assertEqual(len(new), len(written) + 1, new)  # + the delete
        self.assertCountEqual([k[:3] for k in new if k[3] != "DELETE"],
                              [w[:3] for w in written])
        self.assertEqual([k[1] for k in new if k[3] == "DELETE"], [deleted])
        self.assertTrue(all(k[0] == "Patient" for k in keys))

        # system level, _count=3
        sys_keys = self._keys("_history?_count=3")
        self.assertEqual(len(sys_keys), len(set(sys_keys)), sys_keys)
        sys_new = [k for k in sys_keys if k not in system_before]
        self.assertCountEqual(sys_new, new + [("Organization", org_id, "1", "POST")])

    def test_history_since(self):
        before, _ = self.create(patient(family="Old"))
        time.sleep(1.1)  # lastUpdated may be kept to the second
        pivot, _ = self.create(patient(family="Pivot"))
        since = self.c.get(f"Patient/{pivot}").json["meta"]["lastUpdated"]
        after, _ = self.create(patient(family="New"))
        r = self.c.get(f"Patient/_history?_since={q(since)}")
        self.assertStatus(r, 200)
        ids = [history_key(e)[1] for e in self.c.all_entries(f"Patient/_history?_since={q(since)}")]
        self.assertIn(pivot, ids, "_since includes versions at the instant")
        self.assertIn(after, ids)
        self.assertNotIn(before, ids, "_since excludes older versions")
        sys_ids = [history_key(e)[1] for e in self.c.all_entries(f"_history?_since={q(since)}")]
        self.assertIn(after, sys_ids)
        self.assertNotIn(before, sys_ids)
        inst = self.c.all_entries(f"Patient/{before}/_history?_since={q(since)}")
        self.assertEqual(inst, [])
        bad = self.c.get("Patient/_history?_since=yesterday")
        self.assertOutcome(bad, 400)


class PreferFormatTest(ServerTestCase):

    def test_prefer_return(self):
        r = self.c.post("Patient", patient(), headers={"Prefer": "return=minimal"})
        self.assertStatus(r, 201)
        self.assertEqual(r.body, b"", "return=minimal: no body")
        self.assertIsNotNone(parse_location(r.header("Location")))
        self.assertEqual(r.header("ETag"), 'W/"1"')

        r = self.c.post("Patient", patient(family="Rep"), headers={"Prefer": "return=representation"})
        self.assertStatus(r, 201)
        self.assertFhirJson(r)
        self.assertEqual(r.json["resourceType"], "Patient")
        self.assertEqual(r.json["name"][0]["family"], "Rep")
        self.assertEqual(r.json["id"], parse_location(r.header("Location"))[1])
        self.assertEqual(r.json["meta"]["versionId"], "1")

        r = self.c.post("Patient", patient(), headers={"Prefer": "return=OperationOutcome"})
        self.assertStatus(r, 201)
        self.assertEqual(r.json["resourceType"], "OperationOutcome")

        pid = parse_location(r.header("Location"))[1]
        r = self.c.put(f"Patient/{pid}", patient(id=pid), headers={"Prefer": "return=minimal"})
        self.assertStatus(r, 200)
        self.assertEqual(r.body, b"")
        r = self.c.put(f"Patient/{pid}", patient(id=pid, gender="male"),
                       headers={"Prefer": "return=representation"})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["gender"], "male")
        self.assertEqual(r.json["meta"]["versionId"], "3")

    def test_format_json(self):
        pid, _ = self.create(patient())
        for fmt in ("json", "application/fhir+json", "application/json"):
            with self.subTest(fmt):
                r = self.c.get(f"Patient/{pid}?_format={q(fmt)}")
                self.assertStatus(r, 200)
                self.assertEqual(r.json["id"], pid)
        for accept in ("application/json", "*/*", "application/fhir+json; fhirVersion=4.0"):
            with self.subTest(accept):
                r = self.c.get(f"Patient/{pid}", headers={"Accept": accept})
                self.assertStatus(r, 200)
                self.assertEqual(r.json["id"], pid)

    def test_xml_is_406(self):
        pid, _ = self.create(patient())
        for path, headers in ((f"Patient/{pid}?_format=xml", {}),
                              (f"Patient/{pid}?_format=application/fhir%2Bxml", {}),
                              (f"Patient/{pid}", {"Accept": "application/fhir+xml"}),
                              ("metadata", {"Accept": "application/xml"})):
            with self.subTest(path=path, headers=headers):
                r = self.c.get(path, headers=headers)
                self.assertOutcome(r, 406, mentions=("xml", "format", "accept"))

    def test_pretty(self):
        pid, _ = self.create(patient())
        pretty = self.c.get(f"Patient/{pid}?_pretty=true")
        self.assertStatus(pretty, 200)
        self.assertIn("\n", pretty.text.strip(), "_pretty=true: several lines")
        self.assertRegex(pretty.text, r"\n[ \t]+\"", "_pretty=true: indented members")
        plain = self.c.get(f"Patient/{pid}?_pretty=false")
        self.assertStatus(plain, 200)
        self.assertEqual(pretty.json, plain.json)


class CapabilityStatementTest(ServerTestCase):

    PATIENT_INTERACTIONS = {"read", "vread", "update", "patch", "delete", "history-instance",
                            "history-type", "create", "search-type"}

    def test_metadata(self):
        r = self.c.get("metadata")
        self.assertStatus(r, 200)
        self.assertFhirJson(r)
        cs = r.json
        self.assertEqual(cs["resourceType"], "CapabilityStatement")
        self.assertEqual(cs["fhirVersion"], "4.0.1")
        for required in ("status", "date", "kind", "format"):
            self.assertIn(required, cs, f"CapabilityStatement.{required} is 1..1")
        self.assertEqual(cs["kind"], "instance")
        self.assertTrue(any("json" in f for f in cs["format"]), cs["format"])
        self.assertFalse(any("xml" in f for f in cs["format"]), "XML is not served")
        rest = [x for x in cs["rest"] if x["mode"] == "server"]
        self.assertEqual(len(rest), 1)
        rest = rest[0]
        system = {i["code"] for i in rest.get("interaction", [])}
        self.assertTrue({"transaction", "batch", "history-system"} <= system, system)

        by_type = {res["type"]: res for res in rest["resource"]}
        pat = by_type["Patient"]
        got = {i["code"] for i in pat.get("interaction", [])}
        self.assertTrue(self.PATIENT_INTERACTIONS <= got,
                        f"missing {self.PATIENT_INTERACTIONS - got}")
        params = {p["name"] for p in pat.get("searchParam", [])}
        params |= {p["name"] for p in rest.get("searchParam", [])}
        self.assertTrue({"identifier", "_id"} <= params, params)
        self.assertIs(pat.get("conditionalCreate"), True)
        self.assertIs(pat.get("conditionalUpdate"), True)
        self.assertIn(pat.get("conditionalDelete"), ("single", "multiple"))

    def test_metadata_is_true(self):
        """Every type the statement lists answers its listed interactions."""
        rest = self.c.get("metadata").json["rest"][0]
        for res in rest["resource"]:
            t = res["type"]
            codes = {i["code"] for i in res.get("interaction", [])}
            with self.subTest(t):
                if "read" in codes:
                    self.assertOutcome(self.c.get(f"{t}/hb-no-such-id"), 404)
                if "search-type" in codes:
                    r = self.c.get(f"{t}?_id=hb-no-such-id")
                    self.assertStatus(r, 200)
                    self.assertEqual(r.json["type"], "searchset")
                if "history-type" in codes:
                    r = self.c.get(f"{t}/_history?_count=1")
                    self.assertStatus(r, 200)
                    self.assertEqual(r.json["type"], "history")

    def test_metadata_without_fhir_accept(self):
        r = self.c.get("metadata", headers={"Accept": None})
        self.assertStatus(r, 200)
        self.assertEqual(r.json["resourceType"], "CapabilityStatement")


if __name__ == "__main__":
    unittest.main()
