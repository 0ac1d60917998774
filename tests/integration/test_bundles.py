"""Bundles of type batch and transaction POSTed to /fhir, as
https://hl7.org/fhir/R4/http.html#transaction specifies: one response entry per request
entry in the same order, all-or-nothing transactions, urn:uuid and conditional references
rewritten, ifNoneExist honoured, processing order DELETE, POST, PUT/PATCH, GET."""

import json
import unittest
import uuid

from harness import (ID_RE, ServerTestCase, etag_version, example_files, issues_text,
                     minify_json, parse_location, q, read_example, status_code)


def references(obj, path=""):
    """{path: reference string} of every Reference.reference inside obj."""
    out = {}
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k == "reference" and isinstance(v, str):
                out[f"{path}/reference"] = v
            else:
                out.update(references(v, f"{path}/{k}"))
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            out.update(references(v, f"{path}/{i}"))
    return out


def without_id_meta(res):
    res = dict(res)
    res.pop("id", None)
    res.pop("meta", None)
    return res


def entry(resource=None, method="POST", url=None, full_url=None, **request):
    e = {"request": {"method": method, "url": url or resource["resourceType"], **request}}
    if resource is not None:
        e["resource"] = resource
    if full_url:
        e["fullUrl"] = full_url
    return e


def bundle(kind, *entries):
    return {"resourceType": "Bundle", "type": kind, "entry": list(entries)}


def urn():
    return f"urn:uuid:{uuid.uuid4()}"


class BundleTestCase(ServerTestCase):

    def versions(self):
        return self.c.history_versions("_history?_count=500")

    def post_bundle(self, b):
        body = b if isinstance(b, bytes) else json.dumps(b).encode()
        return self.c.post("/fhir", body)

    def assertResponseBundle(self, request, r, kind):
        """Shape of a batch-/transaction-response; returns its entries."""
        self.assertStatus(r, 200)
        resp = r.json
        self.assertEqual(resp.get("resourceType"), "Bundle", r.describe())
        self.assertEqual(resp.get("type"), f"{kind}-response")
        entries = resp.get("entry", [])
        self.assertEqual(len(entries), len(request["entry"]),
                         "one response entry per request entry")
        for i, (req, got) in enumerate(zip(request["entry"], entries)):
            status = status_code(got.get("response", {}).get("status"))
            self.assertIsNotNone(status, f"entry {i} has no response.status: {got}")
            method = req["request"]["method"]
            if method in ("POST", "PUT", "PATCH") and status in (200, 201):
                loc = parse_location(got["response"].get("location"))
                self.assertIsNotNone(loc, f"entry {i} ({method}) needs response.location: {got}")
                self.assertIsNotNone(etag_version(got["response"].get("etag")),
                                     f"entry {i} ({method}) needs response.etag W/\"n\": {got}")
                self.assertEqual(loc[2], etag_version(got["response"]["etag"]),
                                 f"entry {i}: location and etag name different versions")
        return entries

    def assertTransactionEffects(self, request, entries):
        """After a successful transaction: each written resource is stored as sent, with its
        urn:uuid / fullUrl references rewritten to the ids the server assigned."""
        assigned = {}  # fullUrl -> "Type/id"
        for req, got in zip(request["entry"], entries):
            loc = parse_location(got["response"].get("location"))
            if req.get("fullUrl") and loc and req["request"]["method"] in ("POST", "PUT"):
                assigned[req["fullUrl"]] = f"{loc[0]}/{loc[1]}"
        for i, (req, got) in enumerate(zip(request["entry"], entries)):
            method = req["request"]["method"]
            status = status_code(got["response"]["status"])
            if method not in ("POST", "PUT") or "resource" not in req:
                continue
            loc = parse_location(got["response"]["location"])
            stored = self.c.get(f"{loc[0]}/{loc[1]}/_history/{loc[2]}")
            self.assertStatus(stored, 200, msg=f"entry {i}: {got['response']}")
            stored = stored.json
            self.assertRegex(stored["id"], ID_RE)
            if method == "POST" and status == 200:
                continue  # ifNoneExist matched: the existing resource was kept
            want_refs = references(req["resource"])
            got_refs = references(stored)
            self.assertEqual(set(want_refs), set(got_refs), f"entry {i}: references changed")
            for path, ref in want_refs.items():
                if ref in assigned:
                    self.assertEqual(got_refs[path], assigned[ref],
                                     f"entry {i} {path}: {ref} not rewritten")
                elif ref.startswith("urn:uuid:"):
                    self.fail(f"entry {i} {path}: {ref} names no entry of the bundle")
                elif "?" in ref:
                    self.assertRegex(got_refs[path], r"^[A-Z][A-Za-z]+/[A-Za-z0-9\-.]{1,64}$",
                                     f"entry {i} {path}: conditional reference not resolved")
                else:
                    # A relative Type/id naming another entry's RESTful fullUrl: R4 leaves it
                    # undefined when the containing entry's fullUrl is a urn, so either the
                    # reference is kept or it is rewritten to that entry's new id.
                    allowed = [ref] + [v for k, v in assigned.items() if k.endswith("/" + ref)]
                    self.assertIn(got_refs[path], allowed, f"entry {i} {path}")
            # apart from references, id and meta, stored as sent
            self.assertEqual(strip_refs(without_id_meta(stored)),
                             strip_refs(without_id_meta(req["resource"])), f"entry {i}")

    def assertAllOrNothing(self, request, raw=None):
        """POSTs a transaction that may legitimately be refused; either it all succeeds (and
        its effects are checked) or nothing is stored. Returns the response."""
        before = self.versions()
        r = self.post_bundle(raw or request)
        if r.status == 200:
            entries = self.assertResponseBundle(request, r, "transaction")
            self.assertTransactionEffects(request, entries)
        else:
            self.assertOutcome(r, 400, 404, 409, 412, 422)
            self.assertEqual(self.versions(), before, "a failed transaction stored something")
        return r


def strip_refs(obj):
    if isinstance(obj, dict):
        return {k: ("<ref>" if k == "reference" else strip_refs(v)) for k, v in obj.items()}
    if isinstance(obj, list):
        return [strip_refs(v) for v in obj]
    return obj


class ExampleBundlesTest(BundleTestCase):
    """The transaction and batch Bundles among the official examples."""

    @classmethod
    def examples(cls, kind):
        return [(n, r) for n, r in example_files()
                if r["resourceType"] == "Bundle" and r.get("type") == kind]

    def test_examples_are_found(self):
        self.assertGreaterEqual(len(self.examples("transaction")), 1)
        self.assertGreaterEqual(len(self.examples("batch")), 1)

    def test_example_batches(self):
        patient = json.loads(read_example("Patient-example.json"))
        self.assertIn(self.c.put("Patient/example", patient).status, (200, 201))
        for name, b in self.examples("batch"):
            with self.subTest(name):
                r = self.post_bundle(minify_json(read_example(name)).encode())
                entries = self.assertResponseBundle(b, r, "batch")
                for i, (req, got) in enumerate(zip(b["entry"], entries)):
                    status = status_code(got["response"]["status"])
                    url = req["request"]["url"]
                    if url.strip("/") == "Patient/example":
                        self.assertEqual(status, 200, got)
                        self.assertEqual(got["resource"]["id"], "example")
                    elif status == 200:  # a search: a searchset (unknown parameters ignored)
                        self.assertEqual(got["resource"]["resourceType"], "Bundle", f"{i}: {url}")
                        self.assertEqual(got["resource"]["type"], "searchset")
                    else:  # or refused on its own, with the reason
                        self.assertTrue(400 <= status < 500, f"entry {i} {url}: {got}")
                        outcome = got["response"].get("outcome", {})
                        self.assertEqual(outcome.get("resourceType"), "OperationOutcome", got)
                        self.assertTrue(issues_text(outcome), got)

    def test_example_transactions(self):
        """Every example transaction either succeeds as a whole or stores nothing."""
        for name, b in self.examples("transaction"):
            with self.subTest(name):
                self.assertAllOrNothing(b, minify_json(read_example(name)).encode())

    def test_example_hla(self):
        """22 creates linked by urn:uuid references: must succeed, references rewritten."""
        b = json.loads(read_example("Bundle-hla-1.json"))
        r = self.post_bundle(minify_json(read_example("Bundle-hla-1.json")).encode())
        entries = self.assertResponseBundle(b, r, "transaction")
        self.assertEqual({status_code(e["response"]["status"]) for e in entries}, {201})
        self.assertTransactionEffects(b, entries)

    def test_example_transaction_refused_when_if_match_fails(self):
        """bundle-transaction PUTs Patient/123a with ifMatch W/"2"; on a server without that
        version the whole transaction must fail and store nothing."""
        self.assertIn(self.c.get("Patient/123a").status, (404, 410))
        b = json.loads(read_example("Bundle-bundle-transaction.json"))
        before = self.versions()
        r = self.post_bundle(minify_json(read_example("Bundle-bundle-transaction.json")).encode())
        self.assertOutcome(r, 400, 404, 409, 412, 422)
        self.assertEqual(self.versions(), before)
        self.assertEqual(len(b["entry"]), 10)


class ExampleTransactionPreconditionsTest(BundleTestCase):
    """Its own server: it writes the Patients that bundle-transaction expects."""

    def test_example_transaction(self):
        """bundle-transaction on a server holding what it expects (Patient/123a at version 2,
        Patient/234, a Patient with identifier 123456, Patient/12334); without its
        'POST ValueSet/$lookup' entry ($lookup is an operation of CodeSystem, not ValueSet)."""
        b = json.loads(read_example("Bundle-bundle-transaction.json"))
        b["entry"] = [e for e in b["entry"] if "$lookup" not in e["request"]["url"]]
        p = {"resourceType": "Patient", "name": [{"family": "Seed"}]}
        for pid in ("123a", "234", "12334"):
            self.assertIn(self.c.put(f"Patient/{pid}", {**p, "id": pid}).status, (200, 201))
        self.assertEqual(self.c.put("Patient/123a", {**p, "id": "123a", "gender": "male"}).status,
                         200)
        target, _ = self.create({**p, "identifier": [{"system": "urn:seed", "value": "123456"}]})

        r = self.post_bundle(b)
        entries = self.assertResponseBundle(b, r, "transaction")
        got = [(e["request"]["method"], e["request"]["url"],
                status_code(x["response"]["status"])) for e, x in zip(b["entry"], entries)]
        want = {"POST": {201}, "PUT": {200, 201}, "DELETE": {200, 204}, "GET": {200}}
        for method, url, status in got:
            self.assertIn(status, want[method], f"{method} {url}: {got}")
        by_url = {e["request"]["url"]: x for e, x in zip(b["entry"], entries)}
        self.assertEqual(status_code(by_url["Patient/123"]["response"]["status"]), 201)
        self.assertEqual(etag_version(by_url["Patient/123a"]["response"]["etag"]), "3")
        self.assertEqual(by_url["Patient?name=peter"]["resource"]["type"], "searchset")
        self.assertEqual(by_url["Patient/12334"]["resource"]["id"], "12334")
        self.assertStatus(self.c.get("Patient/234"), 410)
        self.assertStatus(self.c.get(f"Patient/{target}"), 410)
        self.assertTransactionEffects(b, entries)


class TransactionTest(BundleTestCase):

    def setUp(self):
        self.system = f"urn:hb-it:{uuid.uuid4()}"

    def patient(self, value="p", **extra):
        return {"resourceType": "Patient", "identifier": [{"system": self.system, "value": value}],
                "name": [{"family": "Hoang"}], **extra}

    def ident(self, value="p"):
        return f"identifier={q(self.system)}|{value}"

    def test_invalid_entry_rejects_the_whole_transaction(self):
        before = self.versions()
        b = bundle("transaction",
                   entry(self.patient("ok")),
                   entry(self.patient("bad", birthDate="2020-13-45")))
        r = self.post_bundle(b)
        self.assertOutcome(
            r, 400, 422,
            path=r"(Bundle\.entry\[1\]\.resource(\.ofType\(Patient\))?\."
                 r"|\(Bundle\.entry\[1\]\.resource as Patient\)\.|Patient\.)birthDate")
        self.assertEqual(self.versions(), before, "nothing from a failed transaction is stored")
        self.assertEqual(self.search_ids(f"Patient?{self.ident('ok')}"), [])

    def test_urn_uuid_references_are_rewritten(self):
        pat, org = urn(), urn()
        obs = {"resourceType": "Observation", "status": "final", "code": {"text": "HbA1c"},
               "subject": {"reference": pat}, "performer": [{"reference": org}],
               "extension": [{"url": "http://example.org/ext", "valueReference": {"reference": pat}}]}
        b = bundle("transaction",
                   entry(obs, full_url=urn()),
                   entry(self.patient(managingOrganization={"reference": org}), full_url=pat),
                   entry({"resourceType": "Organization", "name": "TYT Phường 1"}, full_url=org))
        r = self.post_bundle(b)
        entries = self.assertResponseBundle(b, r, "transaction")
        self.assertEqual([status_code(e["response"]["status"]) for e in entries], [201] * 3)
        self.assertTransactionEffects(b, entries)
        pid = parse_location(entries[1]["response"]["location"])[1]
        oid = parse_location(entries[0]["response"]["location"])[1]
        stored = self.c.get(f"Observation/{oid}").json
        self.assertEqual(stored["subject"]["reference"], f"Patient/{pid}")

    def test_conditional_references_are_resolved(self):
        pid, _ = self.create(self.patient("known"))
        obs = {"resourceType": "Observation", "status": "final", "code": {"text": "x"},
               "subject": {"reference": f"Patient?{self.ident('known')}"}}
        b = bundle("transaction", entry(obs))
        r = self.post_bundle(b)
        entries = self.assertResponseBundle(b, r, "transaction")
        loc = parse_location(entries[0]["response"]["location"])
        self.assertEqual(self.c.get(f"Observation/{loc[1]}").json["subject"]["reference"],
                         f"Patient/{pid}")

        before = self.versions()
        for what, ref in (("no match", f"Patient?{self.ident('unknown')}"),
                          ("two matches", f"Patient?{self.ident('twice')}")):
            if what == "two matches":
                self.create(self.patient("twice"))
                self.create(self.patient("twice"))
                before = self.versions()
            with self.subTest(what):
                o = dict(obs, subject={"reference": ref})
                r = self.post_bundle(bundle("transaction", entry(o)))
                self.assertOutcome(r, 400, 404, 409, 412, 422)
                self.assertEqual(self.versions(), before)

    def test_if_none_exist_is_honoured(self):
        pat = urn()
        b = bundle("transaction",
                   entry(self.patient("once"), full_url=pat, ifNoneExist=self.ident("once")),
                   entry({"resourceType": "Observation", "status": "final", "code": {"text": "x"},
                          "subject": {"reference": pat}}))
        first = self.assertResponseBundle(b, self.post_bundle(b), "transaction")
        second = self.assertResponseBundle(b, self.post_bundle(b), "transaction")
        self.assertEqual(status_code(first[0]["response"]["status"]), 201)
        self.assertEqual(status_code(second[0]["response"]["status"]), 200,
                         "ifNoneExist matched: 200 and nothing created")
        ids = self.search_ids(f"Patient?{self.ident('once')}")
        self.assertEqual(len(ids), 1, "the second POST did not duplicate the Patient")
        self.assertEqual(parse_location(second[0]["response"]["location"])[1], ids[0])
        for resp in (first, second):
            oid = parse_location(resp[1]["response"]["location"])[1]
            self.assertEqual(self.c.get(f"Observation/{oid}").json["subject"]["reference"],
                             f"Patient/{ids[0]}", "references to the matched entry use its id")

    def test_processing_order(self):
        """DELETE, then POST, then PUT, then GET, whatever the order of the entries."""
        x = f"ord-{uuid.uuid4().hex[:10]}"
        self.assertEqual(self.c.put(f"Patient/{x}", self.patient("x", id=x, gender="male")).status,
                         201)
        y, _ = self.create(self.patient("y"))
        b = bundle("transaction",
                   entry(None, "GET", f"Patient/{x}"),
                   entry(self.patient("x", id=x, gender="female"), "PUT", f"Patient/{x}"),
                   entry(self.patient("y", gender="other"), "POST", ifNoneExist=self.ident("y")),
                   entry(None, "DELETE", f"Patient/{y}"))
        entries = self.assertResponseBundle(b, self.post_bundle(b), "transaction")
        status = [status_code(e["response"]["status"]) for e in entries]
        self.assertEqual(status[0], 200)
        self.assertEqual(entries[0]["resource"]["gender"], "female", "GET runs after the PUT")
        self.assertEqual(entries[0]["resource"]["meta"]["versionId"], "2")
        self.assertEqual(status[1], 200)
        self.assertEqual(status[2], 201, "the DELETE ran first, so ifNoneExist matched nothing")
        self.assertNotEqual(parse_location(entries[2]["response"]["location"])[1], y)
        self.assertIn(status[3], (200, 204))
        self.assertStatus(self.c.get(f"Patient/{y}"), 410)

    def test_overlapping_identities_fail(self):
        x = f"dup-{uuid.uuid4().hex[:10]}"
        before = self.versions()
        b = bundle("transaction",
                   entry(self.patient(id=x), "PUT", f"Patient/{x}"),
                   entry(self.patient(id=x, gender="male"), "PUT", f"Patient/{x}"))
        self.assertOutcome(self.post_bundle(b), 400, 409, 412, 422)
        self.assertEqual(self.versions(), before)

    def test_put_and_create_response_entries(self):
        x = f"pc-{uuid.uuid4().hex[:10]}"
        b = bundle("transaction", entry(self.patient(id=x), "PUT", f"Patient/{x}"))
        e = self.assertResponseBundle(b, self.post_bundle(b), "transaction")[0]["response"]
        self.assertEqual((status_code(e["status"]), etag_version(e["etag"])), (201, "1"))
        e = self.assertResponseBundle(b, self.post_bundle(b), "transaction")[0]["response"]
        self.assertEqual((status_code(e["status"]), etag_version(e["etag"])), (200, "2"))
        self.assertEqual(parse_location(e["location"]), ("Patient", x, "2"))

    def test_only_batch_and_transaction(self):
        before = self.versions()
        for kind in ("collection", "searchset", "document"):
            with self.subTest(kind):
                b = bundle(kind, {"resource": self.patient(), "fullUrl": urn()})
                self.assertOutcome(self.post_bundle(b), 400, 422)
        self.assertOutcome(self.c.post("/fhir", self.patient()), 400, 422)
        self.assertEqual(self.versions(), before)


class BatchTest(BundleTestCase):

    def test_bad_entry_does_not_stop_the_others(self):
        system = f"urn:hb-it:{uuid.uuid4()}"
        existing, _ = self.create({"resourceType": "Patient", "name": [{"family": "Đỗ"}]})
        good = {"resourceType": "Patient", "identifier": [{"system": system, "value": "good"}]}
        bad = {"resourceType": "Patient", "identifier": [{"system": system, "value": "bad"}],
               "birthDate": "2020-13-45"}
        b = bundle("batch", entry(good), entry(bad),
                   entry(None, "GET", f"Patient/{uuid.uuid4()}"),
                   entry(None, "GET", f"Patient/{existing}"))
        entries = self.assertResponseBundle(b, self.post_bundle(b), "batch")
        status = [status_code(e["response"]["status"]) for e in entries]
        self.assertEqual(status[0], 201)
        self.assertIn(status[1], (400, 422))
        outcome = entries[1]["response"].get("outcome", {})
        self.assertEqual(outcome.get("resourceType"), "OperationOutcome", entries[1])
        self.assertIn("birthDate", issues_text(outcome))
        self.assertEqual(status[2], 404)
        self.assertEqual(status[3], 200)
        self.assertEqual(entries[3]["resource"]["id"], existing)
        self.assertEqual(len(self.search_ids(f"Patient?identifier={q(system)}|good")), 1)
        self.assertEqual(self.search_ids(f"Patient?identifier={q(system)}|bad"), [])


if __name__ == "__main__":
    unittest.main()
