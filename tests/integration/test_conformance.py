"""The server's OperationDefinitions, served read-only at /fhir/OperationDefinition: every
operation the CapabilityStatement lists is fetchable by its canonical URL and by id, with
code, resource types and level flags that agree with the listing; search by url, name,
code, kind...; writes refused with 405 (rest/operation_definitions.h).

And conditional writes whose criteria search contained resources (_contained=true|both)
are refused with a 400: a contained match would name its container (rest/write_ops.cpp)."""

import json
import os
import shutil
import tempfile
import unittest
import urllib.parse

from harness import FhirTestCase, Server, ServerTestCase

HL7 = ("http://hl7.org/fhir/", "http://hl7.org/fhir/uv/bulkdata/")


def quote(v):
    return urllib.parse.quote(v, safe="")


class OperationDefinitionsTest(ServerTestCase):

    def listed_operations(self):
        """(level, type, name, definition) of every operation in the CapabilityStatement."""
        r = self.c.get("metadata")
        self.assertStatus(r, 200)
        rest = r.json["rest"][0]
        out = [("system", "", o["name"], o["definition"]) for o in rest.get("operation", [])]
        for res in rest["resource"]:
            for o in res.get("operation", []):
                out.append(("type", res["type"], o["name"], o["definition"]))
        return out

    def by_url(self, url):
        r = self.c.get("OperationDefinition?url=" + quote(url))
        self.assertStatus(r, 200)
        self.assertEqual(r.json["resourceType"], "Bundle")
        self.assertEqual(r.json["total"], 1, f"{url}: {r.describe()}")
        return r.json["entry"][0]["resource"]

    def test_every_listed_operation_has_a_fetchable_definition(self):
        listed = self.listed_operations()
        names = {name for _, _, name, _ in listed}
        # Reception, billing, claims, bulk data, the clinical workspace and named queries.
        for expected in ("everything", "match", "merge", "export", "import", "identify",
                         "invoice", "assign", "cancel", "claim-xml", "check", "discharge",
                         "noi-tru-hien-tai", "kham-ngoai-tru-trong-ngay"):
            self.assertIn(expected, names)
        self.assertGreater(len(names), 40)
        for level, rtype, name, url in listed:
            d = self.by_url(url)
            where = f"${name} on {rtype or 'the system'} ({url})"
            self.assertEqual(d["resourceType"], "OperationDefinition", where)
            self.assertEqual(d["url"], url, where)
            self.assertEqual(d["code"], name, where)
            if level == "system":
                self.assertTrue(d["system"], where)
            else:
                self.assertIn(rtype, d["resource"], where)
                self.assertTrue(d["type"] or d["instance"], where)
            # By id too, as version 1.
            r = self.c.get("OperationDefinition/" + d["id"])
            self.assertStatus(r, 200)
            self.assertEqual(r.json, d, where)
            self.assertEqual(r.header("ETag"), 'W/"1"', where)
            self.assertEqual(r.json["meta"]["versionId"], "1", where)
            r = self.c.get("OperationDefinition/" + d["id"] + "/_history/1")
            self.assertStatus(r, 200)
            # Our own are complete: every parameter has name, use, cardinality and a
            # Vietnamese / English documentation; operations say whether they change data.
            if not url.startswith(HL7):
                self.assertIn("title", d, where)
                self.assertIn(" / ", d["description"], where)
                for p in d.get("parameter", []):
                    for key in ("name", "use", "min", "max", "documentation"):
                        self.assertIn(key, p, f"{where} {p}")
                    self.assertIn(p["use"], ("in", "out"), where)
                if d["kind"] == "operation":
                    self.assertIn("affectsState", d, where)
                    self.assertTrue(d.get("parameter"), where)

    def test_definitions_match_what_the_operations_do(self):
        d = self.by_url("https://fhir.healthbook.vn/OperationDefinition/Encounter-invoice")
        self.assertEqual((d["system"], d["type"], d["instance"]), (False, False, True))
        self.assertTrue(d["affectsState"])
        per = [p for p in d["parameter"] if p["name"] == "per"][0]
        self.assertEqual((per["use"], per["min"], per["max"], per["type"]), ("in", 0, "1", "code"))
        # The Bulk Data IG's three definitions of $export, one per level, each named where
        # the CapabilityStatement lists the operation.
        bulk = "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/"
        for name, resource, flags in (("export", None, (True, False, False)),
                                      ("patient-export", ["Patient"], (False, True, False)),
                                      ("group-export", ["Group"], (False, False, True))):
            d = self.by_url(bulk + name)
            self.assertEqual(d["code"], "export")
            self.assertEqual(d.get("resource"), resource, name)
            self.assertEqual((d["system"], d["type"], d["instance"]), flags, name)
            self.assertFalse(d["affectsState"])  # kicked off by GET
        listed = {(rtype, url) for _, rtype, name, url in self.listed_operations() if name == "export"}
        self.assertEqual(listed, {("", bulk + "export"), ("Patient", bulk + "patient-export"),
                                  ("Group", bulk + "group-export")})
        # A named query is served from the definition it was read from.
        d = self.c.get("OperationDefinition/noi-tru-hien-tai").json
        self.assertEqual(d["kind"], "query")
        self.assertIn("named-query-criteria", json.dumps(d["extension"]))

    def test_search(self):
        def ids(query):
            r = self.c.get("OperationDefinition?" + query)
            self.assertStatus(r, 200)
            self.assertEqual(r.json["type"], "searchset")
            return sorted(e["resource"]["id"] for e in r.json.get("entry", []))

        self.assertEqual(ids("code=invoice"), ["Encounter-invoice"])
        self.assertEqual(ids("code=match,merge"), ["Patient-match", "Patient-merge"])
        self.assertEqual(ids("code=pay,refund&instance=true"), ["Invoice-pay", "Invoice-refund"])
        self.assertEqual(ids("kind=query"), ["don-thuoc-trong-ngay", "ket-qua-bat-thuong",
                                             "kham-ngoai-tru-trong-ngay", "noi-tru-hien-tai"])
        self.assertEqual(ids("name:exact=NoiTruHienTai"), ["noi-tru-hien-tai"])
        self.assertIn("Patient-everything", ids("name=patient"))  # starts with, folded
        self.assertEqual(ids("title:contains=" + quote("ra viện")), ["discharge"])  # accents folded
        self.assertEqual(ids("name=PatientMatch&code=merge"), [])  # repeated = AND
        self.assertEqual(ids("url=" + quote("urn:nothing")), [])
        self.assertEqual(ids("system=true"), ["export", "import"])
        self.assertEqual(ids("code=export"), ["export", "group-export", "patient-export"])
        r = self.c.get("OperationDefinition?_summary=count")
        self.assertGreater(r.json["total"], 40)
        self.assertNotIn("entry", r.json)
        # Paging: _count and the next link.
        r = self.c.get("OperationDefinition?kind=operation&_count=10")
        self.assertEqual(len(r.json["entry"]), 10)
        nxt = [l["url"] for l in r.json["link"] if l["relation"] == "next"]
        self.assertEqual(len(nxt), 1)
        self.assertIn("_offset=10", nxt[0])
        # Numbers past any page: the page is capped, paging past the end is an empty page.
        r = self.c.get("OperationDefinition?_count=9223372036854775807&_offset=9223372036854775807")
        self.assertEqual(r.status, 200, r.text)
        self.assertGreater(r.json["total"], 40)
        self.assertNotIn("entry", r.json)
        self.assertEqual([l["relation"] for l in r.json["link"]], ["self", "previous"])
        self.assertIn("_count=1000", r.json["link"][0]["url"])
        # Unknown parameters: ignored (and left out of the self link) unless strict.
        r = self.c.get("OperationDefinition?code=invoice&foo=1")
        self.assertEqual(r.json["total"], 1)
        self.assertNotIn("foo", r.json["link"][0]["url"])
        self.assertOutcome(self.c.get("OperationDefinition?foo=1",
                                      headers={"Prefer": "handling=strict"}), 400,
                           mentions=["foo"])
        self.assertOutcome(self.c.get("OperationDefinition?code:missing=true"), 400,
                           mentions=[":missing"])
        self.assertOutcome(self.c.get("OperationDefinition/no-such-op"), 404,
                           mentions=["no-such-op"])
        self.assertOutcome(self.c.get("OperationDefinition/Patient-match/_history/2"), 404)

    def test_read_only(self):
        d = self.c.get("OperationDefinition/Patient-match").json
        mine = dict(d, id="mine", url="urn:test:mine")
        del mine["meta"]
        self.assertOutcome(self.c.post("OperationDefinition", mine), 405,
                           mentions=["read-only"])
        self.assertOutcome(self.c.put("OperationDefinition/mine", mine), 405)
        self.assertOutcome(self.c.put("OperationDefinition/Patient-match", d), 405)
        self.assertOutcome(self.c.delete("OperationDefinition/Patient-match"), 405)
        self.assertOutcome(self.c.delete("OperationDefinition?code=match"), 405)
        self.assertOutcome(self.c.patch("OperationDefinition/Patient-match",
                                        [{"op": "replace", "path": "/status", "value": "retired"}]),
                           405)
        self.assertOutcome(self.c.get("OperationDefinition/Patient-match/_history"), 405)
        # Nor through a Bundle.
        tx = {"resourceType": "Bundle", "type": "transaction", "entry": [{
            "resource": mine, "request": {"method": "PUT", "url": "OperationDefinition/mine"}}]}
        r = self.c.post("", tx)
        self.assertOutcome(r, 405, mentions=["read-only"])
        self.assertStatus(self.c.get("OperationDefinition/mine"), 404)
        self.assertEqual(self.c.get("OperationDefinition/Patient-match").json, d)
        # The CapabilityStatement says so.
        res = [x for x in self.c.get("metadata").json["rest"][0]["resource"]
               if x["type"] == "OperationDefinition"][0]
        self.assertEqual({i["code"] for i in res["interaction"]}, {"read", "vread", "search-type"})
        self.assertFalse(res["updateCreate"] or res["conditionalCreate"])
        self.assertEqual(res["conditionalDelete"], "not-supported")
        self.assertTrue({"url", "name", "code"} <= {p["name"] for p in res["searchParam"]})
        self.assertNotIn("context", {p["name"] for p in res["searchParam"]})


class DeploymentQueryDefinitionTest(FhirTestCase):

    def test_a_data_folders_named_query_is_served(self):
        data = tempfile.mkdtemp(prefix="hb-it-opdef-")
        self.addCleanup(shutil.rmtree, data, True)
        os.makedirs(os.path.join(data, "named-queries"))
        query = {  # no id: served under its code
            "resourceType": "OperationDefinition", "url": "urn:test:OperationDefinition/theo-ten",
            "name": "TheoTen", "status": "active", "kind": "query", "code": "theo-ten",
            "resource": ["Patient"], "system": False, "type": True, "instance": False,
            "extension": [{"url": "http://healthbook.vn/fhir/StructureDefinition/named-query-criteria",
                           "valueString": "name={{ten}}"}],
            "parameter": [{"name": "ten", "use": "in", "min": 1, "max": "1", "type": "string",
                           "searchType": "string", "documentation": "Tên / Name"}]}
        with open(os.path.join(data, "named-queries", "theo-ten.json"), "w", encoding="utf-8") as f:
            json.dump(query, f, ensure_ascii=False)
        with Server(data) as s:
            c = s.client()
            r = c.get("OperationDefinition?url=" + quote(query["url"]))
            self.assertEqual(r.json["total"], 1, r.describe())
            d = r.json["entry"][0]["resource"]
            self.assertEqual((d["id"], d["code"], d["kind"]), ("theo-ten", "theo-ten", "query"))
            self.assertStatus(c.get("OperationDefinition/theo-ten"), 200)


CBC = {
    "resourceType": "DiagnosticReport", "id": "dr-cbc", "status": "final",
    "code": {"text": "Tổng phân tích tế bào máu"},
    "contained": [{"resourceType": "Observation", "id": "hb", "status": "final",
                   "code": {"coding": [{"system": "http://loinc.org", "code": "718-7"}]},
                   "valueQuantity": {"value": 135, "unit": "g/L", "system": "http://unitsofmeasure.org",
                                     "code": "g/L"}}],
    "result": [{"reference": "#hb"}],
}

HB = {"resourceType": "Observation", "status": "final",
      "code": {"coding": [{"system": "http://loinc.org", "code": "718-7"}]}}


class ConditionalContainedTest(ServerTestCase):

    def setUp(self):
        self.assertStatus(self.c.put("DiagnosticReport/dr-cbc", CBC), 200, 201)
        # The search itself does find the contained haemoglobin.
        r = self.c.get("Observation?code=718-7&_contained=true")
        self.assertEqual(r.json["total"], 1)

    def test_conditional_create_update_delete_refuse_contained(self):
        crit = "code=http://loinc.org|718-7"
        for contained in ("true", "both"):
            r = self.c.post("Observation", HB,
                            headers={"If-None-Exist": f"{crit}&_contained={contained}"})
            self.assertOutcome(r, 400, mentions=["_contained=" + contained])
            self.assertOutcome(self.c.put(f"Observation?{crit}&_contained={contained}",
                                          HB), 400, mentions=["contained"])
            self.assertOutcome(self.c.delete(f"Observation?{crit}&_contained={contained}"),
                               400, mentions=["contained"])
        # _containedType=contained asks for the contained resource itself: refused as well.
        r = self.c.post("Observation", HB, headers={
            "If-None-Exist": f"{crit}&_contained=true&_containedType=contained"})
        self.assertOutcome(r, 400, mentions=["contained"])
        # Nothing was written or deleted; the report is intact.
        self.assertEqual(self.c.get("Observation?code=718-7").json["total"], 0)
        self.assertStatus(self.c.get("DiagnosticReport/dr-cbc"), 200)
        # _contained=false is the ordinary search: the Observation is created.
        r = self.c.post("Observation", HB,
                        headers={"If-None-Exist": f"{crit}&_contained=false"})
        self.assertStatus(r, 201)
        self.c.delete("Observation?code=718-7")

    def test_bundles_and_conditional_references_refuse_contained(self):
        tx = {"resourceType": "Bundle", "type": "transaction", "entry": [{
            "resource": HB, "request": {
                "method": "POST", "url": "Observation",
                "ifNoneExist": "code=http://loinc.org|718-7&_contained=both"}}]}
        self.assertOutcome(self.c.post("", tx), 400, mentions=["contained"])
        report = {"resourceType": "DiagnosticReport", "status": "final", "code": {"text": "x"},
                  "result": [{"reference": "Observation?code=718-7&_contained=true"}]}
        self.assertOutcome(self.c.post("DiagnosticReport", report), 400,
                           mentions=["contained"])


if __name__ == "__main__":
    unittest.main()
