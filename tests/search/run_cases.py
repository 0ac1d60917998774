"""Data-driven search tests: every case is a request and what it must answer.

The data set (loaded once into a fresh server): tests/search/data.json, hand-written
Vietnamese patients, facilities and clinical records with fixed ids (loaded by a
transaction of PUTs; Patient/pat-nfd's name is converted to decomposed Unicode, NFD,
before loading; the resources in DELETED are deleted after it), and a few official R4 examples (EXAMPLES below, from the package in
$HB_FHIR_PACKAGE_DIR).

A case file (cases/*.json) is a JSON list of objects:
  name      what the case shows
  get       the request path and query, unencoded ("Patient?name=Lò Văn"); or
  post      {"path": "Patient/_search", "form": "name=lo"} for a POST search
  as        who asks: "operator" (default), "doctor-a" (facility 11001 = org-a),
            "doctor-b" (facility 11002 = org-b)
  strict    true: Prefer: handling=strict
  ids       the match ids expected (as a set, or in order with "ordered": true)
  included  the ids expected with search.mode = include (as a set; default: none)
  total     Bundle.total expected (null: must be absent)
  status    the HTTP status expected (default 200); "message": a substring of the
            OperationOutcome's diagnostics
  keys      each match has only these top-level members (plus resourceType, id, meta)
            and is tagged SUBSETTED
  self_has / self_lacks   substrings the self link must (not) contain
  next      true/false: a next link is expected / must be absent
  full_urls suffixes that some match's fullUrl must end with
Each file runs as one test method, each case as a subTest.

Run: ctest -R search.cases (or: cd tests/search && HB_BINARY=... HB_FHIR_PACKAGE_DIR=...
python3 -m unittest -v run_cases).
"""

import glob
import json
import os
import sys
import unicodedata
import unittest
import urllib.parse

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "integration"))

from harness import Server, link, package_dir  # noqa: E402

EXAMPLES = ["Patient-example.json", "Observation-example.json", "Practitioner-example.json",
            "Organization-hl7.json"]
SUBSETTED = "SUBSETTED"
# Deleted after loading (still referenced: PractitionerRole/role-gone points at it).
DELETED = ["Practitioner/prac-gone"]


def encode_target(target):
    """Percent-encodes the query values of `target` ("Type?k=v&k2=v2")."""
    if "?" not in target:
        return target
    path, query = target.split("?", 1)
    parts = []
    for pair in query.split("&"):
        k, _, v = pair.partition("=")
        parts.append(urllib.parse.quote(k, safe=":._-") + "=" +
                     urllib.parse.quote(v, safe=",|:/*-._~"))
    return path + "?" + "&".join(parts)


def load_cases():
    files = sorted(glob.glob(os.path.join(HERE, "cases", "*.json")))
    out = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            out.append((os.path.splitext(os.path.basename(f))[0], json.load(fh)))
    return out


class SearchCases(unittest.TestCase):

    @classmethod
    def setUpClass(cls):
        cls.server = Server().start()
        cls.addClassCleanup(cls.server.cleanup)
        cls.clients = {"operator": cls.server.client(token=cls.server.token)}
        cls.addClassCleanup(lambda: [c.close() for c in cls.clients.values()])
        cls.load_data()
        for name, code in (("doctor-a", "11001"), ("doctor-b", "11002")):
            token = cls.server.mint_token("user/*.cruds", "--role", "doctor", "--facility", code)
            cls.clients[name] = cls.server.client(token=token)

    @classmethod
    def load_data(cls):
        with open(os.path.join(HERE, "data.json"), encoding="utf-8") as f:
            resources = json.load(f)
        for r in resources:
            if r["id"] == "pat-nfd":  # decomposed Unicode: "Lò" as L, o, U+0300
                for n in r["name"]:
                    n["family"] = unicodedata.normalize("NFD", n["family"])
                    n["given"] = [unicodedata.normalize("NFD", g) for g in n["given"]]
        pkg = package_dir()
        for name in EXAMPLES:
            with open(os.path.join(pkg, name), encoding="utf-8") as f:
                resources.append(json.load(f))
        bundle = {"resourceType": "Bundle", "type": "transaction", "entry": [
            {"resource": r, "request": {"method": "PUT", "url": f"{r['resourceType']}/{r['id']}"}}
            for r in resources]}
        r = cls.clients["operator"].post("", bundle)
        if r.status != 200:
            raise AssertionError(f"loading the search data set: {r.describe()}")
        for path in DELETED:
            r = cls.clients["operator"].delete(path)
            if r.status not in (200, 204):
                raise AssertionError(f"deleting {path}: {r.describe()}")

    def run_case(self, case):
        client = self.clients[case.get("as", "operator")]
        headers = {"Prefer": "handling=strict"} if case.get("strict") else None
        if "post" in case:
            p = case["post"]
            r = client.request("POST", p["path"], p["form"].encode(), headers=headers,
                               content_type="application/x-www-form-urlencoded")
        else:
            r = client.get(encode_target(case["get"]), headers=headers)
        want_status = case.get("status", 200)
        self.assertEqual(r.status, want_status, r.describe())
        if want_status != 200:
            if "message" in case:
                self.assertIn(case["message"], json.dumps(r.json, ensure_ascii=False))
            return
        bundle = r.json
        self.assertEqual(bundle.get("type"), "searchset", r.describe())
        entries = bundle.get("entry", [])
        matches = [e for e in entries if e.get("search", {}).get("mode") == "match"]
        included = [e for e in entries if e.get("search", {}).get("mode") == "include"]
        match_ids = [e["resource"]["id"] for e in matches]
        if "ids" in case:
            if case.get("ordered"):
                self.assertEqual(match_ids, case["ids"])
            else:
                self.assertCountEqual(match_ids, case["ids"])
        if "ids" in case or "included" in case:
            self.assertCountEqual([e["resource"]["id"] for e in included],
                                  case.get("included", []))
        if "total" in case:
            self.assertEqual(bundle.get("total"), case["total"])
        if "keys" in case:
            allowed = set(case["keys"]) | {"resourceType", "id", "meta"}
            for e in matches:
                res = e["resource"]
                self.assertTrue(set(res) <= allowed, sorted(res))
                tags = [t.get("code") for t in res.get("meta", {}).get("tag", [])]
                self.assertIn(SUBSETTED, tags)
        self_url = link(bundle, "self") or ""
        for s in case.get("self_has", []):
            self.assertIn(s, urllib.parse.unquote(self_url))
        for s in case.get("self_lacks", []):
            self.assertNotIn(s, urllib.parse.unquote(self_url))
        full_urls = [e.get("fullUrl", "") for e in matches]
        for want in case.get("full_urls", []):
            self.assertTrue(any(u.endswith(want) for u in full_urls), (want, full_urls))
        if "next" in case:
            self.assertEqual(link(bundle, "next") is not None, case["next"], self_url)


def _make_test(cases):
    def test(self):
        for case in cases:
            with self.subTest(case["name"]):
                self.run_case(case)
    return test


for _name, _cases in load_cases():
    setattr(SearchCases, f"test_{_name}", _make_test(_cases))


if __name__ == "__main__":
    unittest.main()
